import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { checkInCodeSchema } from '$lib/domain/meeting-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { limitedForm, takeLimit } from '$lib/server/limits';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/** Self check-in at the door: the notice says whether check-in is open and whether the caller is in already. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const notice = await loadCall(locals, 'meeting_notice', { p_meeting_id: params.meetingId });
	if (notice.meeting.estate_id !== params.id) error(404, { message: 'errors.meeting_not_found' });
	return { notice };
};

export const actions: Actions = {
	default: async (e) => {
		const me = requireUser(e);
		const form = await superValidate(e.request, zod4(checkInCodeSchema), { id: 'check_in' });
		if (!form.valid) return fail(400, { form });
		// Every try counts (RATE_LIMIT_MEETING_CODE, per person and meeting): a six-digit code must not be guessed from home.
		const limited = await takeLimit(e.locals.runtime, 'meeting_code', `${me.user_id}:${e.params.meetingId}`);
		if (limited) return limitedForm(e, form, limited);
		try {
			await e.locals.call('check_in_by_code', { p_meeting_id: e.params.meetingId, p_code: form.data.code });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, `/estates/${e.params.id}/meetings/${e.params.meetingId}/check-in?done=1`);
	}
};
