#!/usr/bin/env node
// Live budget on the benchmark estate (run npm run bench:seed first): 200
// residents follow the open 5,000-unit owners' vote (GET /live, server-sent
// events, each with a session of its own, each on its own connection), then
// an owner casts a ballot through the vote page's form 20 times; for each
// ballot, the time from sending it until each of the 200 streams has the new
// turnout (p50/p95 of all deliveries, and of the slowest of each round).
// Also the server's CPU while idle with 0 and with 200 viewers (30 s each,
// which holds one heartbeat, after the server's first vacuum): flat in the
// number of viewers, since nothing polls per connection. Embedded by default; the PostgreSQL database of
// DATABASE_URL when it is set (seeded the same way). The sessions and the
// ballots it adds are removed at the end, so it can run again.
import http from 'node:http';
import { createHash } from 'node:crypto';
import {
	BASE,
	ORIGIN,
	closeResidentSessions,
	fmt,
	openBenchDb,
	openResidentSessions,
	quantiles,
	report,
	residentCookie,
	residentTokenHash,
	startServer,
	stopServer,
	threadCpu
} from './lib.js';
import { BENCH_DATA_DIR } from './seed-dir.js';

const md5uuid = (s) => createHash('md5').update(s).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
const ESTATE = 'b0000000-0000-4000-8000-000000000101';
const OPEN_VOTE = md5uuid('vote1'); // open, owners, 5,000 units, 85 % voted
const VIEWERS = Number(process.env.LIVE_VIEWERS || 200);
const ROUNDS = 20;
const IDLE_SECONDS = 30;
const url = process.env.DATABASE_URL;

// The residents who watch, and an owner of one unit in the vote who casts (a session each, made directly).
let db = await openBenchDb({ url });
const { users } = await openResidentSessions(db, ESTATE, VIEWERS);
const [caster] = await db.query(
	`select o.user_id::text as user_id, e.unit_id::text as unit_id, e.id::text as elector_id, b.id::text as ballot_id
	 from public.vote_electorate e
	 join public.owners o on o.id = e.owner_ids[1] and cardinality(e.owner_ids) = 1
	 join public.memberships m on m.user_id = o.user_id and m.estate_id = $2 and m.status = 'verified'
	 join public.ballots b on b.elector_id = e.id and b.superseded_at is null and b.channel = 'online' and b.cast_by = o.user_id
	 where e.vote_id = $1 and (select count(*) from public.owners o2 where o2.user_id = o.user_id) = 1
	   and (select count(*) from public.unit_owners uo where uo.owner_id = o.id) = 1
	   -- The form takes RFC 4122 ids only, and the benchmark world's ids are md5 digests: one that passes.
	   and e.unit_id::text ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
	 order by o.name desc limit 1`,
	[OPEN_VOTE, ESTATE]
);
if (!caster) throw new Error('no linked owner with a ballot in the open vote: run npm run bench:seed first');
const [{ max_id: maxBefore }] = await db.query(`select max(id)::text as max_id from public.ballots`);
const casterIsViewer = users.includes(caster.user_id);
if (!casterIsViewer) {
	await closeResidentSessions(db, [caster.user_id]);
	await db.query(`insert into auth.local_sessions (token_hash, user_id, expires_at) values ($1, $2, now() + interval '1 day')`, [
		residentTokenHash(caster.user_id),
		caster.user_id
	]);
}
// Embedded: the server needs the data directory to itself.
if (!url) await db.close();

/** A browser's EventSource, on a connection of its own: the times at which updates arrived, and their ballots. */
function follow(cookie) {
	return new Promise((resolve, reject) => {
		const s = { updates: [], waiters: [], req: null };
		const req = http.get(`${BASE}/live?topic=vote:${OPEN_VOTE}`, { headers: { cookie, accept: 'text/event-stream' }, agent: false }, (res) => {
			if (res.statusCode !== 200) return reject(new Error(`/live: ${res.statusCode}`));
			res.setEncoding('utf8');
			let buffer = '';
			res.on('data', (chunk) => {
				buffer += chunk;
				let end;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					if (!block.includes('event: update')) continue;
					const data = JSON.parse(block.slice(block.indexOf('data: ') + 6));
					s.updates.push({ at: performance.now(), ballots: data.data.ballots });
					for (const w of s.waiters.splice(0)) w();
				}
			});
			resolve(s);
		});
		req.on('error', reject);
		s.req = req;
	});
}

