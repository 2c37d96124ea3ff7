import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, testSql } from './helpers';

/**
 * The meeting room on the demo's council in session (seed "The meeting
 * room"): 赵老师 (moderator@) chairs, 张奶奶 (against) and 孙师傅 (question)
 * wait to speak on 李先生's motion. Two browsers at once: a resident raises a
 * hand on her phone and the moderator's page shows it without a reload; the
 * floor is given in the rules' order and the wall screen's timer turns red
 * when the time is up; without JavaScript every step is a form.
 */

const ROOM = `/estates/${JINYUAN}/meetings/5eed0000-0000-4000-8000-000000005201/room`;

async function noSideways(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
}

test('a hand raised on a phone shows on the moderator’s page live; the floor goes in the rules’ order; the wall screen’s timer runs out', async ({ browser }) => {
	const modContext = await browser.newContext();
	const phoneContext = await browser.newContext();
	try {
		const mod = await modContext.newPage();
		await signIn(mod, DEMO.moderator.email, DEMO.moderator.password);
		await mod.goto(ROOM, { waitUntil: 'networkidle' });
		const queue = mod.getByRole('region', { name: '发言排队' });
		await expect(queue.getByRole('listitem')).toHaveCount(2);
		await expect(queue.getByRole('listitem').first()).toContainText('张奶奶');
		await expectAccessible(mod);
		await noSideways(mod);
		await mod.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

		const phone = await phoneContext.newPage();
		await signIn(phone, DEMO.resident.email, DEMO.resident.password);
		await phone.goto(ROOM, { waitUntil: 'networkidle' });
		await expectAccessible(phone);
		await noSideways(phone);
		await phone.getByRole('radio', { name: '赞成' }).check();
		await phone.getByRole('button', { name: '举手发言' }).click();
		await expect(phone.getByRole('button', { name: '放下我的手' })).toBeVisible();

		// The moderator's page follows without a reload: against (张奶奶) first, then by time.
		await expect(queue.getByRole('listitem')).toHaveCount(3);
		await expect(queue.getByRole('listitem').nth(2)).toContainText('王阿姨');
		expect(await mod.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

		// The wall screen, in the moderator's second tab.
		const wall = await modContext.newPage();
		await wall.goto(`${ROOM}/projector`, { waitUntil: 'networkidle' });
		await expect(wall.getByRole('heading', { level: 1 })).toHaveText('东苑地面停车位重新划线');
		await expectAccessible(wall);

		await mod.getByRole('button', { name: '请下一位发言：张奶奶' }).click();
		await expect(wall.getByRole('region', { name: '正在发言' })).toContainText('张奶奶 · 反对');
		await expect(wall.getByRole('timer')).toHaveText(/^[12]:\d\d$/);
		await expect(phone.getByRole('region', { name: '正在发言' })).toContainText('张奶奶');

		// Time passes (the speech began 2 minutes 10 seconds ago): every screen turns red and says so.
		await testSql(`update public.speeches set floor_at = now() - interval '130 seconds', ends_at = now() - interval '10 seconds' where status = 'speaking'`);
		await expect(wall.getByRole('alert')).toHaveText('时间到');
		await expect(wall.getByRole('timer')).toHaveText(/^-0:1\d$/);
		await expect(wall.getByRole('timer')).toHaveCSS('color', 'rgb(176, 0, 32)');
		await expect(mod.getByText('时间到')).toBeVisible();
		await expectAccessible(wall);

		await mod.getByRole('button', { name: '结束发言' }).click();
		await expect(wall.getByRole('region', { name: '正在发言' })).toContainText('现在没有人发言');
		await expect(queue.getByRole('listitem').first()).toContainText('孙师傅');
	} finally {
		await modContext.close();
		await phoneContext.close();
	}
});

test('without JavaScript the room refreshes itself and every step is a form', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	try {
		const page = await context.newPage();
		await signIn(page, DEMO.resident.email, DEMO.resident.password);
		await page.goto(ROOM);
		expect(await page.locator('noscript').first().innerHTML()).toContain('http-equiv="refresh"');
		await page.getByRole('button', { name: '放下我的手' }).click();
		await expect(page.getByRole('button', { name: '举手发言' })).toBeVisible();
		await page.getByRole('radio', { name: '提问' }).check();
		await page.getByRole('button', { name: '举手发言' }).click();
		await expect(page.getByRole('button', { name: '放下我的手' })).toBeVisible();
		await page.getByRole('button', { name: '附议' }).click();
		await expect(page.getByRole('region', { name: /^动议/ })).toContainText('附议 2 人');
	} finally {
		await context.close();
	}
});

