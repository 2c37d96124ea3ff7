import type { Me } from '$lib/domain/me';

/** How long a session looked up is taken as it was, without asking the database again. */
export const SESSION_REUSE_MS = 5_000;
/** At most this many sessions are kept for reuse; the oldest goes first. */
const SESSION_REUSE_MAX = 10_000;

/**
 * The user's context (my_context) per session, reused for SESSION_REUSE_MS.
 * A resident reading the board asks for a page every few seconds and the
 * answer rarely changes; any write through this server (forget) drops them
 * all, so that a sign-out, a new role or a verified membership shows on the
 * next page. Changes this server cannot see (another server process, SQL by
 * hand) show within SESSION_REUSE_MS. The database checks every call's
 * rights itself: the context only shapes the page. Both auth adapters use it.
 */
export class RecentContexts {
	private readonly recent = new Map<string, { me: Me; at: number }>();
	/** Bumped by forget: a lookup that began before a write is not kept. */
	private generation = 0;

	constructor(private readonly now: () => number = Date.now) {}

	/** The context kept for this session key, or the one `load` finds (kept when it is a user's). */
	async lookup(key: string, load: () => Promise<Me | null>): Promise<Me | null> {
		const kept = this.recent.get(key);
		if (kept && this.now() - kept.at < SESSION_REUSE_MS) return kept.me;
		const generation = this.generation;
		const at = this.now();
		const me = await load();
		this.recent.delete(key);
		if (me && generation === this.generation) {
			if (this.recent.size >= SESSION_REUSE_MAX) this.recent.delete(this.recent.keys().next().value!);
			this.recent.set(key, { me: Object.freeze(me), at });
		}
		return me;
	}

	forget() {
		this.recent.clear();
		this.generation++;
	}
}
