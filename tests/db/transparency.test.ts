import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON, type Caller } from '../../src/lib/server/backend/types';
import type { Sql } from '../../src/lib/server/backend/sql';
import type { CommitteeDashboard, CommunityTransparency, EstateTransparency, StreetRollup } from '../../src/lib/domain/transparency';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { createUser, seedEstate, seedIssues, seedWorld, type EstateWorld, type IssueWorld, type Person, type World } from './fixtures';

/**
 * Streets, the roll-ups the database keeps, and the transparency functions
 * (20261204120000–20261204120200), on the world of fixtures.ts with a street
 * 亭林 above its community, a second street with a community and estate C of
 * its own, and a street administrator of 亭林.
 */

const ROLLBACK = Symbol('rollback');
const ISSUE_STATUSES = ['proposed', 'accepted', 'declined', 'deliberating', 'voting', 'approved', 'rejected', 'in_progress', 'completed', 'evaluated', 'following_up'];
/** Columns that name or point at a person, in any table: none may appear in a public read. */
const PERSONAL_KEYS = ['author_id', 'actor_id', 'created_by', 'objector_id', 'answered_by', 'decided_by', 'user_id', 'granted_by', 'cast_by', 'display_name', 'resident_name', 'resident_contact', 'receipts'];

describe.each(DATABASES)('transparency on %s', (name) => {
	let db: TestDb;
	let w: World;
	let iw: IssueWorld;
	let c: EstateWorld;
	let street: string;
	let otherStreet: string;
	let otherCommunity: string;
	let streetAdmin: string;
	let otherStreetAdmin: string;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		iw = await seedIssues(db, w);
		[{ id: street }] = await q<{ id: string }>(`insert into public.streets (name, district) values ('亭林', '昆山市') returning id::text`);
		[{ id: otherStreet }] = await q<{ id: string }>(`insert into public.streets (name, district) values ('周庄', '昆山市') returning id::text`);
		await q('update public.communities set street_id = $1 where id = $2', [street, w.communityId]);
		[{ id: otherCommunity }] = await q<{ id: string }>(
			`insert into public.communities (name, district, street_id) values ('富贵社区', '昆山市', $1) returning id::text`,
			[otherStreet]
		);
		c = await seedEstate(db, otherCommunity, { name: '富贵花园', lng: 120.9, lat: 31.1, courtyard: '中苑', units: [['1栋', '1', '101', 80]], owners: [] });
		streetAdmin = await createUser(db, '亭林社工');
		otherStreetAdmin = await createUser(db, '周庄社工');
		await call('grant_street_admin', { p_street_id: street, p_user_id: streetAdmin }, as('admin'));
		await call('grant_street_admin', { p_street_id: otherStreet, p_user_id: otherStreetAdmin }, as('admin'));
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const user = (id: string): Caller => ({ kind: 'user', userId: id });
	const call = <T = unknown>(fn: string, args: Record<string, unknown>, caller: Caller) => db.backend.call<T>(fn, args, caller);
	function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []) {
		return db.sql.query<T>(sql, params);
	}

	/** Moves an issue as the lifecycle functions do: its status and a transition in its timeline, `daysAgo` days back. */
	async function move(sql: Sql, issueId: string, to: string, daysAgo = 0) {
		const [{ status }] = await sql.query<{ status: string }>('select status from public.issues where id = $1', [issueId]);
		await sql.query('update public.issues set status = $2 where id = $1', [issueId, to]);
		await sql.query(
			`insert into public.issue_events (issue_id, kind, action, from_status, to_status, created_at)
			 values ($1, 'transition', 'test', $2, $3, now() - make_interval(days => $4::int))`,
			[issueId, status, to, daysAgo]
		);
	}
	async function newIssue(sql: Sql, estate: EstateWorld, title: string, daysAgo = 0) {
		const [{ id }] = await sql.query<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, category) values ($1, $2, $3, $4, 'other') returning id::text`,
			[estate.id, estate.courtyardId, w.users.resident, title]
		);
		await sql.query(`update public.issue_events set created_at = now() - make_interval(days => $2::int) where issue_id = $1`, [id, daysAgo]);
		return id;
	}
	/** Everything the roll-ups hold, zero rows left out. */
	async function rollups(sql: Sql) {
		return {
			stages: await sql.query(`select estate_id::text, stage, days, n from public.estate_stage_days where n > 0 order by 1, 2, 3`),
			daily: await sql.query(`select estate_id::text, day::text, proposed, completed from public.estate_daily_stats where proposed > 0 or completed > 0 order by 1, 2`),
			counts: await sql.query(`select estate_id::text, status, n from public.issue_status_counts where n > 0 order by 1, 2`),
			times: await sql.query(`select issue_id::text, estate_id::text, proposed_at::text, accepted_at::text, decided_at::text, completed_at::text, last_event_at::text from public.issue_stage_times order by 1`)
		};
	}
	async function rolledBack<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
		let result: T | undefined;
		try {
			await db.sql.transaction(async (tx) => {
				result = await fn(tx);
				throw ROLLBACK;
			});
		} catch (e) {
			if (e !== ROLLBACK) throw e;
		}
		return result as T;
	}

	it('keeps the roll-ups equal to a recount from scratch, whatever happens to the issues and their timelines', async () => {
		type Step =
			| { op: 'move'; issue: number; to: string; daysAgo: number }
			| { op: 'new'; estate: 'a' | 'b' | 'c'; daysAgo: number }
			| { op: 'backdate'; issue: number; days: number }
			| { op: 'drop'; issue: number }
			| { op: 'note'; issue: number; daysAgo: number };
		const step: fc.Arbitrary<Step> = fc.oneof(
			fc.record({ op: fc.constant('move' as const), issue: fc.nat(20), to: fc.constantFrom(...ISSUE_STATUSES), daysAgo: fc.integer({ min: 0, max: 60 }) }),
			fc.record({ op: fc.constant('new' as const), estate: fc.constantFrom('a' as const, 'b' as const, 'c' as const), daysAgo: fc.integer({ min: 0, max: 90 }) }),
			fc.record({ op: fc.constant('backdate' as const), issue: fc.nat(20), days: fc.integer({ min: 1, max: 40 }) }),
			fc.record({ op: fc.constant('drop' as const), issue: fc.nat(20) }),
			fc.record({ op: fc.constant('note' as const), issue: fc.nat(20), daysAgo: fc.integer({ min: 0, max: 60 }) })
		);
		await fc.assert(
			fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
				const [incremental, recounted] = await rolledBack(async (tx) => {
					const issues = [iw.a.bench, iw.a.hotline, iw.b.visit];
					let serial = 0;
					for (const s of steps) {
						const id = s.op === 'new' ? null : issues[s.issue % issues.length];
						if (s.op === 'new') issues.push(await newIssue(tx, s.estate === 'a' ? w.a : s.estate === 'b' ? w.b : c, `随机议题${(serial += 1)}`, s.daysAgo));
						else if (!id) continue;
						else if (s.op === 'move') await move(tx, id, s.to, s.daysAgo);
						else if (s.op === 'note')
							await tx.query(`insert into public.issue_events (issue_id, kind, created_at) values ($1, 'threshold_reached', now() - make_interval(days => $2::int))`, [id, s.daysAgo]);
						else if (s.op === 'backdate') await tx.query(`update public.issue_events set created_at = created_at - make_interval(days => $2::int) where issue_id = $1`, [id, s.days]);
						else {
							await tx.query('delete from public.issues where id = $1', [id]);
							issues.splice(issues.indexOf(id), 1);
						}
					}
					const before = await rollups(tx);
					await tx.query('select private.recount_transparency(null)');
					return [before, await rollups(tx)];
				});
				expect(incremental).toEqual(recounted);
			}),
			{ numRuns: 25, seed: 20261204 }
		);
	});

	it('gives exact medians of whole days per stage, the lower middle one for an even count', async () => {
		await rolledBack(async (tx) => {
			const takes = [1, 3, 10];
			for (const [i, days] of takes.entries()) {
				const id = await newIssue(tx, c, `中位数${i}`, 40);
				await move(tx, id, 'accepted', 40 - days);
			}
			const figures = async () => (await tx.query<{ f: { stages: Record<string, { median: number | null; n: number }> } }>('select public.transparency_figures($1::uuid[]) as f', [[c.id]]))[0].f;
			expect((await figures()).stages.accept).toEqual({ median: 3, n: 3 });
			const late = await newIssue(tx, c, '中位数3', 40);
			await move(tx, late, 'accepted', 20);
			expect((await figures()).stages.accept).toEqual({ median: 3, n: 4 });
			// Decided 5 days after acceptance, completed 2 days after the decision.
			await move(tx, late, 'approved', 15);
			await move(tx, late, 'in_progress', 14);
			await move(tx, late, 'completed', 13);
			const f = await figures();
			expect(f.stages.decide).toEqual({ median: 5, n: 1 });
			expect(f.stages.complete).toEqual({ median: 2, n: 1 });
			// An arrival at a stage that is not the first does not count again.
			await move(tx, late, 'in_progress', 1);
			await move(tx, late, 'completed', 0);
			expect((await figures()).stages.complete).toEqual({ median: 2, n: 1 });
		});
	});

	it('refuses a closed board to anyone signed out and to outsiders, and says when there is no such estate', async () => {
		await expect(call('estate_transparency', { p_estate_id: w.a.id }, ANON)).rejects.toMatchObject({ code: '42501', message: 'errors.sign_in_to_see' });
		await expect(call('estate_transparency', { p_estate_id: w.a.id }, as('otherEstate'))).rejects.toMatchObject({ code: '42501', message: 'errors.forbidden' });
		await expect(call('estate_transparency', { p_estate_id: '00000000-0000-4000-8000-00000000dead' }, ANON)).rejects.toMatchObject({ code: 'P0002' });
	});

	it('answers anon on a public board with figures, decisions, work in progress and completed work, and no personal data', async () => {
		const setup = async () => {
			await q('update public.estates set board_public = true where id = $1', [w.a.id]);
		};
		await setup();
		try {
			const bench = await newIssue(db.sql, w.a, '健身器材维修', 10);
			await move(db.sql, bench, 'accepted', 8);
			await move(db.sql, bench, 'approved', 6);
			await move(db.sql, bench, 'in_progress', 4);
			const done = await newIssue(db.sql, w.a, '车棚照明', 20);
			await move(db.sql, done, 'accepted', 18);
			await move(db.sql, done, 'approved', 15);
			await move(db.sql, done, 'in_progress', 10);
			await move(db.sql, done, 'completed', 2);
			const follow = await newIssue(db.sql, w.a, '垃圾分类', 30);
			await move(db.sql, follow, 'accepted', 29);
			await move(db.sql, follow, 'following_up', 28);
			const r = await call<EstateTransparency>('estate_transparency', { p_estate_id: w.a.id }, ANON);
			expect(r.estate).toMatchObject({ id: w.a.id, board_public: true, community: { id: w.communityId }, street: { id: street, name: '亭林' } });
			expect(r.lists_visible).toBe(true);
			expect(r.figures.by_status).toMatchObject({ in_progress: 1, completed: 1, following_up: 1 });
			expect(r.figures.done).toBe(1);
			expect(r.figures.stages.accept.n).toBe(3);
			expect(r.figures.overdue).toBeNull();
			expect(r.figures.satisfaction).toBeNull();
			expect(r.in_progress.map((i) => i.title)).toEqual(['健身器材维修']);
			expect(r.in_progress[0]).toMatchObject({ progress: null, next_milestone: null });
			expect(r.completed.map((i) => i.title)).toEqual(['车棚照明']);
			expect(r.completed[0]).toMatchObject({ before_after: null, satisfaction: null });
			expect(r.following_up.map((i) => i.title)).toEqual(['垃圾分类']);
			expect(r.decisions.map((i) => i.title).sort()).toEqual(['健身器材维修', '车棚照明']);
			expect(r.decisions.every((d) => d.vote === null)).toBe(true);
			await expectNoPersonalData(r);
			// A resident of A sees the same lists.
			const mine = await call<EstateTransparency>('estate_transparency', { p_estate_id: w.a.id }, as('resident'));
			expect(mine.completed.map((i) => i.title)).toEqual(['车棚照明']);
			await expectNoPersonalData(mine);
			const community = await call<CommunityTransparency>('community_transparency', { p_community_id: w.communityId }, ANON);
			expect(community.estates.map((e) => e.id)).toEqual([w.a.id]);
			expect(community.hidden_estates).toBe(1);
			expect(community.figures.by_status).toEqual(r.figures.by_status);
			await expectNoPersonalData(community);
		} finally {
			await q('update public.estates set board_public = false where id = $1', [w.a.id]);
		}
	});

	async function expectNoPersonalData(result: unknown) {
		const text = JSON.stringify(result);
		const people = await q<{ id: string; display_name: string }>('select id::text, display_name from public.profiles');
		for (const p of people) {
			expect(text).not.toContain(p.id);
			expect(text).not.toContain(`"${p.display_name}"`);
		}
		for (const key of PERSONAL_KEYS) expect(text).not.toContain(`"${key}"`);
		for (const n of ['张奶奶', '王阿姨', '张三', '李四']) expect(text).not.toContain(n);
	}

	it('lets a street administrator see the figures of every estate of the street, closed boards too, and the lists only where they may read them', async () => {
		const r = await call<EstateTransparency>('estate_transparency', { p_estate_id: w.b.id }, user(streetAdmin));
		expect(r.lists_visible).toBe(false);
		expect(r.figures.issues).toBe(1);
		expect([r.decisions, r.in_progress, r.completed, r.following_up]).toEqual([[], [], [], []]);
		await expect(call('estate_transparency', { p_estate_id: c.id }, user(streetAdmin))).rejects.toMatchObject({ code: '42501' });
		const community = await call<CommunityTransparency>('community_transparency', { p_community_id: w.communityId }, user(streetAdmin));
		expect(community.estates.map((e) => e.name).sort()).toEqual([w.a.name, w.b.name].sort());
		expect(community.hidden_estates).toBe(0);
	});

	it('rolls a street up per community and in all, for its administrators and platform administrators only', async () => {
		const r = await call<StreetRollup>('street_rollup', { p_street_id: street }, user(streetAdmin));
		expect(r.street).toMatchObject({ id: street, name: '亭林' });
		expect(r.communities.map((x) => [x.id, x.estates])).toEqual([[w.communityId, 2]]);
		const [{ n }] = await q<{ n: number }>(
			'select count(*)::int as n from public.issues i join public.estates e on e.id = i.estate_id where e.community_id = $1',
			[w.communityId]
		);
		expect(r.figures.issues).toBe(n);
		expect(r.communities[0].figures).toEqual(r.figures);
		await expectNoPersonalData(r);
		const admin = await call<StreetRollup>('street_rollup', { p_street_id: street }, as('admin'));
		expect(admin.figures).toEqual(r.figures);
		for (const caller of [user(otherStreetAdmin), as('committee'), as('resident'), as('nonmember')]) {
			await expect(call('street_rollup', { p_street_id: street }, caller)).rejects.toMatchObject({ code: '42501', message: 'errors.forbidden' });
		}
		await expect(call('street_rollup', { p_street_id: street }, ANON)).rejects.toMatchObject({ code: '42501' });
		await expect(call('street_rollup', { p_street_id: '00000000-0000-4000-8000-00000000dead' }, user(streetAdmin))).rejects.toMatchObject({
			code: 'P0002',
			message: 'errors.street_not_found'
		});
		const other = await call<StreetRollup>('street_rollup', { p_street_id: otherStreet }, user(otherStreetAdmin));
		expect(other.communities.map((x) => x.id)).toEqual([otherCommunity]);
	});

	it('lets only platform administrators grant and take away the street administrator role', async () => {
		const someone = await createUser(db, '想当社工');
		for (const p of ['committee', 'resident'] as const) {
			await expect(call('grant_street_admin', { p_street_id: street, p_user_id: someone }, as(p))).rejects.toMatchObject({ code: '42501' });
		}
		await expect(call('grant_street_admin', { p_street_id: street, p_user_id: someone }, user(streetAdmin))).rejects.toMatchObject({ code: '42501' });
		await expect(call('grant_street_admin', { p_street_id: '00000000-0000-4000-8000-00000000dead', p_user_id: someone }, as('admin'))).rejects.toMatchObject({
			code: 'P0002'
		});
		expect(await q('select 1 from public.street_admins where user_id = $1', [someone])).toEqual([]);
		await call('grant_street_admin', { p_street_id: street, p_user_id: someone }, as('admin'));
		await call('grant_street_admin', { p_street_id: street, p_user_id: someone }, as('admin'));
		expect(await q('select granted_by::text from public.street_admins where user_id = $1', [someone])).toEqual([{ granted_by: w.users.admin }]);
		await expect(call('revoke_street_admin', { p_street_id: street, p_user_id: someone }, user(streetAdmin))).rejects.toMatchObject({ code: '42501' });
		expect(await call('revoke_street_admin', { p_street_id: street, p_user_id: someone }, as('admin'))).toBe(true);
		expect(await call('revoke_street_admin', { p_street_id: street, p_user_id: someone }, as('admin'))).toBe(false);
		await expect(call('street_rollup', { p_street_id: street }, user(someone))).rejects.toMatchObject({ code: '42501' });
	});

	it('gives the committee its dashboard: stale items, items per area and the stage medians', async () => {
		const stale = await newIssue(db.sql, w.a, '楼顶漏水', 50);
		await move(db.sql, stale, 'accepted', 45);
		const fresh = await newIssue(db.sql, w.a, '路灯不亮', 5);
		const d = await call<CommitteeDashboard>('committee_dashboard', { p_estate_id: w.a.id }, as('committee'));
		expect(d.stale.map((s) => s.id)).toContain(stale);
		expect(d.stale.map((s) => s.id)).not.toContain(fresh);
		expect(d.stale.find((s) => s.id === stale)).toMatchObject({ title: '楼顶漏水', status: 'accepted', area: '东院' });
		const [{ n }] = await q<{ n: number }>('select count(*)::int as n from public.issues where estate_id = $1 and area_id = $2', [w.a.id, w.a.courtyardId]);
		expect(d.per_area.find((a) => a.id === w.a.courtyardId)?.total).toBe(n);
		expect(d).toMatchObject({ overdue: null, satisfaction: null, stale_days: 30 });
		expect(d.stale_count).toBe(d.stale.length);
		await expectNoPersonalData(d);
		expect((await call<CommitteeDashboard>('committee_dashboard', { p_estate_id: w.a.id }, as('moderator'))).estate.id).toBe(w.a.id);
		for (const p of ['resident', 'committeeB', 'otherEstate'] as const) {
			await expect(call('committee_dashboard', { p_estate_id: w.a.id }, as(p))).rejects.toMatchObject({ code: '42501', message: 'errors.forbidden' });
		}
		await expect(call('committee_dashboard', { p_estate_id: w.a.id }, user(streetAdmin))).rejects.toMatchObject({ code: '42501' });
	});
});
