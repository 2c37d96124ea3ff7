import { json, type RequestEvent } from '@sveltejs/kit';
import { setError, type SuperValidated } from 'sveltekit-superforms';
import type { Config } from './config';
import type { Runtime } from './runtime';

/**
 * Rate limits per client address (and, for sign-in, per account), counted in
 * the database by private.take_rate_limit (migration 20261203120000): the same
 * counters whichever server process answers, in every mode. Limits and windows
 * come from the configuration (RATE_LIMIT_* in docs/configuration.md).
 */
export type LimitName = 'sign_in_ip' | 'sign_in_account' | 'sign_up_ip' | 'similar_ip' | 'meeting_code';

const SETTING: Record<LimitName, keyof Config> = {
	sign_in_ip: 'RATE_LIMIT_SIGN_IN_IP',
	sign_in_account: 'RATE_LIMIT_SIGN_IN_ACCOUNT',
	sign_up_ip: 'RATE_LIMIT_SIGN_UP_IP',
	similar_ip: 'RATE_LIMIT_SIMILAR_IP',
	meeting_code: 'RATE_LIMIT_MEETING_CODE'
};

/** Refused by a limit: how long until the client may try again. */
export interface Limited {
	retryAfterSeconds: number;
	/** The same, in whole minutes (at least 1), as the message says it. */
	retryAfterMinutes: number;
}

let warned = false;

/**
 * Counts one request of `key` against the limit, and answers null when it may
 * go on, or how long it must wait. In supabase mode the counter is reached
 * through the service role; without its key there is nothing to count with,
 * and Supabase Auth's own limits are all that apply (said once in the log).
 */
export async function takeLimit(rt: Runtime, name: LimitName, key: string): Promise<Limited | null> {
	const { limit, seconds } = rt.config[SETTING[name]] as { limit: number; seconds: number };
	if (!rt.service) {
		if (!warned) console.warn('Rate limits are off: supabase mode without SUPABASE_SERVICE_ROLE_KEY has no way to count requests.');
		warned = true;
		return null;
	}
	const wait = Number(await rt.service('take_rate_limit', { p_bucket: name, p_key: key, p_limit: limit, p_window_seconds: seconds }));
	return wait > 0 ? { retryAfterSeconds: wait, retryAfterMinutes: Math.max(1, Math.ceil(wait / 60)) } : null;
}

/**
 * The client's address as the limits count it. Behind a proxy, adapter-node
 * reads it from ADDRESS_HEADER / XFF_DEPTH (docs/configuration.md); when that
 * header is missing it throws, and such requests share one count rather than
 * escaping the limit. An IPv6 client is counted by its /64 network, which one
 * household or phone gets whole: it could otherwise take a new address per request.
 */
export function clientKey(event: Pick<RequestEvent, 'getClientAddress'>): string {
	let address: string;
	try {
		address = event.getClientAddress();
	} catch {
		return 'unknown';
	}
	return networkOf(address);
}

/** An IPv4 address as it is (also when IPv4-mapped), an IPv6 address as its /64 prefix. */
export function networkOf(address: string): string {
	const a = address.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	const mapped = /^[0:]*:ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
	if (mapped) return mapped[1];
	if (!a.includes(':')) return a;
	const [head, tail = ''] = a.split('::');
	const left = head ? head.split(':') : [];
	const right = a.includes('::') ? (tail ? tail.split(':') : []) : [];
	const groups = a.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
	return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':') + '::/64';
}

/** An account as the sign-in limit counts it: the address or phone number as typed, without case, spaces or dashes. */
export function accountKey(identifier: string): string {
	return identifier.normalize('NFKC').toLowerCase().replace(/[\s\-()]/g, '');
}

/** The message every limit answers with; {minutes} says when to try again. */
export const LIMITED_KEY = 'errors.rate_limited';

/**
 * An action's answer when a limit refused it: 429, the message on the form
 * (beside it, without JavaScript too: the page renders it from the form
 * result), and the minutes to wait in the form's message, for the text's {minutes}.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function limitedForm<T extends Record<string, unknown>>(event: RequestEvent, form: SuperValidated<T, any>, limited: Limited) {
	event.setHeaders({ 'retry-after': String(limited.retryAfterSeconds) });
	// The form's message carries the minutes, so the page has them with and without JavaScript.
	form.message = { retryAfterMinutes: limited.retryAfterMinutes };
	return setError(form, LIMITED_KEY, { status: 429 });
}

/** An endpoint's answer when a limit refused it: 429 with Retry-After, the message key and the minutes. */
export function limitedJson(limited: Limited) {
	return json(
		{ message: LIMITED_KEY, retryAfterMinutes: limited.retryAfterMinutes },
		{ status: 429, headers: { 'retry-after': String(limited.retryAfterSeconds) } }
	);
}
