#!/usr/bin/env node
// npm run bench: every benchmark script in turn. Figures, not pass/fail: judge them against
// shared BUDGETS (see docs/benchmarks.md).
import { spawnSync } from 'node:child_process';

for (const script of ['bench/foundation.js']) {
	const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}
