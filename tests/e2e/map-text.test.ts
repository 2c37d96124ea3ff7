import { expect, test } from '@playwright/test';
import { CAILIAN, DEMO, signIn } from './helpers';

/**
 * An area's name is text wherever Leaflet shows it. A committee member (or a
 * GeoJSON import) can name an area anything; drawn into a tooltip as HTML, a
 * name like the one below would create an <img>, load /x and, without the
 * CSP, run its handler for every resident who opens the map.
 */
const HOSTILE = '<img src=x onerror=alert(1)>';

test('a hostile area name stays text on the map, and Leaflet speaks Chinese', async ({ page }) => {
	const requested: string[] = [];
	page.on('request', (r) => requested.push(new URL(r.url()).pathname));
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});

	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(`/estates/${CAILIAN}/manage/areas`);
	await page.locator('.leaflet-pm-icon-rectangle').click();
	await page.locator('.leaflet-container').scrollIntoViewIfNeeded();
	const editor = (await page.locator('.leaflet-container').boundingBox())!;
	const [cx, cy] = [editor.x + editor.width / 2, editor.y + editor.height / 2];
	await page.mouse.click(cx - 40, cy - 30);
	await page.mouse.click(cx + 40, cy + 30);
	await expect(page.getByText('形状已更新，保存后生效。')).toBeVisible();
	await page.getByLabel('名称').fill(HOSTILE);
	await page.getByLabel('类型').selectOption('building');
	await page.getByRole('button', { name: '保存区域' }).click();
	await expect(page.getByText('已保存。')).toBeVisible();

	await page.goto(`/estates/${CAILIAN}/map`);
	const map = page.locator('.leaflet-container');
	await expect(map).toBeVisible();
	// Leaflet's own buttons are named in the page's language.
	await expect(page.locator('.leaflet-control-zoom-in')).toHaveAttribute('title', '放大地图');
	await expect(page.locator('.leaflet-control-zoom-out')).toHaveAttribute('title', '缩小地图');
	await expect(page.getByRole('button', { name: '放大地图' })).toBeVisible();

	// Pointing at an area opens its tooltip. Other journeys draw their areas at the same spot, so
	// point all over the plan and collect what the tooltips say.
	await map.scrollIntoViewIfNeeded();
	const box = (await map.boundingBox())!;
	const tooltip = page.locator('.leaflet-tooltip');
	const texts = new Set<string>();
	for (let i = 1; i < 12; i++) {
		for (let j = 1; j < 12; j++) {
			const [x, y] = [box.x + (box.width * i) / 12, box.y + (box.height * j) / 12];
			await page.mouse.move(x, y);
			// Leaflet's canvas reads the pointer at most every 32 ms: point again after that, so a busy
			// machine cannot skip an area.
			await page.waitForTimeout(40);
			await page.mouse.move(x + 1, y);
			for (const text of await tooltip.allTextContents()) texts.add(text);
		}
	}
	expect([...texts]).toContain(`${HOSTILE} · 0`);
	expect(await page.locator('.leaflet-tooltip img').count()).toBe(0);
	expect(await page.locator('img[src="x"]').count()).toBe(0);
	expect(requested.filter((p) => p === '/x' || p.endsWith('/x'))).toEqual([]);
	expect(dialogs).toEqual([]);

	// Images come only from the app (and a configured tile server): never from any https: host.
	const response = await page.request.get(`/estates/${CAILIAN}/map`);
	expect(response.headers()['content-security-policy']).toMatch(/img-src 'self' data:(;|$)/);
});
