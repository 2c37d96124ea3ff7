import { Readable } from 'node:stream';
import { error, redirect } from '@sveltejs/kit';
import yazl from 'yazl';
import { DomainError } from './backend/types';

/**
 * The open-data archive (开放数据) of an estate, a community or a street: a ZIP
 * of CSV files and the same as JSON (docs/open-data.md, column by column),
 * streamed — each file is read from the database one page at a time while
 * the archive is being sent, so the server's memory does not grow with the
 * data. Only what the caller may read, and no personal data (the SQL
 * functions leave it out).
 */

export type OpenDataKind = 'estate' | 'community' | 'street';

export interface OpenDataScope {
	kind: OpenDataKind;
	id: string;
	name: string;
	estate_ids: string[];
	figure_estates: string[];
}

type Row = Record<string, unknown>;

export const ISSUE_COLUMNS = ['id', 'estate_id', 'estate', 'area', 'area_kind', 'category', 'title', 'status', 'channel', 'support_count', 'comment_count', 'created_at', 'last_activity_at'] as const;
export const EVENT_COLUMNS = ['id', 'issue_id', 'kind', 'action', 'from_status', 'to_status', 'publication_id', 'created_at'] as const;
export const VOTE_COLUMNS = ['vote_id', 'estate_id', 'issue_id', 'question', 'kind', 'rule', 'electorate_kind', 'opens_at', 'closes_at', 'outcome', 'electors', 'ballots', 'tallied_at'] as const;
export const VOTE_OPTION_COLUMNS = ['vote_id', 'position', 'role', 'label', 'ballots', 'area', 'owners', 'winner'] as const;
export const FIGURE_COLUMNS = ['estate_id', 'issues', 'done', 'completion_rate', 'median_days_accept', 'median_days_decide', 'median_days_complete', 'proposed_30_days', 'completed_30_days', 'overdue', 'satisfaction'] as const;

/** One CSV field: quoted when it holds a comma, quote or line break; a formula-looking text gets a leading apostrophe (spreadsheet injection). */
export function csvField(v: unknown): string {
	if (v === null || v === undefined) return '';
	let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
	if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const csvLine = (cols: readonly string[], row: Row) => cols.map((c) => csvField(row[c])).join(',') + '\r\n';

type Call = App.Locals['call'];

/** Pages of rows, keyset by `key`, until a short page. */
async function* pages(fetch: (after: unknown) => Promise<Row[]>, key: string, size: number): AsyncGenerator<Row[]> {
	let after: unknown = null;
	for (;;) {
		const rows = await fetch(after);
		if (rows.length > 0) yield rows;
		if (rows.length < size) return;
		after = rows[rows.length - 1][key];
	}
}

async function* csv(cols: readonly string[], source: AsyncIterable<Row[]>): AsyncGenerator<string> {
	// A BOM, so that Excel and WPS open the UTF-8 file as UTF-8.
	yield '\uFEFF' + cols.join(',') + '\r\n';
	for await (const rows of source) yield rows.map((r) => csvLine(cols, r)).join('');
}

async function* json(source: AsyncIterable<Row[]>): AsyncGenerator<string> {
	yield '[';
	let first = true;
	for await (const rows of source) {
		for (const r of rows) {
			yield (first ? '\n' : ',\n') + JSON.stringify(r);
			first = false;
		}
	}
	yield '\n]\n';
}

const ISSUE_PAGE = 500;
const EVENT_PAGE = 2000;

/** The scope of an archive, or the error page / sign-in a page load would give. */
export async function openDataScope(locals: App.Locals, kind: OpenDataKind, id: string, path: string): Promise<OpenDataScope> {
	try {
		return (await locals.call('open_data_scope', { p_kind: kind, p_id: id })) as OpenDataScope;
	} catch (e) {
		if (e instanceof DomainError && (e.key === 'errors.sign_in_to_see' || e.key === 'errors.sign_in_required') && !locals.me) {
			redirect(303, `/auth/sign-in?next=${encodeURIComponent(path)}`);
		}
		if (e instanceof DomainError) error(e.status, { message: e.key });
		throw e;
	}
}

/** The archive as a streamed response. */
export function openDataResponse(locals: App.Locals, scope: OpenDataScope): Response {
	const call = locals.call as Call;
	const ids = scope.estate_ids;
	const issuePages = () =>
		pages((after) => call('open_data_issues', { p_estate_ids: ids, p_after: (after as string) ?? null, p_limit: ISSUE_PAGE }) as Promise<Row[]>, 'id', ISSUE_PAGE);
	const eventPages = () =>
		pages((after) => call('open_data_events', { p_estate_ids: ids, p_after: (after as number) ?? null, p_limit: EVENT_PAGE }) as Promise<Row[]>, 'id', EVENT_PAGE);
	const votes = async function* (): AsyncGenerator<Row[]> {
		// Votes are read by signed-in readers only.
		if (locals.me) yield (await call('open_data_votes', { p_estate_ids: ids })) as Row[];
	};
	const options = async function* (): AsyncGenerator<Row[]> {
		for await (const vs of votes()) yield vs.flatMap((v) => ((v.options as Row[]) ?? []).map((o) => ({ vote_id: v.vote_id, ...o })));
	};
	const votesFlat = async function* (): AsyncGenerator<Row[]> {
		for await (const vs of votes()) yield vs.map(({ options: _, ...v }) => v);
	};
	const figures = async function* (): AsyncGenerator<Row[]> {
		const rows: Row[] = [];
		for (const estate of scope.figure_estates) {
			const f = (await call('transparency_figures', { p_estate_ids: [estate] })) as Record<string, any>;
			rows.push({
				estate_id: estate,
				issues: f.issues,
				done: f.done,
				completion_rate: f.completion_rate,
				median_days_accept: f.stages.accept.median,
				median_days_decide: f.stages.decide.median,
				median_days_complete: f.stages.complete.median,
				proposed_30_days: f.last_30_days.proposed,
				completed_30_days: f.last_30_days.completed,
				overdue: f.overdue,
				satisfaction: f.satisfaction
			});
		}
		yield rows;
	};

	const zip = new yazl.ZipFile();
	const add = (name: string, gen: AsyncIterable<string>) => zip.addReadStream(Readable.from(gen, { objectMode: false }), name);
	add('issues.csv', csv(ISSUE_COLUMNS, issuePages()));
	add('events.csv', csv(EVENT_COLUMNS, eventPages()));
	add('vote_results.csv', csv(VOTE_COLUMNS, votesFlat()));
	add('vote_options.csv', csv(VOTE_OPTION_COLUMNS, options()));
	add('figures.csv', csv(FIGURE_COLUMNS, figures()));
	add('issues.json', json(issuePages()));
	add('events.json', json(eventPages()));
	add('vote_results.json', json(votes()));
	add('figures.json', json(figures()));
	zip.addBuffer(
		Buffer.from(
			JSON.stringify(
				{ scope: scope.kind, id: scope.id, name: scope.name, estates: scope.estate_ids, figure_estates: scope.figure_estates, generated_at: new Date().toISOString(), documentation: 'docs/open-data.md' },
				null,
				1
			) + '\n'
		),
		'about.json'
	);
	zip.end();
	const stamp = new Date().toISOString().slice(0, 10);
	return new Response(Readable.toWeb(zip.outputStream as Readable) as ReadableStream, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="linyi-${scope.kind}-${scope.id}-${stamp}.zip"`,
			'cache-control': 'private, no-store'
		}
	});
}
