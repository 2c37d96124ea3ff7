import { webcrypto } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SupabaseBackend } from '../../src/lib/server/backend/supabase';
import { DomainError } from '../../src/lib/server/backend/types';
import { SupabaseClients } from '../../src/lib/server/supabase-client';
import { parseConfig } from '../../src/lib/server/config';
import { supabaseRuntime, useRuntime } from '../../src/lib/server/runtime';
import { makeEvent, request } from '../server/harness';

/**
 * Supabase cannot run here (no Docker): supabase mode is pinned by the
 * requests it sends. A fetch double records every request and answers as
 * PostgREST, Supabase Auth and Storage would.
 */
const URL_ = 'https://abcdefgh.supabase.co';
const ANON = 'anon-key-'.padEnd(40, 'x');
const SERVICE = 'service-key-'.padEnd(40, 'y');
const USER_ID = '5eed0000-0000-4000-8000-000000001001';
const COOKIE = 'sb-abcdefgh-auth-token';

interface Seen {
	url: string;
	path: string;
	method: string;
	headers: Headers;
	body: unknown;
}

type Answer = (req: Seen) => { status?: number; body: unknown } | undefined;

/** A fetch double: answers by the first rule that matches, and records the request. */
function recorder(...rules: Answer[]) {
	const seen: Seen[] = [];
	const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const req = new Request(input, init);
		const json = req.headers.get('content-type')?.includes('application/json');
		const body = json ? await req.json() : undefined;
		const s = { url: req.url, path: new URL(req.url).pathname, method: req.method, headers: req.headers, body };
		seen.push(s);
		for (const rule of rules) {
			const a = rule(s);
			if (a) return new Response(JSON.stringify(a.body), { status: a.status ?? 200, headers: { 'content-type': 'application/json' } });
		}
		return new Response(JSON.stringify({ message: `unexpected ${s.method} ${s.path}` }), { status: 500 });
	}) as typeof fetch;
	return { seen, fetchImpl };
}

// An ES256 signing key, as new Supabase projects have: getClaims checks JWTs against the published JWKS.
let jwks: { keys: JsonWebKey[] };
let privateKey: CryptoKey;
const b64url = (b: ArrayBuffer | string) => Buffer.from(typeof b === 'string' ? b : new Uint8Array(b)).toString('base64url');

beforeAll(async () => {
	const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
	privateKey = pair.privateKey as CryptoKey;
	const jwk = await webcrypto.subtle.exportKey('jwk', pair.publicKey as CryptoKey);
	jwks = { keys: [{ ...jwk, kid: 'key-1', alg: 'ES256', use: 'sig', key_ops: ['verify'] } as JsonWebKey] };
});

async function jwt(claims: Record<string, unknown>) {
	const now = Math.floor(Date.now() / 1000);
	const head = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: 'key-1' }));
	const body = b64url(JSON.stringify({ sub: USER_ID, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600, session_id: 's-1', ...claims }));
	const sig = await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode(`${head}.${body}`));
	return `${head}.${body}.${b64url(sig)}`;
}

/** The session cookie @supabase/ssr writes after a sign-in. */
async function sessionCookie(claims: Record<string, unknown> = {}) {
	const accessToken = await jwt(claims);
	const session = {
		access_token: accessToken,
		token_type: 'bearer',
		expires_in: 3600,
		expires_at: Math.floor(Date.now() / 1000) + 3600,
		refresh_token: 'refresh-1',
		user: { id: USER_ID, aud: 'authenticated', role: 'authenticated', email: 'resident@demo.linyi.org', app_metadata: {}, user_metadata: {}, created_at: new Date().toISOString() }
	};
	return { accessToken, value: 'base64-' + b64url(JSON.stringify(session)) };
}

/** Cookies as SvelteKit hands them to the hook, for a client made outside a request. */
async function cookiesWith(value: string) {
	const { event } = await makeEvent({ url: '/', cookies: { [COOKIE]: value } });
	return event.cookies;
}

const ME = { user_id: USER_ID, display_name: '王阿姨', memberships: [] };
const rpc = (fn: string, body: unknown, status = 200): Answer => (r) => (r.path === `/rest/v1/rpc/${fn}` ? { status, body } : undefined);
const jwksAnswer: Answer = (r) => (r.path === '/auth/v1/.well-known/jwks.json' ? { body: jwks } : undefined);

