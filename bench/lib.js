// Shared by the benchmark scripts: a built server on a data directory, timing, sign-in,
// the benchmark database on a connection of its own, residents with sessions.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import postgres from 'postgres';
import { buildIfNeeded } from '../scripts/build-if-needed.js';
import { BENCH_DATA_DIR } from './seed-dir.js';

// BENCH_PORT lets two checkouts run their benchmarks side by side.
export const PORT = Number(process.env.BENCH_PORT || 3917);
// 127.0.0.1, not localhost: Node's fetch tries ::1 first, and the server listens on IPv4.
export const BASE = `http://127.0.0.1:${PORT}`;
export const ORIGIN = `http://localhost:${PORT}`;

export async function startServer(env) {
	buildIfNeeded();
	// A server left running from an earlier run would answer in this one's place, on other data.
	const stale = await fetch(BASE + '/').then(
		() => true,
		() => false
	);
	if (stale) throw new Error(`another server already answers on port ${PORT}: stop it first`);
	const t0 = performance.now();
	const child = spawn(process.execPath, ['scripts/start.js'], { env: { ...process.env, PORT: String(PORT), ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
	let exited = null;
	child.once('exit', (code) => (exited = code));
	for (;;) {
		if (exited !== null) throw new Error(`the server stopped (exit code ${exited}) before it answered`);
		try {
			if ((await fetch(BASE + '/')).ok) break;
		} catch {
			/* not listening yet */
		}
		if (performance.now() - t0 > 180_000) throw new Error('server did not start in 180 s');
		await new Promise((r) => setTimeout(r, 50));
	}
	return { child, seconds: (performance.now() - t0) / 1000, startedAt: t0 };
}

export async function stopServer(child) {
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	// Open keep-alive connections hold a graceful shutdown for a while; the benchmark does not wait for them.
	const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(force);
}

export function quantiles(times) {
	const s = [...times].sort((a, b) => a - b);
	const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
	return { p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}

/**
 * GET as a browser does, on a kept-alive connection of `agent`: the status
 * (0 when the connection failed) and the body's size.
 */
export function get(url, headers, agent) {
	return new Promise((resolve) => {
		const req = http.get(url, { headers: { accept: 'text/html', ...headers }, agent }, (res) => {
			let bytes = 0;
			res.on('data', (chunk) => (bytes += chunk.length));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
			res.on('error', () => resolve({ status: 0, bytes }));
		});
		req.on('error', () => resolve({ status: 0, bytes: 0 }));
	});
}

/**
 * Times GET url with `concurrency` requests in flight (one connection each),
 * `total` in all. node:http rather than fetch: the load generator shares the
 * machine's two cores with the server, and fetch costs it about 1.7 times the CPU.
 */
export async function load(url, total, concurrency, headers = {}) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const times = [];
	let bytes = 0;
	let next = 0;
	const t0 = performance.now();
	try {
		await Promise.all(
			Array.from({ length: concurrency }, async () => {
				while (next < total) {
					next++;
					const t = performance.now();
					const r = await get(url, headers, agent);
					if (r.status < 200 || r.status >= 300) throw new Error(`${url}: ${r.status}`);
					bytes = r.bytes;
					times.push(performance.now() - t);
				}
			})
		);
	} finally {
		agent.destroy();
	}
	return { ...quantiles(times), bytes, rps: total / ((performance.now() - t0) / 1000) };
}

/**
 * Brings a freshly started server to the state its users meet: V8 optimises
 * the hot JavaScript and moves the database's WebAssembly from the baseline
 * to the optimising compiler in the background, which takes a few thousand
 * requests. Without this the first figures measure the compilers (the board
 * at 20 concurrent connections reads about twice as slow).
 */
export async function warmUp(urls, headers = {}, seconds = 15) {
	const until = performance.now() + seconds * 1000;
	while (performance.now() < until) for (const url of urls) await load(url, 40, 4, headers);
}

/**
 * CPU time used so far by each thread of a process, in ms (Linux /proc; an
 * empty object elsewhere). The server has a main thread (HTTP and page
 * rendering), the embedded database's thread, and V8's helper threads.
 */
export function threadCpu(pid) {
	const out = {};
	let tids = [];
	try {
		tids = readdirSync(`/proc/${pid}/task`);
	} catch {
		return out;
	}
	const ticks = 1000 / 100; // USER_HZ is 100 on Linux
	for (const tid of tids) {
		try {
			const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
			out[tid] = (Number(fields[11]) + Number(fields[12])) * ticks;
		} catch {
			/* the thread ended */
		}
	}
	return out;
}

/**
 * CPU per request between two threadCpu readings: the main thread (the
 * process id), the busiest other thread (the embedded database when it runs
 * on its own), and all the rest.
 */
export function cpuPerRequest(pid, before, after, requests) {
	const used = Object.keys(after).map((tid) => ({ tid, ms: after[tid] - (before[tid] ?? 0) }));
	const main = used.find((u) => u.tid === String(pid))?.ms ?? 0;
	const others = used.filter((u) => u.tid !== String(pid)).sort((a, b) => b.ms - a.ms);
	const busiest = others[0]?.ms ?? 0;
	const rest = others.slice(1).reduce((sum, u) => sum + u.ms, 0);
	return { main: main / requests, busiest: busiest / requests, rest: rest / requests };
}

/**
 * CPU time used so far by the PostgreSQL backends serving `url`'s database
 * (the server's pooled connections), in ms by backend pid, read from /proc:
 * PostgreSQL runs on this machine. The machine's other databases (other
 * work on the same cluster) are left out. An empty object when /proc does
 * not show them.
 */
export async function postgresCpu(url) {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const rows = await sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
		const out = {};
		for (const { pid } of rows) {
			try {
				const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
				out[pid] = (Number(fields[11]) + Number(fields[12])) * 10;
			} catch {
				/* ended, or not visible from here */
			}
		}
		return out;
	} finally {
		await sql.end({ timeout: 5 });
	}
}

/** CPU per request of the PostgreSQL backends between two postgresCpu readings (a backend new since the first counts whole). */
export const postgresCpuPerRequest = (before, after, requests) =>
	Object.keys(after).reduce((sum, pid) => sum + after[pid] - (before[pid] ?? 0), 0) / requests;

/**
 * Residents of the benchmark estate for the soak and burst runs: a session of
 * their own each, made straight in auth.local_sessions (the seed gives only
 * two users a password), with a fixed token per user.
 */
export const residentCookie = (userId) => `linyi_session=soak-${userId}`;
export const residentTokenHash = (userId) => createHash('sha256').update(`soak-${userId}`).digest('hex');

/**
 * The first `count` verified residents of an estate, each given a session of
 * their own (residentCookie), and the estate's 200 most active issues to read.
 */
export async function openResidentSessions(db, estateId, count) {
	const users = (
		await db.query(`select user_id::text as id from public.memberships where estate_id = $1 and status = 'verified' order by user_id limit $2`, [
			estateId,
			count
		])
	).map((r) => r.id);
	const issues = (await db.query(`select id::text from public.issues where estate_id = $1 order by last_activity_at desc limit 200`, [estateId])).map(
		(r) => r.id
	);
	await closeResidentSessions(db, users);
	await db.query(
		`insert into auth.local_sessions (token_hash, user_id, expires_at) select h, u::uuid, now() + interval '1 day' from unnest($1::text[], $2::text[]) as t(h, u)`,
		[users.map(residentTokenHash), users]
	);
	return { users, issues };
}

export const closeResidentSessions = (db, users) => db.query(`delete from auth.local_sessions where token_hash = any($1)`, [users.map(residentTokenHash)]);

/** What a resident reads: the board half of the time, an issue page, the estate home, notifications. */
export function residentPage(estateId, issueIds) {
	const r = Math.random();
	if (r < 0.5) return `/estates/${estateId}/issues`;
	if (r < 0.75) return `/estates/${estateId}/issues/${issueIds[Math.floor(Math.random() * issueIds.length)]}`;
	if (r < 0.9) return `/estates/${estateId}`;
	return '/me/notifications';
}

export async function signInCookie(identifier, password) {
	const body = new URLSearchParams({ identifier, password });
	const r = await fetch(`${BASE}/auth/sign-in`, { method: 'POST', body, redirect: 'manual', headers: { origin: ORIGIN } });
	const cookie = r.headers.getSetCookie().find((c) => c.startsWith('linyi_session='));
	if (!cookie) throw new Error(`sign-in failed for ${identifier}`);
	return cookie.split(';')[0];
}

export const fmt = (n) => n.toFixed(1);

/** Answers that were not a page (a status outside 2xx/3xx, or 0 for a failed connection), counted by status. */
export function errorTally() {
	const byStatus = new Map();
	return {
		record: (status) => {
			if (status < 200 || status >= 400) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
		},
		/** "0", or "status: count, …" */
		shown: () => (byStatus.size ? [...byStatus].map(([s, n]) => `${s}: ${n}`).join(', ') : '0')
	};
}

class Rollback {
	constructor(value) {
		this.value = value;
	}
}

/**
 * The benchmark database on the owner's connection, apart from the server:
 * PostgreSQL when DATABASE_URL is set, else PGlite in `dataDir` (the
 * benchmark estate's by default; it must not be open in a running server).
 * query(sql, params) → rows; exec(script); transaction(fn, { rollback }) runs
 * fn({ query }) in one transaction, undone at the end when asked.
 */
export async function openBenchDb({ dataDir = path.join(BENCH_DATA_DIR, 'pgdata'), url = process.env.DATABASE_URL, max = 1 } = {}) {
	if (url) {
		const sql = postgres(url, { max, onnotice: () => {} });
		return {
			mode: 'postgres',
			query: async (q, params = []) => [...(await sql.unsafe(q, params))],
			// Without parameters postgres.js uses the simple protocol, which runs a whole script.
			exec: async (script) => void (await sql.unsafe(script)),
			async transaction(fn, { rollback = false } = {}) {
				try {
					return await sql.begin(async (t) => {
						const r = await fn({ query: async (q, params = []) => [...(await t.unsafe(q, params))] });
						if (rollback) throw new Rollback(r);
						return r;
					});
				} catch (e) {
					if (e instanceof Rollback) return e.value;
					throw e;
				}
			},
			close: () => sql.end({ timeout: 5 })
		};
	}
	const db = await PGlite.create({ dataDir, extensions: { pgcrypto } });
	return {
		mode: 'embedded',
		query: async (q, params = []) => (await db.query(q, params)).rows,
		exec: async (script) => void (await db.exec(script)),
		transaction: (fn, { rollback = false } = {}) =>
			db.transaction(async (t) => {
				const r = await fn({ query: async (q, params = []) => (await t.query(q, params)).rows });
				if (rollback) await t.rollback();
				return r;
			}),
		close: () => db.close()
	};
}

export function report(title, rows) {
	console.log(`\n${title}`);
	for (const [what, value, budget] of rows) console.log(`  ${what.padEnd(58)} ${String(value).padStart(16)}   budget ${budget}`);
}
