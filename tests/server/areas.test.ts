import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as areas from '../../src/routes/estates/[id=uuid]/manage/areas/+page.server';
import * as exportAreas from '../../src/routes/estates/[id=uuid]/manage/areas/export.geojson/+server';
import {
	CAILIAN,
	JINYUAN,
	count,
	expectData,
	expectFailure,
	expectHttpError,
	expectNoWrite,
	expectRedirect,
	file,
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

const PAGE = `/estates/${JINYUAN}/manage/areas`;

/** A rectangle as a closed GeoJSON Polygon ring. */
const rect = (x0: number, y0: number, x1: number, y1: number) => ({
	type: 'Polygon',
	coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]
});
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });
const geojson = (value: unknown, name = 'areas.geojson') => file(JSON.stringify(value), name, 'application/geo+json');

const importFile = (f: File, as: DemoEmail = 'committee@demo.linyi.org', estateId = JINYUAN) =>
	request({ url: `/estates/${estateId}/manage/areas?/import`, as, form: { file: f } }, areas.actions.import);

describe('estates/[id]/manage/areas', () => {
	it('shows the committee the import form and refuses residents', async () => {
		const data = expectData(await request({ url: PAGE, as: 'committee@demo.linyi.org' }, areas.load));
		expect(data.form.id).toBeTruthy();
		expectHttpError(await request({ url: PAGE, as: 'resident@demo.linyi.org' }, areas.load), 403, 'errors.forbidden');
	});

	it('imports a good FeatureCollection: new areas added, known ones updated, parents linked', async () => {
		const before = await count('public.areas', 'estate_id = $1', [JINYUAN]);
		const collection = {
			type: 'FeatureCollection',
			features: [
				feature({ name: '北苑', kind: 'courtyard' }, rect(120.5770, 31.2916, 120.5800, 31.2925)),
				feature({ name: '12栋', kind: 'building', parent: '北苑' }, rect(120.5772, 31.2918, 120.5776, 31.2920)),
				feature({ name: '1栋', kind: 'building', parent: '西苑' }, rect(120.5771, 31.2912, 120.5775, 31.2913))
			]
		};
		const x = await importFile(geojson(collection));
		const data = expectData(x);
		expect(data.result).toEqual({ ok: true, inserted: 2, updated: 1, total: 3 });
		// The file itself does not travel back to the browser.
		expect(data.form.data.file).toBeUndefined();
		expect(await count('public.areas', 'estate_id = $1', [JINYUAN])).toBe(before + 2);
		const [b] = await rt.sql.query<{ parent: string; geometry: unknown }>(
			`select p.name as parent, a.geometry from public.areas a join public.areas p on p.id = a.parent_id
			 where a.estate_id = $1 and a.kind = 'building' and a.name = '12栋'`,
			[JINYUAN]
		);
		expect(b).toEqual({ parent: '北苑', geometry: rect(120.5772, 31.2918, 120.5776, 31.2920) });
		const [one] = await rt.sql.query<{ geometry: unknown }>(`select geometry from public.areas where estate_id = $1 and kind = 'building' and name = '1栋'`, [JINYUAN]);
		expect(one.geometry).toEqual(rect(120.5771, 31.2912, 120.5775, 31.2913));
	});

	it('refuses a file that is not JSON beside the file, writing nothing', async () => {
		const x = await expectNoWrite(() => importFile(file('楼栋,房号\n1栋,101\n', 'areas.csv', 'text/csv')));
		expectFailure(x, 400, { file: 'errors.import.not_json' });
	});

	it('refuses JSON that is not a FeatureCollection with 400, writing nothing', async () => {
		const cases: Array<[unknown, string]> = [
			[{ type: 'Feature', properties: {}, geometry: null }, 'errors.import.not_feature_collection'],
			[[1, 2, 3], 'errors.import.not_feature_collection'],
			[{ type: 'FeatureCollection', features: [] }, 'errors.import.empty']
		];
		for (const [value, key] of cases) {
			const data = expectFailure(await expectNoWrite(() => importFile(geojson(value))), 400);
			// Beside the file or on the form (see the next test): the key is there, and the file is not sent back.
			expect([...(data.form.errors.file ?? []), ...(data.form.errors._errors ?? [])]).toContain(key);
			expect(data.form.data.file).toBeUndefined();
		}
	});

	it('puts the database’s refusal of the file beside the file', async () => {
		const x = await importFile(geojson({ type: 'Feature', properties: {}, geometry: null }));
		expectFailure(x, 400, { file: 'errors.import.not_feature_collection' });
	});

	it('refuses a file that holds JSON null', async () => {
		const x = await expectNoWrite(() => importFile(file('null', 'null.geojson', 'application/geo+json')));
		expectFailure(x, 400);
		expect(JSON.stringify(expectFailure(x, 400).form.errors)).toContain('errors.import.not_feature_collection');
	});

	it('refuses no file and an empty file beside the file', async () => {
		expectFailure(await expectNoWrite(() => request({ url: `${PAGE}?/import`, as: 'committee@demo.linyi.org', form: {} }, areas.actions.import)), 400, {
			file: 'errors.file_required'
		});
		expectFailure(await expectNoWrite(() => importFile(file('', 'empty.geojson', 'application/geo+json'))), 400, { file: 'errors.file_required' });
	});

	it('refuses a FeatureCollection with bad features, naming each by number, writing nothing', async () => {
		const collection = {
			type: 'FeatureCollection',
			features: [
				feature({ name: '好楼', kind: 'building' }, rect(120.5772, 31.2918, 120.5776, 31.2920)),
				feature({ name: '怪楼', kind: 'tower' }, rect(120.5772, 31.2918, 120.5776, 31.2920)),
				feature({ name: '开口楼', kind: 'building' }, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }),
				feature({ name: '远楼', kind: 'building' }, rect(200, 31, 201, 32)),
				feature({ name: '孤楼', kind: 'building', parent: '不存在的苑' }, rect(120.5772, 31.2918, 120.5776, 31.2920)),
				feature({ name: '', kind: 'space' }, rect(120.5772, 31.2918, 120.5776, 31.2920))
			]
		};
		const x = await expectNoWrite(() => importFile(geojson(collection)));
		const data = expectFailure(x, 400);
		expect(data.result).toEqual({
			ok: false,
			total: 6,
			errors: [
				{ line: 2, field: 'kind', key: 'errors.import.area_kind' },
				{ line: 3, field: 'geometry', key: 'errors.import.area_geometry' },
				{ line: 4, field: 'geometry', key: 'errors.import.area_out_of_bounds' },
				{ line: 5, field: 'parent', key: 'errors.import.area_parent' },
				{ line: 6, field: 'name', key: 'errors.import.area_name' }
			]
		});
	});

	it('checks site-plan estates against the plan’s size', async () => {
		const collection = { type: 'FeatureCollection', features: [feature({ name: '21幢', kind: 'building' }, rect(1100, 700, 1300, 760))] };
		const data = expectFailure(await expectNoWrite(() => importFile(geojson(collection), 'committee@demo.linyi.org', CAILIAN)), 400);
		expect(data.result.errors).toEqual([{ line: 1, field: 'geometry', key: 'errors.import.area_out_of_bounds' }]);
	});

	it('refuses a file over 5 MB before reading it', async () => {
		const big = file('{"type":"FeatureCollection","features":[]}' + ' '.repeat(5 * 1024 * 1024), 'big.geojson', 'application/geo+json');
		expectFailure(await expectNoWrite(() => importFile(big)), 400, { file: 'errors.file_too_large' });
	});

	it('refuses a resident, writing nothing', async () => {
		const collection = { type: 'FeatureCollection', features: [feature({ name: '私楼', kind: 'building' }, rect(120.5772, 31.2918, 120.5776, 31.2920))] };
		expectHttpError(await expectNoWrite(() => importFile(geojson(collection), 'resident@demo.linyi.org')), 403, 'errors.forbidden');
	});
});

