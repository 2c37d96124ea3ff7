import { expect, test } from '@playwright/test';
import { CAILIAN, DEMO, JINYUAN, attemptSignIn, expectAccessible, signIn, signOut, uniquePhone } from './helpers';

test('a new resident signs up, asks to join with a unit, is verified by the committee and sees the members-only estate page', async ({ page }) => {
	const phone = uniquePhone();
	await page.goto('/');
	await expectAccessible(page);
	await page.getByRole('link', { name: '注册' }).first().click();
	await expectAccessible(page);
	await page.getByLabel('称呼').fill('新邻居 小周');
	await page.getByLabel('手机号或邮箱').fill(phone);
	await page.getByLabel('密码').fill('garden-bench-42');
	await page.getByRole('button', { name: '注册' }).click();
	await expect(page.getByRole('heading', { name: '新邻居 小周，您好' })).toBeVisible();
	await expectAccessible(page);

	await page.goto(`/estates/${JINYUAN}`);
	await expect(page.getByRole('heading', { name: '晋源水岸花苑' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: '申请加入' }).click();
	await expectAccessible(page);
	await page.getByLabel('楼栋').selectOption({ label: '1栋' });
	await page.getByLabel('单元').fill('1');
	await page.getByLabel('房号').fill('301');
	await page.getByRole('button', { name: '提交申请' }).click();
	await expect(page.getByText('您的申请正在等居委会核实。')).toBeVisible();
	await signOut(page);

	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(`/estates/${JINYUAN}/manage/members`);
	await expectAccessible(page);
	const request = page.getByRole('listitem').filter({ hasText: '新邻居 小周' });
	await request.getByRole('button', { name: '核实通过' }).click();
	await expect(page.getByRole('listitem').filter({ hasText: '新邻居 小周' }).getByRole('button', { name: '保存身份' })).toBeVisible();
	await signOut(page);

	await signIn(page, phone, 'garden-bench-42');
	await page.goto(`/estates/${JINYUAN}`);
	await expect(page.getByRole('list', { name: '小区概况' })).toBeVisible();
	await expect(page.getByText('位居民已加入')).toBeVisible();
	await expectAccessible(page);
});

test('a wrong password is refused, and five failures lock the account even for the right password', async ({ page }) => {
	const phone = uniquePhone();
	await page.goto('/auth/sign-up');
	await page.getByLabel('称呼').fill('锁定测试');
	await page.getByLabel('手机号或邮箱').fill(phone);
	await page.getByLabel('密码').fill('lantern-river-77');
	await page.getByRole('button', { name: '注册' }).click();
	await expect(page.getByRole('heading', { name: '锁定测试，您好' })).toBeVisible();
	await signOut(page);

	for (let i = 1; i <= 4; i++) {
		await attemptSignIn(page, phone, `wrong-password-${i}`);
		await expect(page.getByRole('alert')).toContainText('账号或密码不对');
	}
	await expectAccessible(page);
	await attemptSignIn(page, phone, 'wrong-password-5');
	await expect(page.getByRole('alert')).toContainText('已暂时锁定');
	await attemptSignIn(page, phone, 'lantern-river-77');
	await expect(page.getByRole('alert')).toContainText('已暂时锁定');
	await expect(page).toHaveURL(/\/auth\/sign-in/);
});

test('the language switch turns the app to English and is remembered', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Linyi: neighbours deciding together');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.goto(`/estates/${CAILIAN}`);
	await expect(page.getByRole('heading', { name: 'Estate map' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: '中文' }).click();
	await expect(page.getByRole('heading', { name: '小区地图' })).toBeVisible();
});

test('the large-text switch scales the page', async ({ page }) => {
	await page.goto('/');
	const before = await page.locator('h1').evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
	await page.getByRole('button', { name: '大字' }).click();
	await expect(page.locator('html')).toHaveClass(/text-large/);
	const after = await page.locator('h1').evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
	expect(after).toBeGreaterThan(before * 1.15);
	await expectAccessible(page);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a bad form shows its message beside the field, and a resident signs in', async ({ page }) => {
		await page.goto('/auth/sign-up');
		await page.getByRole('main').getByRole('button', { name: '注册' }).click();
		await expect(page.locator('#f-identifier-error')).toHaveText('这一项必须填写。');
		await expect(page.getByLabel('手机号或邮箱')).toHaveAttribute('aria-invalid', 'true');

		await attemptSignIn(page, DEMO.resident.email, 'not-the-password');
		await expect(page.getByRole('alert')).toContainText('账号或密码不对');
		await signIn(page, DEMO.resident.email, DEMO.resident.password);
		await expect(page).toHaveURL(/\/me$/);
		await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible();
	});
});

test('committee and administrator pages pass axe', async ({ page }) => {
	await signIn(page, DEMO.admin.email, DEMO.admin.password);
	await page.goto('/admin');
	await expect(page.getByRole('heading', { name: '管理后台' })).toBeVisible();
	await expectAccessible(page);
	await page.goto(`/estates/${CAILIAN}/manage/units`);
	await expect(page.getByRole('heading', { name: '房屋登记册' })).toBeVisible();
	await expectAccessible(page);
	await page.goto(`/estates/${CAILIAN}/manage/areas`);
	await expect(page.locator('.leaflet-container')).toBeVisible();
	await expectAccessible(page);
	await page.goto('/settings');
	await expectAccessible(page);
});

test('members-only pages send the public to sign in', async ({ page }) => {
	await page.goto(`/estates/${JINYUAN}/manage/members`);
	await expect(page).toHaveURL(/\/auth\/sign-in\?next=/);
});
