import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { config, type Config } from './config';
import { EmbeddedBackend } from './backend/embedded';
import { openPgliteThread } from './backend/pglite-thread';
import { PostgresBackend, openPostgres } from './backend/postgres';
import { SupabaseBackend } from './backend/supabase';
import { migrate, readMigrations, SUPABASE_DIR } from './backend/migrate';
import type { Backend } from './backend/types';
import type { Sql } from './backend/sql';
import type { AuthPort } from './auth/types';
import { LocalAuth } from './auth/local';
import { SupabaseAuth } from './auth/supabase';
import type { Storage } from './storage/types';
import { LocalStorage } from './storage/local';
import { SupabaseStorage } from './storage/supabase';
import { LiveHub } from './live/hub';
import { NotifySource, postgresListen } from './live/notify';
import { NoLiveSource, RealtimeSource } from './live/supabase';
import { SupabaseClients } from './supabase-client';

export interface Runtime {
	config: Config;
	backend: Backend;
	auth: AuthPort;
	storage: Storage;
	/** The live port: browsers follow topics (a vote's turnout) over server-sent events. */
	live: LiveHub;
	/** Supabase mode: the clients; hooks.server.ts makes each request's one client from them. */
	supabase?: SupabaseClients;
	/**
	 * Calls a function only the service role may execute (rate limits, sweeps), in every mode: on the
	 * database's own connection, or through Supabase's service key. Absent in supabase mode without that key.
	 */
	service?: ServiceCall;
	/** Whether this start created the database and loaded the demo. */
	fresh: boolean;
}

/**
 * Opens the database for the configured mode, applies the platform script and
 * the migrations (not on Supabase, where the CLI applies them) and, on a new
 * database, loads the demo estate.
 */
export async function openRuntime(cfg: Config = config()): Promise<Runtime> {
	if (cfg.mode === 'supabase') {
		return supabaseRuntime(cfg);
	}
	let backend: EmbeddedBackend | PostgresBackend;
	if (cfg.mode === 'embedded') {
		const dir = path.resolve(cfg.DATA_DIR, 'pgdata');
		await mkdir(dir, { recursive: true });
		backend = new EmbeddedBackend(
			await openPgliteThread({
				dataDir: dir,
				// Every request would fail from here on: better to end, so that whatever started the
				// server (systemd, Docker, pm2) starts it again on the same data.
				onStop: (e) => {
					console.error(`The embedded database stopped (${e.message}); the server exits so that it can be started again.`);
					process.exit(1);
				}
			})
		);
	} else {
		backend = new PostgresBackend(openPostgres(cfg.DATABASE_URL!));
	}
	const fresh = await prepareDatabase(backend.sql, cfg.DEMO === 'on');
	if (backend instanceof EmbeddedBackend) scheduleVacuum(backend.sql);
	scheduleVoteSweep(backend.sql);
	const storage = new LocalStorage(path.resolve(cfg.DATA_DIR, 'uploads'));
	const service = sqlService(backend.sql);
	schedulePhotoSweep(service, storage);
	return { config: cfg, backend, auth: new LocalAuth(backend.sql), storage, live: openLive(backend), service, fresh };
}

/** The live port on the database's own notifications: LISTEN in PGlite's thread, or on one dedicated PostgreSQL connection. */
export function openLive(backend: EmbeddedBackend | PostgresBackend): LiveHub {
	const listen = backend instanceof EmbeddedBackend ? backend.listen.bind(backend) : postgresListen(backend.db);
	return new LiveHub(new NotifySource(listen, backend.sql));
}

/** Supabase mode: every port on the same clients (fetchImpl for the contract tests). */
export function supabaseRuntime(cfg: Config, fetchImpl?: typeof fetch): Runtime {
	const supabase = new SupabaseClients(cfg.PUBLIC_SUPABASE_URL!, cfg.PUBLIC_SUPABASE_ANON_KEY!, cfg.SUPABASE_SERVICE_ROLE_KEY, fetchImpl);
	const admin = supabase.admin();
	const storage = new SupabaseStorage(supabase);
	const service = admin ? supabaseService(admin) : undefined;
	if (service && !fetchImpl) schedulePhotoSweep(service, storage);
	return {
		config: cfg,
		backend: new SupabaseBackend(supabase),
		auth: new SupabaseAuth(supabase),
		storage,
		supabase,
		service,
		// Realtime's private channels admit the service role; without its key the bars stay as drawn.
		live: new LiveHub(admin ? new RealtimeSource(admin, cfg.SUPABASE_SERVICE_ROLE_KEY!) : new NoLiveSource()),
		fresh: false
	};
}