describe('estates/[id]/manage/areas: the editor’s save and delete', () => {
	const COMMITTEE = 'committee@demo.linyi.org';
	const save = (form: Record<string, string>, as: DemoEmail = COMMITTEE, estateId = JINYUAN) =>
		request({ url: `/estates/${estateId}/manage/areas?/save`, as, form }, areas.actions.save);
	const remove = (areaId: string, as: DemoEmail = COMMITTEE, estateId = JINYUAN) =>
		request({ url: `/estates/${estateId}/manage/areas?/delete`, as, form: { area_id: areaId } }, areas.actions.delete);
	const areaRow = async (id: string) =>
		(await rt.sql.query<{ estate_id: string; kind: string; name: string; parent: string | null; geometry: unknown }>(
			`select a.estate_id::text, a.kind, a.name, p.name as parent, a.geometry from public.areas a left join public.areas p on p.id = a.parent_id where a.id = $1`,
			[id]
		))[0];
	const idOf = async (estateId: string, kind: string, name: string) =>
		(await rt.sql.query<{ id: string }>('select id::text from public.areas where estate_id = $1 and kind = $2 and name = $3', [estateId, kind, name]))[0].id;
	const square = rect(120.5790, 31.2905, 120.5793, 31.2907);
	/** Committee of 晋源 only, for the length of fn: the demo committee member also sits on 采莲's. */
	async function committeeOfJinyuanOnly<T>(fn: () => Promise<T>): Promise<T> {
		const set = (roles: string) =>
			rt.sql.query(`update public.memberships set roles = $1::text[] where estate_id = $2 and user_id = (select id from auth.users where email = $3)`, [roles, CAILIAN, COMMITTEE]);
		await set('{}');
		try {
			return await fn();
		} finally {
			await set('{committee}');
		}
	}

	it('adds an area with its shape and parent, then renames and reshapes it', async () => {
		const x = await save({ kind: 'space', name: '新凉亭', parent_id: await idOf(JINYUAN, 'courtyard', '东苑'), geometry: JSON.stringify(square) });
		expectRedirect(x, new RegExp(`^/estates/${JINYUAN}/manage/areas\\?edit=([0-9a-f-]{36})&saved=1$`));
		const id = /edit=([0-9a-f-]{36})/.exec((x.outcome as { location: string }).location)![1];
		expect(await areaRow(id)).toEqual({ estate_id: JINYUAN, kind: 'space', name: '新凉亭', parent: '东苑', geometry: square });
		const moved = rect(120.5791, 31.2905, 120.5794, 31.2907);
		expectRedirect(await save({ area_id: id, kind: 'space', name: ' 凉亭 ', geometry: JSON.stringify(moved) }), `/estates/${JINYUAN}/manage/areas?edit=${id}&saved=1`);
		expect(await areaRow(id)).toEqual({ estate_id: JINYUAN, kind: 'space', name: '凉亭', parent: null, geometry: moved });
		// No geometry keeps the shape.
		expectRedirect(await save({ area_id: id, kind: 'space', name: '凉亭' }), /saved=1$/);
		expect((await areaRow(id)).geometry).toEqual(moved);
	});

	it('refuses bad geometry beside the field, writing nothing', async () => {
		const cases: Array<[string, string]> = [
			['{not json', 'errors.import.area_geometry'],
			[JSON.stringify({ type: 'Point', coordinates: [120.579, 31.2905] }), 'errors.import.area_geometry'],
			[JSON.stringify({ type: 'Polygon', coordinates: [[[120.579, 31.29], [120.5793, 31.29], [120.5793, 31.2907]]] }), 'errors.import.area_geometry'],
			[JSON.stringify(rect(200, 31, 201, 32)), 'errors.import.area_out_of_bounds']
		];
		for (const [geometry, key] of cases) {
			expectFailure(await expectNoWrite(() => save({ kind: 'space', name: '坏形状', geometry })), 400, { geometry: key });
		}
	});

	it('refuses a duplicate name, an unknown kind and a parent that is not a courtyard of the estate', async () => {
		expectFailure(await expectNoWrite(() => save({ kind: 'courtyard', name: '东苑' })), 409, { name: 'errors.area_name_taken' });
		expectFailure(await expectNoWrite(() => save({ kind: 'tower', name: '塔' })), 400, { kind: 'errors.invalid_choice' });
		const building = await idOf(JINYUAN, 'building', '1栋');
		expectFailure(await expectNoWrite(() => save({ kind: 'space', name: '孤亭', parent_id: building })), 400, { parent_id: 'errors.parent_not_courtyard' });
	});

	it('refuses residents and the public, writing nothing', async () => {
		expectHttpError(await expectNoWrite(() => save({ kind: 'space', name: '私亭', geometry: JSON.stringify(square) }, 'resident@demo.linyi.org')), 403, 'errors.forbidden');
		const courtyard = await idOf(JINYUAN, 'courtyard', '东苑');
		expectHttpError(await expectNoWrite(() => remove(courtyard, 'moderator@demo.linyi.org')), 403, 'errors.forbidden');
		expectRedirect(
			await expectNoWrite(() => request({ url: `${PAGE}?/save`, form: { kind: 'space', name: '匿名亭' } }, areas.actions.save)),
			/^\/auth\/sign-in/
		);
	});

	it('refuses another estate’s editor and another estate’s areas, writing nothing', async () => {
		const theirs = await idOf(CAILIAN, 'building', (await rt.sql.query<{ name: string }>(`select name from public.areas where estate_id = $1 and kind = 'building' order by name limit 1`, [CAILIAN]))[0].name);
		await committeeOfJinyuanOnly(async () => {
			// Through the other estate's address: the guard refuses.
			expectHttpError(await expectNoWrite(() => save({ kind: 'space', name: '越界亭' }, COMMITTEE, CAILIAN)), 403, 'errors.forbidden');
			expectHttpError(await expectNoWrite(() => remove(theirs, COMMITTEE, CAILIAN)), 403, 'errors.forbidden');
			// Through one's own estate's address, naming the other estate's area: the database finds no such area.
			expectFailure(await expectNoWrite(() => save({ area_id: theirs, kind: 'building', name: '改名楼' })), 404, { _errors: 'errors.area_not_found' });
			const x = await expectNoWrite(() => remove(theirs));
			expect(x.outcome).toMatchObject({ kind: 'failure', status: 404, data: { message: 'errors.area_not_found' } });
		});
	});

	it('deletes an area nothing refers to, and refuses one that units or issues use', async () => {
		expectRedirect(await save({ kind: 'space', name: '临时亭', geometry: JSON.stringify(square) }), /saved=1$/);
		const id = await idOf(JINYUAN, 'space', '临时亭');
		// The committee member serves both demo estates: through 采莲新村's editor, 晋源's area is not found.
		const elsewhere = await expectNoWrite(() => remove(id, 'committee@demo.linyi.org', CAILIAN));
		expect(elsewhere.outcome).toMatchObject({ kind: 'failure', status: 404, data: { message: 'errors.area_not_found' } });
		expectRedirect(await remove(id), `/estates/${JINYUAN}/manage/areas`);
		expect(await count('public.areas', 'id = $1', [id])).toBe(0);
		const used = await idOf(JINYUAN, 'building', '1栋');
		const x = await expectNoWrite(() => remove(used));
		expect(x.outcome).toMatchObject({ kind: 'failure', status: 400, data: { message: 'errors.area_in_use' } });
		const gone = await expectNoWrite(() => remove(id));
		expect(gone.outcome).toMatchObject({ kind: 'failure', status: 404, data: { message: 'errors.area_not_found' } });
	});
});

