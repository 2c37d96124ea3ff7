#!/usr/bin/env node
// Proves that two migration histories build the same database: each is applied
// to a new PostgreSQL database (its platform script first, as the app's runner
// does), both are dumped with pg_dump (schema, then the rows the migrations
// themselves insert), normalised, and compared.
//
//   node scripts/schema-equality.js [OLD_REV] [NEW_REV]
//
// OLD_REV defaults to the last commit before the 0.1 baseline, NEW_REV to the
// working tree. DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
// names a server where this may create and drop databases; pg_dump must be on PATH.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

const PRE_BASELINE = 'e4c206f';
const [oldRev = PRE_BASELINE, newRev] = process.argv.slice(2);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const scratch = [];
/** The supabase/ folder of a commit, or of the working tree. */
function supabaseDir(rev) {
	if (!rev) return path.resolve('supabase');
	const dir = mkdtempSync(path.join(tmpdir(), 'linyi-schema-'));
	scratch.push(dir);
	execFileSync('sh', ['-c', `git archive ${rev} supabase | tar -x -C ${dir}`]);
	return path.join(dir, 'supabase');
}

const sqlFiles = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => path.join(dir, f)) : []);

/** What the app's runner applies in a local mode, in its order: platform, then every versioned file by version. */
function filesOf(dir) {
	const versioned = [...sqlFiles(path.join(dir, 'migrations')), ...sqlFiles(path.join(dir, 'local', 'migrations'))];
	return [...sqlFiles(path.join(dir, 'platform')).sort(), ...versioned.sort((a, b) => path.basename(a).localeCompare(path.basename(b)))];
}

function withDatabase(url, db) {
	const u = new URL(url);
	u.pathname = `/${db}`;
	return u.toString();
}

async function build(name, files) {
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`drop database if exists ${name} with (force)`);
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const db = postgres(withDatabase(serverUrl, name), { max: 1, onnotice: () => {} });
	for (const f of files) {
		try {
			await db.unsafe(readFileSync(f, 'utf8'));
		} catch (e) {
			throw new Error(`${path.basename(f)}: ${e.message}`);
		}
	}
	await db.end();
}

function dump(name, args) {
	const out = execFileSync('pg_dump', [...args, withDatabase(serverUrl, name)], {
		maxBuffer: 1 << 28,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore']
	});
	return out
		.split('\n')
		.filter((l) => l.trim() && !l.startsWith('--') && !/^SET |^SELECT pg_catalog\.set_config|^\\(un)?restrict /.test(l))
		.join('\n');
}

async function drop(name) {
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`drop database if exists ${name} with (force)`);
	await admin.end();
}

/**
 * An extension only the old history created (pg_trgm, for indexes a later
 * migration dropped) is not a difference if nothing uses it: it is dropped
 * without cascade, which PostgreSQL refuses while any object depends on it.
 */
async function dropUnusedExtensions(oldName, newName) {
	const list = async (name) => {
		const db = postgres(withDatabase(serverUrl, name), { max: 1, onnotice: () => {} });
		const rows = await db`select extname from pg_extension`;
		await db.end();
		return rows.map((r) => r.extname);
	};
	const kept = new Set(await list(newName));
	const db = postgres(withDatabase(serverUrl, oldName), { max: 1, onnotice: () => {} });
	for (const ext of (await list(oldName)).filter((e) => !kept.has(e))) {
		await db.unsafe(`drop extension ${ext} restrict`);
		console.log(`extension ${ext}: only in the old history, and unused (dropped from it without cascade)`);
	}
	await db.end();
}

function firstDifference(a, b) {
	const x = a.split('\n');
	const y = b.split('\n');
	for (let i = 0; i < Math.max(x.length, y.length); i++) {
		if (x[i] !== y[i]) return `line ${i + 1}:\n  old: ${x[i] ?? '(end)'}\n  new: ${y[i] ?? '(end)'}`;
	}
	return null;
}

const names = { old: `linyi_schema_old_${process.pid}`, new: `linyi_schema_new_${process.pid}` };
try {
	await build(names.old, filesOf(supabaseDir(oldRev)));
	await build(names.new, filesOf(supabaseDir(newRev)));
	await dropUnusedExtensions(names.old, names.new);
	let same = true;
	for (const [what, args] of [
		['schema', ['--schema-only']],
		['rows the migrations insert', ['--data-only', '--exclude-schema=supabase_migrations']]
	]) {
		const diff = firstDifference(dump(names.old, args), dump(names.new, args));
		console.log(`${what}: ${diff ? `DIFFERENT at ${diff}` : 'identical'}`);
		if (diff) same = false;
	}
	console.log(same ? `${oldRev} and ${newRev ?? 'the working tree'} build the same database.` : 'The two histories differ.');
	process.exitCode = same ? 0 : 1;
} finally {
	await drop(names.old);
	await drop(names.new);
	for (const dir of scratch) rmSync(dir, { force: true, recursive: true });
}
