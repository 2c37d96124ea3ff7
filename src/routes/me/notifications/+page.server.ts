import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guard';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

export interface Notifications {
	unread: number;
	items: { id: number; kind: 'threshold_reached' | 'issue_status' | 'comment_moderated' | 'membership_decided' | 'vote_opened' | 'vote_closed' | 'ballot_conflict'; issue_id: string | null; payload: Record<string, string | number | boolean | null>; created_at: string; read: boolean }[];
}

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const notifications = await loadCall<Notifications>(event.locals, 'my_notifications');
	const estateOf = Object.fromEntries((event.locals.me?.memberships ?? []).map((m) => [m.estate_id, m.estate_name]));
	return { notifications, estateOf };
};

export const actions: Actions = {
	read: async (event) => {
		requireUser(event);
		await event.locals.call('mark_notifications_read');
		redirect(303, '/me/notifications');
	}
};
