#!/usr/bin/env node
// Solidity budget: kill -9 of the embedded server during a write burst, then
// restart — every acknowledged write is there and the database opens. Comments
// are posted through the real form action (8 at a time) by the demo resident;
// a comment counts as acknowledged when the server answered 303. The server is
// killed mid-burst, started again on the same data directory, stopped, and the
// comments are counted in the database itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASE, ORIGIN, openBenchDb, report, signInCookie, startServer, stopServer } from './lib.js';

const ESTATE = '5eed0000-0000-4000-8000-000000000101';
const ISSUE = '5eed0000-0000-4000-8000-000000002001';
const MARK = '断电测试';
const dir = mkdtempSync(path.join(tmpdir(), 'linyi-crash-'));

try {
	const first = await startServer({ DATA_DIR: dir });
	const cookie = await signInCookie('resident@demo.linyi.org', 'linyi-resident-2026');
	const acknowledged = new Set();
	let sent = 0;
	let killed = false;
	const post = async (n) => {
		const body = new URLSearchParams({ stance: 'suggestion', body: `${MARK} ${n}` });
		try {
			const r = await fetch(`${BASE}/estates/${ESTATE}/issues/${ISSUE}?/comment`, {
				method: 'POST',
				body,
				redirect: 'manual',
				// As a browser without JavaScript posts the form: the answer is a 303 to the discussion.
				headers: { cookie, origin: ORIGIN, accept: 'text/html' }
			});
			if (r.status === 303) acknowledged.add(`${MARK} ${n}`);
			else if (!killed) throw new Error(`comment ${n}: ${r.status}`);
		} catch (e) {
			if (!killed) throw e;
		}
	};
	// Kill once 150 comments were acknowledged, with more on their way.
	const burst = Promise.all(
		Array.from({ length: 8 }, async () => {
			while (!killed) await post(++sent);
		})
	);
	while (acknowledged.size < 150) await new Promise((r) => setTimeout(r, 5));
	first.child.kill('SIGKILL');
	killed = true;
	await burst;
	const ackedAtKill = acknowledged.size;

	const again = await startServer({ DATA_DIR: dir });
	const reopenSeconds = again.seconds;
	await stopServer(again.child);

	const db = await openBenchDb({ dataDir: path.join(dir, 'pgdata'), url: null });
	const rows = await db.query(`select body from public.comments where body like $1`, [`${MARK} %`]);
	await db.close();
	const stored = new Set(rows.map((r) => r.body));
	const lost = [...acknowledged].filter((b) => !stored.has(b));
	report('Linyi solidity: kill -9 during a write burst (embedded)', [
		['comments sent / acknowledged before the kill', `${sent} / ${ackedAtKill}`, ''],
		['restart after the kill, s', reopenSeconds.toFixed(1), 'the database opens'],
		['acknowledged comments found after restart', `${ackedAtKill - lost.length} of ${ackedAtKill}`, 'all'],
		['comments stored in all (acknowledged or cut off in flight)', String(stored.size), '']
	]);
	if (lost.length > 0) {
		console.error(`Lost after the restart: ${lost.join(', ')}`);
		process.exitCode = 1;
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}
