import { expect, test } from '@playwright/test';
import { CAILIAN, DEMO, expectAccessible, signIn } from './helpers';

test('the committee draws a new building on the site plan and renames it from the list', async ({ page }) => {
	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(`/estates/${CAILIAN}/manage/areas`);
	await expect(page.locator('.leaflet-container')).toBeVisible();
	await expectAccessible(page);

	// Draw a rectangle in the middle of the plan with the drawing tool.
	await page.locator('.leaflet-pm-icon-rectangle').click();
	const box = (await page.locator('.leaflet-container').boundingBox())!;
	await page.mouse.click(box.x + box.width / 2 - 15, box.y + box.height / 2 - 10);
	await page.mouse.click(box.x + box.width / 2 + 15, box.y + box.height / 2 + 10);
	await expect(page.getByText('形状已更新，保存后生效。')).toBeVisible();
	await page.getByLabel('名称').fill('21幢');
	await page.getByLabel('类型').selectOption('building');
	await page.getByRole('button', { name: '保存区域' }).click();
	await expect(page.getByText('已保存。')).toBeVisible();
	await expect(page.getByRole('heading', { name: '正在修改：21幢' })).toBeVisible();

	await page.getByLabel('名称').fill('21幢（新）');
	await page.getByRole('button', { name: '保存区域' }).click();
	await expect(page.getByRole('heading', { name: '正在修改：21幢（新）' })).toBeVisible();
	await expect(page.locator('.area-list')).toContainText('21幢（新）');
});
