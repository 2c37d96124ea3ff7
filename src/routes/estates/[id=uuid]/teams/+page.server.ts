import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { createTeamSchema } from '$lib/domain/work-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/** The estate's volunteer teams (志愿分队), with their numbers; the committee creates one here. */
export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const teams = await loadCall(event.locals, 'estate_teams', { p_estate_id: event.params.id });
	return { teams, form: await superValidate(zod4(createTeamSchema), { id: 'create' }) };
};

export const actions: Actions = {
	/** The committee creates a team and leads it until it names other leaders on the team's page. */
	create: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(createTeamSchema), { id: 'create' });
		if (!form.valid) return fail(400, { form });
		let id: string;
		try {
			({ id } = await e.locals.call('create_team', { p_estate_id: e.params.id, p_name: form.data.name, p_about: form.data.about || null }));
		} catch (err) {
			return refuse(form, err, { leader: 'name' });
		}
		redirect(303, `/estates/${e.params.id}/teams/${id}`);
	}
};
