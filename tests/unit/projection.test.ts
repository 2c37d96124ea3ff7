import { describe, expect, it } from 'vitest';
import { frameOf, fromLatLng, toLatLng } from '../../src/lib/map/projection';

const geo = { map_mode: 'geographic' as const, plan_size: null };
const plan = { map_mode: 'site_plan' as const, plan_size: [1200, 800] as [number, number] };

describe('map projection', () => {
	it('keeps WGS-84 as it is without a GCJ-02 tile layer', () => {
		const f = frameOf(geo, { tileUrl: null, tileCrs: 'gcj02' });
		expect(toLatLng(f, [120.5786, 31.2904])).toEqual([31.2904, 120.5786]);
		expect(fromLatLng(f, 31.2904, 120.5786)).toEqual([120.5786, 31.2904]);
	});

	it('shifts WGS-84 onto GCJ-02 tiles by some hundreds of metres, and back within a few centimetres', () => {
		const f = frameOf(geo, { tileUrl: 'https://tiles.example/{z}/{x}/{y}.png', tileCrs: 'gcj02' });
		const [lat, lng] = toLatLng(f, [120.5786, 31.2904]);
		expect(Math.abs(lng - 120.5786)).toBeGreaterThan(0.003);
		const [x, y] = fromLatLng(f, lat, lng);
		expect(Math.abs(x - 120.5786)).toBeLessThan(1e-6);
		expect(Math.abs(y - 31.2904)).toBeLessThan(1e-6);
	});

	it('flips site-plan y, which runs down from the top of the plan', () => {
		const f = frameOf(plan);
		expect(toLatLng(f, [100, 50])).toEqual([750, 100]);
		expect(fromLatLng(f, 750, 100)).toEqual([100, 50]);
	});
});
