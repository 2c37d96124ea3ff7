import type { PageServerLoad } from './$types';

export interface EstateListing {
	id: string;
	name: string;
	address: string | null;
	community: string;
	community_id: string;
	district: string | null;
	map_mode: 'geographic' | 'site_plan';
}

export const load: PageServerLoad = async ({ locals }) => ({
	estates: await locals.call<EstateListing[]>('list_estates')
});
