#!/usr/bin/env node
// npm test: every layer — the type check, unit, database, server, then the browser tests
// against the built app — and one closing line with the totals. Each layer
// runs under an outer time limit, because a hung WASM database would block the
// event loop and with it any inner timeout.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

// Not test-results/: Playwright empties that folder when it starts.
mkdirSync('.test-report', { recursive: true });
const VITEST_JSON = '.test-report/vitest.json';
const PLAYWRIGHT_JSON = '.test-report/playwright.json';
for (const f of [VITEST_JSON, PLAYWRIGHT_JSON]) rmSync(f, { force: true });

const layers = [
	{
		// What a reviewer checks first: types across Svelte and TypeScript (svelte-kit sync writes the generated ones).
		name: 'type check',
		args: ['node_modules/@sveltejs/kit/svelte-kit.js', 'sync'],
		then: ['node_modules/svelte-check/bin/svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error'],
		minutes: 5,
		env: {}
	},
	{
		name: 'unit, db and server tests',
		args: ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_JSON}`],
		minutes: 40,
		env: {}
	},
	{
		name: 'browser tests',
		args: ['node_modules/@playwright/test/cli.js', 'test', '--reporter=list,json'],
		minutes: 25,
		env: { PLAYWRIGHT_JSON_OUTPUT_NAME: PLAYWRIGHT_JSON }
	}
];

function counts() {
	let passed = 0;
	let failed = 0;
	if (existsSync(VITEST_JSON)) {
		const v = JSON.parse(readFileSync(VITEST_JSON, 'utf8'));
		passed += v.numPassedTests ?? 0;
		failed += v.numFailedTests ?? 0;
	}
	if (existsSync(PLAYWRIGHT_JSON)) {
		const s = JSON.parse(readFileSync(PLAYWRIGHT_JSON, 'utf8')).stats ?? {};
		passed += (s.expected ?? 0) + (s.flaky ?? 0);
		failed += s.unexpected ?? 0;
	}
	return { passed, failed };
}

let status = 0;
for (const layer of layers) {
	console.log(`\n▶ ${layer.name}`);
	for (const args of [layer.args, layer.then].filter(Boolean)) {
		const r = spawnSync('timeout', ['--kill-after=10', String(layer.minutes * 60), process.execPath, ...args], {
			stdio: 'inherit',
			env: { ...process.env, ...layer.env }
		});
		if (r.status !== 0) {
			console.error(r.status === 124 ? `✗ ${layer.name} did not finish within ${layer.minutes} minutes` : `✗ ${layer.name} failed`);
			status = r.status || 1;
			break;
		}
	}
	if (status) break;
}
const { passed, failed } = counts();
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(status || (failed > 0 ? 1 : 0));
