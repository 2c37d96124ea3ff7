#!/usr/bin/env node
// Page weight in Chromium: JavaScript gzipped per route (what the server-rendered
// HTML loads, and what loads lazily after first paint), and HTML + CSS gzipped.
// Runs on the demo estate in a temporary data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
// The browser must use the server's ORIGIN (localhost), or form posts are refused as cross-site.
import { ORIGIN as BASE, report, startServer, stopServer } from './lib.js';

const JINYUAN = '5eed0000-0000-4000-8000-000000000101';
const dataDir = mkdtempSync(path.join(tmpdir(), 'linyi-pages-'));
const server = await startServer({ DATA_DIR: dataDir });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const rows = [];
try {
	const ctx = await browser.newContext();
	const page = await ctx.newPage();
	await page.goto(`${BASE}/auth/sign-in`);
	await page.fill('#f-identifier', 'resident@demo.linyi.org');
	await page.fill('#f-password', 'linyi-resident-2026');
	await Promise.all([page.waitForURL(/\/me$/), page.click('main button')]);
	// A vote to weigh: the committee raises an issue on 15栋, accepts it and opens an owners' decision, as people do.
	const committee = await (await browser.newContext()).newPage();
	await committee.goto(`${BASE}/auth/sign-in`);
	await committee.fill('#f-identifier', 'committee@demo.linyi.org');
	await committee.fill('#f-password', 'linyi-committee-2026');
	await Promise.all([committee.waitForURL(/\/me$/), committee.click('main button')]);
	await committee.goto(`${BASE}/estates/${JINYUAN}/issues/new`, { waitUntil: 'networkidle' });
	await committee.getByLabel('标题').fill('15栋加装电梯');
	await committee.getByLabel('类别').selectOption('renovation');
	await committee.getByLabel('院落或楼栋').selectOption({ label: '15栋' });
	await Promise.all([committee.waitForURL(/\/issues\/[0-9a-f-]{36}$/), committee.getByRole('button', { name: '提交议题' }).click()]);
	const issuePath = new URL(committee.url()).pathname;
	await committee.getByRole('radio', { name: '受理', exact: true }).check();
	await committee.getByRole('button', { name: '确定' }).click();
	await committee.getByRole('link', { name: '发起表决' }).click();
	await committee.waitForLoadState('networkidle');
	await committee.getByLabel('表决事项').fill('是否同意 15 栋加装电梯？');
	await committee.getByLabel('表决范围').selectOption({ label: '楼栋：15栋（4 户）' });
	await committee.getByLabel('决定事项（《民法典》第二百七十八条）').selectOption('7');
	await Promise.all([committee.waitForURL(/\/votes\/[0-9a-f-]{36}$/), committee.getByRole('button', { name: '发起表决' }).click()]);
	const votePath = new URL(committee.url()).pathname;
	await committee.context().close();

	const routes = [
		['home', '/'],
		['estate home', `/estates/${JINYUAN}`],
		['issue board', `/estates/${JINYUAN}/issues`],
		['issue page', issuePath],
		['propose', `/estates/${JINYUAN}/issues/new`],
		['map', `/estates/${JINYUAN}/map`],
		['votes', `/estates/${JINYUAN}/votes`],
		['vote page', votePath],
		['publications', `/estates/${JINYUAN}/publications`],
		// The demo's open window (公示), with its objection forms per paragraph.
		['publication page', `/estates/${JINYUAN}/publications/5eed0000-0000-4000-8000-000000004001`]
	];
	// Each route in a fresh browser context (signed in as the same resident): shared chunks cached by an earlier
	// route would otherwise not be counted.
	const signedIn = await ctx.storageState();
	for (const [name, url] of routes) {
		const routeCtx = await browser.newContext({ storageState: signedIn });
		const p = await routeCtx.newPage();
		const scripts = new Map();
		let css = 0;
		p.on('response', async (r) => {
			const type = r.request().resourceType();
			if (type === 'script') scripts.set(r.url(), gzipSync(await r.body()).length);
			if (type === 'stylesheet') css += gzipSync(await r.body()).length;
		});
		const html = await p.goto(BASE + url);
		const body = await html.body();
		const htmlGz = gzipSync(body).length;
		await p.waitForLoadState('load');
		await p.waitForTimeout(1500);
		// First load: the scripts the server names for the page — its module preloads (SvelteKit sends one
		// for every static import, in the Link header) and the entry imports in the HTML. Anything else was
		// imported later, on demand (the map code).
		const preloads = [...(html.headers()['link'] ?? '').matchAll(/<([^>]+\.js)>; rel="modulepreload"/g)].map((m) => m[1]);
		const entries = [...body.toString().matchAll(/import\("([^"]+\.js)"\)/g)].map((m) => m[1]);
		const named = new Set([...preloads, ...entries].map((u) => new URL(u, html.url()).href));
		const first = [...scripts].filter(([u]) => named.has(u)).reduce((n, [, b]) => n + b, 0);
		const all = [...scripts.values()].reduce((n, b) => n + b, 0);
		rows.push([`${name}: JS at load / with lazy map code, KiB gz`, `${(first / 1024).toFixed(1)} / ${(all / 1024).toFixed(1)}`, name === 'map' ? '≤ 150' : '≤ 80']);
		rows.push([`${name}: HTML + CSS, KiB gz`, ((htmlGz + css) / 1024).toFixed(1), '≤ 50']);
		await routeCtx.close();
	}
} finally {
	await browser.close();
	await stopServer(server.child);
	rmSync(dataDir, { recursive: true, force: true });
}
report('Linyi page weight (demo estate)', rows);
