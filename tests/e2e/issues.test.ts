import { expect, test, type Page } from '@playwright/test';
import { DEMO, JINYUAN, expectAccessible, signIn, signOut } from './helpers';

const PHOTO = 'tests/e2e/fixtures/bench.jpg';
const BOARD = `/estates/${JINYUAN}/issues`;

async function propose(page: Page, title: string, area: string, opts: { photo?: boolean; pin?: boolean } = {}) {
	await page.goto(`${BOARD}/new`);
	await page.getByLabel('标题').fill(title);
	await page.getByLabel('类别').selectOption('facilities');
	await page.getByLabel('院落或楼栋').selectOption({ label: area });
	await page.getByLabel('详细说明').fill('椅子腿断了，老人坐着危险。<script>alert(1)</script>');
	if (opts.pin) {
		await page.getByText('在地图上标出具体位置（可选）').click();
		// Each drawn area carries its id as a class; the middle of a courtyard lies inside it.
		const areaId = await page.getByLabel('院落或楼栋').inputValue();
		const shape = page.locator(`path.area-${areaId}`);
		await expect(shape).toBeVisible();
		const box = (await shape.boundingBox())!;
		await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
		await expect(page.getByText('已标出位置。')).toBeVisible();
	}
	if (opts.photo) await page.locator('input[type=file][name=photos]').setInputFiles(PHOTO);
	await page.getByRole('button', { name: '提交议题' }).click();
}

test('a resident proposes with a photo and a pin; it is on the board and on the map; a neighbour typing a similar title supports it instead', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await propose(page, '西苑东门的长椅坏了', '西苑', { photo: true, pin: true });
	await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
	const issueUrl = page.url();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('西苑东门的长椅坏了');
	// Script in the text is shown as text.
	await expect(page.getByText('<script>alert(1)</script>')).toBeVisible();
	await expect(page.getByRole('img', { name: '第 1 张照片' })).toBeVisible();
	await expectAccessible(page);

	await page.goto(BOARD);
	await expect(page.getByRole('link', { name: '西苑东门的长椅坏了' })).toBeVisible();
	await expectAccessible(page);
	await page.goto(`/estates/${JINYUAN}/map`);
	// Areas and pins are drawn on a canvas (fast for thousands of pins).
	await expect(page.locator('.leaflet-container canvas').first()).toBeVisible();
	await expect(page.getByRole('link', { name: '西苑的议题' })).toBeVisible();
	await expectAccessible(page);
	await signOut(page);

	await signIn(page, DEMO.owner.email, DEMO.owner.password);
	await page.goto(`${BOARD}/new`);
	await page.getByLabel('标题').pressSequentially('东门长椅坏了没人修', { delay: 20 });
	const offer = page.getByRole('region', { name: '这些议题看起来差不多' });
	await expect(offer.getByRole('link', { name: '西苑东门的长椅坏了' })).toBeVisible();
	await offer.getByRole('button', { name: '附议' }).first().click();
	await expect(page).toHaveURL(issueUrl);
	await expect(page.getByRole('button', { name: '取消附议' })).toBeVisible();
	await expect(page.getByText(/^1$/).first()).toBeVisible();
});

