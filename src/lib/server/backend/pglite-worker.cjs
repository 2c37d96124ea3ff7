// The embedded database on a thread of its own. PGlite runs Postgres as
// WebAssembly, synchronously: on the server's main thread every query would
// stop all other requests (and their page rendering) until it ends. Here it
// runs beside them, on the machine's second core; the main thread only posts
// statements and receives rows (pglite-thread.ts is the other end).
//
// A CommonJS script that the server passes to the worker as text: the server
// is bundled, so there is no file of its own to start the worker from. The
// server resolves the PGlite modules and hands over their paths.
const { parentPort, workerData } = require('node:worker_threads');
/** @type {typeof import('@electric-sql/pglite')} */
const { PGlite, protocol, types } = require(workerData.modules.pglite);
/** @type {typeof import('@electric-sql/pglite/contrib/pgcrypto')} */
const { pgcrypto } = require(workerData.modules.pgcrypto);

/** @type {import('node:worker_threads').MessagePort} */
const port = /** @type {any} */ (parentPort);

/**
 * @typedef {{ id: number, op: string, sql: string, params?: unknown[], tx?: number,
 *   statements: [string, unknown[]][], commit: boolean, channel: string }} Message
 * @typedef {{ tx: import('@electric-sql/pglite').Transaction, commit: (v: unknown) => void,
 *   rollback: (e: Error) => void, done: Promise<unknown> }} OpenTransaction
 */

/**
 * The error fields the backend reads (SQLSTATE, message key, field); the rest is for logs.
 * @param {unknown} e
 */
function errorFields(e) {
	const err = /** @type {Record<string, unknown>} */ (e ?? {});
	return {
		message: String(err.message ?? e),
		code: err.code,
		detail: err.detail,
		hint: err.hint,
		where: err.where,
		position: err.position
	};
}

/** @type {import('@electric-sql/pglite').PGlite} */
let db;

/** Transactions the main thread holds open: id → the PGlite transaction and how to end it.
 * @type {Map<number, OpenTransaction>} */
const open = new Map();

/** @type {(q: Pick<import('@electric-sql/pglite').PGlite, 'query'>, sql: string, params?: unknown[]) => Promise<unknown[]>} */
const rowsOf = async (q, sql, params) => (await q.query(sql, params ?? [])).rows;

/** @param {number | undefined} tx */
const connection = (tx) => (tx ? /** @type {OpenTransaction} */ (open.get(tx)).tx : db);

/** json and jsonb: their values are left as the text Postgres sent. */
const JSON_TYPES = new Set([types.JSON, types.JSONB]);

/**
 * Statements prepared once, by their text: the calls the app makes are a few
 * hundred fixed texts, so each is parsed and described only the first time.
 * @type {Map<string, { name: string, params: number[], fields: { name: string, oid: number }[] }>}
 */
const prepared = new Map();
const MAX_PREPARED = 1000;

