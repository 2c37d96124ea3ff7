import { error, json } from '@sveltejs/kit';
import type { IssueSummary } from '$lib/domain/issues';
import { loadCall } from '$lib/server/page-call';
import type { RequestHandler } from './$types';

/** A pin's popup, fetched when it is tapped on the map: only what the popup shows (issue_summary). */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { estate_id, ...summary } = await loadCall(locals, 'issue_summary', { p_issue_id: params.issueId });
	// As on the issue page: an issue is found under its own estate's address only.
	if (estate_id !== params.id) error(404, { message: 'errors.issue_not_found' });
	return json(summary);
};
