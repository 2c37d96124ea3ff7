import { DomainError, toDomainError } from '../backend/types';
import { callAsUser } from '../backend/as-user';
import type { Sql } from '../backend/sql';
import type { Me } from '$lib/domain/me';
import { hashToken, newLoginId, newSessionToken, newSetupCode, normaliseSetupCode } from './codes';
import { SESSION_COOKIE, SESSION_DAYS, clearSessionCookie, setSessionCookie } from './cookies';
import { RecentContexts } from './reuse';
import type { AssistedAccount, AuthContext, AuthPort, SessionUser, SetupResult, SignInResult } from './types';

type Status = { ok: boolean; reason?: string; retry_after_minutes?: number; user_id?: string };

export { SESSION_REUSE_MS } from './reuse';

/**
 * Local auth for the embedded and postgres modes: the auth.local_* functions
 * of the platform script, called on the server's own connection as Supabase
 * Auth would be. A new session token on every sign-in; only its hash is stored.
 *
 * Every signed-in request needs its session and the user's context: both come
 * from one statement, and are reused for a few seconds (RecentContexts).
 * (Supabase Auth's JWTs are trusted for up to an hour in the same way.)
 */
export class LocalAuth implements AuthPort {
	private readonly recent: RecentContexts;

	constructor(
		private readonly sql: Sql,
		now: () => number = Date.now
	) {
		this.recent = new RecentContexts(now);
	}

	async currentUser(ctx: AuthContext): Promise<SessionUser | null> {
		const token = ctx.cookies.get(SESSION_COOKIE);
		if (!token) return null;
		const hash = hashToken(token);
		// The session and the user's context in one statement: the hook needs both on every request.
		const me = await this.recent.lookup(hash, async () => {
			const [row] = await this.sql.query<{ me: Me | null }>('select auth.local_session_context($1) as me', [hash]);
			return row.me;
		});
		if (!me) {
			clearSessionCookie(ctx);
			return null;
		}
		return { id: me.user_id, me };
	}

	forgetSessions() {
		this.recent.forget();
	}

	/** Local accounts confirm nothing by email: a confirmation link here is never valid. */
	async confirmEmail() {
		return false;
	}

	async signUp(ctx: AuthContext, input: { identifier: string; password: string; displayName: string; locale: string }) {
		const token = newSessionToken();
		try {
			// One transaction: the account and its first session, or neither.
			await this.sql.transaction(async (tx) => {
				const [{ id }] = await tx.query<{ id: string }>('select auth.local_sign_up($1, $2, $3, $4) as id', [
					input.identifier,
					input.password,
					input.displayName,
					input.locale
				]);
				await tx.query('select auth.local_start_session($1, $2, $3::interval, $4)', [id, hashToken(token), `${SESSION_DAYS} days`, ctx.userAgent]);
			});
		} catch (e) {
			const err = e as { code?: string };
			if (err.code === '23505') throw new DomainError('23505', 'auth.identifier_taken', 'identifier');
			throw e;
		}
		setSessionCookie(ctx, token);
		return { confirmEmail: false };
	}

	async signIn(ctx: AuthContext, input: { identifier: string; password: string }): Promise<SignInResult> {
		const token = newSessionToken();
		const [{ status }] = await this.sql.query<{ status: Status }>(
			`select auth.local_sign_in($1, $2, $3, $4::interval, $5) as status`,
			[input.identifier, input.password, hashToken(token), `${SESSION_DAYS} days`, ctx.userAgent]
		);
		if (status.ok) {
			setSessionCookie(ctx, token);
			return { ok: true, userId: status.user_id! };
		}
		if (status.reason === 'locked') return { ok: false, reason: 'locked', retryAfterMinutes: status.retry_after_minutes ?? 15 };
		return { ok: false, reason: status.reason === 'setup_required' ? 'setup_required' : 'invalid' };
	}

	async signOut(ctx: AuthContext, everywhere: boolean) {
		const token = ctx.cookies.get(SESSION_COOKIE);
		if (token) await this.sql.query('select auth.local_sign_out($1, $2)', [hashToken(token), everywhere]);
		clearSessionCookie(ctx);
	}

	/** The account and its membership in one transaction: the enrolment runs as the committee member, under RLS, inside it. */
	async createAssistedMember(
		_ctx: AuthContext,
		input: { displayName: string; createdBy: string; estateId: string; unitId: string }
	): Promise<AssistedAccount> {
		const setupCode = newSetupCode();
		// A login id collision is astronomically rare but cheap to retry.
		for (let attempt = 0; attempt < 5; attempt++) {
			const loginId = newLoginId();
			try {
				return await this.sql.transaction(async (tx) => {
					const [{ id }] = await tx.query<{ id: string }>('select auth.local_create_assisted($1, $2, $3, $4) as id', [
						input.displayName,
						loginId,
						setupCode,
						input.createdBy
					]);
					await callAsUser(
						tx,
						'enrol_member',
						{ p_estate_id: input.estateId, p_user_id: id, p_unit_id: input.unitId },
						{ kind: 'user', userId: input.createdBy }
					);
					return { userId: id, loginId, setupCode };
				});
			} catch (e) {
				const err = e as { code?: string; message?: string; detail?: string };
				const refusal = toDomainError(err.code, err.message, err.detail);
				// A raw unique violation is the login id's index: try another id. A refusal of the enrolment is final.
				if (refusal?.key === 'errors.duplicate') continue;
				throw refusal ?? e;
			}
		}
		throw new Error('could not allocate a login id');
	}

	async redeemSetup(ctx: AuthContext, input: { loginId: string; code: string; password: string }): Promise<SetupResult> {
		const token = newSessionToken();
		const [{ status }] = await this.sql.query<{ status: Status }>(
			'select auth.local_redeem_setup($1, $2, $3, $4, $5::interval) as status',
			[input.loginId, normaliseSetupCode(input.code), input.password, hashToken(token), `${SESSION_DAYS} days`]
		);
		if (status.ok) {
			setSessionCookie(ctx, token);
			return { ok: true, userId: status.user_id! };
		}
		if (status.reason === 'locked') return { ok: false, reason: 'locked', retryAfterMinutes: status.retry_after_minutes ?? 15 };
		return { ok: false, reason: status.reason === 'code_expired' ? 'code_expired' : 'invalid_code' };
	}
}
