import { describe, expect, it } from 'vitest';
import { distance, pick, type Shape } from '../../src/lib/map/pick';

const rect = (x0: number, y0: number, x1: number, y1: number): [number, number][][] => [
	[
		[x0, y0],
		[x1, y0],
		[x1, y1],
		[x0, y1]
	]
];

// A courtyard with two flat buildings 10 px apart, as 15栋 and 2栋 are drawn on a 360 px phone.
const shapes: Shape[] = [
	{ building: false, rings: rect(0, 0, 300, 200) },
	{ building: true, rings: rect(100, 20, 141, 32) },
	{ building: true, rings: rect(100, 42, 141, 56) }
];

describe('a tap on the issue map', () => {
	it('measures from a building outline, 0 inside it', () => {
		expect(distance([120, 25], rect(100, 20, 141, 32))).toBe(0);
		expect(distance([120, 10], rect(100, 20, 141, 32))).toBe(10);
		expect(distance([144, 36], rect(100, 20, 141, 32))).toBe(5);
	});

	it('picks a small building from a tap beside it, the nearer of two neighbours, and the courtyard further out', () => {
		expect(pick([120, 26], shapes, 32)).toBe(1);
		expect(pick([120, 0], shapes, 32)).toBe(1); // 20 px above the outline
		expect(pick([120, 36], shapes, 32)).toBe(1); // between the two, nearer the first
		expect(pick([120, 40], shapes, 32)).toBe(2);
		expect(pick([170, 26], shapes, 32)).toBe(1);
		expect(pick([250, 150], shapes, 32)).toBe(0);
		expect(pick([400, 150], shapes, 32)).toBe(-1);
	});

	it('gives a 41 × 12 px building a target of at least 44 × 44 px even with a neighbour 10 px away', () => {
		let [top, bottom, left, right] = [Infinity, -Infinity, Infinity, -Infinity];
		for (let y = -40; y < 120; y++)
			for (let x = 40; x < 220; x++)
				if (pick([x, y], shapes, 32) === 1) [top, bottom, left, right] = [Math.min(top, y), Math.max(bottom, y), Math.min(left, x), Math.max(right, x)];
		expect(bottom - top + 1).toBeGreaterThanOrEqual(44);
		expect(right - left + 1).toBeGreaterThanOrEqual(44);
	});
});
