import L from 'leaflet';
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import type { Area, EstateInfo, MapSetup } from '$lib/domain/estate';
import { rings } from './estate-map';
import { frameOf, toLatLng } from './projection';

export type Pin = [string, number, number, string, string];
export type ShadedArea = Area & { open: number };

const STATUS_COLOUR: Record<string, string> = {
	proposed: '#c2410c',
	accepted: '#1d4ed8',
	deliberating: '#7c3aed',
	voting: '#7c3aed',
	undecided: '#a16207',
	approved: '#15803d',
	publicized: '#15803d',
	in_progress: '#0e7490',
	completed: '#4b5563',
	following_up: '#a16207'
};

function shade(open: number, max: number): string {
	if (open === 0) return '#e5efe1';
	const k = Math.min(1, open / Math.max(1, max));
	// From a light to a deep red as an area's open issues grow.
	return `rgb(${Math.round(250 - 60 * k)}, ${Math.round(220 - 170 * k)}, ${Math.round(200 - 170 * k)})`;
}

export interface IssueMapHandlers {
	/** Text and link for a tapped pin, fetched then. */
	pinPopup(id: string): Promise<HTMLElement>;
	onAreaClick(area: ShadedArea): void;
}

/**
 * The estate's issue map: areas shaded by their open issues, pins coloured by
 * status and clustered. Drawing thousands of pins stays fast because markers
 * are light circle markers added in one batch to the cluster layer.
 */
export function drawIssueMap(el: HTMLElement, estate: EstateInfo, areas: ShadedArea[], pins: Pin[], setup: MapSetup, on: IssueMapHandlers) {
	// Marks for bench/issues.js, which times drawing thousands of pins on a slowed CPU.
	performance.mark('linyi:map-start');
	const siteplan = estate.map_mode === 'site_plan';
	const f = frameOf(estate, setup);
	const map = L.map(el, { crs: siteplan ? L.CRS.Simple : L.CRS.EPSG3857, minZoom: siteplan ? -3 : 3, maxZoom: siteplan ? 3 : 20, zoomSnap: 0.25, attributionControl: !!setup.tileUrl, preferCanvas: true });
	if (siteplan && estate.plan_size) {
		const bounds: L.LatLngBoundsExpression = [[0, 0], [estate.plan_size[1], estate.plan_size[0]]];
		if (estate.plan_image) L.imageOverlay(estate.plan_image, bounds, { alt: '' }).addTo(map);
		map.fitBounds(bounds);
	} else if (setup.tileUrl) {
		L.tileLayer(setup.tileUrl, { maxZoom: 20, attribution: setup.tileAttribution ?? '' }).addTo(map);
	}
	const max = Math.max(0, ...areas.map((a) => a.open));
	const shapes = L.featureGroup().addTo(map);
	for (const a of [...areas].sort((x) => (x.kind === 'courtyard' ? -1 : 1))) {
		if (!a.geometry) continue;
		L.polygon(rings(f, a.geometry), { color: a.kind === 'building' ? '#7a5b3a' : '#2f6b3b', weight: a.kind === 'building' ? 1 : 2, fillColor: shade(a.open, max), fillOpacity: 0.75 })
			.bindTooltip(`${a.name} · ${a.open}`)
			.on('click', () => on.onAreaClick(a))
			.addTo(shapes);
	}
	if (!siteplan) {
		if (shapes.getLayers().length) map.fitBounds(shapes.getBounds(), { padding: [12, 12] });
		else if (estate.center) map.setView(estate.center, estate.zoom);
	}
	const cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40 });
	cluster.addLayers(
		pins.map(([id, x, y, status]) =>
			L.circleMarker(toLatLng(f, [Number(x), Number(y)]), { radius: 8, color: '#fff', weight: 2, fillColor: STATUS_COLOUR[status] ?? '#4b5563', fillOpacity: 1 })
				.bindPopup(() => {
					const box = document.createElement('div');
					box.textContent = '…';
					on.pinPopup(id).then((content) => box.replaceChildren(content));
					return box;
				})
		)
	);
	map.addLayer(cluster);
	performance.measure('linyi:pins-drawn', { start: 'linyi:map-start', detail: { pins: pins.length } });
	return () => void map.remove();
}
