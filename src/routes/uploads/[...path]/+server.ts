import { error } from '@sveltejs/kit';
import { LocalStorage } from '$lib/server/storage/local';
import type { RequestHandler } from './$types';

/** Photos stored locally. Their names are random UUIDs, so a link is needed to see one. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const storage = locals.runtime.storage;
	if (!(storage instanceof LocalStorage)) error(404, { message: 'errors.page_not_found' });
	const data = await storage.read(params.path);
	if (!data) error(404, { message: 'errors.page_not_found' });
	return new Response(new Uint8Array(data), {
		headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, max-age=31536000, immutable' }
	});
};
