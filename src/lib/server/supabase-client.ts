import { createServerClient } from '@supabase/ssr';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Cookies } from '@sveltejs/kit';
import ws from 'ws';

// On Node 20 supabase-js throws inside createClient() unless it is handed a WebSocket
// implementation, even though the clients of requests never open a realtime channel (the live port's admin client does).
const realtime = { transport: ws as unknown as typeof WebSocket };

/**
 * The supabase-js clients of a supabase-mode server. A request gets exactly
 * one client (`forRequest`, created by hooks.server.ts and kept in locals, as
 * in Supabase's SvelteKit guide): it reads the session from the request's
 * cookies, writes refreshed tokens back to them, and sends the user's JWT on
 * every rpc and storage call the request makes. The public's client and the
 * service-role client carry no session, so one of each serves the process.
 */
export class SupabaseClients {
	private anonClient: SupabaseClient | undefined;
	private adminClient: SupabaseClient | undefined;

	constructor(
		readonly url: string,
		private readonly anonKey: string,
		private readonly serviceRoleKey: string | undefined,
		private readonly fetchImpl?: typeof fetch
	) {}

	private global() {
		return this.fetchImpl ? { fetch: this.fetchImpl } : {};
	}

	forRequest(cookies: Cookies): SupabaseClient {
		return createServerClient(this.url, this.anonKey, {
			cookies: {
				getAll: () => cookies.getAll(),
				setAll: (all) => all.forEach(({ name, value, options }) => cookies.set(name, value, { ...options, path: '/' }))
			},
			global: this.global(),
			realtime
		});
	}

	/** Calls as the public: the anon key is the bearer. */
	get anon(): SupabaseClient {
		this.anonClient ??= this.sessionless(this.anonKey);
		return this.anonClient;
	}

	/** The service role (bypasses RLS): photo uploads and assisted accounts only. Null without the key. */
	admin(): SupabaseClient | null {
		if (!this.serviceRoleKey) return null;
		this.adminClient ??= this.sessionless(this.serviceRoleKey);
		return this.adminClient;
	}

	private sessionless(key: string) {
		return createClient(this.url, key, {
			auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
			global: this.global(),
			realtime
		});
	}
}
