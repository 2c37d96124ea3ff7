import { loadCall } from '$lib/server/page-call';
import type { EstateHome, MapSetup } from '$lib/domain/estate';
import type { LayoutServerLoad } from './$types';

/**
 * Pages whose own load brings the estate header they show, in the same SQL
 * call as their content: for them the full estate home (every outline, the
 * members' numbers) would be a second call that doubles the page's database
 * time. Their load returns `home` itself, which replaces this one.
 */
const BRINGS_OWN_HOME = new Set([
	'/estates/[id=uuid]/issues',
	'/estates/[id=uuid]/issues/[issueId=uuid]',
	'/estates/[id=uuid]/transparency',
	'/estates/[id=uuid]/dashboard'
]);

export const load: LayoutServerLoad = async ({ locals, params, route }) => {
	const cfg = locals.runtime.config;
	const map: MapSetup = {
		tileUrl: cfg.MAP_TILE_URL ?? null,
		tileAttribution: cfg.MAP_TILE_ATTRIBUTION ?? null,
		tileCrs: cfg.MAP_TILE_CRS
	};
	if (route.id !== null && BRINGS_OWN_HOME.has(route.id)) {
		// Never read: the page's `home` takes its place (SvelteKit merges page data over layout data).
		return { home: undefined as unknown as EstateHome, map };
	}
	return { home: await loadCall(locals, 'estate_home', { p_estate_id: params.id }), map };
};
