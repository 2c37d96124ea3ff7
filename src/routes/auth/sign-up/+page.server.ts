import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { signUpSchema } from '$lib/domain/schemas';
import { refuse, safeRedirect } from '$lib/server/forms';
import { clientKey, limitedForm, takeLimit } from '$lib/server/limits';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.me) redirect(303, safeRedirect(url.searchParams.get('next'), '/me'));
	return { form: await superValidate(zod4(signUpSchema)) };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await superValidate(event.request, zod4(signUpSchema));
		if (!form.valid) {
			// Never send a password back into the page.
			form.data.password = '';
			return fail(400, { form });
		}
		const limited = await takeLimit(event.locals.runtime, 'sign_up_ip', clientKey(event));
		if (limited) {
			form.data.password = '';
			return limitedForm(event, form, limited);
		}
		let confirmEmail: boolean;
		try {
			({ confirmEmail } = await event.locals.runtime.auth.signUp(
				event.locals.authContext,
				{ identifier: form.data.identifier, password: form.data.password, displayName: form.data.display_name, locale: event.locals.locale }
			));
		} catch (e) {
			form.data.password = '';
			return refuse(form, e);
		}
		if (confirmEmail) redirect(303, '/auth/sign-in?check_email=1');
		redirect(303, safeRedirect(event.url.searchParams.get('next'), '/me'));
	}
};
