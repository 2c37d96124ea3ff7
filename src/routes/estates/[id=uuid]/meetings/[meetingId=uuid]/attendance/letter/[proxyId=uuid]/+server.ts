import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guard';
import type { RequestHandler } from './$types';

/**
 * The photo of a proxy's signed letter, for the meeting's moderators only
 * (proxy_letter_path answers null to anyone else). Never cached in between.
 */
export const GET: RequestHandler = async (e) => {
	requireUser(e);
	const path = await e.locals.call('proxy_letter_path', { p_proxy_id: e.params.proxyId });
	const file = path ? await e.locals.runtime.storage.read(path) : null;
	if (!file) error(404, { message: 'errors.page_not_found' });
	return new Response(new Uint8Array(file), { headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' } });
};
