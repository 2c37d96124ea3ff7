import type { Locale } from '$lib/i18n';
import type { Caller } from '$lib/server/backend/types';
import type { Runtime } from '$lib/server/runtime';
import type { Me } from '$lib/domain/me';
import type { RpcCall } from '$lib/server/rpc';
import type { AuthContext } from '$lib/server/auth/types';

declare global {
	namespace App {
		interface Error {
			/** A message key, translated on the error page. */
			message: string;
		}
		interface Locals {
			runtime: Runtime;
			locale: Locale;
			largeText: boolean;
			caller: Caller;
			/** What the auth port needs of this request (its cookies; in supabase mode, its one client). */
			authContext: AuthContext;
			/** The signed-in user's profile and memberships; null for the public. */
			me: Me | null;
			/** Calls one SQL function of the API (src/lib/server/rpc.ts) as the current user. */
			call: RpcCall;
		}
		interface PageData {
			locale: Locale;
			largeText: boolean;
			me: Me | null;
		}
	}
}

export {};
