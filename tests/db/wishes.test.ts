import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { addMembership, createUser, PEOPLE, seedWorld, type Person, type World } from './fixtures';

/**
 * Micro-wishes (微心愿) and the thanks wall (20261204140000_create_wishes.sql),
 * called as the app calls them on the world of fixtures.ts, with two party
 * members of estate A added (party, party2). The volunteer posts for an
 * elderly resident without an account; the moderator vets; party claims,
 * fulfils; the volunteer (guardian) confirms.
 */

type Json = Record<string, unknown>;
interface Detail {
	wish: Json & { id: string; status: string; claimer_name: string | null; shown_name: string };
	private: null | { resident_name: string | null; unit: string | null; phone: string | null; vet_note: string | null; guardian: string | null };
	mine: boolean;
	claimed_by_me: boolean;
	can_vet: boolean;
	can_claim: boolean;
	can_release: boolean;
	can_fulfil: boolean;
	can_confirm: boolean;
}

const PHOTO = () => {
	const id = randomUUID();
	return { path: `issues/${id}.jpg`, thumb_path: `issues/${id}_thumb.jpg`, width: 1200, height: 900 };
};

describe.each(DATABASES)('micro-wishes on %s', (name) => {
	let db: TestDb;
	let w: World;
	let party: string;
	let party2: string;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		party = await createUser(db, '孙师傅');
		party2 = await createUser(db, '党员二');
		await addMembership(db, { estateId: w.a.id, userId: party, status: 'verified', roles: ['party_member'] });
		await addMembership(db, { estateId: w.a.id, userId: party2, status: 'verified', roles: ['party_member'] });
	});
	afterAll(() => db.close());

	type Who = Person | 'party' | 'party2' | 'anon';
	const as = (p: Who): Caller =>
		p === 'anon' ? { kind: 'anon' } : { kind: 'user', userId: p === 'party' ? party : p === 'party2' ? party2 : w.users[p] };
	const call = <T = Json>(fn: string, args: Json, p: Who) => db.backend.call<T>(fn, args, as(p));
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);

	/** Everything the wish functions write, to check that a refused call wrote nothing. */
	async function state() {
		return q(
			`select (select md5(coalesce(string_agg(to_jsonb(x)::text, ',' order by x.id), '')) from public.wishes x) as wishes,
			        (select md5(coalesce(string_agg(to_jsonb(d)::text, ',' order by d.wish_id), '')) from public.wish_details d) as details,
			        (select count(*) from public.notifications)::int as notifications`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	const GOOD = { p_title: '想要一台收音机', p_category: 'daily', p_shown_name: '某阿姨', p_body: '老人独居，喜欢听戏。', p_estimated_cost: 80 };
	/** The volunteer posts for an elderly resident without an account. */
	async function postForResident(over: Json = {}) {
		const r = await call<{ id: string; status: string }>(
			'post_wish',
			{ p_estate_id: w.a.id, ...GOOD, p_area_id: w.a.buildings['1栋'], p_for_other: true, p_resident_name: '王秀兰', p_unit: '1栋 2单元 301', p_phone: '139 1234 5678', ...over },
			'volunteer'
		);
		return r.id;
	}
	const vet = (id: string, approve: boolean, note: string | null = '已电话核实', p: Who = 'moderator') =>
		call('vet_wish', { p_wish_id: id, p_approve: approve, p_note: note }, p);
	async function openWish() {
		const id = await postForResident();
		await vet(id, true);
		return id;
	}
	async function claimedWish(by: Who = 'party') {
		const id = await openWish();
		await call('claim_wish', { p_wish_id: id }, by);
		return id;
	}
	async function fulfilledWish() {
		const id = await claimedWish();
		await call('fulfil_wish', { p_wish_id: id, p_note: '已送到家中', p_photo: PHOTO() }, 'party');
		return id;
	}
	const detail = (id: string, p: Who) => call<Detail>('wish_detail', { p_wish_id: id }, p);
	const status = async (id: string) => (await q<{ status: string }>('select status from public.wishes where id = $1', [id]))[0].status;
	const notes = (id: string) =>
		q<{ user_id: string; kind: string; path: string }>(
			`select user_id::text, kind, payload ->> 'path' as path from public.notifications where payload ->> 'wish_id' = $1 order by id`,
			[id]
		);

	describe('posting', () => {
		it('a volunteer posts for a resident without an account: pending, the details private, the volunteer its guardian', async () => {
			const id = await postForResident();
			expect(await status(id)).toBe('pending');
			const [d] = await q<Json>('select resident_id, guardian_id::text, resident_name, unit_text, phone from public.wish_details where wish_id = $1', [id]);
			expect(d).toEqual({ resident_id: null, guardian_id: w.users.volunteer, resident_name: '王秀兰', unit_text: '1栋 2单元 301', phone: '13912345678' });
			const mine = await detail(id, 'volunteer');
			expect(mine).toMatchObject({ mine: true, can_claim: false, can_vet: false });
			expect(mine.private).toMatchObject({ resident_name: '王秀兰', phone: '13912345678' });
			const list = await call<{ wishes: Json[]; mine: Json[] }>('estate_wishes', { p_estate_id: w.a.id }, 'volunteer');
			expect(list.mine.map((x) => x.id)).toContain(id);
			expect(list.wishes.map((x) => x.id)).not.toContain(id);
		});

		it('a resident posts for themself: the resident is its own follower', async () => {
			const r = await call<{ id: string }>('post_wish', { p_estate_id: w.a.id, ...GOOD, p_shown_name: '小林' }, 'resident');
			const [d] = await q<Json>('select resident_id::text, guardian_id from public.wish_details where wish_id = $1', [r.id]);
			expect(d).toEqual({ resident_id: w.users.resident, guardian_id: null });
			expect((await detail(r.id, 'resident')).mine).toBe(true);
		});

		it.each([
			['a phone number in the title', { p_title: '请联系13912345678' }, { code: '22023', key: 'errors.wish_contact_in_public_text', field: 'title' }],
			['an ID number in the details', { p_body: '身份证 14010519400101123X' }, { code: '22023', key: 'errors.wish_contact_in_public_text', field: 'body' }],
			['a spaced phone number in the details', { p_body: '电话 139-1234-5678' }, { code: '22023', key: 'errors.wish_contact_in_public_text', field: 'body' }],
			['full-width digits in the title', { p_title: '电话１３９１２３４５６７８' }, { code: '22023', key: 'errors.wish_contact_in_public_text', field: 'title' }],
			['no title', { p_title: '  ' }, { code: '22023', key: 'errors.title_invalid', field: 'title' }],
			['a title too long', { p_title: '长'.repeat(61) }, { code: '22023', key: 'errors.title_invalid', field: 'title' }],
			['an unknown category', { p_category: 'cars' }, { code: '22023', key: 'errors.invalid_choice', field: 'category' }],
			['a negative cost', { p_estimated_cost: -1 }, { code: '22023', key: 'errors.wish_cost_invalid', field: 'estimated_cost' }],
			['a shown name with digits', { p_shown_name: '王1' }, { code: '22023', key: 'errors.wish_shown_name_invalid', field: 'shown_name' }],
			['a shown name too long', { p_shown_name: '王秀兰老太太的家人' }, { code: '22023', key: 'errors.wish_shown_name_invalid', field: 'shown_name' }],
			['no resident name', { p_resident_name: ' ' }, { code: '22023', key: 'errors.wish_resident_name_required', field: 'resident_name' }],
			['a bad phone', { p_phone: '电话号码' }, { code: '22023', key: 'errors.phone_invalid', field: 'phone' }],
			['an area of the other estate', { p_area_id: 'B' }, { code: '22023', key: 'errors.area_not_found', field: 'area_id' }]
		])('refuses %s, writing nothing', async (_what, over, error) => {
			const args = { ...over } as Json;
			if (args.p_area_id === 'B') args.p_area_id = w.b.courtyardId;
			await refused(() => postForResident(args), error);
		});

		it.each([
			['a resident without a role, for someone else', 'resident', { p_for_other: true, p_resident_name: '王秀兰' }, { code: '42501', key: 'errors.wish_for_other_forbidden' }],
			['a pending member', 'pending', {}, { code: '42501', key: 'errors.not_member' }],
			['a member of the other estate', 'otherEstate', {}, { code: '42501', key: 'errors.not_member' }],
			['someone signed out', 'anon', {}, { code: '42501' }]
		] as Array<[string, Who, Json, Json]>)('refuses %s, writing nothing', async (_what, who, over, error) => {
			await refused(() => call('post_wish', { p_estate_id: w.a.id, ...GOOD, ...over }, who), error);
		});
	});

	describe('vetting', () => {
		it('a moderator approves with a note: published for claiming; the guardian hears of it with the page to open', async () => {
			const id = await postForResident();
			expect(await detail(id, 'moderator')).toMatchObject({ can_vet: true });
			expect(await vet(id, true, '入户走访核实')).toEqual({ id, status: 'open' });
			expect((await detail(id, 'moderator')).private?.vet_note).toBe('入户走访核实');
			expect(await notes(id)).toEqual([{ user_id: w.users.volunteer, kind: 'wish_vetted', path: `/estates/${w.a.id}/wishes/${id}` }]);
			const list = await call<{ wishes: Json[] }>('estate_wishes', { p_estate_id: w.a.id }, 'resident');
			expect(list.wishes.map((x) => x.id)).toContain(id);
		});

		it('a decline needs a reason, stays unpublished, and tells the guardian why', async () => {
			const id = await postForResident();
			await refused(() => vet(id, false, ' '), { code: '22023', key: 'errors.reason_required', field: 'note' });
			expect(await vet(id, false, '家属已解决')).toEqual({ id, status: 'declined' });
			await expect(detail(id, 'resident')).rejects.toMatchObject({ code: 'P0002', key: 'errors.wish_not_found' });
			expect((await notes(id)).map((n) => n.kind)).toEqual(['wish_declined']);
			await refused(() => vet(id, true), { code: '22023', key: 'errors.wish_already_vetted' });
		});

		it.each([
			['the guardian', 'volunteer', { code: '42501', key: 'errors.forbidden' }],
			['a party member', 'party', { code: 'P0002', key: 'errors.wish_not_found' }],
			['the committee of the other estate', 'committeeB', { code: 'P0002', key: 'errors.wish_not_found' }]
		] as Array<[string, Who, Json]>)('refuses vetting by %s', async (_what, who, error) => {
			const id = await postForResident();
			await refused(() => vet(id, true, null, who), error);
		});

		it('the committee and an administrator may vet too', async () => {
			await vet(await postForResident(), true, null, 'committee');
			await vet(await postForResident(), false, '重复', 'admin');
		});

		it("the moderators' queue lists pending wishes with their private details; others are refused", async () => {
			const id = await postForResident({ p_resident_name: '队列老人' });
			const queue = await call<Array<Json & { private: Json }>>('wish_queue', { p_estate_id: w.a.id }, 'moderator');
			expect(queue.find((x) => x.id === id)?.private).toMatchObject({ resident_name: '队列老人', has_account: false });
			for (const who of ['resident', 'volunteer', 'committeeB'] as const) {
				await expect(call('wish_queue', { p_estate_id: w.a.id }, who)).rejects.toMatchObject({ code: '42501', key: 'errors.forbidden' });
			}
		});
	});

	describe('privacy: who reads the personal details', () => {
		/** Whether `who` gets the private details through wish_detail, and rows of wish_details directly. */
		async function sees(id: string, who: Who) {
			const viaApi = await detail(id, who).then(
				(d) => (d.private ? 'details' : 'public'),
				() => 'hidden'
			);
			return viaApi;
		}
		const everyone: Who[] = ['anon', ...PEOPLE, 'party', 'party2'];

		it('a pending wish: only the moderators (moderator, committee, admin) and the guardian', async () => {
			const id = await postForResident();
			const got = Object.fromEntries(await Promise.all(everyone.map(async (p) => [p, await sees(id, p)])));
			expect(got).toEqual({
				anon: 'hidden', nonmember: 'hidden', otherEstate: 'hidden', pending: 'hidden', rejected: 'hidden', resident: 'hidden',
				moderator: 'details', volunteer: 'details', committee: 'details', committeeB: 'hidden', admin: 'details', party: 'hidden', party2: 'hidden'
			});
		});

		it('an open wish: published to the estate without details; after a claim the claimer reads them, after a release no longer', async () => {
			const id = await openWish();
			const before = Object.fromEntries(await Promise.all(everyone.map(async (p) => [p, await sees(id, p)])));
			expect(before).toEqual({
				anon: 'hidden', nonmember: 'hidden', otherEstate: 'hidden', pending: 'hidden', rejected: 'hidden', resident: 'public',
				moderator: 'details', volunteer: 'details', committee: 'details', committeeB: 'hidden', admin: 'details', party: 'public', party2: 'public'
			});
			await call('claim_wish', { p_wish_id: id }, 'party');
			expect(await sees(id, 'party')).toBe('details');
			expect(await sees(id, 'party2')).toBe('public');
			expect((await detail(id, 'party')).private).toMatchObject({ resident_name: '王秀兰', unit: '1栋 2单元 301', phone: '13912345678', guardian: 'volunteer' });
			await call('release_wish', { p_wish_id: id }, 'party');
			expect(await sees(id, 'party')).toBe('public');
		});

		it("on a public board anon and outsiders see the published wish, never its details; the published text has none of them", async () => {
			const id = await claimedWish();
			await q('update public.estates set board_public = true where id = $1', [w.a.id]);
			try {
				for (const who of ['anon', 'nonmember', 'otherEstate', 'pending'] as const) {
					const d = await detail(id, who);
					expect(d.private).toBeNull();
					expect(JSON.stringify(d)).not.toMatch(/王秀兰|13912345678|2单元|volunteer/);
				}
				const pending = await postForResident();
				await expect(detail(pending, 'anon')).rejects.toMatchObject({ code: 'P0002' });
				const listed = await call<{ wishes: Json[]; mine: Json[]; can_post: boolean }>('estate_wishes', { p_estate_id: w.a.id }, 'anon');
				expect(listed.wishes.map((x) => x.id)).toContain(id);
				expect(listed.wishes.map((x) => x.id)).not.toContain(pending);
				expect(listed).toMatchObject({ mine: [], can_post: false });
				expect(JSON.stringify(listed)).not.toMatch(/王秀兰|13912345678|2单元|volunteer/);
			} finally {
				await q('update public.estates set board_public = false where id = $1', [w.a.id]);
			}
		});

		it('the details table itself: rows for moderators, the guardian and the claimer only', async () => {
			const id = await claimedWish();
			for (const who of ['resident', 'party2', 'otherEstate', 'committeeB', 'nonmember'] as const) {
				const rows = await db.sql.transaction(async (tx) => {
					await tx.query('set local role authenticated');
					await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: who === 'party2' ? party2 : w.users[who], role: 'authenticated' })]);
					return tx.query('select wish_id from public.wish_details where wish_id = $1', [id]);
				});
				expect(rows, who).toEqual([]);
			}
			for (const who of [party, w.users.volunteer, w.users.moderator]) {
				const rows = await db.sql.transaction(async (tx) => {
					await tx.query('set local role authenticated');
					await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: who, role: 'authenticated' })]);
					return tx.query('select phone from public.wish_details where wish_id = $1', [id]);
				});
				expect(rows).toEqual([{ phone: '13912345678' }]);
			}
		});
	});

	describe('claiming', () => {
		it('a party member claims an open wish; the guardian hears who; a second claim is refused', async () => {
			const id = await openWish();
			expect(await detail(id, 'party')).toMatchObject({ can_claim: true });
			expect(await call('claim_wish', { p_wish_id: id }, 'party')).toEqual({ id, status: 'claimed' });
			const d = await detail(id, 'party');
			expect(d).toMatchObject({ claimed_by_me: true, can_fulfil: true, can_release: true, can_claim: false });
			expect(d.wish.claimer_name).toBe('孙师傅');
			expect((await notes(id)).map((n) => [n.kind, n.user_id])).toEqual([['wish_vetted', w.users.volunteer], ['wish_claimed', w.users.volunteer]]);
			await refused(() => call('claim_wish', { p_wish_id: id }, 'party2'), { code: '23505', key: 'errors.wish_already_claimed' });
		});

		it('ten party members claiming at once: exactly one wins, the others are told it is taken', async () => {
			const id = await openWish();
			const people = await Promise.all(
				Array.from({ length: 10 }, async (_, i) => {
					const u = await createUser(db, `并发党员${i}`);
					await addMembership(db, { estateId: w.a.id, userId: u, status: 'verified', roles: ['party_member'] });
					return u;
				})
			);
			const results = await Promise.allSettled(people.map((u) => db.backend.call('claim_wish', { p_wish_id: id }, { kind: 'user', userId: u })));
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			for (const r of results.filter((r) => r.status === 'rejected')) {
				expect((r as PromiseRejectedResult).reason).toMatchObject({ code: '23505', key: 'errors.wish_already_claimed' });
			}
			const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from public.wish_details where wish_id = $1 and claimed_by is not null`, [id]);
			expect(n).toBe(1);
		});

		it.each([
			['a resident without a role', 'resident', { code: '42501', key: 'errors.wish_claim_role' }],
			['the guardian (a volunteer) on their own wish', 'volunteer', { code: '42501', key: 'errors.wish_claim_own' }],
			['a member of the other estate', 'otherEstate', { code: 'P0002', key: 'errors.wish_not_found' }]
		] as Array<[string, Who, Json]>)('refuses a claim by %s', async (_what, who, error) => {
			const id = await openWish();
			await refused(() => call('claim_wish', { p_wish_id: id }, who), error);
		});

		it('a pending wish cannot be claimed', async () => {
			const id = await postForResident();
			await refused(() => call('claim_wish', { p_wish_id: id, p_donor_unit: '供电公司' }, 'moderator'), { code: '22023', key: 'errors.wish_not_open' });
		});

		it('a moderator records a donor unit; only moderators may, and not with a phone number', async () => {
			const id = await openWish();
			await refused(() => call('claim_wish', { p_wish_id: id, p_donor_unit: '晋源区供电公司' }, 'party'), { code: '42501', key: 'errors.forbidden', field: 'donor_unit' });
			await refused(() => call('claim_wish', { p_wish_id: id, p_donor_unit: '供电公司 0351-6012345' }, 'moderator'), { code: '22023', field: 'donor_unit' });
			await call('claim_wish', { p_wish_id: id, p_donor_unit: ' 晋源区供电公司 ' }, 'moderator');
			expect((await detail(id, 'resident')).wish).toMatchObject({ claimer_name: '晋源区供电公司', donor_unit: '晋源区供电公司', status: 'claimed' });
		});

		it('only the claimer or a moderator releases, and only a claimed wish', async () => {
			const id = await claimedWish();
			await refused(() => call('release_wish', { p_wish_id: id }, 'party2'), { code: '42501', key: 'errors.forbidden' });
			expect(await call('release_wish', { p_wish_id: id }, 'moderator')).toEqual({ id, status: 'open' });
			await refused(() => call('release_wish', { p_wish_id: id }, 'party'), { code: '22023', key: 'errors.wish_not_claimed' });
			expect((await detail(id, 'resident')).wish.claimer_name).toBeNull();
		});
	});

	describe('fulfilling and confirming', () => {
		it('the claimer fulfils with a photo: the guardian is asked to confirm, and the photo is readable with the wish', async () => {
			const id = await claimedWish();
			const photo = PHOTO();
			await refused(() => call('fulfil_wish', { p_wish_id: id, p_note: '送到了' }, 'party2'), { code: '42501', key: 'errors.forbidden' });
			expect(await call('fulfil_wish', { p_wish_id: id, p_note: '已送到家中', p_photo: photo }, 'party')).toEqual({ id, status: 'fulfilled' });
			expect((await notes(id)).map((n) => n.kind)).toEqual(['wish_vetted', 'wish_claimed', 'wish_fulfilled']);
			expect(await call('can_read_photo', { p_path: photo.thumb_path }, 'resident')).toBe(true);
			expect(await call('can_read_photo', { p_path: photo.path }, 'otherEstate')).toBe(false);
			expect(await detail(id, 'volunteer')).toMatchObject({ can_confirm: true });
			expect(await detail(id, 'party')).toMatchObject({ can_confirm: false });
			await refused(() => call('fulfil_wish', { p_wish_id: id }, 'party'), { code: '22023', key: 'errors.wish_not_claimed' });
		});

		it.each([
			['a photo outside the store', { path: '../etc/passwd', thumb_path: 'x', width: 1, height: 1 }],
			['a photo with no size', { ...PHOTO(), width: 'wide' }],
			['a photo too large', { ...PHOTO(), width: 5000 }]
		])('refuses %s', async (_what, photo) => {
			const id = await claimedWish();
			await refused(() => call('fulfil_wish', { p_wish_id: id, p_photo: photo }, 'party'), { code: '22023', key: 'errors.photo_not_image', field: 'photos' });
		});

		it('the guardian confirms with thanks: on the wall with the first name and the claimer only; the claimer hears of it', async () => {
			const id = await fulfilledWish();
			expect(await call('confirm_wish', { p_wish_id: id, p_thanks: '谢谢孙师傅！' }, 'volunteer')).toMatchObject({ id, status: 'confirmed' });
			expect((await notes(id)).at(-1)).toEqual({ user_id: party, kind: 'wish_confirmed', path: `/estates/${w.a.id}/wishes/${id}` });
			const wall = await call<{ count: number; entries: Json[] }>('wish_wall', { p_estate_id: w.a.id }, 'resident');
			const entry = wall.entries.find((e) => e.id === id);
			expect(entry).toMatchObject({ title: '想要一台收音机', shown_name: '某阿姨', claimer_name: '孙师傅', thanks: '谢谢孙师傅！' });
			expect(JSON.stringify(wall)).not.toMatch(/王秀兰|13912345678|2单元|volunteer/);
			await refused(() => call('confirm_wish', { p_wish_id: id }, 'moderator'), { code: '22023', key: 'errors.wish_not_fulfilled' });
		});

		it.each([
			['the claimer (their own work)', 'party', { code: '42501', key: 'errors.wish_confirm_own' }],
			['another resident', 'resident', { code: '42501', key: 'errors.forbidden' }],
			['another party member', 'party2', { code: '42501', key: 'errors.forbidden' }],
			['the committee of the other estate', 'committeeB', { code: 'P0002', key: 'errors.wish_not_found' }]
		] as Array<[string, Who, Json]>)('refuses confirmation by %s', async (_what, who, error) => {
			const id = await fulfilledWish();
			await refused(() => call('confirm_wish', { p_wish_id: id, p_thanks: '谢谢' }, who), error);
		});

		it('a moderator confirms after a visit; thanks with a phone number are refused', async () => {
			const id = await fulfilledWish();
			await refused(() => call('confirm_wish', { p_wish_id: id, p_thanks: '有事打13912345678' }, 'moderator'), { code: '22023', field: 'thanks' });
			expect(await call('confirm_wish', { p_wish_id: id }, 'moderator')).toMatchObject({ id, status: 'confirmed' });
		});

		it('a resident who posted for themself confirms their own wish', async () => {
			const r = await call<{ id: string }>('post_wish', { p_estate_id: w.a.id, ...GOOD, p_shown_name: '某叔叔' }, 'resident');
			await vet(r.id, true);
			await call('claim_wish', { p_wish_id: r.id }, 'party2');
			await call('fulfil_wish', { p_wish_id: r.id }, 'party2');
			expect(await call('confirm_wish', { p_wish_id: r.id, p_thanks: '感谢' }, 'resident')).toMatchObject({ id: r.id, status: 'confirmed' });
		});

		it('the wall of a closed board is empty to anon; of a public board it is shown', async () => {
			const id = await fulfilledWish();
			await call('confirm_wish', { p_wish_id: id }, 'volunteer');
			expect(await call('wish_wall', { p_estate_id: w.a.id }, 'anon')).toEqual({ count: 0, entries: [] });
			expect(await call('estate_wishes', { p_estate_id: w.a.id }, 'anon')).toMatchObject({ wishes: [], mine: [], pending: null, can_vet: false });
			await q('update public.estates set board_public = true where id = $1', [w.a.id]);
			try {
				const wall = await call<{ entries: Json[] }>('wish_wall', { p_estate_id: w.a.id }, 'anon');
				expect(wall.entries.map((e) => e.id)).toContain(id);
			} finally {
				await q('update public.estates set board_public = false where id = $1', [w.a.id]);
			}
		});
	});

	it('nobody writes the tables directly', async () => {
		const id = await openWish();
		for (const sql of [
			`update public.wishes set status = 'confirmed' where id = '${id}'`,
			`delete from public.wish_details where wish_id = '${id}'`,
			`insert into public.wishes (estate_id, title, category, shown_name) values ('${w.a.id}', '直接写入', 'other', '某阿姨')`
		]) {
			await expect(
				db.sql.transaction(async (tx) => {
					await tx.query('set local role authenticated');
					await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: w.users.moderator, role: 'authenticated' })]);
					await tx.query(sql);
				})
			).rejects.toMatchObject({ code: '42501' });
		}
	});
});
