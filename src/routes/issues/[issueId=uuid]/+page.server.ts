import { redirect } from '@sveltejs/kit';
import type { IssueDetail } from '$lib/domain/issues';
import { loadCall } from '$lib/server/page-call';
import type { PageServerLoad } from './$types';

/** A short link to an issue (from notifications), sent on to its place in its estate. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const d = await loadCall(locals, 'issue_detail', { p_issue_id: params.issueId });
	redirect(303, `/estates/${d.issue.estate_id}/issues/${d.issue.id}`);
};
