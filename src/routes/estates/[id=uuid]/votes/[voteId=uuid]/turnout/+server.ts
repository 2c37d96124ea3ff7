import { error } from '@sveltejs/kit';
import { DomainError } from '$lib/server/backend/types';
import type { RequestHandler } from './$types';

/** How often an open connection asks for the turnout; it sends only when it changed. */
const EVERY_MS = 5_000;
/** A connection ends after this long; EventSource reconnects by itself, which re-checks the session. */
const LIFETIME_MS = 10 * 60_000;

/**
 * The turnout of an open vote as server-sent events ("turnout" events with
 * the JSON of vote_turnout), for the live bar on the vote page. It carries
 * participation only, never a choice, and runs as the signed-in caller.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.me) error(401, { message: 'errors.sign_in_required' });
	const read = () => locals.call('vote_turnout', { p_vote_id: params.voteId });
	let first: Awaited<ReturnType<typeof read>>;
	try {
		first = await read();
	} catch (e) {
		if (e instanceof DomainError) error(e.status, { message: e.key });
		throw e;
	}
	const encoder = new TextEncoder();
	let timer: ReturnType<typeof setInterval> | undefined;
	let ended: ReturnType<typeof setTimeout> | undefined;
	const stop = () => {
		clearInterval(timer);
		clearTimeout(ended);
	};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			let last = '';
			const send = (turnout: typeof first) => {
				const json = JSON.stringify(turnout);
				if (json === last) return;
				last = json;
				controller.enqueue(encoder.encode(`event: turnout\ndata: ${json}\n\n`));
			};
			const close = () => {
				stop();
				try {
					controller.close();
				} catch {
					// Already closed by the client.
				}
			};
			send(first);
			timer = setInterval(async () => {
				try {
					const turnout = await read();
					send(turnout);
					if (turnout.status === 'closed') close();
				} catch {
					close();
				}
			}, EVERY_MS);
			ended = setTimeout(close, LIFETIME_MS);
		},
		cancel: stop
	});
	return new Response(stream, {
		headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' }
	});
};
