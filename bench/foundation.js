#!/usr/bin/env node
// Foundation budgets: first start (migrations + demo), restart on existing data,
// estate home server render p95, idle memory of the embedded server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASE, fmt, load, report, signInCookie, startServer, stopServer } from './lib.js';

const JINYUAN = '5eed0000-0000-4000-8000-000000000101';
const dataDir = mkdtempSync(path.join(tmpdir(), 'linyi-bench-'));

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const rows = [];
try {
	const first = await startServer({ DATA_DIR: dataDir });
	rows.push(['first start (migrations + demo), s', fmt(first.seconds), '≤ 20']);
	await stopServer(first.child);

	const again = await startServer({ DATA_DIR: dataDir });
	rows.push(['start on existing data, s', fmt(again.seconds), '≤ 5']);
	await new Promise((r) => setTimeout(r, 3000));
	rows.push(['idle memory (RSS) after start, MB', rssMb(again.child.pid).toFixed(0), '≤ 400']);
	const cookie = await signInCookie('resident@demo.linyi.org', 'linyi-resident-2026');
	const home = `${BASE}/estates/${JINYUAN}`;
	await load(home, 50, 4, { cookie }); // warm-up
	const one = await load(home, 300, 1, { cookie });
	rows.push(['estate home as a member, 1 at a time, p50 / p95 ms', `${fmt(one.p50)} / ${fmt(one.p95)}`, 'p95 ≤ 50']);
	const ten = await load(home, 500, 10, { cookie });
	rows.push(['estate home as a member, 10 concurrent, p50 / p95 ms', `${fmt(ten.p50)} / ${fmt(ten.p95)}`, '']);
	const pub = await load(home, 300, 1);
	rows.push(['estate home as the public, p50 / p95 ms', `${fmt(pub.p50)} / ${fmt(pub.p95)}`, 'p95 ≤ 50']);
	await new Promise((r) => setTimeout(r, 5000));
	rows.push(['memory (RSS) 5 s after the runs, MB', rssMb(again.child.pid).toFixed(0), '']);
	// Idle again: V8 gives back the heap a burst of requests grew only after some 20 s without work
	// (its memory reducer); the idle budget applies then, not while that heap is still held.
	await new Promise((r) => setTimeout(r, 30_000));
	rows.push(['idle memory (RSS) 35 s after the runs, MB', rssMb(again.child.pid).toFixed(0), '≤ 400']);
	await stopServer(again.child);
} finally {
	rmSync(dataDir, { recursive: true, force: true });
}
report('Linyi foundation benchmark', rows);
