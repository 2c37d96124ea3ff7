import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { Area, AreaGeometry, EstateInfo, MapSetup } from '$lib/domain/estate';
import type { MapText } from './mount';
import { frameOf, fromLatLng, toLatLng, type Frame } from './projection';
import { textControl } from './text';

/** What every estate map is drawn from. */
export interface MapInput<A extends Area = Area> {
	estate: EstateInfo;
	areas: A[];
	setup: MapSetup;
	text: MapText;
}

const STYLE: Record<Area['kind'], L.PathOptions> = {
	courtyard: { color: '#2f6b3b', weight: 2, fillColor: '#cfe6c8', fillOpacity: 0.5 },
	building: { color: '#7a5b3a', weight: 1, fillColor: '#e8d5bd', fillOpacity: 0.9 },
	space: { color: '#3a5f7a', weight: 1, dashArray: '4 3', fillColor: '#d4e4ef', fillOpacity: 0.5 }
};

const PIN: L.CircleMarkerOptions = { radius: 9, color: '#a8201a', weight: 3, fillOpacity: 0.6 };

export function rings(f: Frame, g: AreaGeometry): L.LatLngTuple[][][] {
	const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
	return polygons.map((poly) => poly.map((ring) => ring.map((p) => toLatLng(f, p))));
}

/** Courtyards first, so that buildings are drawn over them. */
export function courtyardsFirst<A extends Area>(areas: A[]): A[] {
	return [...areas].sort((x, y) => (x.kind === 'courtyard' ? -1 : 0) - (y.kind === 'courtyard' ? -1 : 0));
}

/**
 * The map every estate view starts from: its projection (a site plan in
 * pixels, or the world), the plan image or the configured tile layer, zoom
 * buttons named in the page's language, and the tile provider's attribution
 * as text. No string from anyone reaches Leaflet as HTML (text.ts).
 */
export function baseMap(el: HTMLElement, { estate, setup, text }: MapInput, options: { preferCanvas?: boolean } = {}) {
	const frame = frameOf(estate, setup);
	const map = L.map(el, {
		crs: frame.siteplan ? L.CRS.Simple : L.CRS.EPSG3857,
		minZoom: frame.siteplan ? -3 : 3,
		maxZoom: frame.siteplan ? 3 : 20,
		zoomSnap: 0.25,
		zoomControl: false,
		attributionControl: false,
		preferCanvas: options.preferCanvas ?? false
	});
	// The button faces are fixed symbols; their names (title, aria-label) are set as attributes.
	L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut, zoomInText: '+', zoomOutText: '−' }).addTo(map);
	if (frame.siteplan && estate.plan_size) {
		const [w, h] = estate.plan_size;
		const bounds: L.LatLngBoundsExpression = [
			[0, 0],
			[h, w]
		];
		if (estate.plan_image) L.imageOverlay(estate.plan_image, bounds, { alt: '' }).addTo(map);
		map.fitBounds(bounds);
	} else if (setup.tileUrl) {
		L.tileLayer(setup.tileUrl, { maxZoom: 20 }).addTo(map);
		if (setup.tileAttribution) textControl(setup.tileAttribution, 'bottomright', 'leaflet-control-attribution').addTo(map);
	}
	return { map, frame };
}

/** Geographic maps open on their areas, or on the estate's centre when none is drawn yet. */
export function fitToAreas(map: L.Map, group: L.FeatureGroup, { estate }: MapInput, frame: Frame) {
	if (frame.siteplan) return;
	if (group.getLayers().length > 0) map.fitBounds(group.getBounds(), { padding: [12, 12] });
	else if (estate.center) map.setView(estate.center, estate.zoom);
}

/** The estate's courtyards and buildings as vector layers, so the map means something with no tile server. */
export function createEstateMap(el: HTMLElement, input: MapInput) {
	const { map, frame } = baseMap(el, input);
	const group = L.featureGroup().addTo(map);
	for (const a of courtyardsFirst(input.areas)) {
		if (!a.geometry) continue;
		// Not interactive, so that a tap anywhere reaches the map (the point picker listens there).
		L.polygon(rings(frame, a.geometry), { ...STYLE[a.kind], interactive: false, className: `area-${a.id}` }).addTo(group);
	}
	fitToAreas(map, group, input, frame);
	return { map, frame, destroy: () => void map.remove() };
}

/** The estate map, plus a marker that moves where the person taps; reports the stored coordinates. */
export function drawPointPicker(el: HTMLElement, input: MapInput, onPick: (x: number, y: number) => void, point: [number, number] | null = null): () => void {
	const { map, frame, destroy } = createEstateMap(el, input);
	// A spot picked before the page was drawn again (the form came back after a submit) is shown where it was.
	let marker: L.CircleMarker | undefined = point ? L.circleMarker(toLatLng(frame, point), PIN).addTo(map) : undefined;
	map.on('click', (e: L.LeafletMouseEvent) => {
		const [x, y] = fromLatLng(frame, e.latlng.lat, e.latlng.lng);
		marker ??= L.circleMarker(e.latlng, PIN).addTo(map);
		marker.setLatLng(e.latlng);
		onPick(x, y);
	});
	return destroy;
}

/** The estate map with the spot, if it has one. */
export function drawEstateMap(el: HTMLElement, input: MapInput, point: [number, number] | null = null): () => void {
	const { map, frame, destroy } = createEstateMap(el, input);
	if (point) L.circleMarker(toLatLng(frame, point.map(Number)), PIN).addTo(map);
	return destroy;
}
