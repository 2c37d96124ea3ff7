import { describe, expect, it } from 'vitest';
import { parseCsv, readUnitCsv } from '../../src/lib/domain/csv';

describe('CSV reading', () => {
	it('handles quotes, doubled quotes, CRLF, a BOM and blank lines, keeping file line numbers', () => {
		const rows = parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",z\n');
		expect(rows).toEqual([
			{ line: 1, fields: ['a', 'b'] },
			{ line: 2, fields: ['x, y', 'say "hi"'] },
			{ line: 4, fields: ['multi\nline', 'z'] }
		]);
	});

	it('reads Chinese or English headers into unit rows', () => {
		const { rows, problems } = readUnitCsv('楼栋,单元,房号,建筑面积,业主,开发商持有\n1栋,1,101,89.50,张伟;李娜,否\n');
		expect(problems).toEqual([]);
		expect(rows).toEqual([{ line: 2, building: '1栋', entrance: '1', room: '101', floor_area: '89.50', owners: '张伟;李娜', developer_held: '否' }]);
		expect(readUnitCsv('building,room,floor_area\nB1,1,50\n').rows[0]).toMatchObject({ building: 'B1', room: '1', floor_area: '50', entrance: '' });
	});

	it('reports shape problems with their line numbers', () => {
		expect(readUnitCsv('').problems).toEqual([{ line: 1, field: 'file', key: 'errors.import.empty' }]);
		expect(readUnitCsv('name,age\nx,1\n').problems).toEqual([{ line: 1, field: 'file', key: 'errors.import.header' }]);
		expect(readUnitCsv('楼栋,房号,面积\n1栋,101\n1栋,102,50\n').problems).toEqual([{ line: 2, field: 'file', key: 'errors.import.field_count' }]);
	});
});
