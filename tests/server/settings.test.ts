import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as settings from '../../src/routes/settings/+page.server';
import * as signIn from '../../src/routes/auth/sign-in/+page.server';
import * as layout from '../../src/routes/+layout.server';
import {
	DEMO,
	expectData,
	expectFailure,
	expectNoWrite,
	expectRedirect,
	openTestRuntime,
	request,
	type TestRuntime
} from './harness';

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const localeOf = async (email: keyof typeof DEMO) =>
	(await rt.sql.query<{ locale: string }>(`select locale from public.profiles where id = $1`, [DEMO[email].id]))[0].locale;

describe('settings?/language', () => {
	const language = (form: Record<string, string>, as: Parameters<typeof request>[0]['as'] = 'anon') =>
		request({ url: '/settings?/language', form, as }, settings.actions.language);

	it('remembers the language in a cookie and goes back to the page', async () => {
		const x = await language({ locale: 'en', redirectTo: '/estates?x=1' });
		expectRedirect(x, '/estates?x=1');
		expect(x.cookies.get('linyi_locale')).toMatchObject({ value: 'en', options: { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 365 * 24 * 3600 } });
		// The next request is in English.
		const next = await request({ url: '/', cookies: { linyi_locale: 'en' } }, layout.load);
		expect(expectData(next).locale).toBe('en');
	});

	it('stores the language in the profile when signed in', async () => {
		expect(await localeOf('party@demo.linyi.org')).toBe('zh-CN');
		expectRedirect(await language({ locale: 'en', redirectTo: '/me' }, 'party@demo.linyi.org'), '/me');
		expect(await localeOf('party@demo.linyi.org')).toBe('en');
	});

	it.each(['//evil.example', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', ''])('redirects %j only to /', async (redirectTo) => {
		const x = await language({ locale: 'zh-CN', redirectTo });
		expectRedirect(x, '/');
	});

	it('refuses an unknown language, setting nothing', async () => {
		const x = await expectNoWrite(() => language({ locale: 'fr', redirectTo: '/' }, 'party@demo.linyi.org'));
		expectFailure(x, 400);
		expect((x.outcome as { data: { message: string } }).data.message).toBe('errors.invalid_choice');
		expect(x.cookies.has('linyi_locale')).toBe(false);
	});

	it('ignores a forged locale cookie', async () => {
		const data = expectData(await request({ url: '/', cookies: { linyi_locale: '<script>' } }, layout.load));
		expect(data.locale).toBe('zh-CN');
	});

	it('never redirects off the site, even with a tab or newline hidden in the path', async () => {
		for (const redirectTo of ['/\t/evil.example', '/\n/evil.example']) {
			const x = await language({ locale: 'zh-CN', redirectTo });
			expect(x.outcome.kind).toBe('redirect');
			const location = (x.outcome as { location: string }).location;
			expect(new URL(location, 'http://localhost:3000').origin).toBe('http://localhost:3000');
		}
	});

	it('never sends a signed-in user off the site from sign-in’s ?next (same bug)', async () => {
		const x = await request({ url: '/auth/sign-in?next=/%09/evil.example', as: 'owner@demo.linyi.org' }, signIn.load);
		expect(new URL((x.outcome as { location: string }).location, 'http://localhost:3000').origin).toBe('http://localhost:3000');
	});
});

describe('settings?/text', () => {
	it('sets the large-text cookie', async () => {
		const x = await request({ url: '/settings?/text', form: { size: 'large', redirectTo: '/settings' } }, settings.actions.text);
		expectRedirect(x, '/settings');
		expect(x.cookies.get('linyi_text')?.value).toBe('large');
		const data = expectData(await request({ url: '/', cookies: { linyi_text: 'large' } }, layout.load));
		expect(data.largeText).toBe(true);
	});

	it('refuses an unknown size', async () => {
		const x = await request({ url: '/settings?/text', form: { size: 'huge' } }, settings.actions.text);
		expectFailure(x, 400);
		expect(x.cookies.has('linyi_text')).toBe(false);
	});
});

describe('settings?/profile', () => {
	const profile = (form: Record<string, string>, as: Parameters<typeof request>[0]['as'] = 'volunteer@demo.linyi.org') =>
		request({ url: '/settings?/profile', form, as }, settings.actions.profile);

	it('prefills the form for a signed-in user', async () => {
		const data = expectData(await request({ url: '/settings', as: 'volunteer@demo.linyi.org' }, settings.load));
		expect(data.form.data).toEqual({ display_name: '志愿者 小陈', locale: 'zh-CN' });
	});

	it('saves the name and language', async () => {
		const x = await profile({ display_name: '小陈 (志愿者)', locale: 'en' });
		expectRedirect(x, '/settings?saved=1');
		expect(x.cookies.get('linyi_locale')?.value).toBe('en');
		const [p] = await rt.sql.query(`select display_name, locale from public.profiles where id = $1`, [DEMO['volunteer@demo.linyi.org'].id]);
		expect(p).toEqual({ display_name: '小陈 (志愿者)', locale: 'en' });
	});

	it.each([
		['an empty name', { display_name: ' ', locale: 'zh-CN' }, { display_name: 'errors.required' }],
		['a name of 41 characters', { display_name: '陈'.repeat(41), locale: 'zh-CN' }, { display_name: 'errors.too_long' }],
		['an unknown language', { display_name: '小陈', locale: 'fr' }, { locale: 'errors.invalid_choice' }]
	])('refuses %s beside the field, writing nothing', async (_what, form, errors) => {
		const x = await expectNoWrite(() => profile(form));
		expectFailure(x, 400, errors);
		expect(x.cookies.has('linyi_locale')).toBe(false);
	});

	it('sends the public to sign in', async () => {
		expectRedirect(await expectNoWrite(() => profile({ display_name: '路人', locale: 'zh-CN' }, 'anon')), `/auth/sign-in?next=${encodeURIComponent('/settings?/profile')}`);
	});
});
