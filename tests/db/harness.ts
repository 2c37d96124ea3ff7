import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { EmbeddedBackend } from '../../src/lib/server/backend/embedded';
import { localPglite } from '../../src/lib/server/backend/pglite-thread';
import { PostgresBackend, openPostgres } from '../../src/lib/server/backend/postgres';
import type { Backend } from '../../src/lib/server/backend/types';
import type { Sql } from '../../src/lib/server/backend/sql';
import { withDatabase } from './global-setup';

export interface TestDb {
	name: 'pglite' | 'postgres';
	backend: Backend & { sql: Sql };
	/** The server's own connection: superuser, bypasses RLS. For fixtures and checks. */
	sql: Sql;
	close(): Promise<void>;
}

/** A fresh PGlite from the migrated snapshot. */
export async function freshPglite(): Promise<TestDb> {
	const tar = await readFile(inject('pgliteSnapshot'));
	const db = await PGlite.create({ loadDataDir: new Blob([tar]), extensions: { pgcrypto } });
	const backend = new EmbeddedBackend(localPglite(db));
	return { name: 'pglite', backend, sql: backend.sql, close: () => backend.close() };
}

/** A fresh PostgreSQL database cloned from the migrated template, when TEST_DATABASE_URL is set. */
export async function freshPostgres(): Promise<TestDb | null> {
	const url = process.env.TEST_DATABASE_URL;
	const template = inject('postgresTemplate');
	if (!url || !template) return null;
	// Copies carry the run's id, so that concurrent runs on one server clean up only their own.
	const name = `${template.replace('linyi_template_', 'linyi_t_')}_${randomBytes(6).toString('hex')}`;
	const admin = openPostgres(url, 1);
	await admin.unsafe(`create database ${name} template ${template}`);
	await admin.end();
	const backend = new PostgresBackend(openPostgres(withDatabase(url, name), 4));
	return {
		name: 'postgres',
		backend,
		sql: backend.sql,
		async close() {
			await backend.close();
			const a = openPostgres(url, 1);
			await a.unsafe(`drop database if exists ${name} with (force)`);
			await a.end();
		}
	};
}

/** The databases every db test runs on: PGlite always, PostgreSQL when configured. */
export const DATABASES: Array<'pglite' | 'postgres'> = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function openTestDb(name: 'pglite' | 'postgres'): Promise<TestDb> {
	if (name === 'pglite') return freshPglite();
	const db = await freshPostgres();
	if (!db) throw new Error('TEST_DATABASE_URL is not set');
	return db;
}
