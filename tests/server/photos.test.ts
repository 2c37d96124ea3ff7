import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import * as propose from '../../src/routes/estates/[id=uuid]/issues/new/+page.server';
import * as issuePage from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/+page.server';
import * as uploads from '../../src/routes/uploads/[...path]/+server';
import { CAILIAN, JINYUAN, expectData, expectHttpError, expectRedirect, openTestRuntime, request, signInToken, type TestRuntime } from './harness';

/**
 * A photo is given only to someone who may read its issue. 晋源水岸花苑's board
 * is members-only in the demo: the public and residents of another estate
 * must not see its photos, however they got the link.
 */
let rt: TestRuntime;
let issueId: string;
let photo: { path: string; thumb_path: string };
let outsider: string;

beforeAll(async () => {
	rt = await openTestRuntime();
	const data = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#a37' } }).jpeg().toBuffer();
	const [area] = await rt.sql.query<{ id: string }>(`select id from public.areas where estate_id = $1 and name = '西苑'`, [JINYUAN]);
	const x = await request(
		{
			url: `/estates/${JINYUAN}/issues/new`,
			as: 'resident@demo.linyi.org',
			form: { title: '西苑车棚顶漏雨', category: 'facilities', area_id: area.id, body: '', confirm_new: 'true', photos: new File([new Uint8Array(data)], 'roof.jpg', { type: 'image/jpeg' }) }
		},
		propose.actions.default
	);
	expectRedirect(x, /\/issues\/[0-9a-f-]{36}$/);
	issueId = (x.outcome as { location: string }).location.split('/').pop()!;
	[photo] = await rt.sql.query<{ path: string; thumb_path: string }>('select path, thumb_path from public.issue_photos where issue_id = $1', [issueId]);
	// A verified resident of 采莲新村 only.
	const [{ id }] = await rt.sql.query<{ id: string }>(`select auth.local_sign_up('outsider@example.org', 'Lotus-pond-2026', '邻村居民', 'zh-CN') as id`);
	await rt.sql.query(`insert into public.memberships (estate_id, user_id, status, roles) values ($1, $2, 'verified', '{}')`, [CAILIAN, id]);
	outsider = await signInToken('outsider@example.org', 'Lotus-pond-2026');
});
afterAll(() => rt.close());

const get = (path: string, as: Parameters<typeof request>[0]['as'] = 'anon', headers: Record<string, string> = {}) =>
	request({ url: `/uploads/${path}`, params: { path }, as, headers }, uploads.GET);

async function served(x: Awaited<ReturnType<typeof get>>) {
	const res = expectData(x) as Response;
	return { status: res.status, headers: res.headers, bytes: res.status === 200 ? Buffer.from(await res.arrayBuffer()) : null };
}

describe('photos of a members-only board', () => {
	it('are not found for the public, photo and thumbnail alike', async () => {
		expectHttpError(await get(photo.path), 404, 'errors.page_not_found');
		expectHttpError(await get(photo.thumb_path), 404, 'errors.page_not_found');
	});

	it('are not found for a resident of another estate', async () => {
		expectHttpError(await get(photo.path, { token: outsider }), 404, 'errors.page_not_found');
		expectHttpError(await get(photo.thumb_path, { token: outsider }), 404, 'errors.page_not_found');
	});

	it("are served to the estate's members, private to this browser and checked again on each use", async () => {
		const first = await served(await get(photo.path, 'owner@demo.linyi.org'));
		expect(first.status).toBe(200);
		expect((await sharp(first.bytes!).metadata()).format).toBe('jpeg');
		expect(first.headers.get('cache-control')).toBe('private, no-cache');
		expect(first.headers.get('vary')).toBe('Cookie');
		const etag = first.headers.get('etag')!;
		// Revalidation runs the same check: unchanged for a member, still refused to the public.
		expect((await served(await get(photo.path, 'owner@demo.linyi.org', { 'if-none-match': etag }))).status).toBe(304);
		expectHttpError(await get(photo.path, 'anon', { 'if-none-match': etag }), 404);
	});

	it("reach the issue page through the storage port's URLs", async () => {
		const page = expectData(await request({ url: `/estates/${JINYUAN}/issues/${issueId}`, params: { id: JINYUAN, issueId }, as: 'resident@demo.linyi.org' }, issuePage.load));
		expect(page.photos).toEqual([{ url: `/uploads/${photo.path}`, thumbUrl: `/uploads/${photo.thumb_path}`, width: 800, height: 600 }]);
	});

	it('refuses paths that are not stored photos without asking the disk', async () => {
		for (const p of ['../pgdata/PG_VERSION', 'issues/x.svg', 'issues/%2e%2e/x.jpg']) expectHttpError(await get(p, 'owner@demo.linyi.org'), 404);
	});
});

describe('photos of a public board', () => {
	it('are served to everyone, still never to a shared cache', async () => {
		await rt.sql.query('update public.estates set board_public = true where id = $1', [JINYUAN]);
		try {
			for (const as of ['anon', { token: outsider }] as const) {
				const res = await served(await get(photo.thumb_path, as));
				expect(res.status).toBe(200);
				expect(res.headers.get('cache-control')).toBe('private, no-cache');
			}
		} finally {
			await rt.sql.query('update public.estates set board_public = false where id = $1', [JINYUAN]);
		}
	});
});
