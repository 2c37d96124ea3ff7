/** A polygon or multipolygon in GeoJSON: [lng, lat] in geographic estates, [x, y] plan pixels in site-plan estates. */
export interface AreaGeometry {
	type: 'Polygon' | 'MultiPolygon';
	coordinates: number[][][] | number[][][][];
}

export interface Area {
	id: string;
	kind: 'courtyard' | 'building' | 'space';
	name: string;
	parent_id: string | null;
	geometry: AreaGeometry | null;
}

export interface EstateInfo {
	id: string;
	name: string;
	address: string | null;
	community: string;
	community_id: string;
	map_mode: 'geographic' | 'site_plan';
	center: [number, number] | null;
	zoom: number;
	plan_image: string | null;
	plan_size: [number, number] | null;
}

export interface EstateNumbers {
	courtyards: number;
	buildings: number;
	units: number;
	floor_area: number;
	members: number;
	pending: number;
}

export interface EstateHome {
	estate: EstateInfo;
	areas: Area[];
	is_member: boolean;
	/** The caller may record an issue for a resident from another channel (volunteers, moderators, the committee). */
	records_for_others: boolean;
	numbers?: EstateNumbers;
}

/** What the browser needs to draw the map: the estate's frame, and the tile layer if one is configured. */
export interface MapSetup {
	tileUrl: string | null;
	tileAttribution: string | null;
	tileCrs: 'wgs84' | 'gcj02';
}

/** An estate of the home page's list (list_estates). */
export interface EstateListing {
	id: string;
	name: string;
	address: string | null;
	community: string;
	community_id: string;
	district: string | null;
	map_mode: 'geographic' | 'site_plan';
}

/** The administrators' page (admin_overview). */
export interface AdminOverview {
	is_admin: boolean;
	communities: { id: string; name: string; district: string | null }[];
	estates: { id: string; name: string; community: string; address: string | null; map_mode: string; areas: number; units: number; pending: number }[];
}

/** The map page (estate_map). */
export interface EstateMapData {
	areas: { id: string; kind: 'courtyard' | 'building' | 'space'; name: string; parent_id: string | null; geometry: AreaGeometry | null; open: number }[];
	/** [id, x, y, status, category]: only what a pin needs; details come on click. */
	pins: [string, number, number, string, string][];
}
