/**
 * The text of an uploaded CSV file, whatever Excel or WPS saved it as: UTF-8
 * with or without a byte-order mark, UTF-16 with one ("Unicode text"), and
 * otherwise GB18030, which is what "CSV" means in Excel and WPS on Chinese
 * Windows (GB18030 is a superset of GBK and GB2312). Bytes that are not valid
 * UTF-8 cannot be UTF-8; every byte sequence decodes as GB18030.
 */
export function decodeCsv(bytes: Uint8Array): string {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

/**
 * A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF, a
 * UTF-8 byte-order mark (Excel adds one). Returns rows with their 1-based
 * line number in the file, so errors can point at the line a person sees.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
	const rows: { line: number; fields: string[] }[] = [];
	let field = '';
	let fields: string[] = [];
	let quoted = false;
	let line = 1;
	let rowStart = 1;
	const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (quoted) {
			if (c === '"') {
				if (s[i + 1] === '"') {
					field += '"';
					i++;
				} else quoted = false;
			} else {
				if (c === '\n') line++;
				field += c;
			}
		} else if (c === '"' && field === '') {
			quoted = true;
		} else if (c === ',') {
			fields.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && s[i + 1] === '\n') i++;
			fields.push(field);
			if (fields.some((f) => f.trim() !== '')) rows.push({ line: rowStart, fields });
			fields = [];
			field = '';
			line++;
			rowStart = line;
		} else {
			field += c;
		}
	}
	fields.push(field);
	if (fields.some((f) => f.trim() !== '')) rows.push({ line: rowStart, fields });
	return rows;
}

export const UNIT_COLUMNS = ['building', 'entrance', 'room', 'floor_area', 'owners', 'developer_held'] as const;
export type UnitColumn = (typeof UNIT_COLUMNS)[number];

/** Header names a committee is likely to type, in Chinese or English. */
const HEADER_ALIASES: Record<string, UnitColumn> = {
	building: 'building', 楼栋: 'building', 楼号: 'building', 幢: 'building',
	entrance: 'entrance', 单元: 'entrance',
	room: 'room', 房号: 'room', 室: 'room', 门牌: 'room',
	floor_area: 'floor_area', area: 'floor_area', 建筑面积: 'floor_area', 面积: 'floor_area', 专有部分面积: 'floor_area',
	owners: 'owners', owner: 'owners', 业主: 'owners', 业主姓名: 'owners',
	developer_held: 'developer_held', 开发商持有: 'developer_held', 未售: 'developer_held'
};

export interface UnitRow {
	line: number;
	building: string;
	entrance: string;
	room: string;
	floor_area: string;
	owners: string;
	developer_held: string;
}

export type CsvProblem = { line: number; field: string; key: string };

/**
 * Reads the unit register CSV into rows for import_units. Shape problems
 * (unknown header, wrong number of fields) are found here; the database
 * checks the values.
 */
export function readUnitCsv(text: string): { rows: UnitRow[]; problems: CsvProblem[] } {
	const all = parseCsv(text);
	if (all.length === 0) return { rows: [], problems: [{ line: 1, field: 'file', key: 'errors.import.empty' }] };
	const [header, ...data] = all;
	const columns = header.fields.map((h) => HEADER_ALIASES[h.trim().toLowerCase()] ?? HEADER_ALIASES[h.trim()]);
	const missing = (['building', 'room', 'floor_area'] as const).filter((c) => !columns.includes(c));
	if (missing.length > 0 || columns.some((c) => c === undefined)) {
		return { rows: [], problems: [{ line: header.line, field: 'file', key: 'errors.import.header' }] };
	}
	const rows: UnitRow[] = [];
	const problems: CsvProblem[] = [];
	for (const r of data) {
		if (r.fields.length !== columns.length) {
			problems.push({ line: r.line, field: 'file', key: 'errors.import.field_count' });
			continue;
		}
		const row: UnitRow = { line: r.line, building: '', entrance: '', room: '', floor_area: '', owners: '', developer_held: '' };
		columns.forEach((c, i) => (row[c!] = r.fields[i].trim()));
		rows.push(row);
	}
	if (data.length === 0) problems.push({ line: header.line, field: 'file', key: 'errors.import.empty' });
	return { rows, problems };
}

/** The columns import_progress reads: the open-data milestones file's, plus a progress note (see docs/open-data.md). */
export const PROGRESS_COLUMNS = ['id', 'issue_id', 'item_id', 'item', 'title', 'planned_on', 'weight', 'done', 'done_on', 'note'] as const;
export type ProgressColumn = (typeof PROGRESS_COLUMNS)[number];

/** Header names of a progress report: the export's own, and what a contractor is likely to type instead. */
const PROGRESS_ALIASES: Record<string, ProgressColumn> = {
	...Object.fromEntries(PROGRESS_COLUMNS.map((c) => [c, c])),
	节点编号: 'id', 编号: 'id', 议题编号: 'issue_id', 工作项编号: 'item_id', 工作项: 'item',
	节点: 'title', 节点名称: 'title', 计划日期: 'planned_on', 权重: 'weight',
	完成: 'done', 是否完成: 'done', 完成日期: 'done_on', 进展说明: 'note', 说明: 'note', 备注: 'note'
};

/** A row of a progress report as import_progress takes it: every column text, empty keeps what is there. */
export type ProgressRow = { line: number } & Record<ProgressColumn, string>;

/**
 * Reads a progress report CSV into rows for import_progress. Shape problems
 * (no id column, an unknown header, a wrong number of fields) are found here;
 * the database checks the values, line by line.
 */
export function readProgressCsv(text: string): { rows: ProgressRow[]; problems: CsvProblem[] } {
	const all = parseCsv(text);
	if (all.length === 0) return { rows: [], problems: [{ line: 1, field: 'file', key: 'errors.import.empty' }] };
	const [header, ...data] = all;
	const columns = header.fields.map((h) => PROGRESS_ALIASES[h.trim().toLowerCase()] ?? PROGRESS_ALIASES[h.trim()]);
	if (!columns.includes('id') || columns.some((c) => c === undefined) || new Set(columns).size !== columns.length) {
		return { rows: [], problems: [{ line: header.line, field: 'file', key: 'errors.import.progress_header' }] };
	}
	const rows: ProgressRow[] = [];
	const problems: CsvProblem[] = [];
	for (const r of data) {
		if (r.fields.length !== columns.length) {
			problems.push({ line: r.line, field: 'file', key: 'errors.import.field_count' });
			continue;
		}
		const row = { line: r.line, ...Object.fromEntries(PROGRESS_COLUMNS.map((c) => [c, ''])) } as ProgressRow;
		columns.forEach((c, i) => (row[c!] = r.fields[i].trim()));
		rows.push(row);
	}
	if (data.length === 0) problems.push({ line: header.line, field: 'file', key: 'errors.import.empty' });
	return { rows, problems };
}
