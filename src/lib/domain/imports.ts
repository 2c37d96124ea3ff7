/** What import_areas and import_units answer: counts, or every problem with its line (or feature) number. */
export type ImportResult =
	| { ok: true; inserted: number; updated: number; total: number }
	| { ok: false; errors: { line: number; field: string; key: string }[]; total?: number };
