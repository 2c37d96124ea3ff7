import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from './sql';

export const SUPABASE_DIR = path.resolve(process.env.LINYI_SUPABASE_DIR ?? 'supabase');

export class MigrationError extends Error {
	override name = 'MigrationError';
}

const FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export interface MigrationFile {
	version: string;
	name: string;
	sql: string;
}

export async function readMigrations(dir = path.join(SUPABASE_DIR, 'migrations')): Promise<MigrationFile[]> {
	const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
	return Promise.all(
		files.map(async (f) => {
			const m = FILE.exec(f);
			if (!m) throw new MigrationError(`Migration file name ${f} must be <14-digit timestamp>_<name>.sql`);
			return { version: m[1], name: m[2], sql: await readFile(path.join(dir, f), 'utf8') };
		})
	);
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

/** The platform script: what Supabase provides and the migrations expect. Never run on Supabase. */
export async function applyPlatform(sql: Sql, dir = path.join(SUPABASE_DIR, 'platform')) {
	for (const f of (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()) {
		await sql.exec(await readFile(path.join(dir, f), 'utf8'));
	}
}

/**
 * Applies each migration not yet in supabase_migrations.schema_migrations, in
 * order, each in its own transaction, and records it as the Supabase CLI does.
 * A recorded migration whose file has changed since stops everything: the
 * database no longer matches the code, and guessing would lose data.
 */
export async function applyMigrations(sql: Sql, files?: MigrationFile[]): Promise<string[]> {
	const migrations = files ?? (await readMigrations());
	const applied = new Map(
		(await sql.query<{ version: string; statements: string[] | null }>(
			'select version, statements from supabase_migrations.schema_migrations'
		)).map((r) => [r.version, (r.statements ?? []).join('')])
	);
	const done: string[] = [];
	for (const m of migrations) {
		const before = applied.get(m.version);
		if (before !== undefined) {
			if (digest(before) !== digest(m.sql)) {
				throw new MigrationError(
					`Migration ${m.version}_${m.name}.sql changed after it was applied to this database. ` +
						'Restore the file and add a new migration for the change instead.'
				);
			}
			continue;
		}
		await sql.transaction(async (tx) => {
			await tx.exec(m.sql);
			await tx.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
				m.version,
				m.name,
				[m.sql]
			]);
		});
		done.push(m.version);
	}
	return done;
}

/** Platform, then migrations. Returns the versions applied now. */
export async function migrate(sql: Sql): Promise<string[]> {
	await applyPlatform(sql);
	return applyMigrations(sql);
}
