import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guard';
import { loadCall } from '$lib/server/page-call';
import type { VoteDetail } from '$lib/domain/votes';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const { locals, params } = event;
	const [detail, remaining] = await Promise.all([
		loadCall(locals, 'vote_detail', { p_vote_id: params.voteId }),
		loadCall(locals, 'vote_not_voted', {
			p_vote_id: params.voteId
		})
	]);
	if (detail.vote.estate_id !== params.id) error(404, { message: 'errors.vote_not_found' });
	return { vote: detail.vote, remaining };
};
