import { serverClient } from '../supabase-client';
import { assertIdentifier, toDomainError, type Args, type Backend, type Caller } from './types';

/**
 * The supabase adapter: each call is a PostgREST rpc carrying the user's JWT,
 * so PostgREST sets the role and claims and RLS applies exactly as in the
 * other modes.
 */
export class SupabaseBackend implements Backend {
	readonly mode = 'supabase' as const;

	constructor(
		private readonly url: string,
		private readonly anonKey: string,
		private readonly fetchImpl?: typeof fetch
	) {}

	async call<T>(fn: string, args: Args, as: Caller): Promise<T> {
		const token = as.kind === 'user' ? as.accessToken : undefined;
		if (as.kind === 'user' && !token) throw new Error('supabase mode needs the user access token for every call');
		const client = serverClient(this.url, this.anonKey, token, this.fetchImpl);
		const { data, error } = await client.rpc(assertIdentifier(fn), args);
		if (error) {
			throw toDomainError(error.code, error.message, error.details ?? undefined) ?? new Error(`${fn}: ${error.code} ${error.message}`);
		}
		return data as T;
	}

	async close() {}
}
