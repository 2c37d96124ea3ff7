import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Area, AreaGeometry, EstateInfo, MapSetup } from '$lib/domain/estate';
import { frameOf, fromLatLng, toLatLng, type Frame } from './projection';

const STYLE: Record<Area['kind'], L.PathOptions> = {
	courtyard: { color: '#2f6b3b', weight: 2, fillColor: '#cfe6c8', fillOpacity: 0.5 },
	building: { color: '#7a5b3a', weight: 1, fillColor: '#e8d5bd', fillOpacity: 0.9 },
	space: { color: '#3a5f7a', weight: 1, dashArray: '4 3', fillColor: '#d4e4ef', fillOpacity: 0.5 }
};

export function rings(f: Frame, g: AreaGeometry): L.LatLngTuple[][][] {
	const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
	return polygons.map((poly) => poly.map((ring) => ring.map((p) => toLatLng(f, p))));
}

/** The estate map, plus a marker that moves where the person taps; reports the stored coordinates. */
export function drawPointPicker(
	el: HTMLElement,
	estate: EstateInfo,
	areas: Area[],
	setup: MapSetup,
	onPick: (x: number, y: number) => void
): () => void {
	const { map, destroy } = createEstateMap(el, estate, areas, setup);
	const f = frameOf(estate, setup);
	let marker: L.CircleMarker | undefined;
	map.on('click', (e: L.LeafletMouseEvent) => {
		const [x, y] = fromLatLng(f, e.latlng.lat, e.latlng.lng);
		marker ??= L.circleMarker(e.latlng, { radius: 9, color: '#a8201a', weight: 3, fillOpacity: 0.6 }).addTo(map);
		marker.setLatLng(e.latlng);
		onPick(x, y);
	});
	return destroy;
}

/** Draws the estate outline as vector layers, so the map means something with no tile server. */
export function drawEstateMap(el: HTMLElement, estate: EstateInfo, areas: Area[], setup: MapSetup, point: [number, number] | null = null): () => void {
	const { map, destroy } = createEstateMap(el, estate, areas, setup);
	if (point) L.circleMarker(toLatLng(frameOf(estate, setup), point.map(Number)), { radius: 9, color: '#a8201a', weight: 3, fillOpacity: 0.6 }).addTo(map);
	return destroy;
}

export function createEstateMap(el: HTMLElement, estate: EstateInfo, areas: Area[], setup: MapSetup) {
	const f = frameOf(estate, setup);
	const siteplan = estate.map_mode === 'site_plan';
	const map = L.map(el, {
		crs: siteplan ? L.CRS.Simple : L.CRS.EPSG3857,
		minZoom: siteplan ? -3 : 3,
		maxZoom: siteplan ? 3 : 20,
		zoomSnap: 0.25,
		attributionControl: !!setup.tileUrl
	});
	if (siteplan && estate.plan_size) {
		const [w, h] = estate.plan_size;
		const bounds: L.LatLngBoundsExpression = [
			[0, 0],
			[h, w]
		];
		if (estate.plan_image) L.imageOverlay(estate.plan_image, bounds, { alt: '' }).addTo(map);
		map.fitBounds(bounds);
	} else if (setup.tileUrl) {
		L.tileLayer(setup.tileUrl, { maxZoom: 20, attribution: setup.tileAttribution ?? '' }).addTo(map);
	}
	const group = L.featureGroup().addTo(map);
	for (const a of [...areas].sort((x, y) => (x.kind === 'courtyard' ? -1 : 0) - (y.kind === 'courtyard' ? -1 : 0))) {
		if (!a.geometry) continue;
		// Not interactive, so that a tap anywhere reaches the map (the point picker listens there).
		L.polygon(rings(f, a.geometry), { ...STYLE[a.kind], interactive: false, className: `area-${a.id}` }).addTo(group);
	}
	if (!siteplan) {
		if (group.getLayers().length > 0) map.fitBounds(group.getBounds(), { padding: [12, 12] });
		else if (estate.center) map.setView(estate.center, estate.zoom);
	}
	return { map, destroy: () => void map.remove() };
}
