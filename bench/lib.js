// Shared by the benchmark scripts: a built server on a data directory, timing, sign-in.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { buildIfNeeded } from '../scripts/build-if-needed.js';

export const PORT = 3917;
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

/** One GET on a kept-alive connection of `agent`: status and body size. */
function get(url, headers, agent) {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { headers, agent }, (res) => {
			let bytes = 0;
			res.on('data', (chunk) => (bytes += chunk.length));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
			res.on('error', reject);
		});
		req.on('error', reject);
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
	return { ...quantiles(times), bytes };
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
 * Residents of the benchmark estate for the soak and burst runs: a session of
 * their own each, made straight in auth.local_sessions (the seed gives only
 * two users a password), with a fixed token per user.
 */
export const residentCookie = (userId) => `linyi_session=soak-${userId}`;
export const residentTokenHash = (userId) => createHash('sha256').update(`soak-${userId}`).digest('hex');

/** What a resident reads: the board half of the time, an issue page, the estate home, notifications. */
export function residentPage(estateId, issueIds) {
	const r = Math.random();
	if (r < 0.5) return `/estates/${estateId}/issues`;
	if (r < 0.75) return `/estates/${estateId}/issues/${issueIds[Math.floor(Math.random() * issueIds.length)]}`;
	if (r < 0.9) return `/estates/${estateId}`;
	return '/me/notifications';
}

/** GET as a browser does, on a kept-alive connection: the status, 0 when the connection failed. */
export function getStatus(url, cookie, agent) {
	return new Promise((resolve) => {
		const req = http.get(BASE + url, { agent, headers: { cookie, accept: 'text/html' } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
			res.on('error', () => resolve(0));
		});
		req.on('error', () => resolve(0));
	});
}

export async function signInCookie(identifier, password) {
	const body = new URLSearchParams({ identifier, password });
	const r = await fetch(`${BASE}/auth/sign-in`, { method: 'POST', body, redirect: 'manual', headers: { origin: ORIGIN } });
	const cookie = r.headers.getSetCookie().find((c) => c.startsWith('linyi_session='));
	if (!cookie) throw new Error(`sign-in failed for ${identifier}`);
	return cookie.split(';')[0];
}

export const fmt = (n) => n.toFixed(1);

export function report(title, rows) {
	console.log(`\n${title}`);
	for (const [what, value, budget] of rows) console.log(`  ${what.padEnd(58)} ${String(value).padStart(16)}   budget ${budget}`);
}
