import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as newPage from '../../src/routes/estates/[id=uuid]/votes/new/+page.server';
import * as votePage from '../../src/routes/estates/[id=uuid]/votes/[voteId=uuid]/+page.server';
import * as live from '../../src/routes/live/+server';
import { toChinaLocal } from '../../src/lib/format';
import { LiveHub } from '../../src/lib/server/live/hub';
import { NotifySource } from '../../src/lib/server/live/notify';
import { DEMO, expectData, expectHttpError, JINYUAN, openTestRuntime, request, type DemoEmail, type TestRuntime } from './harness';
import { SseReader } from './sse';

/**
 * The live port through the real hooks and the /live endpoint, on the
 * embedded database in its own thread as the app runs it: LISTEN/NOTIFY
 * relayed from PGlite's thread, one listener per topic, the payload computed
 * once per change for every viewer. 15栋 of 晋源水岸花苑 has four flats: 101
 * owned by the owner account, 102 by the party member account.
 */

let rt: TestRuntime;
let building15: string;
const rooms: Record<string, string> = {};
beforeAll(async () => {
	rt = await openTestRuntime();
	[{ id: building15 }] = await rt.sql.query<{ id: string }>(`select id::text from public.areas where estate_id = $1 and name = '15栋'`, [JINYUAN]);
	for (const r of await rt.sql.query<{ id: string; room: string }>(`select id::text, room from public.units where building_id = $1`, [building15])) {
		rooms[r.room] = r.id;
	}
});
afterAll(() => rt.close());

