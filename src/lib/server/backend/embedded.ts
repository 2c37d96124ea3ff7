import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { callAsUser, type TxQuery } from './as-user';
import { toDomainError, type Args, type Backend, type Caller } from './types';
import type { Sql } from './sql';

/** PGlite must be reopened with the same extensions it was created with. */
export async function openPglite(dataDir: string | undefined): Promise<PGlite> {
	return PGlite.create({ dataDir, extensions: { pgcrypto, pg_trgm } });
}

/** The server's own connection to PGlite, for migrations, the seed and local auth. */
export function pgliteSql(db: PGlite): Sql {
	return {
		async query<R>(sql: string, params: unknown[] = []) {
			return (await db.query<R>(sql, params)).rows;
		},
		async exec(sql: string) {
			await db.exec(sql);
		},
		async transaction<T>(fn: (tx: Sql) => Promise<T>) {
			return db.transaction(async (tx) =>
				fn({
					query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows,
					exec: async (sql: string) => void (await tx.exec(sql)),
					transaction: () => Promise.reject(new Error('nested transactions are not used'))
				})
			);
		}
	};
}

function asDomainError(e: unknown): unknown {
	const err = e as { code?: string; message?: string; detail?: string };
	return toDomainError(err.code, err.message, err.detail) ?? e;
}

/**
 * The embedded adapter: one PGlite instance per process. PGlite runs one
 * query at a time, so its transactions are already serialised.
 */
export class EmbeddedBackend implements Backend {
	readonly mode = 'embedded' as const;
	readonly sql: Sql;

	constructor(readonly db: PGlite) {
		this.sql = pgliteSql(db);
	}

	async call<T>(fn: string, args: Args, as: Caller): Promise<T> {
		try {
			return await this.sql.transaction((tx: TxQuery) => callAsUser<T>(tx, fn, args, as));
		} catch (e) {
			throw asDomainError(e);
		}
	}

	async close() {
		await this.db.close();
	}
}
