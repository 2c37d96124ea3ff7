import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as admin from '../../src/routes/admin/+page.server';
import * as editEstate from '../../src/routes/admin/estates/[id=uuid]/+page.server';
import {
	CAILIAN,
	COMMUNITY,
	JINYUAN,
	count,
	expectData,
	expectFailure,
	expectHttpError,
	expectNoWrite,
	expectRedirect,
	openTestRuntime,
	request,
	type DemoEmail,
	type TestRuntime
} from './harness';

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const post = (action: 'community' | 'estate', form: Record<string, string>, as: DemoEmail = 'admin@demo.linyi.org') =>
	request({ url: `/admin?/${action}`, as, form }, admin.actions[action]);

const GEOGRAPHIC = { community_id: COMMUNITY, name: '新塘花园', address: '横塘街道新塘路1号', map_mode: 'geographic', center_lat: '31.2950', center_lng: '120.5812', zoom: '16' };

describe('admin (who may see it)', () => {
	it('sends the public to sign in', async () => {
		expectRedirect(await request({ url: '/admin' }, admin.load), `/auth/sign-in?next=${encodeURIComponent('/admin')}`);
	});

	it.each(['resident@demo.linyi.org', 'committee@demo.linyi.org'] as const)('refuses %s with 403', async (as) => {
		expectHttpError(await request({ url: '/admin', as }, admin.load), 403, 'errors.forbidden');
		const x = await expectNoWrite(() => post('community', { name: '冒名社区' }, as));
		expectHttpError(x, 403, 'errors.forbidden');
	});

	it('refuses a non-administrator in the action itself, whatever the path', async () => {
		const x = await expectNoWrite(() => request({ url: '/elsewhere', as: 'committee@demo.linyi.org', form: GEOGRAPHIC }, admin.actions.estate));
		expectHttpError(x, 403, 'errors.forbidden');
	});

	it('shows the administrator every community and estate', async () => {
		const data = expectData(await request({ url: '/admin', as: 'admin@demo.linyi.org' }, admin.load));
		expect(data.overview.is_admin).toBe(true);
		// The demo's 横塘社区 and the street 亭林's three other communities, one with the public 新郭花园.
		expect(data.overview.communities.map((c: { name: string }) => c.name).sort()).toEqual(['彩香社区', '新郭社区', '横塘社区', '石湖社区'].sort());
		expect(data.overview.communities).toContainEqual({ id: COMMUNITY, name: '横塘社区', district: '姑苏区' });
		expect(data.overview.estates.map((e: { id: string }) => e.id).sort()).toEqual([JINYUAN, CAILIAN, '5eed0000-0000-4000-8000-000000006221'].sort());
		expect(data.estateForm.data).toMatchObject({ map_mode: 'geographic', zoom: 17 });
	});
});

describe('admin?/community', () => {
	it('creates a community', async () => {
		const before = await count('public.communities');
		const data = expectData(await post('community', { name: ' 新塘社区 ', district: '吴中区' }));
		expect(data.form.valid).toBe(true);
		expect(await count('public.communities')).toBe(before + 1);
		expect(await count('public.communities', `name = '新塘社区' and district = '吴中区'`)).toBe(1);
	});

	it.each([
		['an empty name', { name: ' ', district: '' }, { name: 'errors.required' }],
		['a name of 61 characters', { name: '社'.repeat(61), district: '' }, { name: 'errors.too_long' }],
		['a district of 61 characters', { name: '好社区', district: '区'.repeat(61) }, { district: 'errors.too_long' }]
	])('refuses %s beside the field, writing nothing', async (_what, form, errors) => {
		expectFailure(await expectNoWrite(() => post('community', form)), 400, errors);
	});
});

