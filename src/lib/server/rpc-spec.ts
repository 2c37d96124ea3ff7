/**
 * The building blocks of the RPC map (rpc.ts): each SQL function's named
 * arguments with their SQL types, which is both what TypeScript checks at
 * every call and what tests/db/rpc.test.ts checks against pg_proc, and the
 * type of what the function returns.
 */

/** One named argument: its SQL type as format_type prints it, and whether the function gives it a default. */
export interface Arg<T, Optional extends boolean = boolean> {
	readonly sql: string;
	readonly optional: Optional;
	/** Type only: what TypeScript passes for it. */
	readonly __type?: T;
}

interface Required<T> extends Arg<T, false> {
	/** The same argument, with a default in SQL: it may be left out. */
	readonly opt: Arg<T, true>;
}

function arg<T>(sql: string): Required<T> {
	return { sql, optional: false, opt: { sql, optional: true } };
}

/** The SQL types the functions take. */
export const sqlType = {
	uuid: arg<string>('uuid'),
	text: arg<string>('text'),
	boolean: arg<boolean>('boolean'),
	integer: arg<number>('integer'),
	// Ids past 2^53 stay exact as text.
	bigint: arg<string | number>('bigint'),
	smallint: arg<number>('smallint'),
	numeric: arg<number>('numeric'),
	jsonb: arg<unknown>('jsonb'),
	timestamptz: arg<string>('timestamp with time zone'),
	// A calendar day as YYYY-MM-DD.
	date: arg<string>('date'),
	smallints: arg<number[]>('smallint[]'),
	texts: arg<string[]>('text[]'),
	uuids: arg<string[]>('uuid[]')
};

export type Spec = Record<string, Arg<unknown>>;

type RequiredKeys<S extends Spec> = { [K in keyof S]: S[K] extends Arg<unknown, false> ? K : never }[keyof S];
type OptionalKeys<S extends Spec> = Exclude<keyof S, RequiredKeys<S>>;
// SQL passes null for any argument: required means it must be named, not that it cannot be null.
type ValueOf<A> = A extends Arg<infer T> ? T | null : never;

/** The arguments object a spec asks for: required ones must be there, defaulted ones may be left out. */
export type ArgsOf<S extends Spec> = { [K in RequiredKeys<S>]: ValueOf<S[K]> } & { [K in OptionalKeys<S>]?: ValueOf<S[K]> };

/** A function of the map: its argument spec at run time, its argument and result types for TypeScript. */
export interface RpcFunction<S extends Spec, R> {
	readonly args: S;
	/** Type only: there is no such property at run time. */
	readonly __result: R;
}

/** Declares a function: `fn({ p_id: sqlType.uuid }).returns<Detail>()`. */
export function fn<S extends Spec>(args: S) {
	return { returns: <R>() => ({ args }) as RpcFunction<S, R> };
}
