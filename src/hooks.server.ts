import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { runtime } from '$lib/server/runtime';
import { ANON, type Caller } from '$lib/server/backend/types';
import { guardRoute } from '$lib/server/guard';
import { imageSources, withImageSources } from '$lib/server/csp';
import { DEFAULT_LOCALE, LOCALE_COOKIE, TEXT_COOKIE, isLocale } from '$lib/i18n';
import type { RpcCall } from '$lib/server/rpc';

export const init: ServerInit = async () => {
	const r = await runtime();
	// adapter-node stops accepting requests on SIGINT/SIGTERM, then emits this: close the
	// database cleanly (PGlite flushes its files) so that the process can end.
	process.once('sveltekit:shutdown', async () => {
		await r.live.close().catch((e) => console.error('closing the live port:', e));
		r.backend.close().catch((e) => console.error('closing the database:', e));
	});
	// Live streams never end by themselves, and adapter-node waits for open requests before it
	// emits sveltekit:shutdown: end them as soon as the signal comes (browsers reconnect elsewhere).
	// (Only under adapter-node, which handles these signals itself; in vite dev a listener would stop Ctrl-C.)
	if (!dev) for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.once(signal, () => void r.live.close().catch((e) => console.error('closing the live port:', e)));
	}
};

const withBackend: Handle = async ({ event, resolve }) => {
	event.locals.runtime = await runtime();
	return resolve(event);
};

/** Requests that change nothing. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

const withAuth: Handle = async ({ event, resolve }) => {
	const { auth, backend, supabase } = event.locals.runtime;
	// Supabase mode: one supabase-js client for the whole request (auth, rpc, storage), as in Supabase's SvelteKit guide.
	const client = supabase?.forRequest(event.cookies);
	const ctx = { cookies: event.cookies, url: event.url, userAgent: event.request.headers.get('user-agent'), supabase: client };
	event.locals.authContext = ctx;
	const user = await auth.currentUser(ctx);
	const caller: Caller = user ? { kind: 'user', userId: user.id, client } : ANON;
	event.locals.caller = caller;
	event.locals.call = ((fn: string, args: Record<string, unknown> = {}) => backend.call(fn, args, caller)) as RpcCall;
	event.locals.me = user?.me ?? null;
	guardRoute(event);
	if (READS.has(event.request.method)) return resolve(event);
	// A write may change any session or context (a sign-out, a role, a membership): not reused after it.
	try {
		return await resolve(event);
	} finally {
		auth.forgetSessions?.();
	}
};

const withLocale: Handle = async ({ event, resolve }) => {
	const cookie = event.cookies.get(LOCALE_COOKIE);
	event.locals.locale = isLocale(cookie) ? cookie : DEFAULT_LOCALE;
	event.locals.largeText = event.cookies.get(TEXT_COOKIE) === 'large';
	return resolve(event, {
		transformPageChunk: ({ html }) => {
			// Both placeholders are on the <html> tag (app.html): only that much of the page is
			// rewritten, and the rest is joined on, not copied (a whole board page twice, otherwise).
			const tag = html.indexOf('>', html.indexOf('<html')) + 1;
			const start = html.slice(0, tag).replace('%lang%', event.locals.locale).replace('%textsize%', event.locals.largeText ? 'text-large' : '');
			return start + html.slice(tag);
		}
	});
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('X-Frame-Options', 'DENY');
	h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(self)');
	if (event.url.protocol === 'https:') h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	const policy = h.get('content-security-policy');
	if (policy && event.locals.runtime) h.set('content-security-policy', withImageSources(policy, imageSources(event.locals.runtime.config)));
	return response;
};

export const handle = sequence(securityHeaders, withBackend, withLocale, withAuth);

/** Unexpected errors are logged here and reach the user only as a translated, generic message. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) console.error(`${event.request.method} ${event.url.pathname}:`, error);
	return { message: status === 404 ? 'errors.page_not_found' : 'errors.internal' };
};
