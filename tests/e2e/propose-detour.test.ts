import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, signOut } from './helpers';

/**
 * Raising an issue through the similar-issue detour: the first submit finds
 * a similar open issue and asks to confirm "不是同一件事"; everything the
 * resident typed, picked, pinned and attached must still be there, and the
 * issue raised after confirming has its photo and its pin.
 */
const PHOTO = 'tests/e2e/fixtures/bench.jpg';
const BOARD = `/estates/${JINYUAN}/issues`;
const BODY = '路灯杆下面的灯罩掉了，晚上整段路都是黑的。';

/** A neighbour's issue the resident's will look like (confirmed through the detour if one is offered). */
async function raiseBase(page: Page, title: string) {
	await signIn(page, DEMO.owner.email, DEMO.owner.password);
	await page.goto(`${BOARD}/new`);
	await page.getByLabel('标题').fill(title);
	await page.getByLabel('类别').selectOption('safety');
	await page.getByLabel('院落或楼栋').selectOption({ label: '东苑' });
	await page.getByRole('button', { name: '提交议题' }).click();
	const confirm = page.getByLabel('不是同一件事，我要提新的议题');
	await expect(page.getByRole('heading', { level: 1 }).or(confirm).first()).toBeVisible();
	if (await confirm.isVisible()) {
		await confirm.check();
		await page.getByRole('button', { name: '提交议题' }).click();
	}
	await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
	await signOut(page);
}

async function fillAll(page: Page, title: string, pin: boolean) {
	await page.goto(`${BOARD}/new`);
	await page.getByLabel('标题').fill(title);
	await page.getByLabel('类别').selectOption('safety');
	await page.getByLabel('院落或楼栋').selectOption({ label: '东苑' });
	await page.getByLabel('详细说明').fill(BODY);
	if (pin) {
		await page.getByText('在地图上标出具体位置（可选）').click();
		const areaId = await page.getByLabel('院落或楼栋').inputValue();
		const shape = page.locator(`path.area-${areaId}`);
		await expect(shape).toBeVisible();
		const box = (await shape.boundingBox())!;
		await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
		await expect(page.getByText('已标出位置。')).toBeVisible();
	}
	await page.locator('input[type=file][name=photos]').setInputFiles(PHOTO);
	await page.getByRole('button', { name: '提交议题' }).click();
}

