import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { DEMO, JINYUAN, expectAccessible, signIn } from './helpers';

/** A resident downloads the estate's open data from its home page, with JavaScript and without. */

test('a resident finds the open data on the estate page and downloads the ZIP, watching it arrive', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(`/estates/${JINYUAN}`);
	await page.getByRole('link', { name: '开放数据下载' }).click();
	await expect(page.getByRole('heading', { name: '开放数据' })).toBeVisible();
	const files = page.getByRole('table', { name: '包含的文件' });
	await expect(files.getByRole('row', { name: /issues\.csv/ })).toBeVisible();
	await expectAccessible(page);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 ZIP' }).click()]);
	expect(download.suggestedFilename()).toMatch(/^晋源水岸花苑-开放数据-\d{4}-\d\d-\d\d\.zip$/);
	const bytes = await readFile((await download.path())!);
	expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('the same link downloads the ZIP directly', async ({ page }) => {
		await signIn(page, DEMO.resident.email, DEMO.resident.password);
		await page.goto(`/estates/${JINYUAN}/open-data`);
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 ZIP' }).click()]);
		expect(download.suggestedFilename()).toMatch(/^晋源水岸花苑-开放数据-\d{4}-\d\d-\d\d\.zip$/);
		const bytes = await readFile((await download.path())!);
		expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
	});
});
