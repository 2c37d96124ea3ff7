import type { Translate } from '$lib/i18n';

/** Words Leaflet shows (its zoom buttons' names), in the page's language. */
export interface MapText {
	zoomIn: string;
	zoomOut: string;
}

export function mapText(t: Translate): MapText {
	return { zoomIn: t('map.zoom_in'), zoomOut: t('map.zoom_out') };
}

/**
 * Mounts a map from inside onMount: Leaflet touches `window` when imported,
 * so its module is loaded in the browser only, after first paint, and drawn
 * unless the component has gone meanwhile. Returns onMount's cleanup.
 *
 *   onMount(() => lazyMap(() => import('$lib/map/estate-map'), (m) => m.drawEstateMap(el, input)));
 */
export function lazyMap<M>(load: () => Promise<M>, draw: (module: M) => () => void): () => void {
	let destroy: (() => void) | undefined;
	let gone = false;
	load().then((m) => {
		if (!gone) destroy = draw(m);
	});
	return () => {
		gone = true;
		destroy?.();
	};
}
