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
	const routes = [
		['home', '/'],
		['estate home', `/estates/${JINYUAN}`],
		['issue board', `/estates/${JINYUAN}/issues`],
		['propose', `/estates/${JINYUAN}/issues/new`],
		['map', `/estates/${JINYUAN}/map`]
	];
	for (const [name, url] of routes) {
		const p = await ctx.newPage();
		const scripts = [];
		let css = 0;
		p.on('response', async (r) => {
			const type = r.request().resourceType();
			if (type === 'script') scripts.push({ url: r.url(), at: Date.now(), bytes: gzipSync(await r.body()).length });
			if (type === 'stylesheet') css += gzipSync(await r.body()).length;
		});
		const html = await p.goto(BASE + url);
		const htmlGz = gzipSync(await html.body()).length;
		await p.waitForLoadState('load');
		const loadedAt = Date.now();
		await p.waitForTimeout(1500);
		const first = scripts.filter((s) => s.at <= loadedAt).reduce((n, s) => n + s.bytes, 0);
		const all = scripts.reduce((n, s) => n + s.bytes, 0);
		rows.push([`${name}: JS at load / with lazy map code, KiB gz`, `${(first / 1024).toFixed(1)} / ${(all / 1024).toFixed(1)}`, name === 'map' ? '≤ 150' : '≤ 80']);
		rows.push([`${name}: HTML + CSS, KiB gz`, ((htmlGz + css) / 1024).toFixed(1), '≤ 50']);
		await p.close();
	}
} finally {
	await browser.close();
	await stopServer(server.child);
	rmSync(dataDir, { recursive: true, force: true });
}
report('Linyi page weight (demo estate)', rows);
