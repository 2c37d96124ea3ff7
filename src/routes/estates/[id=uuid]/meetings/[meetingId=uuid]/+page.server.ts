import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { agendaItemSchema, agendaMoveSchema, agendaRemoveSchema, cancelSchema, meetingSchema } from '$lib/domain/meeting-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import { qrImage } from '$lib/server/qr';
import { meetingArgs } from '$lib/server/meetings';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The notice (会前公告): one call, and the QR code of the check-in page for the printed notice. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const notice = await loadCall(locals, 'meeting_notice', { p_meeting_id: params.meetingId });
	if (notice.meeting.estate_id !== params.id) error(404, { message: 'errors.meeting_not_found' });
	const checkIn = `${url.origin}/estates/${params.id}/meetings/${params.meetingId}/check-in`;
	return { notice, checkIn, qr: await qrImage(checkIn) };
};

const here = (e: RequestEvent, query = '') => `/estates/${e.params.id}/meetings/${e.params.meetingId}${query}`;

export const actions: Actions = {
	register: async (e) => {
		requireUser(e);
		try {
			await e.locals.call('register_for_meeting', { p_meeting_id: e.params.meetingId });
		} catch (err) {
			return refuseMessage(err);
		}
		redirect(303, here(e, '?registered=1'));
	},
	unregister: async (e) => {
		requireUser(e);
		try {
			await e.locals.call('unregister_from_meeting', { p_meeting_id: e.params.meetingId });
		} catch (err) {
			return refuseMessage(err);
		}
		redirect(303, here(e, '?unregistered=1'));
	},
	add_item: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(agendaItemSchema), { id: 'add_item' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('add_agenda_item', {
				p_meeting_id: e.params.meetingId,
				p_issue_id: form.data.issue_id ?? null,
				p_title: form.data.title || null,
				p_planned_minutes: form.data.planned_minutes
			});
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, '#agenda'));
	},
	move_item: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(agendaMoveSchema), { id: 'move_item' });
		if (!form.valid) return fail(400, { form });
		try {
			const notice = await e.locals.call('meeting_notice', { p_meeting_id: e.params.meetingId });
			const order = notice.agenda.map((a) => a.id);
			const i = order.indexOf(form.data.item_id);
			const j = form.data.direction === 'up' ? i - 1 : i + 1;
			if (i < 0) return fail(404, { form, message: 'errors.agenda_item_not_found' });
			if (j >= 0 && j < order.length) {
				[order[i], order[j]] = [order[j], order[i]];
				await e.locals.call('reorder_agenda', { p_meeting_id: e.params.meetingId, p_item_ids: order });
			}
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, '#agenda'));
	},
	remove_item: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(agendaRemoveSchema), { id: 'remove_item' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('remove_agenda_item', { p_item_id: form.data.item_id });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, '#agenda'));
	},
	update: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(meetingSchema), { id: 'update' });
		if (!form.valid) return fail(400, { form });
		let moved: boolean;
		try {
			moved = (await e.locals.call('update_meeting', { p_meeting_id: e.params.meetingId, ...meetingArgs(form.data) })).moved;
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, moved ? '?moved=1' : '?updated=1'));
	},
	cancel: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(cancelSchema), { id: 'cancel' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('cancel_meeting', { p_meeting_id: e.params.meetingId, p_reason: form.data.reason });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, '?cancelled=1'));
	}
};
