#!/usr/bin/env node
// npm run bench: every benchmark in turn. Figures, not pass/fail: judge them
// against the budgets (docs/benchmarks.md). The issue and vote benchmarks need
// the benchmark estate: npm run bench:seed first.
import { spawnSync } from 'node:child_process';

for (const script of ['bench/foundation.js', 'bench/crash.js', 'bench/pages.js', 'bench/issues.js', 'bench/votes.js', 'bench/open-data.js', 'bench/meeting-room.js', 'bench/minutes.js', 'bench/live.js', 'bench/soak.js']) {
	const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}
