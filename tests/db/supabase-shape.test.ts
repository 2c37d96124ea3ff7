import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrate, readMigrations, SUPABASE_DIR } from '../../src/lib/server/backend/migrate';
import { openPostgres, postgresSql } from '../../src/lib/server/backend/postgres';
import { withDatabase } from './global-setup';

const url = process.env.TEST_DATABASE_URL;

/** An empty database on the test server, dropped by the returned function. */
async function emptyDatabase(label: string) {
	const name = `linyi_t_${process.pid}_${label}_${randomBytes(4).toString('hex')}`;
	const admin = openPostgres(url!, 1);
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	return {
		url: withDatabase(url!, name),
		async drop() {
			const a = openPostgres(url!, 1);
			await a.unsafe(`drop database if exists ${name} with (force)`);
			await a.end();
		}
	};
}

/**
 * A database shaped like a new Supabase project, as far as the migrations can
 * tell: its roles, schema auth and the CLI's ledger (what supabase/platform
 * recreates, nothing more), schema extensions holding pgcrypto and nothing
 * else, and Supabase's search_path. Then supabase/migrations alone, as
 * `supabase db push` applies them: no local auth, no extension the migrations
 * do not create themselves.
 */
async function supabaseShaped(label: string) {
	const db = await emptyDatabase(label);
	const setup = openPostgres(db.url, 1);
	await setup.unsafe(await readFile(path.join(SUPABASE_DIR, 'platform', '00_platform.sql'), 'utf8'));
	await setup.unsafe(`
		create schema extensions;
		grant usage on schema extensions to anon, authenticated, service_role;
		create extension pgcrypto with schema extensions;
		alter database ${new URL(db.url).pathname.slice(1)} set search_path = "$user", public, extensions;`);
	await setup.end();
	return db;
}

describe.runIf(url)('supabase/migrations on a database shaped like a new Supabase project', () => {
	let db: Awaited<ReturnType<typeof emptyDatabase>>;
	let sql: ReturnType<typeof openPostgres>;
	beforeAll(async () => {
		db = await supabaseShaped('supabase');
		sql = openPostgres(db.url, 2);
	});
	afterAll(async () => {
		await sql?.end();
		await db?.drop();
	});

	it('apply in order, and leave the extensions in schema extensions', async () => {
		const files = await readMigrations([path.join(SUPABASE_DIR, 'migrations')]);
		expect(await applyMigrations(postgresSql(sql), files)).toEqual(files.map((f) => f.version));
		const ext = await sql<{ extname: string; schema: string }[]>`
			select extname, extnamespace::regnamespace::text as schema from pg_extension where extname <> 'plpgsql' order by 1`;
		expect(ext).toEqual([{ extname: 'pgcrypto', schema: 'extensions' }]);
		const [{ path: searchPath }] = await sql<{ path: string }[]>`select current_setting('search_path') as path`;
		expect(searchPath).toBe('"$user", public, extensions');
		// Local auth is not there: Supabase Auth replaces it.
		const [{ t }] = await sql<{ t: string | null }[]>`select to_regclass('auth.local_sessions')::text as t`;
		expect(t).toBeNull();
	});

	it('serve a call as anon the way PostgREST makes it', async () => {
		const rows = await sql.begin(async (tx) => {
			await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`;
			return tx<{ r: unknown }[]>`select public.list_estates() as r`;
		});
		expect(rows[0].r).toEqual([]);
	});
});

describe.runIf(url)('two servers starting at once on one PostgreSQL', () => {
	it('apply each migration once between them', async () => {
		const db = await emptyDatabase('race');
		const a = openPostgres(db.url, 2);
		const b = openPostgres(db.url, 2);
		try {
			const [fromA, fromB] = await Promise.all([migrate(postgresSql(a)), migrate(postgresSql(b))]);
			const all = (await readMigrations()).map((f) => f.version);
			expect([...fromA, ...fromB].sort()).toEqual(all);
			const ledger = await a<{ version: string }[]>`select version from supabase_migrations.schema_migrations order by version`;
			expect(ledger.map((r) => r.version)).toEqual(all);
		} finally {
			await a.end();
			await b.end();
			await db.drop();
		}
	});
});

/**
 * What docs/deploy-supabase.md tells an operator to run, run for real: the
 * Supabase CLI (pinned in devDependencies) reads supabase/config.toml, pushes
 * supabase/migrations with its own statement splitter and ledger, and loads
 * the demo from the seed the config names.
 */
describe.runIf(url)('supabase db push with the Supabase CLI', () => {
	it('applies every migration and the demo to a Supabase-shaped database', async () => {
		const db = await supabaseShaped('cli');
		const sql = openPostgres(db.url, 1);
		try {
			const target = new URL(db.url);
			target.searchParams.set('sslmode', 'disable');
			const cli = path.join(SUPABASE_DIR, '..', 'node_modules', '.bin', 'supabase');
			await promisify(execFile)(cli, ['db', 'push', '--db-url', target.href, '--include-seed', '--yes', '--workdir', path.join(SUPABASE_DIR, '..')], {
				timeout: 240_000,
				env: { ...process.env, DO_NOT_TRACK: '1' }
			});
			const versions = (await readMigrations([path.join(SUPABASE_DIR, 'migrations')])).map((f) => f.version);
			const ledger = await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations order by version`;
			expect(ledger.map((r) => r.version)).toEqual(versions);
			const estates = await sql<{ name: string }[]>`select name from public.estates order by name`;
			expect(estates.map((e) => e.name)).toEqual(['新郭花园', '晋源水岸花苑', '采莲新村']);
		} finally {
			await sql.end();
			await db.drop();
		}
	}, 300_000);
});
