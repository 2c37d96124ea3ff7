import type { SupabaseClients } from '../supabase-client';
import { assertIdentifier, toDomainError, type Args, type Backend, type Caller } from './types';

/**
 * The supabase adapter: each call is a PostgREST rpc. A user's call goes
 * through the request's own client (the caller's `client`, made once per
 * request in hooks.server.ts), which sends the user's JWT, so PostgREST sets
 * the role and claims and RLS applies exactly as in the other modes. The
 * public's calls go through one shared anon client.
 */
export class SupabaseBackend implements Backend {
	readonly mode = 'supabase' as const;

	constructor(private readonly clients: SupabaseClients) {}

	async call<T>(fn: string, args: Args, as: Caller): Promise<T> {
		const client = as.kind === 'user' ? as.client : this.clients.anon;
		if (!client) throw new Error("supabase mode calls as a user through the request's client, which carries the user's access token");
		const { data, error } = await client.rpc(assertIdentifier(fn), args);
		if (error) {
			throw toDomainError(error.code, error.message, error.details ?? undefined) ?? new Error(`${fn}: ${error.code} ${error.message}`);
		}
		return data as T;
	}

	async close() {}
}