describe('supabase mode: the rpc request PostgREST expects', () => {
	it("POSTs the named arguments as JSON to /rest/v1/rpc/<fn> with the anon key and the JWT from the request's session cookie", async () => {
		const { seen, fetchImpl } = recorder(rpc('request_membership', { id: 'm1', status: 'pending' }));
		const clients = new SupabaseClients(URL_, ANON, undefined, fetchImpl);
		const { accessToken, value } = await sessionCookie();
		const client = clients.forRequest(await cookiesWith(value));
		const args = { p_estate_id: '5eed0000-0000-4000-8000-000000000101', p_building_id: 'b', p_entrance: '', p_room: '301', p_claims_owner: false };
		const result = await new SupabaseBackend(clients).call('request_membership', args, { kind: 'user', userId: USER_ID, client });

		expect(result).toEqual({ id: 'm1', status: 'pending' });
		expect(seen).toHaveLength(1);
		const [req] = seen;
		expect(req.url).toBe(`${URL_}/rest/v1/rpc/request_membership`);
		expect(req.method).toBe('POST');
		expect(req.headers.get('apikey')).toBe(ANON);
		expect(req.headers.get('authorization')).toBe(`Bearer ${accessToken}`);
		expect(req.headers.get('content-type')).toBe('application/json');
		expect(req.headers.get('content-profile')).toBe('public');
		expect(req.body).toEqual(args);
	});

	it('calls as anon with the anon key as the bearer, on one shared client', async () => {
		const { seen, fetchImpl } = recorder(rpc('list_estates', []));
		const clients = new SupabaseClients(URL_, ANON, undefined, fetchImpl);
		await new SupabaseBackend(clients).call('list_estates', {}, { kind: 'anon' });
		expect(seen[0].headers.get('authorization')).toBe(`Bearer ${ANON}`);
		expect(seen[0].body).toEqual({});
		expect(clients.anon).toBe(clients.anon);
	});

	it('turns a PostgREST error raised on purpose into a DomainError for the form', async () => {
		const { fetchImpl } = recorder(rpc('request_membership', { code: '23505', message: 'errors.membership_exists', details: '', hint: null }, 409));
		const clients = new SupabaseClients(URL_, ANON, undefined, fetchImpl);
		const client = clients.forRequest(await cookiesWith((await sessionCookie()).value));
		const call = new SupabaseBackend(clients).call('request_membership', {}, { kind: 'user', userId: USER_ID, client });
		await expect(call).rejects.toBeInstanceOf(DomainError);
		await expect(call).rejects.toMatchObject({ code: '23505', key: 'errors.membership_exists', status: 409 });
	});

	it("refuses to call as a user without the request's client", async () => {
		const { fetchImpl } = recorder();
		await expect(new SupabaseBackend(new SupabaseClients(URL_, ANON, undefined, fetchImpl)).call('my_context', {}, { kind: 'user', userId: '1' })).rejects.toThrow(
			/request's client/
		);
	});
});