for (const mode of ['app large text', 'root 150%'] as const) {
	test(`the room, the moderator's room and the wall screen fit 360 px, ${mode}`, async ({ browser }) => {
		for (const who of [DEMO.resident, DEMO.moderator]) {
			const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
			try {
				const page = await context.newPage();
				await signIn(page, who.email, who.password);
				if (mode === 'app large text') await context.addCookies([{ name: 'linyi_text', value: 'large', url: test.info().project.use.baseURL! }]);
				for (const url of [ROOM, `${ROOM}/projector`]) {
					await page.goto(url);
					if (mode === 'root 150%') await page.addStyleTag({ content: 'html, html.text-large { font-size: 150% !important; }' });
					expect(await page.evaluate(() => document.documentElement.scrollWidth), `${who.email} ${url}`).toBeLessThanOrEqual(360);
				}
			} finally {
				await context.close();
			}
		}
	});
}

test('a rule changed mid-meeting, the room’s vote to end debate, the show of hands and the resolution reach the resident’s screen without a reload', async ({ browser }) => {
	const modContext = await browser.newContext();
	const phoneContext = await browser.newContext();
	try {
		const mod = await modContext.newPage();
		await signIn(mod, DEMO.moderator.email, DEMO.moderator.password);
		await mod.goto(ROOM, { waitUntil: 'networkidle' });
		const phone = await phoneContext.newPage();
		await signIn(phone, DEMO.resident.email, DEMO.resident.password);
		await phone.goto(ROOM, { waitUntil: 'networkidle' });
		await phone.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
		await expect(phone.getByRole('region', { name: '到会人数' })).toBeVisible();

		// The meeting allows a third speech each: the resident's page says so at once.
		await mod.getByText('修改会议规则').click();
		await mod.getByLabel('每人对每个动议最多发言几次（1–10）').fill('3');
		await mod.getByRole('button', { name: '保存规则' }).click();
		await expect(phone.getByText('每人对每个动议最多发言 3 次')).toBeVisible();
		await expect(phone.getByRole('status').filter({ hasText: '会议规则已于' })).toBeVisible();

		// People still wait: debate ends only by the room's two-thirds vote, then the hands, a tie failing.
		await mod.getByText('结束讨论', { exact: true }).first().click();
		await mod.getByLabel('同意结束讨论的人数').fill('6');
		await mod.getByLabel('反对结束讨论的人数').fill('1');
		await mod.getByRole('button', { name: '结束讨论' }).last().click();
		await expect(phone.getByRole('region', { name: /^动议/ })).toContainText('表决中');
		await mod.getByLabel('赞成', { exact: true }).fill('4');
		await mod.getByLabel('反对', { exact: true }).fill('2');
		await mod.getByLabel('弃权', { exact: true }).fill('1');
		await mod.getByRole('button', { name: '记录表决结果' }).click();
		await expect(phone.getByRole('region', { name: /^动议/ })).toContainText('赞成 4，反对 2，弃权 1');

		await mod.getByLabel('决议内容').fill('同意东苑地面停车位按新方案重新划线');
		await mod.getByRole('button', { name: '记录决议' }).click();
		await expect(phone.getByRole('region', { name: /^动议/ })).toContainText('决议：同意东苑地面停车位按新方案重新划线');
		expect(await phone.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
		await expectAccessible(mod);
		await expectAccessible(phone);
		await noSideways(phone);
	} finally {
		await modContext.close();
		await phoneContext.close();
	}
});
