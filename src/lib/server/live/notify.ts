import type postgres from 'postgres';
import type { Sql } from '../backend/sql';
import type { LiveSource } from './types';

/**
 * LISTENs to one channel: `notified` on each NOTIFY, `relistened` when the
 * listening connection came back after it was lost (notifications may have
 * been missed meanwhile). Resolves with the function that UNLISTENs.
 */
export type Listen = (channel: string, notified: () => void, relistened: () => void) => Promise<() => Promise<void>>;

/**
 * The live source of the embedded and postgres modes: triggers pg_notify the
 * topic (private.live_changed), the server LISTENs once per followed topic,
 * and on each notification computes the topic's payload once, as the
 * server (private.live_payload), for all its viewers. Notifications that
 * arrive while a payload is being computed are folded into one more
 * computation after it, so a burst of ballots costs two queries, not one per
 * ballot.
 */
export class NotifySource implements LiveSource {
	constructor(
		private readonly listen: Listen,
		private readonly sql: Sql
	) {}

	async payload(topic: string): Promise<unknown> {
		const [row] = await this.sql.query<{ payload: unknown }>('select private.live_payload($1) as payload', [topic]);
		return row?.payload ?? null;
	}

	async follow(topic: string, changed: (payload: unknown) => void) {
		let computing = false;
		let again = false;
		let stopped = false;
		const refresh = async () => {
			if (computing) {
				again = true;
				return;
			}
			computing = true;
			try {
				do {
					again = false;
					const payload = await this.payload(topic);
					if (!stopped) changed(payload);
				} while (again && !stopped);
			} catch (e) {
				if (!stopped) console.error(`live topic ${topic}: computing its payload failed:`, e);
			} finally {
				computing = false;
			}
		};
		const unlisten = await this.listen(topic, refresh, refresh);
		return async () => {
			stopped = true;
			await unlisten();
		};
	}

	async close() {}
}

/**
 * postgres.js's listen: one dedicated connection for every channel of the
 * pool, which reconnects and LISTENs again by itself; its `onlisten` also
 * runs for the first LISTEN, which is not a reconnection.
 */
export function postgresListen(db: postgres.Sql): Listen {
	return async (channel, notified, relistened) => {
		let first = true;
		const { unlisten } = await db.listen(channel, notified, () => {
			if (first) first = false;
			else relistened();
		});
		return unlisten;
	};
}
