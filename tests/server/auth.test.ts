import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as signUp from '../../src/routes/auth/sign-up/+page.server';
import * as signIn from '../../src/routes/auth/sign-in/+page.server';
import * as signOut from '../../src/routes/auth/sign-out/+page.server';
import * as setup from '../../src/routes/auth/setup/+page.server';
import * as members from '../../src/routes/estates/[id=uuid]/manage/members/+page.server';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookies';
import { LocalAuth, SESSION_REUSE_MS } from '../../src/lib/server/auth/local';
import type { Sql } from '../../src/lib/server/backend/sql';
import type { AuthContext } from '../../src/lib/server/auth/types';
import {
	DEMO,
	JINYUAN,
	count,
	expectData,
	expectFailure,
	expectNoWrite,
	expectRedirect,
	openTestRuntime,
	request,
	signInToken,
	whoIs,
	type Exchange,
	type TestRuntime
} from './harness';

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const GOOD_PASSWORD = 'quiet-lane-4821';

function sessionOf(x: Exchange) {
	const c = x.cookies.get(SESSION_COOKIE);
	expect(c, 'a session cookie').toBeDefined();
	return c!;
}

async function userByIdentifier(identifier: string) {
	const rows = await rt.sql.query<{ id: string; email: string | null; phone: string | null; display_name: string; locale: string }>(
		`select u.id, u.email, u.phone, p.display_name, p.locale from auth.users u join public.profiles p on p.id = u.id
		 where lower(u.email) = lower($1) or u.phone = $1`,
		[identifier]
	);
	return rows[0];
}

