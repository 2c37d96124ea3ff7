import { error, fail, redirect } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { positions, type VoteDetail } from '$lib/domain/votes';
import { ballotSchema, paperSchema } from '$lib/domain/vote-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
import { DomainError } from '$lib/server/backend/types';
import { managesEstate } from '$lib/domain/me';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const { locals, params } = event;
	const detail = await loadCall(locals, 'vote_detail', { p_vote_id: params.voteId });
	if (detail.vote.estate_id !== params.id) error(404, { message: 'errors.vote_not_found' });
	const paper = detail.actions.paper;
	const byResident = detail.vote.electorate_kind === 'residents';
	// The paper ballot form names a unit by building, entrance and room, or a resident still to vote.
	const [buildings, residents] = await Promise.all([
		paper && !byResident ? loadCall(locals, 'estate_buildings', { p_estate_id: params.id }) : [],
		paper && byResident ? loadCall(locals, 'vote_not_voted', { p_vote_id: params.voteId }) : []
	]);
	return {
		detail,
		confirmClose: detail.actions.close_early && event.url.searchParams.get('close') === 'confirm',
		buildings,
		residents,
		ballotForm: await superValidate(zod4(ballotSchema), { id: 'ballot', errors: false }),
		paperForm: await superValidate(zod4(paperSchema), { id: 'paper', errors: false })
	};
};

const here = (e: RequestEvent) => `/estates/${e.params.id}/votes/${e.params.voteId}`;

export const actions: Actions = {
	cast: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(ballotSchema), { id: 'ballot' });
		if (!form.valid) return fail(400, { form });
		try {
			const r = await e.locals.call('cast_ballot', {
				p_vote_id: e.params.voteId,
				p_choice: positions(form.data.choice),
				p_unit_id: form.data.unit_id ?? null
			});
			// The receipt is shown once more on the page it returns to; the page also lists it under "my ballot".
			return { form, receipt: r.receipt };
		} catch (err) {
			return refuse(form, err, { unit_id: 'choice' });
		}
	},
	paper: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(paperSchema), { id: 'paper' });
		if (!form.valid) return fail(400, { form });
		const d = form.data;
		try {
			let unitId: string | null = null;
			if (!d.user_id) {
				if (!d.building_id) return setError(form, 'building_id', 'errors.required');
				if (!d.room) return setError(form, 'room', 'errors.required');
				unitId = await e.locals.call('find_unit', {
					p_estate_id: e.params.id,
					p_building_id: d.building_id,
					p_entrance: d.entrance,
					p_room: d.room
				});
			}
			const r = await e.locals.call('record_paper_ballot', {
				p_vote_id: e.params.voteId,
				p_choice: positions(d.choice),
				p_paper_ref: d.paper_ref,
				p_unit_id: unitId,
				p_user_id: d.user_id ?? null,
				p_proxy_name: d.proxy_name || null
			});
			return { form, paperReceipt: r.receipt };
		} catch (err) {
			// The register is kept by the committee (or an administrator); a moderator entering paper ballots
			// cannot add the room, so is told whom to ask instead of to add it.
			if (err instanceof DomainError && err.key === 'errors.unit_not_found' && !managesEstate(e.locals.me, e.params.id)) {
				return setError(form, 'room', 'errors.unit_not_found_ask_committee', { status: err.status });
			}
			return refuse(form, err, { unit_id: 'room' });
		}
	},
	/**
	 * Closing early cannot be undone, so it takes two submits: the first (no
	 * confirm field) only goes to the page's confirmation panel (?close=confirm,
	 * scrolled to), which says what will happen; the panel's own form sends
	 * confirm=yes. A redirect, so that it works the same without JavaScript.
	 */
	close: async (e) => {
		requireUser(e);
		const confirmed = (await e.request.formData()).get('confirm') === 'yes';
		if (!confirmed) redirect(303, here(e) + '?close=confirm#close-confirm');
		try {
			await e.locals.call('close_vote', { p_vote_id: e.params.voteId });
		} catch (err) {
			return refuseMessage(err);
		}
		redirect(303, here(e) + '#result');
	}
};
