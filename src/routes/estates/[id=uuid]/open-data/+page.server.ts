import { openDataSummary } from '$lib/server/open-data';
import type { PageServerLoad } from './$types';

/** What the estate's open data holds, for the caller. */
export const load: PageServerLoad = async ({ locals, params }) => ({ summary: await openDataSummary(locals, 'estate', params.id) });
