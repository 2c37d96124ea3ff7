import type { AuthContext } from './types';

export const SESSION_COOKIE = 'linyi_session';
export const SESSION_DAYS = 30;

function isLocalhost(url: URL) {
	return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

/** httpOnly and SameSite=Lax always; Secure everywhere but on localhost, where there is no TLS. */
export function sessionCookieOptions(url: URL) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: !isLocalhost(url),
		maxAge: SESSION_DAYS * 24 * 60 * 60
	};
}

export function setSessionCookie(ctx: AuthContext, token: string) {
	ctx.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(ctx.url));
}

export function clearSessionCookie(ctx: AuthContext) {
	ctx.cookies.delete(SESSION_COOKIE, { path: '/', secure: !isLocalhost(ctx.url) });
}
