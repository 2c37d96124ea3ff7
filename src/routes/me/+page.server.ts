import { loadCall } from '$lib/server/page-call';
import type { PageServerLoad } from './$types';

/** The person's own page: memberships come with the layout (me); the streets they administer are one call. */
export const load: PageServerLoad = async ({ locals }) => ({
	streets: locals.me ? await loadCall(locals, 'my_streets') : []
});