/** Waits until every stream has more than `count` updates, or `ms` passed. */
async function allPast(streams, count, ms = 10_000) {
	const deadline = performance.now() + ms;
	while (streams.some((s) => s.updates.length <= count) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
	return streams.every((s) => s.updates.length > count);
}

function post(path, cookie, form) {
	return new Promise((resolve, reject) => {
		const body = new URLSearchParams(form).toString();
		const req = http.request(
			`${BASE}${path}`,
			{
				method: 'POST',
				agent: false,
				headers: {
					cookie,
					origin: ORIGIN,
					'content-type': 'application/x-www-form-urlencoded',
					'content-length': Buffer.byteLength(body),
					accept: 'application/json',
					'x-sveltekit-action': 'true'
				}
			},
			(res) => {
				let text = '';
				res.on('data', (c) => (text += c));
				res.on('end', () => resolve({ status: res.statusCode, text }));
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

const cpuMs = (pid) => Object.values(threadCpu(pid)).reduce((a, b) => a + b, 0);
async function idleCpu(pid) {
	const before = cpuMs(pid);
	await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
	return (cpuMs(pid) - before) / IDLE_SECONDS;
}

const server = await startServer(url ? { DATABASE_URL: url, DEMO: 'off' } : { DATA_DIR: BENCH_DATA_DIR, DEMO: 'off' });
const pid = server.child.pid;
const rows = [];
let streams = [];
try {
	// A few page loads and ballots first, so that the figures are not the compilers'.
	const casterCookie = residentCookie(caster.user_id);
	const votePath = `/estates/${ESTATE}/votes/${OPEN_VOTE}`;
	for (let i = 0; i < 10; i++) {
		const r = await post(`${votePath}?/cast`, casterCookie, { choice: String(1 + (i % 2)), unit_id: caster.unit_id });
		if (r.status !== 200 || !r.text.includes('receipt')) throw new Error(`cast: ${r.status} ${r.text.slice(0, 200)}`);
	}
	// The server's first vacuum runs a minute after it started: both idle windows come after it.
	const sinceStart = performance.now() - server.startedAt;
	await new Promise((r) => setTimeout(r, Math.max(2000, 80_000 - sinceStart)));
	const idle0 = await idleCpu(pid);

	const t0 = performance.now();
	streams = await Promise.all(users.map((u) => follow(residentCookie(u))));
	const connected = await allPast(streams, 0, 60_000);
	const connectMs = performance.now() - t0;
	await new Promise((r) => setTimeout(r, 2000));
	const idle200 = await idleCpu(pid);

	const deliveries = [];
	const slowest = [];
	const castMs = [];
	let missed = 0;
	const cpuBefore = cpuMs(pid);
	for (let i = 0; i < ROUNDS; i++) {
		const seen = streams.map((s) => s.updates.length);
		const sent = performance.now();
		const r = await post(`${votePath}?/cast`, casterCookie, { choice: String(1 + (i % 2)), unit_id: caster.unit_id });
		castMs.push(performance.now() - sent);
		if (r.status !== 200) throw new Error(`cast: ${r.status}`);
		const deadline = performance.now() + 10_000;
		while (streams.some((s, k) => s.updates.length <= seen[k]) && performance.now() < deadline) await new Promise((r2) => setTimeout(r2, 2));
		let worst = 0;
		streams.forEach((s, k) => {
			const u = s.updates[seen[k]];
			if (!u) return missed++;
			deliveries.push(u.at - sent);
			worst = Math.max(worst, u.at - sent);
		});
		slowest.push(worst);
		// Ballots a few seconds apart, as people cast them; the rounds do not queue behind each other.
		await new Promise((r2) => setTimeout(r2, 500));
	}
	const cpuPerChange = (cpuMs(pid) - cpuBefore) / ROUNDS;
	const d = quantiles(deliveries);
	const w = quantiles(slowest);
	const c = quantiles(castMs);
	const ok = (b) => (b ? '✓' : '✗');
	rows.push(
		[`${VIEWERS} streams open and each has the turnout, s`, `${fmt(connectMs / 1000)} ${ok(connected)}`, ''],
		[`cast a ballot (the form, as JSON), p50 / p95 ms`, `${fmt(c.p50)} / ${fmt(c.p95)}`, ''],
		[`ballot → a viewer has it, all deliveries, p50 / p95 ms`, `${fmt(d.p50)} / ${fmt(d.p95)} ${ok(d.p95 <= 1000)}`, 'p95 ≤ 1000'],
		[`ballot → all ${VIEWERS} have it (slowest per round), p50 / p95 ms`, `${fmt(w.p50)} / ${fmt(w.p95)} ${ok(w.p95 <= 1000)}`, 'p95 ≤ 1000'],
		[`deliveries missed (of ${ROUNDS * VIEWERS})`, `${missed} ${ok(missed === 0)}`, '0'],
		[`server CPU per ballot with ${VIEWERS} viewers (cast + relay), ms`, fmt(cpuPerChange), ''],
		[`server CPU idle, 0 viewers, ms per s`, fmt(idle0), ''],
		[`server CPU idle, ${VIEWERS} viewers, ms per s`, `${fmt(idle200)} ${ok(idle200 <= idle0 + 5)}`, 'flat (≤ 0 viewers + 5)']
	);
} finally {
	for (const s of streams) s.req?.destroy();
	await stopServer(server.child);
	if (!url) db = await openBenchDb({ url });
	// The estate as seeded: the caster's seeded ballot current again, the added versions and the sessions gone.
	await db.query(`delete from public.ballots where elector_id = $1 and id > $2`, [caster.elector_id, maxBefore]);
	await db.query(`update public.ballots set superseded_at = null where id = $1`, [caster.ballot_id]);
	await closeResidentSessions(db, casterIsViewer ? users : [...users, caster.user_id]);
	await db.close();
}
report(`Linyi live benchmark (${url ? 'postgres' : 'embedded'}, benchmark estate, ${VIEWERS} viewers of one vote)`, rows);
