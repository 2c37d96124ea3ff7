import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, testSql } from './helpers';

/**
 * Meetings: the committee schedules a council with a free agenda topic, a resident registers on the
 * notice, and at the door (the meeting moved to now, the harness's clock: testSql) the moderator checks
 * in a member found by name and a neighbour without a phone or an account, by name and flat; the
 * attendance bar counts them. At 360 px, with axe on each page; the door list works without JavaScript.
 */

async function noHorizontalScroll(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

/** A China wall time `days` from now at `hour`:00, as a datetime-local field takes it. */
function chinaLocal(days: number, hour: number): string {
	const d = new Date(Date.now() + 8 * 3600_000 + days * 86400_000);
	return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

test('the committee schedules a council, a resident registers, and the moderator checks people in at the door', async ({ page, browser }) => {
	test.setTimeout(180_000);
	const title = `东门快递柜议事会${Date.now() % 100000}`;

	// The committee schedules it from the estate's meetings list.
	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(`/estates/${JINYUAN}`);
	await page.getByRole('link', { name: '会议', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('会议');
	await expect(page.getByText('东苑休息座椅议事会')).toBeVisible();
	await expectAccessible(page);
	await noHorizontalScroll(page);
	// A bad place is refused beside the field.
	await page.getByLabel('会议名称').fill(title);
	await page.getByLabel('开始时间').fill(chinaLocal(3, 19));
	await page.getByLabel('结束时间').fill(chinaLocal(3, 21));
	await page.getByRole('button', { name: '安排会议' }).click();
	await expect(page.locator('#f-place-error')).toBeVisible();
	await page.getByLabel('会议名称').fill(title);
	await page.getByLabel('开始时间').fill(chinaLocal(3, 19));
	await page.getByLabel('结束时间').fill(chinaLocal(3, 21));
	await page.getByLabel('地点', { exact: true }).fill('晋源社区党群服务中心二楼议事厅');
	await page.getByLabel('主持人', { exact: true }).selectOption({ label: '主持人 赵老师' });
	await page.getByRole('button', { name: '安排会议' }).click();
	await expect(page.getByRole('status')).toHaveText('会议已安排，公告已发出。');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	const noticeUrl = new URL(page.url()).pathname;
	await page.getByLabel('其他事项（不选议题时填写名称）').fill('东门快递柜增设');
	await page.getByRole('button', { name: '添加议程' }).click();
	await expect(page.locator('ol.agenda')).toContainText('东门快递柜增设');
	await expect(page.locator('.qr img')).toBeVisible();
	await expectAccessible(page);
	await noHorizontalScroll(page);

	// A resident registers on the notice.
	const residentContext = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
	const resident = await residentContext.newPage();
	await signIn(resident, DEMO.resident.email, DEMO.resident.password);
	await resident.goto(noticeUrl);
	await expect(resident.locator('.facts')).toContainText('赵老师');
	await resident.getByRole('button', { name: '我要报名' }).click();
	await expect(resident.getByRole('status')).toHaveText('已报名。会议当天请到场签到。');
	await expectAccessible(resident);
	await noHorizontalScroll(resident);
	await residentContext.close();

	// The day comes: the moderator runs the door, without JavaScript.
	await testSql(`update public.meetings set starts_at = now() - interval '5 minutes', ends_at = now() + interval '2 hours' where title = $1`, [title]);
	const doorContext = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
	const door = await doorContext.newPage();
	await signIn(door, DEMO.moderator.email, DEMO.moderator.password);
	await door.goto(`${noticeUrl}/attendance`);
	await expect(door.getByRole('heading', { level: 1 })).toHaveText('签到名单');
	await expect(door.locator('.code')).toHaveText(/^[0-9]{6}$/);
	await expect(door.locator('#list + ul')).toContainText('已报名');
	// The registered resident, from the list.
	await door.locator('#list + ul li').filter({ hasText: '已报名' }).getByRole('button', { name: /签到/ }).click();
	await expect(door.getByRole('status')).toHaveText('已签到。');
	// A neighbour without an account: an empty name is refused beside the field, then name and flat.
	await door.getByRole('button', { name: '登记并签到' }).click();
	await expect(door.locator('.field-error').first()).toBeVisible();
	await door.getByLabel('姓名', { exact: true }).fill('张奶奶');
	await door.getByLabel('门牌（可不选）', { exact: true }).selectOption({ index: 1 });
	await door.getByRole('button', { name: '登记并签到' }).click();
	await expect(door.getByRole('status')).toHaveText('已签到。');
	const grandma = door.locator('#list + ul li').filter({ hasText: '张奶奶' });
	await expect(grandma).toContainText('无账号');
	await expect(grandma).toContainText('在场');
	await expect(door.getByText('到场 2 人（含委托 0），共').first()).toBeVisible();
	await noHorizontalScroll(door);
	await doorContext.close();
	// axe needs a script: the same door list, as the committee sees it with JavaScript on.
	await page.goto(`${noticeUrl}/attendance`);
	await expect(page.locator('#list + ul')).toContainText('张奶奶');
	await expectAccessible(page);
	await noHorizontalScroll(page);
});
