import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON, type Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { addMembership, createUser, seedWorld, square, type Person, type World } from './fixtures';

/**
 * Every function of the tenancy migrations, called as the app calls them:
 * db.backend.call(fn, args, caller), in a transaction as the caller. The
 * fixture world is described in fixtures.ts. Tests that change memberships or
 * the register work on people and estates they create, so that the fixture
 * stays as described for the tests after them.
 */

type Json = Record<string, unknown>;
type Feature = { type: 'Feature'; properties: Record<string, unknown>; geometry: unknown };

const feature = (name: unknown, kind: unknown, geometry: unknown, parent?: string): Feature => ({
	type: 'Feature',
	properties: parent === undefined ? { name, kind } : { name, kind, parent },
	geometry
});
const collection = (...features: Feature[]) => ({ type: 'FeatureCollection', features });
/** A rectangle in site-plan pixels. */
const rect = (x: number, y: number, w: number, h: number) => ({
	type: 'Polygon',
	coordinates: [
		[
			[x, y],
			[x + w, y],
			[x + w, y + h],
			[x, y + h],
			[x, y]
		]
	]
});

interface UnitRow {
	line: number;
	building: string;
	entrance: string;
	room: string;
	floor_area: string;
	owners: string;
	developer_held: string;
}
const unitRow = (line: number, building: string, entrance: string, room: string, floorArea: string, owners = '', developerHeld = ''): UnitRow => ({
	line,
	building,
	entrance,
	room,
	floor_area: floorArea,
	owners,
	developer_held: developerHeld
});

