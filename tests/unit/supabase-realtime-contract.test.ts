import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { RealtimeSource } from '../../src/lib/server/live/supabase';
import { SupabaseClients } from '../../src/lib/server/supabase-client';

/**
 * Supabase mode's live source against the Realtime protocol as supabase-js
 * speaks it (Phoenix channels over a WebSocket, serializer 2.0.0: JSON arrays
 * [join_ref, ref, topic, event, payload]), since Realtime cannot run here. A
 * small server plays Realtime's part: it answers joins, pushes the broadcast
 * that realtime.send() makes from the database's trigger, and drops the
 * socket to see the source rejoin and catch up through PostgREST.
 */

const SERVICE_KEY = 'service-role-key-'.padEnd(48, 'x');
type Frame = [string | null, string | null, string, string, Record<string, unknown>];

let wss: WebSocketServer;
let url: string;
const frames: Frame[] = [];
const sockets: WebSocket[] = [];
let refuseJoins = false;
const requests: { url: string; path: string; body: unknown; auth: string | null }[] = [];

beforeAll(async () => {
	wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	await new Promise((r) => wss.once('listening', r));
	url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
	wss.on('connection', (socket, req) => {
		sockets.push(socket);
		requests.push({ url: req.url ?? '', path: new URL(req.url ?? '', url).pathname, body: null, auth: null });
		socket.on('message', (data) => {
			const frame = JSON.parse(String(data)) as Frame;
			frames.push(frame);
			const [joinRef, ref, topic, event] = frame;
			if (event === 'phx_join' && refuseJoins) {
				socket.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'error', response: { reason: 'Unauthorized: You do not have permissions to read from this Channel topic' } }]));
			} else if (event === 'phx_join' || event === 'phx_leave' || event === 'heartbeat') {
				socket.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'ok', response: {} }]));
			}
		});
	});
});
afterAll(() => new Promise((r) => wss.close(r)));

/** PostgREST's side of live_payload, recorded. */
const rpc = (async (input: RequestInfo | URL, init?: RequestInit) => {
	const req = new Request(input, init);
	requests.push({ url: req.url, path: new URL(req.url).pathname, body: await req.json(), auth: req.headers.get('authorization') });
	return new Response(JSON.stringify({ status: 'open', ballots: 7 }), { status: 200, headers: { 'content-type': 'application/json' } });
}) as typeof fetch;

const until = async (ok: () => boolean, ms = 8_000) => {
	const deadline = Date.now() + ms;
	while (!ok()) {
		if (Date.now() > deadline) throw new Error('not reached in time');
		await new Promise((r) => setTimeout(r, 20));
	}
};

describe('supabase mode: the live source on Realtime broadcast', () => {
	it('joins the topic’s private channel with the service role key and relays its broadcasts; after a lost socket it rejoins and catches up', async () => {
		const source = new RealtimeSource(new SupabaseClients(url, SERVICE_KEY, SERVICE_KEY, rpc).admin()!, SERVICE_KEY);
		const got: unknown[] = [];
		const topic = 'vote:0b6c8a52-3f1e-4d8a-9c2b-7e5f1a2b3c4d';
		const stop = await source.follow(topic, (p) => got.push(p));

		try {
			const ws = requests.find((r) => r.path === '/realtime/v1/websocket')!;
			expect(new URL(ws.url, url).searchParams.get('apikey')).toBe(SERVICE_KEY);
			const join = frames.find((f) => f[3] === 'phx_join')!;
			expect(join[2]).toBe(`realtime:${topic}`);
			expect(join[4]).toMatchObject({ config: { private: true }, access_token: SERVICE_KEY });

			// What realtime.send(payload, 'change', topic, true) reaches subscribers as.
			const payload = { status: 'open', electors: 4, ballots: 1, area: 88, area_total: 350, owners: 1, owners_total: 4 };
			sockets.at(-1)!.send(JSON.stringify([null, null, `realtime:${topic}`, 'broadcast', { type: 'broadcast', event: 'change', payload }]));
			// Another event name on the channel is not a change.
			sockets.at(-1)!.send(JSON.stringify([null, null, `realtime:${topic}`, 'broadcast', { type: 'broadcast', event: 'other', payload: { x: 1 } }]));
			await until(() => got.length === 1);
			expect(got).toEqual([payload]);

			// The socket drops: supabase-js reconnects and joins again; a broadcast may have been missed, so the source asks PostgREST.
			const joins = () => frames.filter((f) => f[3] === 'phx_join').length;
			sockets.at(-1)!.terminate();
			await until(() => joins() === 2 && got.length === 2, 15_000);
			const call = requests.find((r) => r.path === '/rest/v1/rpc/live_payload')!;
			expect(call.body).toEqual({ p_topic: topic });
			expect(call.auth).toBe(`Bearer ${SERVICE_KEY}`);
			expect(got[1]).toEqual({ status: 'open', ballots: 7 });

			await stop();
			await until(() => frames.some((f) => f[3] === 'phx_leave' && f[2] === `realtime:${topic}`));
		} finally {
			// An open socket would keep the test run alive.
			await source.close();
		}
	}, 30_000);

	it('fails to follow a topic whose channel Realtime refuses (say, Realtime is off for the project)', async () => {
		const source = new RealtimeSource(new SupabaseClients(url, SERVICE_KEY, SERVICE_KEY, rpc).admin()!, SERVICE_KEY);
		refuseJoins = true;
		try {
			await expect(source.follow('vote:1f6c8a52-3f1e-4d8a-9c2b-7e5f1a2b3c4d', () => {})).rejects.toThrow(/Unauthorized/);
		} finally {
			refuseJoins = false;
			await source.close();
		}
	});
});
