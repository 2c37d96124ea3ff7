import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guard';
import { loadCall } from '$lib/server/page-call';
import type { PageServerLoad } from './$types';

/** The wall screen: the same one read as the room, shown in large type. */
export const load: PageServerLoad = async (e) => {
	requireUser(e);
	const room = await loadCall(e.locals, 'meeting_room', { p_meeting_id: e.params.meetingId });
	if (room.meeting.estate_id !== e.params.id) error(404, { message: 'errors.meeting_not_found' });
	return { room };
};
