import { fail, redirect } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { signInSchema } from '$lib/domain/schemas';
import { safeRedirect } from '$lib/server/forms';
import { accountKey, clientKey, limitedForm, takeLimit } from '$lib/server/limits';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.me) redirect(303, safeRedirect(url.searchParams.get('next'), '/me'));
	return { form: await superValidate(zod4(signInSchema)), checkEmail: url.searchParams.has('check_email') };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await superValidate(event.request, zod4(signInSchema));
		if (!form.valid) {
			// Never send a password back into the page.
			form.data.password = '';
			return fail(400, { form });
		}
		// Per network, then per account: spreading guesses over many addresses does not help either.
		const rt = event.locals.runtime;
		const limited =
			(await takeLimit(rt, 'sign_in_ip', clientKey(event))) ?? (await takeLimit(rt, 'sign_in_account', accountKey(form.data.identifier)));
		if (limited) {
			form.data.password = '';
			return limitedForm(event, form, limited);
		}
		const result = await event.locals.runtime.auth.signIn(
			event.locals.authContext,
			{ identifier: form.data.identifier, password: form.data.password }
		);
		form.data.password = '';
		if (!result.ok) {
			if (result.reason === 'locked') {
				return setError(form, 'auth.locked', { status: 429 });
			}
			if (result.reason === 'setup_required') {
				return setError(form, 'auth.setup_required', { status: 400 });
			}
			return setError(form, 'auth.invalid_credentials', { status: 400 });
		}
		redirect(303, safeRedirect(event.url.searchParams.get('next'), '/me'));
	}
};
