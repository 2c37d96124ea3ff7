import { expect, test, type Browser, type Page } from '@playwright/test';
import { CAILIAN, DEMO, JINYUAN, signIn } from './helpers';

/**
 * No journey page scrolls sideways on a 360 px phone, with the app's text at
 * its normal size, with its own 大字 setting, and with the phone's text made
 * larger (the root font size at 150 %, as a system-wide "large text" does).
 */

const ISSUE = '5eed0000-0000-4000-8000-000000002001';
const VOTE = '5eed0000-0000-4000-8000-000000003001';
const MEETING = '5eed0000-0000-4000-8000-000000005101';
const estate = `/estates/${JINYUAN}`;

type Mode = 'normal' | 'app large text' | 'root 150%' | 'English, root 150%';
const MODES: Mode[] = ['normal', 'app large text', 'root 150%', 'English, root 150%'];
const large = (mode: Mode) => mode.endsWith('root 150%');

const PAGES: Record<'guest' | 'resident' | 'committee' | 'admin', string[]> = {
	guest: ['/', '/auth/sign-in', '/auth/sign-up', estate, '/no/such/page'],
	resident: [
		'/me',
		'/me/notifications',
		'/settings',
		estate,
		`${estate}/issues`,
		`${estate}/issues?status=completed`,
		`${estate}/issues/${ISSUE}`,
		`${estate}/issues/5eed0000-0000-4000-8000-000000002002`,
		`${estate}/map`,
		`${estate}/map?view=list`,
		`${estate}/votes`,
		`${estate}/votes/${VOTE}`,
		`${estate}/votes/${VOTE}/receipts`,
		`${estate}/manage/members`,
		`${estate}/open-data`,
		'/communities/5eed0000-0000-4000-8000-000000000001/open-data',
		`${estate}/meetings`,
		`${estate}/meetings/${MEETING}`,
		`${estate}/meetings/${MEETING}/check-in`,
		// The charging shed council's final minutes and their A4 print.
		`${estate}/meetings/5eed0000-0000-4000-8000-000000005302/minutes`,
		`${estate}/meetings/5eed0000-0000-4000-8000-000000005302/minutes/print`
	],
	committee: [
		`${estate}/issues/${ISSUE}`,
		`${estate}/votes/new?issue=${ISSUE}`,
		`${estate}/moderation`,
		`${estate}/manage/members`,
		`${estate}/manage/areas`,
		`${estate}/manage/units`,
		`${estate}/manage/settings`,
		`${estate}/manage/audit`,
		// 采莲新村's renovation in progress: the issue page's progress section (a tree of items) and its plan page.
		`/estates/${CAILIAN}/issues/5eed0000-0000-4000-8000-000000002101`,
		`/estates/${CAILIAN}/issues/5eed0000-0000-4000-8000-000000002101/plan`,
		`${estate}/meetings`,
		`${estate}/meetings/${MEETING}`,
		`${estate}/meetings/${MEETING}/attendance`
	],
	admin: ['/admin', `/admin/estates/${JINYUAN}`]
};
// The new-issue page (issues/new) is left out here: its width is another change's work (issue #12, item 10).

const ACCOUNTS = { resident: DEMO.resident, committee: DEMO.committee, admin: DEMO.admin } as const;

async function as(browser: Browser, who: keyof typeof PAGES, mode: Mode): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	// Signed in in Chinese (the helper's labels), then the text size and language are set as the switches set them.
	if (who !== 'guest') await signIn(page, ACCOUNTS[who].email, ACCOUNTS[who].password);
	const url = test.info().project.use.baseURL!;
	if (mode === 'app large text') await context.addCookies([{ name: 'linyi_text', value: 'large', url }]);
	if (mode.startsWith('English')) await context.addCookies([{ name: 'linyi_locale', value: 'en', url }]);
	return page;
}

async function overflowing(page: Page, url: string, mode: Mode): Promise<string | null> {
	const response = await page.goto(url, { waitUntil: 'networkidle' });
	// A page refused before any page runs (the hook's 403) is the static error page, at its own fixed size.
	if (mode === 'app large text' && response?.status() !== 403) await expect(page.locator('html'), url).toHaveClass(/text-large/);
	if (large(mode)) await page.addStyleTag({ content: 'html, html.text-large { font-size: 150% !important; }' });
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	if (width <= 360) return null;
	// Name the widest element, so that a failure says where to look.
	const culprit = await page.evaluate(() => {
		let worst = '';
		let right = 360;
		for (const el of document.querySelectorAll('body *')) {
			// Leaflet's panes are far wider than the map, inside its clipped container.
			if (el.closest('.leaflet-container')) continue;
			const r = el.getBoundingClientRect();
			if (r.right > right + 0.5) {
				right = r.right;
				worst = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`;
			}
		}
		return `${worst} to ${Math.round(right)} px`;
	});
	return `${url}: ${width} px wide (${culprit})`;
}

for (const mode of MODES) {
	for (const who of Object.keys(PAGES) as Array<keyof typeof PAGES>) {
		test(`${who}'s pages fit 360 px, ${mode}`, async ({ browser }) => {
			const page = await as(browser, who, mode);
			const wide: string[] = [];
			for (const url of PAGES[who]) {
				const problem = await overflowing(page, url, mode);
				if (problem) wide.push(problem);
			}
			expect(wide).toEqual([]);
			await page.context().close();
		});
	}
}

for (const mode of MODES) {
	test(`the board's status tabs wrap rather than scroll out of sight, ${mode}`, async ({ browser }) => {
		const page = await as(browser, 'resident', mode);
		await page.goto(`${estate}/issues`);
		if (large(mode)) await page.addStyleTag({ content: 'html, html.text-large { font-size: 150% !important; }' });
		const tabs = page.locator('nav.tabs');
		expect(await tabs.getByRole('link').count()).toBeGreaterThan(3);
		expect(await tabs.evaluate((n) => n.scrollWidth - n.clientWidth)).toBeLessThanOrEqual(0);
		for (const link of await tabs.getByRole('link').all()) {
			const box = (await link.boundingBox())!;
			expect(box.x, (await link.textContent()) ?? "").toBeGreaterThanOrEqual(0);
			expect(box.x + box.width, (await link.textContent()) ?? "").toBeLessThanOrEqual(360);
			expect(box.height).toBeGreaterThanOrEqual(44);
		}
		await page.context().close();
	});
}
