import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { vetWishSchema } from '$lib/domain/wish-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/** The moderators' queue: the estate's pending wishes with who they are for, to check by a visit or a call. */
export const load: PageServerLoad = async (event) => {
	requireUser(event);
	return {
		queue: await loadCall(event.locals, 'wish_queue', { p_estate_id: event.params.id }),
		form: await superValidate(zod4(vetWishSchema), { id: 'vet' })
	};
};

export const actions: Actions = {
	/** Approves a wish (published for claiming) or declines it with a reason. */
	vet: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(vetWishSchema), { id: 'vet' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('vet_wish', { p_wish_id: form.data.wish_id, p_approve: form.data.decision === 'approve', p_note: form.data.note || null,
				p_est_hours: form.data.est_hours ?? null
			});
		} catch (err) {
			return refuse(form, err, { approve: 'decision' });
		}
		redirect(303, `/estates/${e.params.id}/wishes/vet`);
	}
};
