import { loadCall } from '$lib/server/page-call';
import type { PageServerLoad } from './$types';

/** The thanks wall (公益榜): confirmed wishes with first names and claimers only; public where the board is. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const wall = await loadCall(locals, 'wish_wall', { p_estate_id: params.id });
	const paths = wall.entries.flatMap((e) => (e.photo ? [e.photo.thumb_path] : []));
	// One round trip for every thumbnail.
	const urls = paths.length ? await locals.runtime.storage.urls(paths, locals.caller) : [];
	const byPath = new Map(paths.map((p, i) => [p, urls[i]]));
	return {
		wall: {
			count: wall.count,
			entries: wall.entries.map(({ photo, ...e }) => ({
				...e,
				thumb: photo && byPath.get(photo.thumb_path) ? { url: byPath.get(photo.thumb_path)!, width: photo.width, height: photo.height } : null
			}))
		}
	};
};
