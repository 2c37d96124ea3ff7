import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** npm run reset, as a person answers its question. */
const root = mkdtempSync(path.join(tmpdir(), 'linyi-reset-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function reset(answer: string) {
	const dir = path.join(root, 'data');
	mkdirSync(dir, { recursive: true });
	const r = spawnSync(process.execPath, ['scripts/reset.js'], { input: `${answer}\n`, env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
	return { deleted: !existsSync(dir), out: r.stdout, status: r.status };
}

describe('npm run reset', () => {
	it('says what answer it expects', () => {
		expect(reset('').out).toMatch(/y or yes \(是 \/ 好\)/);
	});

	it.each(['y', 'Y', 'yes', ' YES ', '是', '好'])('deletes the data on "%s"', (answer) => {
		expect(reset(answer)).toMatchObject({ deleted: true, status: 0 });
	});

	it.each(['', 'n', 'no', '否', 'yess'])('keeps the data on "%s", and says how to delete it', (answer) => {
		const r = reset(answer);
		expect(r).toMatchObject({ deleted: false, status: 1 });
		expect(r.out).toContain('nothing was deleted');
	});
});
