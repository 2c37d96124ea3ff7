import { LocalStorage } from '../../src/lib/server/storage/local';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, inject } from 'vitest';
import { isActionFailure, isHttpError, isRedirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
// The hook's sequence() reads SvelteKit's per-request store, which only the framework's own
// server sets; this internal entry point (exported, but untyped) lets the tests set it the same way.
// @ts-expect-error '@sveltejs/kit/internal/server' ships no type declarations
import { with_request_store } from '@sveltejs/kit/internal/server';
import { parse, serialize, type SerializeOptions } from 'cookie';
import { EmbeddedBackend } from '../../src/lib/server/backend/embedded';
import { openPgliteThread } from '../../src/lib/server/backend/pglite-thread';
import { LocalAuth } from '../../src/lib/server/auth/local';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookies';
import { parseConfig } from '../../src/lib/server/config';
import { openLive, sqlService, useRuntime, type Runtime } from '../../src/lib/server/runtime';
import type { Sql } from '../../src/lib/server/backend/sql';
import { handle } from '../../src/hooks.server';

// ----------------------------------------------------------------------------
// The demo seed's fixed ids and accounts (supabase/seed.sql, header comment).
// ----------------------------------------------------------------------------

export const COMMUNITY = '5eed0000-0000-4000-8000-000000000001';
export const JINYUAN = '5eed0000-0000-4000-8000-000000000101';
export const CAILIAN = '5eed0000-0000-4000-8000-000000000102';

export const DEMO = {
	'resident@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000001001', password: 'linyi-resident-2026' },
	'owner@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000001002', password: 'linyi-owner-2026' },
	'volunteer@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000001003', password: 'linyi-volunteer-2026' },
	'moderator@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000001004', password: 'linyi-moderator-2026' },
	'committee@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000001005', password: 'linyi-committee-2026' },
	'party@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000001006', password: 'linyi-party-2026' },
	'admin@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000001007', password: 'linyi-admin-2026' },
	'applicant1@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000001011', password: 'linyi-applicant-2026' },
	'applicant2@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000001012', password: 'linyi-applicant-2026' },
	'applicant3@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000001013', password: 'linyi-applicant-2026' },
	'street@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000006251', password: 'linyi-street-2026' },
	'xinguo@demo.linyi.org': { id: '5eed0000-0000-4000-8000-000000006252', password: 'linyi-resident-2026' }
} as const;
export type DemoEmail = keyof typeof DEMO;

// ----------------------------------------------------------------------------
// The runtime: PGlite from the migrated snapshot, with the demo seed loaded.
// ----------------------------------------------------------------------------

export interface TestRuntime extends Runtime {
	backend: EmbeddedBackend;
	/** The server's own connection (superuser, bypasses RLS): for fixtures and checks. */
	sql: Sql;
	close(): Promise<void>;
}

/**
 * Every request of a test file comes from one address, 127.0.0.1, and signs in as the same few
 * accounts many times: the limits are set out of reach (the setting an operator has, not a bypass),
 * and tests of the limits themselves pass their own.
 */
export const NO_LIMITS_IN_REACH = {
	RATE_LIMIT_SIGN_IN_IP: '1000000/60',
	RATE_LIMIT_SIGN_IN_ACCOUNT: '1000000/60',
	RATE_LIMIT_SIGN_UP_IP: '1000000/60',
	RATE_LIMIT_SIMILAR_IP: '1000000/60'
};

/**
 * A runtime on a fresh database, installed as the app's runtime (the hook
 * calls runtime(), which now answers with this one). Each test file opens its
 * own in beforeAll, so files never see each other's writes.
 */
export async function openTestRuntime(env: Record<string, string> = {}): Promise<TestRuntime> {
	const dataDir = await mkdtemp(path.join(tmpdir(), 'linyi-server-'));
	const tar = await readFile(inject('pgliteSnapshot'));
	// The database on its own thread, as the app runs it.
	const backend = new EmbeddedBackend(await openPgliteThread({ loadDataDir: tar }));
	await backend.sql.exec(await readFile(new URL('../../supabase/seed.sql', import.meta.url), 'utf8'));
	const rt: TestRuntime = {
		config: parseConfig({ DATA_DIR: dataDir, ...NO_LIMITS_IN_REACH, ...env }),
		backend,
		auth: new LocalAuth(backend.sql),
		storage: new LocalStorage(path.join(dataDir, 'uploads')),
		live: openLive(backend),
		service: sqlService(backend.sql),
		fresh: false,
		sql: backend.sql,
		async close() {
			sessions.clear();
			await rt.live.close();
			await backend.close();
			await rm(dataDir, { recursive: true, force: true });
		}
	};
	useRuntime(rt);
	current = rt;
	// Signed in up front, so that a test's first request as an account writes no session inside expectNoWrite.
	for (const email of Object.keys(DEMO) as DemoEmail[]) await demoSession(email);
	return rt;
}

