import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, BASELINE_VERSION, migrate, readMigrations, MigrationError } from '../../src/lib/server/backend/migrate';
import { DATABASES, openTestDb, type TestDb } from './harness';

describe.each(DATABASES)('migrations on %s', (name) => {
	let db: TestDb;
	beforeAll(async () => {
		db = await openTestDb(name);
	});
	afterAll(() => db.close());

	it('records every migration file in the ledger the Supabase CLI keeps', async () => {
		const files = await readMigrations();
		const rows = await db.sql.query<{ version: string; name: string }>(
			'select version, name from supabase_migrations.schema_migrations order by version'
		);
		expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
		expect(rows.map((r) => r.name)).toEqual(files.map((f) => f.name));
	});

	it('re-running platform and migrations is a no-op', async () => {
		const before = await db.sql.query('select count(*)::int as n from pg_proc');
		expect(await migrate(db.sql)).toEqual([]);
		const after = await db.sql.query('select count(*)::int as n from pg_proc');
		expect(after).toEqual(before);
	});

	it('stops with a clear message when an applied migration file has changed', async () => {
		const files = await readMigrations();
		const changed = files.map((f, i) => (i === 1 ? { ...f, sql: f.sql + '\n-- edited' } : f));
		await expect(applyMigrations(db.sql, changed)).rejects.toThrow(MigrationError);
		await expect(applyMigrations(db.sql, changed)).rejects.toThrow(/changed after it was applied/);
	});

	it('applies the local-auth migrations with the others, in version order', async () => {
		const files = await readMigrations();
		expect(files.map((f) => f.version)).toEqual([...files.map((f) => f.version)].sort());
		expect(files.some((f) => f.name === 'create_local_auth')).toBe(true);
		const r = await db.sql.query<{ t: string }>("select to_regclass('auth.local_sessions')::text as t");
		expect(r[0].t).toBe('auth.local_sessions');
	});

	it('refuses, with what to do, a database made before the 0.1 baseline', async () => {
		await db.sql.query("insert into supabase_migrations.schema_migrations (version, name, statements) values ('20261128000100', 'create_private_helpers', '{}')");
		try {
			await expect(applyMigrations(db.sql)).rejects.toThrow(/before Linyi 0\.1.*npm run reset/);
		} finally {
			await db.sql.query("delete from supabase_migrations.schema_migrations where version = '20261128000100'");
		}
		expect((await readMigrations())[0].version).toBe(BASELINE_VERSION);
	});

	it('applies a new migration once, in a transaction, and rolls a failing one back', async () => {
		const files = await readMigrations();
		const extra = { version: '29990101000000', name: 'add_probe', sql: 'create table public.probe_ok (id int);' };
		expect(await applyMigrations(db.sql, [...files, extra])).toEqual(['29990101000000']);
		expect(await applyMigrations(db.sql, [...files, extra])).toEqual([]);
		const broken = { version: '29990101000001', name: 'broken', sql: 'create table public.probe_bad (id int); select 1/0;' };
		await expect(applyMigrations(db.sql, [...files, extra, broken])).rejects.toThrow();
		const left = await db.sql.query("select to_regclass('public.probe_bad') as t");
		expect(left[0]).toEqual({ t: null });
		const ledger = await db.sql.query("select 1 from supabase_migrations.schema_migrations where version = '29990101000001'");
		expect(ledger).toHaveLength(0);
		await db.sql.exec('drop table public.probe_ok');
	});

	it('defines auth.uid() as Supabase does, empty setting included', async () => {
		const r = await db.sql.transaction(async (tx) => {
			await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: '00000000-0000-4000-8000-000000000001', role: 'authenticated' })]);
			return tx.query<{ uid: string; role: string; jwt: unknown }>('select auth.uid() as uid, auth.role() as role, auth.jwt() as jwt');
		});
		expect(r[0].uid).toBe('00000000-0000-4000-8000-000000000001');
		expect(r[0].role).toBe('authenticated');
		// After the transaction the setting reads back as '' — auth.uid() must still answer, with null.
		const after = await db.sql.query<{ uid: string | null }>('select auth.uid() as uid, auth.jwt() as jwt');
		expect(after[0].uid).toBeNull();
	});
});
