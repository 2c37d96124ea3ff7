#!/usr/bin/env node
// npm test: every layer — unit, database, server, then the browser tests
// against the built app. Each layer runs under an outer time limit, because a
// hung WASM database would block the event loop and with it any inner timeout.
import { spawnSync } from 'node:child_process';

const layers = [
	['unit, db and server tests', 'node_modules/vitest/vitest.mjs', ['run'], 20 * 60],
	['browser tests', 'node_modules/@playwright/test/cli.js', ['test'], 25 * 60]
];

for (const [name, script, args, seconds] of layers) {
	console.log(`\n▶ ${name}`);
	const r = spawnSync('timeout', ['--kill-after=10', String(seconds), process.execPath, script, ...args], { stdio: 'inherit' });
	if (r.status !== 0) {
		console.error(r.status === 124 ? `✗ ${name} did not finish within ${seconds / 60} minutes` : `✗ ${name} failed`);
		process.exit(r.status || 1);
	}
}