describe('auth/sign-up', () => {
	const post = (form: Record<string, string>, url = '/auth/sign-up', cookies?: Record<string, string>) =>
		request({ url, form, cookies }, signUp.actions.default);

	it('signs up with an email: a user and profile, signed in with an httpOnly SameSite=Lax cookie, not Secure on localhost', async () => {
		const users = await count('auth.users');
		const x = await post({ display_name: '  新邻居 小张 ', identifier: 'xiaozhang@example.org', password: GOOD_PASSWORD });
		expectRedirect(x, '/me');
		expect(await count('auth.users')).toBe(users + 1);
		const u = await userByIdentifier('xiaozhang@example.org');
		expect(u).toMatchObject({ email: 'xiaozhang@example.org', phone: null, display_name: '新邻居 小张', locale: 'zh-CN' });

		const cookie = sessionOf(x);
		expect(cookie.options).toMatchObject({ path: '/', httpOnly: true, sameSite: 'lax', secure: false, maxAge: 30 * 24 * 3600 });
		expect(cookie.header).toMatch(/HttpOnly/);
		expect(cookie.header).toMatch(/SameSite=Lax/);
		expect(cookie.header).not.toMatch(/Secure/);
		expect(await whoIs(cookie.value)).toBe(u.id);
	});

	it('signs up with a mobile number over https: the cookie is Secure, the language comes from the locale cookie', async () => {
		const x = await post(
			{ display_name: '王老伯', identifier: '13800138000', password: GOOD_PASSWORD },
			'https://example.org/auth/sign-up?next=/estates',
			{ linyi_locale: 'en' }
		);
		expectRedirect(x, '/estates');
		const u = await userByIdentifier('13800138000');
		expect(u).toMatchObject({ email: null, phone: '13800138000', display_name: '王老伯', locale: 'en' });
		const cookie = sessionOf(x);
		expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: true });
		expect(cookie.header).toMatch(/; Secure/);
		expect(await whoIs(cookie.value)).toBe(u.id);
		// The new account signs in with its number.
		expect(await whoIs(await signInToken('13800138000', GOOD_PASSWORD))).toBe(u.id);
	});

	it('sends a signed-in visitor of the sign-up page on, and never off the site', async () => {
		expectRedirect(await request({ url: '/auth/sign-up', as: 'resident@demo.linyi.org' }, signUp.load), '/me');
		expectRedirect(await request({ url: '/auth/sign-up?next=//evil.example', as: 'resident@demo.linyi.org' }, signUp.load), '/me');
		expectRedirect(await request({ url: '/auth/sign-up?next=/estates', as: 'resident@demo.linyi.org' }, signUp.load), '/estates');
		const data = expectData(await request({ url: '/auth/sign-up' }, signUp.load));
		expect(data.form.data).toMatchObject({ display_name: '', identifier: '', password: '' });
	});

	it('stores script and SQL in a name as plain text', async () => {
		const name = `<script>x</script>'); drop table x;--`;
		expect(name.length).toBeLessThanOrEqual(40);
		const x = await post({ display_name: name, identifier: 'bobby@example.org', password: GOOD_PASSWORD });
		expectRedirect(x, '/me');
		expect((await userByIdentifier('bobby@example.org')).display_name).toBe(name);
		expect(await count('public.profiles')).toBeGreaterThan(10);
	});

	const bad: Array<[string, Record<string, string>, number, Record<string, string>]> = [
		['an empty form', { display_name: '', identifier: '', password: '' }, 400, { display_name: 'errors.required', identifier: 'errors.required', password: 'errors.password_short' }],
		['a name of 41 characters', { display_name: '张'.repeat(41), identifier: 'long@example.org', password: GOOD_PASSWORD }, 400, { display_name: 'errors.too_long' }],
		['a mobile number of 12 digits', { display_name: '小李', identifier: '138001380001', password: GOOD_PASSWORD }, 400, { identifier: 'errors.identifier_invalid' }],
		['something that is neither phone nor email', { display_name: '小李', identifier: 'xiaoli', password: GOOD_PASSWORD }, 400, { identifier: 'errors.identifier_invalid' }],
		['a common password', { display_name: '小李', identifier: 'xiaoli@example.org', password: '12345678' }, 400, { password: 'errors.password_common' }],
		['a common password in capitals', { display_name: '小李', identifier: 'xiaoli@example.org', password: 'PASSWORD123' }, 400, { password: 'errors.password_common' }],
		['a short password', { display_name: '小李', identifier: 'xiaoli@example.org', password: 'k9#mQ2' }, 400, { password: 'errors.password_short' }],
		['a password over bcrypt’s 72 bytes', { display_name: '小李', identifier: 'xiaoli@example.org', password: 'x'.repeat(73) }, 400, { password: 'errors.password_long' }],
		['an email already taken', { display_name: '冒名', identifier: 'resident@demo.linyi.org', password: GOOD_PASSWORD }, 409, { identifier: 'auth.identifier_taken' }],
		['an email already taken, in other capitals', { display_name: '冒名', identifier: 'Resident@Demo.Linyi.org', password: GOOD_PASSWORD }, 409, { identifier: 'auth.identifier_taken' }]
	];
	it.each(bad)('refuses %s beside the field, writing nothing', async (_what, form, status, errors) => {
		const x = await expectNoWrite(() => post(form));
		const data = expectFailure(x, status, errors);
		expect(x.cookies.has(SESSION_COOKIE)).toBe(false);
		// The password never travels back to the browser once the server has looked at it.
		if (status === 409) expect(data.form.data.password).toBe('');
	});

	it('does not send a password back when another field is wrong', async () => {
		const data = expectFailure(await post({ display_name: '小李', identifier: 'not-an-identifier', password: GOOD_PASSWORD }), 400, {
			identifier: 'errors.identifier_invalid'
		});
		expect(data.form.data.password).toBe('');
	});

	it('signs up an identifier that earlier failed sign-in five times without a 500', async () => {
		for (let i = 0; i < 5; i++) {
			await request({ url: '/auth/sign-in', form: { identifier: 'future@example.org', password: `guess-${i}-0000` } }, signIn.actions.default);
		}
		const x = await post({ display_name: '新人', identifier: 'future@example.org', password: GOOD_PASSWORD });
		expect(['redirect', 'failure']).toContain(x.outcome.kind);
		if (x.outcome.kind === 'failure') expect(x.outcome.status).toBeLessThan(500);
	});

	it('refuses a mobile number already taken', async () => {
		expectRedirect(await post({ display_name: '甲', identifier: '13900139000', password: GOOD_PASSWORD }), '/me');
		const x = await expectNoWrite(() => post({ display_name: '乙', identifier: '13900139000', password: GOOD_PASSWORD }));
		expectFailure(x, 409, { identifier: 'auth.identifier_taken' });
	});
});

