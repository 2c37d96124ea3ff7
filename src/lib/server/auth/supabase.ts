import { createServerClient } from '@supabase/ssr';
import type { EmailOtpType } from '@supabase/supabase-js';
import ws from 'ws';
import { DomainError } from '../backend/types';
import { serverClient } from '../supabase-client';
import { newLoginId, newSetupCode } from './codes';
import type { AssistedAccount, AuthContext, AuthPort, SessionUser, SetupResult, SignInResult } from './types';

/** Assisted accounts have no email of their own; Supabase Auth needs one, so they get an address that can never receive mail. */
const ASSISTED_DOMAIN = 'assisted.invalid';
const PHONE = /^1[3-9]\d{9}$/;

function credentialsOf(identifier: string) {
	if (PHONE.test(identifier)) return { phone: '+86' + identifier };
	if (identifier.includes('@')) return { email: identifier.toLowerCase() };
	return { email: `${identifier.toLowerCase()}@${ASSISTED_DOMAIN}` };
}

/**
 * Supabase Auth through @supabase/ssr. The user is verified with getClaims()
 * (a signature check, or a call to Supabase Auth) on every request; the
 * session from the cookie is only used for its access token afterwards.
 */
export class SupabaseAuth implements AuthPort {
	constructor(
		private readonly url: string,
		private readonly anonKey: string,
		private readonly serviceRoleKey: string | undefined
	) {}

	private client(ctx: AuthContext) {
		return createServerClient(this.url, this.anonKey, {
			cookies: {
				getAll: () => ctx.cookies.getAll(),
				setAll: (cookies) => cookies.forEach(({ name, value, options }) => ctx.cookies.set(name, value, { ...options, path: '/' }))
			},
			realtime: { transport: ws as unknown as typeof WebSocket }
		});
	}

	private admin() {
		if (!this.serviceRoleKey) throw new DomainError('42501', 'auth.assisted_needs_service_key', undefined);
		return serverClient(this.url, this.serviceRoleKey);
	}

	async currentUser(ctx: AuthContext): Promise<SessionUser | null> {
		const supabase = this.client(ctx);
		const { data, error } = await supabase.auth.getClaims();
		if (error || !data?.claims?.sub) return null;
		const { data: session } = await supabase.auth.getSession();
		return { id: data.claims.sub, accessToken: session.session?.access_token };
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

	/** Exchanges the token hash of a confirmation email for a session. */
	async confirmEmail(ctx: AuthContext, tokenHash: string, type: EmailOtpType): Promise<boolean> {
		const { error } = await this.client(ctx).auth.verifyOtp({ type, token_hash: tokenHash });
		return !error;
	}

	async signOut(ctx: AuthContext, everywhere: boolean) {
		await this.client(ctx).auth.signOut({ scope: everywhere ? 'global' : 'local' });
	}

	async createAssisted(input: { displayName: string; createdBy: string }): Promise<AssistedAccount> {
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
		const { data, error } = await supabase.auth.signInWithPassword({ email, password: input.code.toUpperCase() });
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
