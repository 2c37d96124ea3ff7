import type { PageServerLoad } from './$types';


export const load: PageServerLoad = async ({ locals }) => ({
	estates: await locals.call('list_estates')
});
