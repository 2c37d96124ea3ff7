import type { SupabaseClient } from '@supabase/supabase-js';
import type { Cookies } from '@sveltejs/kit';
import type { Me } from '$lib/domain/me';

export interface SessionUser {
	id: string;
	/** The user's context (my_context), looked up with the session. */
	me: Me;
}

/**
 * Where an auth call happens: the request's cookies and whether it came over a
 * secure origin. hooks.server.ts builds it once per request (locals.authContext).
 */
export interface AuthContext {
	cookies: Cookies;
	url: URL;
	userAgent: string | null;
	/** Supabase mode: the request's one supabase-js client, holding the session from its cookies. */
	supabase?: SupabaseClient;
}

export type SignInResult =
	| { ok: true; userId: string }
	| { ok: false; reason: 'invalid' | 'setup_required' }
	| { ok: false; reason: 'locked'; retryAfterMinutes: number };

export type SetupResult =
	| { ok: true; userId: string }
	| { ok: false; reason: 'invalid_code' | 'code_expired' }
	| { ok: false; reason: 'locked'; retryAfterMinutes: number };

export interface AssistedAccount {
	userId: string;
	loginId: string;
	setupCode: string;
}

/**
 * The auth port. Local auth (embedded and postgres modes) keeps users and
 * sessions in the database; Supabase mode delegates to Supabase Auth.
 */
export interface AuthPort {
	currentUser(ctx: AuthContext): Promise<SessionUser | null>;
	/** After a write through this server: sessions and contexts looked up before it are not reused. */
	forgetSessions?(): void;
	/** Creates the account and signs it in. Throws DomainError('23505', 'auth.identifier_taken') for a known identifier. */
	signUp(ctx: AuthContext, input: { identifier: string; password: string; displayName: string; locale: string }): Promise<{ confirmEmail: boolean }>;
	signIn(ctx: AuthContext, input: { identifier: string; password: string }): Promise<SignInResult>;
	signOut(ctx: AuthContext, everywhere: boolean): Promise<void>;
	/**
	 * The link in a confirmation email (/auth/confirm?token_hash=…&type=…):
	 * exchanges it for a session. False when it is not valid (always, with local auth).
	 */
	confirmEmail(ctx: AuthContext, tokenHash: string, type: string): Promise<boolean>;
	/**
	 * An account for a resident without a phone, enrolled as a verified member
	 * of the estate at the unit (enrol_member, as the committee member who asks)
	 * in the same step: if the enrolment is refused (a DomainError), no account
	 * is left behind.
	 */
	createAssistedMember(
		ctx: AuthContext,
		input: { displayName: string; createdBy: string; estateId: string; unitId: string }
	): Promise<AssistedAccount>;
	redeemSetup(ctx: AuthContext, input: { loginId: string; code: string; password: string }): Promise<SetupResult>;
}