let current: TestRuntime | undefined;

function rt(): TestRuntime {
	if (!current) throw new Error('openTestRuntime() first');
	return current;
}

// ----------------------------------------------------------------------------
// Cookies: the same semantics as SvelteKit's jar (defaults httpOnly, SameSite
// Lax, Secure except on http://localhost; a path is required), recording
// every cookie the request sets so tests can read the Set-Cookie it would send.
// ----------------------------------------------------------------------------

export interface SetCookie {
	name: string;
	value: string;
	options: SerializeOptions & { path: string };
	/** The Set-Cookie header line. */
	header: string;
}

function cookieJar(request: Request, url: URL): { cookies: Cookies; set: Map<string, SetCookie> } {
	const header = request.headers.get('cookie') ?? '';
	const set = new Map<string, SetCookie>();
	const defaults = {
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: !(url.hostname === 'localhost' && url.protocol === 'http:')
	};
	const requirePath = (options: { path?: string } | undefined) => {
		if (options?.path === undefined) throw new Error('You must specify a `path` when setting, deleting or serializing cookies');
	};
	const cookies: Cookies = {
		get(name, opts) {
			const fresh = set.get(name);
			if (fresh) return fresh.options.maxAge === 0 ? undefined : fresh.value;
			return parse(header, opts)[name];
		},
		getAll(opts) {
			const all: Record<string, string | undefined> = parse(header, opts);
			for (const c of set.values()) all[c.name] = c.options.maxAge === 0 ? undefined : c.value;
			return Object.entries(all)
				.filter((e): e is [string, string] => e[1] !== undefined)
				.map(([name, value]) => ({ name, value }));
		},
		set(name, value, options) {
			requirePath(options);
			const o = { ...defaults, ...options };
			set.set(name, { name, value, options: o, header: serialize(name, value, o) });
		},
		delete(name, options) {
			cookies.set(name, '', { ...options, maxAge: 0 });
		},
		serialize(name, value, options) {
			requirePath(options);
			return serialize(name, value, { ...defaults, ...options });
		}
	};
	return { cookies, set };
}

// ----------------------------------------------------------------------------
// Sessions for the demo accounts: signed in once through the auth port, the
// session cookie reused by every request made "as" that account.
// ----------------------------------------------------------------------------

const sessions = new Map<string, string>();

/** Signs in through the runtime's auth port and returns the session token (the cookie's value). */
export async function signInToken(identifier: string, password: string): Promise<string> {
	const url = new URL('http://localhost:3000/auth/sign-in');
	const { cookies, set } = cookieJar(new Request(url), url);
	const result = await rt().auth.signIn({ cookies, url, userAgent: 'vitest' }, { identifier, password });
	if (!result.ok) throw new Error(`could not sign in as ${identifier}: ${result.reason}`);
	const token = set.get(SESSION_COOKIE)?.value;
	if (!token) throw new Error('sign-in set no session cookie');
	return token;
}

/** The session token of a demo account, signed in on first use. */
export async function demoSession(email: DemoEmail): Promise<string> {
	let token = sessions.get(email);
	if (!token) {
		token = await signInToken(email, DEMO[email].password);
		sessions.set(email, token);
	}
	return token;
}

// ----------------------------------------------------------------------------
// Requests: a RequestEvent as SvelteKit builds it, run through the app's real
// handle (config/backend, locale, auth, the route guard, security headers)
// with a resolve that calls the load, action or endpoint under test.
// ----------------------------------------------------------------------------

export type FormValue = string | string[] | File;

