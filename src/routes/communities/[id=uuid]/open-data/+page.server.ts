import { openDataRoutes } from '$lib/server/open-data';
import type { PageServerLoad } from './$types';

/** What the community's open data holds, for the caller. */
export const load: PageServerLoad = openDataRoutes('community').load;
