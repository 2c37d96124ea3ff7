import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as signUp from '../../src/routes/auth/sign-up/+page.server';
import * as signIn from '../../src/routes/auth/sign-in/+page.server';
import * as setup from '../../src/routes/auth/setup/+page.server';
import * as similar from '../../src/routes/estates/[id=uuid]/issues/similar/+server';
import { translator, type Locale } from '../../src/lib/i18n';
import { networkOf } from '../../src/lib/server/limits';
import zh from '../../messages/zh-CN.json';
import en from '../../messages/en.json';
import { DEMO, JINYUAN, count, expectFailure, expectRedirect, openTestRuntime, request, type Exchange, type TestRuntime } from './harness';

/**
 * The rate limits, with small limits and (for the window test) a short window, set the way an
 * operator sets them: RATE_LIMIT_* = requests/seconds.
 */
let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime({
		RATE_LIMIT_SIGN_IN_IP: '6/900',
		RATE_LIMIT_SIGN_IN_ACCOUNT: '3/900',
		RATE_LIMIT_SIGN_UP_IP: '2/3600',
		RATE_LIMIT_SIMILAR_IP: '3/2'
	});
});
afterAll(() => rt.close());

const MESSAGES = { 'zh-CN': zh, en } as Record<Locale, Record<string, string>>;

/** What the page shows beside the form, as FormError renders it: the message key with the form message's minutes. */
function shown(x: Exchange, locale: Locale): string {
	const data = expectFailure(x, 429, { _errors: 'errors.rate_limited' });
	expect(data.form.message.retryAfterMinutes).toBeGreaterThanOrEqual(1);
	expect(data.form.data.password ?? '').toBe('');
	return translator(MESSAGES[locale], locale)('errors.rate_limited', { minutes: data.form.message.retryAfterMinutes });
}

const signInAs = (identifier: string, password: string, clientAddress: string, locale: Locale = 'zh-CN') =>
	request({ url: '/auth/sign-in', form: { identifier, password }, clientAddress, cookies: { linyi_locale: locale } }, signIn.actions.default);

describe('sign-in limits', () => {
	it('per account: the 4th attempt within 15 minutes is refused with 429, from any address, even with the right password', async () => {
		const who = 'resident@demo.linyi.org';
		for (let i = 1; i <= 3; i++) expectFailure(await signInAs(who, 'wrong-guess-' + i, `198.51.100.${i}`), 400, { _errors: 'auth.invalid_credentials' });
		const x = await signInAs(who.toUpperCase(), DEMO[who].password, '198.51.100.99', 'en');
		expect(shown(x, 'en')).toBe('Too many attempts. Please wait and try again in 15 minutes.');
		expect(x.event.locals.me).toBeNull();
		expect(x.cookies.get('linyi_session')).toBeUndefined();
		// Another account from the same addresses is not held back by this one's count.
		expectRedirect(await signInAs('owner@demo.linyi.org', DEMO['owner@demo.linyi.org'].password, '198.51.100.1'), '/me');
	});

	it('per address: the 7th attempt from one network is refused with 429 in Chinese, whichever accounts it tries', async () => {
		for (let i = 1; i <= 6; i++) expectFailure(await signInAs(`nobody${i}@example.org`, 'guess-guess', '203.0.113.7'), 400);
		const x = await signInAs('volunteer@demo.linyi.org', DEMO['volunteer@demo.linyi.org'].password, '203.0.113.7');
		expect(shown(x, 'zh-CN')).toBe('尝试次数太多，请等 15 分钟后再试。');
		// Another address signs the same account in.
		expectRedirect(await signInAs('volunteer@demo.linyi.org', DEMO['volunteer@demo.linyi.org'].password, '203.0.113.8'), '/me');
	});

	it('counts an IPv6 client by its /64 network', async () => {
		for (let i = 1; i <= 6; i++) await signInAs(`v6-${i}@example.org`, 'guess-guess', `2001:db8:1:2::${i.toString(16)}`);
		expectFailure(await signInAs('v6-x@example.org', 'guess-guess', '2001:db8:1:2:ffff::1'), 429);
		expectFailure(await signInAs('v6-x@example.org', 'guess-guess', '2001:db8:1:3::1'), 400);
		expect(networkOf('2001:0db8:0001:0002:0000:0000:0000:0001')).toBe('2001:db8:1:2::/64');
		expect(networkOf('::ffff:192.0.2.1')).toBe('192.0.2.1');
		expect(networkOf('192.0.2.1')).toBe('192.0.2.1');
	});

	it('applies to setup codes too: per login id', async () => {
		const post = (clientAddress: string) =>
			request({ url: '/auth/setup', form: { login_id: 'LY-NOONE', code: 'AAAA-BBBB', password: 'quiet-lane-4821' }, clientAddress }, setup.actions.default);
		for (let i = 1; i <= 3; i++) expectFailure(await post(`192.0.2.${i}`), 400);
		expect(shown(await post('192.0.2.50'), 'zh-CN')).toBe('尝试次数太多，请等 15 分钟后再试。');
	});
});

describe('sign-up limit', () => {
	it('per address: the 3rd sign-up from one network within the hour is refused with 429 and creates no account', async () => {
		const post = (n: number, locale: Locale) =>
			request(
				{ url: '/auth/sign-up', form: { display_name: `新邻居${n}`, identifier: `limit-${n}@example.org`, password: 'quiet-lane-4821' }, clientAddress: '198.18.0.1', cookies: { linyi_locale: locale } },
				signUp.actions.default
			);
		expectRedirect(await post(1, 'zh-CN'), '/me');
		expectRedirect(await post(2, 'zh-CN'), '/me');
		const users = await count('auth.users');
		const x = await post(3, 'en');
		expect(shown(x, 'en')).toBe('Too many attempts. Please wait and try again in 60 minutes.');
		expect(shown(await post(4, 'zh-CN'), 'zh-CN')).toBe('尝试次数太多，请等 60 分钟后再试。');
		expect(await count('auth.users')).toBe(users);
		expect(await count('auth.users', 'email = $1', ['limit-3@example.org'])).toBe(0);
	});
});

describe('similar-issues limit', () => {
	const ask = (clientAddress: string) =>
		request({ url: `/estates/${JINYUAN}/issues/similar?title=${encodeURIComponent('电梯故障')}`, as: 'resident@demo.linyi.org', clientAddress }, similar.GET);

	it('per address: over the limit the endpoint answers 429 with Retry-After and the message; a new window lets it through again', async () => {
		for (let i = 0; i < 3; i++) expect((await ask('198.18.1.1')).response?.status).toBe(200);
		const limited = (await ask('198.18.1.1')).response!;
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		const body = await limited.json();
		expect(body).toEqual({ message: 'errors.rate_limited', retryAfterMinutes: 1 });
		expect(translator(zh, 'zh-CN')(body.message, { minutes: body.retryAfterMinutes })).toBe('尝试次数太多，请等 1 分钟后再试。');
		expect(translator(en, 'en')(body.message, { minutes: body.retryAfterMinutes })).toBe('Too many attempts. Please wait and try again in 1 minute.');
		// Another network is not held back.
		expect((await ask('198.18.1.2')).response?.status).toBe(200);
		// The window is 2 s: after it, the same network is let through again.
		await new Promise((r) => setTimeout(r, 2100));
		expect((await ask('198.18.1.1')).response?.status).toBe(200);
	});
});
