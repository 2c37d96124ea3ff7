import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const DEMO = {
	resident: { email: 'resident@demo.linyi.org', password: 'linyi-resident-2026' },
	owner: { email: 'owner@demo.linyi.org', password: 'linyi-owner-2026' },
	moderator: { email: 'moderator@demo.linyi.org', password: 'linyi-moderator-2026' },
	committee: { email: 'committee@demo.linyi.org', password: 'linyi-committee-2026' },
	party: { email: 'party@demo.linyi.org', password: 'linyi-party-2026' },
	admin: { email: 'admin@demo.linyi.org', password: 'linyi-admin-2026' }
};
export const JINYUAN = '5eed0000-0000-4000-8000-000000000101';
export const CAILIAN = '5eed0000-0000-4000-8000-000000000102';

/** axe-core on the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page) {
	const { violations } = await new AxeBuilder({ page }).analyze();
	const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** Submits the sign-in form; the caller checks the outcome. */
export async function attemptSignIn(page: Page, identifier: string, password: string) {
	await page.goto('/auth/sign-in');
	await page.getByLabel('手机号或邮箱').fill(identifier);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
}

/** Signs in and waits until the app has taken the user to their page. */
export async function signIn(page: Page, identifier: string, password: string) {
	await attemptSignIn(page, identifier, password);
	await page.waitForURL((url) => !url.pathname.startsWith('/auth/'));
}

export async function signOut(page: Page) {
	await page.getByRole('banner').getByRole('button', { name: '退出' }).click();
	await expect(page.getByRole('link', { name: '登录' }).first()).toBeVisible();
}

/** A mobile number no other test uses. */
export function uniquePhone(): string {
	return '139' + String(Date.now() % 1e8).padStart(8, '0');
}

/**
 * Runs one SQL statement on the test server's database through the harness's hook
 * (tests/e2e/fixtures/sql-hook.js): for letting time pass, never for what a user does.
 */
export async function testSql<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
	const port = Number(process.env.E2E_PORT ?? 4173) + 10000;
	const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify({ sql, params }) });
	if (!res.ok) throw new Error(`test SQL failed: ${await res.text()}`);
	return (await res.json()) as T[];
}