describe('supabase mode: one request, one client', () => {
	const cfg = parseConfig({ PUBLIC_SUPABASE_URL: URL_, PUBLIC_SUPABASE_ANON_KEY: ANON, SUPABASE_SERVICE_ROLE_KEY: SERVICE });
	afterEach(() => vi.restoreAllMocks());

	/** The app's hook around a load that makes one page call. */
	function setUp() {
		const rec = recorder(jwksAnswer, rpc('my_context', ME), rpc('estate_home', { estate: { id: 'e' } }));
		const rt = supabaseRuntime(cfg, rec.fetchImpl);
		useRuntime(rt);
		const made = vi.spyOn(rt.supabase!, 'forRequest');
		const load = async ({ locals }: { locals: App.Locals }) => ({ me: locals.me, home: await locals.call('estate_home', { p_estate_id: 'e' }) });
		return { ...rec, rt, made, load };
	}

	it("verifies the user with getClaims against the project's keys, then sends every call with that one client", async () => {
		const { seen, made, load } = setUp();
		const { accessToken, value } = await sessionCookie({ session_id: 'first' });
		const x = await request({ url: '/', cookies: { [COOKIE]: value } }, load);

		expect(made).toHaveBeenCalledTimes(1);
		expect(x.outcome).toMatchObject({ kind: 'data', data: { me: ME, home: { estate: { id: 'e' } } } });
		// The signing keys (cached for the process), the user's context, the page: no call to /auth/v1/user, no token refresh.
		// (getSession is never asked for a token: the client puts the session's JWT on its own calls.)
		const calls = seen.map((r) => `${r.method} ${r.path}`);
		expect(calls.filter((c) => c.includes('/auth/v1/') && !c.endsWith('/.well-known/jwks.json'))).toEqual([]);
		expect(calls.filter((c) => c.includes('/rest/v1/'))).toEqual(['POST /rest/v1/rpc/my_context', 'POST /rest/v1/rpc/estate_home']);
		for (const r of seen.filter((r) => r.path.startsWith('/rest/v1/'))) expect(r.headers.get('authorization')).toBe(`Bearer ${accessToken}`);
	});

	it("reuses the user's context for the next reads of the same token, and forgets it after a write", async () => {
		const { seen, made, load } = setUp();
		const { value } = await sessionCookie({ session_id: 'second' });
		const rpcs = () => seen.filter((r) => r.path.startsWith('/rest/v1/')).map((r) => r.path.replace('/rest/v1/rpc/', ''));
		await request({ url: '/', cookies: { [COOKIE]: value } }, load);
		await request({ url: '/', cookies: { [COOKIE]: value } }, load);
		expect(rpcs()).toEqual(['my_context', 'estate_home', 'estate_home']);
		// A write still reuses the context it starts with, then drops every one kept.
		await request({ url: '/', method: 'POST', form: {}, cookies: { [COOKIE]: value } }, () => null);
		await request({ url: '/', cookies: { [COOKIE]: value } }, load);
		expect(rpcs()).toEqual(['my_context', 'estate_home', 'estate_home', 'my_context', 'estate_home']);
		expect(made).toHaveBeenCalledTimes(4);
		// JWKS once for the whole process, however many clients.
		expect(seen.filter((r) => r.path.endsWith('/jwks.json')).length).toBeLessThanOrEqual(1);
	});

	it('treats a request with a forged token as the public', async () => {
		const { seen, load } = setUp();
		const { value } = await sessionCookie();
		const forged = JSON.parse(Buffer.from(value.slice('base64-'.length), 'base64url').toString());
		const [h, , s] = forged.access_token.split('.');
		forged.access_token = `${h}.${b64url(JSON.stringify({ sub: 'someone-else', role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 }))}.${s}`;
		const x = await request({ url: '/', cookies: { [COOKIE]: 'base64-' + b64url(JSON.stringify(forged)) } }, load);
		expect(x.outcome).toMatchObject({ kind: 'data', data: { me: null } });
		expect(seen.filter((r) => r.path.startsWith('/rest/v1/')).map((r) => r.headers.get('authorization'))).toEqual([`Bearer ${ANON}`]);
	});
});

