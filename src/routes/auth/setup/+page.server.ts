import { fail, redirect } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { setupSchema } from '$lib/domain/schemas';
import { accountKey, clientKey, limitedForm, takeLimit } from '$lib/server/limits';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => ({
	form: await superValidate({ login_id: url.searchParams.get('login') ?? '' }, zod4(setupSchema), { errors: false })
});

export const actions: Actions = {
	/** A resident whose account the committee created chooses a password with the one-time code. */
	default: async (event) => {
		const form = await superValidate(event.request, zod4(setupSchema));
		if (!form.valid) {
			// Never send a password back into the page.
			form.data.password = '';
			return fail(400, { form });
		}
		// A setup code is a password of its own: the sign-in limits apply, per network and per login id.
		const rt = event.locals.runtime;
		const limited =
			(await takeLimit(rt, 'sign_in_ip', clientKey(event))) ?? (await takeLimit(rt, 'sign_in_account', accountKey(form.data.login_id)));
		if (limited) {
			form.data.password = '';
			return limitedForm(event, form, limited);
		}
		const result = await event.locals.runtime.auth.redeemSetup(
			event.locals.authContext,
			{ loginId: form.data.login_id, code: form.data.code, password: form.data.password }
		);
		form.data.password = '';
		if (!result.ok) {
			if (result.reason === 'locked') return setError(form, 'auth.locked', { status: 429 });
			if (result.reason === 'code_expired') return setError(form, 'code', 'auth.code_expired', { status: 400 });
			return setError(form, 'code', 'auth.code_invalid', { status: 400 });
		}
		redirect(303, '/me');
	}
};
