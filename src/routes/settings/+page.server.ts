import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { LOCALE_COOKIE, TEXT_COOKIE, isLocale } from '$lib/i18n';
import { profileSchema } from '$lib/domain/schemas';
import { requireUser } from '$lib/server/guard';
import { refuse, safeRedirect } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const YEAR = 365 * 24 * 60 * 60;
const prefCookie = { path: '/', httpOnly: false, sameSite: 'lax' as const, secure: false, maxAge: YEAR };

export const load: PageServerLoad = async ({ locals }) => ({
	form: await superValidate(
		locals.me ? { display_name: locals.me.display_name, locale: locals.locale } : { locale: locals.locale },
		zod4(profileSchema),
		{ errors: false }
	)
});

export const actions: Actions = {
	/** The language switch: remembered in a cookie, and in the profile when signed in. */
	language: async ({ request, cookies, locals }) => {
		const data = await request.formData();
		const locale = data.get('locale');
		if (!isLocale(locale)) return fail(400, { message: 'errors.invalid_choice' });
		cookies.set(LOCALE_COOKIE, locale, prefCookie);
		if (locals.me) await locals.call('update_my_profile', { p_display_name: locals.me.display_name, p_locale: locale });
		redirect(303, safeRedirect(data.get('redirectTo')));
	},
	/** The large-text switch. */
	text: async ({ request, cookies }) => {
		const data = await request.formData();
		const size = data.get('size');
		if (size !== 'large' && size !== 'normal') return fail(400, { message: 'errors.invalid_choice' });
		cookies.set(TEXT_COOKIE, size, prefCookie);
		redirect(303, safeRedirect(data.get('redirectTo')));
	},
	profile: async (event) => {
		requireUser(event);
		const form = await superValidate(event.request, zod4(profileSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await event.locals.call('update_my_profile', { p_display_name: form.data.display_name, p_locale: form.data.locale });
		} catch (e) {
			return refuse(form, e);
		}
		event.cookies.set(LOCALE_COOKIE, form.data.locale, prefCookie);
		redirect(303, '/settings?saved=1');
	}
};
