import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { meetingSchema } from '$lib/domain/meeting-schemas';
import { meetingArgs } from '$lib/server/meetings';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/** The estate's meetings (to come first), and for its moderators the form that schedules one. */
export const load: PageServerLoad = async ({ locals, params }) => ({
	meetings: await loadCall(locals, 'estate_meetings', { p_estate_id: params.id })
});

export const actions: Actions = {
	schedule: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(meetingSchema), { id: 'schedule' });
		if (!form.valid) return fail(400, { form });
		let id: string;
		try {
			id = (await e.locals.call('schedule_meeting', { p_estate_id: e.params.id, ...meetingArgs(form.data) })).id;
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, `/estates/${e.params.id}/meetings/${id}?scheduled=1`);
	}
};
