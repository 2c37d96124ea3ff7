import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, openTestDb, type TestDb } from './harness';

/** private.take_rate_limit (migration 20261203120000): 0 when the request may go on, else the seconds to wait. */
describe.each(DATABASES)('rate limit counters on %s', (name) => {
	let db: TestDb;
	beforeAll(async () => {
		db = await openTestDb(name);
	});
	afterAll(() => db.close());

	const take = async (bucket: string, key: string, limit: number, seconds: number) =>
		(await db.sql.query<{ w: number }>('select private.take_rate_limit($1, $2, $3, $4) as w', [bucket, key, limit, seconds]))[0].w;

	it('lets `limit` requests through in a window, refuses the next with the seconds left, counts each key apart', async () => {
		for (let i = 0; i < 3; i++) expect(await take('sign_in_ip', '203.0.113.1', 3, 600)).toBe(0);
		const wait = await take('sign_in_ip', '203.0.113.1', 3, 600);
		expect(wait).toBeGreaterThan(590);
		expect(wait).toBeLessThanOrEqual(600);
		expect(await take('sign_in_ip', '203.0.113.2', 3, 600)).toBe(0);
		expect(await take('sign_up_ip', '203.0.113.1', 3, 600)).toBe(0);
	});

	it('starts a new window once the last one has ended', async () => {
		for (let i = 0; i < 2; i++) await take('similar_ip', 'window', 1, 600);
		expect(await take('similar_ip', 'window', 1, 600)).toBeGreaterThan(0);
		await db.sql.query(`update private.rate_limits set window_start = window_start - interval '700 seconds', window_end = window_end - interval '700 seconds'`);
		expect(await take('similar_ip', 'window', 1, 600)).toBe(0);
		expect(await take('similar_ip', 'window', 1, 600)).toBeGreaterThan(0);
	});

	it('keeps no address or account in the clear, and removes windows that have ended', async () => {
		await take('sign_in_account', 'someone@example.org', 5, 600);
		const rows = await db.sql.query<{ key_hash: string }>('select key_hash from private.rate_limits');
		expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
		expect(JSON.stringify(rows)).not.toContain('example.org');
		await db.sql.query(`update private.rate_limits set window_start = now() - interval '2 hours', window_end = now() - interval '1 hour'`);
		const before = (await db.sql.query<{ n: number }>('select count(*)::int as n from private.rate_limits'))[0].n;
		expect(before).toBeGreaterThan(1);
		await take('sign_in_ip', 'fresh', 5, 600);
		const left = await db.sql.query<{ n: number }>('select count(*)::int as n from private.rate_limits where window_end < now()');
		expect(left[0].n).toBe(Math.max(0, before - 20));
	});

	it('refuses a limit or window that is not a positive number', async () => {
		await expect(take('sign_in_ip', 'x', 0, 60)).rejects.toThrow('errors.invalid_input');
		await expect(take('sign_in_ip', 'x', 5, 0)).rejects.toThrow('errors.invalid_input');
	});

	it('counts every one of many concurrent calls for one key exactly once', async () => {
		const calls = await Promise.all(Array.from({ length: 60 }, () => take('sign_up_ip', 'concurrent', 25, 600)));
		expect(calls.filter((w) => w === 0)).toHaveLength(25);
		expect(calls.filter((w) => w > 0)).toHaveLength(35);
		const [row] = await db.sql.query<{ hits: number; n: number }>(
			`select max(hits)::int as hits, count(*)::int as n from private.rate_limits where key_hash = encode(extensions.digest('concurrent', 'sha256'), 'hex')`
		);
		expect(row).toEqual({ hits: 60, n: 1 });
	});

	it('is closed to everyone but the server: no grants on the table, the functions only for the service role', async () => {
		for (const role of ['anon', 'authenticated']) {
			const [r] = await db.sql.query<{ t: boolean; f: boolean; p: boolean }>(
				`select has_table_privilege($1, 'private.rate_limits', 'select,insert,update,delete') as t,
				   has_function_privilege($1, 'private.take_rate_limit(text, text, integer, integer)', 'execute') as f,
				   has_function_privilege($1, 'public.take_rate_limit(text, text, integer, integer)', 'execute') as p`,
				[role]
			);
			expect(r, role).toEqual({ t: false, f: false, p: false });
		}
		const [s] = await db.sql.query<{ p: boolean; t: boolean }>(
			`select has_function_privilege('service_role', 'public.take_rate_limit(text, text, integer, integer)', 'execute') as p,
			   has_table_privilege('service_role', 'private.rate_limits', 'select') as t`
		);
		expect(s).toEqual({ p: true, t: false });
	});
});
