import { z } from 'zod';

/**
 * A live topic, named by what it shows: `vote:<id>` is a vote's turnout,
 * `meeting:<id>` a meeting room's signal (the room then reloads). The
 * SQL function live_topic decides who may follow one; this only keeps
 * anything but a well-formed name away from it (and from LISTEN).
 */
export const liveTopicSchema = z.string().regex(/^(vote|meeting):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: 'errors.live_topic_unknown' });

/** What an `update` event of the live stream carries: the server's clock (ms) and the topic's payload. */
export interface LiveUpdate<T> {
	now: number;
	data: T;
}
