import { loadCall } from '$lib/server/page-call';
import type { PageServerLoad } from './$types';

/** The committee dashboard of an estate (moderators, committee, administrators): one call. */
export const load: PageServerLoad = async ({ locals, params }) => ({
	dashboard: await loadCall(locals, 'committee_dashboard', { p_estate_id: params.id })
});
