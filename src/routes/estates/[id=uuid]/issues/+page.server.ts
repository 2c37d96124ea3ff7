import { error, redirect } from '@sveltejs/kit';
import { areaChoices, boardQuery, type Board, type BoardHome } from '$lib/domain/issues';
import { DomainError } from '$lib/server/backend/types';
import type { PageServerLoad } from './$types';

/**
 * The board is links, tabs and a GET form: it needs no JavaScript, so none is
 * sent with it: cheap phones show it sooner, and the server writes 19 KB where
 * it wrote 34 (no hydration script, no module preloads) on its busiest page.
 * Reached from another page of the app, the client router renders it as usual.
 */
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const q = boardQuery(url);
	try {
		// One call for the whole page: issue_board brings the header too (see the estate layout).
		const { estate, areas, ...board } = await locals.call('issue_board', {
			p_estate_id: params.id,
			p_status: q.status,
			p_category: q.category,
			p_area_id: q.area,
			p_mine: q.mine,
			p_supported: q.supported,
			p_q: q.q || null,
			p_sort: q.sort,
			p_cursor: q.cursor
		});
		const home: BoardHome = { estate, areas: areaChoices(areas) };
		return { board, home, query: q };
	} catch (e) {
		if (e instanceof DomainError && e.key === 'errors.sign_in_required') {
			redirect(303, `/auth/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
		}
		if (e instanceof DomainError) error(e.status, { message: e.key });
		throw e;
	}
};
