import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedWorld, type Person, type World } from './fixtures';

/**
 * Residents ask to join a volunteer team and its leaders approve (20261205140200_ask_to_join_teams.sql):
 * the request holds the name, skills and availability; a leader or the committee decides, once.
 */

type Json = Record<string, unknown>;
interface TeamPage {
	members: Array<Json & { user_id: string; role: string; name: string }>;
	mine: Json | null;
	my_request: Json | null;
	may_decide: boolean;
	requests: Array<Json & { user_id: string; name: string }>;
}

describe.each(DATABASES)('asking to join a team on %s', (name) => {
	let db: TestDb;
	let w: World;
	let serial = 0;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const call = <T = Json>(fn: string, args: Json, p: Person) => db.backend.call<T>(fn, args, as(p));
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);
	const page = (team: string, p: Person) => call<TeamPage>('team_page', { p_team_id: team }, p);
	const decide = (team: string, who: Person, approve: boolean, by: Person) =>
		call('decide_team_request', { p_team_id: team, p_user_id: w.users[who], p_approve: approve }, by);
	async function team() {
		serial += 1;
		return (await call<{ id: string }>('create_team', { p_estate_id: w.a.id, p_name: `晋邻${serial}`, p_leader_id: w.users.volunteer }, 'committee')).id;
	}
	async function state() {
		return q(
			`select (select md5(coalesce(string_agg(team_id::text || user_id || role, ',' order by team_id, user_id), '')) from public.team_members) as members,
			        (select md5(coalesce(string_agg(team_id::text || user_id || coalesce(shown_name, ''), ',' order by team_id, user_id), '')) from public.team_requests) as requests`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	it('a resident asks with a name, skills and availability; the leader hears of it and approves; then a member', async () => {
		const t = await team();
		expect(await call('join_team', { p_team_id: t, p_shown_name: '热心小张', p_skills: ['修理'], p_availability: '周末' }, 'resident')).toEqual({
			team_id: t,
			role: null,
			asked: true
		});
		const mine = await page(t, 'resident');
		expect(mine).toMatchObject({ mine: null, may_decide: false, requests: [] });
		expect(mine.my_request).not.toBeNull();
		expect(mine.members.map((m) => m.user_id)).not.toContain(w.users.resident);
		const leader = await page(t, 'volunteer');
		expect(leader.may_decide).toBe(true);
		expect(leader.requests).toMatchObject([{ user_id: w.users.resident, name: '热心小张', skills: ['修理'], availability: '周末' }]);
		expect(await q(`select count(*)::int as n from public.notifications where user_id = $1 and kind = 'team_request' and payload ->> 'team_id' = $2`, [w.users.volunteer, t])).toEqual([{ n: 1 }]);
		await decide(t, 'resident', true, 'volunteer');
		const after = await page(t, 'resident');
		expect(after.mine).toMatchObject({ role: 'member', shown_name: '热心小张', availability: '周末' });
		expect(after.my_request).toBeNull();
		expect(await q(`select payload ->> 'approved' as approved from public.notifications where user_id = $1 and kind = 'team_request_decided' and payload ->> 'team_id' = $2`, [w.users.resident, t])).toEqual([{ approved: 'true' }]);
		// A member updates their own name as before, without asking again.
		expect(await call('join_team', { p_team_id: t, p_shown_name: '小张' }, 'resident')).toEqual({ team_id: t, role: 'member' });
	});

	it('the committee declines a request: it is gone, the person is no member', async () => {
		const t = await team();
		await call('join_team', { p_team_id: t }, 'resident');
		await decide(t, 'resident', false, 'committee');
		expect(await page(t, 'resident')).toMatchObject({ mine: null, my_request: null });
		await refused(() => decide(t, 'resident', true, 'volunteer'), { code: 'P0002', key: 'errors.team_request_not_found' });
	});

	it.each([
		['a resident who leads nothing', 'resident', { code: '42501', key: 'errors.forbidden' }],
		['the person asking', 'moderator', { code: '42501', key: 'errors.forbidden' }],
		['the committee of another estate', 'committeeB', { code: 'P0002', key: 'errors.team_not_found' }]
	] as Array<[string, Person, Json]>)('refuses a decision by %s, and nothing changes', async (_what, who, error) => {
		const t = await team();
		await call('join_team', { p_team_id: t }, 'moderator');
		await refused(() => decide(t, 'moderator', true, who), error);
	});

	it('the committee joins at once; an outsider may not ask', async () => {
		const t = await team();
		expect(await call('join_team', { p_team_id: t }, 'committee')).toEqual({ team_id: t, role: 'member' });
		await refused(() => call('join_team', { p_team_id: t }, 'otherEstate'), { code: 'P0002', key: 'errors.team_not_found' });
	});

	it('20 approvals at once: one makes the member, the others find no request', async () => {
		const t = await team();
		await call('join_team', { p_team_id: t }, 'resident');
		const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => decide(t, 'resident', true, i % 2 ? 'volunteer' : 'committee')));
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
			expect(r.reason).toMatchObject({ key: 'errors.team_request_not_found' });
		}
		expect(await q('select count(*)::int as n from public.team_members where team_id = $1 and user_id = $2', [t, w.users.resident])).toEqual([{ n: 1 }]);
	});
});
