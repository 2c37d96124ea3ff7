import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { addMembership, createUser, seedWorld, type Person, type World } from './fixtures';

/**
 * Micro-wishes earn time bank hours (20261205140000_credit_wish_hours.sql): the estimate set when
 * vetting, the hours the claimer reports when fulfilling (bounded), credited once on confirmation
 * through the ledger's crediting function. After each case the ledger sums to zero in each unit and
 * every movement is two rows.
 */

type Json = Record<string, unknown>;

describe.each(DATABASES)('wish hours on %s', (name) => {
	let db: TestDb;
	let w: World;
	let party: string;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		party = await createUser(db, '孙师傅');
		await addMembership(db, { estateId: w.a.id, userId: party, status: 'verified', roles: ['party_member'] });
	});
	afterAll(() => db.close());
	afterEach(async () => {
		expect(await q(`select unit, sum(amount)::text as total from public.time_entries group by community_id, unit having sum(amount) <> 0`)).toEqual([]);
		expect(await q(`select movement_id from public.time_entries group by movement_id having count(*) <> 2 or sum(amount) <> 0`)).toEqual([]);
	});

	type Who = Person | 'party';
	const as = (p: Who): Caller => ({ kind: 'user', userId: p === 'party' ? party : w.users[p] });
	const call = <T = Json>(fn: string, args: Json, p: Who) => db.backend.call<T>(fn, args, as(p));
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);

	/** What a refused call must leave as it was: the wishes and the ledger. */
	async function state() {
		return q(
			`select (select md5(coalesce(string_agg(to_jsonb(x)::text, ',' order by x.id), '')) from public.wishes x) as wishes,
			        (select count(*) from public.time_entries)::int as entries`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	async function claimedWish(estHours: number | null = null) {
		const { id } = await call<{ id: string }>(
			'post_wish',
			{ p_estate_id: w.a.id, p_title: '帮忙换灯泡', p_category: 'repair', p_shown_name: '某爷爷', p_for_other: true, p_resident_name: '李大爷' },
			'volunteer'
		);
		await call('vet_wish', { p_wish_id: id, p_approve: true, p_note: '上门看过', p_est_hours: estHours }, 'moderator');
		await call('claim_wish', { p_wish_id: id }, 'party');
		return id;
	}
	/** The hours credited to the party member for a wish: the person's side of its earnings. */
	const credited = (id: string) =>
		q<{ unit: string; amount: string; category: string; created_by: string }>(
			`select e.unit, e.amount::text, e.category, e.created_by::text from public.time_entries e
			 join public.time_accounts a on a.id = e.account_id
			 where e.source_kind = 'wish' and e.source_id = $1 and a.user_id = $2 order by e.unit`,
			[id, party]
		);

	it('the moderator sets the estimate when vetting; a wish published without one is estimated at 1 hour', async () => {
		const set = await claimedWish(2.5);
		const unset = await claimedWish();
		const rows = await q<{ id: string; est_hours: string }>('select id::text, est_hours::text from public.wishes where id = any($1::uuid[])', [[set, unset]]);
		expect(Object.fromEntries(rows.map((r) => [r.id, r.est_hours]))).toEqual({ [set]: '2.5', [unset]: '1.0' });
		const d = await call<{ wish: Json }>('wish_detail', { p_wish_id: set }, 'resident');
		expect(d.wish).toMatchObject({ est_hours: 2.5, hours: null });
	});

	it.each([[0], [-1], [8.5], [1.25]])('refuses an estimate of %s hours when vetting, beside the field', async (h) => {
		const { id } = await call<{ id: string }>(
			'post_wish',
			{ p_estate_id: w.a.id, p_title: '想要一把椅子', p_category: 'daily', p_shown_name: '某阿姨', p_for_other: true, p_resident_name: '张阿姨' },
			'volunteer'
		);
		await refused(() => call('vet_wish', { p_wish_id: id, p_approve: true, p_est_hours: h }, 'moderator'), {
			code: '22023',
			key: 'errors.wish_hours_invalid',
			field: 'est_hours'
		});
	});

	it('confirmation credits the hours the claimer reported, once, by the confirmer; nothing before', async () => {
		const id = await claimedWish(2);
		await call('fulfil_wish', { p_wish_id: id, p_note: '换好了', p_hours: 1.5 }, 'party');
		expect(await credited(id)).toEqual([]);
		const r = await call<Json>('confirm_wish', { p_wish_id: id, p_thanks: '谢谢' }, 'volunteer');
		expect(r).toMatchObject({ id, status: 'confirmed', hours: 1.5, hours_credited: 1.5 });
		expect(await credited(id)).toEqual([
			{ unit: 'coin', amount: '1.50', category: 'earned', created_by: w.users.volunteer },
			{ unit: 'hour', amount: '1.50', category: 'earned', created_by: w.users.volunteer }
		]);
		const st = await db.backend.call<{ balance: Json }>('time_statement', { p_estate_id: w.a.id }, { kind: 'user', userId: party });
		expect(JSON.stringify(st)).toContain('wish');
	});

	it('without a report the estimate is credited', async () => {
		const id = await claimedWish(3);
		await call('fulfil_wish', { p_wish_id: id }, 'party');
		await call('confirm_wish', { p_wish_id: id }, 'moderator');
		expect((await credited(id)).find((e) => e.unit === 'hour')?.amount).toBe('3.00');
	});

	it.each([
		['zero', 0],
		['negative', -2],
		['more than twice the estimate', 4.5],
		['not in tenths', 1.05]
	])('refuses reported hours that are %s, beside the field, and nothing changes', async (_what, h) => {
		const id = await claimedWish(2);
		await refused(() => call('fulfil_wish', { p_wish_id: id, p_hours: h }, 'party'), { code: '22023', key: 'errors.wish_hours_invalid', field: 'hours' });
	});

	it('never more than 8 hours, whatever the estimate', async () => {
		const id = await claimedWish(6);
		await refused(() => call('fulfil_wish', { p_wish_id: id, p_hours: 9 }, 'party'), { code: '22023', key: 'errors.wish_hours_invalid', field: 'hours' });
		expect(await call('fulfil_wish', { p_wish_id: id, p_hours: 8 }, 'party')).toEqual({ id, status: 'fulfilled' });
	});

	it('20 confirmations at once credit the wish once; the others are refused with a clear message', async () => {
		const id = await claimedWish(2);
		await call('fulfil_wish', { p_wish_id: id, p_hours: 2 }, 'party');
		const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => call('confirm_wish', { p_wish_id: id }, i % 2 ? 'volunteer' : 'moderator')));
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
			expect(r.reason).toMatchObject({ code: '22023', key: 'errors.wish_not_fulfilled' });
		}
		const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from public.time_entries where source_kind = 'wish' and source_id = $1`, [id]);
		expect(n).toBe(4); // an hour movement and a coin movement, two rows each
	});

	it("a donor unit's claim earns no hours and takes no report of hours", async () => {
		const { id } = await call<{ id: string }>(
			'post_wish',
			{ p_estate_id: w.a.id, p_title: '想要一副老花镜', p_category: 'health', p_shown_name: '某奶奶', p_for_other: true, p_resident_name: '赵奶奶' },
			'volunteer'
		);
		await call('vet_wish', { p_wish_id: id, p_approve: true }, 'moderator');
		await call('claim_wish', { p_wish_id: id, p_donor_unit: '晋源区供电公司' }, 'moderator');
		await refused(() => call('fulfil_wish', { p_wish_id: id, p_hours: 1 }, 'moderator'), { code: '22023', field: 'hours' });
		await call('fulfil_wish', { p_wish_id: id }, 'moderator');
		expect(await call('confirm_wish', { p_wish_id: id }, 'volunteer')).toEqual({ id, status: 'confirmed' });
		const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from public.time_entries where source_id = $1`, [id]);
		expect(n).toBe(0);
	});

	it('a second credit of the same wish is refused by the ledger itself', async () => {
		const id = await claimedWish(1);
		await call('fulfil_wish', { p_wish_id: id }, 'party');
		await call('confirm_wish', { p_wish_id: id }, 'volunteer');
		await expect(
			q(`select private.credit_hours($1, $2, 1, 'wish', 'wish', $3)`, [w.communityId, party, id])
		).rejects.toMatchObject({ message: expect.stringContaining('errors.already_credited') });
	});
});
