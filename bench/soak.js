#!/usr/bin/env node
// Soak budget (embedded, benchmark estate): 750 residents of the first estate,
// each reading a page every 10 s on average (5–15 s), for 5 minutes — about
// 75 requests a second. Pages: the board (half), an issue page, the estate
// home, the notifications. Reports errors, p50/p95/p99, and the server's
// memory after the warm-up and at the end (growth budget ≤ 10 %). The
// warm-up (90 s) lets V8 optimise and holds the server's first vacuum (a
// minute after start); the measured minutes follow it.
// Reads only, so the benchmark estate stays as the seed made it; each
// resident gets a session of its own, removed again at the end.
// Run npm run bench:seed first. SOAK_MINUTES shortens or lengthens the run.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { BASE, closeResidentSessions, errorTally, fmt, get, openBenchDb, openResidentSessions, quantiles, report, residentCookie, residentPage, startServer, stopServer } from './lib.js';
import { BENCH_DATA_DIR } from './seed-dir.js';

const ESTATE = 'b0000000-0000-4000-8000-000000000101';
const RESIDENTS = 750;
const MINUTES = Number(process.env.SOAK_MINUTES || 5);

// Embedded always, on the benchmark estate; its database is free while the server is not running.
const db = await openBenchDb({ url: null });
const { users, issues } = await openResidentSessions(db, ESTATE, RESIDENTS);
await db.close();

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const server = await startServer({ DATA_DIR: BENCH_DATA_DIR, DEMO: 'off' });
const rss = { start: rssMb(server.child.pid), afterWarmUp: 0, peak: 0 };
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const times = [];
const errors = errorTally();
let measuring = false;
const t0 = performance.now();
const WARM_UP_MS = 90_000;
const until = t0 + WARM_UP_MS + MINUTES * 60_000;

async function resident(user) {
	const cookie = residentCookie(user);
	// Residents arrive over the first 10 s, then read a page every 5–15 s.
	await new Promise((r) => setTimeout(r, Math.random() * 10_000));
	while (performance.now() < until) {
		const t = performance.now();
		const { status } = await get(BASE + residentPage(ESTATE, issues), { cookie }, agent);
		if (measuring && performance.now() < until) {
			times.push(performance.now() - t);
			errors.record(status);
		}
		await new Promise((r) => setTimeout(r, 5_000 + Math.random() * 10_000));
	}
}

try {
	setTimeout(() => {
		measuring = true;
		rss.afterWarmUp = rssMb(server.child.pid);
	}, WARM_UP_MS).unref();
	const peak = setInterval(() => (rss.peak = Math.max(rss.peak, rssMb(server.child.pid))), 5_000);
	await Promise.all(users.map(resident));
	clearInterval(peak);
	const endRss = rssMb(server.child.pid);
	const q = quantiles(times);
	const seconds = MINUTES * 60;
	report(`Linyi soak (embedded, benchmark estate): ${users.length} residents, ${MINUTES} min`, [
		['requests measured (after the warm-up), per second', `${times.length}, ${(times.length / seconds).toFixed(1)}/s`, '≈ 75/s'],
		['errors (status: count)', errors.shown(), '0'],
		['latency p50 / p95 / p99, ms', `${fmt(q.p50)} / ${fmt(q.p95)} / ${fmt(q.p99)}`, 'p95 ≤ 300'],
		['server memory (RSS) at start / after the warm-up / peak / end, MB', `${rss.start.toFixed(0)} / ${rss.afterWarmUp.toFixed(0)} / ${rss.peak.toFixed(0)} / ${endRss.toFixed(0)}`, ''],
		['memory growth from the warm-up to the end', `${(((endRss - rss.afterWarmUp) / rss.afterWarmUp) * 100).toFixed(1)} %`, '≤ 10 %']
	]);
} finally {
	agent.destroy();
	await stopServer(server.child);
	const after = await openBenchDb({ url: null });
	await closeResidentSessions(after, users);
	await after.close();
}
