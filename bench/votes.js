#!/usr/bin/env node
// Vote budgets on the benchmark estate (run npm run bench:seed first; its votes
// come from bench/seed-votes.sql): cast_ballot as a linked owner, vote_turnout
// and vote_detail on the open owners' vote over 5,000 units, closing and
// tallying an owners' vote over 5,000 units, and 100 parallel ballots for one
// unit (solidity). SQL as the backend runs it: one transaction per call with
// the caller's role and claims. Embedded (BENCH_DATA_DIR) by default; the
// PostgreSQL database of DATABASE_URL when it is set (seeded the same way).
// Every write it makes is undone at the end (or rolled back), so it can run
// again on the same estate.
import { createHash } from 'node:crypto';
import { fmt, openBenchDb, quantiles, report } from './lib.js';

const md5uuid = (s) => createHash('md5').update(s).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
const ESTATE = 'b0000000-0000-4000-8000-000000000101';
const OPEN_VOTE = md5uuid('vote1'); // open, owners, matter 4, 5,000 units, 85 % voted
const FULL_VOTE = md5uuid('vote2'); // open, owners, matter 7, 5,000 units, every unit voted
const CLOSED_VOTE = md5uuid('vote3'); // closed, owners, 5,000 units
const COMMITTEE = md5uuid('user150');

const db = await openBenchDb({ max: 25 });

/** Calls public.fn with named arguments as userId, the way the backend's callAsUser does; ms is the call alone. */
async function callAs(t, userId, fn, args) {
	const names = Object.keys(args);
	await t.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
		JSON.stringify({ sub: userId, role: 'authenticated', aud: 'authenticated' })
	]);
	const s = performance.now();
	const rows = await t.query(`select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}) as r`, names.map((n) => args[n]));
	return { r: rows[0].r, ms: performance.now() - s };
}
const call = (userId, fn, args) => db.transaction((t) => callAs(t, userId, fn, args)).then((x) => x.r);

async function time(n, f, warm = 3) {
	for (let i = 0; i < warm; i++) await f(i);
	const t = [];
	for (let i = 0; i < n; i++) {
		const s = performance.now();
		const ms = await f(i);
		t.push(typeof ms === 'number' ? ms : performance.now() - s);
	}
	return quantiles(t);
}

// Two linked owners of estate 1 with one unit in the open vote, whose current ballot they cast online themselves.
const owners = await db.query(
	`select o.user_id::text as user_id, e.unit_id::text as unit_id, e.id::text as elector_id, b.id::text as ballot_id
	 from public.vote_electorate e
	 join public.owners o on o.id = e.owner_ids[1] and cardinality(e.owner_ids) = 1
	 join public.memberships m on m.user_id = o.user_id and m.estate_id = $2 and m.status = 'verified'
	 join public.ballots b on b.elector_id = e.id and b.superseded_at is null and b.channel = 'online' and b.cast_by = o.user_id
	 where e.vote_id = $1 and (select count(*) from public.owners o2 where o2.user_id = o.user_id) = 1
	   and (select count(*) from public.unit_owners uo where uo.owner_id = o.id) = 1
	 order by o.name limit 2`,
	[OPEN_VOTE, ESTATE]
);
if (owners.length < 2) throw new Error('no linked owners with a ballot in the open vote: run npm run bench:seed first');
const [caster, crowd] = owners;
const [{ max_id: maxBefore, ballots: ballotsBefore }] = await db.query(
	`select max(id)::text as max_id, count(*)::int as ballots from public.ballots`
);

/** Undoes the ballots written by the bench for one elector: the seeded ballot is current again. */
async function restore(o) {
	await db.query(`delete from public.ballots where elector_id = $1 and id > $2`, [o.elector_id, maxBefore]);
	await db.query(`update public.ballots set superseded_at = null where id = $1`, [o.ballot_id]);
}

