/**
 * The server's own SQL connection (not as a user): migrations, the demo seed
 * and local auth use it. Both the PGlite and the postgres drivers offer it.
 */
export interface Sql {
	query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
	/** Runs a script of several statements, without parameters. */
	exec(sql: string): Promise<void>;
	transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}