describe('admin?/estate', () => {
	it('creates a geographic estate and goes on to its areas', async () => {
		const x = await post('estate', GEOGRAPHIC);
		expectRedirect(x, /^\/estates\/[0-9a-f-]{36}\/manage\/areas$/);
		const id = (x.outcome as { location: string }).location.split('/')[2];
		const [e] = await rt.sql.query(`select community_id, name, address, map_mode, center_lat::text, center_lng::text, zoom, plan_width from public.estates where id = $1`, [id]);
		expect(e).toEqual({ community_id: COMMUNITY, name: '新塘花园', address: '横塘街道新塘路1号', map_mode: 'geographic', center_lat: '31.295000', center_lng: '120.581200', zoom: 16, plan_width: null });
	});

	it('creates a site-plan estate, ignoring any centre sent along', async () => {
		const x = await post('estate', { community_id: COMMUNITY, name: '荷花新村', map_mode: 'site_plan', plan_width: '1600', plan_height: '900', center_lat: '31', center_lng: '120' });
		expectRedirect(x, /^\/estates\/[0-9a-f-]{36}\/manage\/areas$/);
		const [e] = await rt.sql.query(`select map_mode, center_lat, plan_width, plan_height from public.estates where name = '荷花新村'`);
		expect(e).toEqual({ map_mode: 'site_plan', center_lat: null, plan_width: 1600, plan_height: 900 });
	});

	const bad: Array<[string, Record<string, string>, number, Record<string, string>]> = [
		['a geographic estate without a centre', { community_id: COMMUNITY, name: '无心小区', map_mode: 'geographic' }, 400, { center_lat: 'errors.center_required' }],
		['a site plan without a size', { community_id: COMMUNITY, name: '无图小区', map_mode: 'site_plan' }, 400, { plan_width: 'errors.plan_size_required' }],
		['a latitude out of range', { ...GEOGRAPHIC, name: '极地小区', center_lat: '91' }, 400, { center_lat: 'errors.out_of_range' }],
		['a latitude that is not a number', { ...GEOGRAPHIC, name: '乱码小区', center_lat: 'north' }, 400, { center_lat: 'errors.number' }],
		['a zoom of 21', { ...GEOGRAPHIC, name: '太近小区', zoom: '21' }, 400, { zoom: 'errors.out_of_range' }],
		['an unknown map mode', { ...GEOGRAPHIC, name: '怪图小区', map_mode: 'globe' }, 400, { map_mode: 'errors.invalid_choice' }],
		['a community id that is not a uuid', { ...GEOGRAPHIC, name: '无主小区', community_id: 'x' }, 400, { community_id: 'errors.invalid_choice' }],
		['an unknown community', { ...GEOGRAPHIC, name: '无主小区', community_id: '5eed0000-0000-4000-8000-0000000000ff' }, 400, { community_id: 'errors.community_not_found' }],
		['the name of an estate of the community', { ...GEOGRAPHIC, name: '晋源水岸花苑' }, 409, { name: 'errors.estate_name_taken' }]
	];
	it.each(bad)('refuses %s beside the field, writing nothing', async (_what, form, status, errors) => {
		expectFailure(await expectNoWrite(() => post('estate', form)), status, errors);
	});
});

describe('admin/estates/[id]', () => {
	const PAGE = `/admin/estates/${CAILIAN}`;

	it('fills the form from the estate', async () => {
		const data = expectData(await request({ url: PAGE, as: 'admin@demo.linyi.org' }, editEstate.load));
		expect(data.form.data).toMatchObject({ community_id: COMMUNITY, name: '采莲新村', map_mode: 'site_plan', plan_width: 1200, plan_height: 800, zoom: 17 });
		expect(data.estate.id).toBe(CAILIAN);
	});

	it('preselects the estate’s own community when two communities share a name', async () => {
		expectData(await post('community', { name: '横塘社区', district: '吴江区' }));
		const [c] = await rt.sql.query<{ id: string }>(`select id from public.communities where name = '横塘社区' and district = '吴江区'`);
		const created = await post('estate', { community_id: c.id, name: '吴江横塘小区', map_mode: 'site_plan', plan_width: '500', plan_height: '500' });
		const id = (created.outcome as { location: string }).location.split('/')[2];
		const data = expectData(await request({ url: `/admin/estates/${id}`, as: 'admin@demo.linyi.org' }, editEstate.load));
		expect(data.form.data.community_id).toBe(c.id);
	});

	it('refuses the committee with 403', async () => {
		expectHttpError(await request({ url: PAGE, as: 'committee@demo.linyi.org' }, editEstate.load), 403, 'errors.forbidden');
	});

	it('answers an unknown estate with 404', async () => {
		expectHttpError(await request({ url: '/admin/estates/5eed0000-0000-4000-8000-0000000009ff', as: 'admin@demo.linyi.org' }, editEstate.load), 404, 'errors.estate_not_found');
	});

	it('saves changes and goes back to the estate', async () => {
		const x = await request(
			{ url: PAGE, as: 'admin@demo.linyi.org', form: { community_id: COMMUNITY, name: '采莲新村', address: '采莲路18号', map_mode: 'site_plan', plan_width: '1200', plan_height: '800', zoom: '17' } },
			editEstate.actions.default
		);
		expectRedirect(x, `/estates/${CAILIAN}`);
		expect(await count('public.estates', `id = $1 and address = '采莲路18号'`, [CAILIAN])).toBe(1);
	});

	it('refuses renaming to a taken name, writing nothing', async () => {
		const x = await expectNoWrite(() =>
			request(
				{ url: PAGE, as: 'admin@demo.linyi.org', form: { community_id: COMMUNITY, name: '晋源水岸花苑', map_mode: 'site_plan', plan_width: '1200', plan_height: '800' } },
				editEstate.actions.default
			)
		);
		expectFailure(x, 409, { name: 'errors.estate_name_taken' });
	});
});
