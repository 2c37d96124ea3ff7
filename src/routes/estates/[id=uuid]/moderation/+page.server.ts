import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { moderateSchema } from '$lib/domain/issues';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/** The estate's moderation queue: reported comments, oldest report first (moderators, committee, admins). */
export const load: PageServerLoad = async (event) => {
	requireUser(event);
	return { queue: await loadCall(event.locals, 'moderation_queue', { p_estate_id: event.params.id }) };
};

export const actions: Actions = {
	/** Hides or restores one comment of the queue, with the reason its author sees; it then leaves the queue. */
	moderate: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(moderateSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('moderate_comment', { p_comment_id: form.data.comment_id, p_hide: form.data.hide, p_reason: form.data.reason });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, `/estates/${e.params.id}/moderation?done=${form.data.hide ? 'hidden' : 'restored'}`);
	}
};
