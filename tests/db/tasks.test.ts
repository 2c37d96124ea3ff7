import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { addMembership, createUser, seedIssues, seedWorld, type IssueWorld, type Person, type World } from './fixtures';

/**
 * Tasks and volunteer teams (20261204130100_create_teams.sql, 20261204130200_create_tasks.sql),
 * called as the app calls them on the world of fixtures.ts, with a party member of A added.
 * After each case the ledger of the community sums to zero in each unit.
 */

type Json = Record<string, unknown>;
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

describe.each(DATABASES)('tasks on %s', (name) => {
	let db: TestDb;
	let w: World;
	let iw: IssueWorld;
	let party: string;
	let approved: string;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		iw = await seedIssues(db, w);
		party = await createUser(db, '党员老李');
		await addMembership(db, { estateId: w.a.id, userId: party, status: 'verified', roles: ['party_member'] });
		const [{ id }] = await q<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
			 values ($1, $2, $3, '南苑中心花园增设休息座椅', '老人走累了没处坐。', 'facilities', 'approved') returning id::text`,
			[w.a.id, w.a.courtyardId, w.users.resident]
		);
		approved = id;
		// Most cases claim in the same month: the cap is tested at its own boundary below.
		await q(`insert into public.work_settings (community_id, monthly_claim_cap) values ($1, 100)`, [w.communityId]);
	});
	afterAll(() => db.close());
	afterEach(async () => {
		const sums = await q<{ unit: string; total: string }>(
			`select unit, sum(amount)::text as total from public.time_entries group by community_id, unit having sum(amount) <> 0`
		);
		expect(sums).toEqual([]);
	});

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const user = (id: string): Caller => ({ kind: 'user', userId: id });
	const call = <T = Json>(fn: string, args: Json, caller: Caller) => db.backend.call<T>(fn, args, caller);
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);

	async function state() {
		return q(
			`select (select count(*) from public.tasks)::int as tasks,
			   (select md5(coalesce(string_agg(id::text || status || taken, ',' order by id), '')) from public.tasks) as task_rows,
			   (select md5(coalesce(string_agg(id::text || status, ',' order by id), '')) from public.task_claims) as claims,
			   (select count(*) from public.time_entries)::int as entries,
			   (select count(*) from public.teams)::int as teams,
			   (select md5(coalesce(string_agg(team_id::text || user_id || role, ',' order by team_id, user_id), '')) from public.team_members) as members,
			   (select count(*) from public.notifications)::int as notifications`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	let serial = 0;
	async function posted(over: Json = {}, by: Person = 'moderator') {
		serial += 1;
		const r = await call<{ id: string }>(
			'post_task',
			{
				p_estate_id: w.a.id,
				p_title: `搬运座椅${serial}`,
				p_needed: '需要两位力气大的志愿者',
				p_starts_at: hoursFromNow(48),
				p_ends_at: hoursFromNow(51),
				p_slots: 2,
				p_est_hours: 2,
				...over
			},
			as(by)
		);
		return r.id;
	}
	const claim = (task: string, caller: Caller) => call<{ claim_id: string; left: number }>('claim_task', { p_task_id: task }, caller);
	/** The task's window moves to have started an hour ago, as the test harness's clock would have it. */
	const started = (task: string) =>
		q(`update public.tasks set starts_at = now() - interval '1 hour', ends_at = now() + interval '2 hours' where id = $1`, [task]);
	const claimStatus = async (id: string) => (await q<{ status: string }>('select status from public.task_claims where id = $1', [id]))[0].status;
	const credited = async (claimId: string) =>
		(await q<{ n: number }>(`select count(*)::int as n from public.time_entries where source_kind = 'task_claim' and source_id = $1`, [claimId]))[0].n;
	async function verifiedResidents(n: number) {
		const ids: string[] = [];
		for (let i = 0; i < n; i += 1) {
			const id = await createUser(db, `居民${serial}_${i}`);
			await addMembership(db, { estateId: w.a.id, userId: id, status: 'verified' });
			ids.push(id);
		}
		return ids;
	}
	async function reported(over: Json = {}, claimer: Caller = as('resident'), hours = 2) {
		const task = await posted(over);
		const c = (await claim(task, claimer)).claim_id;
		await started(task);
		await call('report_done', { p_claim_id: c, p_hours: hours, p_report: '座椅已装好' }, claimer);
		return { task, claim: c };
	}

	describe('posting a task', () => {
		it('a moderator posts one from an approved issue; its timeline says so', async () => {
			const id = await posted({ p_issue_id: approved, p_kind: 'repair', p_area_id: w.a.buildings['1栋'] });
			const d = await call<{ task: Json; may_claim: boolean }>('task_detail', { p_task_id: id }, as('resident'));
			expect(d.task).toMatchObject({ issue_id: approved, issue_title: '南苑中心花园增设休息座椅', kind: 'repair', slots: 2, left: 2, area_name: '1栋' });
			expect(d.may_claim).toBe(true);
			const events = await q<{ kind: string }>(`select kind from public.issue_events where issue_id = $1 and kind = 'task_posted'`, [approved]);
			expect(events).toHaveLength(1);
		});

		it('a free-standing task (敲门行动) has no issue', async () => {
			const id = await posted({ p_kind: 'visit', p_title: '敲门行动：看望独居老人' });
			expect((await q<{ issue_id: string | null }>('select issue_id from public.tasks where id = $1', [id]))[0].issue_id).toBeNull();
		});

		const BAD: Array<[string, Json, Person, Json]> = [
			['by a resident', {}, 'resident', { code: '42501', key: 'errors.forbidden' }],
			["by another estate's committee", {}, 'committeeB', { code: '42501', key: 'errors.forbidden' }],
			['from an issue not approved', { p_issue_id: 'bench' }, 'moderator', { key: 'errors.task_issue_not_approved', field: 'issue_id' }],
			['starting in the past', { p_starts_at: hoursFromNow(-1) }, 'moderator', { key: 'errors.task_start_past', field: 'starts_at' }],
			['ending before it starts', { p_ends_at: hoursFromNow(47) }, 'moderator', { key: 'errors.task_window_invalid', field: 'ends_at' }],
			['with more hours than its window', { p_est_hours: 4 }, 'moderator', { key: 'errors.task_hours_invalid', field: 'est_hours' }],
			['with no slots', { p_slots: 0 }, 'moderator', { key: 'errors.task_slots_invalid', field: 'slots' }],
			['for a team without a team', { p_eligible: 'team' }, 'moderator', { key: 'errors.task_team_required', field: 'team_id' }],
			['of an unknown kind', { p_kind: 'party' }, 'moderator', { key: 'errors.task_kind_invalid', field: 'kind' }],
			['with a blank title', { p_title: '  ' }, 'moderator', { key: 'errors.title_invalid', field: 'title' }],
			["in another estate's area", { p_area_id: 'B' }, 'moderator', { key: 'errors.area_not_in_estate', field: 'area_id' }]
		];
		for (const [what, over, by, error] of BAD) {
			it(`is refused ${what}, and nothing changes`, async () => {
				const args = { ...over };
				if (args.p_issue_id === 'bench') args.p_issue_id = iw.a.bench;
				if (args.p_area_id === 'B') args.p_area_id = w.b.courtyardId;
				await refused(() => posted(args, by), error);
			});
		}
	});

	describe('claiming', () => {
		it('a resident claims a slot; the board shows one slot left and the claim as theirs', async () => {
			const task = await posted();
			expect(await claim(task, as('resident'))).toMatchObject({ left: 1 });
			const board = await call<{ tasks: Array<Json>; my_claims: Array<Json> }>('claim_board', { p_estate_id: w.a.id }, as('resident'));
			expect(board.tasks.find((t) => t.id === task)).toMatchObject({ left: 1, claimed: true, may_claim: false });
			expect(board.my_claims.some((c) => c.task_id === task)).toBe(true);
		});

		it('claiming twice, a full, closed or started task, or from another estate is refused with its message', async () => {
			const task = await posted({ p_slots: 1 });
			await claim(task, as('resident'));
			await refused(() => claim(task, as('resident')), { code: '23505', key: 'errors.task_claimed_already' });
			await refused(() => claim(task, as('volunteer')), { code: '22023', key: 'errors.task_full' });
			await refused(() => claim(task, as('otherEstate')), { code: 'P0002', key: 'errors.task_not_found' });
			const closed = await posted();
			await call('close_task', { p_task_id: closed }, as('moderator'));
			await refused(() => claim(closed, as('resident')), { key: 'errors.task_closed' });
			const begun = await posted();
			await started(begun);
			await refused(() => claim(begun, as('resident')), { key: 'errors.task_closed' });
		});

		it('a party-members-only task refuses a resident and takes the party member', async () => {
			const task = await posted({ p_eligible: 'party' });
			await refused(() => claim(task, as('resident')), { code: '42501', key: 'errors.task_party_only' });
			await claim(task, user(party));
		});

		it("a team task takes the team's volunteers only", async () => {
			const team = (await call<{ id: string }>('create_team', { p_estate_id: w.a.id, p_name: `分队${serial}`, p_leader_id: w.users.volunteer }, as('committee'))).id;
			const task = await posted({ p_eligible: 'team', p_team_id: team });
			await refused(() => claim(task, as('resident')), { code: '42501', key: 'errors.task_team_only' });
			await claim(task, as('volunteer'));
			await call('join_team', { p_team_id: team }, as('resident'));
			await refused(() => claim(task, as('resident')), { code: '42501', key: 'errors.task_team_only' });
			await call('decide_team_request', { p_team_id: team, p_user_id: w.users.resident, p_approve: true }, as('volunteer'));
			await claim(task, as('resident'));
		});

		it('the last slot claimed by 20 at once: exactly one wins, the others are told it is full', async () => {
			const people = await verifiedResidents(20);
			const task = await posted({ p_slots: 3 });
			await claim(task, as('resident'));
			await claim(task, as('volunteer'));
			const results = await Promise.allSettled(people.map((p) => claim(task, user(p))));
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const reasons = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { key: string }).key);
			expect(new Set(reasons)).toEqual(new Set(['errors.task_full']));
			expect(await q('select taken, slots from public.tasks where id = $1', [task])).toEqual([{ taken: 3, slots: 3 }]);
			expect(await q(`select count(*)::int as n from public.task_claims where task_id = $1 and status <> 'released'`, [task])).toEqual([{ n: 3 }]);
		});

		it("the community's monthly cap holds at its boundary, and a released claim frees a place under it", async () => {
			const [person] = await verifiedResidents(1);
			await call('save_work_settings', { p_estate_id: w.a.id, p_settings: { monthly_claim_cap: 2 } }, as('committee'));
			try {
				const month = { p_starts_at: hoursFromNow(24 * 40), p_ends_at: hoursFromNow(24 * 40 + 3) };
				const [t1, t2, t3] = [await posted(month), await posted(month), await posted(month)];
				const c1 = (await claim(t1, user(person))).claim_id;
				await claim(t2, user(person));
				await refused(() => claim(t3, user(person)), { code: '22023', key: 'errors.task_monthly_cap' });
				await call('release_claim', { p_claim_id: c1 }, user(person));
				await claim(t3, user(person));
			} finally {
				await call('save_work_settings', { p_estate_id: w.a.id, p_settings: { monthly_claim_cap: 100 } }, as('committee'));
			}
		});

		it('a moderator assigns a member who asked in person; the member is told; a resident cannot assign', async () => {
			const task = await posted();
			await refused(() => call('assign_task', { p_task_id: task, p_user_id: w.users.volunteer }, as('resident')), { code: '42501', key: 'errors.forbidden' });
			await refused(() => call('assign_task', { p_task_id: task, p_user_id: w.users.otherEstate }, as('moderator')), { key: 'errors.member_not_found' });
			const r = await call<{ claim_id: string }>('assign_task', { p_task_id: task, p_user_id: w.users.volunteer }, as('moderator'));
			expect(await q('select assigned_by::text from public.task_claims where id = $1', [r.claim_id])).toEqual([{ assigned_by: w.users.moderator }]);
			expect(await q(`select payload ->> 'task_id' as task from public.notifications where user_id = $1 and kind = 'task_assigned'`, [w.users.volunteer])).toContainEqual({ task });
		});
	});

	describe('releasing', () => {
		it('the claimer releases until the cut-off; the slot is free again; after it, no', async () => {
			const task = await posted({ p_slots: 1 });
			const c = (await claim(task, as('resident'))).claim_id;
			await refused(() => call('release_claim', { p_claim_id: c }, as('volunteer')), { code: 'P0002', key: 'errors.claim_not_found' });
			await call('release_claim', { p_claim_id: c }, as('resident'));
			expect(await claimStatus(c)).toBe('released');
			const again = (await claim(task, as('volunteer'))).claim_id;
			await q(`update public.tasks set starts_at = now() + interval '1 hour', ends_at = now() + interval '4 hours' where id = $1`, [task]);
			await refused(() => call('release_claim', { p_claim_id: again }, as('volunteer')), { key: 'errors.claim_past_cutoff' });
		});

		it('the sweep releases a claim not started by its time, with a notice, and the slot comes back', async () => {
			const task = await posted({ p_checkin: true, p_slots: 1 });
			const c = (await claim(task, as('resident'))).claim_id;
			await q(`update public.tasks set starts_at = now() - interval '40 minutes', ends_at = now() + interval '2 hours' where id = $1`, [task]);
			expect(await q<{ n: number }>('select public.release_no_shows() as n')).toEqual([{ n: 1 }]);
			expect(await q('select status, release_reason from public.task_claims where id = $1', [c])).toEqual([{ status: 'released', release_reason: 'no_show' }]);
			expect(await q('select taken from public.tasks where id = $1', [task])).toEqual([{ taken: 0 }]);
			expect(await q(`select count(*)::int as n from public.notifications where user_id = $1 and kind = 'claim_released' and payload ->> 'task_id' = $2`, [w.users.resident, task])).toEqual([{ n: 1 }]);
		});
	});

	describe('done, confirmed, credited', () => {
		it('checking in needs the code of the QR code at the place', async () => {
			const task = await posted({ p_checkin: true });
			const c = (await claim(task, as('resident'))).claim_id;
			await started(task);
			const [{ checkin_code }] = await q<{ checkin_code: string }>('select checkin_code from public.tasks where id = $1', [task]);
			await refused(() => call('start_work', { p_claim_id: c, p_code: '0000000000000000' }, as('resident')), { key: 'errors.checkin_code_wrong', field: 'code' });
			await refused(() => call('report_done', { p_claim_id: c, p_hours: 1 }, as('resident')), { key: 'errors.claim_not_reportable' });
			await call('start_work', { p_claim_id: c, p_code: checkin_code.toUpperCase() }, as('resident'));
			expect(await claimStatus(c)).toBe('started');
			const d = await call<{ checkin_code: string | null }>('task_detail', { p_task_id: task }, as('moderator'));
			expect(d.checkin_code).toBe(checkin_code);
			expect((await call<{ checkin_code: string | null }>('task_detail', { p_task_id: task }, as('resident'))).checkin_code).toBeNull();
		});

		it('reporting before the start, or zero, negative or more hours than the window, is refused', async () => {
			const task = await posted();
			const c = (await claim(task, as('resident'))).claim_id;
			await refused(() => call('report_done', { p_claim_id: c, p_hours: 1 }, as('resident')), { key: 'errors.claim_not_reportable' });
			await started(task);
			for (const hours of [0, -1, 3.5, 1.25]) {
				await refused(() => call('report_done', { p_claim_id: c, p_hours: hours }, as('resident')), { key: 'errors.hours_invalid', field: 'hours' });
			}
			await refused(() => call('report_done', { p_claim_id: c, p_hours: 1, p_photo_path: '../etc/passwd' }, as('resident')), { key: 'errors.photo_invalid' });
			await call('report_done', { p_claim_id: c, p_hours: 3, p_report: '完成' }, as('resident'));
			expect(await claimStatus(c)).toBe('reported');
		});

		it('no credit without confirmation; the claimer cannot confirm their own work, nor a resident another’s', async () => {
			const { claim: c } = await reported();
			expect(await credited(c)).toBe(0);
			await refused(() => call('confirm_work', { p_claim_id: c }, as('resident')), { code: '42501', key: 'errors.confirm_own_work' });
			await refused(() => call('confirm_work', { p_claim_id: c }, as('volunteer')), { code: '42501', key: 'errors.forbidden' });
			await refused(() => call('confirm_work', { p_claim_id: c }, as('committeeB')), { code: 'P0002', key: 'errors.claim_not_found' });
			expect(await credited(c)).toBe(0);
		});

		it("the task's owner confirms: the hours are credited, and show on the claimer's statement", async () => {
			const before = await call<{ hours: number }>('time_statement', { p_estate_id: w.a.id }, user(party));
			const { claim: c } = await reported({ p_kind: 'repair' }, user(party), 2);
			const r = await call<Json>('confirm_work', { p_claim_id: c }, as('moderator'));
			expect(r).toMatchObject({ status: 'confirmed', hours_credited: 2, coins_credited: 2 });
			const after = await call<{ hours: number; entries: Array<Json> }>('time_statement', { p_estate_id: w.a.id }, user(party));
			expect(after.hours - before.hours).toBe(2);
			expect(after.entries[0]).toMatchObject({ category: 'earned', source_id: c, task_title: expect.stringContaining('搬运座椅') });
			expect(await q(`select count(*)::int as n from public.notifications where user_id = $1 and kind = 'work_confirmed'`, [party])).toEqual([{ n: 1 }]);
		});

		it('20 confirmations at once credit once', async () => {
			const { claim: c } = await reported();
			const results = await Promise.allSettled(Array.from({ length: 20 }, () => call('confirm_work', { p_claim_id: c }, as('moderator'))));
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const reasons = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { key: string }).key);
			expect(new Set(reasons)).toEqual(new Set(['errors.already_credited']));
			// Hours and 时间币, two rows each.
			expect(await credited(c)).toBe(4);
		});

		it("a disputed report goes to the team's leader, who decides", async () => {
			const team = (await call<{ id: string }>('create_team', { p_estate_id: w.a.id, p_name: `争议分队${serial}`, p_leader_id: w.users.volunteer }, as('committee'))).id;
			await call('join_team', { p_team_id: team }, as('resident'));
			await call('decide_team_request', { p_team_id: team, p_user_id: w.users.resident, p_approve: true }, as('volunteer'));
			const { claim: c } = await reported({ p_eligible: 'team', p_team_id: team });
			await refused(() => call('confirm_work', { p_claim_id: c, p_accept: false }, as('moderator')), { key: 'errors.reason_required', field: 'reason' });
			await call('confirm_work', { p_claim_id: c, p_accept: false, p_reason: '照片看不出装好了' }, as('moderator'));
			expect(await claimStatus(c)).toBe('disputed');
			expect(await q(`select count(*)::int as n from public.notifications where user_id = $1 and kind = 'work_disputed'`, [w.users.volunteer])).toEqual([{ n: 1 }]);
			// The poster has decided once; the leader decides now.
			await refused(() => call('confirm_work', { p_claim_id: c }, as('moderator')), { code: '42501', key: 'errors.forbidden' });
			const board = await call<{ to_confirm: Array<Json> }>('claim_board', { p_estate_id: w.a.id }, as('volunteer'));
			expect(board.to_confirm.map((x) => x.id)).toContain(c);
			await call('confirm_work', { p_claim_id: c }, as('volunteer'));
			expect(await claimStatus(c)).toBe('confirmed');
			expect(await credited(c)).toBe(4);
		});
	});

	describe('teams', () => {
		it('the committee creates a team; members join with the name they choose, skills and availability; the page shows them, open tasks and hours', async () => {
			await refused(() => call('create_team', { p_estate_id: w.a.id, p_name: '外人分队' }, as('resident')), { code: '42501', key: 'errors.forbidden' });
			const team = (await call<{ id: string }>('create_team', { p_estate_id: w.a.id, p_name: '晋邻', p_about: '晋源水岸花苑志愿分队', p_leader_id: w.users.volunteer }, as('committee'))).id;
			await refused(() => call('create_team', { p_estate_id: w.a.id, p_name: '晋邻' }, as('committee')), { code: '23505', key: 'errors.team_exists' });
			await call('join_team', { p_team_id: team, p_shown_name: '热心小张', p_skills: ['修理', ' 陪诊 ', ''], p_availability: '周末上午' }, as('resident'));
			await call('decide_team_request', { p_team_id: team, p_user_id: w.users.resident, p_approve: true }, as('volunteer'));
			await refused(() => call('join_team', { p_team_id: team }, as('otherEstate')), { code: 'P0002', key: 'errors.team_not_found' });
			await refused(() => call('join_team', { p_team_id: team, p_skills: Array.from({ length: 11 }, (_, i) => `技能${i}`) }, as('moderator')), { key: 'errors.skills_invalid' });
			const task = await posted({ p_eligible: 'team', p_team_id: team });
			const page = await call<{ members: Array<Json>; open_tasks: Array<Json>; hours: number; mine: Json }>('team_page', { p_team_id: team }, as('moderator'));
			expect(page.members).toEqual([
				expect.objectContaining({ name: 'volunteer', role: 'leader' }),
				expect.objectContaining({ name: '热心小张', role: 'member', skills: expect.arrayContaining(['修理', '陪诊']), availability: '周末上午' })
			]);
			expect(page.open_tasks.map((t) => t.id)).toEqual([task]);
			expect(page.mine).toBeNull();
			expect(page.hours).toBe(0);
			await refused(() => call('team_page', { p_team_id: team }, as('otherEstate')), { code: 'P0002' });
		});

		it('a member leaves; the last leader cannot while others remain', async () => {
			const team = (await call<{ id: string }>('create_team', { p_estate_id: w.a.id, p_name: `离队测试${serial}`, p_leader_id: w.users.volunteer }, as('committee'))).id;
			await call('join_team', { p_team_id: team }, as('resident'));
			await call('decide_team_request', { p_team_id: team, p_user_id: w.users.resident, p_approve: true }, as('volunteer'));
			await refused(() => call('leave_team', { p_team_id: team }, as('volunteer')), { key: 'errors.team_last_leader' });
			await call('leave_team', { p_team_id: team }, as('resident'));
			await call('leave_team', { p_team_id: team }, as('volunteer'));
			expect(await q('select count(*)::int as n from public.team_members where team_id = $1', [team])).toEqual([{ n: 0 }]);
		});
	});

	describe('the claim board', () => {
		it("lists open tasks with slots left, the resident's building first, filterable by kind and place; outsiders see none", async () => {
			const far = await posted({ p_kind: 'cleaning', p_starts_at: hoursFromNow(30), p_ends_at: hoursFromNow(31), p_est_hours: 1 });
			const near = await posted({ p_kind: 'cleaning', p_area_id: w.a.buildings['1栋'], p_starts_at: hoursFromNow(60), p_ends_at: hoursFromNow(61), p_est_hours: 1 });
			const board = await call<{ tasks: Array<Json>; building_id: string }>('claim_board', { p_estate_id: w.a.id, p_kind: 'cleaning' }, as('resident'));
			expect(board.building_id).toBe(w.a.buildings['1栋']);
			const ids = board.tasks.map((t) => t.id);
			expect(ids.indexOf(near)).toBeLessThan(ids.indexOf(far));
			expect(board.tasks.find((t) => t.id === near)).toMatchObject({ near: 'building', left: 2, may_claim: true });
			expect(board.tasks.every((t) => t.kind === 'cleaning')).toBe(true);
			const inBuilding = await call<{ tasks: Array<Json> }>('claim_board', { p_estate_id: w.a.id, p_area_id: w.a.buildings['1栋'] }, as('resident'));
			expect(inBuilding.tasks.map((t) => t.id)).toContain(near);
			expect(inBuilding.tasks.map((t) => t.id)).not.toContain(far);
			await expect(call('claim_board', { p_estate_id: w.a.id }, as('otherEstate'))).rejects.toMatchObject({ code: 'P0002' });
			await expect(call('claim_board', { p_estate_id: w.a.id }, { kind: 'anon' })).rejects.toBeTruthy();
		});
	});
});
