import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { joinTeamSchema, teamLeaderSchema, teamRequestSchema, toSkills } from '$lib/domain/work-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/**
 * A volunteer team (志愿分队): its members as they choose to show, its open tasks and hours; ask to join
 * (a leader approves) or leave it; its leaders and the committee answer requests, the committee names leaders.
 */
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
	/** A leader or the committee approves or declines one request to join. */
	decide: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(teamRequestSchema), { id: 'decide' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('decide_team_request', {
				p_team_id: e.params.teamId,
				p_user_id: form.data.user_id,
				p_approve: form.data.decision === 'approve'
			});
		} catch (err) {
			return refuse(form, err, { user_id: 'user_id', decision: 'decision' });
		}
		redirect(303, here(e));
	},
	/** The committee makes a member a leader, or a leader a member again. */
	leader: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(teamLeaderSchema), { id: 'leader' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('set_team_leader', { p_team_id: e.params.teamId, p_user_id: form.data.user_id, p_leader: form.data.leader === 'yes' });
		} catch (err) {
			return refuse(form, err, { user: 'user_id' });
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
