import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { communitySchema, estateSchema } from '$lib/domain/schemas';
import { requireAdmin } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import { saveEstateArgs } from '$lib/server/estate-form';
import type { Actions, PageServerLoad } from './$types';


export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	return {
		overview: await loadCall(event.locals, 'admin_overview'),
		communityForm: await superValidate(zod4(communitySchema), { id: 'community' }),
		estateForm: await superValidate({ map_mode: 'geographic', zoom: 17 }, zod4(estateSchema), { id: 'estate', errors: false })
	};
};

export const actions: Actions = {
	community: async (event) => {
		requireAdmin(event);
		const form = await superValidate(event.request, zod4(communitySchema));
		if (!form.valid) return fail(400, { form });
		try {
			await event.locals.call('create_community', { p_name: form.data.name, p_district: form.data.district });
		} catch (e) {
			return refuse(form, e);
		}
		return { form };
	},
	estate: async (event) => {
		requireAdmin(event);
		const form = await superValidate(event.request, zod4(estateSchema));
		if (!form.valid) return fail(400, { form });
		let id: string;
		try {
			({ id } = await event.locals.call('save_estate', saveEstateArgs(null, form.data)));
		} catch (e) {
			return refuse(form, e);
		}
		redirect(303, `/estates/${id}/manage/areas`);
	}
};
