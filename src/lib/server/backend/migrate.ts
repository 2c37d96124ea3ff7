import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from './sql';

export const SUPABASE_DIR = path.resolve(process.env.LINYI_SUPABASE_DIR ?? 'supabase');

/**
 * Where versioned SQL lives: supabase/migrations (every mode; the Supabase CLI
 * pushes it) and supabase/local/migrations (local auth, for the embedded and
 * postgres modes only, which are the only ones this runner serves).
 */
export const MIGRATION_DIRS = [path.join(SUPABASE_DIR, 'migrations'), path.join(SUPABASE_DIR, 'local', 'migrations')];

/**
 * The first version of the 0.1 baseline. A database whose ledger holds older
 * versions was built by the development history it replaced and cannot be
 * upgraded in place.
 */
export const BASELINE_VERSION = '20261201000100';

export class MigrationError extends Error {
	override name = 'MigrationError';
}

const FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export interface MigrationFile {
	version: string;
	name: string;
	sql: string;
}

/** Every migration file of the given folders (missing ones are empty), in version order across them. */
export async function readMigrations(dirs: string[] = MIGRATION_DIRS): Promise<MigrationFile[]> {
	const lists = await Promise.all(
		dirs.map(async (dir) => {
			const files = await readdir(dir).catch((e) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
			return Promise.all(
				files
					.filter((f) => f.endsWith('.sql'))
					.map(async (f) => {
						const m = FILE.exec(f);
						if (!m) throw new MigrationError(`Migration file name ${f} must be <14-digit timestamp>_<name>.sql`);
						return { version: m[1], name: m[2], sql: await readFile(path.join(dir, f), 'utf8') };
					})
			);
		})
	);
	const all = lists.flat().sort((a, b) => a.version.localeCompare(b.version));
	for (let i = 1; i < all.length; i++) {
		if (all[i].version === all[i - 1].version) throw new MigrationError(`Two migration files have version ${all[i].version}`);
	}
	return all;
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * One key for every runner of every Linyi server on a database: two servers
 * starting at once take turns instead of both creating the same objects.
 */
const MIGRATION_LOCK = 7_424_950_281;

/** A transaction that first waits for any other runner's transaction on this database to end. */
function lockedTransaction<T>(sql: Sql, fn: (tx: Sql) => Promise<T>): Promise<T> {
	return sql.transaction(async (tx) => {
		await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
		return fn(tx);
	});
}

/** The platform script: what Supabase provides and the migrations expect. Never run on Supabase. */
export async function applyPlatform(sql: Sql, dir = path.join(SUPABASE_DIR, 'platform')) {
	const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
	const scripts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
	// Idempotent, but `create role` and `create table if not exists` still race with a second server.
	await lockedTransaction(sql, async (tx) => {
		for (const script of scripts) await tx.exec(script);
	});
}

type Ledger = Map<string, string>;

async function readLedger(sql: Sql): Promise<Ledger> {
	const rows = await sql.query<{ version: string; statements: string[] | null }>(
		'select version, statements from supabase_migrations.schema_migrations'
	);
	return new Map(rows.map((r) => [r.version, (r.statements ?? []).join('')]));
}

/** Refuses a ledger that does not fit these files: an edited migration, or a database from before the baseline. */
function checkLedger(ledger: Ledger, migrations: MigrationFile[]) {
	const known = new Set(migrations.map((m) => m.version));
	const older = [...ledger.keys()].filter((v) => !known.has(v) && v < BASELINE_VERSION);
	if (older.length > 0) {
		throw new MigrationError(
			`This database was made by a development build from before Linyi 0.1 (migration ${older.sort()[0]}), ` +
				'whose migrations were replaced by one baseline, so it cannot be upgraded. ' +
				'Stop the server and run `npm run reset` (or point DATA_DIR / DATABASE_URL at a new database).'
		);
	}
	for (const m of migrations) {
		const before = ledger.get(m.version);
		if (before !== undefined && digest(before) !== digest(m.sql)) {
			throw new MigrationError(
				`Migration ${m.version}_${m.name}.sql changed after it was applied to this database. ` +
					'Restore the file and add a new migration for the change instead.'
			);
		}
	}
}

/**
 * Applies each migration not yet in supabase_migrations.schema_migrations, in
 * order, each in its own transaction, and records it as the Supabase CLI does.
 * A recorded migration whose file has changed since stops everything: the
 * database no longer matches the code, and guessing would lose data. Each
 * transaction holds the migration lock and looks at the ledger again, so a
 * migration another server applied meanwhile is skipped, not applied twice.
 */
export async function applyMigrations(sql: Sql, files?: MigrationFile[]): Promise<string[]> {
	const migrations = files ?? (await readMigrations());
	const ledger = await readLedger(sql);
	checkLedger(ledger, migrations);
	const done: string[] = [];
	for (const m of migrations.filter((m) => !ledger.has(m.version))) {
		const applied = await lockedTransaction(sql, async (tx) => {
			const now = await tx.query<{ statements: string[] | null }>(
				'select statements from supabase_migrations.schema_migrations where version = $1',
				[m.version]
			);
			if (now.length > 0) {
				checkLedger(new Map([[m.version, (now[0].statements ?? []).join('')]]), [m]);
				return false;
			}
			await tx.exec(m.sql);
			await tx.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
				m.version,
				m.name,
				[m.sql]
			]);
			return true;
		});
		if (applied) done.push(m.version);
	}
	return done;
}

/** Platform, then migrations. Returns the versions applied now. */
export async function migrate(sql: Sql): Promise<string[]> {
	await applyPlatform(sql);
	return applyMigrations(sql);
}
