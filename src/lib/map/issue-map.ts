import L from 'leaflet';
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import type { Area } from '$lib/domain/estate';
import { baseMap, courtyardsFirst, fitToAreas, rings, type MapInput } from './estate-map';
import { toLatLng } from './projection';
import { textElement } from './text';

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
 * are light circle markers added in one batch to the cluster layer. Area
 * names reach the tooltips as text, never as HTML (text.ts).
 */
export function drawIssueMap(el: HTMLElement, input: MapInput<ShadedArea>, pins: Pin[], on: IssueMapHandlers) {
	// Marks for bench/issues.js, which times drawing thousands of pins on a slowed CPU.
	performance.mark('linyi:map-start');
	const { map, frame } = baseMap(el, input, { preferCanvas: true });
	const max = Math.max(0, ...input.areas.map((a) => a.open));
	const shapes = L.featureGroup().addTo(map);
	for (const a of courtyardsFirst(input.areas)) {
		if (!a.geometry) continue;
		L.polygon(rings(frame, a.geometry), { color: a.kind === 'building' ? '#7a5b3a' : '#2f6b3b', weight: a.kind === 'building' ? 1 : 2, fillColor: shade(a.open, max), fillOpacity: 0.75 })
			.bindTooltip(textElement(`${a.name} · ${a.open}`))
			.on('click', () => on.onAreaClick(a))
			.addTo(shapes);
	}
	fitToAreas(map, shapes, input, frame);
	const cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40 });
	cluster.addLayers(
		pins.map(([id, x, y, status]) =>
			L.circleMarker(toLatLng(frame, [Number(x), Number(y)]), { radius: 8, color: '#fff', weight: 2, fillColor: STATUS_COLOUR[status] ?? '#4b5563', fillOpacity: 1 })
				.bindPopup(() => {
					const box = textElement('…', 'div');
					on.pinPopup(id).then((content) => box.replaceChildren(content));
					return box;
				})
		)
	);
	map.addLayer(cluster);
	performance.measure('linyi:pins-drawn', { start: 'linyi:map-start', detail: { pins: pins.length } });
	return () => void map.remove();
}
