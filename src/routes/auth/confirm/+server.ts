import { redirect } from '@sveltejs/kit';
import type { EmailOtpType } from '@supabase/supabase-js';
import { SupabaseAuth } from '$lib/server/auth/supabase';
import type { RequestHandler } from './$types';

/**
 * Supabase mode: the link in a confirmation email lands here with a token
 * hash, which is exchanged for a session. Local auth confirms nothing by email.
 */
export const GET: RequestHandler = async ({ url, cookies, locals, request }) => {
	const auth = locals.runtime.auth;
	const tokenHash = url.searchParams.get('token_hash');
	const type = url.searchParams.get('type') as EmailOtpType | null;
	if (!(auth instanceof SupabaseAuth) || !tokenHash || !type) redirect(303, '/auth/sign-in');
	const ok = await auth.confirmEmail({ cookies, url, userAgent: request.headers.get('user-agent') }, tokenHash, type);
	redirect(303, ok ? '/me' : '/auth/sign-in?check_email=1');
};
