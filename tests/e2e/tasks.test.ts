import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, signOut, testSql } from './helpers';

/**
 * Tasks and the time bank on a phone-sized screen: the moderator posts a task from the approved bench
 * issue; party@ claims it on the claim board (without JavaScript, in large text), reports it done once it
 * has started (the harness's clock: testSql); the committee confirms; the hours show on party@'s
 * statement and printable service card, whose public page shows what it claims. axe on each page.
 */

const BENCH = '5eed0000-0000-4000-8000-000000002001';

async function noHorizontalScroll(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

/** A China wall time `days` from now for a datetime-local field. */
const chinaLocal = (days: number, hour: number) => {
	const d = new Date(Date.now() + days * 86400_000 + 8 * 3600_000);
	return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
};

test('a task from the bench decision: posted, claimed on the board, reported, confirmed, credited', async ({ page, browser }) => {
	// Four people's pages with axe on each: longer than one page's budget on a shared machine.
	test.setTimeout(240_000);
	const title = `装座椅扶手${Date.now() % 100000}`;
	await signIn(page, DEMO.moderator.email, DEMO.moderator.password);
	await page.goto(`/estates/${JINYUAN}/tasks/new?issue=${BENCH}`);
	await expectAccessible(page);
	await noHorizontalScroll(page);
	await page.getByLabel('任务名称').fill(title);
	await page.getByLabel('需要做什么').fill('给凉亭周围的六张座椅装上扶手，方便老人起身。');
	await page.getByLabel('开始时间').fill(chinaLocal(4, 9));
	await page.getByLabel('结束时间').fill(chinaLocal(4, 12));
	await page.getByLabel('需要几人').fill('2');
	await page.getByLabel('预计每人几小时').fill('2');
	await page.getByLabel('谁可以认领').selectOption('party');
	await page.getByRole('button', { name: '发布' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(page.getByText('落实议题：')).toBeVisible();
	await expectAccessible(page);
	await signOut(page);

	// party@ on a phone without JavaScript, in large text.
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
	await context.addCookies([{ name: 'linyi_text', value: 'large', url: page.url() }]);
	const phone = await context.newPage();
	await signIn(phone, DEMO.party.email, DEMO.party.password);
	await phone.goto(`/estates/${JINYUAN}/claim`);
	await expect(phone.getByRole('heading', { level: 1, name: '认领任务' })).toBeVisible();
	await noHorizontalScroll(phone);
	const card = phone.locator('li.card').filter({ hasText: title });
	await expect(card).toContainText('还剩 2 个名额（共 2 个）');
	await card.getByRole('button', { name: `认领“${title}”` }).click();
	await expect(phone.locator('li.card').filter({ hasText: title })).toContainText('您已认领');
	await expect(phone.locator('li.card').filter({ hasText: title })).toContainText('还剩 1 个名额');

	// The task's day comes (the harness's clock), and party@ reports 2 hours.
	await testSql(`update public.tasks set starts_at = now() - interval '1 hour', ends_at = now() + interval '2 hours' where title = $1`, [title]);
	await phone.goto(`/estates/${JINYUAN}/claim`);
	const mine = phone.locator('section', { has: phone.getByRole('heading', { name: '我认领的任务' }) }).locator('li').filter({ hasText: title });
	await mine.getByText('报告完成').click();
	await mine.getByLabel('实际用了几小时').fill('5');
	await mine.getByRole('button', { name: '提交' }).click();
	await expect(phone.getByText('工时要大于 0，按半小时计，不能超过任务的时间段。')).toBeVisible();
	const again = phone.locator('section', { has: phone.getByRole('heading', { name: '我认领的任务' }) }).locator('li').filter({ hasText: title });
	await again.getByLabel('实际用了几小时').fill('2');
	await again.getByLabel('做了什么（可不填）').fill('六张座椅都装好了扶手。');
	await again.getByRole('button', { name: '提交' }).click();
	await expect(phone.locator('li').filter({ hasText: title }).first()).toContainText('已报告，待确认');

	// The committee confirms.
	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(`/estates/${JINYUAN}/claim`);
	const toConfirm = page.locator('section', { has: page.getByRole('heading', { name: '等您确认的工时' }) }).locator('li').filter({ hasText: title });
	await expect(toConfirm).toContainText('报告了 2 小时');
	await expectAccessible(page);
	await toConfirm.getByRole('button', { name: '确认工时' }).click();
	await expect(page.locator('section', { has: page.getByRole('heading', { name: '等您确认的工时' }) }).locator('li').filter({ hasText: title })).toHaveCount(0);

	await signOut(page);

	// party@'s statement and service card: without JavaScript on the phone, and axe (which needs it) on the same pages.
	await phone.goto(`/estates/${JINYUAN}/time-bank`);
	await expect(phone.getByRole('heading', { level: 1, name: '时间银行' })).toBeVisible();
	await expect(phone.locator('.entries li').filter({ hasText: title }).first()).toContainText('+2');
	await noHorizontalScroll(phone);
	await phone.goto(`/estates/${JINYUAN}/service`);
	await expect(phone.getByText('已报到：晋源区税务局第一党支部')).toBeVisible();
	await phone.getByRole('button', { name: '打印服务证明' }).click();
	await expect(phone).toHaveURL(/\/cards\/[0-9a-f]{32}$/);
	const cardUrl = phone.url();
	await expect(phone.getByRole('heading', { level: 1, name: '在职党员进社区服务证明' })).toBeVisible();
	await context.close();

	await signIn(page, DEMO.party.email, DEMO.party.password);
	for (const path of ['claim', 'time-bank', 'service']) {
		await page.goto(`/estates/${JINYUAN}/${path}`);
		await expectAccessible(page);
		await noHorizontalScroll(page);
	}

	// The card's public page, for whoever scans the QR code: what the card claims, no more.
	const anon = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
	const reader = await anon.newPage();
	await reader.goto(cardUrl);
	await expect(reader.getByText('党员 孙师傅')).toBeVisible();
	await expect(reader.getByText('晋源区税务局第一党支部')).toBeVisible();
	await expect(reader.getByRole('img', { name: '核验二维码' })).toBeVisible();
	await expectAccessible(reader);
	await noHorizontalScroll(reader);
	await anon.close();
});