describe('supabase mode: photos through signed URLs', () => {
	it("asks Storage to sign every path in one request, with the caller's own token, and keeps the order", async () => {
		const sign: Answer = (r) =>
			r.path === '/storage/v1/object/sign/issue-photos'
				? {
						body: (r.body as { paths: string[] }).paths.map((p) =>
							p.includes('secret') ? { error: 'Either the object does not exist or you do not have access to it', path: p, signedURL: null } : { error: null, path: p, signedURL: `/object/sign/issue-photos/${p}?token=t-${p}` }
						)
					}
				: undefined;
		const { seen, fetchImpl } = recorder(sign);
		const rt = supabaseRuntime(parseConfig({ PUBLIC_SUPABASE_URL: URL_, PUBLIC_SUPABASE_ANON_KEY: ANON }), fetchImpl);
		const { accessToken, value } = await sessionCookie();
		const client = rt.supabase!.forRequest(await cookiesWith(value));
		const urls = await rt.storage.urls(['issues/a.jpg', 'issues/secret.jpg', 'issues/a_thumb.jpg'], { kind: 'user', userId: USER_ID, client });

		expect(urls).toEqual([`${URL_}/storage/v1/object/sign/issue-photos/issues/a.jpg?token=t-issues/a.jpg`, null, `${URL_}/storage/v1/object/sign/issue-photos/issues/a_thumb.jpg?token=t-issues/a_thumb.jpg`]);
		expect(seen).toHaveLength(1);
		expect(seen[0].method).toBe('POST');
		expect(seen[0].headers.get('authorization')).toBe(`Bearer ${accessToken}`);
		expect(seen[0].body).toEqual({ expiresIn: 3600, paths: ['issues/a.jpg', 'issues/secret.jpg', 'issues/a_thumb.jpg'] });
		expect(await rt.storage.read('issues/a.jpg')).toBeNull();
	});

	it('uploads with the service key into the private bucket, never serving a public URL', async () => {
		const { seen, fetchImpl } = recorder((r) => (r.path.startsWith('/storage/v1/object/issue-photos/') ? { body: { Key: 'issue-photos/issues/a.jpg' } } : undefined));
		const rt = supabaseRuntime(parseConfig({ PUBLIC_SUPABASE_URL: URL_, PUBLIC_SUPABASE_ANON_KEY: ANON, SUPABASE_SERVICE_ROLE_KEY: SERVICE }), fetchImpl);
		await rt.storage.put('issues/a.jpg', Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg');
		expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /storage/v1/object/issue-photos/issues/a.jpg']);
		expect(seen[0].headers.get('authorization')).toBe(`Bearer ${SERVICE}`);
	});
});

describe('supabase mode: the confirmation link', () => {
	it('is exchanged for a session through the auth port, on the request client', async () => {
		const { seen, fetchImpl } = recorder((r) => (r.path === '/auth/v1/verify' ? { body: { access_token: 'x', refresh_token: 'y', expires_in: 3600, token_type: 'bearer', user: { id: USER_ID } } } : undefined));
		const rt = supabaseRuntime(parseConfig({ PUBLIC_SUPABASE_URL: URL_, PUBLIC_SUPABASE_ANON_KEY: ANON }), fetchImpl);
		const { event } = await makeEvent({ url: '/auth/confirm' });
		const ctx = { cookies: event.cookies, url: event.url, userAgent: null, supabase: rt.supabase!.forRequest(event.cookies) };
		expect(await rt.auth.confirmEmail(ctx, 'hash-1', 'email')).toBe(true);
		expect(seen.map((r) => [r.path, r.body])).toEqual([['/auth/v1/verify', expect.objectContaining({ type: 'email', token_hash: 'hash-1' })]]);
		expect(await rt.auth.confirmEmail(ctx, 'hash-1', 'not-a-type')).toBe(false);
		expect(seen).toHaveLength(1);
	});
});

describe('supabase mode: the service role', () => {
	it('counts rate limits through public.take_rate_limit with the service key', async () => {
		const { takeLimit } = await import('../../src/lib/server/limits');
		const { seen, fetchImpl } = recorder((r) => (r.path === '/rest/v1/rpc/take_rate_limit' ? { body: 90 } : undefined));
		const rt = supabaseRuntime(parseConfig({ PUBLIC_SUPABASE_URL: URL_, PUBLIC_SUPABASE_ANON_KEY: ANON, SUPABASE_SERVICE_ROLE_KEY: SERVICE }), fetchImpl);
		expect(await takeLimit(rt, 'sign_up_ip', '203.0.113.9')).toEqual({ retryAfterSeconds: 90, retryAfterMinutes: 2 });
		expect(seen).toHaveLength(1);
		expect(seen[0].headers.get('authorization')).toBe(`Bearer ${SERVICE}`);
		expect(seen[0].body).toEqual({ p_bucket: 'sign_up_ip', p_key: '203.0.113.9', p_limit: rt.config.RATE_LIMIT_SIGN_UP_IP.limit, p_window_seconds: rt.config.RATE_LIMIT_SIGN_UP_IP.seconds });
	});

	it('has no service calls without the service key, and then counts nothing', async () => {
		const { takeLimit } = await import('../../src/lib/server/limits');
		const { seen, fetchImpl } = recorder();
		const rt = supabaseRuntime(parseConfig({ PUBLIC_SUPABASE_URL: URL_, PUBLIC_SUPABASE_ANON_KEY: ANON }), fetchImpl);
		expect(rt.service).toBeUndefined();
		vi.spyOn(console, 'warn').mockImplementation(() => {});
		expect(await takeLimit(rt, 'sign_up_ip', '203.0.113.9')).toBeNull();
		expect(seen).toHaveLength(0);
	});
});
