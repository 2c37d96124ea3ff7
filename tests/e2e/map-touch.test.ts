import { expect, test } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn } from './helpers';

/**
 * On a 360 px phone every building on the issue map can be tapped: the spot
 * that picks a building is at least 44 × 44 px, and a tap there opens that
 * building's issues. The map is drawn on a canvas, so where a building can be
 * picked is found as a person finds it: by pointing, and reading the tooltip.
 */

test.use({ viewport: { width: 360, height: 740 }, hasTouch: true });

test('each building on the map is a target of at least 44 × 44 px, and a tap beside a small one selects it', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(`/estates/${JINYUAN}/map`, { waitUntil: 'networkidle' });
	const map = page.locator('.leaflet-container');
	await expect(map.locator('canvas')).toBeVisible();
	// The area list beside the map: every area's link is a 44 px target too.
	const links = page.locator('.area-counts a');
	const names = new Map<string, string>();
	for (const link of await links.all()) {
		const box = (await link.boundingBox())!;
		expect(box.height, (await link.textContent()) ?? "").toBeGreaterThanOrEqual(44);
		const area = new URL((await link.getAttribute('href'))!, page.url()).searchParams.get('area')!;
		names.set((await link.textContent())!.replace(/的议题$/, ''), area);
	}
	await expectAccessible(page);
	await map.scrollIntoViewIfNeeded();

	// Point at every 2 px of the map, as a mouse would, and keep for each tooltip the box where it shows.
	// (The events go to the map's own element: Leaflet reads pointer moves over its canvas only every 32 ms.)
	const boxes = await map.evaluate((el) => {
		const r = el.getBoundingClientRect();
		const seen: Record<string, { x0: number; y0: number; x1: number; y1: number }> = {};
		for (let y = r.top + 1; y < r.bottom - 1; y += 2) {
			for (let x = r.left + 1; x < r.right - 1; x += 2) {
				el.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true }));
				// A closed tooltip fades out for a moment before it goes: only the shown one counts.
				const tip = [...el.querySelectorAll<HTMLElement>('.leaflet-tooltip')].find((t) => t.style.opacity !== '0')?.textContent;
				if (!tip) continue;
				const b = (seen[tip] ??= { x0: x, y0: y, x1: x, y1: y });
				b.x0 = Math.min(b.x0, x);
				b.y0 = Math.min(b.y0, y);
				b.x1 = Math.max(b.x1, x);
				b.y1 = Math.max(b.y1, y);
			}
		}
		return seen;
	});
	const buildings = Object.entries(boxes)
		.map(([tip, b]) => ({ name: tip.replace(/ · \d+$/, ''), w: b.x1 - b.x0 + 2, h: b.y1 - b.y0 + 2, cx: (b.x0 + b.x1) / 2, top: b.y0 }))
		.filter((b) => /栋$/.test(b.name));
	expect(buildings.length).toBeGreaterThan(3);
	for (const b of buildings) {
		expect(Math.min(b.w, b.h), `${b.name}: ${b.w} × ${b.h} px`).toBeGreaterThanOrEqual(44);
	}

	// Tap the flattest building a little above its own outline (inside its target): its issues open.
	const small = [...buildings].sort((x, y) => x.h - y.h)[0];
	expect(names.has(small.name), small.name).toBe(true);
	await page.touchscreen.tap(small.cx, small.top + 3);
	await expect(page).toHaveURL(new RegExp(`area=${names.get(small.name)}`));
});

test("Leaflet's zoom buttons are named in the page's language", async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(`/estates/${JINYUAN}/map`);
	await expect(page.getByRole('button', { name: '放大地图' })).toHaveAttribute('title', '放大地图');
	await expect(page.getByRole('button', { name: '缩小地图' })).toBeVisible();
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('button', { name: 'Zoom in' })).toHaveAttribute('title', 'Zoom in');
});
