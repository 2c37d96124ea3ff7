import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, signOut, testSql } from './helpers';

/**
 * Progress tracking: the committee plans an issue in progress (the plan, two items, three milestones),
 * posts an update with a photo that marks a milestone done, and a resident sees the progress with its
 * formula and the before/after pair on the issue page. At 360 px, with axe on each page.
 */

const RESIDENT_ID = '5eed0000-0000-4000-8000-000000001001';
const PHOTO = 'tests/e2e/fixtures/bench.jpg';

async function noHorizontalScroll(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

test('the committee plans an issue and marks a milestone done with a photo; a resident sees the formula and the before/after pair', async ({ page }) => {
	test.setTimeout(180_000);
	const [{ id: issue }] = await testSql<{ id: string }>(
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 select $1, a.id, $2, '南苑道路翻新和车位划线', '南苑主路坑洼，车位没有划线。', 'parking', 'in_progress'
		 from public.areas a where a.estate_id = $1 and a.name = '南苑' returning id::text`,
		[JINYUAN, RESIDENT_ID]
	);
	const issueUrl = `/estates/${JINYUAN}/issues/${issue}`;

	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(issueUrl);
	await page.getByRole('link', { name: '编辑实施计划、记录进展' }).click();
	await expect(page).toHaveURL(`${issueUrl}/plan`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('实施计划');

	// The plan, then two items under it; a negative weight is refused beside the field.
	await page.locator('#item-title').fill('南苑道路改造');
	await page.getByRole('button', { name: '添加', exact: true }).click();
	await expect(page.getByRole('heading', { name: '添加项目' })).toBeVisible();
	await page.locator('#item-title').fill('路面');
	await page.locator('#item-weight').fill('-1');
	await page.getByRole('button', { name: '添加', exact: true }).click();
	await expect(page.locator('#item-weight-error')).toHaveText('权重请填 0 或更大的数字。');
	await page.locator('#item-weight').fill('3');
	await page.getByRole('button', { name: '添加', exact: true }).click();
	await expect(page.locator('#items ~ ul').getByText('路面')).toBeVisible();
	await page.locator('#item-title').fill('车位');
	await page.locator('#item-weight').fill('1');
	await page.getByRole('button', { name: '添加', exact: true }).click();
	await expect(page.locator('#items ~ ul').getByText('车位', { exact: true })).toBeVisible();

	// Three milestones: two on the road, one on the parking.
	for (const [item, title, weight] of [
		['路面', '铣刨旧路面', '1'],
		['路面', '摊铺沥青', '1'],
		['车位', '车位划线', '1']
	]) {
		const value = await page.locator('#milestone-item option', { hasText: item }).first().getAttribute('value');
		await page.locator('#milestone-item').selectOption(value!);
		await page.locator('#milestone-title').fill(title);
		await page.locator('#milestone-weight').fill(weight);
		await page.getByRole('button', { name: '添加节点' }).click();
		await expect(page.locator('#items ~ ul').getByText(title)).toBeVisible();
	}
	await expectAccessible(page);
	await noHorizontalScroll(page);

	// An update with a photo that marks a milestone done; a note alone before it, for the "before".
	await page.locator('#update-note').fill('开工前的路面');
	await page.locator('input[type=file][name=photos]').setInputFiles(PHOTO);
	await page.getByRole('button', { name: '发布进展' }).click();
	await expect(page).toHaveURL(new RegExp(`${issueUrl}#progress$`));
	await page.goto(`${issueUrl}/plan`);
	await page.getByLabel('完成的节点').selectOption({ label: '路面 · 铣刨旧路面' });
	await page.locator('#update-note').fill('旧路面已铣刨完');
	await page.locator('input[type=file][name=photos]').setInputFiles(PHOTO);
	await page.getByRole('button', { name: '发布进展' }).click();
	await expect(page).toHaveURL(new RegExp(`${issueUrl}#progress$`));
	await signOut(page);

	// The resident sees the progress, the formula with its numbers, the next milestone and the pair.
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(issueUrl);
	const section = page.locator('#progress');
	// (3 × 0.5 + 1 × 0) ÷ (3 + 1) = 37.5 %
	await expect(section.getByText('37.5%', { exact: true })).toBeVisible();
	await expect(section).toContainText('(3 × 0.5 + 1 × 0) ÷ (3 + 1) = 1.5 ÷ 4 = 37.5%');
	await expect(section).toContainText('下一个节点：');
	await expect(section.getByRole('img', { name: '改造前' })).toBeVisible();
	await expect(section.getByRole('img', { name: '最新' })).toBeVisible();
	await expect(section).toContainText('旧路面已铣刨完');
	await expect(page.getByRole('link', { name: '编辑实施计划、记录进展' })).toHaveCount(0);
	await expectAccessible(page);
	await noHorizontalScroll(page);
});
