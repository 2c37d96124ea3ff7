import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from './sql';
// The worker's source, as text: the bundled server has no file to start it from.
import workerSource from './pglite-worker.cjs?raw';

/** One SQL statement and its parameters. */
export type Statement = [sql: string, params: unknown[]];

/** What the embedded backend needs of PGlite, wherever it runs. */
export interface EmbeddedDb {
	/** The server's own connection: migrations, the seed, local auth. */
	readonly sql: Sql;
	/** Runs the statements in one transaction and returns the last one's rows. */
	batch<R>(statements: Statement[]): Promise<R[]>;
	/**
	 * LISTENs to a channel (a live topic); `notified` runs on each NOTIFY of it
	 * once its transaction commits. Resolves once the LISTEN is in place, with
	 * the function that ends it. The live port listens once per topic and shares it.
	 */
	listen(channel: string, notified: (payload: string) => void): Promise<() => Promise<void>>;
	close(): Promise<void>;
}

/** PGlite on the calling thread: for tests, which open many small databases. */
export function localPglite(db: PGlite): EmbeddedDb {
	const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Omit<Sql, 'transaction'> => ({
		query: async <R>(sql: string, params: unknown[] = []) => (await q.query<R>(sql, params)).rows,
		exec: async (sql: string) => void (await q.exec(sql))
	});
	const sql: Sql = {
		...wrap(db),
		transaction: (fn) =>
			db.transaction((tx) => fn({ ...wrap(tx), transaction: () => Promise.reject(new Error('nested transactions are not used')) }))
	};
	return {
		sql,
		batch: (statements) =>
			db.transaction(async (tx) => {
				let rows: never[] = [];
				for (const [text, params] of statements) rows = (await tx.query<never>(text, params)).rows;
				return rows;
			}),
		async listen(channel, notified) {
			// PGlite's listen() quotes nothing and its unlisten() drops the quotes given to listen(): LISTEN by hand.
			const own = (c: string, payload: string) => c === channel && notified(payload);
			const stop = db.onNotification(own);
			await db.exec(`LISTEN "${channel}"`);
			return async () => {
				stop();
				await db.exec(`UNLISTEN "${channel}"`);
			};
		},
		close: () => db.close()
	};
}

/** A database error as the worker reports it: the same fields the PGlite and postgres drivers carry. */
export class EmbeddedDbError extends Error {
	code?: string;
	detail?: string;
	hint?: string;
	where?: string;
	position?: string;
	constructor(fields: { message: string; code?: string; detail?: string; hint?: string; where?: string; position?: string }) {
		super(fields.message);
		Object.assign(this, fields);
	}
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ConstructorParameters<typeof EmbeddedDbError>[0] };
/** A NOTIFY the worker relays, outside any reply. */
type Notification = { notify: string; payload: string };

/**
 * PGlite on a worker thread (pglite-worker.cjs). Postgres in WebAssembly runs
 * synchronously, so on the main thread a query holds up every other request;
 * on its own thread the database and the page rendering use both cores, and
 * the server keeps answering while a long statement runs.
 */
