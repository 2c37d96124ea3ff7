import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { moderatesEstate } from '$lib/domain/me';
import { UUID } from '$lib/domain/patterns';
import { postTaskSchema } from '$lib/domain/work-schemas';
import { fromChinaLocal, toChinaLocal } from '$lib/format';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/** Moderators and the committee post a task: from an approved issue (?issue=…) or free-standing. */
function requireModerator(event: Parameters<PageServerLoad>[0]) {
	const me = requireUser(event);
	if (!moderatesEstate(me, event.params.id)) error(403, { message: 'errors.forbidden' });
}

export const load: PageServerLoad = async (event) => {
	requireModerator(event);
	const issue = event.url.searchParams.get('issue') ?? '';
	const start = new Date(Date.now() + 2 * 86400_000);
	start.setUTCMinutes(0, 0, 0);
	const form = await superValidate(
		{
			issue_id: UUID.test(issue) ? issue.toLowerCase() : undefined,
			starts_at: toChinaLocal(start.toISOString()),
			ends_at: toChinaLocal(new Date(start.getTime() + 3 * 3600_000).toISOString()),
			slots: 2,
			est_hours: 2
		},
		zod4(postTaskSchema),
		{ errors: false }
	);
	const teams = await loadCall(event.locals, 'estate_teams', { p_estate_id: event.params.id });
	return { form, teams };
};

export const actions: Actions = {
	default: async (event) => {
		requireModerator(event as never);
		const form = await superValidate(event.request, zod4(postTaskSchema));
		if (!form.valid) return fail(400, { form });
		const d = form.data;
		let id: string;
		try {
			({ id } = await event.locals.call('post_task', {
				p_estate_id: event.params.id,
				p_title: d.title,
				p_needed: d.needed,
				p_starts_at: fromChinaLocal(d.starts_at),
				p_ends_at: fromChinaLocal(d.ends_at),
				p_slots: d.slots,
				p_est_hours: d.est_hours,
				p_eligible: d.eligible,
				p_kind: d.kind,
				p_issue_id: d.issue_id ?? null,
				p_area_id: d.area_id ?? null,
				p_team_id: d.team_id ?? null,
				p_checkin: d.checkin
			}));
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, `/estates/${event.params.id}/tasks/${id}`);
	}
};
