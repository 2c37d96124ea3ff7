#!/usr/bin/env node
// Foundation budgets: first start (migrations + demo), restart on existing data,
// estate home server render p95, idle memory of the embedded server.
// Usage: node bench/foundation.js   (builds first if needed; uses a temporary DATA_DIR)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildIfNeeded } from '../scripts/build-if-needed.js';

const PORT = 3917;
// 127.0.0.1, not localhost: Node's fetch tries ::1 first, and the server listens on IPv4.
const BASE = `http://127.0.0.1:${PORT}`;
const ORIGIN = `http://localhost:${PORT}`;
const JINYUAN = '5eed0000-0000-4000-8000-000000000101';
const dataDir = mkdtempSync(path.join(tmpdir(), 'linyi-bench-'));

async function startServer() {
	const t0 = performance.now();
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: { ...process.env, DATA_DIR: dataDir, PORT: String(PORT) },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (;;) {
		try {
			if ((await fetch(BASE + '/')).ok) break;
		} catch {
			/* not listening yet */
		}
		if (performance.now() - t0 > 120_000) throw new Error('server did not start in 120 s');
		await new Promise((r) => setTimeout(r, 50));
	}
	return { child, seconds: (performance.now() - t0) / 1000 };
}

async function stop(child) {
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	// Open keep-alive connections hold a graceful shutdown for a while; the benchmark does not wait for them.
	const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(force);
}

function rssMb(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

/** p50/p95 of GET url with `concurrency` requests in flight, `total` in all. */
async function measure(url, total, concurrency, headers = {}) {
	const times = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < total) {
				next++;
				const t = performance.now();
				const r = await fetch(url, { headers });
				await r.arrayBuffer();
				if (!r.ok) throw new Error(`${url}: ${r.status}`);
				times.push(performance.now() - t);
			}
		})
	);
	times.sort((a, b) => a - b);
	const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
	return { p50: q(0.5), p95: q(0.95) };
}

async function signInCookie() {
	const body = new URLSearchParams({ identifier: 'resident@demo.linyi.org', password: 'linyi-resident-2026' });
	const r = await fetch(`${BASE}/auth/sign-in`, { method: 'POST', body, redirect: 'manual', headers: { origin: ORIGIN } });
	const cookie = r.headers.getSetCookie().find((c) => c.startsWith('linyi_session='));
	if (!cookie) throw new Error('demo sign-in failed');
	return cookie.split(';')[0];
}

buildIfNeeded();
const rows = [];
try {
	const first = await startServer();
	rows.push(['first start (migrations + demo), s', first.seconds.toFixed(1), '≤ 20']);
	await stop(first.child);

	const again = await startServer();
	rows.push(['start on existing data, s', again.seconds.toFixed(1), '≤ 5']);
	const cookie = await signInCookie();
	await measure(`${BASE}/estates/${JINYUAN}`, 50, 4, { cookie }); // warm-up
	const member = await measure(`${BASE}/estates/${JINYUAN}`, 500, 10, { cookie });
	rows.push(['estate home as a member, p50 / p95 ms (10 concurrent)', `${member.p50} / ${member.p95}`, 'p95 ≤ 50']);
	const pub = await measure(`${BASE}/estates/${JINYUAN}`, 500, 10);
	rows.push(['estate home as the public, p50 / p95 ms', `${pub.p50} / ${pub.p95}`, 'p95 ≤ 50']);
	await new Promise((r) => setTimeout(r, 5000));
	rows.push(['idle memory (RSS) after the runs, MB', rssMb(again.child.pid).toFixed(0), '≤ 400']);
	await stop(again.child);
} finally {
	rmSync(dataDir, { recursive: true, force: true });
}
console.log('\nLinyi foundation benchmark');
for (const [what, value, budget] of rows) console.log(`  ${what.padEnd(56)} ${String(value).padStart(14)}   budget ${budget}`);
