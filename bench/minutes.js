#!/usr/bin/env node
// Minutes budget (BUDGETS "minutes of a meeting with 100 speeches assembled ≤ 100 ms"):
// draft_minutes on a closed council of 100 people in the room, 5 agenda items
// with 2 motions each, each motion seconded twice, with 10 speeches and a show
// of hands: 100 speeches in all. SQL as the backend runs it: one transaction
// per call with the caller's role and claims (the chair's). Each call assembles
// the whole record again and writes the draft. The meeting is written for the
// run in the estate with most verified members (the benchmark estate after
// npm run bench:seed, or the demo) and removed at the end. Embedded
// (BENCH_DATA_DIR) by default; the PostgreSQL database of DATABASE_URL when set.
import { fmt, openBenchDb, quantiles, report } from './lib.js';

const db = await openBenchDb({ max: 2 });

async function call(userId, fn, args) {
	const names = Object.keys(args);
	return db.transaction(async (t) => {
		await t.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
			JSON.stringify({ sub: userId, role: 'authenticated', aud: 'authenticated' })
		]);
		const s = performance.now();
		const rows = await t.query(`select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}) as r`, names.map((n) => args[n]));
		return { r: rows[0].r, ms: performance.now() - s };
	});
}

const [estate] = await db.query(
	`select m.estate_id::text as id, (array_agg(m.user_id::text order by m.user_id))[1] as chair
	 from public.memberships m where m.status = 'verified' group by m.estate_id order by count(*) desc, m.estate_id limit 1`
);
if (!estate) throw new Error('no estate with verified members: seed the database first (npm run bench:seed, or start the demo)');

const [{ id: meeting }] = await db.query(
	`insert into public.meetings (estate_id, kind, title, starts_at, ends_at, place, chair_id, recorder_id, status, checkin_code, opened_at, closed_at)
	 values ($1, 'council', '基准议事会', now() - interval '3 hours', now() - interval '1 hour', '活动室', $2, $2, 'closed', '000000',
	   now() - interval '3 hours', now() - interval '1 hour') returning id::text`,
	[estate.id, estate.chair]
);
const rows = [];
try {
	const people = (
		await db.query(
			`insert into public.meeting_attendance (meeting_id, name, checked_in_at)
			 select $1, '居民' || g, now() - interval '3 hours' - make_interval(secs => 200 - g) from generate_series(1, 100) g returning id::text`,
			[meeting]
		)
	).map((r) => r.id);
	const items = (
		await db.query(
			`insert into public.agenda_items (meeting_id, position, title, status, outcome) select $1, g, '议题' || g, 'done', 'carried'
			 from generate_series(1, 5) g returning id::text`,
			[meeting]
		)
	).map((r) => r.id);
	let n = 0;
	for (const [i, item] of items.entries()) {
		for (let k = 0; k < 2; k++) {
			const [{ id: motion }] = await db.query(
				`insert into public.motions (meeting_id, agenda_item_id, mover_id, body, status, moved_at, debate_opened_at, debate_closed_at, decided_at, method, yes, no, abstain)
				 values ($1, $2, $3, '基准动议：在南苑东侧空地建设电动自行车充电车棚，设 40 个充电口。', 'carried', now() - interval '170 minutes' + make_interval(mins => $4::integer),
				   now() - interval '169 minutes' + make_interval(mins => $4::integer), now() - interval '160 minutes' + make_interval(mins => $4::integer),
				   now() - interval '159 minutes' + make_interval(mins => $4::integer), 'hands', 60, 30, 10) returning id::text`,
				[meeting, item, people[n % 100], i * 20 + k * 10]
			);
			await db.query(`insert into public.motion_seconds (motion_id, attendance_id) values ($1, $2), ($1, $3)`, [motion, people[(n + 1) % 100], people[(n + 2) % 100]]);
			await db.query(
				`insert into public.speeches (meeting_id, motion_id, attendance_id, stance, status, queued_at, floor_at, ends_at, ended_at)
				 select $1, $2, a, case when g % 2 = 0 then 'for' else 'against' end, 'done', now() - interval '3 hours',
				   now() - interval '150 minutes' + make_interval(mins => g::integer), now() - interval '148 minutes' + make_interval(mins => g::integer),
				   now() - interval '149 minutes' + make_interval(mins => g::integer, secs => 20)
				 from unnest($3::uuid[]) with ordinality u(a, g)`,
				[meeting, motion, people.slice((n * 10) % 100, (n * 10) % 100 + 10)]
			);
			n += 1;
		}
	}
	const [{ speeches }] = await db.query('select count(*)::int as speeches from public.speeches where meeting_id = $1', [meeting]);
	const first = await call(estate.chair, 'draft_minutes', { p_meeting_id: meeting });
	const cpu0 = process.cpuUsage();
	const times = [];
	for (let i = 0; i < 5; i++) await call(estate.chair, 'draft_minutes', { p_meeting_id: meeting });
	for (let i = 0; i < 100; i++) times.push((await call(estate.chair, 'draft_minutes', { p_meeting_id: meeting })).ms);
	const cpu = process.cpuUsage(cpu0);
	const q = quantiles(times);
	const within = (v, budget) => `${fmt(v)} ${v <= budget ? '✓' : '✗'}`;
	rows.push(
		[`draft_minutes: ${speeches} speeches, ${first.r.paragraphs} paragraphs, p50 / p95 ms`, `${fmt(q.p50)} / ${within(q.p95, 100)}`, '≤ 100'],
		[`this process's CPU per call (${db.mode === 'embedded' ? 'the database runs in it' : 'client only'}), ms`, fmt((cpu.user + cpu.system) / 1000 / 105), '—']
	);
} finally {
	await db.query('delete from public.meetings where id = $1', [meeting]);
	await db.close();
}
report(`Linyi minutes benchmark (${db.mode})`, rows);