const rows = [];
try {
	// Cast a ballot: alternating yes / no on the caster's unit, each in its own committed transaction.
	const cast = await time(200, async (i) => {
		await call(caster.user_id, 'cast_ballot', { p_vote_id: OPEN_VOTE, p_choice: [1 + (i % 2)], p_unit_id: caster.unit_id });
	}, 10);
	const [castCheck] = await db.query(
		`select count(*)::int as versions, count(*) filter (where superseded_at is null)::int as current
		 from public.ballots where elector_id = $1`,
		[caster.elector_id]
	);
	await restore(caster);

	// 100 ballots for one unit at once: one current ballot and 100 new versions, no error.
	const settled = await Promise.allSettled(
		Array.from({ length: 100 }, (_, i) =>
			call(crowd.user_id, 'cast_ballot', { p_vote_id: OPEN_VOTE, p_choice: [1 + (i % 3)], p_unit_id: crowd.unit_id })
		)
	);
	const failed = settled.filter((s) => s.status === 'rejected');
	const [par] = await db.query(
		`select count(*) filter (where id > $2)::int as added, count(*) filter (where superseded_at is null)::int as current,
		   count(distinct receipt)::int as receipts, count(*)::int as versions
		 from public.ballots where elector_id = $1`,
		[crowd.elector_id, maxBefore]
	);
	await restore(crowd);

	// Turnout and the vote page's data on the open 5,000-unit vote; the page of a closed one.
	const turnout = await time(100, () => call(caster.user_id, 'vote_turnout', { p_vote_id: OPEN_VOTE }));
	const turnoutSample = await call(caster.user_id, 'vote_turnout', { p_vote_id: OPEN_VOTE });
	const detail = await time(100, () => call(caster.user_id, 'vote_detail', { p_vote_id: OPEN_VOTE }));
	const detailCommittee = await time(50, () => call(COMMITTEE, 'vote_detail', { p_vote_id: OPEN_VOTE }));
	const detailClosed = await time(50, () => call(caster.user_id, 'vote_detail', { p_vote_id: CLOSED_VOTE }));

	// Close and tally, rolled back each time so that the same open vote serves every run.
	// The tally alone, the close the clock does (private.close_vote_now,
	// as the sweep calls it) and the committee's early close (public.close_vote, every unit voted).
	// The tally without any access check: private.tally where it exists (private.compute_tally checks the caller).
	const [{ fn: tallyFn }] = await db.query(`select coalesce(to_regproc('private.tally'), to_regproc('private.compute_tally'))::text as fn`);
	const tally = await time(30, () =>
		db.transaction(async (t) => {
			const s = performance.now();
			await t.query(`select ${tallyFn}($1) as r`, [OPEN_VOTE]);
			return performance.now() - s;
		}, { rollback: true })
	);
	let outcome;
	const close = await time(30, () =>
		db.transaction(async (t) => {
			// As the sweep finds it: the closing time has passed.
			await t.query(`update public.votes set closes_at = now() - interval '1 second' where id = $1`, [OPEN_VOTE]);
			const s = performance.now();
			await t.query(`select private.close_vote_now($1, null)`, [OPEN_VOTE]);
			const ms = performance.now() - s;
			[{ outcome }] = await t.query(`select outcome from public.vote_results where vote_id = $1`, [OPEN_VOTE]);
			return ms;
		}, { rollback: true })
	);
	let earlyOutcome;
	const early = await time(30, () =>
		db.transaction(async (t) => {
			const { r, ms } = await callAs(t, COMMITTEE, 'close_vote', { p_vote_id: FULL_VOTE });
			earlyOutcome = r.outcome;
			return ms;
		}, { rollback: true })
	);

	const [{ ballots: ballotsAfter }] = await db.query(`select count(*)::int as ballots from public.ballots`);
	const [{ open }] = await db.query(`select count(*)::int as open from public.votes where id in ($1, $2) and status = 'open'`, [OPEN_VOTE, FULL_VOTE]);
	const ok = (b) => (b ? '✓' : '✗');
	const within = (v, budget) => `${fmt(v)} ${ok(v <= budget)}`;
	const tv = turnoutSample;
	rows.push(
		[`cast_ballot as a linked owner (200, alternating), p50 / p95 ms`, `${fmt(cast.p50)} / ${within(cast.p95, 50)}`, 'p95 ≤ 50'],
		[`  after: versions of that unit / current ballots`, `${castCheck.versions} / ${castCheck.current}`, 'current = 1'],
		[`vote_turnout, ${tv.electors} units, ${tv.ballots} voted, p50 / p95 ms`, `${fmt(turnout.p50)} / ${within(turnout.p95, 20)}`, 'p95 ≤ 20'],
		[`vote_detail as the owner (open vote), p50 / p95 ms`, `${fmt(detail.p50)} / ${fmt(detail.p95)}`, ''],
		[`vote_detail as the committee (open vote), p50 / p95 ms`, `${fmt(detailCommittee.p50)} / ${fmt(detailCommittee.p95)}`, ''],
		[`vote_detail of a closed 5,000-unit vote, p50 / p95 ms`, `${fmt(detailClosed.p50)} / ${fmt(detailClosed.p95)}`, ''],
		[`${tallyFn} alone, 5,000 units (${tv.ballots} ballots), p50 / p95 ms`, `${fmt(tally.p50)} / ${fmt(tally.p95)}`, ''],
		[`close_vote_now + tally, 5,000 units → ${outcome}, p50 / p95 ms`, `${fmt(close.p50)} / ${within(close.p95, 50)}`, '≤ 50'],
		[`close_vote (committee, all voted) → ${earlyOutcome}, p50 / p95 ms`, `${fmt(early.p50)} / ${within(early.p95, 50)}`, '≤ 50'],
		[`100 parallel ballots, one unit: errors / new versions`, `${failed.length} / ${par.added}`, '0 / 100'],
		[`  current ballots / distinct receipts of that unit`, `${par.current} / ${par.receipts} of ${par.versions}`, `1 ${ok(failed.length === 0 && par.added === 100 && par.current === 1 && par.receipts === par.versions)}`],
		[`estate left as found: ballots / open votes`, `${ballotsAfter} / ${open}`, `${ballotsBefore} / 2 ${ok(ballotsAfter === ballotsBefore && open === 2)}`]
	);
	if (failed.length) console.error('parallel ballots refused:', failed[0].reason?.message ?? failed[0].reason);
} finally {
	await restore(caster).catch(() => {});
	await restore(crowd).catch(() => {});
	await db.close();
}
report(`Linyi votes benchmark (${db.mode}, benchmark estate)`, rows);
