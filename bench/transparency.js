#!/usr/bin/env node
// Transparency budgets (shared BUDGETS.md) on the benchmark estate (run
// npm run bench:seed first): the street roll-up over BENCH_COMMUNITIES
// communities (default 40) ≤ 100 ms, an estate's transparency read (p95 ≤ 50 ms
// at 20 concurrent) and the committee dashboard ≤ 50 ms. SQL as the backend
// runs it: one transaction per call with the caller's role and claims.
// Embedded (BENCH_DATA_DIR) by default; the PostgreSQL database of
// DATABASE_URL when it is set.
//
// What it adds to the benchmark world, once and in place (it can run again):
//   * a timeline for the 5,000 issues matching their status (accepted,
//     deliberating, approved, in progress, completed, followed up, at
//     deterministic day offsets; events marked action 'bench_timeline'), loaded
//     in bulk with the triggers off and the roll-ups then recounted
//     (private.recount_transparency) for the benchmark estates;
//   * the street 基准街道 above the benchmark community, and BENCH_COMMUNITIES − 1
//     copies of that community (3 estates each) whose roll-up rows are copies
//     of the benchmark estates' rows: the world repeats its community, as the
//     street roll-up sees it (it reads the roll-ups only, never the issues);
//   * one street administrator (benchmark user 151);
//   * plans on 2,000 of the benchmark estate's issues, three weighted milestones each.
import { createHash } from 'node:crypto';
import { fmt, openBenchDb, quantiles, report } from './lib.js';

const md5uuid = (s) => createHash('md5').update(s).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
const COMMUNITIES = Math.max(1, Number(process.env.BENCH_COMMUNITIES || 40));
const COMMUNITY = 'b0000000-0000-4000-8000-000000000001';
const ESTATE = 'b0000000-0000-4000-8000-000000000101';
const STREET = 'b0000000-0000-4000-8000-00000000a001';
const COMMITTEE = md5uuid('user150');
const STREET_ADMIN = md5uuid('user151');

const db = await openBenchDb({ max: 25 });
const t0 = performance.now();

const [{ n: timelined }] = await db.query(`select count(*)::int as n from public.issue_events where action = 'bench_timeline'`);
if (timelined === 0) {
	await db.transaction(async (t) => {
		// Bulk load with the triggers off (the superuser's replica mode), then one recount.
		await t.query(`set local session_replication_role = replica`);
		// Each issue is proposed 200–249 days ago; its steps follow at offsets from a hash of its id.
		await t.query(`update public.issue_events e set created_at = now() - make_interval(days => 200 + abs(hashtext(e.issue_id::text)) % 50)
			where e.kind = 'proposed' and e.issue_id in (select id from public.issues where estate_id = $1)`, [ESTATE]);
		await t.query(`
			insert into public.issue_events (issue_id, kind, action, from_status, to_status, created_at)
			select i.id, 'transition', 'bench_timeline', s.from_status, s.to_status, p.created_at + make_interval(days => s.after)
			from public.issues i
			join public.issue_events p on p.issue_id = i.id and p.kind = 'proposed'
			cross join lateral (select abs(hashtext(i.id::text)) as h) x
			cross join lateral (values
				(1, 'proposed', 'accepted', 1 + x.h % 9, i.status <> 'proposed'),
				(2, 'accepted', 'deliberating', 3 + x.h % 9 + 2, i.status in ('deliberating', 'in_progress', 'completed')),
				(3, 'deliberating', 'approved', 3 + x.h % 9 + 10 + x.h % 30, i.status in ('in_progress', 'completed')),
				(4, 'approved', 'in_progress', 3 + x.h % 9 + 14 + x.h % 30, i.status in ('in_progress', 'completed')),
				(5, 'in_progress', 'completed', 3 + x.h % 9 + 30 + x.h % 30 + x.h % 60, i.status = 'completed'),
				(2, 'accepted', 'following_up', 3 + x.h % 9, i.status = 'following_up')
			) s (step, from_status, to_status, after, applies)
			where i.estate_id = $1 and s.applies
			order by i.id, s.step`, [ESTATE]);
	});
	for (const e of [1, 2, 3]) await db.query(`select private.recount_transparency($1)`, [`b0000000-0000-4000-8000-00000000010${e}`]);
}

