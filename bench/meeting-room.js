#!/usr/bin/env node
// Meeting room budgets (BUDGETS "meeting room"): the room's one read,
// meeting_room, and the room's actions (give the floor and end the speech,
// queue someone and lower the hand), on a meeting of 100 people in the room
// with 40 speeches given and 60 hands up on the motion in debate. SQL as the
// backend runs it: one transaction per call with the caller's role and
// claims. The meeting is written for the run in the estate of the benchmark
// (npm run bench:seed), or in the estate with most verified members of any
// other database (the demo too), and removed at the end. Embedded
// (BENCH_DATA_DIR) by default; the PostgreSQL database of DATABASE_URL when set.
import { fmt, openBenchDb, quantiles, report } from './lib.js';

const db = await openBenchDb({ max: 4 });

async function callAs(t, userId, fn, args) {
	const names = Object.keys(args);
	await t.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
		JSON.stringify({ sub: userId, role: 'authenticated', aud: 'authenticated' })
	]);
	const s = performance.now();
	const rows = await t.query(`select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}) as r`, names.map((n) => args[n]));
	return { r: rows[0].r, ms: performance.now() - s };
}
const call = (userId, fn, args) => db.transaction((t) => callAs(t, userId, fn, args));

async function time(n, f, warm = 5) {
	for (let i = 0; i < warm; i++) await f(i);
	const t = [];
	for (let i = 0; i < n; i++) t.push(await f(i));
	return quantiles(t);
}

const [estate] = await db.query(
	`select m.estate_id::text as id, (array_agg(m.user_id::text order by m.user_id))[1] as chair
	 from public.memberships m where m.status = 'verified' group by m.estate_id order by count(*) desc, m.estate_id limit 1`
);
if (!estate) throw new Error('no estate with verified members: seed the database first (npm run bench:seed)');

const [{ id: meeting }] = await db.query(
	`insert into public.meetings (estate_id, kind, title, starts_at, ends_at, place, chair_id, status, checkin_code, opened_at)
	 values ($1, 'council', '基准议事会', now(), now() + interval '2 hours', '活动室', $2, 'in_session',
	   (select lpad(((coalesce(max(checkin_code::integer), 0) + 1) % 1000000)::text, 6, '0') from public.meetings), now()) returning id::text`,
	[estate.id, estate.chair]
);
const rows = [];
try {
	const [{ id: item }] = await db.query(`insert into public.agenda_items (meeting_id, position, title, status, started_at) values ($1, 1, '议题', 'current', now()) returning id::text`, [meeting]);
	await db.query('update public.meetings set current_item_id = $2 where id = $1', [meeting, item]);
	await db.query(`insert into public.meeting_attendance (meeting_id, user_id, checked_in_at) values ($1, $2, now())`, [meeting, estate.chair]);
	const people = (
		await db.query(
			`insert into public.meeting_attendance (meeting_id, name, checked_in_at)
			 select $1, '居民' || g, now() - make_interval(secs => 200 - g) from generate_series(1, 100) g returning id::text`,
			[meeting]
		)
	).map((r) => r.id);
	const [{ id: motion }] = await db.query(
		`insert into public.motions (meeting_id, agenda_item_id, mover_id, body, status, debate_opened_at) values ($1, $2, $3, '基准动议', 'debating', now()) returning id::text`,
		[meeting, item, people[0]]
	);
	await db.query(
		`insert into public.speeches (meeting_id, motion_id, attendance_id, stance, status, queued_at, floor_at, ends_at, ended_at)
		 select $1, $2, a, case when n % 2 = 0 then 'for' else 'against' end, 'done', now() - interval '2 hours',
		   now() - interval '90 minutes' + make_interval(mins => n::integer), now() - interval '89 minutes' + make_interval(mins => n::integer),
		   now() - interval '89 minutes' + make_interval(mins => n::integer)
		 from unnest($3::uuid[]) with ordinality u(a, n)`,
		[meeting, motion, people.slice(0, 40)]
	);
	await db.query(
		`insert into public.speeches (meeting_id, motion_id, attendance_id, stance, queued_at)
		 select $1, $2, a, (array['for', 'against', 'question'])[1 + n % 3], now() - make_interval(secs => 100 - n::integer)
		 from unnest($3::uuid[]) with ordinality u(a, n)`,
		[meeting, motion, people.slice(20, 80)]
	);

	const read = await time(200, async () => (await call(estate.chair, 'meeting_room', { p_meeting_id: meeting })).ms);
	const check = (await call(estate.chair, 'meeting_room', { p_meeting_id: meeting })).r;
	const floor = [];
	const end = [];
	for (let i = 0; i < 45; i++) {
		floor.push((await call(estate.chair, 'give_floor', { p_meeting_id: meeting })).ms);
		end.push((await call(estate.chair, 'end_speech', { p_meeting_id: meeting })).ms);
	}
	const queued = [];
	const lowered = [];
	for (let i = 0; i < 100; i++) {
		const q = await call(estate.chair, 'add_speaker', { p_motion_id: motion, p_attendance_id: people[80 + (i % 20)], p_stance: 'question' });
		queued.push(q.ms);
		lowered.push((await call(estate.chair, 'lower_hand', { p_speech_id: q.r.id })).ms);
	}
	// The meeting changes a limit back and forth, as a chair does after the room decides.
	const rules = [];
	for (let i = 0; i < 50; i++) rules.push((await call(estate.chair, 'change_meeting_rules', { p_meeting_id: meeting, p_speeches_per_motion: 2 + (i % 2) })).ms);
	const within = (v, budget) => `${fmt(v)} ${v <= budget ? '✓' : '✗'}`;
	const [f, e, a, l, r] = [floor, end, queued, lowered, rules].map((t) => quantiles(t.slice(5)));
	rows.push(
		[`meeting_room: ${check.present} present, ${check.queue.length} waiting, p50 / p95 ms`, `${fmt(read.p50)} / ${within(read.p95, 20)}`, '≤ 20'],
		[`give_floor (the rules' next of the queue), p50 / p95 ms`, `${fmt(f.p50)} / ${within(f.p95, 50)}`, 'p95 ≤ 50'],
		[`end_speech, p50 / p95 ms`, `${fmt(e.p50)} / ${within(e.p95, 50)}`, 'p95 ≤ 50'],
		[`add_speaker, p50 / p95 ms`, `${fmt(a.p50)} / ${within(a.p95, 50)}`, 'p95 ≤ 50'],
		[`lower_hand, p50 / p95 ms`, `${fmt(l.p50)} / ${within(l.p95, 50)}`, 'p95 ≤ 50'],
		[`change_meeting_rules, p50 / p95 ms`, `${fmt(r.p50)} / ${within(r.p95, 50)}`, 'p95 ≤ 50']
	);
} finally {
	await db.query('delete from public.meetings where id = $1', [meeting]);
	await db.close();
}
report(`Linyi meeting room benchmark (${db.mode})`, rows);
