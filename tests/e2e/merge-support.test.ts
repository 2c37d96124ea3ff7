import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, signOut } from './helpers';

/**
 * The committee merges an issue into another it finds by searching the
 * estate's open issues, or by pasting its address as the hint says; and the
 * 附议 button shows only where a support can be given: not to the issue's
 * author, not on a closed issue.
 */
const BOARD = `/estates/${JINYUAN}/issues`;

/** Raises an issue in 西苑 (confirming it is new if similar ones are offered); returns its address. */
async function raise(page: Page, title: string) {
	await page.goto(`${BOARD}/new`);
	await page.getByLabel('标题').fill(title);
	await page.getByLabel('类别').selectOption('facilities');
	await page.getByLabel('院落或楼栋').selectOption({ label: '西苑' });
	await page.getByRole('button', { name: '提交议题' }).click();
	const confirm = page.getByLabel('不是同一件事，我要提新的议题');
	await expect(page.getByRole('heading', { level: 1, name: title }).or(confirm).first()).toBeVisible();
	if (await confirm.isVisible()) {
		await confirm.check();
		await page.getByRole('button', { name: '提交议题' }).click();
	}
	await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
	return new URL(page.url()).pathname;
}

async function expectMergedInto(page: Page, targetPath: string) {
	await expect(page.locator('.badge.status-merged').first()).toBeVisible();
	await expect(page.getByText('这个议题已合并到另一个议题。')).toBeVisible();
	await expect(page.getByText('这个议题已合并到另一个议题。').getByRole('link', { name: '查看' })).toHaveAttribute('href', targetPath);
}

async function mergeBySearch(page: Page, mergedPath: string, targetTitle: string, words: string) {
	await page.goto(mergedPath);
	await page.getByRole('searchbox', { name: '查找要合并进的议题' }).fill(words);
	await page.getByRole('button', { name: '查找', exact: true }).click();
	const pick = page.getByRole('group', { name: `与“${words}”相符的议题：选一个` });
	await pick.getByRole('radio', { name: new RegExp(`^${targetTitle}`) }).check();
	await expect(page.getByRole('radio', { name: '合并到另一个议题' })).toBeChecked();
}

for (const js of [true, false]) {
	test.describe(js ? 'with JavaScript' : 'without JavaScript', () => {
		test.use({ javaScriptEnabled: js });
		const tag = js ? '甲' : '乙';

		test('the committee merges an issue into one found by searching the open issues, and another by pasting its address', async ({ page }) => {
			await signIn(page, DEMO.owner.email, DEMO.owner.password);
			const target = await raise(page, `西苑${tag}号车棚顶漏雨`);
			const viaSearch = await raise(page, `西苑${tag}号车棚下雨漏水`);
			const viaAddress = await raise(page, `西苑${tag}号自行车棚漏雨了`);
			await signOut(page);

			await signIn(page, DEMO.committee.email, DEMO.committee.password);
			await mergeBySearch(page, viaSearch, `西苑${tag}号车棚顶漏雨`, `${tag}号车棚`);
			// The issue being merged is not offered as its own target.
			await expect(page.getByRole('radio', { name: new RegExp(`^西苑${tag}号车棚下雨漏水`) })).toHaveCount(0);
			if (js) await expectAccessible(page);
			await page.getByRole('button', { name: '确定' }).click();
			await expectMergedInto(page, target);

			// The whole address, as the browser shows it: the estate's id comes first in it, the last.
			await page.goto(viaAddress);
			await page.getByRole('radio', { name: '合并到另一个议题' }).check();
			await page.getByLabel('合并到哪个议题').fill(`http://localhost:4173${target}`);
			await page.getByRole('button', { name: '确定' }).click();
			await expectMergedInto(page, target);
		});

		test('an author is not offered a support of their own issue, nor anyone a support of a closed one', async ({ page }) => {
			await signIn(page, DEMO.owner.email, DEMO.owner.password);
			const mine = await raise(page, `西苑${tag}号楼门口路面塌了`);
			await expect(page.getByRole('button', { name: '附议', exact: true })).toHaveCount(0);
			await expect(page.getByText('这是您提的议题。请邀请邻居们来附议。')).toBeVisible();
			await signOut(page);

			await signIn(page, DEMO.resident.email, DEMO.resident.password);
			await page.goto(mine);
			await expect(page.getByText('人附议；10 人附议后提交居委会审议。')).toBeVisible();
			await page.getByRole('button', { name: '附议', exact: true }).click();
			await expect(page.getByRole('button', { name: '取消附议' })).toBeVisible();
			await signOut(page);

			await signIn(page, DEMO.committee.email, DEMO.committee.password);
			await page.goto(mine);
			await page.getByRole('radio', { name: '不予受理' }).check();
			await page.locator('textarea[name=reason]').fill('属于市政道路，已转交街道。');
			await page.getByRole('button', { name: '确定' }).click();
			await expect(page.locator('.badge.status-declined').first()).toBeVisible();
			await signOut(page);

			await signIn(page, DEMO.resident.email, DEMO.resident.password);
			await page.goto(mine);
			await expect(page.getByText('这个议题已经结束，不再接受附议。')).toBeVisible();
			await expect(page.getByRole('button', { name: /附议/ })).toHaveCount(0);
			await expect(page.getByText('10 人附议后提交居委会审议')).toHaveCount(0);
			await expect(page.locator('.support .big')).toHaveText('1');
		});
	});
}