export interface RequestSpec {
	method?: 'GET' | 'POST';
	/** A path on http://localhost:3000, or a full URL. */
	url: string;
	form?: Record<string, FormValue>;
	/** Cookies the browser sends, by name. */
	cookies?: Record<string, string>;
	/** Who makes the request: the public, a demo account, or a session token from signInToken. */
	as?: 'anon' | DemoEmail | { token: string };
	/** Route parameters; by default `id` is taken from /estates/<id> or /admin/estates/<id>. */
	params?: Record<string, string>;
	headers?: Record<string, string>;
	/** The client's address, as getClientAddress() answers it (default 127.0.0.1). */
	clientAddress?: string;
}

export type Outcome =
	| { kind: 'data'; status: 200; data: any }
	| { kind: 'failure'; status: number; data: any }
	| { kind: 'redirect'; status: number; location: string }
	| { kind: 'error'; status: number; body: App.Error };

export interface Exchange {
	outcome: Outcome;
	/** Cookies the response sets, by name. */
	cookies: Map<string, SetCookie>;
	/** The response the hook chain produced, when the request reached resolve. */
	response: Response | undefined;
	event: RequestEvent;
}

function formData(form: Record<string, FormValue>): FormData {
	const fd = new FormData();
	for (const [k, v] of Object.entries(form)) {
		if (Array.isArray(v)) v.forEach((x) => fd.append(k, x));
		else fd.append(k, v);
	}
	return fd;
}

function defaultParams(pathname: string): Record<string, string> {
	const m = /^\/(?:admin\/)?estates\/([^/]+)/.exec(pathname);
	return m ? { id: m[1] } : {};
}

const noopSpan = {
	setAttributes: () => noopSpan,
	setAttribute: () => noopSpan,
	setStatus: () => noopSpan,
	recordException: () => undefined,
	addEvent: () => noopSpan,
	end: () => undefined,
	isRecording: () => false,
	spanContext: () => ({ traceId: '', spanId: '', traceFlags: 0 })
};

/** Builds the RequestEvent SvelteKit would hand to the hooks for this request. */
export async function makeEvent(init: RequestSpec): Promise<{ event: RequestEvent; set: Map<string, SetCookie> }> {
	const url = new URL(init.url, 'http://localhost:3000');
	const method = init.method ?? (init.form ? 'POST' : 'GET');
	const cookies: Record<string, string> = { ...init.cookies };
	const as = init.as ?? 'anon';
	if (as !== 'anon') cookies[SESSION_COOKIE] = typeof as === 'string' ? await demoSession(as) : as.token;
	const headers = new Headers({ 'user-agent': 'vitest', origin: url.origin, ...init.headers });
	const cookieHeader = Object.entries(cookies)
		.map(([k, v]) => serialize(k, v))
		.join('; ');
	if (cookieHeader) headers.set('cookie', cookieHeader);
	const request = new Request(url, { method, headers, body: method === 'POST' ? formData(init.form ?? {}) : undefined });
	const jar = cookieJar(request, url);
	const responseHeaders: Record<string, string> = {};
	const event = {
		cookies: jar.cookies,
		fetch: globalThis.fetch,
		getClientAddress: () => init.clientAddress ?? '127.0.0.1',
		locals: {} as App.Locals,
		params: init.params ?? defaultParams(url.pathname),
		platform: undefined,
		request,
		route: { id: null },
		setHeaders: (h: Record<string, string>) => Object.assign(responseHeaders, h),
		url,
		isDataRequest: false,
		isSubRequest: false,
		isRemoteRequest: false,
		tracing: { enabled: false, root: noopSpan, current: noopSpan }
	} as unknown as RequestEvent;
	return { event, set: jar.set };
}

type Target = (event: any) => unknown;

/**
 * Runs one request: the app's handle, then `target` (a load, an action or a
 * +server.ts handler) as resolve. Thrown redirects and HTTP errors, whether
 * from the guard in the hook or from the target, become the outcome; any
 * other exception is a real fault and fails the test.
 */
