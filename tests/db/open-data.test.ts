import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { OPEN_DATA_FILES, type OpenDataFile } from '../../src/lib/domain/open-data';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedIssues, seedPublications, seedVotes, seedWorld, type IssueWorld, type Person, type VoteWorld, type World } from './fixtures';

/**
 * Open data (20261204150000_create_open_data.sql): the pages an export is
 * streamed from hold what the caller may read and nothing personal, every
 * row exactly once across pages.
 */

type Row = Record<string, unknown>;

describe.each(DATABASES)('open data on %s', (name) => {
	let db: TestDb;
	let w: World;
	let iw: IssueWorld;
	let v: VoteWorld;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		iw = await seedIssues(db, w);
		v = await seedVotes(db, w);
		await seedPublications(db, w, v);
	});
	afterAll(() => db.close());

	const anon: Caller = { kind: 'anon' };
	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const page = (file: OpenDataFile, scope: string, id: string, caller: Caller, after: unknown = null, limit = 1000) =>
		db.backend.call<Row[]>(`open_data_${file}`, { p_scope: scope, p_scope_id: id, p_after: after, p_limit: limit }, caller);
	const q = <T = Row>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);

	it('gives a member every issue, event and vote of the estate, each with exactly the documented columns', async () => {
		// A plan with a milestone done and one not, for the milestones file.
		const [{ id: item }] = await q<{ id: string }>(
			`insert into public.work_items (issue_id, estate_id, title) values ($1, $2, '计划') returning id::text`, [iw.a.bench, w.a.id]);
		await q(`insert into public.milestones (item_id, issue_id, estate_id, title, planned_on, done_at) values
			($1, $2, $3, '进场', '2026-03-01', '2026-03-02T04:00:00Z'), ($1, $2, $3, '完工', null, null)`, [item, iw.a.bench, w.a.id]);
		const [counts] = await q<{ issues: number; events: number; votes: number; options: number; milestones: number }>(
			`select (select count(*) from public.issues where estate_id = $1)::int as issues,
			        (select count(*) from public.issue_events e join public.issues i on i.id = e.issue_id where i.estate_id = $1)::int as events,
			        (select count(*) from public.votes where estate_id = $1)::int as votes,
			        (select count(*) from public.vote_options o join public.votes v on v.id = o.vote_id where v.estate_id = $1)::int as options,
			        (select count(*) from public.milestones where estate_id = $1)::int as milestones`,
			[w.a.id]
		);
		const summary = await db.backend.call<{ counts: Record<OpenDataFile, number>; name: string }>('open_data_summary', { p_scope: 'estate', p_scope_id: w.a.id }, as('resident'));
		expect(summary.counts).toEqual({ issues: counts.issues, events: counts.events, votes: counts.votes, vote_options: counts.options, milestones: counts.milestones });
		const done = (await page('milestones', 'estate', w.a.id, as('resident'))).find((r) => r.title === '进场');
		expect(done).toMatchObject({ done: true, done_on: '2026-03-02', planned_on: '2026-03-01', item: '计划' });
		expect(summary.name).toBe(w.a.name);
		for (const file of Object.keys(OPEN_DATA_FILES) as OpenDataFile[]) {
			const rows = await page(file, 'estate', w.a.id, as('resident'));
			expect(rows.length, file).toBe(summary.counts[file]);
			expect(rows.length, file).toBeGreaterThan(0);
			for (const row of rows) expect(Object.keys(row).sort(), file).toEqual([...OPEN_DATA_FILES[file].columns].sort());
		}
		expect((await page('issues', 'estate', w.a.id, as('resident'))).map((r) => r.id)).toContain(iw.a.bench);
	});

	it('holds no person: no author, actor, voter, resident name, contact or issue text', async () => {
		const people = Object.values(w.users);
		const names = (await q<{ n: string | null }>(`select display_name as n from public.profiles union select resident_name from public.issue_behalf union select resident_contact from public.issue_behalf`)).map((r) => r.n).filter((n): n is string => !!n && !/^[a-z_]+$/.test(n));
		const bodies = (await q<{ b: string }>(`select body as b from public.issues where body <> ''`)).map((r) => r.b);
		const receipts = (await q<{ r: string }>(`select unnest(receipts) as r from public.vote_results`)).map((r) => r.r);
		for (const file of Object.keys(OPEN_DATA_FILES) as OpenDataFile[]) {
			const text = JSON.stringify(await page(file, 'community', w.communityId, as('admin')));
			// As whole values; the fixtures' people named by a status word ("rejected") are left out above.
			for (const secret of [...people, ...names, ...bodies, ...receipts]) expect(text.includes(JSON.stringify(secret)), `${file} holds ${secret}`).toBe(false);
		}
	});

	it('pages by the key: every row once, in order, whatever the page size', async () => {
		for (const file of ['issues', 'events', 'votes'] as const) {
			const all = await page(file, 'community', w.communityId, as('admin'));
			const paged: Row[] = [];
			let after: unknown = null;
			for (;;) {
				const rows = await page(file, 'community', w.communityId, as('admin'), after, 2);
				paged.push(...rows);
				if (rows.length < 2) break;
				after = rows[rows.length - 1].id;
			}
			expect(paged, file).toEqual(all);
		}
		const options = await page('vote_options', 'community', w.communityId, as('admin'));
		const firstVote = await page('vote_options', 'community', w.communityId, as('admin'), null, 1);
		expect(new Set(firstVote.map((r) => r.vote_id)).size).toBe(1);
		expect(firstVote).toEqual(options.filter((r) => r.vote_id === firstVote[0].vote_id));
	});

	it('writes times in China time with the offset', async () => {
		const [row] = await page('issues', 'estate', w.a.id, as('resident'), null, 1);
		const [{ created_at }] = await q<{ created_at: Date }>('select created_at from public.issues where id = $1', [row.id]);
		expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
		expect(Math.abs(new Date(String(row.created_at)).getTime() - new Date(created_at).getTime())).toBeLessThan(1000);
	});

	it('shows outsiders and anyone signed out nothing of a closed board, and anyone the issues of a public one', async () => {
		for (const caller of [anon, as('otherEstate'), as('nonmember')]) {
			await expect(db.backend.call('open_data_summary', { p_scope: 'estate', p_scope_id: w.a.id }, caller)).rejects.toMatchObject({ code: 'P0002' });
			expect(await page('issues', 'estate', w.a.id, caller)).toEqual([]);
			expect(await page('events', 'community', w.communityId, caller)).toEqual(caller === anon ? [] : await page('events', 'estate', w.b.id, caller));
		}
		await q('update public.estates set board_public = true where id = $1', [w.a.id]);
		try {
			const issues = await page('issues', 'estate', w.a.id, anon);
			expect(issues.length).toBe((await q('select 1 from public.issues where estate_id = $1', [w.a.id])).length);
			expect((await page('events', 'estate', w.a.id, anon)).length).toBeGreaterThan(0);
			// Votes are for signed-in readers only, as on the votes pages.
			expect(await page('votes', 'estate', w.a.id, anon)).toEqual([]);
			const summary = await db.backend.call<{ estates: { id: string }[] }>('open_data_summary', { p_scope: 'community', p_scope_id: w.communityId }, anon);
			expect(summary.estates.map((e) => e.id)).toEqual([w.a.id]);
		} finally {
			await q('update public.estates set board_public = false where id = $1', [w.a.id]);
		}
	});

	it('refuses an unknown scope as bad input', async () => {
		await expect(page('issues', 'planet', w.communityId, as('admin'))).rejects.toMatchObject({ code: '22023' });
		await expect(db.backend.call('open_data_summary', { p_scope: 'planet', p_scope_id: w.communityId }, as('admin'))).rejects.toMatchObject({ code: '22023' });
	});
});
