import { expect, test } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, signOut } from './helpers';

const DOGS = `/estates/${JINYUAN}/issues/5eed0000-0000-4000-8000-000000002013`;

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a moderator finds the reported comment in the queue, hides it there, and its reply stays in the discussion', async ({ page }) => {
		await signIn(page, DEMO.moderator.email, DEMO.moderator.password);
		await page.goto(DOGS);
		// On the issue page the moderator sees that the comment was reported.
		await expect(page.locator('article.comment').filter({ hasText: '养狗的都该罚款' }).getByRole('link', { name: '被举报 2 次，待处理' })).toBeVisible();
		await page.goto(`/estates/${JINYUAN}`);
		await page.getByRole('link', { name: '待处理的举报' }).click();
		await expect(page.getByRole('heading', { level: 1, name: '待处理的举报' })).toBeVisible();
		const item = page.getByRole('listitem').filter({ hasText: '养狗的都该罚款' });
		await expect(item).toContainText('攻击养狗的邻居');
		await expect(item).toContainText('言语过激');
		// A decision needs a reason: the browser asks for it, and so does the server.
		await item.getByLabel('原因（作者能看到）').fill('请就事论事，不要攻击邻居');
		await item.getByRole('button', { name: '隐藏' }).click();
		await expect(page.getByRole('status')).toHaveText('已隐藏这条评论，作者会收到通知。');
		await expect(page.getByText('现在没有待处理的举报。')).toBeVisible();
		await signOut(page);

		await signIn(page, DEMO.resident.email, DEMO.resident.password);
		await page.goto(DOGS);
		await expect(page.getByText('这条评论已被隐藏，下面是邻居们对它的回复。')).toBeVisible();
		await expect(page.getByText('请大家就事论事，规范养犬，不要一刀切。')).toBeVisible();
		await expect(page.getByText('养狗的都该罚款')).toHaveCount(0);
	});
});

test('the moderation queue and an issue discussion pass axe', async ({ page }) => {
	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(`/estates/${JINYUAN}/moderation`);
	await expect(page.getByRole('heading', { level: 1, name: '待处理的举报' })).toBeVisible();
	await expectAccessible(page);
	await page.goto(DOGS);
	await expectAccessible(page);
});

test('the board finds the demo’s 座椅 issue by 长椅, and times are China time', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(`/estates/${JINYUAN}/issues?q=${encodeURIComponent('长椅')}`);
	await expect(page.getByRole('link', { name: '南苑中心花园增设休息座椅的位置' })).toBeVisible();
	await page.goto(`/estates/${JINYUAN}/issues?status=completed&q=${encodeURIComponent('长椅')}`);
	await expect(page.getByRole('link', { name: '中心花园的长椅木条断了，油漆也掉光了' })).toBeVisible();
	await page.goto(`/estates/${JINYUAN}/issues?status=completed&q=${encodeURIComponent('充电桩')}`);
	await expect(page.getByRole('link', { name: /充电车棚/ })).toBeVisible();
	await page.goto(DOGS);
	const stamp = page.locator('article.comment time').first();
	const iso = await stamp.getAttribute('datetime');
	const china = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(new Date(iso!));
	await expect(stamp).toHaveText(china);
});
