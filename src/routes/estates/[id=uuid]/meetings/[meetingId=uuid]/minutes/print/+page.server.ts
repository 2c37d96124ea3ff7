import { error } from '@sveltejs/kit';
import { loadCall } from '$lib/server/page-call';
import { qrImage } from '$lib/server/qr';
import type { PageServerLoad } from './$types';

/**
 * The A4 minutes notice for the bulletin board (公告栏): the published text (or, for those who may read
 * it, the draft, marked as one), with a QR code to the publication, where residents object.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const minutes = await loadCall(locals, 'meeting_minutes', { p_meeting_id: params.meetingId });
	if (minutes.meeting.estate_id !== params.id) error(404, { message: 'errors.meeting_not_found' });
	const text = minutes.publication?.paragraphs ?? minutes.draft?.paragraphs ?? null;
	if (!text) error(404, { message: 'errors.minutes_not_drafted' });
	const link = minutes.publication
		? `${url.origin}/estates/${params.id}/publications/${minutes.publication.id}`
		: `${url.origin}/estates/${params.id}/meetings/${params.meetingId}/minutes`;
	return { minutes, text, link, qr: await qrImage(link) };
};
