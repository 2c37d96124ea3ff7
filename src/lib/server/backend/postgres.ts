import postgres from 'postgres';
import { callAsUser } from './as-user';
import { toDomainError, type Args, type Backend, type Caller } from './types';
import type { Sql } from './sql';

type Driver = postgres.Sql | postgres.TransactionSql;

function wrap(db: Driver): Sql {
	return {
		async query<R>(sql: string, params: unknown[] = []) {
			return (await db.unsafe(sql, params as postgres.ParameterOrJSON<never>[])) as unknown as R[];
		},
		async exec(sql: string) {
			// Without parameters postgres.js uses the simple protocol, which accepts several statements.
			await db.unsafe(sql);
		},
		async transaction<T>(fn: (tx: Sql) => Promise<T>) {
			if (!('begin' in db)) throw new Error('nested transactions are not used');
			return (await db.begin((tx) => fn(wrap(tx)))) as T;
		}
	};
}

/** Opens a pooled connection; notices (e.g. "already exists, skipping") are not the user's business. */
export function openPostgres(url: string, max = 10): postgres.Sql {
	return postgres(url, { max, onnotice: () => {} });
}

export function postgresSql(db: postgres.Sql): Sql {
	return wrap(db);
}

/** The postgres adapter: any PostgreSQL reached through DATABASE_URL. */
export class PostgresBackend implements Backend {
	readonly mode = 'postgres' as const;
	readonly sql: Sql;

	constructor(readonly db: postgres.Sql) {
		this.sql = wrap(db);
	}

	async call<T>(fn: string, args: Args, as: Caller): Promise<T> {
		try {
			return await this.sql.transaction((tx) => callAsUser<T>(tx, fn, args, as));
		} catch (e) {
			const err = e as { code?: string; message?: string; detail?: string };
			throw toDomainError(err.code, err.message, err.detail) ?? e;
		}
	}

	async close() {
		await this.db.end({ timeout: 5 });
	}
}
