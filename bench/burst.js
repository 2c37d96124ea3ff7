#!/usr/bin/env node
// Burst budget (PostgreSQL, benchmark estate): 300 requests a second for 60 s,
// arriving on a fixed schedule whether or not earlier ones have been answered
// (an open loop, as a crowd after a notice would), from 750 residents of the
// first estate reading the same pages as the soak run. Reports errors and
// p50/p95/p99 (budget p99 ≤ 1 s, 0 errors). Reads only; each resident gets a
// session of its own, removed again at the end.
// Needs DATABASE_URL of a database seeded by DATABASE_URL=… npm run bench:seed.
// BURST_RATE and BURST_SECONDS change the load.
import http from 'node:http';
import { BASE, closeResidentSessions, errorTally, fmt, get, openBenchDb, openResidentSessions, quantiles, report, residentCookie, residentPage, startServer, stopServer, warmUp } from './lib.js';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
	console.error('bench/burst.js runs against PostgreSQL: set DATABASE_URL to a database seeded by npm run bench:seed.');
	process.exit(2);
}
const ESTATE = 'b0000000-0000-4000-8000-000000000101';
const RESIDENTS = 750;
const RATE = Number(process.env.BURST_RATE || 300);
const SECONDS = Number(process.env.BURST_SECONDS || 60);

const db = await openBenchDb();
const { users, issues } = await openResidentSessions(db, ESTATE, RESIDENTS);

const server = await startServer({ DATABASE_URL, DEMO: 'off' });
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
try {
	const pages = [`/estates/${ESTATE}/issues`, `/estates/${ESTATE}`, `/estates/${ESTATE}/issues/${issues[0]}`];
	await warmUp(pages.map((p) => BASE + p), { cookie: residentCookie(users[0]) });

	const times = [];
	const errors = errorTally();
	const inFlight = [];
	const t0 = performance.now();
	let sent = 0;
	// Every 10 ms, send what the schedule says is due by now.
	await new Promise((done) => {
		const tick = setInterval(() => {
			const due = Math.min(RATE * SECONDS, Math.floor(((performance.now() - t0) / 1000) * RATE));
			for (; sent < due; sent++) {
				const cookie = residentCookie(users[sent % users.length]);
				const scheduled = t0 + (sent / RATE) * 1000;
				inFlight.push(
					get(BASE + residentPage(ESTATE, issues), { cookie }, agent).then(({ status }) => {
						// From when it was due, so that a late start counts against the server.
						times.push(performance.now() - scheduled);
						errors.record(status);
					})
				);
			}
			if (sent >= RATE * SECONDS) {
				clearInterval(tick);
				done();
			}
		}, 10);
	});
	await Promise.all(inFlight);
	const wall = (performance.now() - t0) / 1000;
	const q = quantiles(times);
	report(`Linyi burst (postgres, benchmark estate): ${RATE} requests/s for ${SECONDS} s`, [
		['requests sent / answered, s until the last answer', `${sent} / ${times.length}, ${wall.toFixed(1)} s`, ''],
		['errors (status: count)', errors.shown(), '0'],
		['latency from when due, p50 / p95 / p99, ms', `${fmt(q.p50)} / ${fmt(q.p95)} / ${fmt(q.p99)}`, 'p99 ≤ 1000']
	]);
} finally {
	agent.destroy();
	await stopServer(server.child);
	await closeResidentSessions(db, users);
	await db.close();
}
