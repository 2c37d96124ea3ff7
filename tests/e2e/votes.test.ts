import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, signOut } from './helpers';

/**
 * A building-scoped owners' decision on 15栋 of 晋源水岸花苑 (four flats: 101
 * the owner account's, 102 the party member account's, 201 and 202 owners
 * without an account who vote on paper).
 */

async function acceptedIssue(page: Page, title: string) {
	// Filled only once the page has hydrated, so that the form's bound values are not reset under the test.
	await page.goto(`/estates/${JINYUAN}/issues/new`, { waitUntil: 'networkidle' });
	await page.getByLabel('标题').fill(title);
	await page.getByLabel('类别').selectOption('renovation');
	await page.getByLabel('院落或楼栋').selectOption({ label: '15栋' });
	await page.getByLabel('详细说明').fill('四户业主商量加装电梯，费用按面积分摊。');
	await page.getByRole('button', { name: '提交议题' }).click();
	await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
	await page.getByRole('radio', { name: '受理', exact: true }).check();
	await page.getByRole('button', { name: '确定' }).click();
	await expect(page.locator('.badge.status-accepted').first()).toHaveText('已受理');
	return page.url().split('#')[0].split('/').pop()!;
}

async function castOnline(page: Page, voteUrl: string, who: { email: string; password: string }, option: string) {
	await signIn(page, who.email, who.password);
	await page.goto(voteUrl);
	await page.getByRole('radio', { name: option, exact: true }).check();
	await page.getByRole('button', { name: '投票', exact: true }).click();
	const receipt = page.getByRole('status').locator('.receipt');
	await expect(receipt).toHaveText(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
	return (await receipt.textContent())!;
}

async function enterPaper(page: Page, room: string, option: string, ref: string) {
	const form = page.locator('form[action="?/paper"]');
	await form.getByLabel('楼栋').selectOption({ label: '15栋' });
	await form.getByLabel('房号').fill(room);
	await form.getByRole('radio', { name: option, exact: true }).check();
	await form.getByLabel('纸质票编号').fill(ref);
	await form.getByRole('button', { name: '录入' }).click();
	await expect(page.getByText('已录入。回执码：')).toBeVisible();
}

test('the committee opens a building-scoped owners decision; owners vote online, a moderator enters paper ballots, the vote closes and a voter finds their receipt', async ({ page }) => {
	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	const issue = await acceptedIssue(page, '15栋加装电梯');
	await page.getByRole('link', { name: '发起表决' }).click();
	await expect(page).toHaveURL(`/estates/${JINYUAN}/votes/new?issue=${issue}`);
	await page.waitForLoadState('networkidle');
	await expectAccessible(page);
	await page.getByLabel('表决事项').fill('是否同意 15 栋加装电梯？');
	await page.getByLabel('表决范围').selectOption({ label: '楼栋：15栋（4 户）' });
	await page.getByLabel('决定事项（《民法典》第二百七十八条）').selectOption('7');
	await page.getByRole('button', { name: '发起表决' }).click();
	await expect(page).toHaveURL(/\/votes\/[0-9a-f-]{36}$/);
	const voteUrl = page.url();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('是否同意 15 栋加装电梯？');
	await expect(page.getByText('选民：4 户，业主 4 人')).toBeVisible();
	await expectAccessible(page);
	await signOut(page);

	const receipt = await castOnline(page, voteUrl, DEMO.owner, '同意');
	await expect(page.getByText('您的选择：同意')).toBeVisible();
	await expectAccessible(page);
	await signOut(page);
	await castOnline(page, voteUrl, DEMO.party, '同意');
	await signOut(page);

	await signIn(page, DEMO.moderator.email, DEMO.moderator.password);
	await page.goto(voteUrl);
	await enterPaper(page, '201', '同意', 'J15-201');
	await page.getByRole('link', { name: '查看还没投票的住户（扫楼用）' }).click();
	await expect(page.getByRole('listitem')).toHaveText(['15栋 202 · 152.75 ㎡']);
	await expectAccessible(page);
	await page.goto(voteUrl);
	await enterPaper(page, '202', '反对', 'J15-202');
	// Turnout, never a choice: all four flats have voted.
	await expect(page.getByText('4 / 4（100.0%）')).toBeVisible();
	await signOut(page);

	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(voteUrl);
	// Closing early is for good: the first tap only asks, and says what will happen.
	await page.getByRole('button', { name: '提前结束并计票' }).click();
	const confirm = page.getByRole('region', { name: '确定提前结束这项表决？' });
	await expect(confirm).toContainText('不能再投票或改票');
	await expect(page.locator('#result')).toHaveCount(0);
	await expectAccessible(page);
	await confirm.getByRole('link', { name: '不结束，返回' }).click();
	await expect(page.getByRole('region', { name: '确定提前结束这项表决？' })).toHaveCount(0);
	await expect(page.locator('.badge.vote-open')).toBeVisible();
	await page.getByRole('button', { name: '提前结束并计票' }).click();
	await page.getByRole('button', { name: '确定结束并计票' }).click();
	const result = page.locator('#result');
	await expect(result.locator('.outcome')).toHaveText('通过');
	// 3 of 4 owners (≥ 3/4) and 489.55 of 642.30 m² (76.2 %, ≥ 3/4) agree.
	await expect(result.getByText(/参与表决面积 100\.0%.*同意面积 76\.2%.*同意人数 75\.0%.*→ 通过/)).toBeVisible();
	await expect(result.getByRole('table')).toBeVisible();
	await expectAccessible(page);
	// With large text the owners' table (option, ballots, area, owners) still fits its card on a 360 px phone.
	await page.getByRole('button', { name: '大字' }).click();
	await expect(page.locator('html')).toHaveClass(/text-large/);
	const fits = async (how: string) => {
		for (const size of ['137.5%', '150%']) {
			await page.evaluate((s) => (document.documentElement.style.fontSize = s), size);
			const widest = await result.evaluate((card) => {
				const right = card.getBoundingClientRect().right;
				return Math.max(...[...card.querySelectorAll('table, th, td')].map((e) => e.getBoundingClientRect().right)) - right;
			});
			expect(widest, `the table's right edge past the card's, ${how} at ${size}`).toBeLessThanOrEqual(0);
			expect(await page.evaluate(() => document.documentElement.scrollWidth), `page at ${size}`).toBeLessThanOrEqual(360);
		}
		await page.evaluate(() => (document.documentElement.style.fontSize = ''));
	};
	await fits('in Chinese');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await fits('in English');
	await page.getByRole('button', { name: '中文' }).click();
	await page.getByRole('button', { name: '标准字号' }).click();
	await expect(page.locator('html')).not.toHaveClass(/text-large/);
	await page.goto(`/estates/${JINYUAN}/issues/${issue}`);
	await expect(page.locator('.badge.status-approved').first()).toBeVisible();
	// The estate's votes list: this one, closed and passed, and the demo's finished consultation.
	await page.getByRole('link', { name: '表决', exact: true }).click();
	const listed = page.locator('li.card').filter({ hasText: '是否同意 15 栋加装电梯？' });
	await expect(listed).toContainText('已结束');
	await expect(listed).toContainText('通过');
	await expect(page.getByRole('link', { name: '新座椅放在中心花园的哪一处？' })).toBeVisible();
	await expectAccessible(page);
	await signOut(page);

	await signIn(page, DEMO.owner.email, DEMO.owner.password);
	await page.goto(voteUrl);
	await page.getByRole('link', { name: '核对回执码 / 已计入的回执码' }).click();
	await page.getByLabel('回执码').fill(receipt.toLowerCase());
	await page.getByRole('button', { name: '核对' }).click();
	await expect(page.getByRole('status')).toContainText('已计入');
	await expect(page.getByRole('listitem').filter({ hasText: receipt })).toBeVisible();
	await expectAccessible(page);
	// A well-formed code that no ballot has gets an answer; a badly formed one says what a code looks like.
	await page.getByLabel('回执码').fill('ffff-ffff-ffff-ffff');
	await page.getByRole('button', { name: '核对' }).click();
	await expect(page.getByRole('status')).toContainText('FFFF-FFFF-FFFF-FFFF：没有这个回执码');
	await page.getByLabel('回执码').fill('GHIJ-0000-0000-0000');
	await page.getByRole('button', { name: '核对' }).click();
	await expect(page.locator('#f-code-error')).toContainText('数字 0–9 和字母 A–F');
	await page.getByLabel('回执码').fill(receipt.replaceAll('-', ''));
	await page.getByRole('button', { name: '核对' }).click();
	await expect(page.getByRole('status')).toContainText('已计入');
});

test('a resident reads the result of the demo consultation: the winner, the chart and the counted receipts', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(`/estates/${JINYUAN}/votes/5eed0000-0000-4000-8000-000000003001`);
	const result = page.locator('#result');
	await expect(result.locator('.outcome')).toHaveText('已选出');
	await expect(result.locator('.explanation')).toHaveText('已选出：凉亭周围');
	await expect(result.getByRole('row', { name: /凉亭周围/ })).toContainText('3 (50.0%)');
	await expect(page.getByText('您的选择：凉亭周围')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: '核对回执码 / 已计入的回执码' }).click();
	await expect(page.getByRole('heading', { name: '已计入的回执码（6 个）' })).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('回执码').fill('1234567890abcdef');
	await page.getByRole('button', { name: '核对' }).click();
	await expect(page.getByRole('status')).toContainText('1234-5678-90AB-CDEF：没有这个回执码');
	await expectAccessible(page);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a resident checks a receipt code on the demo consultation: a counted one, and one no ballot has', async ({ page }) => {
		await signIn(page, DEMO.resident.email, DEMO.resident.password);
		await page.goto(`/estates/${JINYUAN}/votes/5eed0000-0000-4000-8000-000000003001/receipts`);
		const counted = (await page.locator('ol.receipts li').first().textContent())!;
		await page.getByLabel('回执码').fill(counted.toLowerCase().replaceAll('-', ''));
		await page.getByRole('button', { name: '核对' }).click();
		await expect(page.getByRole('status')).toContainText(`${counted}：已计入`);
		await page.getByLabel('回执码').fill('1234-5678-90ab-cdef');
		await page.getByRole('button', { name: '核对' }).click();
		await expect(page.getByRole('status')).toContainText('1234-5678-90AB-CDEF：没有这个回执码');
		await page.getByLabel('回执码').fill('1234-5678');
		await page.getByRole('button', { name: '核对' }).click();
		await expect(page.locator('#f-code-error')).toHaveText('回执码是 16 位，由数字 0–9 和字母 A–F 组成');
	});

	test('an owner casts a ballot, and a ballot without a choice shows its message', async ({ page }) => {
		await signIn(page, DEMO.committee.email, DEMO.committee.password);
		const issue = await acceptedIssue(page, '屋面防水层老化漏雨');
		await page.goto(`/estates/${JINYUAN}/votes/new?issue=${issue}`);
		await page.getByLabel('表决事项').fill('是否使用维修资金修缮 15 栋外墙？');
		await page.getByLabel('表决范围').selectOption({ label: '楼栋：15栋（4 户）' });
		await page.getByLabel('决定事项（《民法典》第二百七十八条）').selectOption('5');
		await page.getByRole('button', { name: '发起表决' }).click();
		await expect(page).toHaveURL(/\/votes\/[0-9a-f-]{36}$/);
		const voteUrl = page.url();
		await signOut(page);

		await signIn(page, DEMO.owner.email, DEMO.owner.password);
		await page.goto(voteUrl);
		await page.getByRole('button', { name: '投票', exact: true }).click();
		await expect(page.getByText('请先选择再投票')).toBeVisible();
		await page.getByRole('radio', { name: '反对', exact: true }).check();
		await page.getByRole('button', { name: '投票', exact: true }).click();
		await expect(page.getByRole('status').locator('.receipt')).toHaveText(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
		await signOut(page);

		// A moderator enters a paper ballot for a room the register does not hold: told who keeps the register.
		await signIn(page, DEMO.moderator.email, DEMO.moderator.password);
		await page.goto(voteUrl);
		const paper = page.locator('form[action="?/paper"]');
		await paper.getByLabel('楼栋').selectOption({ label: '15栋' });
		await paper.getByLabel('房号').fill('909');
		await paper.getByRole('radio', { name: '同意', exact: true }).check();
		await paper.getByLabel('纸质票编号').fill('J15-909');
		await paper.getByRole('button', { name: '录入' }).click();
		await expect(page.locator('#paper-room-error')).toContainText('房屋登记册由业委会或管理员维护');
		await expect(page.locator('#paper-room-error')).not.toContainText('请先在房屋登记册里加上');
		await page.goto(voteUrl);
		await enterPaper(page, '201', '同意', 'J15-201');
		await enterPaper(page, '202', '同意', 'J15-202');
		await signOut(page);
		await signIn(page, DEMO.party.email, DEMO.party.password);
		await page.goto(voteUrl);
		await page.getByRole('radio', { name: '同意', exact: true }).check();
		await page.getByRole('button', { name: '投票', exact: true }).click();
		await expect(page.getByRole('status').locator('.receipt')).toBeVisible();
		await signOut(page);

		// Without JavaScript, closing early also asks first; only the second button closes.
		await signIn(page, DEMO.committee.email, DEMO.committee.password);
		await page.goto(voteUrl);
		await page.getByRole('button', { name: '提前结束并计票' }).click();
		await expect(page.getByRole('region', { name: '确定提前结束这项表决？' })).toBeVisible();
		await page.goto(voteUrl);
		await expect(page.locator('.badge.vote-open')).toBeVisible();
		await page.getByRole('button', { name: '提前结束并计票' }).click();
		await page.getByRole('button', { name: '确定结束并计票' }).click();
		await expect(page.locator('#result .outcome')).toBeVisible();
		await expect(page.locator('.badge.vote-closed')).toBeVisible();

		// A well-formed code no ballot has is answered, not met with silence.
		await page.getByRole('link', { name: '核对回执码 / 已计入的回执码' }).click();
		await page.getByLabel('回执码').fill('0000 0000 0000 0000');
		await page.getByRole('button', { name: '核对' }).click();
		await expect(page.getByRole('status')).toContainText('没有这个回执码');
	});
});