/** Migrates; on a database that had none of our migrations, loads the demo when asked. */
export async function prepareDatabase(sql: Sql, loadDemo: boolean): Promise<boolean> {
	const all = await readMigrations();
	const applied = await migrate(sql);
	const fresh = applied.length === all.length && all.length > 0;
	if (fresh && loadDemo) await sql.exec(await readFile(path.join(SUPABASE_DIR, 'seed.sql'), 'utf8'));
	return fresh;
}

/**
 * PGlite runs without autovacuum, so the rows that counters and edits leave
 * behind are never cleaned up and scans slow down. Vacuum a minute after
 * start, then every six hours; a few hundred milliseconds on a busy estate.
 */
function scheduleVacuum(sql: Sql) {
	const vacuum = () => sql.exec('vacuum analyze').catch((e) => console.error('vacuum failed:', e));
	setTimeout(vacuum, 60_000).unref();
	setInterval(vacuum, 6 * 3600_000).unref();
}

/**
 * Votes open and close by the clock, and so do publication windows (公示). Every access brings a vote
 * or a publication up to date, but one nobody looks at must still close on time, so that its issue
 * moves on and people are told: sweep once a minute. Task claims not started in time are released
 * by the same sweep (release_no_shows), with a notice. On Supabase, pg_cron runs the same functions
 * (docs/deploy-supabase.md).
 */
function scheduleVoteSweep(sql: Sql) {
	const sweep = () => {
		sql.query('select public.close_due_votes()').catch((e) => console.error('vote sweep failed:', e));
		sql.query('select public.close_due_publications()').catch((e) => console.error('publication sweep failed:', e));
		sql.query('select public.release_no_shows()').catch((e) => console.error('task claim sweep failed:', e));
	};
	setInterval(sweep, 60_000).unref();
}

/** The functions only the service role may execute, with their named arguments and results. */
interface ServiceFunctions {
	take_rate_limit: { args: { p_bucket: string; p_key: string; p_limit: number; p_window_seconds: number }; returns: number };
	take_stale_photos: { args: Record<string, never>; returns: HeldFiles };
}
export type ServiceCall = <F extends keyof ServiceFunctions>(fn: F, args: ServiceFunctions[F]['args']) => Promise<ServiceFunctions[F]['returns']>;

/** The service functions on the database's own connection (embedded and postgres modes), with named arguments as PostgREST passes them. */
export function sqlService(sql: Sql): ServiceCall {
	return async (fn, args) => {
		const names = Object.keys(args);
		const call = `public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')})`;
		const [row] = await sql.query<{ r: never }>(`select ${call} as r`, names.map((n) => (args as Record<string, unknown>)[n]));
		return row.r;
	};
}

/** The service functions through Supabase's service key. */
function supabaseService(admin: NonNullable<ReturnType<SupabaseClients['admin']>>): ServiceCall {
	return async (fn, args) => {
		const { data, error } = await admin.rpc(fn, args);
		if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
		return data as never;
	};
}

type HeldFiles = { path: string; thumb_path: string }[];

/**
 * Photos held for an issue not raised yet (the new-issue form stopped to show
 * similar issues, and the resident never came back) are taken after a day:
 * the database lets go of the rows, this removes the files. Hourly, in every
 * mode (on Supabase through the service role).
 */
export async function sweepHeldPhotos(service: ServiceCall, storage: Storage) {
	const gone = (await service('take_stale_photos', {})) ?? [];
	if (gone.length) await storage.remove(gone.flatMap((p) => [p.path, p.thumb_path]));
	return gone.length;
}

function schedulePhotoSweep(service: ServiceCall, storage: Storage) {
	const sweep = () => sweepHeldPhotos(service, storage).catch((e) => console.error('photo sweep failed:', e));
	setTimeout(sweep, 90_000).unref();
	setInterval(sweep, 3600_000).unref();
}

const KEY = Symbol.for('linyi.runtime');
type Holder = { [KEY]?: Promise<Runtime> };

/** One runtime per process: PGlite must be opened once, and a pool shared. */
export function runtime(): Promise<Runtime> {
	const g = globalThis as Holder;
	g[KEY] ??= openRuntime();
	return g[KEY];
}

/** For server tests: run the app against a runtime they built. */
export function useRuntime(r: Runtime) {
	(globalThis as Holder)[KEY] = Promise.resolve(r);
}
