import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';

/**
 * A server-side supabase-js client. On Node 20 supabase-js throws inside
 * createClient() unless it is handed a WebSocket implementation, even though
 * the server never opens a realtime channel.
 */
export function serverClient(url: string, key: string, accessToken?: string, fetchImpl?: typeof fetch): SupabaseClient {
	return createClient(url, key, {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		global: {
			headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {},
			...(fetchImpl ? { fetch: fetchImpl } : {})
		},
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
}
