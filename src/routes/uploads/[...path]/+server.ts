import { error } from '@sveltejs/kit';
import { createHash } from 'node:crypto';
import { STORED_PATH } from '$lib/server/storage/local';
import type { RequestHandler } from './$types';

const notFound = (): never => error(404, { message: 'errors.page_not_found' });

/**
 * Stored photos, given only to someone who may read their issue: the
 * database answers (can_read_photo, as the caller under RLS), so a photo of a
 * members-only board is "not found" to the public and to other estates, like
 * the issue itself. The answer may be kept by this browser only (`private`)
 * and is checked again on every use (`no-cache`, answered 304 while the photo
 * is unchanged): after a sign-out, or for the next person on a shared phone,
 * no cached copy is shown without asking.
 */
export const GET: RequestHandler = async ({ params, locals, request }) => {
	if (!STORED_PATH.test(params.path)) notFound();
	if (!(await locals.call('can_read_photo', { p_path: params.path }))) notFound();
	const data = (await locals.runtime.storage.read(params.path)) ?? notFound();
	const etag = `"${createHash('sha256').update(data).digest('base64url').slice(0, 27)}"`;
	const headers = { 'content-type': 'image/jpeg', 'cache-control': 'private, no-cache', etag, vary: 'Cookie' };
	if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	return new Response(new Uint8Array(data), { headers });
};
