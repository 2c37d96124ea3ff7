import type { z } from 'zod';
import type { estateSchema } from '$lib/domain/schemas';

/** save_estate's arguments from the estate form; p_estate_id null creates. */
export function saveEstateArgs(estateId: string | null, d: z.output<typeof estateSchema>) {
	const geo = d.map_mode === 'geographic';
	return {
		p_estate_id: estateId,
		p_community_id: d.community_id,
		p_name: d.name,
		p_address: d.address,
		p_map_mode: d.map_mode,
		p_center_lat: geo ? (d.center_lat ?? null) : null,
		p_center_lng: geo ? (d.center_lng ?? null) : null,
		p_zoom: d.zoom,
		p_plan_width: geo ? null : (d.plan_width ?? null),
		p_plan_height: geo ? null : (d.plan_height ?? null)
	};
}
