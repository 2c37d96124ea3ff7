import { requireUser } from '$lib/server/guard';
import { loadCall } from '$lib/server/page-call';
import type { VoteListItem } from '$lib/domain/votes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	return { votes: await loadCall(event.locals, 'estate_votes', { p_estate_id: event.params.id }) };
};
