import { loadCall } from '$lib/server/page-call';
import type { PageServerLoad } from './$types';

/** The street roll-up (街道): its administrators and platform administrators; one call. */
export const load: PageServerLoad = async ({ locals, params }) => ({
	rollup: await loadCall(locals, 'street_rollup', { p_street_id: params.id })
});
