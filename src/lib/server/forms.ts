import { fail } from '@sveltejs/kit';
import { setError, type SuperValidated } from 'sveltekit-superforms';
import { DomainError } from './backend/types';

/**
 * Answers an action whose SQL function refused the input: the message key
 * goes beside the field the database named (or on the form), with the
 * matching 4xx. Anything else is a real fault and propagates to handleError.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function refuse<T extends Record<string, unknown>>(form: SuperValidated<T, any>, e: unknown, aliases: Record<string, string> = {}) {
	if (!(e instanceof DomainError)) throw e;
	// The database may name a field differently from the form (e.g. "point" for point_x and point_y).
	const named = e.field ? (aliases[e.field] ?? e.field) : undefined;
	const field = named && named in form.data ? named : undefined;
	// setError's path type is the schema's; the database names fields by the same names.
	return field
		? setError(form, field as never, e.key, { status: e.status })
		: setError(form, e.key, { status: e.status });
}

/**
 * A redirect target from a form or query: only a path on this site. Browsers
 * drop tabs and newlines from URLs and read a backslash as a slash, so the
 * value is resolved as a browser would and kept only if it stays here.
 */
export function safeRedirect(value: FormDataEntryValue | null, fallback = '/'): string {
	const s = typeof value === 'string' ? value : '';
	if (!s.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(s)) return fallback;
	const base = 'http://linyi.invalid';
	const url = new URL(s, base);
	return url.origin === base ? url.pathname + url.search + url.hash : fallback;
}

export { fail };

/**
 * For one-button forms (support, delete, remove) that have no fields: a
 * refusal on purpose comes back as a message shown on the page.
 */
export function refuseMessage(e: unknown) {
	if (!(e instanceof DomainError)) throw e;
	return fail(e.status, { message: e.key });
}
