import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { joinSchema } from '$lib/domain/schemas';
import { membershipIn } from '$lib/domain/me';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const me = requireUser(event);
	const existing = membershipIn(me, event.params.id);
	if (existing && existing.status !== 'rejected') redirect(303, `/estates/${event.params.id}`);
	return {
		buildings: await loadCall(event.locals, 'estate_buildings', { p_estate_id: event.params.id }),
		form: await superValidate(zod4(joinSchema))
	};
};

export const actions: Actions = {
	default: async (event) => {
		requireUser(event);
		const form = await superValidate(event.request, zod4(joinSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await event.locals.call('request_membership', {
				p_estate_id: event.params.id,
				p_building_id: form.data.building_id,
				p_entrance: form.data.entrance,
				p_room: form.data.room,
				p_claims_owner: form.data.claims_owner
			});
		} catch (e) {
			return refuse(form, e);
		}
		redirect(303, `/estates/${event.params.id}?requested=1`);
	}
};