// Plans on 2,000 items of the benchmark estate (issue #14's world): a plan with three milestones on each of
// 2,000 issues, the done ones matching the status (all for completed work, one or two for work in progress).
const [{ n: planned }] = await db.query(`select count(*)::int as n from public.work_items where estate_id = $1`, [ESTATE]);
if (planned === 0) {
	await db.transaction(async (t) => {
		await t.query(`set local session_replication_role = replica`);
		await t.query(
			`insert into public.work_items (id, issue_id, estate_id, title, planned_start, weight)
			 select md5('bench-plan-' || i.id)::uuid, i.id, i.estate_id, '实施计划', (now() - interval '120 days')::date, 1
			 from (select id, estate_id from public.issues where estate_id = $1 order by id limit 2000) i`,
			[ESTATE]
		);
		await t.query(
			`insert into public.milestones (item_id, issue_id, estate_id, position, title, planned_on, weight, done_at)
			 select w.id, w.issue_id, w.estate_id, k, '节点' || k, (now() - make_interval(days => 90 - 30 * k))::date, k,
			   case when i.status in ('completed', 'evaluated') or (i.status = 'in_progress' and k < 1 + abs(hashtext(i.id::text)) % 3)
			     then now() - make_interval(days => 95 - 30 * k) end
			 from public.work_items w join public.issues i on i.id = w.issue_id cross join generate_series(0, 2) k
			 where w.estate_id = $1`,
			[ESTATE]
		);
	});
}

// The street and the copies of the community, afresh each run.
await db.transaction(async (t) => {
	// The copies' estates first (communities restrict their estates' removal); their roll-up rows go with them.
	await t.query(`delete from public.estates where community_id in (select id from public.communities where street_id = $1 and id <> $2)`, [STREET, COMMUNITY]);
	await t.query(`delete from public.communities where street_id = $1 and id <> $2`, [STREET, COMMUNITY]);
	await t.query(`insert into public.streets (id, name, district) values ($1, '基准街道', '基准区') on conflict (id) do nothing`, [STREET]);
	await t.query(`update public.communities set street_id = $1 where id = $2`, [STREET, COMMUNITY]);
	await t.query(`insert into public.street_admins (street_id, user_id) values ($1, $2) on conflict do nothing`, [STREET, STREET_ADMIN]);
	await t.query(`set local session_replication_role = replica`);
	await t.query(
		`insert into public.communities (id, name, district, street_id)
		 select md5('bench-community-' || k)::uuid, '基准社区' || k, '基准区', $1 from generate_series(2, $2::int) k`,
		[STREET, COMMUNITIES]
	);
	await t.query(
		`insert into public.estates (id, community_id, name, map_mode, center_lat, center_lng, zoom, board_public)
		 select md5('bench-estate-' || k || '-' || e.n)::uuid, md5('bench-community-' || k)::uuid, e.name, e.map_mode, e.center_lat, e.center_lng, e.zoom, e.board_public
		 from generate_series(2, $1::int) k
		 cross join (select es.*, row_number() over (order by es.id) as n from public.estates es where es.community_id = $2) e`,
		[COMMUNITIES, COMMUNITY]
	);
	for (const [table, cols] of [
		['issue_status_counts', 'status, n'],
		['estate_stage_days', 'stage, days, n'],
		['estate_daily_stats', 'day, proposed, completed']
	]) {
		await t.query(
			`insert into public.${table} (estate_id, ${cols})
			 select md5('bench-estate-' || k || '-' || e.n)::uuid, ${cols.split(', ').map((c) => `r.${c}`).join(', ')}
			 from generate_series(2, $1::int) k
			 cross join (select es.id, row_number() over (order by es.id) as n from public.estates es where es.community_id = $2) e
			 join public.${table} r on r.estate_id = e.id`,
			[COMMUNITIES, COMMUNITY]
		);
	}
});
if (db.mode === 'embedded') await db.exec('analyze');
const [world] = await db.query(
	`select (select count(*) from public.communities where street_id = $1)::int as communities,
	        (select count(*) from public.estates e join public.communities c on c.id = e.community_id where c.street_id = $1)::int as estates,
	        (select count(*) from public.estate_stage_days s join public.estates e on e.id = s.estate_id join public.communities c on c.id = e.community_id where c.street_id = $1)::int as histogram_rows,
	        (select count(*) from public.estate_daily_stats s join public.estates e on e.id = s.estate_id join public.communities c on c.id = e.community_id where c.street_id = $1)::int as daily_rows,
	        (select count(*) from public.issues where estate_id = $2)::int as issues,
	        (select count(*) from public.issue_events e join public.issues i on i.id = e.issue_id where i.estate_id = $2)::int as events,
	        (select count(*) from public.work_items where estate_id = $2)::int as plans`,
	[STREET, ESTATE]
);
console.log(`World ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (${db.mode}): ${JSON.stringify(world)}`);

