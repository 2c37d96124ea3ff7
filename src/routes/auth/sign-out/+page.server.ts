import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	/** Ends this device's session, or with everywhere=1 every session of the account. */
	default: async ({ request, locals }) => {
		const everywhere = (await request.formData()).get('everywhere') === '1';
		await locals.runtime.auth.signOut(locals.authContext, everywhere);
		redirect(303, '/');
	}
};
