import type { SupabaseClient } from '@supabase/supabase-js';

/**
 * Who a call runs as: the anonymous public, or a signed-in user. In supabase
 * mode a user's calls go through the request's client, which holds their session.
 */
export type Caller = { kind: 'anon' } | { kind: 'user'; userId: string; client?: SupabaseClient };

export const ANON: Caller = { kind: 'anon' };

export type Args = Record<string, unknown>;

/**
 * The backend port: every domain read and write is one SQL function, run as
 * the calling user under row level security.
 */
export interface Backend {
	readonly mode: 'embedded' | 'postgres' | 'supabase';
	call<T = unknown>(fn: string, args: Args, as: Caller): Promise<T>;
	close(): Promise<void>;
}

/**
 * An error a SQL function raised on purpose: a SQLSTATE, a message key the UI
 * translates, and the form field it concerns (empty for the whole form).
 */
export class DomainError extends Error {
	override name = 'DomainError';
	constructor(
		readonly code: string,
		readonly key: string,
		readonly field: string | undefined
	) {
		super(key);
	}

	/** The HTTP status a page or action answers with. */
	get status(): 400 | 401 | 403 | 404 | 409 {
		if (this.code === '42501') return this.key === 'errors.sign_in_required' ? 401 : 403;
		if (this.code === 'P0002') return 404;
		if (this.code === '23505') return 409;
		return 400;
	}
}

/** Message keys are dotted lower-case words; anything else is an unplanned database error. */
const MESSAGE_KEY = /^[a-z_]+(\.[a-z0-9_]+)+$/;

/** SQLSTATEs that the functions raise on purpose, or that constraints raise on bad input. */
const INPUT_CLASSES = ['22', '23'];
const PURPOSE_CODES = ['42501', 'P0001', 'P0002'];

/**
 * Turns a driver error into a DomainError when it is one of ours, so that
 * callers show it beside the field; anything else stays an internal error.
 */
export function toDomainError(code: string | undefined, message: string | undefined, detail: string | undefined) {
	if (!code) return undefined;
	if (message && MESSAGE_KEY.test(message) && (PURPOSE_CODES.includes(code) || INPUT_CLASSES.includes(code.slice(0, 2)))) {
		return new DomainError(code, message, detail || undefined);
	}
	// Constraint violations and bad casts from unvalidated paths still are the user's input, not a crash.
	if (code === '23505') return new DomainError(code, 'errors.duplicate', undefined);
	if (INPUT_CLASSES.includes(code.slice(0, 2))) return new DomainError(code, 'errors.invalid_input', undefined);
	if (code === '42501') return new DomainError(code, 'errors.forbidden', undefined);
	return undefined;
}

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Function and argument names go into SQL text, so only plain identifiers pass. */
export function assertIdentifier(name: string): string {
	if (!NAME.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
	return name;
}