test('a reported comment is hidden by a moderator, and the committee accepts the issue into the timeline', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await propose(page, '南苑凉亭顶上有马蜂窝', '南苑');
	await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
	const issueUrl = page.url();
	await page.getByLabel('您的意见').fill('这是一条不文明的评论');
	await page.getByRole('button', { name: '发表' }).click();
	await expect(page.getByText('这是一条不文明的评论')).toBeVisible();
	await signOut(page);

	await signIn(page, DEMO.owner.email, DEMO.owner.password);
	await page.goto(issueUrl);
	const comment = page.locator('article.comment').filter({ hasText: '这是一条不文明的评论' });
	await comment.getByRole('link', { name: '举报' }).click();
	await comment.getByLabel('举报原因').fill('人身攻击');
	await comment.getByRole('button', { name: '提交举报' }).click();
	await expect(page.getByText('已收到您的举报，谢谢。')).toBeVisible();
	await signOut(page);

	await signIn(page, DEMO.moderator.email, DEMO.moderator.password);
	await page.goto(issueUrl);
	const target = page.locator('article.comment').filter({ hasText: '这是一条不文明的评论' });
	await target.getByRole('link', { name: '隐藏' }).click();
	await target.getByLabel('原因（作者能看到）').fill('请文明发言');
	await target.getByRole('button', { name: '隐藏' }).click();
	await expect(page.getByText('这条评论已被主持人隐藏，原因：请文明发言')).toBeVisible();
	await expectAccessible(page);
	await signOut(page);

	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(issueUrl);
	await expect(page.getByText('这条评论已被主持人隐藏，原因：请文明发言')).toBeVisible();
	await signOut(page);

	await signIn(page, DEMO.committee.email, DEMO.committee.password);
	await page.goto(issueUrl);
	await page.getByRole('radio', { name: '受理', exact: true }).check();
	await page.getByRole('button', { name: '确定' }).click();
	await expect(page.locator('.badge.status-accepted').first()).toHaveText('已受理');
	await expect(page.getByRole('list').filter({ hasText: '受理 → 已受理' })).toBeVisible();
	await expectAccessible(page);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a resident proposes an issue, and a bad one shows its message beside the field', async ({ page }) => {
		await signIn(page, DEMO.resident.email, DEMO.resident.password);
		await page.goto(`${BOARD}/new`);
		await page.getByRole('button', { name: '提交议题' }).click();
		await expect(page.locator('#f-title-error')).toHaveText('这一项必须填写。');
		await propose(page, '3栋楼道灯不亮', '3栋');
		await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('3栋楼道灯不亮');
	});

	test('a resident replies and edits, a neighbour reports and a moderator hides, each through the comment’s own link', async ({ page }) => {
		await signIn(page, DEMO.resident.email, DEMO.resident.password);
		await propose(page, '东苑垃圾桶早上就满了', '东苑');
		await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
		const issueUrl = page.url();
		await page.getByLabel('您的意见').fill('早上七点前就满了');
		await page.getByRole('button', { name: '发表' }).click();
		const thread = page.locator('article.comment').filter({ hasText: '早上七点前就满了' }).first();
		// No comment carries its forms until asked: the link opens this page with that one form.
		await expect(page.locator('form[action="?/comment"]')).toHaveCount(1);
		await thread.getByRole('link', { name: '回复' }).click();
		await expect(page).toHaveURL(/\?reply=[0-9a-f-]{36}#tool$/);
		await thread.getByLabel('您的回复').fill('晚上也是满的');
		await thread.getByRole('button', { name: '发送回复' }).click();
		await expect(thread.locator('.replies')).toContainText('晚上也是满的');
		await thread.getByRole('link', { name: '修改' }).first().click();
		await expect(page).toHaveURL(/\?edit=[0-9a-f-]{36}#tool$/);
		await thread.getByLabel('发表后 15 分钟内可以修改，原来的内容会保留记录。').fill('早上六点半就满了');
		await thread.getByRole('button', { name: '保存' }).click();
		await expect(page.getByText('早上六点半就满了')).toBeVisible();
		await signOut(page);

		await signIn(page, DEMO.owner.email, DEMO.owner.password);
		await page.goto(issueUrl);
		const reported = page.locator('article.comment').filter({ hasText: '早上六点半就满了' }).first();
		await reported.getByRole('link', { name: '举报' }).first().click();
		await reported.getByLabel('举报原因').fill('与议题无关');
		await reported.getByRole('button', { name: '提交举报' }).click();
		await expect(page.getByText('已收到您的举报，谢谢。')).toBeVisible();
		await signOut(page);

		await signIn(page, DEMO.moderator.email, DEMO.moderator.password);
		await page.goto(issueUrl);
		const target = page.locator('article.comment').filter({ hasText: '早上六点半就满了' }).first();
		await target.getByRole('link', { name: '隐藏' }).first().click();
		await expect(page).toHaveURL(/\?moderate=[0-9a-f-]{36}#tool$/);
		await target.getByLabel('原因（作者能看到）').fill('测试隐藏');
		await target.getByRole('button', { name: '隐藏' }).click();
		await expect(page.getByText('这条评论已被主持人隐藏，原因：测试隐藏')).toBeVisible();
		// Its reply stays in the discussion.
		await expect(page.getByText('晚上也是满的')).toBeVisible();
	});
});

test('the map has a list view that works by keyboard', async ({ page }) => {
	await signIn(page, DEMO.resident.email, DEMO.resident.password);
	await page.goto(`/estates/${JINYUAN}/map?view=list`);
	await expect(page.locator('.leaflet-container')).toHaveCount(0);
	const link = page.getByRole('link', { name: '1栋的议题', exact: true });
	await link.focus();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/issues\?status=open&area=/);
	await expectAccessible(page);
});
