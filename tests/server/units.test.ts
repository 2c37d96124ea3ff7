import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as units from '../../src/routes/estates/[id=uuid]/manage/units/+page.server';
import {
	CAILIAN,
	JINYUAN,
	count,
	expectData,
	expectFailure,
	expectHttpError,
	expectNoWrite,
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

const PAGE = `/estates/${JINYUAN}/manage/units`;
const HEADER = '楼栋,单元,房号,建筑面积,业主,开发商持有';
const csv = (text: string, name = 'units.csv') => file(text, name, 'text/csv');
const importCsv = (f: File, as: DemoEmail = 'committee@demo.linyi.org', estateId = JINYUAN) =>
	request({ url: `/estates/${estateId}/manage/units?/import`, as, form: { file: f } }, units.actions.import);

async function unit(building: string, entrance: string, room: string) {
	const rows = await rt.sql.query<{ floor_area: string; developer_held: boolean; owners: string[] }>(
		`select u.floor_area::text, u.developer_held,
		   coalesce((select array_agg(o.name order by o.name) from public.unit_owners uo join public.owners o on o.id = uo.owner_id where uo.unit_id = u.id), '{}') as owners
		 from public.units u join public.areas a on a.id = u.building_id
		 where u.estate_id = $1 and a.name = $2 and u.entrance = $3 and u.room = $4`,
		[JINYUAN, building, entrance, room]
	);
	return rows[0];
}

describe('estates/[id]/manage/units (load)', () => {
	it('shows the committee the register a page at a time', async () => {
		const data = expectData(await request({ url: PAGE, as: 'committee@demo.linyi.org' }, units.load));
		expect(data.offset).toBe(0);
		expect(data.register.total).toBe(296);
		expect(data.register.units).toHaveLength(100);
		expect(data.register.units[0]).toMatchObject({ building: '1栋', entrance: '1', room: '101' });
		const last = expectData(await request({ url: `${PAGE}?offset=250`, as: 'committee@demo.linyi.org' }, units.load));
		expect(last.offset).toBe(250);
		expect(last.register.units).toHaveLength(46);
	});

	it('reads a nonsense offset as the first page', async () => {
		for (const offset of ['abc', '-5', '1e99']) {
			const data = expectData(await request({ url: `${PAGE}?offset=${offset}`, as: 'committee@demo.linyi.org' }, units.load));
			expect(data.register.units.length, offset).toBeGreaterThan(0);
			expect(data.offset).toBeGreaterThanOrEqual(0);
		}
	});

	it('refuses a resident with 403', async () => {
		expectHttpError(await request({ url: PAGE, as: 'owner@demo.linyi.org' }, units.load), 403, 'errors.forbidden');
	});
});

describe('estates/[id]/manage/units?/import', () => {
	it('imports a good CSV with Chinese headers: new units added, known ones updated with their owners', async () => {
		const before = await count('public.units', 'estate_id = $1', [JINYUAN]);
		const text = '\ufeff' + [HEADER, '3栋,1,701,143.80,张三；李四,否', '1栋,1,101,150.5,王五,', '11栋,,1801,89.50,,是', '"5栋","","1102","105.37","赵六、钱七",""'].join('\r\n') + '\r\n';
		const data = expectData(await importCsv(csv(text)));
		expect(data.result).toEqual({ ok: true, inserted: 1, updated: 3, total: 4 });
		expect(data.form.data.file).toBeUndefined();
		expect(await count('public.units', 'estate_id = $1', [JINYUAN])).toBe(before + 1);
		expect(await unit('3栋', '1', '701')).toEqual({ floor_area: '143.80', developer_held: false, owners: ['张三', '李四'] });
		expect(await unit('1栋', '1', '101')).toEqual({ floor_area: '150.50', developer_held: false, owners: ['王五'] });
		expect(await unit('11栋', '', '1801')).toMatchObject({ floor_area: '89.50', developer_held: true, owners: [] });
		expect(await unit('5栋', '', '1102')).toMatchObject({ owners: ['赵六', '钱七'] });
	});

	it('refuses a file with bad values, listing every bad line, writing nothing', async () => {
		const text = [HEADER, '2栋,1,201,143.80,周八,', '99栋,1,101,80,,', '2栋,1,301,abc,,', '2栋,1,401,0,,', '2栋,1,501,90,,也许', '2栋,1,201,90,,'].join('\n');
		const x = await expectNoWrite(() => importCsv(csv(text)));
		const data = expectFailure(x, 400);
		expect(data.result).toEqual({
			ok: false,
			total: 6,
			errors: [
				{ line: 2, field: 'room', key: 'errors.import.duplicate_unit' },
				{ line: 3, field: 'building', key: 'errors.import.unknown_building' },
				{ line: 4, field: 'floor_area', key: 'errors.import.floor_area' },
				{ line: 5, field: 'floor_area', key: 'errors.import.floor_area' },
				{ line: 6, field: 'developer_held', key: 'errors.import.developer_held' },
				{ line: 7, field: 'room', key: 'errors.import.duplicate_unit' }
			]
		});
	});

	it('imports a CSV saved by Excel or WPS on Chinese Windows (GB18030)', async () => {
		// 楼栋,单元,房号,建筑面积,业主,开发商持有 / 3栋,1,702,120.50,陈一；周二,否 in GB18030.
		const hex = 'c2a5b6b02cb5a5d4aa2cb7bfbac52cbda8d6fec3e6bbfd2cd2b5d6f72cbfaab7a2c9ccb3d6d3d00d0a33b6b02c312c3730322c3132302e35302cb3c2d2bba3bbd6dcb6fe2cb7f10d0a';
		const gbk = new File([new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)))], '房屋.csv', { type: 'text/csv' });
		const data = expectData(await importCsv(gbk));
		expect(data.result).toMatchObject({ ok: true, total: 1 });
		expect(await unit('3栋', '1', '702')).toEqual({ floor_area: '120.50', developer_held: false, owners: ['周二', '陈一'].sort() });
	});

	it('lists every problem of a line, not only the first', async () => {
		const text = [HEADER, '99栋,12345678901,,abc,,也许'].join('\n');
		const data = expectFailure(await expectNoWrite(() => importCsv(csv(text))), 400);
		expect(data.result.errors).toEqual([
			{ line: 2, field: 'building', key: 'errors.import.unknown_building' },
			{ line: 2, field: 'room', key: 'errors.import.room' },
			{ line: 2, field: 'entrance', key: 'errors.import.entrance' },
			{ line: 2, field: 'floor_area', key: 'errors.import.floor_area' },
			{ line: 2, field: 'developer_held', key: 'errors.import.developer_held' }
		]);
	});

	it('refuses a line with the wrong number of fields before the database sees the file', async () => {
		const text = [HEADER, '2栋,1,201,143.80,周八,', '2栋,1,202,143.80', '2栋,1,"203,x",143.80,,,'].join('\n');
		const data = expectFailure(await expectNoWrite(() => importCsv(csv(text))), 400);
		expect(data.result).toEqual({
			ok: false,
			errors: [
				{ line: 3, field: 'file', key: 'errors.import.field_count' },
				{ line: 4, field: 'file', key: 'errors.import.field_count' }
			]
		});
	});

	it('refuses an unknown header and a file with no rows', async () => {
		const unknown = expectFailure(await expectNoWrite(() => importCsv(csv('楼栋,房号,面积,颜色\n1栋,101,80,红\n'))), 400);
		expect(unknown.result.errors).toEqual([{ line: 1, field: 'file', key: 'errors.import.header' }]);
		const empty = expectFailure(await expectNoWrite(() => importCsv(csv(HEADER + '\n'))), 400);
		expect(empty.result.errors).toEqual([{ line: 1, field: 'file', key: 'errors.import.empty' }]);
	});

	it('refuses a file over 5 MB beside the file, writing nothing', async () => {
		const big = csv(HEADER + '\n' + '1栋,1,101,80,,\n'.repeat(Math.ceil((5 * 1024 * 1024) / 16) + 10));
		expect(big.size).toBeGreaterThan(5 * 1024 * 1024);
		expectFailure(await expectNoWrite(() => importCsv(big)), 400, { file: 'errors.file_too_large' });
	});

	const tooMany = () => csv([HEADER, ...Array.from({ length: 20001 }, (_, i) => `1栋,1,${i + 1},80,,`)].join('\n'));

	it('refuses more than 20000 lines with 400, writing nothing', async () => {
		const data = expectFailure(await expectNoWrite(() => importCsv(tooMany())), 400);
		expect([...(data.form.errors.file ?? []), ...(data.form.errors._errors ?? [])]).toContain('errors.import.too_many_rows');
	});

	it('puts the database’s refusal of the file beside the file', async () => {
		expectFailure(await importCsv(tooMany()), 400, { file: 'errors.import.too_many_rows' });
	});

	it('refuses no file beside the file', async () => {
		const x = await expectNoWrite(() => request({ url: `${PAGE}?/import`, as: 'committee@demo.linyi.org', form: { file: 'not a file' } }, units.actions.import));
		expectFailure(x, 400, { file: 'errors.file_required' });
	});

	it('refuses a resident, writing nothing', async () => {
		const x = await expectNoWrite(() => importCsv(csv([HEADER, '1栋,1,101,1,,'].join('\n')), 'resident@demo.linyi.org'));
		expectHttpError(x, 403, 'errors.forbidden');
	});

	it('keeps each estate’s register to itself', async () => {
		// 1栋 is a building of 晋源水岸花苑, not of 采莲新村 (whose buildings are 1幢…20幢).
		const data = expectFailure(await expectNoWrite(() => importCsv(csv([HEADER, '1栋,1,101,80,,'].join('\n')), 'committee@demo.linyi.org', CAILIAN)), 400);
		expect(data.result.errors).toEqual([{ line: 2, field: 'building', key: 'errors.import.unknown_building' }]);
	});
});
