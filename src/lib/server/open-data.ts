import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { OPEN_DATA_FILES, csvLine, type OpenDataFile, type OpenDataRow, type OpenDataScope } from '$lib/domain/open-data';
import { chinaDay, formatDateTime } from '$lib/format';
import { loadMessages, translator } from '$lib/i18n';
import { loadCall } from './page-call';

/** Rows per SQL call: large enough that the calls cost little, small enough that memory stays flat. */
const PAGE = 1000;

/** Reads one page of a file after a cursor, as the caller (the page's locals.call). */
export type PageReader = (file: OpenDataFile, after: string | number | null, limit: number) => Promise<OpenDataRow[]>;

/** Every row of a file, page after page, each read only when the stream asks for more. */
async function* rowsOf(read: PageReader, file: OpenDataFile): AsyncGenerator<OpenDataRow> {
	const { cursor } = OPEN_DATA_FILES[file];
	let after: string | number | null = null;
	for (;;) {
		const rows = await read(file, after, PAGE);
		yield* rows;
		// A page holds PAGE keys (rows; for vote options, votes): fewer means it was the last.
		const keys = cursor === 'id' ? rows.length : new Set(rows.map((r) => r[cursor])).size;
		if (keys < PAGE) return;
		after = rows[rows.length - 1][cursor] as string | number;
	}
}

/**
 * A file read once, written twice: as CSV, streamed into the ZIP while the rows
 * arrive, and as JSON, written meanwhile to a temporary file that the JSON entry
 * then streams (the ZIP takes its entries one after another). So the database
 * reads each row once, and memory holds no more than a page of it.
 */
function csvAndJson(read: PageReader, file: OpenDataFile): { csv: Readable; json: Readable } {
	const { columns } = OPEN_DATA_FILES[file];
	const spill = path.join(tmpdir(), `linyi-open-data-${randomUUID()}-${file}.json`);
	let written: () => void;
	let failed: (e: unknown) => void;
	const spilled = new Promise<void>((ok, fail) => ((written = ok), (failed = fail)));
	spilled.catch(() => {});
	const remove = () => rm(spill, { force: true }).catch(() => {});

	async function* csv(): AsyncGenerator<string> {
		const out = createWriteStream(spill);
		const write = async (text: string) => {
			if (!out.write(text)) await once(out, 'drain');
		};
		try {
			yield '\ufeff' + columns.join(',') + '\r\n';
			let lines = '';
			let json = '[';
			let first = true;
			for await (const row of rowsOf(read, file)) {
				lines += csvLine(columns, row);
				json += (first ? '\n' : ',\n') + JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
				first = false;
				if (lines.length > 64 * 1024) {
					await write(json);
					json = '';
					yield lines;
					lines = '';
				}
			}
			await write(json + (first ? ']\n' : '\n]\n'));
			out.end();
			await once(out, 'finish');
			written!();
			if (lines) yield lines;
		} catch (e) {
			out.destroy();
			failed!(e);
			await remove();
			throw e;
		} finally {
			// The client went away before the JSON entry was read: nothing will read the spill.
			if (!out.writableFinished) {
				out.destroy();
				failed!(new Error('open-data export stopped'));
				await remove();
			}
		}
	}

	async function* json(): AsyncGenerator<Buffer> {
		try {
			await spilled;
			for await (const chunk of createReadStream(spill)) yield chunk as Buffer;
		} finally {
			await remove();
		}
	}

	return { csv: bytes(csv()), json: Readable.from(json(), { objectMode: false }) };
}

/** A byte stream of generated text (the ZIP's compressor takes bytes). */
function bytes(text: AsyncGenerator<string>): Readable {
	return Readable.from(
		(async function* () {
			for await (const t of text) yield Buffer.from(t, 'utf8');
		})(),
		{ objectMode: false }
	);
}

/**
 * The export as a ZIP stream: every file as CSV and as JSON, plus a README
 * naming the scope and pointing at the column documentation. Entries are
 * compressed one after another and each reads its rows only as the client
 * takes the bytes, so the export never sits in memory whole; a client that
 * goes away stops the reading.
 */
export function openDataZip(read: PageReader, readme: string): Readable {
	const zip = new ZipFile();
	const mtime = new Date();
	zip.addBuffer(
		Buffer.from(readme.replace(/\n/g, '\r\n') + '\r\n'),
		'README.txt',
		{ mtime }
	);
	const entries: Readable[] = [];
	for (const file of Object.keys(OPEN_DATA_FILES) as OpenDataFile[]) {
		const { csv, json } = csvAndJson(read, file);
		zip.addReadStream(csv, `${file}.csv`, { mtime });
		zip.addReadStream(json, `${file}.json`, { mtime });
		entries.push(csv, json);
	}
	zip.end();
	const out = zip.outputStream as Readable;
	// A client that goes away closes the output: stop the entries still to be read, which removes their spills.
	out.once('close', () => entries.forEach((e) => e.destroy()));
	return out;
}

/** The summary of a scope for the caller; 404 when they may read none of it. */
export async function openDataSummary(locals: App.Locals, scope: OpenDataScope, id: string) {
	return loadCall(locals, 'open_data_summary', { p_scope: scope, p_scope_id: id });
}

/**
 * The download: a ZIP streamed as it is made, read as the caller (anyone sees
 * what the public board shows, members what their pages show).
 */
export async function openDataResponse(locals: App.Locals, scope: OpenDataScope, id: string): Promise<Response> {
	const summary = await openDataSummary(locals, scope, id);
	const call = locals.call as unknown as (fn: string, args: Record<string, unknown>) => Promise<OpenDataRow[]>;
	const read: PageReader = (file, after, limit) => call(`open_data_${file}`, { p_scope: scope, p_scope_id: id, p_after: after, p_limit: limit });
	// The README and the file's name in the reader's language, as the page is.
	const t = translator(await loadMessages(locals.locale), locals.locale);
	const now = new Date();
	const stream = openDataZip(read, t('open_data.readme', { name: summary.name, at: formatDateTime(now, locals.locale) }));
	const day = chinaDay(now);
	const filename = `linyi-open-data-${scope}-${day}.zip`;
	return new Response(Readable.toWeb(stream) as ReadableStream, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(`${summary.name}-${t('open_data.title')}-${day}.zip`)}`,
			'cache-control': 'private, no-store'
		}
	});
}

/** What the three open-data routes (estate, community, street) are given: the scope's id in the URL. */
type ScopeEvent = { locals: App.Locals; params: { id: string } };

/**
 * The load and the download of one scope's open-data routes, which differ by
 * the scope alone: `/estates|communities|streets/<id>/open-data` and its `zip`.
 */
export function openDataRoutes(scope: OpenDataScope) {
	return {
		/** What the scope's open data holds for the caller: every estate of it they may read. */
		load: async ({ locals, params }: ScopeEvent) => ({ summary: await openDataSummary(locals, scope, params.id) }),
		/** The scope's open data as a ZIP, streamed. */
		download: ({ locals, params }: ScopeEvent) => openDataResponse(locals, scope, params.id)
	};
}
