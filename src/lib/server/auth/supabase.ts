import type { EmailOtpType, SupabaseClient } from '@supabase/supabase-js';
import type { Me } from '$lib/domain/me';
import { DomainError, toDomainError } from '../backend/types';
import type { SupabaseClients } from '../supabase-client';
import { RecentContexts } from './reuse';
import { newLoginId, newSetupCode, normaliseSetupCode } from './codes';
import type { AssistedAccount, AuthContext, AuthPort, SessionUser, SetupResult, SignInResult } from './types';
import { PHONE } from '$lib/domain/patterns';

/** Assisted accounts have no email of their own; Supabase Auth needs one, so they get an address that can never receive mail. */
const ASSISTED_DOMAIN = 'assisted.invalid';

function credentialsOf(identifier: string) {
	if (PHONE.test(identifier)) return { phone: '+86' + identifier };
	if (identifier.includes('@')) return { email: identifier.toLowerCase() };
	return { email: `${identifier.toLowerCase()}@${ASSISTED_DOMAIN}` };
}

const OTP_TYPES: readonly EmailOtpType[] = ['signup', 'invite', 'magiclink', 'recovery', 'email_change', 'email'];

/**
 * Supabase Auth through @supabase/ssr, on the request's one client
 * (AuthContext.supabase, which hooks.server.ts creates). The user is verified
 * with getClaims() on every request — a signature check against the
 * project's cached signing keys, or a call to Supabase Auth for older
 * projects — and never taken from getSession(). The same client then sends
 * the session's JWT on the request's rpc calls, so no token is read out of it.
 * The user's context is reused for a few seconds per token (RecentContexts).
 */
export class SupabaseAuth implements AuthPort {
	private readonly recent: RecentContexts;

	constructor(
		private readonly clients: SupabaseClients,
		now: () => number = Date.now
	) {
		this.recent = new RecentContexts(now);
	}

	private client(ctx: AuthContext): SupabaseClient {
		if (!ctx.supabase) throw new Error("supabase mode: the request's client is missing (hooks.server.ts creates it)");
		return ctx.supabase;
	}

	private admin() {
		const admin = this.clients.admin();
		if (!admin) throw new DomainError('42501', 'auth.assisted_needs_service_key', undefined);
		return admin;
	}

	async currentUser(ctx: AuthContext): Promise<SessionUser | null> {
		const supabase = this.client(ctx);
		const { data, error } = await supabase.auth.getClaims();
		const claims = data?.claims;
		if (error || !claims?.sub) return null;
		// Verified claims name one token: its context may be reused until the next write.
		const key = [claims.sub, claims.session_id, claims.iat].join(':');
		const me = await this.recent.lookup(key, async () => {
			const { data: context, error: failed } = await supabase.rpc('my_context');
			if (failed) throw new Error(`my_context: ${failed.code} ${failed.message}`);
			return context as Me | null;
		});
		return me ? { id: claims.sub, me } : null;
	}

	forgetSessions() {
		this.recent.forget();
	}

	async signUp(ctx: AuthContext, input: { identifier: string; password: string; displayName: string; locale: string }) {
		const { data, error } = await this.client(ctx).auth.signUp({
			...(credentialsOf(input.identifier) as { email: string }),
			password: input.password,
			options: {
				data: { display_name: input.displayName, locale: input.locale },
				emailRedirectTo: new URL('/auth/confirm', ctx.url).toString()
			}
		});
		if (error) {
			if (error.code === 'user_already_exists' || error.code === 'email_exists' || error.code === 'phone_exists') {
				throw new DomainError('23505', 'auth.identifier_taken', 'identifier');
			}
			if (error.code === 'weak_password') throw new DomainError('22023', 'auth.password_weak', 'password');
			throw new Error(`sign-up failed: ${error.code} ${error.message}`);
		}
		return { confirmEmail: !data.session };
	}

