import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn } from './helpers';

/**
 * The live port in two browsers: the committee watches a vote's page while an
 * owner votes in another browser; the turnout bar moves without a reload, and
 * the countdown runs on the server's clock even when the watcher's phone clock
 * is two days behind.
 */

async function openVote(page: Page) {
	await page.goto(`/estates/${JINYUAN}/issues/new`, { waitUntil: 'networkidle' });
	await page.getByLabel('标题').fill('走廊夜里黑漆漆');
	await page.getByLabel('类别').selectOption('renovation');
	await page.getByLabel('院落或楼栋').selectOption({ label: '15栋' });
	await page.getByLabel('详细说明').fill('楼道晚上太黑，老人上下楼不安全。');
	await page.getByRole('button', { name: '提交议题' }).click();
	await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
	await page.getByRole('radio', { name: '受理', exact: true }).check();
	await page.getByRole('button', { name: '确定' }).click();
	await page.getByRole('link', { name: '发起表决' }).click();
	await page.waitForLoadState('networkidle');
	await page.getByLabel('表决事项').fill('是否同意 15 栋楼道加装感应灯？');
	await page.getByLabel('表决范围').selectOption({ label: '楼栋：15栋（4 户）' });
	await page.getByLabel('决定事项（《民法典》第二百七十八条）').selectOption('9');
	await page.getByRole('button', { name: '发起表决' }).click();
	await expect(page).toHaveURL(/\/votes\/[0-9a-f-]{36}$/);
	return page.url();
}

test('a ballot cast in one browser shows in the turnout bar of another, without a reload', async ({ browser }) => {
	const watching = await browser.newContext();
	const voting = await browser.newContext();
	try {
		const committee = await watching.newPage();
		await signIn(committee, DEMO.committee.email, DEMO.committee.password);
		const voteUrl = await openVote(committee);

		// The watcher's phone is two days slow; the page must still count down from the server's clock (closing in 7 days).
		await committee.clock.install({ time: Date.now() - 2 * 86400_000 });
		await committee.goto(voteUrl);
		const bar = committee.getByRole('region', { name: '参与情况' });
		await expect(bar).toContainText('0 / 4');
		await committee.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
		await expect(committee.locator('.card strong').filter({ hasText: '还剩' })).toHaveText(/^还剩 6 天 23 小时 \d+ 分$/);

		const owner = await voting.newPage();
		await signIn(owner, DEMO.owner.email, DEMO.owner.password);
		await owner.goto(voteUrl);
		await owner.getByRole('radio', { name: '同意', exact: true }).check();
		await owner.getByRole('button', { name: '投票', exact: true }).click();
		await expect(owner.getByRole('status').locator('.receipt')).toBeVisible();

		// Within the live budget, on the watcher's page as it was: one home of four, and never whose or what.
		await expect(bar).toContainText('1 / 4', { timeout: 5_000 });
		expect(await committee.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
		await expect(committee.getByText('您的选择')).toHaveCount(0);
		await expectAccessible(committee);
	} finally {
		await watching.close();
		await voting.close();
	}
});