describe('estates/[id]/manage/areas/export.geojson', () => {
	const get = (as: DemoEmail | 'anon', estateId = JINYUAN) =>
		request({ url: `/estates/${estateId}/manage/areas/export.geojson`, as }, exportAreas.GET);

	it('exports the areas as a FeatureCollection the import takes back unchanged', async () => {
		const x = await get('committee@demo.linyi.org');
		const res = expectData(x) as Response;
		expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
		expect(res.headers.get('content-disposition')).toBe(`attachment; filename="areas-${JINYUAN}.geojson"`);
		// The hook's security headers are on the endpoint's response too.
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		const collection = await res.json();
		expect(collection.type).toBe('FeatureCollection');
		const withGeometry = await count('public.areas', 'estate_id = $1 and geometry is not null', [JINYUAN]);
		expect(collection.features).toHaveLength(withGeometry);
		expect(collection.features.find((f: { properties: { name: string } }) => f.properties.name === '中心花园')).toMatchObject({
			type: 'Feature',
			properties: { name: '中心花园', kind: 'space', parent: '南苑' },
			geometry: { type: 'Polygon' }
		});

		// Importing the export changes nothing but the rows' spelling of numbers (31.291100 → 31.2911).
		const areasNow = () =>
			rt.sql.query(`select kind, name, parent_id, geometry from public.areas where estate_id = $1 order by kind, name`, [JINYUAN]);
		const before = await areasNow();
		const back = await importFile(geojson(collection, 'export.geojson'));
		expect(expectData(back).result).toEqual({ ok: true, inserted: 0, updated: withGeometry, total: withGeometry });
		expect(await areasNow()).toEqual(before);
	});

	it('refuses a resident and sends the public to sign in', async () => {
		expectHttpError(await get('resident@demo.linyi.org'), 403, 'errors.forbidden');
		expectRedirect(await get('anon'), /^\/auth\/sign-in\?next=/);
	});
});
