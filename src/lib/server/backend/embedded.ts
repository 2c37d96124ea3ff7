import { asUserStatements } from './as-user';
import { toDomainError, type Args, type Backend, type Caller } from './types';
import type { Sql } from './sql';
import type { EmbeddedDb } from './pglite-thread';

function asDomainError(e: unknown): unknown {
	const err = e as { code?: string; message?: string; detail?: string };
	return toDomainError(err.code, err.message, err.detail) ?? e;
}

/**
 * The embedded adapter: one PGlite per process, on its own thread when the
 * app runs (openPgliteThread) or on the caller's in tests (localPglite).
 * PGlite runs one query at a time, so its transactions are already serialised.
 */
export class EmbeddedBackend implements Backend {
	readonly mode = 'embedded' as const;
	readonly sql: Sql;

	constructor(private readonly db: EmbeddedDb) {
		this.sql = db.sql;
	}

	async call<T>(fn: string, args: Args, as: Caller): Promise<T> {
		try {
			// One message for the whole call: its two statements run in one transaction.
			const rows = await this.db.batch<{ result: T }>(asUserStatements(fn, args, as));
			return rows[0]?.result as T;
		} catch (e) {
			throw asDomainError(e);
		}
	}

	/** LISTENs to a channel for the live port (the thread relays each NOTIFY); PGlite has one connection, which never drops. */
	listen(channel: string, notified: () => void): Promise<() => Promise<void>> {
		return this.db.listen(channel, () => notified());
	}

	async close() {
		await this.db.close();
	}
}