describe.each(DATABASES)('tenancy functions on %s', (name) => {
	let db: TestDb;
	let w: World;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const user = (id: string): Caller => ({ kind: 'user', userId: id });
	const call = <T = Json>(fn: string, args: Json, caller: Caller) => db.backend.call<T>(fn, args, caller);

	async function scalar<T = number>(sql: string, params: unknown[] = []): Promise<T> {
		const rows = await db.sql.query<{ v: T }>(sql, params);
		return rows[0].v;
	}

	/** Runs one statement directly against the tables as a signed-in user (no API function), as PostgREST would. */
	async function asUserSql(userId: string, sql: string, params: unknown[] = []) {
		return db.sql.transaction(async (tx) => {
			await tx.query('set local role authenticated');
			await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })]);
			return tx.query(sql, params);
		});
	}

	/** What an estate's register holds, to check that a refused call wrote nothing. */
	async function register(estateId: string) {
		return db.sql.query(
			`select
			   (select count(*) from public.areas where estate_id = $1)::int as areas,
			   (select string_agg(kind || ':' || name || ':' || coalesce(parent_id::text, '-') || ':' || coalesce(md5(geometry::text), '-'), ',' order by kind, name)
			      from public.areas where estate_id = $1) as area_rows,
			   (select count(*) from public.units where estate_id = $1)::int as units,
			   (select string_agg(building_id::text || entrance || '/' || room || '=' || floor_area::text || developer_held::text, ',' order by building_id, entrance, room)
			      from public.units where estate_id = $1) as unit_rows,
			   (select count(*) from public.owners where estate_id = $1)::int as owners,
			   (select count(*) from public.unit_owners uo join public.units u on u.id = uo.unit_id where u.estate_id = $1)::int as unit_owners`,
			[estateId]
		);
	}

	/** A fresh person with a membership of A in the given state. */
	async function memberOfA(label: string, status: 'pending' | 'verified' | 'rejected', roles: string[] = [], extra: { unitId?: string; claimsOwner?: boolean } = {}) {
		const userId = await createUser(db, label);
		const membershipId = await addMembership(db, {
			estateId: w.a.id,
			userId,
			status,
			roles,
			reason: status === 'rejected' ? '查无此户' : undefined,
			unitId: extra.unitId,
			claimsOwner: extra.claimsOwner
		});
		return { userId, membershipId };
	}

	const estateArgs = (over: Json = {}): Json => ({
		p_estate_id: null,
		p_community_id: w.communityId,
		p_name: '新建小区',
		p_address: '新路 8 号',
		p_map_mode: 'geographic',
		p_center_lat: 31.32,
		p_center_lng: 120.65,
		p_zoom: 18,
		p_plan_width: null,
		p_plan_height: null,
		...over
	});
	let estateSerial = 0;
	/** A new, empty estate made by the administrator. */
	async function newEstate(mode: 'geographic' | 'site_plan' = 'geographic') {
		estateSerial += 1;
		const args =
			mode === 'geographic'
				? estateArgs({ p_name: `测试小区${estateSerial}` })
				: estateArgs({ p_name: `测试小区${estateSerial}`, p_map_mode: 'site_plan', p_center_lat: null, p_center_lng: null, p_plan_width: 1000, p_plan_height: 800 });
		const { id } = await call<{ id: string }>('save_estate', args, as('admin'));
		return id;
	}

	// ------------------------------------------------------------------ reads

	describe('my_context', () => {
		it('is null for anon', async () => {
			expect(await call('my_context', {}, ANON)).toBeNull();
		});

		it('gives a member their profile and memberships with a readable unit', async () => {
			const ctx = await call<Json>('my_context', {}, as('resident'));
			expect(ctx).toMatchObject({ user_id: w.users.resident, display_name: 'resident', locale: 'zh-CN', is_admin: false });
			expect(ctx.memberships).toEqual([
				{
					id: w.memberships.resident,
					estate_id: w.a.id,
					estate_name: '桂花苑',
					status: 'verified',
					roles: [],
					reason: null,
					unit: '1栋 1单元 101',
					unit_note: null,
					decided_at: expect.any(String)
				}
			]);
		});

		it('labels a unit without entrance, shows roles, and shows a rejected person the reason', async () => {
			const committee = await call<{ memberships: Json[] }>('my_context', {}, as('committee'));
			expect(committee.memberships).toMatchObject([{ unit: '2栋 101', roles: ['committee'], status: 'verified' }]);
			const rejected = await call<{ memberships: Json[] }>('my_context', {}, as('rejected'));
			expect(rejected.memberships).toMatchObject([{ status: 'rejected', reason: '查无此户', unit: null }]);
		});

		it('shows an administrator as such, and a person without memberships an empty list', async () => {
			expect(await call('my_context', {}, as('admin'))).toMatchObject({ is_admin: true, memberships: [] });
			expect(await call('my_context', {}, as('nonmember'))).toMatchObject({ is_admin: false, memberships: [] });
		});
	});

	describe('list_estates', () => {
		it('lists every estate with its community, for anyone', async () => {
			const expected = [
				{ id: w.b.id, name: '梅花苑', address: '梅花苑路 1 号', community: '沧浪新城社区', community_id: w.communityId, district: '姑苏区', map_mode: 'geographic' },
				{ id: w.a.id, name: '桂花苑', address: '桂花苑路 1 号', community: '沧浪新城社区', community_id: w.communityId, district: '姑苏区', map_mode: 'geographic' }
			];
			// Ordered by community then estate name, as the database collates them.
			const order = await db.sql.query<{ id: string }>(`select id::text from public.estates order by name`);
			expected.sort((x, y) => order.findIndex((o) => o.id === x.id) - order.findIndex((o) => o.id === y.id));
			expect(await call('list_estates', {}, ANON)).toEqual(expected);
			expect(await call('list_estates', {}, as('resident'))).toEqual(expected);
		});
	});

	describe('estate_home', () => {
		it('shows anyone the estate and its map, but not its numbers', async () => {
			const home = await call<Json>('estate_home', { p_estate_id: w.a.id }, ANON);
			expect(home.estate).toEqual({
				id: w.a.id,
				name: '桂花苑',
				address: '桂花苑路 1 号',
				community: '沧浪新城社区',
				community_id: w.communityId,
				map_mode: 'geographic',
				center: [31.3, 120.61],
				zoom: 17,
				plan_image: null,
				plan_size: null
			});
			expect(home.areas).toEqual([
				{ id: w.a.buildings['1栋'], kind: 'building', name: '1栋', parent_id: w.a.courtyardId, geometry: square(120.6105, 31.3005) },
				{ id: w.a.buildings['2栋'], kind: 'building', name: '2栋', parent_id: w.a.courtyardId, geometry: expect.objectContaining({ type: 'Polygon' }) },
				{ id: w.a.courtyardId, kind: 'courtyard', name: '东院', parent_id: null, geometry: expect.objectContaining({ type: 'Polygon' }) }
			]);
			expect(home).toMatchObject({ is_member: false, numbers: null });
		});

		it('keeps the numbers from non-members: signed in, member elsewhere, pending', async () => {
			for (const p of ['nonmember', 'otherEstate', 'pending', 'rejected', 'committeeB'] as const) {
				expect(await call('estate_home', { p_estate_id: w.a.id }, as(p)), p).toMatchObject({ is_member: false, numbers: null });
			}
		});

		it('gives verified members and administrators the numbers', async () => {
			const numbers = { courtyards: 1, buildings: 2, units: 5, floor_area: 433.75, members: 4, pending: 1 };
			for (const p of ['resident', 'moderator', 'committee', 'admin'] as const) {
				expect(await call('estate_home', { p_estate_id: w.a.id }, as(p)), p).toMatchObject({ is_member: true, numbers });
			}
			expect(await call('estate_home', { p_estate_id: w.b.id }, as('otherEstate'))).toMatchObject({
				is_member: true,
				numbers: { courtyards: 1, buildings: 2, units: 3, floor_area: 265.5, members: 2, pending: 0 }
			});
		});

		it('answers an unknown estate with P0002', async () => {
			const unknown = { p_estate_id: '00000000-0000-4000-8000-00000000dead' };
			await expect(call('estate_home', unknown, ANON)).rejects.toMatchObject({ code: 'P0002', key: 'errors.estate_not_found' });
			await expect(call('estate_home', unknown, as('resident'))).rejects.toMatchObject({ code: 'P0002', key: 'errors.estate_not_found' });
		});
	});

	describe('estate_buildings', () => {
		it('lists the buildings of one estate only, for anyone', async () => {
			const expected = [
				{ id: w.a.buildings['1栋'], name: '1栋' },
				{ id: w.a.buildings['2栋'], name: '2栋' }
			];
			expect(await call('estate_buildings', { p_estate_id: w.a.id }, ANON)).toEqual(expected);
			expect(await call('estate_buildings', { p_estate_id: w.a.id }, as('nonmember'))).toEqual(expected);
			expect(await call('estate_buildings', { p_estate_id: '00000000-0000-4000-8000-00000000dead' }, ANON)).toEqual([]);
		});

		it('orders 2栋 before 10栋', async () => {
			const estate = await newEstate();
			for (const n of ['10栋', '2栋', '1栋']) {
				await db.sql.query(`insert into public.areas (estate_id, kind, name) values ($1, 'building', $2)`, [estate, n]);
			}
			const names = (await call<{ name: string }[]>('estate_buildings', { p_estate_id: estate }, ANON)).map((b) => b.name);
			expect(names).toEqual(['1栋', '2栋', '10栋']);
		});
	});

	describe('find_unit', () => {
		it('finds a registered unit, room case and spaces aside', async () => {
			const args = { p_estate_id: w.a.id, p_building_id: w.a.buildings['1栋'], p_entrance: ' 1 ', p_room: ' 101 ' };
			expect(await call('find_unit', args, as('committee'))).toBe(w.a.units['1栋/1/101']);
			await expect(call('find_unit', { ...args, p_room: '909' }, as('committee'))).rejects.toMatchObject({
				code: '22023',
				key: 'errors.unit_not_found',
				field: 'room'
			});
			await expect(call('find_unit', { ...args, p_estate_id: w.b.id }, as('committee'))).rejects.toMatchObject({ key: 'errors.unit_not_found' });
			await expect(call('find_unit', args, ANON)).rejects.toMatchObject({ code: '42501' });
		});
	});

	// ------------------------------------------------------------ memberships

	describe('request_membership', () => {
		const ask = (userId: string, over: Json = {}) =>
			call<Json>(
				'request_membership',
				{ p_estate_id: w.a.id, p_building_id: w.a.buildings['1栋'], p_entrance: '1', p_room: '201', p_claims_owner: true, ...over },
				user(userId)
			);

		it('records a pending request on the registered unit it names', async () => {
			const me = await createUser(db, '申请人甲');
			const res = await ask(me, { p_room: ' 201 ', p_entrance: '1 ' });
			expect(res).toEqual({ id: expect.any(String), status: 'pending', unit_found: true });
			const rows = await db.sql.query('select status, unit_id::text, unit_note, claims_owner, roles from public.memberships where user_id = $1', [me]);
			expect(rows).toEqual([{ status: 'pending', unit_id: w.a.units['1栋/1/201'], unit_note: null, claims_owner: true, roles: [] }]);
		});

		it('keeps a unit missing from the register as a note for the committee', async () => {
			const me = await createUser(db, '申请人乙');
			expect(await ask(me, { p_entrance: '2', p_room: '301', p_claims_owner: false })).toMatchObject({ status: 'pending', unit_found: false });
			const noEntrance = await createUser(db, '申请人丙');
			expect(await ask(noEntrance, { p_building_id: w.a.buildings['2栋'], p_entrance: '', p_room: '808' })).toMatchObject({ unit_found: false });
			const rows = await db.sql.query<{ unit_id: string | null; unit_note: string }>(
				'select unit_id::text, unit_note from public.memberships where user_id in ($1, $2) order by unit_note',
				[me, noEntrance]
			);
			expect(rows).toEqual([
				{ unit_id: null, unit_note: '1栋 2单元 301' },
				{ unit_id: null, unit_note: '2栋 808' }
			]);
		});

		it('refuses a second request, and a request from a verified member, with errors.membership_exists', async () => {
			const me = await createUser(db, '申请人丁');
			await ask(me);
			await expect(ask(me)).rejects.toMatchObject({ code: '23505', key: 'errors.membership_exists' });
			await expect(ask(w.users.resident)).rejects.toMatchObject({ code: '23505', key: 'errors.membership_exists' });
			expect(await scalar('select count(*)::int as v from public.memberships where user_id = $1', [me])).toBe(1);
		});

		it('lets a rejected person ask again', async () => {
			const { userId, membershipId } = await memberOfA('被拒者', 'rejected');
			const res = await ask(userId);
			expect(res.id).not.toBe(membershipId);
			const rows = await db.sql.query('select id::text, status, reason from public.memberships where user_id = $1', [userId]);
			expect(rows).toEqual([{ id: res.id, status: 'pending', reason: null }]);
		});

		it('refuses a building of another estate, an unknown estate and a bad room, writing nothing', async () => {
			const me = await createUser(db, '申请人戊');
			await expect(ask(me, { p_building_id: w.b.buildings['1栋'] })).rejects.toMatchObject({
				code: '22023',
				key: 'errors.building_not_in_estate',
				field: 'building_id'
			});
			await expect(ask(me, { p_building_id: w.a.courtyardId })).rejects.toMatchObject({ key: 'errors.building_not_in_estate' });
			await expect(ask(me, { p_estate_id: '00000000-0000-4000-8000-00000000dead' })).rejects.toMatchObject({
				code: 'P0002',
				key: 'errors.estate_not_found'
			});
			await expect(ask(me, { p_room: '  ' })).rejects.toMatchObject({ code: '22023', key: 'errors.room_invalid', field: 'room' });
			await expect(ask(me, { p_room: '12345678901' })).rejects.toMatchObject({ key: 'errors.room_invalid' });
			await expect(ask(me, { p_entrance: '12345678901' })).rejects.toMatchObject({ key: 'errors.room_invalid' });
			expect(await scalar('select count(*)::int as v from public.memberships where user_id = $1', [me])).toBe(0);
		});

		it('is not for anon, and says sign-in required to a token without a user', async () => {
			await expect(call('request_membership', { p_estate_id: w.a.id, p_building_id: w.a.buildings['1栋'], p_entrance: '', p_room: '1' }, ANON)).rejects.toMatchObject({
				code: '42501'
			});
			const attempt = db.sql.transaction(async (tx) => {
				await tx.query('set local role authenticated');
				await tx.query(`select set_config('request.jwt.claims', '{"role":"authenticated"}', true)`);
				return tx.query('select public.request_membership($1, $2, $3, $4)', [w.a.id, w.a.buildings['1栋'], '1', '101']);
			});
			await expect(attempt).rejects.toMatchObject({ code: '42501', message: 'errors.sign_in_required' });
		});

		it('takes no request by a direct table write: memberships change through the functions only', async () => {
			const me = await createUser(db, '申请人己');
			for (const unit of [w.b.units['1栋//101'], w.a.units['1栋/1/101']]) {
				await expect(
					asUserSql(me, 'insert into public.memberships (estate_id, user_id, unit_id) values ($1, $2, $3)', [w.a.id, me, unit])
				).rejects.toMatchObject({ code: '42501' });
			}
			expect(await scalar('select count(*)::int as v from public.memberships where user_id = $1', [me])).toBe(0);
		});
	});

	describe('leave_estate', () => {
		it('withdraws a pending request and leaves a verified membership, once', async () => {
			for (const status of ['pending', 'verified'] as const) {
				const { userId } = await memberOfA(`离开者${status}`, status);
				await call('leave_estate', { p_estate_id: w.a.id }, user(userId));
				expect(await scalar('select count(*)::int as v from public.memberships where user_id = $1', [userId])).toBe(0);
				await expect(call('leave_estate', { p_estate_id: w.a.id }, user(userId))).rejects.toMatchObject({
					code: 'P0002',
					key: 'errors.membership_not_found'
				});
			}
		});

		it('lets a committee member leave, and touches no one else', async () => {
			const { userId } = await memberOfA('离任委员', 'verified', ['committee']);
			const before = await scalar('select count(*)::int as v from public.memberships');
			await call('leave_estate', { p_estate_id: w.a.id }, user(userId));
			expect(await scalar('select count(*)::int as v from public.memberships')).toBe(before - 1);
			await expect(call('leave_estate', { p_estate_id: w.a.id }, as('nonmember'))).rejects.toMatchObject({ code: 'P0002' });
			await expect(call('leave_estate', { p_estate_id: w.a.id }, ANON)).rejects.toMatchObject({ code: '42501' });
		});
	});

	describe('estate_members', () => {
		it("gives the committee the pending queue and the verified members with roles", async () => {
			const page = await call<{ pending: Json[]; members: Json[]; units: number; can_grant: string[] }>('estate_members', { p_estate_id: w.a.id }, as('committee'));
			const fixturePending = page.pending.find((p) => p.id === w.memberships.pending);
			expect(fixturePending).toEqual({
				id: w.memberships.pending,
				name: 'pending',
				unit: '1栋 1单元 102',
				unit_note: null,
				claims_owner: true,
				created_at: expect.any(String)
			});
			expect(page.pending.every((p) => p.id !== w.memberships.rejected)).toBe(true);
			const members = Object.fromEntries(page.members.map((m) => [m.name, m]));
			expect(members.resident).toEqual({
				id: w.memberships.resident,
				user_id: w.users.resident,
				name: 'resident',
				unit: '1栋 1单元 101',
				roles: [],
				decided_at: expect.any(String),
				// Linked to 张三, the only owner the register names for 1栋 1单元 101.
				owner: { id: w.a.owners['张三'], name: '张三' },
				unit_owners: [{ id: w.a.owners['张三'], name: '张三', taken: false }]
			});
			// 2栋 101 is 李四's, not linked to anyone: the committee member could be linked to it.
			expect(members.committee).toMatchObject({ roles: ['committee'], unit: '2栋 101', owner: null, unit_owners: [{ name: '李四', taken: false }] });
			expect(members.moderator).toMatchObject({ roles: ['moderator'], unit: null });
			expect(members.pending).toBeUndefined();
			expect(members.otherEstate).toBeUndefined();
			expect(page.units).toBe(5);
			expect(page.can_grant).toEqual(['owner', 'volunteer', 'moderator']);
		});

		it('lets an administrator grant every role', async () => {
			const page = await call<{ can_grant: string[] }>('estate_members', { p_estate_id: w.a.id }, as('admin'));
			expect(page.can_grant).toEqual(['owner', 'volunteer', 'moderator', 'committee', 'party_member']);
		});

		it('refuses residents, role holders, and the committee of another estate with 42501', async () => {
			for (const p of ['resident', 'moderator', 'pending', 'nonmember', 'committeeB'] as const) {
				await expect(call('estate_members', { p_estate_id: w.a.id }, as(p)), p).rejects.toMatchObject({ code: '42501', key: 'errors.forbidden' });
			}
			await expect(call('estate_members', { p_estate_id: w.a.id }, ANON)).rejects.toMatchObject({ code: '42501' });
		});
	});

	describe('decide_membership', () => {
		const decide = (id: string, verify: boolean, reason: string | null, caller: Caller) =>
			call<Json>('decide_membership', { p_membership_id: id, p_verify: verify, p_reason: reason }, caller);
		const row = (id: string) =>
			db.sql.query('select status, reason, roles, decided_by::text, decided_at is not null as decided from public.memberships where id = $1', [id]);

		it('verifies a pending request, without making a claimed owner an owner', async () => {
			const { membershipId } = await memberOfA('待审甲', 'pending', [], { unitId: w.a.units['1栋/1/201'], claimsOwner: true });
			expect(await decide(membershipId, true, null, as('committee'))).toEqual({ id: membershipId, status: 'verified' });
			expect(await row(membershipId)).toEqual([{ status: 'verified', reason: null, roles: [], decided_by: w.users.committee, decided: true }]);
		});

		it('rejects only with a reason, which is kept', async () => {
			const { membershipId } = await memberOfA('待审乙', 'pending');
			for (const reason of [null, '', '   ']) {
				await expect(decide(membershipId, false, reason, as('committee'))).rejects.toMatchObject({
					code: '22023',
					key: 'errors.reason_required',
					field: 'reason'
				});
			}
			expect(await row(membershipId)).toMatchObject([{ status: 'pending', decided: false }]);
			expect(await decide(membershipId, false, '  不是本小区住户 ', as('committee'))).toEqual({ id: membershipId, status: 'rejected' });
			expect(await row(membershipId)).toEqual([{ status: 'rejected', reason: '不是本小区住户', roles: [], decided_by: w.users.committee, decided: true }]);
		});

		it('refuses a membership that is not pending', async () => {
			await expect(decide(w.memberships.resident!, false, '搬走了', as('committee'))).rejects.toMatchObject({
				code: '22023',
				key: 'errors.membership_not_pending'
			});
			await expect(decide(w.memberships.rejected!, true, null, as('committee'))).rejects.toMatchObject({ key: 'errors.membership_not_pending' });
		});

		it('hides the memberships of other estates from their non-managers, and lets an administrator decide', async () => {
			const { membershipId } = await memberOfA('待审丙', 'pending');
			for (const p of ['committeeB', 'resident', 'moderator'] as const) {
				await expect(decide(membershipId, true, null, as(p)), p).rejects.toMatchObject({ code: 'P0002', key: 'errors.membership_not_found' });
			}
			await expect(decide('00000000-0000-4000-8000-00000000dead', true, null, as('committee'))).rejects.toMatchObject({ code: 'P0002' });
			await expect(decide(membershipId, true, null, ANON)).rejects.toMatchObject({ code: '42501' });
			expect(await row(membershipId)).toMatchObject([{ status: 'pending' }]);
			expect(await decide(membershipId, true, null, as('admin'))).toMatchObject({ status: 'verified' });
			expect(await row(membershipId)).toMatchObject([{ status: 'verified', decided_by: w.users.admin }]);
		});
	});

	describe('set_member_roles', () => {
		const setRoles = (id: string, roles: string[] | null, caller: Caller) => call<Json>('set_member_roles', { p_membership_id: id, p_roles: roles }, caller);
		const rolesOf = (id: string) => scalar<string[]>('select roles as v from public.memberships where id = $1', [id]);

		it('lets the committee grant and take back volunteer, moderator and owner', async () => {
			const { membershipId } = await memberOfA('住户甲', 'verified');
			expect(await setRoles(membershipId, ['volunteer', 'owner', 'moderator', 'owner'], as('committee'))).toEqual({
				id: membershipId,
				roles: ['moderator', 'owner', 'volunteer']
			});
			expect(await setRoles(membershipId, ['owner'], as('committee'))).toEqual({ id: membershipId, roles: ['owner'] });
			expect(await setRoles(membershipId, null, as('committee'))).toEqual({ id: membershipId, roles: [] });
		});

		it('keeps committee and party_member for administrators: errors.role_not_grantable', async () => {
			const { membershipId } = await memberOfA('住户乙', 'verified', ['volunteer']);
			for (const roles of [['committee'], ['party_member'], ['volunteer', 'committee']]) {
				await expect(setRoles(membershipId, roles, as('committee')), roles.join()).rejects.toMatchObject({
					code: '42501',
					key: 'errors.role_not_grantable',
					field: 'roles'
				});
			}
			expect(await rolesOf(membershipId)).toEqual(['volunteer']);
			// Nor may the committee take the committee role from a colleague.
			const colleague = await memberOfA('委员乙', 'verified', ['committee']);
			await expect(setRoles(colleague.membershipId, [], as('committee'))).rejects.toMatchObject({ key: 'errors.role_not_grantable' });
			expect(await rolesOf(colleague.membershipId)).toEqual(['committee']);
		});

		it('does not let anyone but an administrator change their own roles', async () => {
			await expect(setRoles(w.memberships.committee!, ['committee', 'moderator'], as('committee'))).rejects.toMatchObject({
				code: '42501',
				key: 'errors.role_not_grantable'
			});
			// Setting the same roles again changes nothing, so it passes.
			expect(await setRoles(w.memberships.committee!, ['committee'], as('committee'))).toMatchObject({ roles: ['committee'] });
			await expect(setRoles(w.memberships.resident!, ['volunteer'], as('resident'))).rejects.toMatchObject({
				code: 'P0002',
				key: 'errors.membership_not_found'
			});
			expect(await rolesOf(w.memberships.resident!)).toEqual([]);
		});

		it('does not let a resident change their own roles by a direct table update either', async () => {
			// Memberships have no write grant: every change goes through the functions.
			await expect(asUserSql(w.users.resident, `update public.memberships set roles = '{committee}' where id = $1`, [w.memberships.resident])).rejects.toThrow(
				/permission denied/
			);
			await expect(
				asUserSql(w.users.resident, `update public.memberships set roles = '{owner}', status = 'verified' where user_id = $1`, [w.users.resident])
			).rejects.toThrow(/permission denied/);
			expect(await rolesOf(w.memberships.resident!)).toEqual([]);
			// Nor can a pending applicant verify themself.
			await expect(asUserSql(w.users.pending, `update public.memberships set status = 'verified' where id = $1`, [w.memberships.pending])).rejects.toThrow(
				/permission denied/
			);
			expect(await scalar('select status as v from public.memberships where id = $1', [w.memberships.pending])).toBe('pending');
		});

		it('lets an administrator grant every role', async () => {
			const { membershipId } = await memberOfA('住户丙', 'verified');
			expect(await setRoles(membershipId, ['party_member', 'committee', 'owner', 'volunteer', 'moderator'], as('admin'))).toEqual({
				id: membershipId,
				roles: ['committee', 'moderator', 'owner', 'party_member', 'volunteer']
			});
		});

		it('refuses unknown roles, unverified memberships and other estates', async () => {
			const { membershipId } = await memberOfA('住户丁', 'verified');
			for (const caller of ['committee', 'admin'] as const) {
				await expect(setRoles(membershipId, ['volunteer', 'king'], as(caller)), caller).rejects.toMatchObject({
					code: '22023',
					key: 'errors.role_unknown',
					field: 'roles'
				});
			}
			await expect(setRoles(w.memberships.pending!, ['volunteer'], as('committee'))).rejects.toMatchObject({
				code: '22023',
				key: 'errors.membership_not_verified'
			});
			await expect(setRoles(membershipId, ['volunteer'], as('committeeB'))).rejects.toMatchObject({ code: 'P0002', key: 'errors.membership_not_found' });
			await expect(setRoles(membershipId, ['volunteer'], ANON)).rejects.toMatchObject({ code: '42501' });
			expect(await rolesOf(membershipId)).toEqual([]);
		});
	});

	describe('enrol_member', () => {
		const enrol = (userId: string, unitId: string | null, caller: Caller, estateId = w.a.id) =>
			call<Json>('enrol_member', { p_estate_id: estateId, p_user_id: userId, p_unit_id: unitId }, caller);

		it('makes the committee-created account a verified member of a unit', async () => {
			const person = await createUser(db, '无手机老人', { assisted: true });
			const res = await enrol(person, w.a.units['1栋/1/102'], as('committee'));
			expect(res).toEqual({ id: expect.any(String) });
			const ctx = await call<{ memberships: Json[] }>('my_context', {}, user(person));
			expect(ctx.memberships).toMatchObject([{ id: res.id, status: 'verified', unit: '1栋 1单元 102', roles: [] }]);
			expect(await scalar('select decided_by::text as v from public.memberships where id = $1', [res.id])).toBe(w.users.committee);
			const withoutUnit = await createUser(db, '租户', { assisted: true });
			expect(await enrol(withoutUnit, null, as('admin'))).toEqual({ id: expect.any(String) });
		});

		it('refuses a unit of another estate, a second membership, and non-managers', async () => {
			const person = await createUser(db, '新住户', { assisted: true });
			await expect(enrol(person, w.b.units['1栋//101'], as('committee'))).rejects.toMatchObject({
				code: '22023',
				key: 'errors.unit_not_in_estate',
				field: 'unit_id'
			});
			for (const p of ['resident', 'moderator', 'committeeB'] as const) {
				await expect(enrol(person, null, as(p)), p).rejects.toMatchObject({ code: '42501', key: 'errors.forbidden' });
			}
			await expect(enrol(person, null, ANON)).rejects.toMatchObject({ code: '42501' });
			expect(await scalar('select count(*)::int as v from public.memberships where user_id = $1', [person])).toBe(0);
			// Someone who signed up themself, or is already a member, asks to join instead.
			await expect(enrol(w.users.resident, null, as('committee'))).rejects.toMatchObject({ code: '42501', key: 'errors.not_assisted_account' });
			await expect(enrol(w.users.nonmember, null, as('committee'))).rejects.toMatchObject({ code: '42501', key: 'errors.not_assisted_account' });
		});
	});

	describe('update_my_profile', () => {
		it('changes the caller’s name and language, trimmed', async () => {
			const me = await createUser(db, '改名者');
			await call('update_my_profile', { p_display_name: '  王阿姨  ', p_locale: 'en' }, user(me));
			expect(await db.sql.query('select display_name, locale, is_admin from public.profiles where id = $1', [me])).toEqual([
				{ display_name: '王阿姨', locale: 'en', is_admin: false }
			]);
		});

		it('refuses a blank or long name and an unknown language, changing nothing', async () => {
			const me = await createUser(db, '原名');
			for (const bad of ['', '   ', 'x'.repeat(41), null]) {
				await expect(call('update_my_profile', { p_display_name: bad, p_locale: 'zh-CN' }, user(me))).rejects.toMatchObject({
					code: '22023',
					key: 'errors.name_invalid',
					field: 'display_name'
				});
			}
			await expect(call('update_my_profile', { p_display_name: '新名', p_locale: 'fr' }, user(me))).rejects.toMatchObject({
				code: '22023',
				key: 'errors.locale_invalid',
				field: 'locale'
			});
			expect(await db.sql.query('select display_name, locale from public.profiles where id = $1', [me])).toEqual([{ display_name: '原名', locale: 'zh-CN' }]);
			await expect(call('update_my_profile', { p_display_name: '匿名', p_locale: 'zh-CN' }, ANON)).rejects.toMatchObject({ code: '42501' });
		});

		it('keeps is_admin out of a user’s reach through a direct UPDATE', async () => {
			await expect(asUserSql(w.users.resident, 'update public.profiles set is_admin = true where id = $1', [w.users.resident])).rejects.toMatchObject({
				code: '42501'
			});
			await expect(
				asUserSql(w.users.resident, `update public.profiles set display_name = 'x', is_admin = true where id = $1`, [w.users.resident])
			).rejects.toMatchObject({ code: '42501' });
			expect(await scalar('select is_admin as v from public.profiles where id = $1', [w.users.resident])).toBe(false);
		});
	});

	describe('new accounts (private.handle_new_user)', () => {
		it('get a profile with a cleaned-up name and a supported language', async () => {
			const profile = async (meta: Json) => {
				const [{ id }] = await db.sql.query<{ id: string }>(
					'insert into auth.users (raw_user_meta_data) values ($1::text::jsonb) returning id::text',
					[JSON.stringify(meta)]
				);
				return (await db.sql.query('select display_name, locale, is_admin from public.profiles where id = $1', [id]))[0];
			};
			expect(await profile({ display_name: '  李阿姨 ', locale: 'en' })).toEqual({ display_name: '李阿姨', locale: 'en', is_admin: false });
			expect(await profile({ display_name: '   ', locale: 'fr' })).toEqual({ display_name: '邻居', locale: 'zh-CN', is_admin: false });
			expect(await profile({})).toEqual({ display_name: '邻居', locale: 'zh-CN', is_admin: false });
			expect(await profile({ display_name: '长'.repeat(50) })).toMatchObject({ display_name: '长'.repeat(40) });
		});
	});

	// --------------------------------------------------------- administration

	describe('admin_overview', () => {
		it('shows an administrator every estate with its sizes', async () => {
			const o = await call<{ is_admin: boolean; communities: Json[]; estates: Json[] }>('admin_overview', {}, as('admin'));
			expect(o.is_admin).toBe(true);
			expect(o.communities).toContainEqual({ id: w.communityId, name: '沧浪新城社区', district: '姑苏区' });
			const a = o.estates.find((e) => e.id === w.a.id);
			expect(a).toMatchObject({ name: '桂花苑', community: '沧浪新城社区', map_mode: 'geographic', areas: 3, units: 5 });
			expect(a?.pending).toBe(await scalar(`select count(*)::int as v from public.memberships where estate_id = $1 and status = 'pending'`, [w.a.id]));
			expect(o.estates.find((e) => e.id === w.b.id)).toMatchObject({ areas: 3, units: 3, pending: 0 });
		});

		it('shows a committee member only their estate, and refuses everyone else', async () => {
			const o = await call<{ is_admin: boolean; estates: Json[] }>('admin_overview', {}, as('committee'));
			expect(o.is_admin).toBe(false);
			expect(o.estates.map((e) => e.id)).toEqual([w.a.id]);
			for (const p of ['resident', 'moderator', 'pending', 'nonmember'] as const) {
				await expect(call('admin_overview', {}, as(p)), p).rejects.toMatchObject({ code: '42501', key: 'errors.forbidden' });
			}
			await expect(call('admin_overview', {}, ANON)).rejects.toMatchObject({ code: '42501' });
		});
	});

	describe('create_community', () => {
		it('lets an administrator add a community', async () => {
			const { id } = await call<{ id: string }>('create_community', { p_name: '  友新社区 ', p_district: '  ' }, as('admin'));
			expect(await db.sql.query('select name, district from public.communities where id = $1', [id])).toEqual([{ name: '友新社区', district: null }]);
			const second = await call<{ id: string }>('create_community', { p_name: '南环社区', p_district: '姑苏区' }, as('admin'));
			expect(await scalar('select district as v from public.communities where id = $1', [second.id])).toBe('姑苏区');
		});

		it('refuses a bad name and anyone but an administrator, writing nothing', async () => {
			const before = await scalar('select count(*)::int as v from public.communities');
			for (const bad of ['', '  ', 'x'.repeat(61)]) {
				await expect(call('create_community', { p_name: bad }, as('admin'))).rejects.toMatchObject({ code: '22023', key: 'errors.name_invalid', field: 'name' });
			}
			for (const p of ['committee', 'resident'] as const) {
				await expect(call('create_community', { p_name: '野社区' }, as(p)), p).rejects.toMatchObject({ code: '42501', key: 'errors.forbidden' });
			}
			await expect(call('create_community', { p_name: '野社区' }, ANON)).rejects.toMatchObject({ code: '42501' });
			expect(await scalar('select count(*)::int as v from public.communities')).toBe(before);
		});
	});

	describe('save_estate', () => {
		it('creates and updates geographic and site-plan estates', async () => {
			const { id } = await call<{ id: string }>('save_estate', estateArgs({ p_name: ' 荷花苑 ', p_zoom: null }), as('admin'));
			expect(await db.sql.query('select name, address, map_mode, center_lat::float8 as lat, center_lng::float8 as lng, zoom from public.estates where id = $1', [id])).toEqual([
				{ name: '荷花苑', address: '新路 8 号', map_mode: 'geographic', lat: 31.32, lng: 120.65, zoom: 17 }
			]);
			expect(
				await call('save_estate', estateArgs({ p_estate_id: id, p_name: '荷花苑', p_address: '', p_map_mode: 'site_plan', p_center_lat: null, p_center_lng: null, p_plan_width: 1200, p_plan_height: 900 }), as('admin'))
			).toEqual({ id });
			expect(await db.sql.query('select address, map_mode, center_lat, plan_width, plan_height from public.estates where id = $1', [id])).toEqual([
				{ address: null, map_mode: 'site_plan', center_lat: null, plan_width: 1200, plan_height: 900 }
			]);
			// Saving an estate under its own name is not a clash.
			expect(await call('save_estate', estateArgs({ p_estate_id: id, p_name: '荷花苑' }), as('admin'))).toEqual({ id });
		});

		it('reports each invalid field and writes nothing', async () => {
			const before = await db.sql.query('select id, name, address, map_mode from public.estates order by id');
			const cases: Array<[Json, Json]> = [
				[{ p_community_id: '00000000-0000-4000-8000-00000000dead' }, { code: '22023', key: 'errors.community_not_found', field: 'community_id' }],
				[{ p_name: '   ' }, { code: '22023', key: 'errors.name_invalid', field: 'name' }],
				[{ p_name: 'x'.repeat(61) }, { code: '22023', key: 'errors.name_invalid', field: 'name' }],
				[{ p_center_lat: null }, { code: '22023', key: 'errors.center_required', field: 'center_lat' }],
				[{ p_map_mode: 'site_plan', p_plan_height: 800 }, { code: '22023', key: 'errors.plan_size_required', field: 'plan_width' }],
				[{ p_name: '梅花苑' }, { code: '23505', key: 'errors.estate_name_taken', field: 'name' }],
				[{ p_estate_id: w.b.id, p_name: '桂花苑' }, { code: '23505', key: 'errors.estate_name_taken', field: 'name' }],
				[{ p_estate_id: '00000000-0000-4000-8000-00000000dead', p_name: '不存在' }, { code: 'P0002', key: 'errors.estate_not_found' }],
				[{ p_center_lat: 95 }, { code: '23514' }],
				[{ p_zoom: 25 }, { code: '23514' }],
				[{ p_map_mode: 'satellite' }, { code: '23514' }]
			];
			for (const [over, error] of cases) {
				await expect(call('save_estate', estateArgs(over), as('admin')), JSON.stringify(over)).rejects.toMatchObject(error);
			}
			expect(await db.sql.query('select id, name, address, map_mode from public.estates order by id')).toEqual(before);
		});

		it('is for administrators only', async () => {
			for (const p of ['committee', 'resident'] as const) {
				await expect(call('save_estate', estateArgs({ p_name: '私建小区' }), as(p)), p).rejects.toMatchObject({ code: '42501', key: 'errors.forbidden' });
				await expect(call('save_estate', estateArgs({ p_estate_id: w.a.id, p_name: '改名' }), as(p)), p).rejects.toMatchObject({ code: '42501' });
			}
			await expect(call('save_estate', estateArgs(), ANON)).rejects.toMatchObject({ code: '42501' });
			expect(await scalar('select name as v from public.estates where id = $1', [w.a.id])).toBe('桂花苑');
		});
	});

	describe('import_areas and export_areas', () => {
		const geo = (i: number) => square(120.65 + i * 0.001, 31.32);
		const good = () =>
			collection(
				feature('南院', 'courtyard', square(120.649, 31.319, 0.01)),
				feature('5栋', 'building', geo(1), '南院'),
				feature('6栋', 'building', geo(2), '南院'),
				feature(' 小广场 ', 'space', { type: 'MultiPolygon', coordinates: [geo(3).coordinates, geo(4).coordinates] })
			);
		const imp = (estateId: string, c: unknown, caller: Caller) => call<Json>('import_areas', { p_estate_id: estateId, p_collection: c }, caller);
		const areasOf = (estateId: string) =>
			db.sql.query<{ kind: string; name: string; parent: string | null; geometry: unknown }>(
				`select a.kind, a.name, p.name as parent, a.geometry from public.areas a left join public.areas p on p.id = a.parent_id
				 where a.estate_id = $1 order by a.kind, a.name`,
				[estateId]
			);

		it('adds the areas of a good collection with their parents, and updates them on a second import', async () => {
			const estate = await newEstate();
			expect(await imp(estate, good(), as('admin'))).toEqual({ ok: true, inserted: 4, updated: 0, total: 4 });
			expect((await areasOf(estate)).map((a) => [a.kind, a.name, a.parent])).toEqual([
				['building', '5栋', '南院'],
				['building', '6栋', '南院'],
				['courtyard', '南院', null],
				['space', '小广场', null]
			]);
			const again = collection(feature('6栋', 'building', geo(7), '南院'), feature('7栋', 'building', geo(8), '南院'), feature('南院', 'courtyard', square(120.649, 31.319, 0.01)));
			expect(await imp(estate, again, as('admin'))).toEqual({ ok: true, inserted: 1, updated: 2, total: 3 });
			const areas = await areasOf(estate);
			expect(areas).toHaveLength(5);
			expect(areas.find((a) => a.name === '6栋')?.geometry).toEqual(geo(7));
			expect(areas.find((a) => a.name === '7栋')?.parent).toBe('南院');
		});

		it('takes a parent that is already in the estate, and lets the committee import into its own estate', async () => {
			const estate = await newEstate();
			await imp(estate, collection(feature('北院', 'courtyard', square(120.649, 31.319, 0.01))), as('admin'));
			expect(await imp(estate, collection(feature('9栋', 'building', geo(1), '北院')), as('admin'))).toMatchObject({ ok: true, inserted: 1 });
			expect((await areasOf(estate)).find((a) => a.name === '9栋')?.parent).toBe('北院');

			const before = await register(w.a.id);
			expect(await imp(w.a.id, collection(feature('健身角', 'space', square(120.6101, 31.3001, 0.0001), '东院')), as('committee'))).toEqual({
				ok: true,
				inserted: 1,
				updated: 0,
				total: 1
			});
			expect((await register(w.a.id))[0]).toMatchObject({ areas: (before[0] as { areas: number }).areas + 1 });
			await db.sql.query(`delete from public.areas where estate_id = $1 and name = '健身角'`, [w.a.id]);
		});

		it('reports every bad feature with its 1-based index and key, and then writes nothing', async () => {
			const estate = await newEstate();
			await imp(estate, good(), as('admin'));
			const before = await register(estate);
			const open = { type: 'Polygon', coordinates: [[[120.65, 31.32], [120.651, 31.32], [120.651, 31.321], [120.65, 31.321]]] };
			const bad = collection(
				feature('5栋', 'building', geo(9), '南院'), // 1: good (an update)
				feature('  ', 'building', geo(1)), // 2
				feature('8栋', 'tower', geo(1)), // 3
				feature('8栋', 'building', geo(1)), // 4: good
				feature('8栋', 'building', geo(2)), // 5: same kind and name as 4
				feature('9栋', 'building', open), // 6
				feature('10栋', 'building', { type: 'Point', coordinates: [120.65, 31.32] }), // 7
				feature('11栋', 'building', square(200, 31.32)), // 8
				feature('12栋', 'building', geo(3), '不存在的院'), // 9
				feature('x'.repeat(41), 'space', geo(4)), // 10
				feature('13栋', 'building', null) // 11
			);
			expect(await imp(estate, bad, as('admin'))).toEqual({
				ok: false,
				total: 11,
				errors: [
					{ line: 2, field: 'name', key: 'errors.import.area_name' },
					{ line: 3, field: 'kind', key: 'errors.import.area_kind' },
					{ line: 5, field: 'name', key: 'errors.import.area_duplicate' },
					{ line: 6, field: 'geometry', key: 'errors.import.area_geometry' },
					{ line: 7, field: 'geometry', key: 'errors.import.area_geometry' },
					{ line: 8, field: 'geometry', key: 'errors.import.area_out_of_bounds' },
					{ line: 9, field: 'parent', key: 'errors.import.area_parent' },
					{ line: 10, field: 'name', key: 'errors.import.area_name' },
					{ line: 11, field: 'geometry', key: 'errors.import.area_geometry' }
				]
			});
			expect(await register(estate)).toEqual(before);
		});

		it('refuses what is not a feature collection, or an empty one', async () => {
			const estate = await newEstate();
			for (const c of [{ type: 'Feature' }, { type: 'FeatureCollection', features: {} }, [1, 2]]) {
				await expect(imp(estate, c, as('admin')), JSON.stringify(c)).rejects.toMatchObject({
					code: '22023',
					key: 'errors.import.not_feature_collection',
					field: 'file'
				});
			}
			await expect(imp(estate, collection(), as('admin'))).rejects.toMatchObject({ code: '22023', key: 'errors.import.empty', field: 'file' });
			expect((await register(estate))[0]).toMatchObject({ areas: 0 });
		});

		it('keeps the areas of a site-plan estate inside the plan', async () => {
			const estate = await newEstate('site_plan');
			const res = await imp(
				estate,
				collection(
					feature('A区', 'courtyard', rect(0, 0, 1000, 800)),
					feature('1号楼', 'building', rect(900, 700, 100, 100), 'A区'),
					feature('2号楼', 'building', rect(950, 700, 100, 50)),
					feature('3号楼', 'building', rect(-1, 10, 50, 50)),
					feature('4号楼', 'building', rect(10, 700, 50, 101))
				),
				as('admin')
			);
			expect(res).toEqual({
				ok: false,
				total: 5,
				errors: [
					{ line: 3, field: 'geometry', key: 'errors.import.area_out_of_bounds' },
					{ line: 4, field: 'geometry', key: 'errors.import.area_out_of_bounds' },
					{ line: 5, field: 'geometry', key: 'errors.import.area_out_of_bounds' }
				]
			});
			expect(await imp(estate, collection(feature('A区', 'courtyard', rect(0, 0, 1000, 800)), feature('1号楼', 'building', rect(900, 700, 100, 100), 'A区')), as('admin'))).toMatchObject({
				ok: true,
				inserted: 2
			});
		});

		it('is for the estate’s managers only', async () => {
			const before = await register(w.a.id);
			const c = collection(feature('偷建', 'space', square(120.6101, 31.3001, 0.0001)));
			for (const p of ['committeeB', 'resident', 'moderator'] as const) {
				await expect(imp(w.a.id, c, as(p)), p).rejects.toMatchObject({ code: 'P0002', key: 'errors.estate_not_found' });
			}
			await expect(imp(w.a.id, c, ANON)).rejects.toMatchObject({ code: '42501' });
			await expect(imp('00000000-0000-4000-8000-00000000dead', c, as('admin'))).rejects.toMatchObject({ code: 'P0002' });
			expect(await register(w.a.id)).toEqual(before);
		});

		it('exports a collection that imports into another estate as the same areas', async () => {
			const source = await newEstate();
			await imp(source, good(), as('admin'));
			const exported = await call<{ type: string; features: Feature[] }>('export_areas', { p_estate_id: source }, as('admin'));
			expect(exported.type).toBe('FeatureCollection');
			expect(exported.features).toHaveLength(4);
			expect(exported.features[0]).toEqual({ type: 'Feature', properties: { name: '5栋', kind: 'building', parent: '南院' }, geometry: geo(1) });
			expect(exported.features.find((f) => f.properties.name === '南院')?.properties).toEqual({ name: '南院', kind: 'courtyard' });

			const target = await newEstate();
			expect(await imp(target, exported, as('admin'))).toEqual({ ok: true, inserted: 4, updated: 0, total: 4 });
			expect(await call('export_areas', { p_estate_id: target }, as('admin'))).toEqual(exported);
			expect((await areasOf(target)).map((a) => [a.kind, a.name, a.parent])).toEqual((await areasOf(source)).map((a) => [a.kind, a.name, a.parent]));
		});

		it('exports the fixture estate for a signed-in user, and an empty collection for an estate without areas', async () => {
			const a = await call<{ features: Feature[] }>('export_areas', { p_estate_id: w.a.id }, as('resident'));
			expect(a.features.map((f) => f.properties)).toEqual([
				{ name: '1栋', kind: 'building', parent: '东院' },
				{ name: '2栋', kind: 'building', parent: '东院' },
				{ name: '东院', kind: 'courtyard' }
			]);
			expect(await call('export_areas', { p_estate_id: await newEstate() }, as('admin'))).toEqual({ type: 'FeatureCollection', features: [] });
			await expect(call('export_areas', { p_estate_id: w.a.id }, ANON)).rejects.toMatchObject({ code: '42501' });
		});
	});

	describe('import_units and estate_units', () => {
		const imp = (estateId: string, rows: unknown, caller: Caller = as('admin')) => call<Json>('import_units', { p_estate_id: estateId, p_rows: rows }, caller);
		/** A new estate with buildings 1栋 and 2栋. */
		async function estateWithBuildings() {
			const estate = await newEstate();
			await call('import_areas', { p_estate_id: estate, p_collection: collection(feature('1栋', 'building', square(120.65, 31.32)), feature('2栋', 'building', square(120.651, 31.32))) }, as('admin'));
			return estate;
		}
		const unitsOf = async (estateId: string) =>
			(
				await db.sql.query<{ unit: string; floor_area: string; developer_held: boolean; owners: string[] }>(
					`select a.name || '/' || u.entrance || '/' || u.room as unit, u.floor_area::text, u.developer_held,
					        array(select o.name from public.unit_owners uo join public.owners o on o.id = uo.owner_id where uo.unit_id = u.id) as owners
					 from public.units u join public.areas a on a.id = u.building_id where u.estate_id = $1`,
					[estateId]
				)
			)
				// Sorted here, not in SQL: the order of Chinese names depends on the server's collation.
				.map((r) => ({ ...r, owners: [...r.owners].sort().join(';') }))
				.sort((x, y) => (x.unit < y.unit ? -1 : x.unit > y.unit ? 1 : 0));

		it('adds good rows with their owners and developer flag', async () => {
			const estate = await estateWithBuildings();
			const res = await imp(estate, [
				unitRow(2, '1栋', '1', '101', '89.5', '甲;乙'),
				unitRow(3, '1栋', '1', '102', '100', '乙', '否'),
				unitRow(4, '2栋', '', '101', '60.25', '开发商', '是'),
				unitRow(5, ' 2栋 ', ' ', ' 102 ', ' 70 ', ' 丙 、 丁 ', 'YES')
			]);
			expect(res).toEqual({ ok: true, inserted: 4, updated: 0, total: 4 });
			expect(await unitsOf(estate)).toEqual([
				{ unit: '1栋/1/101', floor_area: '89.50', developer_held: false, owners: '乙;甲' },
				{ unit: '1栋/1/102', floor_area: '100.00', developer_held: false, owners: '乙' },
				{ unit: '2栋//101', floor_area: '60.25', developer_held: true, owners: '开发商' },
				{ unit: '2栋//102', floor_area: '70.00', developer_held: true, owners: '丁;丙' }
			]);
			expect(await scalar('select count(*)::int as v from public.owners where estate_id = $1', [estate])).toBe(5);
		});

		it('reports every bad line and writes nothing', async () => {
			const estate = await estateWithBuildings();
			await imp(estate, [unitRow(2, '1栋', '1', '101', '89.5', '甲')]);
			const before = await register(estate);
			const res = await imp(estate, [
				unitRow(2, '1栋', '1', '101', '95', '乙'), // good: would update
				unitRow(3, '1栋', '1', '102', 'abc'),
				unitRow(4, '1栋', '1', '103', '0'),
				unitRow(5, '1栋', '1', '104', '-5'),
				unitRow(6, '1栋', '1', '105', '123456'),
				unitRow(7, '9栋', '1', '101', '80'),
				unitRow(8, '1栋', '2', '201', '80'),
				unitRow(9, '1栋', '2', '201', '81'),
				unitRow(10, '1栋', '2', '202', '80', '', 'maybe'),
				unitRow(11, '1栋', '2', '', '80'),
				unitRow(12, '1栋', '12345678901', '1', '80'),
				unitRow(13, '1栋', '2', '203', '80', 'x'.repeat(41)),
				unitRow(14, '2栋', '', 'a1', '80'),
				unitRow(15, '2栋', '', 'A1', '80')
			]);
			expect(res).toEqual({
				ok: false,
				total: 14,
				errors: [
					{ line: 3, field: 'floor_area', key: 'errors.import.floor_area' },
					{ line: 4, field: 'floor_area', key: 'errors.import.floor_area' },
					{ line: 5, field: 'floor_area', key: 'errors.import.floor_area' },
					{ line: 6, field: 'floor_area', key: 'errors.import.floor_area' },
					{ line: 7, field: 'building', key: 'errors.import.unknown_building' },
					{ line: 8, field: 'room', key: 'errors.import.duplicate_unit' },
					{ line: 9, field: 'room', key: 'errors.import.duplicate_unit' },
					{ line: 10, field: 'developer_held', key: 'errors.import.developer_held' },
					{ line: 11, field: 'room', key: 'errors.import.room' },
					{ line: 12, field: 'entrance', key: 'errors.import.entrance' },
					{ line: 13, field: 'owners', key: 'errors.import.owner_name' },
					{ line: 14, field: 'room', key: 'errors.import.duplicate_unit' },
					{ line: 15, field: 'room', key: 'errors.import.duplicate_unit' }
				]
			});
			expect(await register(estate)).toEqual(before);
		});

		it('updates the floor area on re-import and replaces the owners of the units in the file', async () => {
			const estate = await estateWithBuildings();
			await imp(estate, [unitRow(2, '1栋', '1', '101', '89.5', '甲;乙'), unitRow(3, '1栋', '1', '102', '100', '乙'), unitRow(4, '2栋', '', 'a1', '50', '', '是')]);
			const ids = await db.sql.query<{ id: string }>('select id::text from public.units where estate_id = $1 order by id', [estate]);
			expect(await imp(estate, [unitRow(2, '1栋', '1', '101', '90', '丙'), unitRow(3, '2栋', '', 'A1', '51', '戊', '否'), unitRow(4, '2栋', '', '201', '66')])).toEqual({
				ok: true,
				inserted: 1,
				updated: 2,
				total: 3
			});
			expect(await unitsOf(estate)).toEqual([
				{ unit: '1栋/1/101', floor_area: '90.00', developer_held: false, owners: '丙' },
				{ unit: '1栋/1/102', floor_area: '100.00', developer_held: false, owners: '乙' },
				{ unit: '2栋//201', floor_area: '66.00', developer_held: false, owners: '' },
				{ unit: '2栋//a1', floor_area: '51.00', developer_held: false, owners: '戊' }
			]);
			// The units kept their ids: memberships and ballots point at them.
			const after = await db.sql.query<{ id: string }>('select id::text from public.units where estate_id = $1 order by id', [estate]);
			expect(after.filter((r) => ids.some((i) => i.id === r.id))).toHaveLength(3);
		});

		it('lets the committee import into its own estate only', async () => {
			const before = await register(w.a.id);
			const rows = [unitRow(2, '1栋', '1', '301', '80')];
			for (const p of ['committeeB', 'resident', 'moderator'] as const) {
				await expect(imp(w.a.id, rows, as(p)), p).rejects.toMatchObject({ code: 'P0002', key: 'errors.estate_not_found' });
			}
			await expect(imp(w.a.id, rows, ANON)).rejects.toMatchObject({ code: '42501' });
			expect(await register(w.a.id)).toEqual(before);
			expect(await imp(w.a.id, rows, as('committee'))).toEqual({ ok: true, inserted: 1, updated: 0, total: 1 });
			await db.sql.query(`delete from public.units where estate_id = $1 and room = '301'`, [w.a.id]);
		});

		it('refuses an empty file and one of more than 20,000 rows', async () => {
			const estate = await estateWithBuildings();
			await expect(imp(estate, [])).rejects.toMatchObject({ code: '22023', key: 'errors.import.empty', field: 'file' });
			await expect(imp(estate, { rows: 1 })).rejects.toMatchObject({ code: '22023', key: 'errors.import.empty' });
			const tooMany = Array.from({ length: 20001 }, (_, i) => ({ line: i + 2 }));
			await expect(imp(estate, tooMany)).rejects.toMatchObject({ code: '22023', key: 'errors.import.too_many_rows', field: 'file' });
			expect((await register(estate))[0]).toMatchObject({ units: 0, owners: 0 });
		});

		it('imports 5,000 rows in one call, and pages them 100 at a time in building order', async () => {
			const estate = await estateWithBuildings();
			const rows: UnitRow[] = [];
			for (const building of ['1栋', '2栋'])
				for (let entrance = 1; entrance <= 5; entrance++)
					for (let floor = 1; floor <= 25; floor++)
						for (let flat = 1; flat <= 20; flat++) {
							const room = `${floor}${String(flat).padStart(2, '0')}`;
							rows.push(unitRow(rows.length + 2, building, String(entrance), room, '88.8', `业主${building}${entrance}-${room}`, flat === 20 ? '是' : ''));
						}
			expect(rows).toHaveLength(5000);
			expect(await imp(estate, rows)).toEqual({ ok: true, inserted: 5000, updated: 0, total: 5000 });
			expect((await register(estate))[0]).toMatchObject({ units: 5000, owners: 5000, unit_owners: 5000 });

			type Page = { total: number; floor_area: number; units: Array<{ id: string; building: string; entrance: string; room: string; floor_area: number; developer_held: boolean; owners: string[] }> };
			const page = (offset: number | null, caller: Caller = as('admin')) => call<Page>('estate_units', { p_estate_id: estate, p_offset: offset }, caller);
			const first = await page(0);
			expect(first.total).toBe(5000);
			expect(first.floor_area).toBe(444000);
			expect(first.units).toHaveLength(100);
			expect(first.units[0]).toEqual({ id: expect.any(String), building: '1栋', entrance: '1', room: '101', floor_area: 88.8, developer_held: false, owners: ['业主1栋1-101'] });
			expect(first.units.slice(0, 10).map((u) => u.room)).toEqual(['101', '102', '103', '104', '105', '106', '107', '108', '109', '110']);
			expect(first.units[19]).toMatchObject({ room: '120', developer_held: true });
			const second = await page(100);
			expect(second.units).toHaveLength(100);
			expect(second.units.filter((u) => first.units.some((f) => f.id === u.id))).toEqual([]);
			expect(second.units[0]).toMatchObject({ building: '1栋', entrance: '1', room: '601' });
			const last = await page(4950);
			expect(last.units).toHaveLength(50);
			expect(last.units[49]).toMatchObject({ building: '2栋', entrance: '5', room: '2520' });
			expect((await page(5000)).units).toEqual([]);
			expect((await page(-10)).units[0].id).toBe(first.units[0].id);
			expect((await page(null)).units[0].id).toBe(first.units[0].id);
		});

		it('shows the register to the estate’s managers only', async () => {
			const mine = await call<{ total: number; floor_area: number; units: Array<{ owners: string[]; building: string; room: string }> }>('estate_units', { p_estate_id: w.a.id, p_offset: 0 }, as('committee'));
			expect(mine.total).toBe(5);
			expect(mine.floor_area).toBe(433.75);
			expect(mine.units.map((u) => `${u.building}/${u.room}:${[...u.owners].sort().join(';')}`)).toEqual([
				'1栋/101:张三',
				'1栋/102:李四',
				`1栋/201:${['张三', '李四'].sort().join(';')}`,
				'2栋/101:李四',
				'2栋/102:开发商'
			]);
			for (const p of ['resident', 'moderator', 'committeeB', 'nonmember'] as const) {
				await expect(call('estate_units', { p_estate_id: w.a.id, p_offset: 0 }, as(p)), p).rejects.toMatchObject({ code: '42501', key: 'errors.forbidden' });
			}
			await expect(call('estate_units', { p_estate_id: w.a.id, p_offset: 0 }, ANON)).rejects.toMatchObject({ code: '42501' });
		});
	});

	// ---------------------------------------------------------------- helpers

	describe('private helpers and triggers', () => {
		it('is_polygon_geojson accepts closed polygons and multipolygons only', async () => {
			const cases: Array<[unknown, boolean]> = [
				[square(120, 31), true],
				[{ type: 'MultiPolygon', coordinates: [square(120, 31).coordinates, square(121, 31).coordinates] }, true],
				[{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, true],
				[{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] }, false],
				[{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }, false],
				[{ type: 'Polygon', coordinates: [[[0, 0], ['1', 0], [1, 1], [0, 0]]] }, false],
				[{ type: 'Polygon', coordinates: [[[0], [1, 0], [1, 1], [0]]] }, false],
				[{ type: 'Polygon', coordinates: [] }, false],
				[{ type: 'MultiPolygon', coordinates: [] }, false],
				[{ type: 'MultiPolygon', coordinates: [[]] }, false],
				[{ type: 'Point', coordinates: [0, 0] }, false],
				[{ type: 'Polygon' }, false],
				['Polygon', false],
				[null, false]
			];
			for (const [g, ok] of cases) {
				const got = await scalar<boolean>('select private.is_polygon_geojson($1::text::jsonb) as v', [g === null ? null : JSON.stringify(g)]);
				expect(got, JSON.stringify(g)).toBe(ok);
			}
		});

		it('geometry_bounds gives [minx, miny, maxx, maxy]', async () => {
			const bounds = async (g: unknown) => (await scalar<unknown[]>('select private.geometry_bounds($1::text::jsonb) as v', [JSON.stringify(g)])).map(Number);
			expect(await bounds(rect(10, 20, 30, 40))).toEqual([10, 20, 40, 60]);
			expect(await bounds({ type: 'MultiPolygon', coordinates: [rect(10, 20, 30, 40).coordinates, rect(-5, 50, 1, 1).coordinates] })).toEqual([-5, 20, 40, 60]);
		});

		it('the areas table refuses a geometry that is not a polygon', async () => {
			await expect(
				db.sql.query(`insert into public.areas (estate_id, kind, name, geometry) values ($1, 'space', '坏图形', $2::text::jsonb)`, [
					w.a.id,
					JSON.stringify({ type: 'Point', coordinates: [0, 0] })
				])
			).rejects.toMatchObject({ code: '23514' });
		});

		it("a unit's building must be a building of the unit's estate", async () => {
			const insert = (buildingId: string) =>
				db.sql.query(`insert into public.units (estate_id, building_id, room, floor_area) values ($1, $2, '999', 50)`, [w.a.id, buildingId]);
			await expect(insert(w.b.buildings['1栋'])).rejects.toMatchObject({ code: '23514', message: 'errors.building_not_in_estate' });
			await expect(insert(w.a.courtyardId)).rejects.toMatchObject({ code: '23514', message: 'errors.building_not_in_estate' });
			await expect(
				db.sql.query('update public.units set building_id = $2 where id = $1', [w.a.units['1栋/1/101'], w.b.buildings['1栋']])
			).rejects.toMatchObject({ code: '23514' });
		});

		it('anon may call only the public read functions', async () => {
			const some = '00000000-0000-4000-8000-00000000dead';
			const refused: Array<[string, Json]> = [
				['leave_estate', { p_estate_id: some }],
				['estate_members', { p_estate_id: some }],
				['decide_membership', { p_membership_id: some, p_verify: true, p_reason: null }],
				['set_member_roles', { p_membership_id: some, p_roles: [] }],
				['enrol_member', { p_estate_id: some, p_user_id: some, p_unit_id: null }],
				['update_my_profile', { p_display_name: 'x', p_locale: 'en' }],
				['admin_overview', {}],
				['create_community', { p_name: 'x', p_district: null }],
				['import_areas', { p_estate_id: some, p_collection: collection() }],
				['export_areas', { p_estate_id: some }],
				['import_units', { p_estate_id: some, p_rows: [] }],
				['estate_units', { p_estate_id: some, p_offset: 0 }],
				['find_unit', { p_estate_id: some, p_building_id: some, p_entrance: '', p_room: '1' }]
			];
			for (const [fn, args] of refused) {
				await expect(call(fn, args, ANON), fn).rejects.toMatchObject({ code: '42501' });
			}
			expect(await call('list_estates', {}, ANON)).toHaveLength(await scalar('select count(*)::int as v from public.estates'));
		});
	});
});
