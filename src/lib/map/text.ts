import L from 'leaflet';

/**
 * Leaflet treats a string given to bindTooltip, bindPopup, setContent, an
 * attribution or a control's text as HTML. Area names come from the area
 * editor and from GeoJSON imports, so text reaches Leaflet only as DOM nodes
 * built here with textContent: a name like `<img src=x onerror=…>` stays the
 * words it is.
 */
export function textElement(text: string, tag: 'span' | 'div' = 'span'): HTMLElement {
	const el = document.createElement(tag);
	el.textContent = text;
	return el;
}

/** A control showing one line of text, e.g. the tile provider's attribution. */
export function textControl(text: string, position: L.ControlPosition, className: string): L.Control {
	const control = new L.Control({ position });
	control.onAdd = () => {
		const el = textElement(text, 'div');
		el.className = `leaflet-control ${className}`;
		return el;
	};
	return control;
}
