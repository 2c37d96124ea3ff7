import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const INPUTS = ['src', 'messages', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
const OUTPUT = 'build/handler.js';

function newest(p) {
	if (!existsSync(p)) return 0;
	const s = statSync(p);
	if (!s.isDirectory()) return s.mtimeMs;
	return Math.max(s.mtimeMs, ...readdirSync(p).map((f) => newest(path.join(p, f))));
}

/** Builds the app when there is no build yet or a source file is newer than it. */
export function buildIfNeeded() {
	const built = existsSync(OUTPUT) ? statSync(OUTPUT).mtimeMs : 0;
	if (built > Math.max(...INPUTS.map(newest))) return false;
	console.log('Building Linyi (first start or changed sources)…');
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	if (r.status !== 0) {
		console.error('The build failed; see the messages above.');
		process.exit(r.status ?? 1);
	}
	return true;
}
