/**
 * Which area a tap on the map picks, in screen pixels. On a 360 px phone a
 * building can be drawn 41 × 12 px, too small for a finger; so a tap picks
 * the building whose outline is nearest, if it is within `reach` px (inside
 * one counts as 0), and only otherwise the courtyard (or other area) it falls
 * in. Neighbours share the space between them by distance, so each building's
 * target reaches half-way to the next one and `reach` px into open ground.
 */

export type Point = [number, number];
/** An area as drawn: whether it is a building, and its polygons' rings in screen pixels. */
export interface Shape {
	building: boolean;
	rings: Point[][];
}

function segmentDistance([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
	const dx = bx - ax;
	const dy = by - ay;
	const len = dx * dx + dy * dy;
	const k = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len));
	return Math.hypot(px - (ax + k * dx), py - (ay + k * dy));
}

/** Even-odd rule over all rings, so that holes are outside. */
export function inside([px, py]: Point, rings: Point[][]): boolean {
	let odd = false;
	for (const ring of rings) {
		for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
			const [xi, yi] = ring[i];
			const [xj, yj] = ring[j];
			if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) odd = !odd;
		}
	}
	return odd;
}

/** Distance from a point to a shape's outline; 0 inside it. */
export function distance(p: Point, rings: Point[][]): number {
	if (inside(p, rings)) return 0;
	let best = Infinity;
	for (const ring of rings) for (let i = 0; i < ring.length; i++) best = Math.min(best, segmentDistance(p, ring[i], ring[(i + 1) % ring.length]));
	return best;
}

/**
 * The index of the shape a tap at `p` picks, or -1: the nearest building
 * within `reach`; else, among the others, the last one drawn that holds the
 * point (spaces are drawn over courtyards).
 */
export function pick(p: Point, shapes: Shape[], reach: number): number {
	let best = -1;
	let bestDistance = Infinity;
	shapes.forEach((s, i) => {
		if (!s.building) return;
		const d = distance(p, s.rings);
		if (d <= reach && d < bestDistance) {
			best = i;
			bestDistance = d;
		}
	});
	if (best >= 0) return best;
	for (let i = shapes.length - 1; i >= 0; i--) if (!shapes[i].building && inside(p, shapes[i].rings)) return i;
	return -1;
}
