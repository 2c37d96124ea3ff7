import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON, DomainError, type Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedWorld, square, type World } from './fixtures';

/** The area editor's functions: save_area (add or change one area) and delete_area. */
describe.each(DATABASES)('area editor on %s', (name) => {
	let db: TestDb;
	let w: World;
	const as = (p: keyof World['users']): Caller => ({ kind: 'user', userId: w.users[p] });
	const save = (args: Record<string, unknown>, caller: Caller) =>
		db.backend.call<{ id: string }>('save_area', { p_area_id: null, p_parent_id: null, p_geometry: null, p_kind: 'building', ...args }, caller);
	const areaCount = async () => (await db.sql.query<{ n: number }>('select count(*)::int as n from public.areas'))[0].n;

	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
	});
	afterAll(() => db.close());

	it('lets the committee add a building with a shape inside its courtyard, then rename and reshape it', async () => {
		const { id } = await save({ p_estate_id: w.a.id, p_name: '3栋', p_parent_id: w.a.courtyardId, p_geometry: square(120.6105, 31.3005) }, as('committee'));
		const [row] = await db.sql.query<{ name: string; parent_id: string; geometry: unknown }>('select name, parent_id::text, geometry from public.areas where id = $1', [id]);
		expect(row).toMatchObject({ name: '3栋', parent_id: w.a.courtyardId });
		await save({ p_estate_id: w.a.id, p_area_id: id, p_name: ' 3号楼 ', p_parent_id: w.a.courtyardId }, as('admin'));
		const [kept] = await db.sql.query<{ name: string; geometry: unknown }>('select name, geometry from public.areas where id = $1', [id]);
		// No geometry given keeps the shape.
		expect(kept).toEqual({ name: '3号楼', geometry: row.geometry });
	});

	it.each([
		[{ p_name: '' }, '22023', 'errors.name_invalid', 'name'],
		[{ p_name: '名'.repeat(41) }, '22023', 'errors.name_invalid', 'name'],
		[{ p_kind: 'tower' }, '22023', 'errors.invalid_choice', 'kind'],
		[{ p_geometry: { type: 'Point', coordinates: [1, 2] } }, '22023', 'errors.import.area_geometry', 'geometry'],
		[{ p_geometry: square(200, 31) }, '22023', 'errors.import.area_out_of_bounds', 'geometry'],
		[{ p_name: '1栋' }, '23505', 'errors.area_name_taken', 'name']
	])('refuses %j beside the field, changing nothing', async (change, code, key, field) => {
		const before = await areaCount();
		await expect(save({ p_estate_id: w.a.id, p_name: '新楼', ...change }, as('committee'))).rejects.toMatchObject({ code, key, field });
		expect(await areaCount()).toBe(before);
	});

	it('refuses a parent that is not a courtyard of the same estate', async () => {
		await expect(save({ p_estate_id: w.a.id, p_name: '错楼', p_parent_id: w.b.courtyardId }, as('committee'))).rejects.toMatchObject({
			key: 'errors.parent_not_courtyard'
		});
		await expect(save({ p_estate_id: w.a.id, p_name: '错楼', p_parent_id: w.a.buildings['1栋'] }, as('committee'))).rejects.toBeInstanceOf(DomainError);
	});

	it('refuses residents, moderators, another estate’s committee and the public', async () => {
		for (const p of ['resident', 'moderator', 'committeeB', 'nonmember'] as const) {
			await expect(save({ p_estate_id: w.a.id, p_name: '偷建' }, as(p)), p).rejects.toMatchObject({ code: 'P0002' });
		}
		await expect(save({ p_estate_id: w.a.id, p_name: '偷建' }, ANON)).rejects.toMatchObject({ code: '42501' });
	});

	it('keeps the board’s area list as areas are added, renamed, moved and removed, also when several are added at once', async () => {
		type Listed = { id: string; kind: string; name: string; parent_id: string | null };
		const listed = async () =>
			(await db.backend.call<{ areas: Listed[] }>('issue_board', { p_estate_id: w.a.id }, as('resident'))).areas;
		// What the list must be: the estate's courtyards and buildings by kind and name, spaces left out.
		const expected = async () =>
			db.sql.query<Listed>(
				`select id::text, kind, name, parent_id::text from public.areas
				 where estate_id = $1 and kind in ('courtyard', 'building') order by kind, name`,
				[w.a.id]
			);
		expect(await listed()).toEqual(await expected());
		const added = await Promise.all(
			['甲栋', '乙栋', '丙栋'].map((n) => save({ p_estate_id: w.a.id, p_name: n, p_parent_id: w.a.courtyardId }, as('committee')))
		);
		const space = await save({ p_estate_id: w.a.id, p_name: '车棚', p_kind: 'space' }, as('committee'));
		expect((await listed()).map((a) => a.name)).toEqual(expect.arrayContaining(['甲栋', '乙栋', '丙栋']));
		expect(await listed()).toEqual(await expected());
		await save({ p_estate_id: w.a.id, p_area_id: added[0].id, p_name: '丁栋', p_parent_id: null }, as('committee'));
		expect((await listed()).find((a) => a.id === added[0].id)).toEqual({ id: added[0].id, kind: 'building', name: '丁栋', parent_id: null });
		for (const { id } of [...added, space]) await db.backend.call('delete_area', { p_estate_id: w.a.id, p_area_id: id }, as('committee'));
		expect(await listed()).toEqual(await expected());
		expect((await listed()).map((a) => a.name)).not.toContain('丁栋');
	});

	it('removes an unused area, and refuses one that homes or issues belong to', async () => {
		const { id } = await save({ p_estate_id: w.a.id, p_name: '临时车棚', p_kind: 'space' }, as('committee'));
		await expect(db.backend.call('delete_area', { p_estate_id: w.a.id, p_area_id: id }, as('resident'))).rejects.toMatchObject({ code: 'P0002' });
		// Named under another estate, it is not found, even for someone who manages both.
		await expect(db.backend.call('delete_area', { p_estate_id: w.b.id, p_area_id: id }, as('admin'))).rejects.toMatchObject({ code: 'P0002' });
		await db.backend.call('delete_area', { p_estate_id: w.a.id, p_area_id: id }, as('committee'));
		expect(await db.sql.query('select 1 from public.areas where id = $1', [id])).toHaveLength(0);
		await expect(db.backend.call('delete_area', { p_estate_id: w.a.id, p_area_id: w.a.buildings['1栋'] }, as('committee'))).rejects.toMatchObject({
			code: '22023',
			key: 'errors.area_in_use'
		});
	});
});