describe('auth/sign-in', () => {
	const post = (form: Record<string, string>, url = '/auth/sign-in') => request({ url, form }, signIn.actions.default);
	const RESIDENT = DEMO['resident@demo.linyi.org'];

	it('signs in a demo account and sends it to ?next, a new session token every time', async () => {
		const first = await post({ identifier: 'resident@demo.linyi.org', password: RESIDENT.password }, '/auth/sign-in?next=/estates/' + JINYUAN);
		expectRedirect(first, `/estates/${JINYUAN}`);
		const second = await post({ identifier: 'RESIDENT@demo.linyi.org', password: RESIDENT.password });
		expectRedirect(second, '/me');
		const [a, b] = [sessionOf(first), sessionOf(second)];
		expect(a.value).not.toBe(b.value);
		expect(a.value.length).toBeGreaterThanOrEqual(43);
		expect(a.options).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: false });
		// Both devices stay signed in, and only hashes are stored.
		expect(await whoIs(a.value)).toBe(RESIDENT.id);
		expect(await whoIs(b.value)).toBe(RESIDENT.id);
		expect(await count('auth.local_sessions', 'token_hash in ($1, $2)', [a.value, b.value])).toBe(0);
	});

	it('never redirects off the site after signing in', async () => {
		const x = await post({ identifier: 'resident@demo.linyi.org', password: RESIDENT.password }, '/auth/sign-in?next=//evil.example/x');
		expectRedirect(x, '/me');
	});

	it('refuses a wrong password with a form-level message, opening no session', async () => {
		const attempts = await count('auth.sign_in_attempts');
		const x = await expectNoWrite(() => post({ identifier: 'owner@demo.linyi.org', password: 'not-the-password' }));
		const data = expectFailure(x, 400, { _errors: 'auth.invalid_credentials' });
		expect(data.form.data.password).toBe('');
		expect(x.cookies.has(SESSION_COOKIE)).toBe(false);
		expect(await count('auth.sign_in_attempts')).toBe(attempts + 1);
	});

	it('refuses an empty form beside the fields', async () => {
		const x = await expectNoWrite(() => post({ identifier: '', password: '' }));
		expectFailure(x, 400, { identifier: 'errors.required', password: 'errors.required' });
	});

	it('locks an identifier after five failures, even against the right password', async () => {
		expectRedirect(await request({ url: '/auth/sign-up', form: { display_name: '锁', identifier: 'lockme@example.org', password: GOOD_PASSWORD } }, signUp.actions.default), '/me');
		for (let i = 1; i <= 4; i++) {
			expectFailure(await post({ identifier: 'lockme@example.org', password: `wrong-${i}-password` }), 400, { _errors: 'auth.invalid_credentials' });
		}
		expectFailure(await post({ identifier: 'lockme@example.org', password: 'wrong-5-password' }), 429, { _errors: 'auth.locked' });
		const x = await expectNoWrite(() => post({ identifier: 'LockMe@example.org', password: GOOD_PASSWORD }));
		expectFailure(x, 429, { _errors: 'auth.locked' });
		expect(x.cookies.has(SESSION_COOKIE)).toBe(false);
		// Another account is not affected.
		expectRedirect(await post({ identifier: 'owner@demo.linyi.org', password: DEMO['owner@demo.linyi.org'].password }), '/me');
	});

	it('sends a signed-in visitor of the sign-in page on', async () => {
		expectRedirect(await request({ url: '/auth/sign-in?next=/settings', as: 'owner@demo.linyi.org' }, signIn.load), '/settings');
		const data = expectData(await request({ url: '/auth/sign-in?check_email=1' }, signIn.load));
		expect(data.checkEmail).toBe(true);
	});
});

describe('auth/sign-out', () => {
	const VOLUNTEER = DEMO['volunteer@demo.linyi.org'];
	const out = (token: string, form: Record<string, string> = {}) =>
		request({ url: '/auth/sign-out', as: { token }, form }, signOut.actions.default);

	it('ends this device’s session only', async () => {
		const here = await signInToken('volunteer@demo.linyi.org', VOLUNTEER.password);
		const there = await signInToken('volunteer@demo.linyi.org', VOLUNTEER.password);
		const x = await out(here);
		expectRedirect(x, '/');
		expect(x.cookies.get(SESSION_COOKIE)).toMatchObject({ value: '', options: { maxAge: 0, path: '/' } });
		expect(await whoIs(here)).toBeNull();
		expect(await whoIs(there)).toBe(VOLUNTEER.id);
	});

	it('with everywhere=1 ends every session of the account, and no one else’s', async () => {
		const here = await signInToken('volunteer@demo.linyi.org', VOLUNTEER.password);
		const there = await signInToken('volunteer@demo.linyi.org', VOLUNTEER.password);
		const other = await signInToken('party@demo.linyi.org', DEMO['party@demo.linyi.org'].password);
		expectRedirect(await out(here, { everywhere: '1' }), '/');
		expect(await whoIs(here)).toBeNull();
		expect(await whoIs(there)).toBeNull();
		expect(await count('auth.local_sessions', 'user_id = $1', [VOLUNTEER.id])).toBe(0);
		expect(await whoIs(other)).toBe(DEMO['party@demo.linyi.org'].id);
	});

	it('clears a stale cookie when the session has ended', async () => {
		const token = await signInToken('volunteer@demo.linyi.org', VOLUNTEER.password);
		await out(token);
		const x = await request({ url: '/', as: { token } }, () => null);
		expect(x.event.locals.me).toBeNull();
		expect(x.cookies.get(SESSION_COOKIE)?.options.maxAge).toBe(0);
	});

	it('the page itself only redirects home', async () => {
		expectRedirect(await request({ url: '/auth/sign-out' }, signOut.load), '/');
	});
});

