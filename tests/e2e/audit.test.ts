import { expect, test } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn } from './helpers';

test('the committee finds the audit log among the estate’s 管理 links, and it passes axe', async ({ page }) => {
	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(`/estates/${JINYUAN}`);
	await page.getByRole('link', { name: '操作记录' }).click();
	await expect(page.getByRole('heading', { name: '操作记录' })).toBeVisible();
	await expectAccessible(page);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the committee reads the audit log a page at a time', async ({ page }) => {
		await signIn(page, DEMO.committee.email, DEMO.committee.password);
		await page.goto(`/estates/${JINYUAN}/manage/audit`);
		await expect(page.locator('.audit > li')).toHaveCount(50);
		// The demo's register was written by its seed: entries without a person behind them.
		await expect(page.locator('.audit > li').last()).toContainText('系统（按时）');
		const first = (await page.locator('.audit > li time').first().getAttribute('datetime')) ?? '';
		await page.getByRole('link', { name: '更早的记录' }).click();
		await expect(page).toHaveURL(/\?before=\d+$/);
		await expect(page.locator('.audit > li').first()).toBeVisible();
		await page.getByRole('link', { name: '回到最新' }).click();
		await expect(page.locator('.audit > li time').first()).toHaveAttribute('datetime', first);
	});
});
