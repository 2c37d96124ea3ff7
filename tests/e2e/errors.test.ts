import { expect, test } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn } from './helpers';

const UNKNOWN = '00000000-0000-4000-8000-00000000dead';
const BENCHES = '5eed0000-0000-4000-8000-000000002001';

test('unknown addresses say what was not found, in words, with a title and the page’s landmarks', async ({ page }) => {
	const cases: Array<[string, string]> = [
		[`/estates/${UNKNOWN}`, '找不到这个小区。'],
		[`/estates/${JINYUAN}/issues/${UNKNOWN}`, '找不到这个议题。'],
		['/no/such/page', '找不到这个页面。']
	];
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	cases.push([`/estates/${JINYUAN}/votes/${UNKNOWN}`, '找不到这项表决']);
	for (const [url, text] of cases) {
		const response = await page.goto(url);
		expect(response?.status(), url).toBe(404);
		await expect(page.getByRole('heading', { level: 1, name: '找不到' })).toBeVisible();
		await expect(page.getByRole('main')).toContainText(text);
		await expect(page.locator('body')).not.toContainText('errors.');
		await expect(page).toHaveTitle('找不到 · 邻议');
		await expectAccessible(page);
	}
});

test('a signed-out neighbour opening a shared link to a members-only issue is asked to sign in, and comes back to it', async ({ page }) => {
	const response = await page.goto(`/estates/${JINYUAN}/issues/${BENCHES}`);
	expect(response?.status()).toBe(401);
	await expect(page.getByRole('heading', { level: 1, name: '请先登录' })).toBeVisible();
	await expect(page.getByRole('main')).toContainText('只有本小区的居民才能看到');
	await expectAccessible(page);
	await page.getByRole('main').getByRole('link', { name: '登录后查看' }).click();
	await page.getByLabel('手机号或邮箱').fill(DEMO.resident.email);
	await page.getByLabel('密码').fill(DEMO.resident.password);
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL(`**/estates/${JINYUAN}/issues/${BENCHES}`);
	await expect(page.getByRole('heading', { level: 1, name: '南苑中心花园增设休息座椅的位置' })).toBeVisible();
});

test('a page the resident may not open says so, with landmarks and a way home', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	const response = await page.goto(`/estates/${JINYUAN}/manage/members`);
	expect(response?.status()).toBe(403);
	await expect(page.getByRole('main')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.getByRole('main').getByRole('link', { name: /首页/ })).toBeVisible();
	expect(await page.title()).not.toBe('');
	await expectAccessible(page);
});
