import { openDataRoutes } from '$lib/server/open-data';
import type { RequestHandler } from './$types';

/** The community's open data as a ZIP, streamed. */
export const GET: RequestHandler = openDataRoutes('community').download;
