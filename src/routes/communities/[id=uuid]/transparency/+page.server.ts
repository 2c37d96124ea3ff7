import { loadCall } from '$lib/server/page-call';
import type { PageServerLoad } from './$types';

/** A community's transparency page: its figures in all and per estate, over the estates the reader may see. */
export const load: PageServerLoad = async ({ locals, params }) => ({
	transparency: await loadCall(locals, 'community_transparency', { p_community_id: params.id })
});
