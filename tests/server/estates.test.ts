import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as estate from '../../src/routes/estates/[id=uuid]/+layout.server';
import * as join from '../../src/routes/estates/[id=uuid]/join/+page.server';
import * as home from '../../src/routes/+page.server';
import {
	CAILIAN,
	DEMO,
	JINYUAN,
	count,
	expectData,
	expectFailure,
	expectHttpError,
	expectNoWrite,
	expectRedirect,
	openTestRuntime,
	request,
	type TestRuntime
} from './harness';

let rt: TestRuntime;
let cailianBuilding: (name: string) => Promise<string>;
let jinyuanBuilding: (name: string) => Promise<string>;

beforeAll(async () => {
	rt = await openTestRuntime({ MAP_TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png', MAP_TILE_CRS: 'gcj02' });
	const building = (estateId: string) => async (name: string) =>
		(await rt.sql.query<{ id: string }>(`select id from public.areas where estate_id = $1 and kind = 'building' and name = $2`, [estateId, name]))[0].id;
	cailianBuilding = building(CAILIAN);
	jinyuanBuilding = building(JINYUAN);
});
afterAll(() => rt.close());

describe('the estate list', () => {
	it('lists the demo estates to the public: the two of 横塘社区 and the public 新郭花园 of the street', async () => {
		const data = expectData(await request({ url: '/' }, home.load));
		expect(data.estates.map((e: { id: string }) => e.id).sort()).toEqual([JINYUAN, CAILIAN, '5eed0000-0000-4000-8000-000000006221'].sort());
	});
});

describe('estates/[id] (the estate layout)', () => {
	const load = (id: string, as?: Parameters<typeof request>[0]['as']) => request({ url: `/estates/${id}`, as }, estate.load);

	it('shows the public the estate, its map and areas, without numbers', async () => {
		const data = expectData(await load(JINYUAN));
		expect(data.home.estate).toMatchObject({ id: JINYUAN, name: '晋源水岸花苑', community: '横塘社区', map_mode: 'geographic', zoom: 17 });
		expect(data.home.estate.center.map(Number)).toEqual([31.2904, 120.5786]);
		expect(data.home.areas).toHaveLength(16);
		expect(data.home.is_member).toBe(false);
		expect(data.home.numbers ?? null).toBeNull();
		expect(data.map).toEqual({ tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png', tileAttribution: null, tileCrs: 'gcj02' });
	});

	it('shows a signed-in non-member the estate without numbers', async () => {
		const data = expectData(await load(CAILIAN, 'resident@demo.linyi.org'));
		expect(data.home.estate).toMatchObject({ id: CAILIAN, map_mode: 'site_plan', plan_image: '/plans/cailian.svg', plan_size: [1200, 800] });
		expect(data.home.is_member).toBe(false);
		expect(data.home.numbers ?? null).toBeNull();
	});

	it('shows a pending applicant no numbers', async () => {
		const data = expectData(await load(JINYUAN, 'applicant1@demo.linyi.org'));
		expect(data.home.is_member).toBe(false);
		expect(data.home.numbers ?? null).toBeNull();
	});

	it('shows a verified member the numbers', async () => {
		const data = expectData(await load(JINYUAN, 'resident@demo.linyi.org'));
		expect(data.home.is_member).toBe(true);
		expect(data.home.numbers).toMatchObject({ courtyards: 3, buildings: 12, units: 296, members: 29, pending: 3 });
		expect(Number(data.home.numbers.floor_area)).toBeGreaterThan(0);
	});

	it('answers an unknown estate with 404', async () => {
		expectHttpError(await load('5eed0000-0000-4000-8000-0000000009ff'), 404, 'errors.estate_not_found');
		expectHttpError(await load('5eed0000-0000-4000-8000-0000000009ff', 'resident@demo.linyi.org'), 404, 'errors.estate_not_found');
	});
});

describe('estates/[id]/join', () => {
	const post = (estateId: string, form: Record<string, string>, as: Parameters<typeof request>[0]['as'] = 'resident@demo.linyi.org') =>
		request({ url: `/estates/${estateId}/join`, form, as }, join.actions.default);

	it('sends the public to sign in and back', async () => {
		expectRedirect(await request({ url: `/estates/${CAILIAN}/join` }, join.load), `/auth/sign-in?next=${encodeURIComponent(`/estates/${CAILIAN}/join`)}`);
		// The action checks too (the guard is in the hook, the action does not rely on it).
		const x = await expectNoWrite(() => post(CAILIAN, { building_id: '00000000-0000-4000-8000-000000000000', room: '101' }, 'anon'));
		expectRedirect(x, /^\/auth\/sign-in\?next=/);
	});

	it('sends a member of the estate back to the estate', async () => {
		expectRedirect(await request({ url: `/estates/${JINYUAN}/join`, as: 'resident@demo.linyi.org' }, join.load), `/estates/${JINYUAN}`);
	});

	it('offers a non-member the buildings of the estate', async () => {
		const data = expectData(await request({ url: `/estates/${CAILIAN}/join`, as: 'resident@demo.linyi.org' }, join.load));
		expect(data.buildings).toHaveLength(20);
		expect(data.buildings[0].name).toBe('1幢');
		expect(data.form.data).toMatchObject({ building_id: '', entrance: '', room: '', claims_owner: false });
	});

	const bad: Array<[string, () => Promise<Record<string, string>>, Record<string, string>]> = [
		['a building of another estate', async () => ({ building_id: await jinyuanBuilding('1栋'), entrance: '1', room: '101' }), { building_id: 'errors.building_not_in_estate' }],
		['a building id that is not a uuid', async () => ({ building_id: "1' or '1'='1", entrance: '1', room: '101' }), { building_id: 'errors.invalid_choice' }],
		['no building', async () => ({ building_id: '', room: '101' }), { building_id: 'errors.invalid_choice' }],
		['an empty room', async () => ({ building_id: await cailianBuilding('1幢'), entrance: '1', room: '   ' }), { room: 'errors.required' }],
		['a room of 11 characters', async () => ({ building_id: await cailianBuilding('1幢'), entrance: '1', room: '1'.repeat(11) }), { room: 'errors.too_long' }],
		['an entrance of 11 characters', async () => ({ building_id: await cailianBuilding('1幢'), entrance: '1'.repeat(11), room: '101' }), { entrance: 'errors.too_long' }]
	];
	it.each(bad)('refuses %s beside the field, writing nothing', async (_what, form, errors) => {
		const fields = await form();
		const x = await expectNoWrite(() => post(CAILIAN, fields));
		expectFailure(x, 400, errors);
	});

	it('takes a good request: pending, the registered unit found, the owner claim kept', async () => {
		const before = await count('public.memberships', 'estate_id = $1', [CAILIAN]);
		const x = await post(CAILIAN, { building_id: await cailianBuilding('2幢'), entrance: '3', room: ' 502 ', claims_owner: 'on' });
		expectRedirect(x, `/estates/${CAILIAN}?requested=1`);
		expect(await count('public.memberships', 'estate_id = $1', [CAILIAN])).toBe(before + 1);
		const [m] = await rt.sql.query<{ status: string; unit: string | null; unit_note: string | null; claims_owner: boolean; roles: string[] }>(
			`select status, private.unit_label(unit_id) as unit, unit_note, claims_owner, roles from public.memberships where estate_id = $1 and user_id = $2`,
			[CAILIAN, DEMO['resident@demo.linyi.org'].id]
		);
		expect(m).toEqual({ status: 'pending', unit: '2幢 3单元 502', unit_note: null, claims_owner: true, roles: [] });
		// Now a member of 采莲新村 too, pending: the join page sends them back to the estate.
		expectRedirect(await request({ url: `/estates/${CAILIAN}/join`, as: 'resident@demo.linyi.org' }, join.load), `/estates/${CAILIAN}`);
	});

	it('refuses a second request with 409', async () => {
		const x = await expectNoWrite(async () => post(CAILIAN, { building_id: await cailianBuilding('3幢'), entrance: '1', room: '101' }));
		expectFailure(x, 409, { _errors: 'errors.membership_exists' });
	});

	it('keeps a unit missing from the register as a note', async () => {
		const x = await post(CAILIAN, { building_id: await cailianBuilding('1幢'), entrance: '2', room: '901' }, 'owner@demo.linyi.org');
		expectRedirect(x, `/estates/${CAILIAN}?requested=1`);
		const [m] = await rt.sql.query<{ unit_id: string | null; unit_note: string | null }>(
			`select unit_id, unit_note from public.memberships where estate_id = $1 and user_id = $2`,
			[CAILIAN, DEMO['owner@demo.linyi.org'].id]
		);
		expect(m).toEqual({ unit_id: null, unit_note: '1幢 2单元 901' });
	});
});
