#!/usr/bin/env node
// The estate transparency page as its public readers get it (budget: p95 ≤ 50 ms at 20 concurrent), over
// HTTP through the whole server, signed out: the page the database's stamp lets the server keep
// (src/lib/server/transparency-cache.ts), with the server's CPU per request (embedded: main thread /
// database thread / rest). The benchmark estate's board is made public for the run and closed again.
// Run npm run bench:seed and node bench/transparency.js first. Embedded by default; DATABASE_URL for PostgreSQL.
import { BASE, cpuPerRequest, fmt, load, openBenchDb, report, startServer, stopServer, threadCpu, warmUp } from './lib.js';
import { BENCH_DATA_DIR } from './seed-dir.js';

const DATABASE_URL = process.env.DATABASE_URL;
const ESTATE = 'b0000000-0000-4000-8000-000000000101';
const URL_ = `${BASE}/estates/${ESTATE}/transparency`;

async function setPublic(on) {
	const db = await openBenchDb();
	await db.query('update public.estates set board_public = $2 where id = $1', [ESTATE, on]);
	await db.close();
}

await setPublic(true);
const server = await startServer(DATABASE_URL ? { DATABASE_URL, DEMO: 'off' } : { DATA_DIR: BENCH_DATA_DIR, DEMO: 'off' });
try {
	await warmUp([URL_], {}, 5);
	const before = threadCpu(server.child.pid);
	const kept = await load(URL_, 400, 20);
	const after = threadCpu(server.child.pid);
	const cpu = cpuPerRequest(server.child.pid, before, after, 400);
	report(`Transparency page, signed out, 20 concurrent (${DATABASE_URL ? 'postgres' : 'embedded'}), the stamp unchanged`, [
		['p50 / p95', `${fmt(kept.p50)} / ${fmt(kept.p95)} ms`, 'p95 ≤ 50 ms'],
		['server CPU per request: main / database / rest', `${fmt(cpu.main)} / ${fmt(cpu.busiest)} / ${fmt(cpu.rest)} ms`, '—'],
		['requests per second', fmt(kept.rps), '—']
	]);
} finally {
	await stopServer(server.child);
	await setPublic(false);
}
