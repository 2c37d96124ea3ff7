import { DomainError } from '../backend/types';
import type { Sql } from '../backend/sql';
import type { Me } from '$lib/domain/me';
import { hashToken, newLoginId, newSessionToken, newSetupCode } from './codes';
import { SESSION_COOKIE, SESSION_DAYS, clearSessionCookie, setSessionCookie } from './cookies';
import type { AssistedAccount, AuthContext, AuthPort, SessionUser, SetupResult, SignInResult } from './types';

type Status = { ok: boolean; reason?: string; retry_after_minutes?: number; user_id?: string };

/** How long a session looked up is taken as it was, without asking the database again. */
export const SESSION_REUSE_MS = 5_000;
/** At most this many sessions are kept for reuse; the oldest goes first. */
const SESSION_REUSE_MAX = 10_000;

/**
 * Local auth for the embedded and postgres modes: the auth.local_* functions
 * of the platform script, called on the server's own connection as Supabase
 * Auth would be. A new session token on every sign-in; only its hash is stored.
 *
 * Every signed-in request needs its session and the user's context. A resident
 * reading the board asks for a page every few seconds and the answer rarely
 * changes, so a lookup is reused for SESSION_REUSE_MS; any write through this
 * server (forgetSessions) drops them all, so that a sign-out, a new role or a
 * verified membership shows on the next page. Changes this server cannot see
 * (another server process, SQL by hand) show within SESSION_REUSE_MS. The
 * database checks every call's rights itself: the context only shapes the
 * page. (Supabase Auth's JWTs are trusted for up to an hour in the same way.)
 */
export class LocalAuth implements AuthPort {
	private readonly recent = new Map<string, { me: Me; at: number }>();
	/** Bumped by forgetSessions: a lookup that began before a write is not kept. */
	private generation = 0;

	constructor(
		private readonly sql: Sql,
		private readonly now: () => number = Date.now
	) {}

	async currentUser(ctx: AuthContext): Promise<SessionUser | null> {
		const token = ctx.cookies.get(SESSION_COOKIE);
		if (!token) return null;
		const hash = hashToken(token);
		const kept = this.recent.get(hash);
		if (kept && this.now() - kept.at < SESSION_REUSE_MS) return { id: kept.me.user_id, me: kept.me };
		const generation = this.generation;
		const at = this.now();
		// The session and the user's context in one statement: the hook needs both on every request.
		const [{ me }] = await this.sql.query<{ me: Me | null }>('select auth.local_session_context($1) as me', [hash]);
		this.recent.delete(hash);
		if (!me) {
			clearSessionCookie(ctx);
			return null;
		}
		if (generation === this.generation) {
			if (this.recent.size >= SESSION_REUSE_MAX) this.recent.delete(this.recent.keys().next().value!);
			this.recent.set(hash, { me: Object.freeze(me), at });
		}
		return { id: me.user_id, me };
	}

	forgetSessions() {
		this.recent.clear();
		this.generation++;
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

	async createAssisted(input: { displayName: string; createdBy: string }): Promise<AssistedAccount> {
		const setupCode = newSetupCode();
		// A login id collision is astronomically rare but cheap to retry.
		for (let attempt = 0; attempt < 5; attempt++) {
			const loginId = newLoginId();
			try {
				const [{ id }] = await this.sql.query<{ id: string }>('select auth.local_create_assisted($1, $2, $3, $4) as id', [
					input.displayName,
					loginId,
					setupCode,
					input.createdBy
				]);
				return { userId: id, loginId, setupCode };
			} catch (e) {
				if ((e as { code?: string }).code !== '23505') throw e;
			}
		}
		throw new Error('could not allocate a login id');
	}

	async redeemSetup(ctx: AuthContext, input: { loginId: string; code: string; password: string }): Promise<SetupResult> {
		const token = newSessionToken();
		const [{ status }] = await this.sql.query<{ status: Status }>(
			'select auth.local_redeem_setup($1, $2, $3, $4, $5::interval) as status',
			[input.loginId, input.code.toUpperCase(), input.password, hashToken(token), `${SESSION_DAYS} days`]
		);
		if (status.ok) {
			setSessionCookie(ctx, token);
			return { ok: true, userId: status.user_id! };
		}
		if (status.reason === 'locked') return { ok: false, reason: 'locked', retryAfterMinutes: status.retry_after_minutes ?? 15 };
		return { ok: false, reason: status.reason === 'code_expired' ? 'code_expired' : 'invalid_code' };
	}
}
