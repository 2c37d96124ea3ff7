import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO, expectAccessible } from './helpers';

/**
 * The rate limits as people meet them. The shared e2e server sets every limit out of reach
 * (playwright.config.ts), so this file starts its own server of the same build, with a sign-in
 * limit of 2 attempts per account, on a fresh data directory and its own port (E2E_PORT + 100).
 */
const PORT = Number(process.env.E2E_PORT ?? 4173) + 100;
const BASE = `http://localhost:${PORT}`;

let server: ChildProcess;
let dataDir: string;

test.beforeAll(async () => {
	test.setTimeout(180_000);
	dataDir = mkdtempSync(path.join(tmpdir(), 'linyi-limits-'));
	server = spawn(process.execPath, ['scripts/start.js'], {
		env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, ORIGIN: BASE, RATE_LIMIT_SIGN_IN_ACCOUNT: '2/900' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (const t0 = Date.now(); ; ) {
		if (await fetch(BASE + '/').then((r) => r.ok, () => false)) break;
		if (Date.now() - t0 > 170_000) throw new Error('the limits server did not start');
		await new Promise((r) => setTimeout(r, 250));
	}
});

test.afterAll(async () => {
	const exited = new Promise((r) => server.once('exit', r));
	server.kill('SIGTERM');
	await exited;
	rmSync(dataDir, { recursive: true, force: true });
});

async function tryPassword(page: import('@playwright/test').Page, email: string, password: string) {
	await page.goto(BASE + '/auth/sign-in');
	// By name, not by label: the page may be in either language.
	await page.locator('input[name=identifier]').fill(email);
	await page.locator('input[name=password]').fill(password);
	await page.locator('form:has(input[name=password]) button').click();
}

test('with JavaScript: the third sign-in for one account within 15 minutes says, beside the form, how long to wait', async ({ page }) => {
	await tryPassword(page, DEMO.owner.email, 'not-the-password-1');
	await expect(page.getByRole('alert')).toHaveText('账号或密码不对，请再试一次。');
	await tryPassword(page, DEMO.owner.email, 'not-the-password-2');
	await expect(page.getByRole('alert')).toHaveText('账号或密码不对，请再试一次。');
	// Even the right password waits: a guesser learns nothing from the answer.
	await tryPassword(page, DEMO.owner.email, DEMO.owner.password);
	await expect(page.getByRole('alert')).toHaveText('尝试次数太多，请等 15 分钟后再试。');
	await expect(page).toHaveURL(/\/auth\/sign-in/);
	await expectAccessible(page);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the page comes back with status 429 and the message in the chosen language', async ({ page, context }) => {
		await context.addCookies([{ name: 'linyi_locale', value: 'en', url: BASE }]);
		for (const guess of ['not-the-password-1', 'not-the-password-2']) {
			await tryPassword(page, DEMO.party.email, guess);
			await expect(page.getByRole('alert')).toBeVisible();
		}
		const answer = page.waitForResponse((r) => r.request().method() === 'POST');
		await tryPassword(page, DEMO.party.email, DEMO.party.password);
		expect((await answer).status()).toBe(429);
		await expect(page.getByRole('alert')).toHaveText('Too many attempts. Please wait and try again in 15 minutes.');
	});
});
