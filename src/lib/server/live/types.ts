/**
 * Where the changes of live topics come from: the database's notifications
 * (embedded and postgres modes) or Supabase Realtime broadcasts. The hub
 * (hub.ts) follows each topic that has viewers once, through its source, and
 * relays every change to all of that topic's viewers.
 */
export interface LiveSource {
	/**
	 * Follows one topic: `changed` runs after each change with the topic's new
	 * payload, computed (or received) once for all viewers. Resolves once the
	 * topic is followed, with the function that stops following it.
	 */
	follow(topic: string, changed: (payload: unknown) => void): Promise<() => Promise<void>>;
	/** The topic's current payload, the same for everyone who may follow it. */
	payload(topic: string): Promise<unknown>;
	close(): Promise<void>;
}

/** Why a browser is not let in to a live topic (besides the SQL function's own refusal). */
export class LiveRefusal extends Error {
	override name = 'LiveRefusal';
	constructor(
		readonly status: 429 | 503,
		readonly key: 'errors.live_too_many' | 'errors.live_unavailable'
	) {
		super(key);
	}
}
