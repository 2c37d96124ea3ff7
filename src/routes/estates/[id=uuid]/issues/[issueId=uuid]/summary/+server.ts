import { json } from '@sveltejs/kit';
import type { IssueDetail } from '$lib/domain/issues';
import { loadCall } from '$lib/server/page-call';
import type { RequestHandler } from './$types';

/** A pin's details, fetched when it is tapped on the map. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const d = await loadCall<IssueDetail>(locals, 'issue_detail', { p_issue_id: params.issueId });
	return json({ id: d.issue.id, title: d.issue.title, status: d.issue.status, category: d.issue.category, area: d.area.name, support_count: d.issue.support_count });
};
