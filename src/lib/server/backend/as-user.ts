import { assertIdentifier, type Args, type Caller } from './types';

/** The least a driver must offer inside one transaction. */
export interface TxQuery {
	query<R = Record<string, unknown>>(sql: string, params: unknown[]): Promise<R[]>;
}

/** The JWT claims PostgREST would put in request.jwt.claims for this caller. */
export function claimsOf(as: Caller) {
	return as.kind === 'user' ? { sub: as.userId, role: 'authenticated', aud: 'authenticated' } : { role: 'anon' };
}

/** The SQL that calls one function with named arguments, as PostgREST does. */
export function callSql(fn: string, args: Args): { sql: string; params: unknown[] } {
	const names = Object.keys(args);
	// Both drivers encode objects and arrays for json/jsonb and array parameters themselves.
	const params = names.map((n) => args[n]);
	const list = names.map((n, i) => `${assertIdentifier(n)} => $${i + 1}`).join(', ');
	return { sql: `select public.${assertIdentifier(fn)}(${list}) as result`, params };
}

/**
 * The two statements that run one function as the caller inside a
 * transaction: the role and claims are transaction-local, exactly as
 * PostgREST sets them, so they end with the transaction and never leak to the
 * next call on the connection.
 */
export function asUserStatements(fn: string, args: Args, as: Caller): [sql: string, params: unknown[]][] {
	const { sql, params } = callSql(fn, args);
	return [
		[
			`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
			[as.kind === 'user' ? 'authenticated' : 'anon', JSON.stringify(claimsOf(as))]
		],
		[sql, params]
	];
}

/** Runs one function as the caller inside an open transaction. */
export async function callAsUser<T>(tx: TxQuery, fn: string, args: Args, as: Caller): Promise<T> {
	let rows: { result: T }[] = [];
	for (const [sql, params] of asUserStatements(fn, args, as)) rows = await tx.query<{ result: T }>(sql, params);
	return rows[0]?.result as T;
}