/** Calls public.fn with named arguments as userId, the way the backend does; ms is the call alone. */
async function callAs(t, userId, fn, args) {
	const names = Object.keys(args);
	await t.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
		JSON.stringify({ sub: userId, role: 'authenticated', aud: 'authenticated' })
	]);
	const s = performance.now();
	const rows = await t.query(`select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')})::text as r`, names.map((n) => args[n]));
	return { r: rows[0].r, ms: performance.now() - s };
}
const timed = (userId, fn, args) => db.transaction((t) => callAs(t, userId, fn, args));

/** p50/p95 of the calls' time, and (embedded: PGlite runs in this process) this process's CPU per call, which the shared machine's load moves far less. */
async function series(n, f, warm = 3) {
	for (let i = 0; i < warm; i++) await f();
	const times = [];
	const cpu0 = process.cpuUsage();
	for (let i = 0; i < n; i++) times.push((await f()).ms);
	const cpu = process.cpuUsage(cpu0);
	return { ...quantiles(times), cpu: (cpu.user + cpu.system) / 1000 / n };
}
const cpuOf = (q) => (db.mode === 'embedded' ? `, CPU ${fmt(q.cpu)} ms/call` : '');
/** `total` calls, `concurrency` at a time; latency includes waiting for a connection (PGlite runs one at a time). */
async function concurrent(total, concurrency, f) {
	const times = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < total) {
				next++;
				const s = performance.now();
				await f();
				times.push(performance.now() - s);
			}
		})
	);
	return quantiles(times);
}

const rollup = await timed(STREET_ADMIN, 'street_rollup', { p_street_id: STREET });
const parsed = JSON.parse(rollup.r);
if (parsed.communities.length !== COMMUNITIES) throw new Error(`expected ${COMMUNITIES} communities in the roll-up, got ${parsed.communities.length}`);
const street = await series(30, () => timed(STREET_ADMIN, 'street_rollup', { p_street_id: STREET }));
const estate = await series(30, () => timed(COMMITTEE, 'estate_transparency', { p_estate_id: ESTATE }));
const dashboard = await series(30, () => timed(COMMITTEE, 'committee_dashboard', { p_estate_id: ESTATE }));
const estate20 = await concurrent(200, 20, () => timed(COMMITTEE, 'estate_transparency', { p_estate_id: ESTATE }));

report(`Transparency (${db.mode}; ${COMMUNITIES} communities, ${world.estates} estates; the benchmark estate: ${world.issues} issues, ${world.events} timeline events)`, [
	[`street_rollup over ${COMMUNITIES} communities, p50 / p95`, `${fmt(street.p50)} / ${fmt(street.p95)} ms${cpuOf(street)}`, '≤ 100 ms'],
	['estate_transparency (5,000 issues), one at a time, p50 / p95', `${fmt(estate.p50)} / ${fmt(estate.p95)} ms${cpuOf(estate)}`, '—'],
	['estate_transparency, 20 concurrent (call + wait), p50 / p95', `${fmt(estate20.p50)} / ${fmt(estate20.p95)} ms`, 'p95 ≤ 50 ms (page)'],
	['committee_dashboard (5,000 issues), p50 / p95', `${fmt(dashboard.p50)} / ${fmt(dashboard.p95)} ms${cpuOf(dashboard)}`, '≤ 50 ms'],
	['street_rollup answer size', `${(rollup.r.length / 1024).toFixed(1)} KiB`, '—']
]);
await db.close();
