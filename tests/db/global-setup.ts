import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { localPglite } from '../../src/lib/server/backend/pglite-thread';
import { migrate } from '../../src/lib/server/backend/migrate';
import { openPostgres, postgresSql } from '../../src/lib/server/backend/postgres';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteSnapshot: string;
		postgresTemplate: string | null;
	}
}

/**
 * Migrates once per run: a PGlite data directory dumped to a file, and, when
 * TEST_DATABASE_URL is set, a template database on the server. Each test file
 * starts from a copy of these, so every file sees a fresh, migrated database.
 */
export default async function setup(project: TestProject) {
	const dir = await mkdtemp(path.join(tmpdir(), 'linyi-test-'));
	// The extensions the app opens PGlite with (pglite-worker.cjs): a data directory must be reopened with them.
	const db = await PGlite.create({ extensions: { pgcrypto } });
	await migrate(localPglite(db).sql);
	const dump = await db.dumpDataDir('none');
	const file = path.join(dir, 'migrated.tar');
	await writeFile(file, Buffer.from(await dump.arrayBuffer()));
	await db.close();
	project.provide('pgliteSnapshot', file);

	let template: string | null = null;
	const url = process.env.TEST_DATABASE_URL;
	if (url) {
		template = `linyi_template_${process.pid}`;
		const admin = openPostgres(url, 1);
		await admin.unsafe(`drop database if exists ${template}`);
		await admin.unsafe(`create database ${template}`);
		const tpl = openPostgres(withDatabase(url, template), 1);
		await migrate(postgresSql(tpl));
		await tpl.end();
		await admin.end();
	}
	project.provide('postgresTemplate', template);

	return async () => {
		await rm(dir, { recursive: true, force: true });
		if (url && template) {
			const admin = openPostgres(url, 1);
			const leftovers = await admin.unsafe<{ datname: string }[]>(
				`select datname from pg_database where datname like 'linyi_t_${process.pid}_%' or datname = '${template}'`
			);
			for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
			await admin.end();
		}
	};
}

export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = `/${database}`;
	return u.toString();
}
