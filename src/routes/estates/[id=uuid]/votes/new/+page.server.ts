import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { optionLines } from '$lib/domain/votes';
import { fromChinaLocal, toChinaLocal } from '$lib/format';
import { voteSetupSchema } from '$lib/domain/vote-schemas';
import { requireManager } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

interface Setup {
	issue: { id: string; estate_id: string; title: string; status: string };
	allowed: boolean;
	areas: Array<{ id: string; name: string; kind: 'courtyard' | 'building'; units: number }>;
	units: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function setupFor(locals: App.Locals, estateId: string, issueId: string | null) {
	if (!issueId || !UUID.test(issueId)) error(404, { message: 'errors.issue_not_found' });
	const setup = await loadCall<Setup>(locals, 'vote_setup', { p_issue_id: issueId });
	if (setup.issue.estate_id !== estateId) error(404, { message: 'errors.issue_not_found' });
	return setup;
}

export const load: PageServerLoad = async (event) => {
	requireManager(event, event.params.id);
	const setup = await setupFor(event.locals, event.params.id, event.url.searchParams.get('issue'));
	const week = toChinaLocal(new Date(Date.now() + 7 * 86400_000).toISOString());
	const form = await superValidate(
		{ issue_id: setup.issue.id, kind: 'owners', closes_at: week, secret: true, question: '' },
		zod4(voteSetupSchema),
		{ errors: false }
	);
	return { setup, form };
};

export const actions: Actions = {
	default: async (event) => {
		requireManager(event, event.params.id);
		const form = await superValidate(event.request, zod4(voteSetupSchema));
		if (!form.valid) return fail(400, { form });
		const d = form.data;
		const owners = d.kind === 'owners';
		const options = optionLines(d.options);
		let id: string;
		try {
			({ id } = await event.locals.call<{ id: string }>('open_vote', {
				p_issue_id: d.issue_id,
				p_question: d.question,
				p_description: d.description,
				p_kind: d.kind,
				p_matter: owners ? (d.matter ?? null) : null,
				p_rule: owners || options.length ? null : (d.rule ?? 'more_yes'),
				p_electorate_kind: owners ? null : (d.electorate_kind ?? 'residents'),
				p_scope_area_id: d.scope_area_id ?? null,
				p_options: owners || !options.length ? null : options,
				p_max_choices: owners ? 1 : d.max_choices,
				p_opens_at: d.opens_at ? fromChinaLocal(d.opens_at) : null,
				p_closes_at: fromChinaLocal(d.closes_at),
				p_secret: d.secret,
				p_live_results: owners ? false : d.live_results,
				p_quorum_percent: owners ? null : (d.quorum_percent ?? null)
			}));
		} catch (e) {
			return refuse(form, e, { scope_area_id: 'scope_area_id' });
		}
		redirect(303, `/estates/${event.params.id}/votes/${id}`);
	}
};
