import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON, type Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedIssues, seedWorld, type IssueWorld, type Person, type World } from './fixtures';

/**
 * Names on issue pages: a public board shows what was said and done, and by
 * whom only to the estate's verified members and administrators; everyone
 * else learns that a resident (居民) wrote or acted. The tables' personal
 * columns are in tests/db/rls-matrix.test.ts.
 */

interface Detail {
	issue: { is_author: boolean };
	author: string | null;
	author_hidden: boolean;
	names_shown: boolean;
	timeline: Array<{ kind: string; actor?: string | null; by_resident?: boolean }>;
	comments: { comments: Array<{ id: string; author?: string | null; mine: boolean }> };
}

describe.each(DATABASES)('names on issue pages on %s', (name) => {
	let db: TestDb;
	let w: World;
	let iw: IssueWorld;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		iw = await seedIssues(db, w);
		await db.sql.query('update public.estates set board_public = true where id = $1', [w.a.id]);
		// A step by the committee, so that the timeline has a second actor.
		await db.backend.call('transition_issue', { p_issue_id: iw.a.bench, p_action: 'accept' }, { kind: 'user', userId: w.users.committee });
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const detail = (caller: Caller) => db.backend.call<Detail>('issue_detail', { p_issue_id: iw.a.bench }, caller);

	it('shows the estate’s verified members and administrators who wrote and who acted', async () => {
		for (const p of ['resident', 'moderator', 'committee', 'admin'] as const) {
			const d = await detail(as(p));
			expect([p, d.names_shown, d.author, d.author_hidden]).toEqual([p, true, 'resident', false]);
			expect(d.timeline.map((e) => [e.kind, e.actor, e.by_resident])).toEqual([
				['proposed', 'resident', true],
				['transition', 'committee', true]
			]);
			const byId = Object.fromEntries(d.comments.comments.map((c) => [c.id, c.author]));
			expect(byId[iw.a.comments.top]).toBe('committee');
			expect(byId[iw.a.comments.reply]).toBe('resident');
		}
		expect((await detail(as('resident'))).issue.is_author).toBe(true);
	});

	it('shows everyone else on a public board only that a resident wrote or acted', async () => {
		for (const p of ['nonmember', 'otherEstate', 'pending', 'rejected', 'committeeB'] as const) {
			const d = await detail(as(p));
			expect([p, d.names_shown, d.author, d.author_hidden, d.issue.is_author]).toEqual([p, false, null, true, false]);
			expect(d.timeline.map((e) => [e.kind, e.actor, e.by_resident])).toEqual([
				['proposed', null, true],
				['transition', null, true]
			]);
			for (const c of d.comments.comments) expect([p, c.author, c.mine]).toEqual([p, null, false]);
			const page = await db.backend.call<{ comments: Array<{ author: string | null }> }>('issue_comments', { p_issue_id: iw.a.bench }, as(p));
			expect(page.comments.every((c) => c.author === null)).toBe(true);
		}
		const anon = await detail(ANON);
		expect([anon.names_shown, anon.author, anon.author_hidden]).toEqual([false, null, true]);
		expect(anon.timeline.every((e) => e.actor === undefined)).toBe(true);
		for (const c of anon.comments.comments) expect(c).not.toHaveProperty('author');
	});

	it('refuses names through the helper to anyone who is not a verified member', async () => {
		const names = (p: Person) =>
			db.sql.transaction(async (tx) => {
				await tx.query('set local role authenticated');
				await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: w.users[p], role: 'authenticated' })]);
				return (await tx.query<{ v: Record<string, string> }>('select private.people_names($1, $2::uuid[]) as v', [w.a.id, [w.users.resident, w.users.committee]]))[0].v;
			});
		expect(await names('resident')).toEqual({ [w.users.resident]: 'resident', [w.users.committee]: 'committee' });
		expect(await names('nonmember')).toEqual({});
		expect(await names('pending')).toEqual({});
	});
});
