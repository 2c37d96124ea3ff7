import { expect, test } from '@playwright/test';
import { CAILIAN, DEMO, JINYUAN, expectAccessible, signIn } from './helpers';

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

test('修改 from the list edits that area: its name in the form, saved under its id, no duplicate beside it', async ({ page }) => {
	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(`/estates/${JINYUAN}/manage/areas`);
	const list = page.locator('.area-list li');
	await expect(list.first()).toBeVisible();
	const before = await list.count();
	const rename = async (from: string, to: string) => {
		await page.getByRole('link', { name: `修改 ${from}`, exact: true }).click();
		await expect(page.getByRole('heading', { name: `正在修改：${from}` })).toBeVisible();
		await expect(page.getByLabel('名称')).toHaveValue(from);
		await expect(page.getByLabel('类型')).toHaveValue('building');
		await page.getByLabel('名称').fill(to);
		await page.getByRole('button', { name: '保存区域' }).click();
		await expect(page.getByText('已保存。')).toBeVisible();
		await expect(page.getByRole('heading', { name: `正在修改：${to}` })).toBeVisible();
		await expect(list).toHaveCount(before);
		await expect(list.filter({ hasText: new RegExp(`^${to} ·`) })).toHaveCount(1);
		await expect(list.filter({ hasText: new RegExp(`^${from} ·`) })).toHaveCount(0);
	};
	// Another area first, so that the form holds one area's values when the next is chosen.
	await page.getByRole('link', { name: '修改 1栋', exact: true }).click();
	await expect(page.getByLabel('名称')).toHaveValue('1栋');
	await rename('15栋', '15号楼');
	// And back, for the journeys that follow (votes on 15栋).
	await rename('15号楼', '15栋');
});
