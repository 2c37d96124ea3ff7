import sharp from 'sharp';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn } from './helpers';

/**
 * Micro-wishes (微心愿): volunteer@ 小陈 posts a wish for an elderly resident without an account (without
 * JavaScript), moderator@ vets it from the queue, party@ 孙师傅 claims it and fulfils it with a photo,
 * 小陈 confirms it for the resident, and the thanks wall (公益榜) shows the thanks without the resident's
 * details. At 360 px, with axe on each page.
 */

const VOLUNTEER = { email: 'volunteer@demo.linyi.org', password: 'linyi-volunteer-2026' };
const wishes = `/estates/${JINYUAN}/wishes`;

async function noHorizontalScroll(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

async function as(browser: Browser, who: { email: string; password: string }, javaScriptEnabled = true) {
	const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
	const page = await context.newPage();
	await signIn(page, who.email, who.password);
	return { context, page };
}

test('a volunteer posts a wish for a resident, a moderator vets it, party@ claims and fulfils it, the volunteer confirms, the wall thanks', async ({ browser }) => {
	test.setTimeout(240_000);
	const title = `想要一个暖手宝${Date.now() % 100000}`;

	// 1. The volunteer, without JavaScript: a phone number in the public text is refused beside the field.
	const v = await as(browser, VOLUNTEER, false);
	await v.page.goto(wishes);
	await expect(v.page.getByRole('heading', { level: 1 })).toHaveText('微心愿');
	await noHorizontalScroll(v.page);
	await v.page.getByLabel('想要什么（会公开）').fill(`${title}，电话13912345678`);
	await v.page.getByLabel('类别').selectOption({ label: '生活用品' });
	await v.page.getByLabel('预计费用（元，可不填）').fill('50');
	await v.page.getByLabel('公开称呼').fill('某奶奶');
	await v.page.getByLabel('我替一位居民提交').check();
	await v.page.getByLabel('居民姓名').fill('李淑珍');
	await v.page.getByLabel('门牌（如 3栋 2单元 301）').fill('5栋 402');
	await v.page.getByLabel('联系电话').fill('13800000009');
	await v.page.getByRole('button', { name: '提交心愿' }).click();
	await expect(v.page.locator('#wish-title-error')).toContainText('不能写电话号码');
	await v.page.getByLabel('想要什么（会公开）').fill(title);
	await v.page.getByRole('button', { name: '提交心愿' }).click();
	await expect(v.page.getByText('心愿已提交')).toBeVisible();
	await expect(v.page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(v.page.getByText('待核实')).toBeVisible();
	const wishUrl = new URL(v.page.url()).pathname;
	await noHorizontalScroll(v.page);

	// 2. The moderator checks it by phone and approves it from the queue (axe runs in a browser with JavaScript).
	const m = await as(browser, DEMO.moderator);
	await m.page.goto(wishUrl);
	await expect(m.page.getByText('李淑珍')).toBeVisible();
	await expectAccessible(m.page);
	await m.page.goto(wishes);
	await m.page.getByRole('link', { name: /待审核的心愿/ }).click();
	const card = m.page.locator('li.card').filter({ hasText: title });
	await expect(card).toContainText('李淑珍');
	await expect(card).toContainText('13800000009');
	await expectAccessible(m.page);
	await noHorizontalScroll(m.page);
	await card.getByLabel('核实记录，或不通过的原因（不公开）').fill('电话核实，老人手脚冰凉。');
	await card.getByLabel(/预计用时/).fill('2');
	await card.getByRole('button', { name: '提交审核' }).click();
	await expect(m.page.locator('li.card').filter({ hasText: title })).toHaveCount(0);

	// 3. party@ finds it on the claim board (wishes only), published without the details, claims it there, then
	// sees them, and fulfils it with a photo and the hours it took. party@'s hours before, to compare.
	const p = await as(browser, DEMO.party);
	const hoursOf = async () => {
		await p.page.goto(`/estates/${JINYUAN}/time-bank`);
		return Number((await p.page.locator('ul.numbers li strong').first().innerText()).replace(/[^0-9.]/g, ''));
	};
	const before = await hoursOf();
	await p.page.goto(wishes);
	await expectAccessible(p.page);
	await p.page.goto(`/estates/${JINYUAN}/claim?kind=wish`);
	await expect(p.page.getByRole('heading', { name: '待认领的微心愿' })).toBeVisible();
	const onBoard = p.page.locator('li.card').filter({ hasText: title });
	await expect(onBoard).toContainText('某奶奶的心愿');
	await expect(onBoard).toContainText('约 2 小时');
	await expect(p.page.getByText('李淑珍')).toHaveCount(0);
	await expectAccessible(p.page);
	await noHorizontalScroll(p.page);
	await onBoard.getByRole('button', { name: `认领心愿：${title}` }).click();
	await expect(p.page).toHaveURL(wishUrl);
	await expect(p.page.getByText('认领：党员 孙师傅')).toBeVisible();
	await expect(p.page.getByText('李淑珍')).toBeVisible();
	await expect(p.page.getByRole('link', { name: '13800000009' })).toBeVisible();
	const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#c84' } }).jpeg().toBuffer();
	await p.page.getByLabel('做了什么（会公开，可不填）').fill('送去一个充电暖手宝，教会了老人充电。');
	await p.page.getByLabel(/照片/).setInputFiles({ name: 'warmer.jpg', mimeType: 'image/jpeg', buffer: jpeg });
	// The field's bound (twice the estimate) is the browser's first check; the database refuses above it too.
	await expect(p.page.getByLabel('实际用时（小时，可不填）')).toHaveAttribute('max', '4');
	await p.page.getByLabel('实际用时（小时，可不填）').fill('1.5');
	await p.page.getByRole('button', { name: '标记为已完成' }).click();
	await expect(p.page.getByText('已完成，待确认')).toBeVisible();
	await expect(p.page.getByRole('img', { name: '完成心愿的照片' })).toBeVisible();
	await expect(p.page.getByRole('button', { name: '确认心愿已实现' })).toHaveCount(0);
	await expectAccessible(p.page);
	await noHorizontalScroll(p.page);

	// 4. The volunteer hears of each step under 消息, with a link to the wish, and confirms for the resident, with thanks
	// (still without JavaScript).
	await v.page.goto('/me/notifications');
	await expect(v.page.getByText(`微心愿“${title}”已核实并公布，等待认领。`)).toBeVisible();
	await expect(v.page.getByText(`微心愿“${title}”已由党员 孙师傅认领。`)).toBeVisible();
	const done = v.page.locator('li').filter({ hasText: `党员 孙师傅已完成微心愿“${title}”，请确认。` });
	await done.getByRole('link', { name: '查看' }).click();
	await expect(v.page).toHaveURL(wishUrl);
	await v.page.getByLabel('感谢的话（会公开在公益榜上，可不填）').fill('谢谢孙师傅，老人说手不冷了！');
	await v.page.getByRole('button', { name: '确认心愿已实现' }).click();
	await expect(v.page.getByText('已实现', { exact: true })).toBeVisible();

	// The hours party@ reported are on party@'s statement now, credited once.
	expect(await hoursOf()).toBeCloseTo(before + 1.5, 5);
	await expect(p.page.locator('.entries li').first()).toContainText('+1.5');

	// 5. The wall shows the thanks, the first name and the claimer, and nothing else about the resident.
	await m.page.goto(`${wishes}/wall`);
	const entry = m.page.locator('li.card').filter({ hasText: title });
	await expect(entry).toContainText('党员 孙师傅帮某奶奶实现了心愿');
	await expect(entry).toContainText('谢谢孙师傅，老人说手不冷了！');
	await expect(m.page.getByText('李淑珍')).toHaveCount(0);
	await expect(m.page.getByText('13800000009')).toHaveCount(0);
	await expect(m.page.locator('li.card').filter({ hasText: '想要一台收音机' })).toBeVisible();
	await expectAccessible(m.page);
	await noHorizontalScroll(m.page);

	for (const c of [v, m, p]) await c.context.close();
});

test("the wish pages fit 360 px with the app's large text and the phone's text at 150 %", async ({ browser }) => {
	const p = await as(browser, DEMO.moderator);
	await p.context.addCookies([{ name: 'linyi_text', value: 'large', url: test.info().project.use.baseURL! }]);
	for (const path of [wishes, `${wishes}/5eed0000-0000-4000-8000-000000007201`, `${wishes}/5eed0000-0000-4000-8000-000000007202`, `${wishes}/vet`, `${wishes}/wall`]) {
		await p.page.goto(path, { waitUntil: 'networkidle' });
		await expect(p.page.locator('html'), path).toHaveClass(/text-large/);
		await noHorizontalScroll(p.page);
		await p.page.addStyleTag({ content: 'html, html.text-large { font-size: 150% !important; }' });
		await noHorizontalScroll(p.page);
	}
	await p.context.close();
});
