#!/usr/bin/env node
// The open-data export of the benchmark estate (5,000 issues, their timelines, its votes) as a
// member downloads it: the time until the last byte, the ZIP's size, and the server's memory (RSS)
// before and at its peak during the download (budget: ≤ 10 s, growth ≤ 50 MB, streamed), and the
// server's CPU for it (main thread / database thread / rest, embedded): on a busy machine the CPU
// moves far less than the seconds do. Three downloads in turn, the figures of each. Embedded by default; DATABASE_URL for PostgreSQL.
// The benchmark estate has one timeline step per issue; the budget speaks of 50,000, so the script
// adds nine more per issue first (marked, and removed afterwards). Run npm run bench:seed first.
import { readFileSync } from 'node:fs';
import { BASE, cpuPerRequest, fmt, openBenchDb, report, signInCookie, startServer, stopServer, threadCpu } from './lib.js';
import { BENCH_DATA_DIR } from './seed-dir.js';

const DATABASE_URL = process.env.DATABASE_URL;
const ESTATE = 'b0000000-0000-4000-8000-000000000101';
const RESIDENT = 'bench3@bench.linyi.org';
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const MARK = 'bench/open-data.js';
/** Adds or removes the extra timeline steps, while the server is not running (the embedded database has one owner). */
async function extraEvents(add) {
	const db = await openBenchDb();
	await db.query('delete from public.issue_events where reason = $1', [MARK]);
	if (add)
		await db.query(
			`insert into public.issue_events (issue_id, kind, action, from_status, to_status, reason, created_at)
			 select i.id, 'transition', 'accept', 'proposed', 'accepted', $2, i.created_at + make_interval(days => g)
			 from public.issues i, generate_series(1, 9) g where i.estate_id = $1`,
			[ESTATE, MARK]
		);
	const [{ n }] = await db.query(
		'select count(*)::int as n from public.issue_events e join public.issues i on i.id = e.issue_id where i.estate_id = $1',
		[ESTATE]
	);
	await db.close();
	return n;
}
const events = await extraEvents(true);

const server = await startServer(DATABASE_URL ? { DATABASE_URL, DEMO: 'off' } : { DATA_DIR: BENCH_DATA_DIR, DEMO: 'off' });
try {
	const cookie = await signInCookie(RESIDENT, 'bench-password');
	const rows = [];
	for (let round = 1; round <= 3; round++) {
		const before = rssMb(server.child.pid);
		let peak = before;
		const watch = setInterval(() => (peak = Math.max(peak, rssMb(server.child.pid))), 50);
		const cpu0 = threadCpu(server.child.pid);
		const t0 = performance.now();
		const res = await fetch(`${BASE}/estates/${ESTATE}/open-data/zip`, { headers: { cookie } });
		if (!res.ok) throw new Error(`the export answered ${res.status}`);
		const firstByte = performance.now() - t0;
		let bytes = 0;
		for await (const chunk of res.body) bytes += chunk.length;
		const seconds = (performance.now() - t0) / 1000;
		clearInterval(watch);
		const cpu = cpuPerRequest(server.child.pid, cpu0, threadCpu(server.child.pid), 1);
		peak = Math.max(peak, rssMb(server.child.pid));
		rows.push(
			[`round ${round}: first byte / last byte`, `${fmt(firstByte)} ms / ${seconds.toFixed(2)} s`, '≤ 10 s'],
			[`round ${round}: ZIP size`, `${(bytes / 1024 / 1024).toFixed(2)} MB`, ''],
			[`round ${round}: server CPU, main / database / rest`, `${(cpu.main / 1000).toFixed(2)} / ${(cpu.busiest / 1000).toFixed(2)} / ${(cpu.rest / 1000).toFixed(2)} s`, ''],
			[`round ${round}: server RSS before / peak (growth)`, `${before.toFixed(0)} / ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)})`, '≤ 50 MB growth']
		);
	}
	report(`Open-data export of the benchmark estate (${DATABASE_URL ? 'postgres' : 'embedded'}), 5,000 issues and ${events.toLocaleString('en')} timeline steps`, rows);
} finally {
	await stopServer(server.child);
	await extraEvents(false);
}
