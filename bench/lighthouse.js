#!/usr/bin/env node
// Lighthouse (mobile preset: a mid-range phone, slow 4G, CPU slowed 4×, simulated) in Debian's
// Chromium on the benchmark estate, signed in as a resident: the issue page with 210 comments
// (50 shown), an open owners' vote, the map and the board. Prints performance, accessibility,
// LCP, TBT and CLS per page, each the median of LIGHTHOUSE_RUNS runs (default 3): on a shared
// machine one run can meet a busy moment. Embedded by default; DATABASE_URL for PostgreSQL.
// Run npm run bench:seed first.
import { createHash } from 'node:crypto';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { ORIGIN, openBenchDb, report, signInCookie, startServer, stopServer, warmUp } from './lib.js';
import { BENCH_DATA_DIR } from './seed-dir.js';

const DATABASE_URL = process.env.DATABASE_URL;
const ESTATE = 'b0000000-0000-4000-8000-000000000101';
const RESIDENT = 'bench3@bench.linyi.org';
const ISSUE_200 = createHash('md5').update('issue1').digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
const RUNS = Number(process.env.LIGHTHOUSE_RUNS || 3);

// The database is free while the server is not running: find an open vote of the estate to weigh.
const db = await openBenchDb();
const [vote] = await db.query(`select id::text from public.votes where estate_id = $1 and status = 'open' order by opens_at limit 1`, [ESTATE]);
await db.close();
if (!vote) throw new Error('no open vote on the benchmark estate: run npm run bench:seed');

const pages = [
	['issue page (210 comments, 50 shown)', `/estates/${ESTATE}/issues/${ISSUE_200}`],
	['vote page (open owners’ vote)', `/estates/${ESTATE}/votes/${vote.id}`],
	['map page (open issues)', `/estates/${ESTATE}/map`],
	['board', `/estates/${ESTATE}/issues`]
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const server = await startServer(DATABASE_URL ? { DATABASE_URL, DEMO: 'off' } : { DATA_DIR: BENCH_DATA_DIR, DEMO: 'off' });
// The same flags as the browser tests' Chromium (playwright.config.ts), headless.
const chrome = await chromeLauncher.launch({
	chromePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
	chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
});
const rows = [];
try {
	const cookie = await signInCookie(RESIDENT, 'bench-password');
	// Pages as a server that has been up serves them (see docs/benchmarks.md on warming up).
	await warmUp(pages.map(([, p]) => ORIGIN.replace('localhost', '127.0.0.1') + p), { cookie }, 15);
	for (const [name, path] of pages) {
		const runs = [];
		for (let i = 0; i < RUNS; i++) {
			const r = await lighthouse(
				ORIGIN + path,
				{ port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'], extraHeaders: { cookie } },
				// The default configuration is the mobile preset.
				undefined
			);
			const lhr = r.lhr;
			if (lhr.runtimeError) throw new Error(`${path}: ${lhr.runtimeError.message}`);
			runs.push({
				perf: lhr.categories.performance.score * 100,
				a11y: lhr.categories.accessibility.score * 100,
				lcp: lhr.audits['largest-contentful-paint'].numericValue,
				tbt: lhr.audits['total-blocking-time'].numericValue,
				cls: lhr.audits['cumulative-layout-shift'].numericValue,
				fcp: lhr.audits['first-contentful-paint'].numericValue
			});
		}
		const m = (k) => median(runs.map((x) => x[k]));
		rows.push([
			`${name}: performance / accessibility`,
			`${m('perf').toFixed(0)} / ${m('a11y').toFixed(0)}`,
			`≥ 90 / ≥ 95 (runs: ${runs.map((x) => x.perf.toFixed(0)).join(', ')})`
		]);
		rows.push([`  FCP / LCP, s`, `${(m('fcp') / 1000).toFixed(2)} / ${(m('lcp') / 1000).toFixed(2)}`, 'LCP ≤ 2.5']);
		rows.push([`  TBT ms / CLS`, `${m('tbt').toFixed(0)} / ${m('cls').toFixed(3)}`, '≤ 200 / ≤ 0.1']);
	}
} finally {
	await chrome.kill();
	await stopServer(server.child);
}
report(`Lighthouse, mobile preset, median of ${RUNS} (${DATABASE_URL ? 'postgres' : 'embedded'}, benchmark estate)`, rows);
