import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCsv, readUnitCsv } from '../../src/lib/domain/csv';

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

describe('CSV encodings', () => {
	// 楼栋,单元,房号,建筑面积,业主,开发商持有 / 3栋,1,702,120.50,陈一；周二,否 as Excel and WPS on Chinese Windows save it.
	const GB18030 =
		'c2a5b6b02cb5a5d4aa2cb7bfbac52cbda8d6fec3e6bbfd2cd2b5d6f72cbfaab7a2c9ccb3d6d3d00d0a33b6b02c312c3730322c3132302e35302cb3c2d2bba3bbd6dcb6fe2cb7f10d0a';
	const TEXT = '楼栋,单元,房号,建筑面积,业主,开发商持有\r\n3栋,1,702,120.50,陈一；周二,否\r\n';
	const bytes = (hex: string) => new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));

	it('reads GB18030 (GBK) from Excel or WPS on Chinese Windows', () => {
		expect(decodeCsv(bytes(GB18030))).toBe(TEXT);
		expect(readUnitCsv(decodeCsv(bytes(GB18030))).rows).toEqual([
			{ line: 2, building: '3栋', entrance: '1', room: '702', floor_area: '120.50', owners: '陈一；周二', developer_held: '否' }
		]);
	});

	it('reads UTF-8 with or without a byte-order mark, and UTF-16 with one', () => {
		const utf8 = new TextEncoder().encode(TEXT);
		expect(decodeCsv(utf8)).toBe(TEXT);
		expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toBe(TEXT);
		const le = new Uint8Array(2 + TEXT.length * 2);
		le.set([0xff, 0xfe]);
		for (let i = 0; i < TEXT.length; i++) new DataView(le.buffer).setUint16(2 + i * 2, TEXT.charCodeAt(i), true);
		expect(decodeCsv(le)).toBe(TEXT);
	});

	it('keeps plain ASCII as it is', () => {
		expect(decodeCsv(new TextEncoder().encode('building,room,floor_area\nB1,1,50\n'))).toBe('building,room,floor_area\nB1,1,50\n');
	});
});
