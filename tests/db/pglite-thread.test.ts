// The embedded database on its worker thread, as the app runs it: statements,
// transactions held open by the main thread, calls as a user, errors carried
// across with their SQLSTATE, and a clean close.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, inject, vi } from 'vitest';
import { EmbeddedBackend } from '../../src/lib/server/backend/embedded';
import { openPgliteThread, type EmbeddedDb } from '../../src/lib/server/backend/pglite-thread';
import { ANON, DomainError } from '../../src/lib/server/backend/types';

describe('PGlite on a worker thread', () => {
	let db: EmbeddedDb;
	let backend: EmbeddedBackend;

	beforeAll(async () => {
		db = await openPgliteThread({ loadDataDir: await readFile(inject('pgliteSnapshot')) });
		backend = new EmbeddedBackend(db);
		await db.sql.exec('create table thread_probe (n integer primary key, note jsonb)');
	});
	afterAll(async () => {
		await backend.close();
	});

	it('runs statements with parameters and returns rows with json parsed', async () => {
		const rows = await db.sql.query<{ n: number; j: { a: number[] } }>(`select $1::integer as n, '{"a":[1,2]}'::jsonb as j`, [7]);
		expect(rows).toEqual([{ n: 7, j: { a: [1, 2] } }]);
	});

	it('runs several statements in one batch and returns the last one’s rows, json and jsonb parsed', async () => {
		const rows = await db.batch<{ j: unknown; t: string; k: unknown }>([
			[`select set_config('linyi.probe', $1, true)`, ['x']],
			[`select jsonb_build_object('who', current_setting('linyi.probe')) as j, '{"s":1}'::text as t, '[1]'::json as k`, []]
		]);
		expect(rows).toEqual([{ j: { who: 'x' }, t: '{"s":1}', k: [1] }]);
		// Local to the batch's transaction.
		expect(await db.sql.query(`select current_setting('linyi.probe', true) as v`)).toEqual([{ v: '' }]);
	});

	it('sends each parameter as its type wants: arrays, json, numbers, booleans and nulls', async () => {
		const statement = `select $1::uuid[] as ids, $2::jsonb as doc, $3::integer + 1 as n, not $4::boolean as b, $5::text is null as missing`;
		const args = [['5eed0000-0000-4000-8000-000000000001'], { a: [1, '二'] }, 41, false, null];
		for (let i = 0; i < 2; i++) {
			// The second time from the prepared statement.
			expect(await db.batch([[statement, args]])).toEqual([
				{ ids: ['5eed0000-0000-4000-8000-000000000001'], doc: { a: [1, '二'] }, n: 42, b: true, missing: true }
			]);
		}
	});

	it('commits a transaction the main thread holds open, and rolls one back when its work throws', async () => {
		await db.sql.transaction(async (tx) => {
			await tx.query('insert into thread_probe (n) values (1)');
			await tx.query('insert into thread_probe (n) values (2)');
		});
		await expect(
			db.sql.transaction(async (tx) => {
				await tx.query('insert into thread_probe (n) values (3)');
				throw new Error('changed my mind');
			})
		).rejects.toThrow('changed my mind');
		await expect(
			db.sql.transaction(async (tx) => {
				await tx.query('insert into thread_probe (n) values (4)');
				await tx.query('insert into thread_probe (n) values (1)'); // duplicate key
			})
		).rejects.toMatchObject({ code: '23505' });
		expect(await db.sql.query('select n from thread_probe order by n')).toEqual([{ n: 1 }, { n: 2 }]);
	});

	it('keeps other statements out of an open transaction until it ends', async () => {
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		const tx = db.sql.transaction(async (t) => {
			await t.query('insert into thread_probe (n) values (10)');
			await held;
			await t.query('insert into thread_probe (n) values (11)');
		});
		// Sent while the transaction is open: they run after the commit and see both rows.
		const outside = db.sql.query<{ c: number }>('select count(*)::integer as c from thread_probe where n >= 10');
		const batched = db.batch<{ c: number }>([['select count(*)::integer as c from thread_probe where n >= 10', []]]);
		await new Promise((r) => setTimeout(r, 50));
		release();
		await tx;
		expect(await outside).toEqual([{ c: 2 }]);
		expect(await batched).toEqual([{ c: 2 }]);
	});

	it('calls a function as the caller and carries a refusal across as a DomainError', async () => {
		expect(await backend.call('list_estates', {}, ANON)).toEqual([]);
		const refusal = await backend.call('estate_home', { p_estate_id: '00000000-0000-4000-8000-000000000000' }, ANON).catch((e) => e);
		expect(refusal).toBeInstanceOf(DomainError);
		expect(refusal).toMatchObject({ code: 'P0002', key: 'errors.estate_not_found' });
	});

	it('keeps the caller’s role inside the call: anon cannot read what RLS hides', async () => {
		const refusal = await db
			.batch([
				[`select set_config('role', 'anon', true)`, []],
				['select * from public.profiles', []]
			])
			.catch((e) => e);
		expect(refusal).toMatchObject({ code: '42501' });
		// The next statement runs as the server again.
		expect(await db.sql.query('select current_user as u')).toEqual([{ u: 'postgres' }]);
	});

	it('answers a closed database with an error, not a hang', async () => {
		let reported: Error | undefined;
		const other = await openPgliteThread({ loadDataDir: await readFile(inject('pgliteSnapshot')), onStop: (e) => (reported = e) });
		await other.close();
		// Closing is not dying: the owner hears nothing.
		expect(reported).toBeUndefined();
		await expect(other.sql.query('select 1')).rejects.toThrow('the embedded database has stopped');
		await other.close(); // a second close is harmless
	});

	it('tells its owner once when the thread dies, and refuses what comes after', async () => {
		const reported: Error[] = [];
		const doomed = await openPgliteThread({ loadDataDir: await readFile(inject('pgliteSnapshot')), heapLimitMb: 64, onStop: (e) => reported.push(e) });
		expect(await doomed.sql.query('select 1 as one')).toEqual([{ one: 1 }]);
		// The thread keeps each statement's text it has prepared; 200 KB texts fill a 64 MB heap
		// until V8 ends the thread for want of memory.
		const padding = ' '.repeat(200_000);
		const sent = Array.from({ length: 1000 }, (_, i) => doomed.sql.query(`select ${i} as n${padding}`).catch((e: Error) => e));
		const outcomes = await Promise.all(sent);
		expect(outcomes.at(-1)).toBeInstanceOf(Error);
		await vi.waitFor(() => expect(reported).toHaveLength(1));
		await expect(doomed.sql.query('select 1')).rejects.toThrow('the embedded database has stopped');
		await doomed.close();
		expect(reported).toHaveLength(1);
	});
});
