import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, signOut } from './helpers';

/**
 * Transparency: a signed-out visitor opens the public page of 新郭花园 (and of its community) without
 * JavaScript; the street administrator of 亭林 opens the roll-up; the committee opens its dashboard.
 * At 360 px, with axe on each page.
 */

const XINGUO = '5eed0000-0000-4000-8000-000000006221';
const XINGUO_COMMUNITY = '5eed0000-0000-4000-8000-000000006211';
const TINGLIN = '5eed0000-0000-4000-8000-000000006201';
const STREET = { email: 'street@demo.linyi.org', password: 'linyi-street-2026' };

async function noHorizontalScroll(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

test('a signed-out visitor reads the transparency page of a public estate and its community', async ({ page, browser }) => {
	await page.goto(`/estates/${XINGUO}/transparency`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('新郭花园 · 公开透明');
	await expect(page.getByRole('img', { name: '各状态议题数' })).toBeVisible();
	const done = page.locator('section', { has: page.getByRole('heading', { name: '已经完成' }) });
	await expect(done).toContainText('北院健身器材更新');
	await expect(done).toContainText('1栋楼道扶手加装');
	await expect(page.locator('section', { has: page.getByRole('heading', { name: '正在实施' }) })).toContainText('北院增设休息长椅');
	await expect(page.locator('section', { has: page.getByRole('heading', { name: '长期跟进' }) })).toContainText('垃圾分类定时定点');
	await expect(page.getByText('新郭居民 钱阿婆')).toHaveCount(0);
	await noHorizontalScroll(page);
	await expectAccessible(page);

	await page.getByRole('link', { name: '新郭社区' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('新郭社区 · 公开透明');
	await expect(page.getByRole('link', { name: '新郭花园' })).toBeVisible();
	await noHorizontalScroll(page);
	await expectAccessible(page);

	// A members-only estate asks to sign in.
	await page.goto(`/estates/${JINYUAN}/transparency`);
	await expect(page).toHaveURL(/\/auth\/sign-in\?next=/);

	// Without JavaScript, with large text: the charts and their numbers are in the HTML.
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
	await context.addCookies([{ name: 'linyi_text', value: 'large', url: page.url() }]);
	const bare = await context.newPage();
	await bare.goto(`/estates/${XINGUO}/transparency`);
	await expect(bare.getByRole('img', { name: '各阶段用时（中位数）' })).toBeVisible();
	await expect(bare.getByRole('table').filter({ hasText: '提出 → 受理' })).toContainText('4 天（6 件）');
	await noHorizontalScroll(bare);
	await context.close();
});

test('the street administrator opens the roll-up of 亭林 and a community of it; the committee opens its dashboard', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 780 });
	await signIn(page, STREET.email, STREET.password);
	await page.goto('/me');
	await page.getByRole('link', { name: '亭林街道 · 各社区汇总' }).click();
	await expect(page).toHaveURL(new RegExp(`/streets/${TINGLIN}$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('亭林街道 · 各社区汇总');
	const table = page.getByRole('region', { name: '各社区汇总' });
	for (const name of ['横塘社区', '新郭社区', '石湖社区', '彩香社区']) await expect(table.getByRole('link', { name })).toBeVisible();
	await expect(table.locator('tfoot')).toContainText('合计');
	await expect(page.getByRole('img', { name: '各社区已完成事项' })).toBeVisible();
	await noHorizontalScroll(page);
	await expectAccessible(page);

	await table.getByRole('link', { name: '横塘社区' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('横塘社区 · 公开透明');
	await expect(page.getByRole('link', { name: '晋源水岸花苑' })).toBeVisible();
	await page.getByRole('link', { name: '晋源水岸花苑' }).click();
	await expect(page.getByText('这个小区的议题只对本小区居民公开')).toBeVisible();
	await noHorizontalScroll(page);
	await expectAccessible(page);
	await signOut(page);

	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(`/estates/${JINYUAN}`);
	await page.getByRole('link', { name: '工作台' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('居委会工作台');
	await expect(page.getByRole('heading', { name: '超过 30 天没有进展的事项' })).toBeVisible();
	await expect(page.getByRole('img', { name: '各区域办理中的事项' })).toBeVisible();
	await expect(page.getByRole('img', { name: '各阶段用时（中位数）' })).toBeVisible();
	await noHorizontalScroll(page);
	await expectAccessible(page);
});
