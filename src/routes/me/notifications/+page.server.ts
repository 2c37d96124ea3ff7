import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guard';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';


export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const notifications = await loadCall(event.locals, 'my_notifications');
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
