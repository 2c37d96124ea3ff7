import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { managesEstate, type Me } from '$lib/domain/me';
import { UUID_SOURCE } from '$lib/domain/patterns';

/** The signed-in user, or a redirect to sign-in that comes back here afterwards. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): Me {
	const me = event.locals.me;
	if (!me) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/auth/sign-in?next=${encodeURIComponent(next)}`);
	}
	return me;
}

/** A committee member of the estate or an administrator. */
export function requireManager(event: Pick<RequestEvent, 'locals' | 'url'>, estateId: string): Me {
	const me = requireUser(event);
	if (!managesEstate(me, estateId)) error(403, { message: 'errors.forbidden' });
	return me;
}

export function requireAdmin(event: Pick<RequestEvent, 'locals' | 'url'>): Me {
	const me = requireUser(event);
	if (!me.is_admin) error(403, { message: 'errors.forbidden' });
	return me;
}

const MANAGE = new RegExp(`^/estates/(${UUID_SOURCE})/manage(/|$)`, 'i');
const SIGNED_IN = [
	/^\/me(\/|$)/,
	/^\/admin(\/|$)/,
	/^\/streets(\/|$)/,
	new RegExp(`^/estates/${UUID_SOURCE}/(join|manage|votes|moderation|dashboard)(/|$)`, 'i')
];

/**
 * The hook's check of every request, before any load or action runs. Actions
 * and the SQL functions check again: layouts do not guard actions, and the
 * database must hold when the app is bypassed.
 */
export function guardRoute(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const path = event.url.pathname;
	if (SIGNED_IN.some((r) => r.test(path))) requireUser(event);
	if (/^\/admin(\/|$)/.test(path)) requireAdmin(event);
	const manage = MANAGE.exec(path);
	if (manage) requireManager(event, manage[1].toLowerCase());
}