	async signIn(ctx: AuthContext, input: { identifier: string; password: string }): Promise<SignInResult> {
		const supabase = this.client(ctx);
		const { data, error } = await supabase.auth.signInWithPassword({
			...(credentialsOf(input.identifier) as { email: string }),
			password: input.password
		});
		if (error) {
			if (error.status === 429) return { ok: false, reason: 'locked', retryAfterMinutes: 15 };
			return { ok: false, reason: 'invalid' };
		}
		if (data.user.app_metadata?.setup_expires_at) {
			await supabase.auth.signOut({ scope: 'local' });
			return { ok: false, reason: 'setup_required' };
		}
		return { ok: true, userId: data.user.id };
	}

	/** Exchanges the token hash of a confirmation email for a session (set on the request's cookies). */
	async confirmEmail(ctx: AuthContext, tokenHash: string, type: string): Promise<boolean> {
		if (!OTP_TYPES.includes(type as EmailOtpType)) return false;
		const { error } = await this.client(ctx).auth.verifyOtp({ type: type as EmailOtpType, token_hash: tokenHash });
		return !error;
	}

	async signOut(ctx: AuthContext, everywhere: boolean) {
		await this.client(ctx).auth.signOut({ scope: everywhere ? 'global' : 'local' });
	}

	/**
	 * Supabase Auth's admin API and PostgREST share no transaction: the account
	 * is created, the enrolment called as the committee member, and the account
	 * deleted again if the enrolment is refused.
	 */
	async createAssistedMember(
		ctx: AuthContext,
		input: { displayName: string; createdBy: string; estateId: string; unitId: string }
	): Promise<AssistedAccount> {
		const account = await this.createAssisted(input);
		const { error } = await this.client(ctx).rpc('enrol_member', {
			p_estate_id: input.estateId,
			p_user_id: account.userId,
			p_unit_id: input.unitId
		});
		if (error) {
			await this.admin().auth.admin.deleteUser(account.userId);
			throw toDomainError(error.code, error.message, error.details) ?? new Error(`enrolment failed: ${error.message}`);
		}
		return account;
	}

	private async createAssisted(input: { displayName: string; createdBy: string }): Promise<AssistedAccount> {
		const loginId = newLoginId();
		const setupCode = newSetupCode();
		const { data, error } = await this.admin().auth.admin.createUser({
			email: `${loginId.toLowerCase()}@${ASSISTED_DOMAIN}`,
			password: setupCode,
			email_confirm: true,
			app_metadata: { provider: 'assisted', login_id: loginId, setup_expires_at: new Date(Date.now() + 7 * 864e5).toISOString(), created_by: input.createdBy },
			user_metadata: { display_name: input.displayName, locale: 'zh-CN' }
		});
		if (error || !data.user) throw new Error(`could not create the account: ${error?.message}`);
		return { userId: data.user.id, loginId, setupCode };
	}

	async redeemSetup(ctx: AuthContext, input: { loginId: string; code: string; password: string }): Promise<SetupResult> {
		const supabase = this.client(ctx);
		const email = `${input.loginId.toLowerCase()}@${ASSISTED_DOMAIN}`;
		const { data, error } = await supabase.auth.signInWithPassword({ email, password: normaliseSetupCode(input.code) });
		if (error) return error.status === 429 ? { ok: false, reason: 'locked', retryAfterMinutes: 15 } : { ok: false, reason: 'invalid_code' };
		const expires = data.user.app_metadata?.setup_expires_at as string | undefined;
		if (!expires || new Date(expires) < new Date()) {
			await supabase.auth.signOut({ scope: 'local' });
			return { ok: false, reason: expires ? 'code_expired' : 'invalid_code' };
		}
		const admin = this.admin();
		await admin.auth.admin.updateUserById(data.user.id, { password: input.password, app_metadata: { setup_expires_at: null } });
		await supabase.auth.signInWithPassword({ email, password: input.password });
		return { ok: true, userId: data.user.id };
	}
}