/** After the first submit: the similar issue offered, and all the resident's work still in the form. */
async function expectWorkKept(page: Page, title: string, similarTitle: string) {
	const offer = page.getByRole('region', { name: '这些议题看起来差不多' });
	await expect(offer.getByRole('link', { name: similarTitle })).toBeVisible();
	await expect(page.getByLabel('不是同一件事，我要提新的议题')).toBeVisible();
	await expect(page.getByLabel('标题')).toHaveValue(title);
	await expect(page.getByLabel('院落或楼栋').locator('option:checked')).toHaveText('东苑');
	await expect(page.getByLabel('类别')).toHaveValue('safety');
	await expect(page.getByLabel('详细说明')).toHaveValue(BODY);
	// The photo is held on the server and shown again, ticked; the file input is empty, so it is not sent twice.
	const held = page.getByRole('group', { name: '已附的照片' });
	await expect(held.getByRole('img', { name: '第 1 张照片' })).toBeVisible();
	await expect(held.getByRole('checkbox')).toBeChecked();
	expect(await held.getByRole('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
	expect(await page.locator('input[type=file][name=photos]').evaluate((i: HTMLInputElement) => i.files?.length ?? 0)).toBe(0);
}

async function expectRaised(page: Page, title: string) {
	await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(page.getByText(BODY)).toBeVisible();
	await expect(page.getByRole('img', { name: '第 1 张照片' })).toHaveCount(1);
	expect(await page.getByRole('img', { name: '第 1 张照片' }).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
	return new URL(page.url()).pathname.split('/').at(-1)!;
}

test('through the similar-issue detour, the title, area, details, pin and photo all survive; the pin is on the map', async ({ page }) => {
	await raiseBase(page, '东苑路灯坏了，晚上一片黑');
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	const title = '东苑路灯不亮，晚上一片黑';
	await fillAll(page, title, true);
	await expectWorkKept(page, title, '东苑路灯坏了，晚上一片黑');
	// The pin is still set and still drawn.
	await expect(page.getByText('已标出位置。')).toBeVisible();
	await expect(page.locator('.leaflet-overlay-pane path[stroke="#a8201a"]')).toHaveCount(1);
	await expectAccessible(page);

	await page.getByLabel('不是同一件事，我要提新的议题').check();
	await page.getByRole('button', { name: '提交议题' }).click();
	const id = await expectRaised(page, title);
	// The issue page's map shows its spot: it was saved with the issue.
	await expect(page.locator('.leaflet-overlay-pane path[stroke="#a8201a"]')).toHaveCount(1);
	// And the estate map's pins include it.
	await page.goto(`/estates/${JINYUAN}/map`);
	await expect(page.locator('.leaflet-container canvas').first()).toBeVisible();
	const mapData = await (await page.request.get(`/estates/${JINYUAN}/map/__data.json`)).text();
	expect(mapData).toContain(id);
});

test('a field’s old error goes once the value is corrected, and comes back if it is sent wrong again', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(`${BOARD}/new`);
	await page.getByRole('button', { name: '提交议题' }).click();
	await expect(page.locator('#f-title-error')).toHaveText('这一项必须填写。');
	await expect(page.getByLabel('标题')).toHaveAttribute('aria-invalid', 'true');
	await page.getByLabel('标题').pressSequentially('东苑');
	await expect(page.locator('#f-title-error')).toHaveCount(0);
	await expect(page.getByLabel('标题')).not.toHaveAttribute('aria-invalid', 'true');
	// The area's error stays until the area is picked.
	await expect(page.locator('#f-area_id-error')).toBeVisible();
	await page.getByLabel('院落或楼栋').selectOption({ label: '东苑' });
	await expect(page.locator('#f-area_id-error')).toHaveCount(0);
	await page.getByLabel('标题').fill('');
	await page.getByRole('button', { name: '提交议题' }).click();
	await expect(page.locator('#f-title-error')).toHaveText('这一项必须填写。');
});

for (const large of [false, true]) {
	test(`the new-issue page fits a 360 px screen${large ? ' with large text' : ''}`, async ({ page, context }) => {
		if (large) await context.addCookies([{ name: 'linyi_text', value: 'large', url: 'http://localhost' }]);
		await signIn(page, DEMO.resident.email, DEMO.resident.password);
		await page.goto(`${BOARD}/new`);
		if (large) await expect(page.locator('html.text-large')).toHaveCount(1);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	});
}

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('through the similar-issue detour, the title, area, details and photo survive, and a photo added on the way goes too', async ({ page }) => {
		await raiseBase(page, '东苑单元门坏了关不上');
		await signIn(page, DEMO.resident.email, DEMO.resident.password);
		const title = '东苑单元门关不上了';
		await fillAll(page, title, false);
		// (axe needs JavaScript in the page: the JS-on test checks this page.)
		await expectWorkKept(page, title, '东苑单元门坏了关不上');
		// A second photo goes with the held one.
		await page.locator('input[type=file][name=photos]').setInputFiles(PHOTO);
		await page.getByLabel('不是同一件事，我要提新的议题').check();
		await page.getByRole('button', { name: '提交议题' }).click();
		await expectRaised(page, title);
		await expect(page.getByRole('img', { name: '第 2 张照片' })).toHaveCount(1);
		await signOut(page);

		// A neighbour offered the same issues supports one instead: the list's button works without JavaScript too.
		await signIn(page, DEMO.committee.email, DEMO.committee.password);
		await page.goto(`${BOARD}/new`);
		await page.getByLabel('标题').fill('东苑单元门坏了');
		await page.getByLabel('类别').selectOption('safety');
		await page.getByLabel('院落或楼栋').selectOption({ label: '东苑' });
		await page.getByRole('button', { name: '提交议题' }).click();
		const offer = page.getByRole('region', { name: '这些议题看起来差不多' });
		await offer.getByRole('listitem').filter({ hasText: '东苑单元门坏了关不上' }).getByRole('button', { name: '附议' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('东苑单元门坏了关不上');
		await expect(page.getByRole('button', { name: '取消附议' })).toBeVisible();
	});

	test('a held photo can be left out before the issue is raised', async ({ page }) => {
		await signIn(page, DEMO.resident.email, DEMO.resident.password);
		await page.goto(`${BOARD}/new`);
		await page.getByLabel('类别').selectOption('safety');
		await page.getByLabel('院落或楼栋').selectOption({ label: '东苑' });
		await page.locator('input[type=file][name=photos]').setInputFiles(PHOTO);
		// No title: the form comes back with its message, and with the photo held.
		await page.getByRole('button', { name: '提交议题' }).click();
		await expect(page.locator('#f-title-error')).toHaveText('这一项必须填写。');
		const held = page.getByRole('group', { name: '已附的照片' });
		await held.getByRole('checkbox').uncheck();
		await page.getByLabel('标题').fill('东苑邮筒旁边的地砖翘起来了');
		await page.getByRole('button', { name: '提交议题' }).click();
		await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
		await expect(page.getByRole('img', { name: '第 1 张照片' })).toHaveCount(0);
	});
});
