import { defineConfig } from '@playwright/test';

// E2E_PORT lets two checkouts run their browser tests side by side.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const E2E_LIMITS = ['SIGN_IN_IP', 'SIGN_IN_ACCOUNT', 'SIGN_UP_IP', 'SIMILAR_IP'].map((l) => `RATE_LIMIT_${l}=1000000/60`).join(' ');
/** The test harness's SQL hook (tests/e2e/fixtures/sql-hook.js), for tests that let time pass. */
export const E2E_SQL_PORT = PORT + 10000;

/**
 * Browser tests run in Debian's Chromium (never a downloaded browser) against
 * the built app on a fresh embedded database with the demo loaded.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: process.env.CI ? 'list' : [['list']],
	use: {
		baseURL: `http://localhost:${PORT}`,
		locale: 'zh-CN',
		viewport: { width: 360, height: 780 },
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
		}
	},
	projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
	webServer: {
		// Every test comes from 127.0.0.1 and signs in as the same demo accounts: the limits are set out of reach.
		command: `rm -rf .e2e-data && DATA_DIR=.e2e-data PORT=${PORT} ${E2E_LIMITS} E2E_SQL_PORT=${E2E_SQL_PORT} node --import ./tests/e2e/fixtures/sql-hook.js scripts/start.js`,
		url: `http://localhost:${PORT}/`,
		timeout: 180_000,
		reuseExistingServer: false,
		stdout: 'ignore',
		stderr: 'pipe'
	}
});
