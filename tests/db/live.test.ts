import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedBackend } from '../../src/lib/server/backend/embedded';
import type { PostgresBackend } from '../../src/lib/server/backend/postgres';
import type { Caller } from '../../src/lib/server/backend/types';
import { LiveHub } from '../../src/lib/server/live/hub';
import { NotifySource, postgresListen, type Listen } from '../../src/lib/server/live/notify';
import { SseReader } from '../server/sse';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedVotes, seedWorld, type Person, type VoteWorld, type World } from './fixtures';

/**
 * The live port's SQL side (…_create_live_port.sql, …_create_vote_live_turnout.sql):
 * ballots and status changes announce `vote:<id>` with pg_notify, once per
 * statement and only when it commits; live_topic lets a viewer in as that
 * viewer; live_payload is the server's; on Supabase the same triggers
 * broadcast through realtime.send, which is skipped where it does not exist.
 * Uses the open owners' decision of estate A from fixtures.ts (5 units, 3 ballots).
 */
describe.each(DATABASES)('live topics on %s', (name) => {
	let db: TestDb;
	let w: World;
	let v: VoteWorld;
	let listen: Listen;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		v = await seedVotes(db, w);
		listen = name === 'pglite' ? (c, n) => (db.backend as EmbeddedBackend).listen(c, n) : postgresListen((db.backend as PostgresBackend).db);
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const topic = () => `vote:${v.a.owners.id}`;

	/** Counts the notifications of a topic while `fn` runs, and a little after (PostgreSQL delivers them asynchronously). */
	async function notificationsDuring(t: string, fn: () => Promise<unknown>) {
		let n = 0;
		const stop = await listen(t, () => n++, () => {});
		try {
			await fn().catch(() => {});
			await new Promise((r) => setTimeout(r, 150));
			return n;
		} finally {
			await stop();
		}
	}

	it('announces a ballot on its vote’s topic once it commits, once per statement, and not when refused', async () => {
		const unit = w.a.units['2栋//102'];
		expect(
			await notificationsDuring(topic(), () =>
				db.backend.call('record_paper_ballot', { p_vote_id: v.a.owners.id, p_choice: [1], p_paper_ref: 'L-1', p_unit_id: unit }, as('moderator'))
			)
		).toBe(1);
		// Refused (a resident cannot enter paper ballots): nothing committed, nothing announced.
		expect(
			await notificationsDuring(topic(), () =>
				db.backend.call('record_paper_ballot', { p_vote_id: v.a.owners.id, p_choice: [1], p_paper_ref: 'L-2', p_unit_id: unit }, as('resident'))
			)
		).toBe(0);
		// Several ballots in one statement: one announcement.
		const many = () =>
			db.sql.query(
				`insert into public.ballots (vote_id, elector_id, choice, channel, paper_ref, receipt)
				 select e.vote_id, e.id, '{2}', 'paper', 'L-' || e.id, 'DDDD-EEEE-FFFF-' || lpad(upper(to_hex(e.id::int % 65536)), 4, '0')
				 from public.vote_electorate e where e.vote_id = $1 and not exists (select 1 from public.ballots b where b.elector_id = e.id)`,
				[v.a.owners.id]
			);
		expect(await notificationsDuring(topic(), many)).toBe(1);
		// Another vote's ballots are another topic.
		expect(await notificationsDuring(`vote:${v.b.open.id}`, () => db.backend.call('cast_ballot', { p_vote_id: v.a.owners.id, p_choice: [2], p_unit_id: w.a.units['1栋/1/101'] }, as('resident')))).toBe(0);
	});

	it('lets a member of the estate follow the turnout as they may see it, and nobody else', async () => {
		const t = await db.backend.call<Record<string, unknown>>('live_topic', { p_topic: topic() }, as('volunteer'));
		expect(t).toMatchObject({ status: 'open', electors: 5, owners_total: 4 });
		expect(Object.keys(t).sort()).toEqual(['area', 'area_total', 'ballots', 'closes_at', 'electors', 'owners', 'owners_total', 'status']);
		for (const p of ['otherEstate', 'nonmember', 'pending'] as const) {
			await expect(db.backend.call('live_topic', { p_topic: topic() }, as(p))).rejects.toMatchObject({ code: 'P0002', key: 'errors.vote_not_found' });
		}
		await expect(db.backend.call('live_topic', { p_topic: topic() }, { kind: 'anon' })).rejects.toMatchObject({ code: '42501' });
		for (const bad of [`task:${v.a.owners.id}`, 'vote:', `vote:${v.a.owners.id}x`, 'VOTE:' + v.a.owners.id]) {
			await expect(db.backend.call('live_topic', { p_topic: bad }, as('resident'))).rejects.toMatchObject({ key: 'errors.live_topic_unknown', field: 'topic' });
		}
	});

	it('gives the server the payload every viewer gets, and signed-in users not at all', async () => {
		const [{ p }] = await db.sql.query<{ p: unknown }>('select public.live_payload($1) as p', [topic()]);
		expect(p).toEqual(await db.backend.call('live_topic', { p_topic: topic() }, as('resident')));
		const [{ none }] = await db.sql.query<{ none: unknown }>('select private.live_payload($1) as none', [`vote:${crypto.randomUUID()}`]);
		expect(none).toBeNull();
		await expect(db.backend.call('live_payload', { p_topic: topic() }, as('committee'))).rejects.toMatchObject({ code: '42501' });
	});

	it('announces a vote’s opening and closing, not its other edits', async () => {
		const t = `vote:${v.b.open.id}`;
		expect(await notificationsDuring(t, () => db.sql.query(`update public.votes set description = 'x' where id = $1`, [v.b.open.id]))).toBe(0);
		expect(
			await notificationsDuring(t, async () => {
				await db.sql.query(`update public.votes set opens_at = now() - interval '2 days', closes_at = now() - interval '1 second' where id = $1`, [v.b.open.id]);
				await db.sql.query('select public.close_due_votes()');
			})
		).toBe(1);
	});

	it('broadcasts the payload through realtime.send where Supabase Realtime is installed', async () => {
		// Realtime's function as Supabase defines it (realtime.send(payload, event, topic, private)), recording its calls.
		await db.sql.exec(`
			create schema realtime;
			create table realtime.sent (payload jsonb, event text, topic text, private boolean);
			create function realtime.send(payload jsonb, event text, topic text, private boolean default true) returns void
			language sql as $$ insert into realtime.sent values (payload, event, topic, private) $$;`);
		try {
			const r = await db.backend.call<{ receipt: string }>('cast_ballot', { p_vote_id: v.a.owners.id, p_choice: [1], p_unit_id: w.a.units['1栋/1/101'] }, as('resident'));
			const sent = await db.sql.query<{ payload: Record<string, unknown>; event: string; topic: string; private: boolean }>('select * from realtime.sent');
			expect(sent).toEqual([{ payload: await db.backend.call('live_topic', { p_topic: topic() }, as('resident')), event: 'change', topic: topic(), private: true }]);
			expect(JSON.stringify(sent)).not.toContain(r.receipt);
			expect(JSON.stringify(sent)).not.toContain(w.users.resident);
		} finally {
			await db.sql.exec('drop schema realtime cascade');
		}
	});

	it('relays a change to two viewers through one listener and one payload, and stops listening when they leave', async () => {
		let listens = 0;
		let unlistens = 0;
		const counted: Listen = async (c, n, r) => {
			listens++;
			const stop = await listen(c, n, r);
			return async () => {
				unlistens++;
				await stop();
			};
		};
		const source = new NotifySource(counted, db.sql);
		let payloads = 0;
		const payload = source.payload.bind(source);
		source.payload = (t) => (payloads++, payload(t));
		const hub = new LiveHub(source);
		const viewer = (p: Person) =>
			hub.connect({ topic: topic(), viewer: p, authorize: () => db.backend.call('live_topic', { p_topic: topic() }, as(p)) }).then((s) => new SseReader(new Response(s)));
		try {
			const [a, b] = [await viewer('resident'), await viewer('moderator')];
			await a.until((r) => r.updates().length === 1);
			await b.until((r) => r.updates().length === 1);
			const before = (a.updates()[0] as { ballots: number }).ballots;
			expect(listens).toBe(1);
			await db.backend.call('cast_ballot', { p_vote_id: v.a.owners.id, p_choice: [3], p_unit_id: w.a.units['1栋/1/101'] }, as('resident'));
			for (const s of [a, b]) await s.until((r) => r.updates().length === 2);
			// Changing a ballot leaves the number of homes as it was; the payload was computed once for both.
			expect(a.updates()[1]).toEqual(b.updates()[1]);
			expect((a.updates()[1] as { ballots: number }).ballots).toBe(before);
			expect(payloads).toBe(1);
			await a.cancel();
			expect(unlistens).toBe(0);
			await b.cancel();
			const deadline = Date.now() + 5_000;
			while (unlistens === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
			expect([listens, unlistens, hub.stats()]).toEqual([1, 1, { topics: 0, streams: 0 }]);
		} finally {
			await hub.close();
		}
	});
});

