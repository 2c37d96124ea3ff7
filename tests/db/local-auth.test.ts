import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { addMembership, createUser, seedWorld, type World } from './fixtures';

/**
 * auth.local_session_context: the hook's one statement per request in the
 * embedded and postgres modes — the session's user and their my_context,
 * computed as that user under row level security, leaving nothing behind on
 * the server's connection.
 */
describe.each(DATABASES)('local session context on %s', (name) => {
	let db: TestDb;
	let w: World;
	let userId: string;

	const context = async (hash: string) =>
		(await db.sql.query<{ me: unknown }>('select auth.local_session_context($1) as me', [hash]))[0].me;
	const session = (hash: string, user: string, expires: string) =>
		db.sql.query(`insert into auth.local_sessions (token_hash, user_id, expires_at) values ($1, $2, now() + $3::interval)`, [hash, user, expires]);

	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		userId = await createUser(db, '会话居民');
		await addMembership(db, { estateId: w.a.id, userId, status: 'verified', roles: ['volunteer'] });
		await session('valid-hash', userId, '1 day');
		await session('expired-hash', userId, '-1 minute');
	});
	afterAll(async () => {
		await db.close();
	});

	it('gives the user’s context, the same as my_context called as that user', async () => {
		const asUser = await db.backend.call('my_context', {}, { kind: 'user', userId });
		expect(await context('valid-hash')).toEqual(asUser);
		expect(asUser).toMatchObject({ user_id: userId, display_name: '会话居民', memberships: [{ estate_id: w.a.id, roles: ['volunteer'] }] });
	});

	it('gives nothing for an expired or unknown session, or a banned user', async () => {
		expect(await context('expired-hash')).toBeNull();
		expect(await context('no-such-hash')).toBeNull();
		const banned = await createUser(db, '停用');
		await session('banned-hash', banned, '1 day');
		await db.sql.query(`update auth.users set banned_until = now() + interval '1 day' where id = $1`, [banned]);
		expect(await context('banned-hash')).toBeNull();
	});

	it('leaves the server’s connection as it was: its own role, no claims', async () => {
		await context('valid-hash');
		expect(await db.sql.query(`select current_user::text as role, auth.uid() as uid`)).toEqual([{ role: expect.not.stringMatching(/^(authenticated|anon)$/), uid: null }]);
	});
});
