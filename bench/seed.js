#!/usr/bin/env node
// npm run bench:seed — the benchmark estate of shared BUDGETS.md in a new
// database: embedded in BENCH_DATA_DIR (default .bench/data), or the empty
// PostgreSQL database named by DATABASE_URL. The app applies the migrations;
// bench/seed.sql adds the data, deterministically, then bench/seed-votes.sql
// the owner register, the votes and their ballots.
import { readFileSync, rmSync } from 'node:fs';
import { openBenchDb, startServer, stopServer } from './lib.js';
import { BENCH_DATA_DIR } from './seed-dir.js';

const url = process.env.DATABASE_URL;
if (!url) rmSync(BENCH_DATA_DIR, { recursive: true, force: true });
const server = await startServer(url ? { DATABASE_URL: url, DEMO: 'off' } : { DATA_DIR: BENCH_DATA_DIR, DEMO: 'off' });
await stopServer(server.child);

const seed = readFileSync(new URL('./seed.sql', import.meta.url), 'utf8');
const seedVotes = readFileSync(new URL('./seed-votes.sql', import.meta.url), 'utf8');
const t0 = performance.now();
let tVotes;
const db = await openBenchDb({ url });
await db.exec(seed);
tVotes = performance.now();
await db.exec(seedVotes);
tVotes = performance.now() - tVotes;
// As the running server does (PGlite has no autovacuum): clean up what the seed's triggers left behind.
await db.exec('vacuum analyze');
await db.close();
console.log(`Benchmark estate loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s, votes ${(tVotes / 1000).toFixed(1)} s of it (${url ? 'PostgreSQL' : BENCH_DATA_DIR}).`);
