import { openDataResponse, openDataScope } from '$lib/server/open-data';
import type { RequestHandler } from './$types';

/** The estate's open-data archive (docs/open-data.md): streamed ZIP of CSV and JSON, no personal data. */
export const GET: RequestHandler = async ({ locals, params, url }) =>
	openDataResponse(locals, await openDataScope(locals, 'estate', params.id, url.pathname));