let serial = 0;
/** An owners' decision of 15栋, opened by the committee through the set-up form. */
async function openVote() {
	serial += 1;
	const [{ id: issue }] = await rt.sql.query<{ id: string }>(
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 values ($1, $2, $3, $4, '加装电梯方案见附件', 'renovation', 'accepted') returning id::text`,
		[JINYUAN, building15, DEMO['owner@demo.linyi.org'].id, `15栋实时${serial}`]
	);
	const form = {
		issue_id: issue,
		question: '是否同意 15 栋加装电梯？',
		description: '',
		kind: 'owners',
		matter: '7',
		scope_area_id: building15,
		options: '',
		max_choices: '1',
		closes_at: toChinaLocal(new Date(Date.now() + 7 * 86400_000).toISOString()),
		secret: 'on'
	};
	const x = await request({ url: `/estates/${JINYUAN}/votes/new?issue=${issue}`, method: 'POST', as: 'committee@demo.linyi.org', form }, newPage.actions.default);
	expect(x.outcome.kind, JSON.stringify(x.outcome)).toBe('redirect');
	return (x.outcome as { location: string }).location.split('/').pop()!;
}

const follow = (topic: string, as: DemoEmail | 'anon', headers: Record<string, string> = {}) =>
	request({ url: `/live?topic=${encodeURIComponent(topic)}`, as, headers }, live.GET as never);

async function stream(topic: string, as: DemoEmail, headers: Record<string, string> = {}) {
	const r = expectData(await follow(topic, as, headers)) as Response;
	expect(r.headers.get('content-type')).toBe('text/event-stream');
	return new SseReader(r);
}

const cast = (voteId: string, as: DemoEmail, room: string, choice = '1') =>
	request(
		{ url: `/estates/${JINYUAN}/votes/${voteId}?/cast`, params: { id: JINYUAN, voteId }, method: 'POST', as, form: { choice, unit_id: rooms[room] } },
		votePage.actions.cast
	);

/** The channels the embedded database LISTENs to: one per followed topic. */
const listening = async () => (await rt.sql.query<{ c: string }>('select pg_listening_channels() as c')).map((r) => r.c).sort();

const waitFor = async (ok: () => Promise<boolean> | boolean, ms = 5_000) => {
	const deadline = Date.now() + ms;
	while (!(await ok())) {
		if (Date.now() > deadline) throw new Error('condition not reached in time');
		await new Promise((r) => setTimeout(r, 20));
	}
};

describe('the live port: a vote’s turnout', () => {
	it('relays a ballot to two viewers through one listener, with participation only, then lets go of the topic', async () => {
		const id = await openVote();
		const topic = `vote:${id}`;
		const a = await stream(topic, 'resident@demo.linyi.org');
		const b = await stream(topic, 'moderator@demo.linyi.org');
		// Each starts with the turnout as it is.
		await a.until((r) => r.updates().length === 1);
		await b.until((r) => r.updates().length === 1);
		expect(a.updates()[0]).toMatchObject({ status: 'open', electors: 4, ballots: 0 });
		expect(rt.live.stats()).toEqual({ topics: 1, streams: 2 });
		expect(await listening()).toEqual([topic]);

		const x = await cast(id, 'owner@demo.linyi.org', '101', '2');
		expect(x.outcome.kind, JSON.stringify(x.outcome)).toBe('data');
		const receipt = (x.outcome as { data: { receipt: string } }).data.receipt;
		for (const s of [a, b]) {
			await s.until((r) => r.updates().length === 2);
			expect(s.updates()[1]).toMatchObject({ status: 'open', electors: 4, ballots: 1, owners: 1, owners_total: 4 });
		}
		// Never who voted or what: no choice, receipt, unit or person in the stream.
		for (const text of [a.text, b.text]) {
			expect(text).not.toMatch(/choice|receipt|unit_id|user_id/);
			expect(text).not.toContain(receipt);
			expect(text).not.toContain(DEMO['owner@demo.linyi.org'].id);
			expect(text).not.toContain(rooms['101']);
		}
		// Both viewers got the same event (one payload, one id) and every event carries the server's clock.
		const last = (s: SseReader) => s.events.filter((e) => e.event === 'update').at(-1)!;
		expect(last(a).id).toBe(last(b).id);
		expect(Math.abs(JSON.parse(last(a).data).now - Date.now())).toBeLessThan(5_000);

		await a.cancel();
		await waitFor(() => rt.live.stats().streams === 1);
		expect(await listening()).toEqual([topic]);
		await b.cancel();
		await waitFor(async () => rt.live.stats().topics === 0 && (await listening()).length === 0);
	});

	it('refuses the public, people who may not read the vote, unknown topics, and leaves nothing followed', async () => {
		const id = await openVote();
		expectHttpError(await follow(`vote:${id}`, 'anon'), 401, 'errors.sign_in_required');
		// Still waiting to be verified in the estate: the vote is not found for them.
		expectHttpError(await follow(`vote:${id}`, 'applicant1@demo.linyi.org'), 404, 'errors.vote_not_found');
		expectHttpError(await follow(`vote:${crypto.randomUUID()}`, 'resident@demo.linyi.org'), 404, 'errors.vote_not_found');
		expectHttpError(await follow(`task:${id}`, 'resident@demo.linyi.org'), 400, 'errors.live_topic_unknown');
		expectHttpError(await follow(`vote:${id}"; drop table x; --`, 'resident@demo.linyi.org'), 400, 'errors.live_topic_unknown');
		expect(rt.live.stats()).toEqual({ topics: 0, streams: 0 });
		expect(await listening()).toEqual([]);
	});

	it('bounds the streams one person holds open', async () => {
		const id = await openVote();
		const max = rt.live.options.maxPerViewer;
		const open: SseReader[] = [];
		for (let i = 0; i < max; i++) open.push(await stream(`vote:${id}`, 'volunteer@demo.linyi.org'));
		expectHttpError(await follow(`vote:${id}`, 'volunteer@demo.linyi.org'), 429, 'errors.live_too_many');
		// Someone else is not held back by it, and a closed stream frees its place.
		const other = await stream(`vote:${id}`, 'party@demo.linyi.org');
		await open[0].cancel();
		await waitFor(() => rt.live.stats().streams === max);
		open[0] = await stream(`vote:${id}`, 'volunteer@demo.linyi.org');
		for (const s of [...open, other]) await s.cancel();
		await waitFor(() => rt.live.stats().topics === 0);
	});

	it('sends no snapshot again to a browser that reconnects with the latest event id, and a fresh one otherwise', async () => {
		const id = await openVote();
		const topic = `vote:${id}`;
		const keep = await stream(topic, 'resident@demo.linyi.org');
		await keep.until((r) => r.updates().length === 1);
		const lastId = keep.events.at(-1)!.id!;
		const back = await stream(topic, 'moderator@demo.linyi.org', { 'last-event-id': lastId });
		await back.settle(300);
		expect(back.updates()).toEqual([]);
		expect(back.text).toMatch(/^retry: \d+\n\n$/);
		const stale = await stream(topic, 'moderator@demo.linyi.org', { 'last-event-id': 'earlier.1' });
		await stale.until((r) => r.updates().length === 1);
		// The one that reconnected still gets the next change.
		await cast(id, 'party@demo.linyi.org', '102');
		await back.until((r) => r.updates().length === 1);
		expect(back.updates()[0]).toMatchObject({ ballots: 1 });
		for (const s of [keep, back, stale]) await s.cancel();
		await waitFor(() => rt.live.stats().topics === 0);
	});

	it('folds a burst of ballots into few payloads, announces a vote’s closing, and ends streams at shutdown', async () => {
		const id = await openVote();
		const topic = `vote:${id}`;
		const s = await stream(topic, 'resident@demo.linyi.org');
		await s.until((r) => r.updates().length === 1);
		// Paper ballots for all four flats at once, in one statement, as a moderator's import would.
		await rt.sql.query(
			`insert into public.ballots (vote_id, elector_id, choice, channel, paper_ref, receipt)
			 select e.vote_id, e.id, '{1}', 'paper', 'P-' || e.id, 'AAAA-BBBB-CCCC-' || lpad(upper(to_hex(e.id::int % 65536)), 4, '0')
			 from public.vote_electorate e where e.vote_id = $1`,
			[id]
		);
		await s.until((r) => r.updates().at(-1)?.ballots === 4);
		expect(s.updates().length).toBe(2);
		await rt.sql.query(`update public.votes set closes_at = now() - interval '1 second', opens_at = now() - interval '1 hour' where id = $1`, [id]);
		await rt.sql.query('select public.close_due_votes()');
		await s.until((r) => r.updates().at(-1)?.status === 'closed');

		// A hub of its own on the same database, so that closing it leaves the app's running.
		const hub = new LiveHub(new NotifySource(rt.backend.listen.bind(rt.backend), rt.sql));
		const open = await hub.connect({ topic, viewer: 'user:x', authorize: () => rt.backend.call('live_topic', { p_topic: topic }, { kind: 'user', userId: DEMO['resident@demo.linyi.org'].id }) });
		const reader = new SseReader(new Response(open));
		await reader.until((r) => r.updates().length === 1);
		await hub.close();
		await reader.until((r) => r.done);
		await expect(hub.connect({ topic, viewer: 'user:x', authorize: async () => ({}) })).rejects.toMatchObject({ status: 503 });
		await s.cancel();
		await waitFor(async () => rt.live.stats().topics === 0 && (await listening()).length === 0);
	});

	it('beats the server’s clock to every stream, drops a browser that stopped reading, and ends a stream when its time is up', async () => {
		const id = await openVote();
		const topic = `vote:${id}`;
		const authorize = () => rt.backend.call('live_topic', { p_topic: topic }, { kind: 'user', userId: DEMO['resident@demo.linyi.org'].id });
		const hub = new LiveHub(new NotifySource(rt.backend.listen.bind(rt.backend), rt.sql), { heartbeatMs: 20, lifetimeMs: 600, maxQueued: 5 });
		try {
			const reading = new SseReader(new Response(await hub.connect({ topic, viewer: 'a', authorize })));
			// This browser never reads: its events pile up until the hub lets it go.
			await hub.connect({ topic, viewer: 'b', authorize });
			await reading.until((r) => r.events.filter((e) => e.event === 'clock').length >= 3);
			const clock = Number(reading.events.find((e) => e.event === 'clock')!.data);
			expect(Math.abs(clock - Date.now())).toBeLessThan(5_000);
			await waitFor(() => hub.stats().streams === 1);
			// The reading one ends after its lifetime (600 ms ± 20 %), and the topic is let go.
			await reading.until((r) => r.done, 3_000);
			await waitFor(async () => hub.stats().topics === 0 && (await listening()).length === 0);
		} finally {
			await hub.close();
		}
	});
});
