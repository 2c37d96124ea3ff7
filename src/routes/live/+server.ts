import { error } from '@sveltejs/kit';
import { liveTopicSchema } from '$lib/domain/live';
import { DomainError } from '$lib/server/backend/types';
import { LiveRefusal } from '$lib/server/live/types';
import type { RequestHandler } from './$types';

/**
 * The live port for browsers: GET /live?topic=<topic> is a stream of
 * server-sent events (`update` with the topic's payload and the server's
 * clock, `clock` heartbeats). The SQL function live_topic, run as the caller
 * under row level security, decides whether the caller may follow the topic
 * and gives the first payload; the hub then relays every change.
 */
export const GET: RequestHandler = async ({ locals, url, request }) => {
	const topic = liveTopicSchema.safeParse(url.searchParams.get('topic'));
	if (!topic.success) error(400, { message: 'errors.live_topic_unknown' });
	const { caller } = locals;
	// Every topic so far is for members: the public is asked to sign in (EventSource then stops retrying).
	if (caller.kind !== 'user') error(401, { message: 'errors.sign_in_required' });
	try {
		const stream = await locals.runtime.live.connect({
			topic: topic.data,
			viewer: `user:${caller.userId}`,
			lastEventId: request.headers.get('last-event-id'),
			authorize: () => locals.call('live_topic', { p_topic: topic.data })
		});
		return new Response(stream, {
			headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' }
		});
	} catch (e) {
		if (e instanceof DomainError || e instanceof LiveRefusal) error(e.status, { message: e.key });
		throw e;
	}
};
