import { error, fail, redirect } from '@sveltejs/kit';
import { setError, superValidate, withFiles } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { checkOutSchema, doorCheckInSchema, proxySchema, revokeProxySchema } from '$lib/domain/meeting-schemas';
import { DomainError } from '$lib/server/backend/types';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import { removePhotos, storePhotos } from '$lib/server/photos';
import { qrImage } from '$lib/server/qr';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The moderator's door list: the notice (meeting, quorum) and the list (who
 * registered or came, the proxies, the code, members matching ?q=), and the
 * door poster's QR code, which carries the code.
 */
export const load: PageServerLoad = async (e) => {
	requireUser(e);
	const { locals, params, url } = e;
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 40);
	const [notice, door] = await Promise.all([
		loadCall(locals, 'meeting_notice', { p_meeting_id: params.meetingId }),
		loadCall(locals, 'meeting_door_list', { p_meeting_id: params.meetingId, p_search: q || null })
	]);
	if (notice.meeting.estate_id !== params.id) error(404, { message: 'errors.meeting_not_found' });
	const poster = await qrImage(`${url.origin}/estates/${params.id}/meetings/${params.meetingId}/check-in?code=${door.checkin_code}`);
	return { notice, door, q, poster };
};

const here = (e: RequestEvent, query = '') => `/estates/${e.params.id}/meetings/${e.params.meetingId}/attendance${query}`;

export const actions: Actions = {
	check_in: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(doorCheckInSchema), { id: 'check_in' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('check_in_attendee', {
				p_meeting_id: e.params.meetingId,
				p_attendance_id: form.data.attendance_id ?? null,
				p_user_id: form.data.user_id ?? null,
				p_name: form.data.name || null,
				p_unit_id: form.data.unit_id ?? null
			});
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, '?in=1#list'));
	},
	check_out: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(checkOutSchema), { id: 'check_out' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('check_out', { p_attendance_id: form.data.attendance_id });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, '?out=1#list'));
	},
	record_proxy: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(proxySchema), { id: 'record_proxy' });
		if (!form.valid) return fail(400, withFiles({ form }));
		let stored;
		try {
			[stored] = await storePhotos(e.locals.runtime.storage, [form.data.letter], 'proxies');
		} catch (err) {
			if (err instanceof DomainError) return setError(withFiles(form), 'letter', err.key, { status: 400 });
			throw err;
		}
		try {
			await e.locals.call('record_proxy', {
				p_meeting_id: e.params.meetingId,
				p_holder_id: form.data.holder_id,
				p_absent_name: form.data.absent_name,
				p_absent_unit_id: form.data.absent_unit_id ?? null,
				p_letter_path: stored.path
			});
		} catch (err) {
			await removePhotos(e.locals.runtime.storage, [stored]);
			return refuse(withFiles(form), err);
		}
		redirect(303, here(e, '?proxy=1#proxies'));
	},
	revoke_proxy: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(revokeProxySchema), { id: 'revoke_proxy' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('revoke_proxy', { p_proxy_id: form.data.proxy_id });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, '?revoked=1#proxies'));
	}
};
