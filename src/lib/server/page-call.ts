import { error } from '@sveltejs/kit';
import { DomainError } from './backend/types';

/**
 * Calls a SQL function for a page load. A refusal on purpose (unknown id,
 * not allowed) becomes the matching error page with a translated message.
 */
export async function loadCall<T>(locals: App.Locals, fn: string, args: Record<string, unknown> = {}): Promise<T> {
	try {
		return await locals.call<T>(fn, args);
	} catch (e) {
		if (e instanceof DomainError) error(e.status, { message: e.key });
		throw e;
	}
}
