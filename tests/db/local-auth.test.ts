import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { addMembership, createUser, seedWorld, type World } from './fixtures';
import { LocalAuth } from '../../src/lib/server/auth/local';
import type { AuthContext } from '../../src/lib/server/auth/types';

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

/**
 * An account the committee creates for a resident without a phone, and its
 * membership, are one step: a refused enrolment leaves no account behind.
 */
describe.each(DATABASES)('assisted accounts on %s', (name) => {
	let db: TestDb;
	let w: World;
	const ctx = {} as AuthContext;
	const accounts = async (displayName: string) =>
		(await db.sql.query<{ n: number }>(`select count(*)::int as n from auth.users where raw_user_meta_data ->> 'display_name' = $1`, [displayName]))[0].n;

	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
	});
	afterAll(() => db.close());

	it('creates the account and enrols it at the unit, as the committee member', async () => {
		const auth = new LocalAuth(db.sql);
		const unitId = Object.values(w.a.units)[0];
		const account = await auth.createAssistedMember(ctx, { displayName: '张奶奶', createdBy: w.users.committee, estateId: w.a.id, unitId });
		expect(account.loginId).toMatch(/^[A-Z0-9]+$/);
		const [m] = await db.sql.query<{ status: string; unit_id: string }>('select status, unit_id from public.memberships where user_id = $1', [account.userId]);
		expect(m).toEqual({ status: 'verified', unit_id: unitId });
	});

	it('leaves no account when the enrolment is refused', async () => {
		const auth = new LocalAuth(db.sql);
		const otherEstatesUnit = Object.values(w.b.units)[0];
		await expect(
			auth.createAssistedMember(ctx, { displayName: '李爷爷', createdBy: w.users.committee, estateId: w.a.id, unitId: otherEstatesUnit })
		).rejects.toMatchObject({ key: 'errors.unit_not_in_estate' });
		expect(await accounts('李爷爷')).toBe(0);
		// Nor as someone who does not manage the estate.
		await expect(
			auth.createAssistedMember(ctx, { displayName: '李爷爷', createdBy: w.users.resident, estateId: w.a.id, unitId: Object.values(w.a.units)[0] })
		).rejects.toMatchObject({ key: 'errors.forbidden' });
		expect(await accounts('李爷爷')).toBe(0);
	});
});
