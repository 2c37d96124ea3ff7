import { describe, expect, it } from 'vitest';
import { BODY_SIZE_LIMIT, bodySizeDefault } from '../../src/lib/server/body-size';
import { MAX_PHOTOS, MAX_PHOTO_BYTES } from '../../src/lib/server/photos';

type RenderChunk = (this: unknown, code: string, chunk: { isEntry: boolean; fileName: string }) => { code: string } | null;
const render = bodySizeDefault().renderChunk as unknown as RenderChunk;
const as = (consumer: 'server' | 'client') => ({ environment: { config: { consumer } } });

/**
 * `node build` without BODY_SIZE_LIMIT refused a phone photo (adapter-node's
 * 512 KB): the build itself now carries the app's default.
 */
describe('the body size default in the build', () => {
	it("is set at the top of the server entry, before adapter-node's handler reads it, unless the variable is set", () => {
		const out = render.call(as('server'), 'export class Server {}', { isEntry: true, fileName: 'index.js' });
		expect(out!.code.split('\n')[0]).toBe(`if (!process.env.BODY_SIZE_LIMIT) process.env.BODY_SIZE_LIMIT = "${BODY_SIZE_LIMIT}";`);
		expect(out!.code).toContain('export class Server {}');
	});

	it('touches neither other server chunks nor anything sent to the browser', () => {
		expect(render.call(as('server'), 'x', { isEntry: false, fileName: 'chunks/a.js' })).toBeNull();
		expect(render.call(as('server'), 'x', { isEntry: true, fileName: 'manifest.js' })).toBeNull();
		expect(render.call(as('client'), 'x', { isEntry: true, fileName: 'index.js' })).toBeNull();
	});

	it('lets a full set of photos through', () => {
		const [, n, unit] = /^(\d+)([KM])$/.exec(BODY_SIZE_LIMIT)!;
		expect(Number(n) * (unit === 'M' ? 1024 ** 2 : 1024)).toBeGreaterThan(MAX_PHOTOS * MAX_PHOTO_BYTES);
	});
});
