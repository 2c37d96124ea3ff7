import { expect, test } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn } from './helpers';

/** Words a walk through the journeys found wrong (issue #12): each checked where a resident reads it. */

test('the 我的 page is titled with the resident’s name, not a placeholder', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto('/me');
	const title = await page.title();
	expect(title).toMatch(/^.+，您好 · 邻议$/);
	expect(title).not.toContain('{');
});

test('English says "1 comment" and "1 support", never "1 comments", on the board', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(`/estates/${JINYUAN}/issues?status=completed`);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	const main = (await page.getByRole('main').textContent())!;
	expect(main).toMatch(/\d+ (comment|support)s?\b/);
	expect(main).not.toMatch(/\b1 (comments|supports)\b/);
	expect(main).not.toMatch(/\b([02-9]|\d{2,}) (comment|support)\b(?!s)/);
});

test('the error pages pass axe in English too, with a title', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	const missing = await page.goto('/no/such/page');
	expect(missing?.status()).toBe(404);
	expect(await page.title()).not.toBe('');
	await expect(page.locator('body')).not.toContainText('errors.');
	await expectAccessible(page);
	const refused = await page.goto(`/estates/${JINYUAN}/manage/members`);
	expect(refused?.status()).toBe(403);
	expect(await page.title()).not.toBe('');
	await expectAccessible(page);
});
