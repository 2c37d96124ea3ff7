import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { postWishSchema } from '$lib/domain/wish-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/** The estate's published micro-wishes, the caller's own not yet published, and the form to post one. */
export const load: PageServerLoad = async ({ locals, params }) => ({
	wishes: await loadCall(locals, 'estate_wishes', { p_estate_id: params.id }),
	form: await superValidate(zod4(postWishSchema))
});

export const actions: Actions = {
	/** Posts a wish, pending until a moderator vets it; for oneself or, as a volunteer, for a resident. */
	post: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(postWishSchema));
		if (!form.valid) return fail(400, { form });
		const d = form.data;
		let id: string;
		try {
			({ id } = await e.locals.call('post_wish', {
				p_estate_id: e.params.id,
				p_title: d.title,
				p_category: d.category,
				p_shown_name: d.shown_name,
				p_body: d.body || null,
				p_estimated_cost: d.estimated_cost ?? null,
				p_area_id: d.area_id || null,
				p_for_other: d.for_other,
				p_resident_name: d.resident_name || null,
				p_unit: d.unit || null,
				p_phone: d.phone || null
			}));
		} catch (err) {
			return refuse(form, err, { unit: 'unit' });
		}
		redirect(303, `/estates/${e.params.id}/wishes/${id}?posted=1`);
	}
};
