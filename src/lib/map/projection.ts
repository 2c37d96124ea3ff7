import gcoord from 'gcoord';
import type { EstateInfo, MapSetup } from '$lib/domain/estate';

/** How stored coordinates become map positions for one estate and tile layer. */
export interface Frame {
	siteplan: boolean;
	/** Plan height, for site plans: stored y runs down from the top, the map's up from the bottom. */
	height: number;
	/** Chinese tile providers draw in GCJ-02; WGS-84 shapes would sit hundreds of metres off. */
	gcj02: boolean;
}

export function frameOf(estate: Pick<EstateInfo, 'map_mode' | 'plan_size'>, setup?: Pick<MapSetup, 'tileCrs' | 'tileUrl'>): Frame {
	const siteplan = estate.map_mode === 'site_plan';
	return { siteplan, height: estate.plan_size?.[1] ?? 0, gcj02: !siteplan && !!setup?.tileUrl && setup.tileCrs === 'gcj02' };
}

/** A stored [x, y] (WGS-84 [lng, lat], or plan pixels) as a map [lat, lng]. */
export function toLatLng(f: Frame, [x, y]: number[]): [number, number] {
	if (f.siteplan) return [f.height - y, x];
	if (f.gcj02) {
		const [lng, lat] = gcoord.transform([x, y], gcoord.WGS84, gcoord.GCJ02) as [number, number];
		return [lat, lng];
	}
	return [y, x];
}

/** The inverse of toLatLng, rounded to what the database keeps (7 decimals). */
export function fromLatLng(f: Frame, lat: number, lng: number): [number, number] {
	const round = (v: number) => Math.round(v * 1e7) / 1e7;
	if (f.siteplan) return [round(lng), round(f.height - lat)];
	if (f.gcj02) {
		const [x, y] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
		return [round(x), round(y)];
	}
	return [round(lng), round(lat)];
}
