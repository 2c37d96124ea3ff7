#!/usr/bin/env node
// The issue page's SQL on the benchmark estate, as a resident, with EXPLAIN ANALYZE:
// issue_detail for the issue of 210 comments (50 threads shown), and its queries one by one.
// Embedded (the benchmark estate's data directory, not open in a server) or DATABASE_URL.
// node bench/explain-issue.js [--plans]
import { createHash } from 'node:crypto';
import { fmt, openBenchDb, quantiles } from './lib.js';

const RESIDENT = process.env.EXPLAIN_AS || 'bench3@bench.linyi.org';
const ISSUE = createHash('md5').update('issue1').digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
const showPlans = process.argv.includes('--plans');
const RUNS = 100;

const db = await openBenchDb();
const [{ id }] = await db.query('select id from auth.users where email = $1', [RESIDENT]);
const asUser = (sql, params = []) =>
	db.transaction(async (tx) => {
		await tx.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: id, role: 'authenticated' })]);
		return tx.query(sql, params);
	});
const [{ n, threads }] = await db.query(
	'select count(*)::int as n, count(*) filter (where parent_id is null)::int as threads from public.comments where issue_id = $1',
	[ISSUE]
);
console.log(`issue ${ISSUE}: ${n} comments in ${threads} threads; as ${RESIDENT} (${db.mode})`);

const queries = [
	['issue_detail', 'select public.issue_detail(p_issue_id => $1) as r'],
	['issue_comments', 'select public.issue_comments(p_issue_id => $1) as r'],
	['issue_actions', 'select public.issue_actions(p_issue_id => $1) as r'],
	['private.issue_people', 'select private.issue_people($1) as r']
];
for (const [name, sql] of queries) {
	// As many unmeasured runs as measured: the WebAssembly compiler and the plan cache warm up first.
	for (let i = 0; i < 30; i++) await asUser(sql, [ISSUE]);
	const exec = [];
	for (let i = 0; i < 30; i++) {
		const plan = await asUser(`explain (analyze, format json) ${sql}`, [ISSUE]);
		exec.push(plan[0]['QUERY PLAN'][0]['Execution Time']);
	}
	// Embedded, the database runs on this thread: its CPU time per call is the query's cost, which
	// other work on a shared machine disturbs much less than the wall clock.
	const cpu0 = process.cpuUsage();
	for (let i = 0; i < RUNS; i++) await asUser(sql, [ISSUE]);
	const cpu = process.cpuUsage(cpu0);
	const e = quantiles(exec);
	console.log(
		`  ${name.padEnd(22)} EXPLAIN ANALYZE execution p50 ${fmt(e.p50)} / p95 ${fmt(e.p95)} ms` +
			(db.mode === 'embedded' ? `; CPU per call (with its transaction and role setup) ${fmt((cpu.user + cpu.system) / 1000 / RUNS)} ms` : '')
	);
	if (showPlans) {
		const plan = await asUser(`explain (analyze, buffers) ${sql}`, [ISSUE]);
		for (const r of plan) console.log('    ' + r['QUERY PLAN']);
	}
}
await db.close();
