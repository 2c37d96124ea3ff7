import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON, type Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedWorld, type Person, type World } from './fixtures';

/**
 * A hidden top-level comment keeps its thread: everyone else sees a placeholder
 * where it was, followed by its visible replies, so that the discussion shows
 * what the stance tally counts.
 */

interface Comment {
	id: string;
	parent_id: string | null;
	stance: string | null;
	body: string | null;
	state: string;
	author?: string | null;
	mine: boolean;
}
type Page = { comments: Comment[]; more_after: string | null };

describe.each(DATABASES)('discussion threads on %s', (name) => {
	let db: TestDb;
	let w: World;
	let issue: string;
	let top: string;
	let reply: string;
	let lone: string;
	let reported: string;
	let reportedReply: string;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		issue = (
			await db.backend.call<{ id: string }>(
				'propose_issue',
				{ p_estate_id: w.a.id, p_area_id: w.a.buildings['1栋'], p_category: 'facilities', p_title: '东门加装雨棚', p_body: '' },
				as('resident')
			)
		).id;
		top = await comment(as('volunteer'), 'oppose', '谁出的馊主意！');
		reply = await comment(as('resident'), 'suggestion', '雨棚可以做成透明的。', top);
		lone = await comment(as('volunteer'), 'oppose', '广告：专业做雨棚');
		reported = await comment(as('committee'), 'support', '居委会会找物业报价。');
		reportedReply = await comment(as('resident'), 'support', '谢谢！', reported);
		await db.backend.call('moderate_comment', { p_comment_id: top, p_hide: true, p_reason: '请文明发言' }, as('moderator'));
		await db.backend.call('moderate_comment', { p_comment_id: lone, p_hide: true, p_reason: '广告' }, as('moderator'));
		// Three reports hide a comment until a moderator looks (written directly: the reporters are not the point here).
		await db.sql.query(`update public.comments set state = 'reported' where id = $1`, [reported]);
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	async function comment(caller: Caller, stance: string, body: string, parent: string | null = null) {
		// PGlite's clock counts milliseconds: a pause keeps the order certain.
		await new Promise((r) => setTimeout(r, 2));
		return (await db.backend.call<{ id: string }>('comment_on_issue', { p_issue_id: issue, p_stance: stance, p_body: body, p_parent_id: parent }, caller)).id;
	}
	const page = (caller: Caller) => db.backend.call<Page>('issue_comments', { p_issue_id: issue }, caller);
	const shape = (p: Page) => p.comments.map((c) => [c.id, c.parent_id, c.state]);

	it('shows a placeholder and the visible replies of a hidden top-level comment to other members', async () => {
		const p = await page(as('resident'));
		expect(shape(p)).toEqual([
			[top, null, 'withheld'],
			[reply, top, 'visible'],
			[reported, null, 'withheld'],
			[reportedReply, reported, 'visible']
		]);
		// The placeholder says nothing of what was written or by whom.
		expect(p.comments[0]).toMatchObject({ stance: null, body: null, author: null, mine: false });
		expect(p.comments[1]).toMatchObject({ body: '雨棚可以做成透明的。', author: 'resident', mine: true });
	});

	it('leaves no placeholder for a hidden comment without visible replies', async () => {
		const ids = (await page(as('resident'))).comments.map((c) => c.id);
		expect(ids).not.toContain(lone);
	});

	it('shows the hidden comment itself to its author and the moderators', async () => {
		expect(shape(await page(as('moderator')))).toEqual([
			[top, null, 'hidden'],
			[reply, top, 'visible'],
			[lone, null, 'hidden'],
			[reported, null, 'reported'],
			[reportedReply, reported, 'visible']
		]);
		const own = await page(as('volunteer'));
		expect(own.comments[0]).toMatchObject({ id: top, state: 'hidden', body: '谁出的馊主意！', mine: true });
	});

	it('gives anon on a public board the same threads, without names', async () => {
		await db.sql.query('update public.estates set board_public = true where id = $1', [w.a.id]);
		try {
			const p = await page(ANON);
			expect(shape(p)).toEqual([
				[top, null, 'withheld'],
				[reply, top, 'visible'],
				[reported, null, 'withheld'],
				[reportedReply, reported, 'visible']
			]);
			expect(p.comments.every((c) => !('author' in c))).toBe(true);
		} finally {
			await db.sql.query('update public.estates set board_public = false where id = $1', [w.a.id]);
		}
	});

	it('counts in the tally only what the discussion shows', async () => {
		const d = await db.backend.call<{ stances: Record<string, number> }>('issue_detail', { p_issue_id: issue }, as('resident'));
		expect(d.stances).toEqual({ suggestion: 1, support: 1 });
	});

	it('keeps a reply in its thread when the thread’s time changes', async () => {
		await db.sql.query(`update public.comments set created_at = created_at - interval '1 hour' where id = $1`, [reported]);
		const rows = await db.sql.query<{ same: boolean }>(
			`select r.thread_at = p.created_at as same from public.comments r join public.comments p on p.id = r.parent_id where r.id = $1`,
			[reportedReply]
		);
		expect(rows).toEqual([{ same: true }]);
		expect(shape(await page(as('resident')))[0]).toEqual([reported, null, 'withheld']);
	});
});
