import { openDataSummary } from '$lib/server/open-data';
import type { PageServerLoad } from './$types';

/** What the street's open data holds, for the caller: every estate of it they may read. */
export const load: PageServerLoad = async ({ locals, params }) => ({ summary: await openDataSummary(locals, 'street', params.id) });
