import { loadCall } from '$lib/server/page-call';
import type { EstateHome, MapSetup } from '$lib/domain/estate';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, params }) => {
	const cfg = locals.runtime.config;
	const map: MapSetup = {
		tileUrl: cfg.MAP_TILE_URL ?? null,
		tileAttribution: cfg.MAP_TILE_ATTRIBUTION ?? null,
		tileCrs: cfg.MAP_TILE_CRS
	};
	return { home: await loadCall<EstateHome>(locals, 'estate_home', { p_estate_id: params.id }), map };
};
