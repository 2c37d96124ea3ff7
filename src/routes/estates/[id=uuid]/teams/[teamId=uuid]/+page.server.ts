import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { joinTeamSchema, toSkills } from '$lib/domain/work-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/** A volunteer team (志愿分队): its members as they choose to show, its open tasks and hours; join or leave it. */
export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const team = await loadCall(event.locals, 'team_page', { p_team_id: event.params.teamId });
	if (team.team.estate_id !== event.params.id) error(404, { message: 'errors.team_not_found' });
	const mine = team.mine;
	const form = await superValidate(
		{ shown_name: mine?.shown_name ?? '', skills: (mine?.skills ?? []).join('、'), availability: mine?.availability ?? '' },
		zod4(joinTeamSchema),
		{ id: 'join', errors: false }
	);
	return { team, form };
};

const here = (e: { params: { id: string; teamId: string } }) => `/estates/${e.params.id}/teams/${e.params.teamId}`;

export const actions: Actions = {
	join: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(joinTeamSchema), { id: 'join' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('join_team', {
				p_team_id: e.params.teamId,
				p_shown_name: form.data.shown_name || null,
				p_skills: toSkills(form.data.skills),
				p_availability: form.data.availability || null
			});
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e));
	},
	leave: async (e) => {
		requireUser(e);
		try {
			await e.locals.call('leave_team', { p_team_id: e.params.teamId });
		} catch (err) {
			return refuseMessage(err);
		}
		redirect(303, here(e));
	}
};