describe('sessions reused between requests', () => {
	const VOLUNTEER = DEMO['volunteer@demo.linyi.org'];
	const LOOKUP = 'select auth.local_session_context($1) as me';

	/** Runs fn, counting the session lookups it makes. */
	async function lookups(fn: () => Promise<unknown>) {
		let n = 0;
		const real = rt.sql.query.bind(rt.sql);
		rt.sql.query = ((text: string, params?: unknown[]) => {
			if (text === LOOKUP) n++;
			return real(text, params);
		}) as typeof rt.sql.query;
		try {
			await fn();
		} finally {
			rt.sql.query = real;
		}
		return n;
	}
	const nameSeen = async (token: string) => (await request({ url: '/', as: { token } }, () => null)).event.locals.me?.display_name;

	it('takes a page’s session as the last page looked it up, until a write goes through the server', async () => {
		const token = await signInToken('volunteer@demo.linyi.org', VOLUNTEER.password);
		const [{ name }] = await rt.sql.query<{ name: string }>('select display_name as name from public.profiles where id = $1', [VOLUNTEER.id]);
		expect(await lookups(() => whoIs(token))).toBe(1);
		expect(await lookups(() => whoIs(token))).toBe(0);
		try {
			// A change this server did not make (SQL by hand, another server process) shows within SESSION_REUSE_MS ...
			await rt.sql.query('update public.profiles set display_name = $2 where id = $1', [VOLUNTEER.id, '志愿者小王']);
			expect(await nameSeen(token)).toBe(name);
			// ... and at once after any write through this one: a failed sign-in is enough.
			expectFailure(await request({ url: '/auth/sign-in', form: { identifier: 'nobody@example.org', password: 'wrong-password-1' } }, signIn.actions.default), 400);
			expect(await lookups(async () => expect(await nameSeen(token)).toBe('志愿者小王'))).toBe(1);
		} finally {
			await rt.sql.query('update public.profiles set display_name = $2 where id = $1', [VOLUNTEER.id, name]);
		}
	});

	it('ends a session at sign-out even right after a page used it', async () => {
		const token = await signInToken('volunteer@demo.linyi.org', VOLUNTEER.password);
		expect(await whoIs(token)).toBe(VOLUNTEER.id);
		expectRedirect(await request({ url: '/auth/sign-out', as: { token }, form: {} }, signOut.actions.default), '/');
		expect(await whoIs(token)).toBeNull();
	});

	describe('LocalAuth on its own', () => {
		const me = { user_id: 'u1', display_name: '甲', locale: 'zh-CN', is_admin: false, memberships: [] };
		const ctx = { cookies: { get: () => 'token', delete: () => {}, set: () => {} }, url: new URL('http://localhost/'), userAgent: null } as unknown as AuthContext;
		function fakeSql(answer: () => Promise<unknown>) {
			const sql = { queries: 0, query: async () => (sql.queries++, [{ me: await answer() }]) };
			return sql;
		}

		it('looks the session up again once SESSION_REUSE_MS have passed', async () => {
			let now = 1_000_000;
			const sql = fakeSql(async () => me);
			const auth = new LocalAuth(sql as unknown as Sql, () => now);
			expect(await auth.currentUser(ctx)).toEqual({ id: 'u1', me });
			now += SESSION_REUSE_MS - 1;
			await auth.currentUser(ctx);
			expect(sql.queries).toBe(1);
			now += 1;
			await auth.currentUser(ctx);
			expect(sql.queries).toBe(2);
		});

		it('keeps no lookup that began before a write, nor a session that has ended', async () => {
			let answer: (v: unknown) => void = () => {};
			const sql = fakeSql(() => new Promise((r) => (answer = r)));
			const auth = new LocalAuth(sql as unknown as Sql);
			const first = auth.currentUser(ctx);
			auth.forgetSessions();
			answer(me);
			await first;
			const second = auth.currentUser(ctx);
			answer(null);
			expect(await second).toBeNull();
			const third = auth.currentUser(ctx);
			answer(me);
			await third;
			expect(sql.queries).toBe(3);
		});
	});
});

