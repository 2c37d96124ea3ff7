import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, testSql } from './helpers';

/**
 * A contractor's weekly report on the plan page: the committee uploads the CSV, sees what each line would
 * change, confirms, and the milestone is done; without JavaScript, and with it (axe on the preview), at 360 px.
 */

const RESIDENT_ID = '5eed0000-0000-4000-8000-000000001001';

async function planned() {
	const [{ id: issue }] = await testSql<{ id: string }>(
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 select $1, a.id, $2, '南苑围墙修缮', '南苑围墙开裂。', 'facilities', 'in_progress'
		 from public.areas a where a.estate_id = $1 and a.name = '南苑' returning id::text`,
		[JINYUAN, RESIDENT_ID]
	);
	const [{ id: item }] = await testSql<{ id: string }>(`insert into public.work_items (issue_id, estate_id, title) values ($1, $2, '围墙') returning id::text`, [issue, JINYUAN]);
	const [{ id: m1 }] = await testSql<{ id: string }>(`insert into public.milestones (item_id, issue_id, estate_id, position, title) values ($1, $2, $3, 0, '拆除旧墙') returning id::text`, [item, issue, JINYUAN]);
	await testSql(`insert into public.milestones (item_id, issue_id, estate_id, position, title) values ($1, $2, $3, 1, '砌筑新墙')`, [item, issue, JINYUAN]);
	return { issue, m1 };
}
const doneCount = async (id: string) => (await testSql<{ n: number }>('select count(*)::int as n from public.milestones where id = $1 and done_at is not null', [id]))[0].n;

async function previewAndApply(page: Page, axe: boolean) {
	const { issue, m1 } = await planned();
	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(`/estates/${JINYUAN}/issues/${issue}/plan`);
	await page.locator('#import-file').setInputFiles({ name: 'weekly.csv', mimeType: 'text/csv', buffer: Buffer.from(`id,done,done_on,note\r\n${m1},是,,旧墙已拆除\r\n`) });
	await page.getByRole('button', { name: '预览改动' }).click();
	await expect(page.getByRole('status')).toContainText('1 行会有改动');
	await expect(page.getByRole('table')).toContainText('旧墙已拆除');
	expect(await doneCount(m1)).toBe(0);
	if (axe) await expectAccessible(page);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await page.getByRole('button', { name: '确认导入（1 行）' }).click();
	await expect(page.getByRole('status')).toContainText('已导入');
	expect(await doneCount(m1)).toBe(1);

	// A bad line: the message beside its line, nothing changed.
	await page.locator('#import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`id,done\r\n00000000-0000-4000-8000-000000000000,是\r\n`) });
	await page.getByRole('button', { name: '预览改动' }).click();
	await expect(page.getByRole('alert').filter({ hasText: '第 2 行' })).toContainText('没有这个节点。');
}

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('the committee previews a progress report line by line, then applies it', async ({ page }) => {
		test.setTimeout(120_000);
		await previewAndApply(page, false);
	});
});

test('with JavaScript too, and the preview passes axe', async ({ page }) => {
	test.setTimeout(120_000);
	await previewAndApply(page, true);
});
