import { openDataResponse } from '$lib/server/open-data';
import type { RequestHandler } from './$types';

/** The community's open data as a ZIP, streamed. */
export const GET: RequestHandler = ({ locals, params }) => openDataResponse(locals, 'community', params.id);