describe('auth/setup (assisted accounts)', () => {
	let loginId: string;
	let setupCode: string;
	let userId: string;

	beforeAll(async () => {
		const building = (
			await rt.sql.query<{ id: string }>(`select id from public.areas where estate_id = $1 and kind = 'building' and name = '3栋'`, [JINYUAN])
		)[0].id;
		const x = await request(
			{
				url: `/estates/${JINYUAN}/manage/members?/assisted`,
				as: 'committee@demo.linyi.org',
				form: { display_name: '陈爷爷', building_id: building, entrance: '1', room: '101' }
			},
			members.actions.assisted
		);
		const data = expectData(x);
		expect(data.assisted).toMatchObject({ name: '陈爷爷' });
		({ loginId, setupCode } = data.assisted);
		expect(loginId).toMatch(/^L[A-Z0-9]{5}$/);
		expect(setupCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
		userId = (await rt.sql.query<{ id: string }>(`select id from auth.users where raw_app_meta_data ->> 'login_id' = $1`, [loginId]))[0].id;
		// The code is stored only as a bcrypt hash.
		expect(await count('auth.users', `encrypted_password = $1 or raw_app_meta_data::text like '%' || $1 || '%'`, [setupCode])).toBe(0);
	});

	const redeem = (form: Record<string, string>) => request({ url: '/auth/setup', form }, setup.actions.default);

	it('prefills the login id from the link', async () => {
		const data = expectData(await request({ url: `/auth/setup?login=LABCDE` }, setup.load));
		expect(data.form.data.login_id).toBe('LABCDE');
	});

	it('does not sign in with the setup code as a password', async () => {
		const x = await request({ url: '/auth/sign-in', form: { identifier: loginId, password: setupCode } }, signIn.actions.default);
		expectFailure(x, 400, { _errors: 'auth.setup_required' });
		expect(x.cookies.has(SESSION_COOKIE)).toBe(false);
	});

	it('refuses a wrong code beside the code, changing nothing', async () => {
		const x = await expectNoWrite(() => redeem({ login_id: loginId, code: 'AAAA-AAAA-AAAA', password: GOOD_PASSWORD }));
		expectFailure(x, 400, { code: 'auth.code_invalid' });
		expect(x.cookies.has(SESSION_COOKIE)).toBe(false);
	});

	it('refuses a common password before looking at the code', async () => {
		const x = await expectNoWrite(() => redeem({ login_id: loginId, code: setupCode, password: '88888888' }));
		expectFailure(x, 400, { password: 'errors.password_common' });
	});

	it('redeems the code (typed in lower case, without its dashes, with a space): password set, signed in, a verified member of the unit', async () => {
		const typed = setupCode.toLowerCase().replaceAll('-', '').replace(/^(.{6})/, '$1 ');
		const x = await redeem({ login_id: loginId.toLowerCase(), code: typed, password: GOOD_PASSWORD });
		expectRedirect(x, '/me');
		const cookie = sessionOf(x);
		expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: 'lax' });
		expect(await whoIs(cookie.value)).toBe(userId);
		const me = (await request({ url: '/', as: { token: cookie.value } }, () => null)).event.locals.me!;
		expect(me.display_name).toBe('陈爷爷');
		expect(me.memberships).toEqual([expect.objectContaining({ estate_id: JINYUAN, status: 'verified', unit: '3栋 1单元 101' })]);
		// From now on the chosen password signs in.
		expect(await whoIs(await signInToken(loginId, GOOD_PASSWORD))).toBe(userId);
	});

	it('refuses the same code a second time', async () => {
		const x = await expectNoWrite(() => redeem({ login_id: loginId, code: setupCode, password: 'another-good-one-77' }));
		expectFailure(x, 400, { code: 'auth.code_invalid' });
		// The password chosen first still holds.
		expect(await whoIs(await signInToken(loginId, GOOD_PASSWORD))).toBe(userId);
	});
});
