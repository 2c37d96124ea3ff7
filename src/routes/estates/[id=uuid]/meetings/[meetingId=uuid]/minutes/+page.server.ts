import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { keptParagraphs, minutesEditSchema, minutesPublishSchema } from '$lib/domain/minutes-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The minutes page (会议纪要): one call, for every reader of the meeting; the draft is the members'. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const minutes = await loadCall(locals, 'meeting_minutes', { p_meeting_id: params.meetingId });
	if (minutes.meeting.estate_id !== params.id) error(404, { message: 'errors.meeting_not_found' });
	return { minutes };
};

const here = (e: RequestEvent, query = '') => `/estates/${e.params.id}/meetings/${e.params.meetingId}/minutes${query}`;

export const actions: Actions = {
	/** Assembles the draft from the record (again: the page says that edits are replaced). */
	draft: async (e) => {
		requireUser(e);
		try {
			await e.locals.call('draft_minutes', { p_meeting_id: e.params.meetingId });
		} catch (err) {
			return refuseMessage(err);
		}
		redirect(303, here(e, '?drafted=1#draft'));
	},
	edit: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(minutesEditSchema), { id: 'edit' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('edit_minutes', { p_meeting_id: e.params.meetingId, p_paragraphs: keptParagraphs(form.data.paragraphs) });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, '?saved=1#draft'));
	},
	publish: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(minutesPublishSchema), { id: 'publish' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('publish_minutes', { p_meeting_id: e.params.meetingId, p_window_days: form.data.window_days });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, '?published=1'));
	}
};
