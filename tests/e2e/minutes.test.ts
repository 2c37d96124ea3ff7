import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, signOut, testSql } from './helpers';

/**
 * Minutes (会议纪要): a council has closed in the room; the chair drafts its minutes from the record, edits a
 * paragraph, publishes them; a resident objects to a paragraph in a second browser without JavaScript; the
 * committee answers; the window closes (the harness's clock: testSql) and the minutes are final, in the agenda
 * issue's timeline too; the A4 print renders with its QR code, as the meeting notice's does. At 360 px, with
 * axe on each page.
 */

const U = { resident: '5eed0000-0000-4000-8000-000000001001', owner: '5eed0000-0000-4000-8000-000000001002', volunteer: '5eed0000-0000-4000-8000-000000001003', moderator: '5eed0000-0000-4000-8000-000000001004' };

async function noHorizontalScroll(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

/** The QR code image has loaded (an SVG drawn on the server, as a data: URL). */
async function expectQr(page: Page, alt: string) {
	const img = page.getByRole('img', { name: alt });
	await expect(img).toBeVisible();
	await expect(img).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
	expect(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
}

/** A council of 晋源水岸花苑 on a deliberating issue, held and closed: 李先生 moved, 王阿姨 seconded, 小陈 spoke for, hands 3–1–0. */
async function heldCouncil() {
	const [{ id: issue }] = await testSql<{ id: string }>(
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 select $1, a.id, $2, '东苑楼道堆物清理', '楼道里堆了旧家具，消防通道被堵。', 'safety', 'deliberating'
		 from public.areas a where a.estate_id = $1 and a.name = '东苑' returning id::text`,
		[JINYUAN, U.owner]
	);
	const [{ id }] = await testSql<{ id: string }>(
		`insert into public.meetings (estate_id, kind, title, starts_at, ends_at, place, chair_id, recorder_id, status, checkin_code, opened_at, closed_at)
		 values ($1, 'council', '东苑楼道议事会', now() - interval '3 hours', now() - interval '1 hour', '社区活动室', $2, $3, 'closed', '818181',
		   now() - interval '3 hours', now() - interval '90 minutes') returning id::text`,
		[JINYUAN, U.moderator, U.volunteer]
	);
	const [{ id: item }] = await testSql<{ id: string }>(
		`insert into public.agenda_items (meeting_id, position, issue_id, title, status, outcome) values ($1, 1, $2, '东苑楼道堆物清理', 'done', 'carried') returning id::text`,
		[id, issue]
	);
	const att = await testSql<{ id: string; user_id: string }>(
		`insert into public.meeting_attendance (meeting_id, user_id, checked_in_at) select $1, u, now() - interval '3 hours' from unnest($2::uuid[]) u returning id::text, user_id::text`,
		[id, [U.resident, U.owner, U.volunteer, U.moderator]]
	);
	const of = (user: string) => att.find((a) => a.user_id === user)!.id;
	const [{ id: motion }] = await testSql<{ id: string }>(
		`insert into public.motions (meeting_id, agenda_item_id, mover_id, body, status, moved_at, debate_opened_at, debate_closed_at, decided_at, method, yes, no, abstain)
		 values ($1, $2, $3, '本月 20 日前清理东苑楼道堆物，物业负责清运。', 'carried', now() - interval '150 minutes', now() - interval '149 minutes',
		   now() - interval '120 minutes', now() - interval '119 minutes', 'hands', 3, 1, 0) returning id::text`,
		[id, item, of(U.owner)]
	);
	await testSql('insert into public.motion_seconds (motion_id, attendance_id) values ($1, $2)', [motion, of(U.resident)]);
	await testSql(
		`insert into public.speeches (meeting_id, motion_id, attendance_id, stance, status, floor_at, ends_at, ended_at)
		 values ($1, $2, $3, 'for', 'done', now() - interval '140 minutes', now() - interval '138 minutes', now() - interval '138 minutes' - interval '20 seconds')`,
		[id, motion, of(U.volunteer)]
	);
	return { id, issue };
}

/** The resident objects to paragraph 2 in a browser without JavaScript: each paragraph's form is a plain form. */
async function objectWithoutScript(browser: Browser, url: string) {
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
	const page = await context.newPage();
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(url);
	await page.getByText('对第 2 段提出异议').click();
	await page.locator('#p2').getByLabel('对第 2 段的异议理由').fill('出席的还有 5 栋的张奶奶，纪要里漏了。');
	await page.locator('#p2').getByRole('button', { name: '提出异议' }).click();
	await expect(page.locator('#objections ~ ul li').filter({ hasText: '漏了' })).toContainText('等待答复');
	await noHorizontalScroll(page);
	await context.close();
}

test('the chair drafts, edits and publishes the minutes; a resident objects; the committee answers; final after the window; printed with its QR code', async ({ page, browser }) => {
	test.setTimeout(180_000);
	const { id, issue } = await heldCouncil();
	const meetingUrl = `/estates/${JINYUAN}/meetings/${id}`;

	await signIn(page, DEMO.moderator.email, DEMO.moderator.password);
	await page.goto(meetingUrl);
	await page.getByRole('link', { name: '会议纪要' }).click();
	await expect(page).toHaveURL(`${meetingUrl}/minutes`);
	await expect(page.getByText('还没有整理会议纪要。')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: '根据会议记录生成纪要' }).click();
	await expect(page.getByRole('status')).toHaveText('纪要草稿已生成，请核对后修改或公示。');
	await expect(page.getByLabel('第 1 段')).toHaveValue(/会议名称：东苑楼道议事会。.*（北京时间）/);
	await expect(page.getByLabel('第 2 段')).toHaveValue(/^出席：4 人/);
	const all = (await page.locator('textarea[name="paragraphs"]').evaluateAll((ts) => ts.map((t) => (t as HTMLTextAreaElement).value))).join('\n');
	expect(all).toContain('动议1：本月 20 日前清理东苑楼道堆物，物业负责清运。（动议人：业主 李先生；附议：居民 王阿姨）');
	expect(all).toContain('1. 志愿者 小陈（赞成，1分40秒）');
	expect(all).toContain('表决：举手表决，赞成 3，反对 1，弃权 0（主持人最后表决）。动议通过。');
	await noHorizontalScroll(page);
	await expectAccessible(page);

	// A paragraph added in the last, empty box.
	await page.getByLabel('添加一段（可不填）').fill('会后在楼栋群里通知未到场的住户。');
	await page.getByRole('button', { name: '保存草稿' }).click();
	await expect(page.getByRole('status')).toHaveText('草稿已保存。');
	await expect(page.getByText('查看根据会议记录生成的原稿')).toBeVisible();

	await page.getByLabel('公示天数（1 到 30 天）').fill('7');
	await page.getByRole('button', { name: '公示纪要' }).click();
	await expect(page.getByRole('status')).toHaveText('纪要已公示。');
	await expect(page.locator('.badge').first()).toHaveText('公示中');
	await expect(page.getByText('会后在楼栋群里通知未到场的住户。')).toBeVisible();
	await expectAccessible(page);
	const pubUrl = await page.getByRole('link', { name: '打开公示页（提出异议）' }).getAttribute('href');
	expect(pubUrl).toMatch(/\/publications\/[0-9a-f-]{36}$/);
	await signOut(page);

	await objectWithoutScript(browser, pubUrl!);

	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(pubUrl!);
	await expect(page.getByRole('link', { name: '查看纪要' })).toBeVisible();
	const objection = page.locator('#objections ~ ul li').filter({ hasText: '漏了' });
	await objection.getByRole('radio', { name: '不采纳（必须说明理由）' }).check();
	await objection.getByLabel('答复内容（不采纳时必填）').fill('张奶奶当天由李先生代为出席，已写在委托一段。');
	await objection.getByRole('button', { name: '提交答复' }).click();
	await expect(objection).toContainText('未采纳');
	await expectAccessible(page);

	// The harness's clock: the window ends.
	await testSql(`update public.publications set opens_at = opens_at - interval '8 days', closes_at = now() - interval '1 second' where id = $1`, [pubUrl!.split('/').pop()]);
	await page.goto(`${meetingUrl}/minutes`);
	await expect(page.locator('.badge').first()).toHaveText('公示结束');

	await page.goto(`/estates/${JINYUAN}/issues/${issue}`);
	const timeline = page.locator('ol.timeline');
	await expect(timeline).toContainText('会议纪要开始公示');
	await expect(timeline).toContainText('会议纪要公示结束，定稿');

	await page.goto(`${meetingUrl}/minutes/print`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('会议纪要：东苑楼道议事会');
	await expect(page.getByText('会后在楼栋群里通知未到场的住户。')).toBeVisible();
	await expectQr(page, '扫码查看纪要，对具体段落提出异议');
	await noHorizontalScroll(page);
	await expectAccessible(page);
	// Printed: the sheet alone, no navigation.
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('header').first()).toBeHidden();
	await expect(page.getByRole('img', { name: '扫码查看纪要，对具体段落提出异议' })).toBeVisible();
});

test('the demo council on the charging shed shows its final minutes to a resident, and the notice of the dog-rules council prints with its QR code', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(`/estates/${JINYUAN}/meetings/5eed0000-0000-4000-8000-000000005302/minutes`);
	await expect(page.locator('.badge').first()).toHaveText('公示结束');
	await expect(page.getByText(/^出席：52 人/)).toBeVisible();
	await noHorizontalScroll(page);
	await expectAccessible(page);
	await page.goto(`/estates/${JINYUAN}/meetings/5eed0000-0000-4000-8000-000000005301`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('晋邻议事会：文明养犬');
	await expect(page.locator('ol.agenda > li')).toHaveCount(3);
	await expectQr(page, '扫码打开会议页面签到');
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('img', { name: '扫码打开会议页面签到' })).toBeVisible();
});

test('without JavaScript the recorder drafts and edits the minutes and the chair publishes them, each a plain form', async ({ browser }) => {
	const { id } = await heldCouncil();
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
	const page = await context.newPage();
	await signIn(page, 'volunteer@demo.linyi.org', 'linyi-volunteer-2026');
	await page.goto(`/estates/${JINYUAN}/meetings/${id}/minutes`);
	await page.getByRole('button', { name: '根据会议记录生成纪要' }).click();
	await expect(page.getByRole('status')).toHaveText('纪要草稿已生成，请核对后修改或公示。');
	// Emptying every paragraph is refused beside the draft, with the text kept.
	const areas = page.locator('textarea[name="paragraphs"]');
	const n = await areas.count();
	for (let i = 0; i < n; i++) await areas.nth(i).fill('');
	await page.getByRole('button', { name: '保存草稿' }).click();
	await expect(page.locator('#paragraphs-error')).toHaveText('请至少保留 1 段、最多 50 段，每段不超过 2000 字。');
	await page.goto(`/estates/${JINYUAN}/meetings/${id}/minutes`);
	await page.getByLabel('第 1 段').fill('会议名称：东苑楼道议事会（记录人更正）。');
	await page.getByRole('button', { name: '保存草稿' }).click();
	await expect(page.getByRole('status')).toHaveText('草稿已保存。');
	await expect(page.getByLabel('第 1 段')).toHaveValue('会议名称：东苑楼道议事会（记录人更正）。');
	// The recorder drafts; publishing is the chair's.
	await expect(page.getByRole('button', { name: '公示纪要' })).toHaveCount(0);
	await noHorizontalScroll(page);
	await signOut(page);
	await signIn(page, DEMO.moderator.email, DEMO.moderator.password);
	await page.goto(`/estates/${JINYUAN}/meetings/${id}/minutes`);
	await page.getByLabel('公示天数（1 到 30 天）').fill('31');
	await page.getByRole('button', { name: '公示纪要' }).click();
	await expect(page.locator('#window-days-error')).toBeVisible();
	await page.getByLabel('公示天数（1 到 30 天）').fill('3');
	await page.getByRole('button', { name: '公示纪要' }).click();
	await expect(page.getByRole('status')).toHaveText('纪要已公示。');
	await expect(page.getByText('会议名称：东苑楼道议事会（记录人更正）。')).toBeVisible();
	await context.close();
});
