// Shared by the benchmark scripts: a built server on a data directory, timing, sign-in.
import { spawn } from 'node:child_process';
import { buildIfNeeded } from '../scripts/build-if-needed.js';

export const PORT = 3917;
// 127.0.0.1, not localhost: Node's fetch tries ::1 first, and the server listens on IPv4.
export const BASE = `http://127.0.0.1:${PORT}`;
export const ORIGIN = `http://localhost:${PORT}`;

export async function startServer(env) {
	buildIfNeeded();
	const t0 = performance.now();
	const child = spawn(process.execPath, ['scripts/start.js'], { env: { ...process.env, PORT: String(PORT), ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
	for (;;) {
		try {
			if ((await fetch(BASE + '/')).ok) break;
		} catch {
			/* not listening yet */
		}
		if (performance.now() - t0 > 180_000) throw new Error('server did not start in 180 s');
		await new Promise((r) => setTimeout(r, 50));
	}
	return { child, seconds: (performance.now() - t0) / 1000 };
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

/** Times GET url with `concurrency` requests in flight, `total` in all. */
export async function load(url, total, concurrency, headers = {}) {
	const times = [];
	let bytes = 0;
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < total) {
				next++;
				const t = performance.now();
				const r = await fetch(url, { headers });
				const body = await r.arrayBuffer();
				if (!r.ok) throw new Error(`${url}: ${r.status}`);
				bytes = body.byteLength;
				times.push(performance.now() - t);
			}
		})
	);
	return { ...quantiles(times), bytes };
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
