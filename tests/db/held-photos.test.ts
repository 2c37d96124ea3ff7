import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, type Caller } from '../../src/lib/server/backend/types';
import type { HeldPhoto } from '../../src/lib/domain/issues';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedWorld, type Person, type World } from './fixtures';

/**
 * Photos held between two submits of the new-issue form
 * (20261203100000_keep_pending_photos.sql): held for their uploader only,
 * readable by them only, taken over by propose_issue, swept after a day.
 */
describe.each(DATABASES)('held photos on %s', (name) => {
	let db: TestDb;
	let w: World;
	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const photo = (n: string) => ({ path: `issues/${n}.jpg`, thumb_path: `issues/${n}_thumb.jpg`, width: 800, height: 600 });
	const hold = (p: Person, photos: unknown[]) => db.backend.call<HeldPhoto[]>('hold_photos', { p_photos: photos }, as(p));
	const held = (p: Person, tokens: string[]) => db.backend.call<HeldPhoto[]>('held_photos', { p_tokens: tokens }, as(p));
	const canRead = (p: Person, path: string) => db.backend.call<boolean>('can_read_photo', { p_path: path }, as(p));
	const count = async (path: string) => (await db.sql.query<{ n: number }>('select count(*)::int as n from public.pending_photos where path = $1', [path]))[0].n;

	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
	});
	afterAll(() => db.close());

	it('holds photos for their uploader, who alone finds them by token and may load them', async () => {
		const kept = await hold('resident', [photo('h1'), photo('h2')]);
		expect(kept.map((p) => p.path)).toEqual(['issues/h1.jpg', 'issues/h2.jpg']);
		expect(kept.every((p) => /^[0-9a-f-]{36}$/.test(p.token))).toBe(true);
		// In the order asked, and only the caller's own.
		expect((await held('resident', [kept[1].token, kept[0].token])).map((p) => p.path)).toEqual(['issues/h2.jpg', 'issues/h1.jpg']);
		expect(await held('committee', [kept[0].token])).toEqual([]);
		expect(await canRead('resident', 'issues/h1_thumb.jpg')).toBe(true);
		expect(await canRead('committee', 'issues/h1_thumb.jpg')).toBe(false);
		expect(await canRead('otherEstate', 'issues/h1.jpg')).toBe(false);
	});

	it('refuses more than six at once', async () => {
		const seven = Array.from({ length: 7 }, (_, i) => photo(`many${i}`));
		await expect(hold('resident', seven)).rejects.toMatchObject({ key: 'errors.photos_too_many', field: 'photos' });
		await expect(hold('resident', seven)).rejects.toBeInstanceOf(DomainError);
	});

	it('raising the issue takes the held photos over, in the same transaction', async () => {
		const [p] = await hold('resident', [photo('taken')]);
		const { id } = await db.backend.call<{ id: string }>(
			'propose_issue',
			{
				p_estate_id: w.a.id,
				p_area_id: w.a.courtyardId,
				p_category: 'facilities',
				p_title: '带照片的议题',
				p_body: '',
				p_photos: [{ path: p.path, thumb_path: p.thumb_path, width: p.width, height: p.height }]
			},
			as('resident')
		);
		expect(await count('issues/taken.jpg')).toBe(0);
		const rows = await db.sql.query<{ path: string }>('select path from public.issue_photos where issue_id = $1', [id]);
		expect(rows.map((r) => r.path)).toEqual(['issues/taken.jpg']);
		expect(await held('resident', [p.token])).toEqual([]);
	});

	it("leaves someone else's held photo alone when a path is reused", async () => {
		await hold('committee', [photo('theirs')]);
		await expect(
			db.backend.call('propose_issue', {
				p_estate_id: w.a.id,
				p_area_id: w.a.courtyardId,
				p_category: 'facilities',
				p_title: '借用别人的照片',
				p_body: '',
				p_photos: [photo('theirs')]
			}, as('resident'))
		).resolves.toBeTruthy();
		expect(await count('issues/theirs.jpg')).toBe(1);
	});

	it('sweeps what nobody came back for in a day, for the service role only', async () => {
		await hold('resident', [photo('stale'), photo('fresh')]);
		await db.sql.query(`update public.pending_photos set created_at = now() - interval '25 hours' where path = 'issues/stale.jpg'`);
		await expect(db.backend.call('take_stale_photos', {}, as('resident'))).rejects.toThrow();
		const gone = (await db.sql.query<{ gone: { path: string }[] }>('select public.take_stale_photos() as gone'))[0].gone;
		expect(gone.map((g) => g.path)).toEqual(['issues/stale.jpg']);
		expect(await count('issues/stale.jpg')).toBe(0);
		expect(await count('issues/fresh.jpg')).toBe(1);
	});
});
