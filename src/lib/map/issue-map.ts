import L from 'leaflet';
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import type { Area } from '$lib/domain/estate';
import { baseMap, courtyardsFirst, fitToAreas, rings, type MapInput } from './estate-map';
import { toLatLng } from './projection';
import { textElement } from './text';
import { pick, type Shape } from './pick';

/** How far from its outline a tap still picks a building, in CSS pixels: a 41 × 12 px building gets a target of
 * at least 44 × 44 px, half-way to a neighbour 10 px away (see pick.ts and its tests). */
const REACH = 32;

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
 * are light circle markers added in one batch to the cluster layer, which
 * clusters them in slices. Area
 * names reach the tooltips as text, never as HTML (text.ts).
 */
export function drawIssueMap(el: HTMLElement, input: MapInput<ShadedArea>, pins: Pin[], on: IssueMapHandlers) {
	// Marks for bench/issues.js, which times drawing thousands of pins on a slowed CPU.
	performance.mark('linyi:map-start');
	const { map, frame } = baseMap(el, input, { preferCanvas: true });
	const max = Math.max(0, ...input.areas.map((a) => a.open));
	const shapes = L.featureGroup().addTo(map);
	const drawn = courtyardsFirst(input.areas).filter((a) => a.geometry);
	const latLngs = drawn.map((a) => rings(frame, a.geometry!));
	drawn.forEach((a, i) =>
		// Not interactive: which area a tap or a pointer means is decided by pick(), which lets a small
		// building be picked from beside it too, as a finger lands.
		L.polygon(latLngs[i], { interactive: false, color: a.kind === 'building' ? '#7a5b3a' : '#2f6b3b', weight: a.kind === 'building' ? 1 : 2, fillColor: shade(a.open, max), fillOpacity: 0.75 }).addTo(shapes)
	);
	fitToAreas(map, shapes, input, frame);
	// On a phone the first view shows every building as large as the screen allows: fitted to the buildings
	// (a courtyard's outer lawn may run past the edge), without the usual margin and quarter-step zoom, which
	// would shrink the buildings, and their targets, by up to a third. On a site plan, the whole plan.
	const buildings = drawn.flatMap((a, i) => (a.kind === 'building' ? [L.latLngBounds(latLngs[i].flat(2))] : []));
	const fitted = frame.siteplan && input.estate.plan_size
		? L.latLngBounds([0, 0], [input.estate.plan_size[1], input.estate.plan_size[0]])
		: buildings.length
			? buildings.reduce((all, b) => all.extend(b), L.latLngBounds(buildings[0].getSouthWest(), buildings[0].getNorthEast()))
			: null;
	if (fitted) {
		const snap = map.options.zoomSnap;
		map.options.zoomSnap = 0;
		// Never more than one step closer than the whole estate (an estate with one building drawn so far).
		map.fitBounds(fitted, { animate: false, maxZoom: map.getZoom() + 1 });
		map.options.zoomSnap = snap;
	}
	// The areas in screen pixels, again after every move or zoom.
	let onScreen: Shape[] = [];
	const project = () => {
		onScreen = drawn.map((a, i) => ({
			building: a.kind === 'building',
			rings: latLngs[i].flat().map((ring) => ring.map((ll) => map.latLngToContainerPoint(ll)).map((p): [number, number] => [p.x, p.y]))
		}));
	};
	map.on('zoomend moveend resize', project);
	project();
	const at = (e: L.LeafletMouseEvent) => drawn[pick([e.containerPoint.x, e.containerPoint.y], onScreen, REACH)];
	map.on('click', (e: L.LeafletMouseEvent) => {
		const a = at(e);
		if (a) on.onAreaClick(a);
	});
	// The pointed-at area's name and open issues, as the tap would pick it.
	const tip = L.tooltip({ direction: 'top' });
	let pointed: ShadedArea | undefined;
	map.on('mousemove', (e: L.LeafletMouseEvent) => {
		const a = at(e);
		if (a === pointed) return;
		pointed = a;
		if (!a) return void tip.remove();
		tip.setContent(textElement(`${a.name} · ${a.open}`)).setLatLng(e.latlng).addTo(map);
	});
	map.on('mouseout', () => {
		pointed = undefined;
		tip.remove();
	});
	// The plugin clusters the pins in slices (of up to 200 ms, the browser free between them). "Drawn" is when
	// the last slice is done, not when the first one yields. (Slices of 10 ms were tried: Lighthouse's total
	// blocking time on the map page rose, 137 → 401 ms, one run each, so the plugin's default stays.)
	const cluster = L.markerClusterGroup({
		chunkedLoading: true,
		chunkProgress: (done: number, total: number) => {
			// The plugin shows the clusters right after its last progress call, in the same task.
			if (done === total) queueMicrotask(() => performance.measure('linyi:pins-drawn', { start: 'linyi:map-start', detail: { pins: pins.length } }));
		},
		showCoverageOnHover: false,
		maxClusterRadius: 40
	});
	cluster.addLayers(
		pins.map(([id, x, y, status]) =>
			// A tap on a pin opens its popup only, not also the area under it.
			L.circleMarker(toLatLng(frame, [Number(x), Number(y)]), { radius: 8, color: '#fff', weight: 2, fillColor: STATUS_COLOUR[status] ?? '#4b5563', fillOpacity: 1, bubblingMouseEvents: false })
				.bindPopup(() => {
					const box = textElement('…', 'div');
					on.pinPopup(id).then((content) => box.replaceChildren(content));
					return box;
				})
		)
	);
	map.addLayer(cluster);
	return () => void map.remove();
}
