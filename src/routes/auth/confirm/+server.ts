import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * The link in a confirmation email lands here with a token hash, which the
 * auth port exchanges for a session (Supabase Auth; local auth sends no such
 * email, so every link is refused and the person is sent to sign in).
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const tokenHash = url.searchParams.get('token_hash');
	const type = url.searchParams.get('type');
	if (!tokenHash || !type) redirect(303, '/auth/sign-in');
	const ok = await locals.runtime.auth.confirmEmail(locals.authContext, tokenHash, type);
	redirect(303, ok ? '/me' : '/auth/sign-in?check_email=1');
};
