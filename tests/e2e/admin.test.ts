import { expect, test } from '@playwright/test';
import { DEMO, signIn } from './helpers';

/**
 * With JavaScript on, the estate form's numbers (centre, zoom, plan size)
 * were refused whatever was typed ("请填写数字"): the browser-side check read
 * the inputs' text where the schema wants numbers.
 */
test('an administrator creates a geographic and a site-plan estate with JavaScript on, and a wrong number is still refused beside its field', async ({ page }) => {
	await signIn(page, DEMO.admin.email, DEMO.admin.password);
	await page.goto('/admin', { waitUntil: 'networkidle' });
	const form = page.locator('form[action="?/estate"]');

	await form.getByLabel('社区').selectOption({ label: '横塘社区' });
	await form.getByLabel('小区名称').fill('枫桥新苑');
	await form.getByLabel('地址').fill('枫桥路 8 号');
	await form.getByLabel('中心点纬度').fill('31.3012');
	await form.getByLabel('中心点经度').fill('120.6101');
	await form.getByRole('button', { name: '新建小区' }).click();
	await expect(page).toHaveURL(/\/estates\/[0-9a-f-]{36}\/manage\/areas$/);

	await page.goto('/admin', { waitUntil: 'networkidle' });
	await form.getByLabel('社区').selectOption({ label: '横塘社区' });
	await form.getByLabel('小区名称').fill('石湖东苑');
	await form.getByLabel('小区平面图').check();
	await form.getByLabel('平面图宽度（像素）').fill('50');
	await form.getByLabel('平面图高度（像素）').fill('900');
	await form.getByRole('button', { name: '新建小区' }).click();
	// Too narrow a plan: refused beside the field, nothing created.
	await expect(form.locator('#f-plan_width-error')).toHaveText('数字超出了允许的范围。');
	await form.getByLabel('平面图宽度（像素）').fill('1200');
	await form.getByRole('button', { name: '新建小区' }).click();
	await expect(page).toHaveURL(/\/estates\/[0-9a-f-]{36}\/manage\/areas$/);
});
