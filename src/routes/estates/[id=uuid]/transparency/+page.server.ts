import { error, redirect } from '@sveltejs/kit';
import { DomainError } from '$lib/server/backend/types';
import { estateTransparency } from '$lib/server/transparency-cache';
import type { PageServerLoad } from './$types';

/**
 * An estate's transparency page (公开): one call, which brings the estate's
 * header too. Anyone on a public board; no personal data. A signed-out
 * reader of a members-only estate is asked to sign in and comes back here.
 * The signed-out view is served from a cache the database invalidates
 * (transparency-cache.ts): it is what most of this page's readers get.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	try {
		return { transparency: await estateTransparency(locals, params.id) };
	} catch (e) {
		if (e instanceof DomainError && e.key === 'errors.sign_in_to_see' && !locals.me) {
			redirect(303, `/auth/sign-in?next=${encodeURIComponent(url.pathname)}`);
		}
		if (e instanceof DomainError) error(e.status, { message: e.key });
		throw e;
	}
};
