import { openDataRoutes } from '$lib/server/open-data';
import type { RequestHandler } from './$types';

/** The street's open data as a ZIP, streamed. */
export const GET: RequestHandler = openDataRoutes('street').download;
