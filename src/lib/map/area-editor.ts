import L from 'leaflet';
import '@geoman-io/leaflet-geoman-free';
import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css';
import type { AreaGeometry } from '$lib/domain/estate';
import { createEstateMap, rings, type MapInput } from './estate-map';
import { fromLatLng, type Frame } from './projection';

/** A drawn or edited Leaflet polygon as a stored GeoJSON Polygon, rings closed. */
function toGeometry(f: Frame, layer: L.Polygon): AreaGeometry {
	const latlngs = layer.getLatLngs() as L.LatLng[][];
	const coordinates = latlngs.map((ring) => {
		const points = ring.map((ll) => fromLatLng(f, ll.lat, ll.lng));
		return [...points, points[0]];
	});
	return { type: 'Polygon', coordinates };
}

/**
 * The area editor: the estate map with drawing tools (leaflet-geoman). The
 * selected area's shape can be dragged into place; with nothing selected a
 * new polygon can be drawn. Every change is reported as GeoJSON.
 */
export function drawAreaEditor(
	el: HTMLElement,
	input: MapInput,
	selectedId: string | null,
	locale: string,
	onShape: (geometry: AreaGeometry) => void
): () => void {
	const others = input.areas.filter((a) => a.id !== selectedId);
	const { map, frame: f, destroy } = createEstateMap(el, { ...input, areas: others });
	const selected = input.areas.find((a) => a.id === selectedId);
	map.pm.setLang(locale === 'en' ? 'en' : 'zh');
	/** geoman's buttons are links named only by their container's title: give them that name. */
	const nameButtons = () =>
		el.querySelectorAll<HTMLElement>('.leaflet-pm-toolbar .button-container').forEach((c) => {
			c.querySelector('a')?.setAttribute('aria-label', c.title);
		});
	map.pm.addControls({
		position: 'topleft',
		drawMarker: false,
		drawCircleMarker: false,
		drawPolyline: false,
		drawCircle: false,
		drawText: false,
		cutPolygon: false,
		rotateMode: false,
		dragMode: false,
		removalMode: false,
		drawPolygon: !selected,
		drawRectangle: !selected,
		editMode: false
	});
	nameButtons();
	if (selected?.geometry) {
		const layer = L.polygon(rings(f, selected.geometry)[0], { color: '#a8201a', weight: 3 }).addTo(map);
		layer.pm.enable({ allowSelfIntersection: false });
		layer.on('pm:edit', () => onShape(toGeometry(f, layer)));
		map.fitBounds(layer.getBounds(), { padding: [24, 24] });
	}
	map.on('pm:create', (e) => {
		const layer = e.layer as L.Polygon;
		layer.pm.enable({ allowSelfIntersection: false });
		layer.on('pm:edit', () => onShape(toGeometry(f, layer)));
		onShape(toGeometry(f, layer));
		// One new area at a time.
		map.pm.addControls({ drawPolygon: false, drawRectangle: false });
		nameButtons();
	});
	return destroy;
}