export async function openPgliteThread(options: {
	dataDir?: string;
	loadDataDir?: Uint8Array;
	/** Called once if the thread dies on its own (not by close()): every later statement fails. */
	onStop?: (reason: Error) => void;
	/** A ceiling for the thread's JavaScript heap, in MB (V8's default when absent). */
	heapLimitMb?: number;
}): Promise<EmbeddedDb> {
	const { onStop, heapLimitMb, ...open } = options;
	const require = createRequire(import.meta.url);
	const modules = {
		pglite: require.resolve('@electric-sql/pglite'),
		pgcrypto: require.resolve('@electric-sql/pglite/contrib/pgcrypto')
	};
	const worker = new Worker(workerSource, {
		eval: true,
		workerData: { ...open, modules },
		// A small young generation for this thread. With the default (sized from the machine's
		// memory) V8 ran a full mark-compact of the thread's heap four times a second under load,
		// each with about 45 ms of marking on its helper threads; with 4 MB the short-lived result
		// strings die in cheap scavenges instead. Measured on the board at 20 concurrent requests:
		// the server's CPU per page 3.6-4.0 → 2.9-3.1 ms (bench/issues.js prints it per thread).
		resourceLimits: { maxYoungGenerationSizeMb: 4, ...(heapLimitMb ? { maxOldGenerationSizeMb: heapLimitMb } : {}) }
	});
	const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	let nextId = 1;
	let stopped: Error | null = null;
	let closing = false;

	const failAll = (e: Error) => {
		stopped = e;
		for (const p of pending.values()) p.reject(e);
		pending.clear();
	};
	await new Promise<void>((ready, failed) => {
		worker.once('message', (m: { ready: boolean; error?: { message: string } }) =>
			m.ready ? ready() : failed(new EmbeddedDbError(m.error ?? { message: 'the embedded database did not open' }))
		);
		worker.once('error', failed);
	});
	const listeners = new Set<{ channel: string; notified: (channel: string, payload: string) => void }>();
	worker.on('message', (m: Reply | Notification) => {
		if ('notify' in m) {
			for (const l of listeners) l.notified(m.notify, m.payload);
			return;
		}
		const p = pending.get(m.id);
		if (!p) return;
		pending.delete(m.id);
		if (m.ok) p.resolve(m.value);
		else p.reject(new EmbeddedDbError(m.error));
	});
	// A thread that dies (out of memory, say) takes the database with it: fail what waits, refuse
	// what comes, and tell the owner once, who may rather stop the server than serve errors.
	const died = (why: string) => {
		if (stopped) return;
		const e = new Error(`the embedded database has stopped (${why})`);
		failAll(e);
		if (!closing) onStop?.(e);
	};
	worker.on('error', (e) => died(e.message));
	worker.on('exit', (code) => died(`thread exit code ${code}`));

	const send = <T>(op: string, message: Record<string, unknown> = {}, id = nextId++) =>
		new Promise<T>((resolve, reject) => {
			if (stopped) return reject(stopped);
			pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
			worker.postMessage({ id, op, ...message });
		});

	// Rows come with the names of their json columns, sent as text: parsed here (see the worker).
	const rowsOf = async <R>(reply: Promise<{ rows: Record<string, unknown>[]; json: string[] }>) => {
		const { rows, json } = await reply;
		for (const row of rows) for (const name of json) if (typeof row[name] === 'string') row[name] = JSON.parse(row[name]);
		return rows as R[];
	};

	const connection = (tx?: number): Omit<Sql, 'transaction'> => ({
		query: <R>(sql: string, params: unknown[] = []) => rowsOf<R>(send('query', { sql, params, tx })),
		exec: (sql: string) => send<void>('exec', { sql, tx })
	});

	const sql: Sql = {
		...connection(),
		async transaction<T>(fn: (tx: Sql) => Promise<T>) {
			const tx = nextId++;
			await send('begin', {}, tx);
			let result: T;
			try {
				result = await fn({ ...connection(tx), transaction: () => Promise.reject(new Error('nested transactions are not used')) });
			} catch (e) {
				await send('end', { tx, commit: false });
				throw e;
			}
			await send('end', { tx, commit: true });
			return result;
		}
	};

	return {
		sql,
		batch: <R>(statements: Statement[]) => rowsOf<R>(send('batch', { statements })),
		async listen(channel, notified) {
			// The thread LISTENs once per channel, however many listen here.
			const own = (c: string, payload: string) => c === channel && notified(payload);
			const first = ![...listeners].some((l) => l.channel === channel);
			const entry = { channel, notified: own };
			listeners.add(entry);
			try {
				if (first) await send('listen', { channel });
			} catch (e) {
				listeners.delete(entry);
				throw e;
			}
			return async () => {
				if (!listeners.delete(entry)) return;
				const last = ![...listeners].some((l) => l.channel === channel);
				if (last && !stopped) await send('unlisten', { channel });
			};
		},
		async close() {
			if (stopped) return;
			closing = true;
			await send('close');
			await new Promise((r) => worker.once('exit', r));
		}
	};
}
