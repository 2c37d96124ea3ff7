import { fail } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { issueSettingsSchema } from '$lib/domain/issues';
import { requireManager } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireManager(event, event.params.id);
	const current = await loadCall(event.locals, 'issue_settings', { p_estate_id: event.params.id });
	return { form: await superValidate(current, zod4(issueSettingsSchema)) };
};

export const actions: Actions = {
	default: async (event) => {
		requireManager(event, event.params.id);
		const form = await superValidate(event.request, zod4(issueSettingsSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await event.locals.call('save_issue_settings', {
				p_estate_id: event.params.id,
				p_board_public: form.data.board_public,
				p_support_threshold: form.data.support_threshold
			});
		} catch (e) {
			return refuse(form, e);
		}
		return { form, saved: true };
	}
};