/** @param {Uint8Array[]} parts */
function concat(parts) {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/** @param {string} text */
async function prepare(text) {
	let statement = prepared.get(text);
	if (statement) return statement;
	const name = `linyi_${prepared.size + 1}`;
	const { messages } = await db.execProtocol(
		concat([protocol.serialize.parse({ name, text }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()])
	);
	const params = /** @type {any} */ (messages.find((m) => m.name === 'parameterDescription'))?.dataTypeIDs ?? [];
	const fields = /** @type {any} */ (messages.find((m) => m.name === 'rowDescription'))?.fields ?? [];
	statement = { name, params, fields: fields.map((/** @type {any} */ f) => ({ name: f.name, oid: f.dataTypeID })) };
	prepared.set(text, statement);
	return statement;
}

/**
 * Several statements in one transaction, in one pass through Postgres: a call
 * as a user is two statements (the caller's role and claims, then the
 * function), and PGlite's query() crosses into WebAssembly six times for each,
 * plus BEGIN and COMMIT. Sent as one extended-protocol pipeline ending in a
 * single Sync, they are one implicit transaction: set_config(…, true) holds
 * until the Sync, and an error rolls everything back. Returns the last
 * statement's rows; its json and jsonb columns stay text, which crosses to the
 * main thread in one copy where an object graph would be cloned piece by piece.
 * @param {[string, unknown[]][]} statements
 */
async function pipeline(statements) {
	// Under PGlite's own locks, so that nothing else runs in between (its query() takes the same two).
	const d = /** @type {any} */ (db);
	return d._runExclusiveTransaction(() =>
		d._runExclusiveQuery(async () => {
			const steps = [];
			for (const [text, params] of statements) steps.push({ statement: await prepare(text), params });
			/** @type {Uint8Array[]} */
			const parts = [];
			for (const { statement, params } of steps) {
				const values = params.map((v, i) => {
					if (v === null || v === undefined) return null;
					const serialize = d.serializers[statement.params[i]];
					return serialize ? serialize(v) : String(v);
				});
				parts.push(protocol.serialize.bind({ statement: statement.name, values }), protocol.serialize.execute({}));
			}
			parts.push(protocol.serialize.sync());
			const { messages } = await db.execProtocol(concat(parts));
			// Each statement's rows end with its CommandComplete; keep the last statement's.
			const { fields } = steps[steps.length - 1].statement;
			let done = 0;
			/** @type {Record<string, unknown>[]} */
			const rows = [];
			for (const m of /** @type {any[]} */ (messages)) {
				if (m.name === 'commandComplete') done++;
				else if (m.name === 'dataRow' && done === steps.length - 1) {
					/** @type {Record<string, unknown>} */
					const row = {};
					fields.forEach((f, i) => (row[f.name] = JSON_TYPES.has(f.oid) ? m.fields[i] : types.parseType(m.fields[i], f.oid, d.parsers)));
					rows.push(row);
				}
			}
			return { rows, json: fields.filter((f) => JSON_TYPES.has(f.oid)).map((f) => f.name) };
		})
	);
}

/** Channels the main thread listens to. @type {Set<string>} */
const listening = new Set();

/**
 * A channel as a quoted identifier: a topic such as vote:<uuid> is no plain identifier. The live
 * port only passes names without quotes.
 * @param {string} channel
 */
const quoted = (channel) => {
	if (channel.includes('"')) throw new Error(`not a channel name: ${channel}`);
	return `"${channel}"`;
};

/** @type {Record<string, (m: Message) => Promise<unknown>>} */
const handlers = {
	// Outside a transaction, through the pipeline while the statement cache has room (the
	// server's own statements are a few fixed texts); past that, PGlite's own query().
	query: async ({ sql, params, tx }) =>
		!tx && (prepared.has(sql) || prepared.size < MAX_PREPARED)
			? pipeline([[sql, params ?? []]])
			: { rows: await rowsOf(connection(tx), sql, params), json: [] },
	exec: async ({ sql, tx }) => void (await connection(tx).exec(sql)),
	batch: ({ statements }) => pipeline(statements),
	// A transaction whose statements the main thread sends one by one (migrations, sign-up).
	begin: ({ id }) =>
		new Promise((started, failed) => {
			const t = /** @type {OpenTransaction} */ ({});
			open.set(id, t);
			t.done = db.transaction(
				(tx) =>
					new Promise((commit, rollback) => {
						Object.assign(t, { tx, commit, rollback });
						started(undefined);
					})
			);
			t.done.catch(failed).finally(() => open.delete(id));
		}),
	end: async ({ tx, commit }) => {
		const t = /** @type {OpenTransaction} */ (open.get(/** @type {number} */ (tx)));
		if (commit) t.commit(undefined);
		else t.rollback(new Error('rolled back'));
		await t.done.catch((e) => {
			if (commit) throw e;
		});
	},
	// The live port: LISTEN to a channel (a topic) until told to stop; each notification goes to
	// the main thread as a message of its own ({ notify, payload }), outside any reply.
	// (PGlite's own listen() cannot be used: its unlisten sends the channel's name unquoted.)
	listen: async ({ channel }) => {
		if (listening.has(channel)) return;
		listening.add(channel);
		await db.exec(`LISTEN ${quoted(channel)}`);
	},
	unlisten: async ({ channel }) => {
		if (!listening.delete(channel)) return;
		await db.exec(`UNLISTEN ${quoted(channel)}`);
	},
	close: async () => {
		await db.close();
	}
};

async function start() {
	try {
		db = await PGlite.create({
			dataDir: workerData.dataDir,
			loadDataDir: workerData.loadDataDir ? new Blob([workerData.loadDataDir]) : undefined,
			// A data directory must be reopened with the extensions it was created with.
			extensions: { pgcrypto },
			// Postgres's shared buffers live in the WebAssembly memory and count in full in the
			// server's memory: PGlite's 128 MB made up a third of it. 64 MB hold an estate's working
			// set; other pages come from the operating system's file cache.
			postgresqlconf: ['shared_buffers = 64MB']
		});
	} catch (e) {
		port.postMessage({ ready: false, error: errorFields(e) });
		return;
	}
	db.onNotification((channel, payload) => {
		if (listening.has(channel)) port.postMessage({ notify: channel, payload });
	});
	port.on('message', async (/** @type {Message} */ m) => {
		const { id, op } = m;
		try {
			port.postMessage({ id, ok: true, value: await handlers[op](m) });
		} catch (e) {
			port.postMessage({ id, ok: false, error: errorFields(e) });
		}
		if (op === 'close') port.close();
	});
	port.postMessage({ ready: true });
}

start();
