import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, signOut, testSql } from './helpers';

/**
 * Decision publicity (公示): the committee publishes an approved decision, a resident objects to paragraph 2
 * (without JavaScript), the committee answers, the window closes (the harness's clock: testSql), the
 * publication is final and the work starts. At 360 px, with axe on each page.
 */

const RESIDENT_ID = '5eed0000-0000-4000-8000-000000001001';

async function approvedIssue(title: string): Promise<string> {
	const [{ id }] = await testSql<{ id: string }>(
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 select $1, a.id, $2, $3, '南苑东侧空地建电动自行车充电棚，解决飞线充电。', 'facilities', 'approved'
		 from public.areas a where a.estate_id = $1 and a.name = '南苑' returning id::text`,
		[JINYUAN, RESIDENT_ID, title]
	);
	return id;
}

async function noHorizontalScroll(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

/** The resident objects in a browser without JavaScript: the paragraph's form is a plain form. */
async function objectWithoutScript(browser: Browser, url: string) {
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
	const page = await context.newPage();
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(url);
	await expect(page.getByText('公示到')).toBeVisible();
	await page.getByText('对第 2 段提出异议').click();
	// An empty reason is refused beside the field of that paragraph.
	await page.locator('#p2').getByRole('button', { name: '提出异议' }).click();
	await expect(page.locator('#reason-2-error')).toHaveText('这一项必须填写。');
	await page.locator('#p2').getByLabel('对第 2 段的异议理由').fill('南苑有一百多辆电动车，40 个充电口不够用。');
	await page.locator('#p2').getByRole('button', { name: '提出异议' }).click();
	const mine = page.locator('#objections ~ ul li').filter({ hasText: '40 个充电口不够用' });
	await expect(mine).toContainText('对第 2 段（第 1 稿）的异议');
	await expect(mine).toContainText('我的异议');
	await expect(mine).toContainText('等待答复');
	await noHorizontalScroll(page);
	await context.close();
}

test('the committee publishes a decision, a resident objects to paragraph 2, the committee answers, the window closes and the work starts', async ({ page, browser }) => {
	test.setTimeout(180_000);
	const issue = await approvedIssue('南苑建设电动自行车充电棚');
	const issueUrl = `/estates/${JINYUAN}/issues/${issue}`;

	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(issueUrl);
	// Each step named by what it does: publishing is its own step, not a second 开始实施.
	await expect(page.getByRole('radio', { name: '开始实施' })).toHaveCount(0);
	await page.getByRole('link', { name: '公示决定' }).click();
	await expect(page).toHaveURL(`${issueUrl}/publish`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('公示决定');
	const text = page.getByLabel('公示内容');
	await expect(text).toHaveValue(/南苑东侧空地建电动自行车充电棚/);
	await noHorizontalScroll(page);
	await expectAccessible(page);
	await text.fill('经居民议事会表决，同意在南苑建设电动自行车充电棚。\n\n车棚设在南苑东侧空地，设 40 个充电口。\n\n费用由物业维修资金和街道补贴共同承担。');
	await page.getByLabel('公示天数').fill('7');
	await page.getByRole('button', { name: '公示决定' }).click();
	await expect(page).toHaveURL(/\/publications\/[0-9a-f-]{36}$/);
	const pubUrl = new URL(page.url()).pathname;
	await expect(page.locator('.badge').first()).toHaveText('公示中');
	await expect(page.locator('.paragraphs > li')).toHaveCount(3);
	await expect(page.getByText(/（北京时间）/)).toBeVisible();
	await expectAccessible(page);

	// Starting the work now is refused, and the message says until when the window runs.
	await page.goto(issueUrl);
	await expect(page.locator('.badge.status-publicized').first()).toHaveText('公示中');
	await page.getByRole('radio', { name: '开始实施' }).check();
	await page.getByRole('button', { name: '确定' }).click();
	await expect(page.getByRole('alert').filter({ hasText: '公示期还没有结束（到' })).toBeVisible();
	await signOut(page);

	await objectWithoutScript(browser, pubUrl);

	await page.goto(pubUrl);
	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(pubUrl);
	const objection = page.locator('#objections ~ ul li').filter({ hasText: '40 个充电口不够用' });
	await expect(objection).toContainText('王阿姨');
	// A rejection needs its reason, beside the field.
	await objection.getByRole('radio', { name: '不采纳（必须说明理由）' }).check();
	await objection.getByRole('button', { name: '提交答复' }).click();
	await expect(objection.locator('.field-error')).toHaveText('不通过时请写明原因。');
	await objection.getByRole('radio', { name: '不采纳（必须说明理由）' }).check();
	await objection.getByLabel('答复内容（不采纳时必填）').fill('按登记的电动车数量测算，40 个充电口可以满足夜间充电；不够时再加装。');
	await objection.getByRole('button', { name: '提交答复' }).click();
	await expect(objection).toContainText('未采纳');
	await expect(objection).toContainText('按登记的电动车数量测算');
	await expectAccessible(page);

	// The harness's clock: the window ends (the app offers no way to cut it short).
	await testSql(`update public.publications set opens_at = opens_at - interval '8 days', closes_at = now() - interval '1 second' where id = $1`, [
		pubUrl.split('/').pop()
	]);
	await page.reload();
	await expect(page.locator('.badge').first()).toHaveText('公示结束');
	await expect(page.getByText('所有异议均已答复')).toBeVisible();

	await page.goto(issueUrl);
	await page.getByRole('radio', { name: '开始实施' }).check();
	await page.getByRole('button', { name: '确定' }).click();
	await expect(page.locator('.badge.status-in_progress').first()).toHaveText('实施中');
	const timeline = page.locator('ol.timeline');
	await expect(timeline).toContainText('决定开始公示');
	await expect(timeline).toContainText('有居民对公示提出异议');
	await expect(timeline).toContainText('居委会答复了一条异议（未采纳）');
	await expect(timeline).toContainText('公示期满，异议均已答复，公示结束');
	await expect(timeline).toContainText('开始实施 → 实施中');
	await noHorizontalScroll(page);
	await expectAccessible(page);
	await signOut(page);

	// The objector hears the answer.
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto('/me/notifications');
	await expect(page.getByText('您对“关于“南苑建设电动自行车充电棚”的决定公示”第 2 段的异议未被采纳').or(page.getByText(/第 2 段的异议未被采纳/)).first()).toBeVisible();
});

test('the estate lists its publications, open windows first, and a newcomer sees the demo’s open one with its answered objection', async ({ page }) => {
	await signIn(page, DEMO.owner.email, DEMO.owner.password);
	await page.goto(`/estates/${JINYUAN}`);
	await page.getByRole('link', { name: '公示', exact: true }).click();
	await expect(page).toHaveURL(`/estates/${JINYUAN}/publications`);
	const first = page.locator('li.card').first();
	await expect(first.locator('.badge')).toHaveText('公示中');
	await page.getByRole('link', { name: '关于东苑增设公共晾衣架的决定公示' }).click();
	await expect(page.getByText('6 栋和 7 栋之间早上晒不到太阳')).toBeVisible();
	await expect(page.getByText('未采纳')).toBeVisible();
	await expect(page.getByText('对第 1 段提出异议')).toBeVisible();
	await noHorizontalScroll(page);
	await expectAccessible(page);
	// With large text too: the paragraphs and their objection forms still fit 360 px.
	await page.getByRole('button', { name: '大字' }).click();
	await page.getByText('对第 2 段提出异议').click();
	await noHorizontalScroll(page);
	await expectAccessible(page);
	await page.getByRole('button', { name: '标准字号' }).click();
	await page.goto(`/estates/${JINYUAN}/publications`);
	await page.getByRole('link', { name: '关于南苑建设电动自行车充电车棚的决定公示' }).click();
	await expect(page.locator('p.meta').first()).toContainText('第 2 稿');
	await expect(page.getByText('已在第 2 稿中修改')).toBeVisible();
	await page.getByText(/第 1 稿：/).click();
	await expect(page.getByText('车棚选址南苑东侧空地，设 40 个充电口，扫码按度计费。')).toBeVisible();
	await expectAccessible(page);
});
