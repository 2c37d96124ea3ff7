import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { assignSchema } from '$lib/domain/work-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import { qrImage } from '$lib/server/qr';
import { taskActions } from '$lib/server/task-actions';
import type { Actions, PageServerLoad } from './$types';

/** A task: what it needs, its slots, the caller's claim; for its poster and the moderators, the claims and the check-in QR code. */
export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const detail = await loadCall(event.locals, 'task_detail', { p_task_id: event.params.taskId });
	if (detail.task.estate_id !== event.params.id) error(404, { message: 'errors.task_not_found' });
	// The QR code printed at the place opens this page with the code filled in; the code is printed beside it to type.
	const checkinQr = detail.checkin_code ? await qrImage(`${event.url.origin}${event.url.pathname}?code=${detail.checkin_code}`) : null;
	const scanned = event.url.searchParams.get('code') ?? '';
	return { detail, checkinQr, scannedCode: /^[0-9a-f]{16}$/i.test(scanned) ? scanned : '' };
};

const here = (e: { params: { id: string; taskId?: string } }) => `/estates/${e.params.id}/tasks/${e.params.taskId}`;
const a = taskActions(here);

export const actions: Actions = {
	claim: a.claim,
	release: a.release,
	start: a.start,
	report: a.report,
	confirm: a.confirm,
	/** A moderator claims a slot for a member who asked in person. */
	assign: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(assignSchema), { id: 'assign' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('assign_task', { p_task_id: e.params.taskId, p_user_id: form.data.user_id });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e));
	},
	close: async (e) => {
		requireUser(e);
		const cancel = (await e.request.formData()).get('cancel') === 'yes';
		try {
			await e.locals.call('close_task', { p_task_id: e.params.taskId, p_cancel: cancel });
		} catch (err) {
			return refuseMessage(err);
		}
		redirect(303, here(e));
	}
};
