import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { addMembership, createUser, seedWorld, type Person, type World } from './fixtures';

/**
 * The time bank's ledger (20261204130000_create_time_bank.sql) and the party members' service
 * record (20261204130150_create_party_service.sql). Hours reach the ledger the way the app
 * earns them: a task claimed, reported and confirmed. After each case, and whatever it did,
 * every movement is two rows summing to zero and the whole community's balance is zero in each unit.
 */

type Json = Record<string, unknown>;
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

describe.each(DATABASES)('the time bank on %s', (name) => {
	let db: TestDb;
	let w: World;
	let party: string;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		party = await createUser(db, '党员老李');
		await addMembership(db, { estateId: w.a.id, userId: party, status: 'verified', roles: ['party_member'] });
		await q(`insert into public.work_settings (community_id, monthly_claim_cap) values ($1, 100)`, [w.communityId]);
	});
	afterAll(() => db.close());
	afterEach(async () => {
		expect(await q(`select unit, sum(amount)::text as total from public.time_entries group by community_id, unit having sum(amount) <> 0`)).toEqual([]);
		expect(await q(`select movement_id from public.time_entries group by movement_id having count(*) <> 2 or sum(amount) <> 0`)).toEqual([]);
		// Each row's balance_after is its account's running sum.
		expect(
			await q(`select id from (select id, balance_after, sum(amount) over (partition by account_id, unit order by id) as running
			         from public.time_entries) x where balance_after <> running`)
		).toEqual([]);
	});

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const user = (id: string): Caller => ({ kind: 'user', userId: id });
	const call = <T = Json>(fn: string, args: Json, caller: Caller) => db.backend.call<T>(fn, args, caller);
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);
	const statement = (caller: Caller, over: Json = {}) =>
		call<{ hours: number; coins: number; served_this_year: number; entries: Array<Json>; elder: boolean }>('time_statement', { p_estate_id: w.a.id, ...over }, caller);
	const settings = (s: Json) => call('save_work_settings', { p_estate_id: w.a.id, p_settings: s }, as('committee'));

	async function state() {
		return q(
			`select (select count(*) from public.time_entries)::int as entries,
			   (select md5(coalesce(string_agg(id::text || elder, ',' order by id), '')) from public.time_accounts) as accounts`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	/** A task of the given kind done by the person for `hours` and confirmed by the moderator. */
	async function earn(who: Caller, hours: number, kind = 'other') {
		const { id: task } = await call<{ id: string }>(
			'post_task',
			{ p_estate_id: w.a.id, p_title: '帮老人买菜', p_needed: '每周一次', p_starts_at: hoursFromNow(24), p_ends_at: hoursFromNow(32), p_slots: 1, p_est_hours: 1, p_kind: kind },
			as('moderator')
		);
		const { claim_id } = await call<{ claim_id: string }>('claim_task', { p_task_id: task }, who);
		await q(`update public.tasks set starts_at = now() - interval '1 hour', ends_at = now() + interval '7 hours' where id = $1`, [task]);
		await call('report_done', { p_claim_id: claim_id, p_hours: hours }, who);
		return call<Json>('confirm_work', { p_claim_id: claim_id }, as('moderator'));
	}

	describe('the ledger', () => {
		it('is append-only: no write grant for anyone, and a trigger refuses update, delete and truncate to its owner', async () => {
			await earn(as('resident'), 1);
			const granted = await q(
				`select r.who, p.priv from unnest(array['anon', 'authenticated']) r(who) cross join unnest(array['insert', 'update', 'delete', 'truncate']) p(priv)
				 where has_table_privilege(r.who, 'public.time_entries', p.priv)`
			);
			expect(granted).toEqual([]);
			await expect(q(`update public.time_entries set amount = amount * 10`)).rejects.toMatchObject({ message: 'errors.ledger_append_only' });
			await expect(q(`delete from public.time_entries`)).rejects.toMatchObject({ message: 'errors.ledger_append_only' });
			await expect(q(`truncate public.time_entries`)).rejects.toMatchObject({ message: 'errors.ledger_append_only' });
		});

		it('refuses, at commit, a movement that does not sum to zero, even from its owner', async () => {
			const [{ id }] = await q<{ id: string }>(`select id::text from public.time_accounts where kind = 'community' and community_id = $1`, [w.communityId]);
			await expect(
				db.sql.transaction(async (tx) => {
					await tx.query(
						`insert into public.time_entries (movement_id, community_id, account_id, unit, amount, balance_after, category)
						 values (gen_random_uuid(), $1, $2, 'hour', 5, 5, 'earned')`,
						[w.communityId, id]
					);
				})
			).rejects.toMatchObject({ message: 'errors.ledger_unbalanced' });
		});

		it('credits hours and 时间币 at the rate of the kind of work (1 h = 1 币 by default)', async () => {
			const before = await statement(as('volunteer'));
			await settings({ coin_rates: { visit: 1.5 } });
			await earn(as('volunteer'), 2, 'visit');
			await earn(as('volunteer'), 1, 'cleaning');
			const after = await statement(as('volunteer'));
			expect(after.hours - before.hours).toBe(3);
			expect(after.coins - before.coins).toBe(4);
			await settings({ coin_rates: {} });
		});

		it('above the yearly cap, the hours go to the elders’ fund, still recorded as the person’s service', async () => {
			const person = await createUser(db, '勤快的人');
			await addMembership(db, { estateId: w.a.id, userId: person, status: 'verified' });
			await settings({ yearly_hour_cap: 3 });
			try {
				await earn(user(person), 2);
				const r = await earn(user(person), 2);
				expect(r).toMatchObject({ hours_credited: 1, hours_donated: 1 });
				const s = await statement(user(person));
				expect(s).toMatchObject({ hours: 3, served_this_year: 4 });
				const fund = await q<{ n: string }>(
					`select sum(e.amount)::text as n from public.time_entries e join public.time_accounts a on a.id = e.account_id
					 where a.kind = 'elder_fund' and e.unit = 'hour' and e.category = 'over_cap' and e.earner_id = $1`,
					[person]
				);
				expect(Number(fund[0].n)).toBe(1);
			} finally {
				await settings({ yearly_hour_cap: 500 });
			}
		});

		it('above the daily cap, the 时间币 go to the elders’ fund', async () => {
			const person = await createUser(db, '一天干很多');
			await addMembership(db, { estateId: w.a.id, userId: person, status: 'verified' });
			await settings({ daily_coin_cap: 5 });
			try {
				await earn(user(person), 4);
				expect(await earn(user(person), 3)).toMatchObject({ hours_credited: 3, coins_credited: 1, coins_donated: 2 });
				expect(await statement(user(person))).toMatchObject({ hours: 7, coins: 5 });
			} finally {
				await settings({ daily_coin_cap: 24 });
			}
		});

		it('settings outside their bounds are refused; only the committee sets them', async () => {
			await refused(() => settings({ monthly_claim_cap: 0 }), { key: 'errors.settings_invalid', field: 'settings' });
			await refused(() => settings({ daily_coin_cap: 'many' }), { key: 'errors.settings_invalid' });
			await refused(() => call('save_work_settings', { p_estate_id: w.a.id, p_settings: { monthly_claim_cap: 50 } }, as('resident')), { code: '42501' });
			expect(await call('work_settings', { p_estate_id: w.a.id }, as('resident'))).toMatchObject({ monthly_claim_cap: 100, party_yearly_hours: 12 });
		});
	});

	describe('transfers', () => {
		it('gives to a relative over 60 once the committee registers them, never more than the balance', async () => {
			const giver = await createUser(db, '孝顺儿子');
			await addMembership(db, { estateId: w.a.id, userId: giver, status: 'verified' });
			await earn(user(giver), 3);
			const send = (amount: number, to = w.users.moderator, extra: Json = {}) =>
				call('transfer_hours', { p_estate_id: w.a.id, p_to_user: to, p_amount: amount, p_unit: 'coin', p_purpose: 'transferred', ...extra }, user(giver));
			await refused(() => send(1), { key: 'errors.transfer_not_elder', field: 'to' });
			await refused(() => call('mark_elder', { p_estate_id: w.a.id, p_user_id: w.users.moderator, p_elder: true }, as('resident')), { code: '42501' });
			await call('mark_elder', { p_estate_id: w.a.id, p_user_id: w.users.moderator, p_elder: true }, as('committee'));
			await refused(() => send(3.5), { key: 'errors.balance_too_low', field: 'amount' });
			for (const bad of [0, -1, 0.001]) await refused(() => send(bad), { key: 'errors.amount_invalid', field: 'amount' });
			await refused(() => send(1, w.users.nonmember), { key: 'errors.transfer_outside_community', field: 'to' });
			await refused(() => send(1, giver), { key: 'errors.transfer_recipient_required' });
			await refused(() => send(1, w.users.moderator, { p_unit: 'yuan' }), { key: 'errors.unit_invalid' });
			expect(await send(2)).toMatchObject({ balance: 1 });
			expect(await statement(as('moderator'))).toMatchObject({ coins: 2, elder: true });
		});

		it('donates to the elders’ fund, and spends with a provider of the community', async () => {
			const person = await createUser(db, '爱心人士');
			await addMembership(db, { estateId: w.a.id, userId: person, status: 'verified' });
			await earn(user(person), 4);
			await call('transfer_hours', { p_estate_id: w.a.id, p_to_user: null, p_amount: 1, p_unit: 'hour', p_purpose: 'donated' }, user(person));
			await call('transfer_hours', { p_estate_id: w.a.id, p_to_user: w.users.otherEstate, p_amount: 2, p_unit: 'coin', p_purpose: 'spent', p_note: '理发' }, user(person));
			const s = await statement(user(person));
			expect(s).toMatchObject({ hours: 3, coins: 2 });
			expect(s.entries.slice(0, 2).map((e) => [e.category, e.amount])).toEqual([
				['spent', -2],
				['donated', -1]
			]);
		});
	});

	describe('corrections', () => {
		it('the committee reverses a movement by a reversing one, once; nobody else can', async () => {
			const person = await createUser(db, '报错工时');
			await addMembership(db, { estateId: w.a.id, userId: person, status: 'verified' });
			await earn(user(person), 2);
			const [{ movement_id }] = await q<{ movement_id: string }>(
				`select movement_id::text from public.time_entries e join public.time_accounts a on a.id = e.account_id
				 where a.user_id = $1 and e.unit = 'hour' and e.category = 'earned'`,
				[person]
			);
			await refused(() => call('reverse_movement', { p_movement_id: movement_id, p_reason: '多报' }, user(person)), { code: 'P0002' });
			await refused(() => call('reverse_movement', { p_movement_id: movement_id, p_reason: ' ' }, as('committee')), { key: 'errors.reason_required' });
			await call('reverse_movement', { p_movement_id: movement_id, p_reason: '工时填错' }, as('committee'));
			await refused(() => call('reverse_movement', { p_movement_id: movement_id, p_reason: '再来一次' }, as('committee')), { code: '23505', key: 'errors.already_reversed' });
			expect(await statement(user(person))).toMatchObject({ hours: 0, coins: 2, served_this_year: 0 });
		});

		it("the committee reads anyone's statement in its community; a resident only their own", async () => {
			await expect(statement(as('resident'), { p_user_id: party })).rejects.toMatchObject({ code: '42501' });
			await expect(statement(as('committee'), { p_user_id: party })).resolves.toMatchObject({ user_id: party });
			await expect(statement(as('nonmember'))).rejects.toMatchObject({ code: 'P0002' });
		});
	});

	describe('party members', () => {
		it('registers with the community, and the service record shows the quarter’s hours against the yearly ask', async () => {
			await refused(() => call('register_party_member', { p_estate_id: w.a.id, p_branch: ' ' }, user(party)), { key: 'errors.branch_invalid' });
			await refused(() => call('issue_service_card', { p_estate_id: w.a.id }, user(party)), { key: 'errors.party_not_registered' });
			await call('register_party_member', { p_estate_id: w.a.id, p_branch: '区税务局第二党支部' }, user(party));
			await earn(user(party), 2.5);
			const r = await call<{ quarters: number[]; total: number; asked: number; branch: string; tasks: Array<Json> }>('service_record', { p_estate_id: w.a.id }, user(party));
			// The quarter of today in China time (UTC+8).
			const quarter = Math.floor(new Date(Date.now() + 8 * 3600_000).getUTCMonth() / 3);
			expect(r.quarters[quarter]).toBe(2.5);
			expect(r).toMatchObject({ total: 2.5, asked: 12, branch: '区税务局第二党支部' });
			expect(r.tasks).toHaveLength(1);
		});

		it('a service card shows what it claims to whoever holds its code, and nothing to anyone else', async () => {
			await call('register_party_member', { p_estate_id: w.a.id, p_branch: '区税务局第二党支部' }, user(party));
			const { code } = await call<{ code: string }>('issue_service_card', { p_estate_id: w.a.id }, user(party));
			expect((await call<{ code: string }>('issue_service_card', { p_estate_id: w.a.id }, user(party))).code).toBe(code);
			const card = await call<Json>('verify_service_card', { p_code: code }, { kind: 'anon' });
			expect(card).toMatchObject({ name: '党员老李', branch: '区税务局第二党支部', community_name: '沧浪新城社区' });
			expect(Object.keys(card!).sort()).toEqual(['asked', 'branch', 'community_name', 'issued_at', 'name', 'quarters', 'total', 'year']);
			expect(await call('verify_service_card', { p_code: '0'.repeat(32) }, { kind: 'anon' })).toBeNull();
			expect(await call('verify_service_card', { p_code: "' or 1=1 --" }, { kind: 'anon' })).toBeNull();
		});
	});
});
