/**
 * The files of an open-data export and their columns, in the order the CSV
 * files write them. docs/open-data.md explains every column; a test holds the
 * two together. Each file is read page by page from its SQL function
 * (open_data_<file>), keyset-ordered by `cursor`.
 */
export const OPEN_DATA_FILES = {
	issues: {
		cursor: 'id',
		columns: ['id', 'estate_id', 'estate', 'area_id', 'area', 'area_kind', 'category', 'title', 'status', 'channel', 'longitude', 'latitude', 'supports', 'comments', 'merged_into', 'created_at', 'threshold_reached_at', 'last_activity_at']
	},
	events: {
		cursor: 'id',
		columns: ['id', 'issue_id', 'kind', 'action', 'from_status', 'to_status', 'reason', 'related_issue_id', 'at']
	},
	votes: {
		cursor: 'id',
		columns: ['id', 'estate_id', 'issue_id', 'question', 'kind', 'matter', 'rule', 'electorate', 'scope_area_id', 'secret', 'status', 'opens_at', 'closes_at', 'closed_at', 'outcome', 'electors', 'ballots', 'area', 'area_total', 'owners', 'owners_total']
	},
	vote_options: {
		// Paged by whole votes: the cursor is the last vote of the page.
		cursor: 'vote_id',
		columns: ['vote_id', 'position', 'role', 'label', 'ballots', 'area', 'owners']
	},
	// Also what a contractor's weekly report is imported in (import_progress), with a `note` column added.
	milestones: {
		cursor: 'id',
		columns: ['id', 'issue_id', 'item_id', 'item', 'title', 'planned_on', 'weight', 'done', 'done_on']
	}
} as const;

export type OpenDataFile = keyof typeof OPEN_DATA_FILES;
export type OpenDataScope = 'estate' | 'community' | 'street';
export type OpenDataRow = Record<string, string | number | boolean | null>;

/** What an export holds (open_data_summary): the download page shows it, the progress bar counts against it. */
export interface OpenDataSummary {
	scope: OpenDataScope;
	id: string;
	name: string;
	estates: { id: string; name: string }[];
	counts: Record<OpenDataFile, number>;
}

/**
 * A value as a CSV cell's text: empty for null, and a text that a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR at its start) prefixed with an
 * apostrophe, since titles are typed by anyone.
 */
export function csvText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'string') return String(value);
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV field: the cell's text, quoted when it holds a comma, a quote or a line break. */
export function csvField(value: unknown): string {
	const text = csvText(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (CRLF, as RFC 4180 and Excel want) of a row, in the file's column order. */
export function csvLine(columns: readonly string[], row: OpenDataRow): string {
	return columns.map((c) => csvField(row[c])).join(',') + '\r\n';
}
