import type { EstateTransparency } from '$lib/domain/transparency';

/**
 * The signed-out view of estates' transparency pages, kept between requests.
 * That view holds no personal data and is the same for every signed-out
 * reader, and its SQL is a dozen aggregates, where the database's stamp of the
 * estate (transparency_stamps, bumped by triggers on everything the page
 * shows) is one key lookup. The stamp is read before the page: a page read
 * afterwards is at least as new as its stamp, so it is never served after a
 * change (the next stamp differs). A short lifetime covers what changes with
 * time alone (the last 30 days, a publication window ending).
 * Signed-in readers may see more (votes, members-only lists) and are never
 * served from here. One cache per runtime, so each server test has its own.
 */
const LIFETIME_MS = 60_000;
/** Enough for every estate of a street several times over; the oldest entry goes first. */
const MAX_ENTRIES = 2000;

interface Entry {
	version: number;
	at: number;
	page: EstateTransparency;
}

const caches = new WeakMap<object, Map<string, Entry>>();

function cacheOf(runtime: object) {
	let cache = caches.get(runtime);
	if (!cache) caches.set(runtime, (cache = new Map()));
	return cache;
}

/** The estate's transparency page as the caller may read it, from the cache for the signed-out. */
export async function estateTransparency(locals: App.Locals, estateId: string, now = Date.now()): Promise<EstateTransparency> {
	if (locals.caller.kind !== 'anon') return locals.call('estate_transparency', { p_estate_id: estateId });
	const cache = cacheOf(locals.runtime);
	const version = Number(await locals.call('transparency_version', { p_estate_id: estateId }));
	const hit = cache.get(estateId);
	if (hit && hit.version === version && now - hit.at < LIFETIME_MS) return hit.page;
	const page = await locals.call('estate_transparency', { p_estate_id: estateId });
	cache.delete(estateId);
	if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
	cache.set(estateId, { version, at: now, page });
	return page;
}
