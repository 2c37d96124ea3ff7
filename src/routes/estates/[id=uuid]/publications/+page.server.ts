import { loadCall } from '$lib/server/page-call';
import type { PageServerLoad } from './$types';

/** The estate's publications (公示), open windows first; readable wherever the estate's issues are. */
export const load: PageServerLoad = async ({ locals, params }) => ({
	publications: await loadCall(locals, 'estate_publications', { p_estate_id: params.id })
});
