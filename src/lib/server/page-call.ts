import { error } from '@sveltejs/kit';
import { DomainError } from './backend/types';
import type { RpcArgs, RpcName, RpcResult } from './rpc';

/**
 * Calls a SQL function for a page load. A refusal on purpose (unknown id,
 * not allowed) becomes the matching error page with a translated message.
 */
export async function loadCall<F extends RpcName>(locals: App.Locals, fn: F, args?: RpcArgs<F>): Promise<RpcResult<F>> {
	try {
		return await (locals.call as (fn: F, args?: RpcArgs<F>) => Promise<RpcResult<F>>)(fn, args);
	} catch (e) {
		if (e instanceof DomainError) error(e.status, { message: e.key });
		throw e;
	}
}
