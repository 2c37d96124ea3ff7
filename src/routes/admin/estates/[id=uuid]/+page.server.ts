import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { estateSchema } from '$lib/domain/schemas';
import type { AdminOverview, EstateHome } from '$lib/domain/estate';
import { requireAdmin } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import { saveEstateArgs } from '$lib/server/estate-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const [home, overview] = await Promise.all([
		loadCall(event.locals, 'estate_home', { p_estate_id: event.params.id }),
		loadCall(event.locals, 'admin_overview')
	]);
	const e = home.estate;
	const form = await superValidate(
		{
			community_id: e.community_id,
			name: e.name,
			address: e.address ?? '',
			map_mode: e.map_mode,
			center_lat: e.center ? Number(e.center[0]) : undefined,
			center_lng: e.center ? Number(e.center[1]) : undefined,
			zoom: e.zoom,
			plan_width: e.plan_size?.[0],
			plan_height: e.plan_size?.[1]
		},
		zod4(estateSchema),
		{ errors: false }
	);
	return { estate: e, communities: overview.communities, form };
};

export const actions: Actions = {
	default: async (event) => {
		requireAdmin(event);
		const form = await superValidate(event.request, zod4(estateSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await event.locals.call('save_estate', saveEstateArgs(event.params.id, form.data));
		} catch (e) {
			return refuse(form, e);
		}
		redirect(303, `/estates/${event.params.id}`);
	}
};
