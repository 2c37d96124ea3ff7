import { error, redirect } from '@sveltejs/kit';
import type { IssueDetail } from '$lib/domain/issues';
import { DomainError } from '$lib/server/backend/types';
import type { PageServerLoad } from './$types';

/**
 * A short link to an issue (from notifications), sent on to its place in its estate. Signed out, an
 * issue that is not found may be one of a members-only board: the link asks to sign in and comes back.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	let d: IssueDetail;
	try {
		d = await locals.call<IssueDetail>('issue_detail', { p_issue_id: params.issueId });
	} catch (e) {
		if (e instanceof DomainError && e.status === 404 && !locals.me) redirect(303, `/auth/sign-in?next=${encodeURIComponent(url.pathname)}`);
		if (e instanceof DomainError) error(e.status, { message: e.key });
		throw e;
	}
	redirect(303, `/estates/${d.issue.estate_id}/issues/${d.issue.id}`);
};
