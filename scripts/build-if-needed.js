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
	console.log('Building Linyi (first start or changed sources): this usually takes 20 s to a minute, and prints nothing until it is done…');
	const started = performance.now();
	// The build's own output is kept, and shown only when it fails: on success it is ~150 "Circular dependency"
	// warnings about dependencies' own files (printed by adapter-node's bundler, which takes no option to quiet them).
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (r.status !== 0) {
		process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
		console.error('The build failed; see the messages above.');
		process.exit(r.status ?? 1);
	}
	console.log(`Built in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
	return true;
}
