#!/usr/bin/env node
// npm start: build if needed, then serve the app. On the embedded database the
// first start applies the migrations and loads the demo estate.
import { buildIfNeeded } from './build-if-needed.js';
import { DEMO_ACCOUNTS } from './demo-accounts.js';

const started = performance.now();
buildIfNeeded();
const afterBuild = performance.now();

// The body size limit for uploads comes with the build (src/lib/server/body-size.js), as for `node build`.
process.env.PORT ??= '3000';
// adapter-node assumes https unless told the origin; on a plain local start it is this.
// Behind a TLS proxy or on another address, set ORIGIN (see docs/configuration.md).
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;

try {
	await import(new URL('../build/index.js', import.meta.url).href);
} catch (e) {
	// A wrong configuration or a changed migration: one clear line, no stack.
	console.error(e instanceof Error ? e.message : String(e));
	process.exit(1);
}
const runtime = await globalThis[Symbol.for('linyi.runtime')];
const { mode, DATA_DIR } = runtime.config;
const where = mode === 'embedded' ? `embedded database in ${DATA_DIR}` : mode === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'Supabase';
console.log(`\nLinyi 邻议 is ready: ${process.env.ORIGIN}  (${mode} mode, ${where})`);
console.log(`Ready in ${((performance.now() - afterBuild) / 1000).toFixed(1)} s${runtime.fresh ? ' (new database: migrations applied, demo loaded)' : ''}; total ${((performance.now() - started) / 1000).toFixed(1)} s with build check.`);
if (mode !== 'supabase' && runtime.config.DEMO === 'on') {
	console.log('\nDemo accounts (estate 晋源水岸花苑):');
	for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(13)} ${a.email.padEnd(28)} ${a.password}`);
}