export async function request(init: RequestSpec, target: Target): Promise<Exchange> {
	const { event, set } = await makeEvent(init);
	let value: unknown;
	let response: Response | undefined;
	const state = { tracing: { record_span: ({ fn }: { fn: (span: unknown) => unknown }) => fn(noopSpan) } };
	try {
		response = await with_request_store({ event, state } as never, () =>
			handle({
				event,
				resolve: async (ev) => {
					value = await target(ev);
					return value instanceof Response ? value : new Response(null, { status: isActionFailure(value) ? value.status : 200 });
				}
			})
		);
	} catch (e) {
		if (isRedirect(e)) return { outcome: { kind: 'redirect', status: e.status, location: e.location }, cookies: set, response, event };
		if (isHttpError(e)) return { outcome: { kind: 'error', status: e.status, body: e.body }, cookies: set, response, event };
		throw e;
	}
	const outcome: Outcome = isActionFailure(value)
		? { kind: 'failure', status: value.status, data: value.data }
		: { kind: 'data', status: 200, data: value };
	return { outcome, cookies: set, response, event };
}

// ----------------------------------------------------------------------------
// Assertions on outcomes.
// ----------------------------------------------------------------------------

/** The value a load, action or endpoint returned. */
export function expectData(x: Exchange): any {
	expect(x.outcome, JSON.stringify(x.outcome)).toMatchObject({ kind: 'data' });
	return (x.outcome as { data: unknown }).data;
}

export function expectRedirect(x: Exchange, location: string | RegExp, status = 303) {
	expect(x.outcome.kind, JSON.stringify(x.outcome)).toBe('redirect');
	const o = x.outcome as { status: number; location: string };
	expect(o.status).toBe(status);
	if (typeof location === 'string') expect(o.location).toBe(location);
	else expect(o.location).toMatch(location);
}

export function expectHttpError(x: Exchange, status: number, message?: string) {
	expect(x.outcome, JSON.stringify(x.outcome)).toMatchObject({ kind: 'error', status });
	if (message !== undefined) expect((x.outcome as { body: App.Error }).body.message).toBe(message);
}

/**
 * An ActionFailure with this status whose superform carries these message
 * keys beside these fields ('_errors' for the form as a whole). Returns the
 * failure's data.
 */
export function expectFailure(x: Exchange, status: number, fieldErrors: Record<string, string> = {}): any {
	expect(x.outcome.kind, JSON.stringify(x.outcome)).toBe('failure');
	const o = x.outcome as { status: number; data: any };
	expect(o.status).toBe(status);
	for (const [field, key] of Object.entries(fieldErrors)) {
		const errors = field === '_errors' ? o.data.form?.errors?._errors : o.data.form?.errors?.[field];
		const list = Array.isArray(errors) ? errors : (errors?._errors ?? []);
		expect(list, `errors beside ${field}: ${JSON.stringify(o.data.form?.errors)}`).toContain(key);
	}
	return o.data;
}

// ----------------------------------------------------------------------------
// Database checks, on the server's own connection.
// ----------------------------------------------------------------------------

export async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
	const rows = await rt().sql.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`, params);
	return rows[0].n;
}

/** The tables an action may write, with auth's users and sessions. Sign-in attempts are left out: failures record them on purpose. */
const WATCHED = ['auth.users', 'auth.local_sessions'];

/**
 * Row count and a digest of the content of every watched table and every
 * table in schema public: equal fingerprints mean nothing was written.
 */
export async function fingerprint(): Promise<Record<string, string>> {
	const tables = await rt().sql.query<{ t: string }>(
		`select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname = 'public' order by 1`
	);
	const out: Record<string, string> = {};
	for (const t of [...WATCHED, ...tables.map((r) => r.t)]) {
		const [r] = await rt().sql.query<{ n: number; h: string | null }>(
			`select count(*)::int as n, md5(string_agg(x::text, '|' order by x::text)) as h from ${t} x`
		);
		out[t] = `${r.n}:${r.h ?? ''}`;
	}
	return out;
}

/** Runs `fn` and checks that the database is exactly as it was. */
export async function expectNoWrite<T>(fn: () => Promise<T>): Promise<T> {
	const before = await fingerprint();
	const result = await fn();
	expect(await fingerprint()).toEqual(before);
	return result;
}

/** A file as a browser would upload it. */
export function file(content: string, name: string, type: string): File {
	return new File([content], name, { type });
}

/** Whose session a token is, as the hook resolves it: a user id, or null when it no longer signs anyone in. */
export async function whoIs(token: string): Promise<string | null> {
	const x = await request({ url: '/', as: { token } }, () => null);
	return x.event.locals.me?.user_id ?? null;
}
