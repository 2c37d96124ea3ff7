import { CATEGORIES, STATUS_TABS } from '$lib/domain/issue-words';
import { loadCall } from '$lib/server/page-call';
import type { PageServerLoad } from './$types';


export const load: PageServerLoad = async ({ locals, params, url }) => {
	const status = url.searchParams.get('status');
	const category = url.searchParams.get('category');
	const filters = {
		status: status && (STATUS_TABS as readonly string[]).includes(status) ? status : 'open',
		category: category && (CATEGORIES as readonly string[]).includes(category) ? category : null
	};
	const map = await loadCall(locals, 'estate_map', {
		p_estate_id: params.id,
		p_status: filters.status,
		p_category: filters.category
	});
	return { issueMap: map, filters, listView: url.searchParams.get('view') === 'list' };
};
