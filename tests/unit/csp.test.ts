import { describe, expect, it } from 'vitest';
import { imageSources, withImageSources } from '../../src/lib/server/csp';
import config from '../../svelte.config.js';

const POLICY = "default-src 'self'; img-src 'self' data:; script-src 'self' 'nonce-abc'";

describe('images in the Content-Security-Policy', () => {
	it("allows only the app itself and inlined icons at build time, never any https: host", () => {
		expect(config.kit?.csp?.directives?.['img-src']).toEqual(['self', 'data:']);
	});

	it('adds the configured tile server, a subdomain placeholder as one wildcard label', () => {
		expect(imageSources({ mode: 'embedded', MAP_TILE_URL: 'https://tiles.example.cn/{z}/{x}/{y}.png' })).toEqual(['https://tiles.example.cn']);
		expect(imageSources({ mode: 'embedded', MAP_TILE_URL: 'https://{s}.tile.example.org:8443/{z}/{x}/{y}.png' })).toEqual(['https://*.tile.example.org:8443']);
		expect(imageSources({ mode: 'embedded', MAP_TILE_URL: 'https://webrd0{s}.is.example.com/appmaptile?x={x}&y={y}&z={z}' })).toEqual(['https://*.is.example.com']);
		expect(imageSources({ mode: 'embedded' })).toEqual([]);
	});

	it("adds the Supabase project in supabase mode, for Storage's signed photo URLs", () => {
		expect(imageSources({ mode: 'supabase', PUBLIC_SUPABASE_URL: 'https://abcdefgh.supabase.co/' })).toEqual(['https://abcdefgh.supabase.co']);
	});

	it('extends img-src alone, leaving the rest of the policy as it was', () => {
		expect(withImageSources(POLICY, ['https://tiles.example.cn'])).toBe("default-src 'self'; img-src 'self' data: https://tiles.example.cn; script-src 'self' 'nonce-abc'");
		expect(withImageSources(POLICY, [])).toBe(POLICY);
	});
});
