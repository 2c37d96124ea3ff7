import { error, fail } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { VoteDetail } from '$lib/domain/votes';
import { receiptSchema } from '$lib/domain/vote-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const { locals, params } = event;
	const detail = await loadCall(locals, 'vote_detail', { p_vote_id: params.voteId });
	if (detail.vote.estate_id !== params.id) error(404, { message: 'errors.vote_not_found' });
	const receipts = detail.vote.status === 'closed' ? await loadCall(locals, 'vote_receipts', { p_vote_id: params.voteId }) : null;
	return { vote: detail.vote, receipts, form: await superValidate(zod4(receiptSchema), { errors: false }) };
};

export const actions: Actions = {
	default: async (event) => {
		requireUser(event);
		const form = await superValidate(event.request, zod4(receiptSchema));
		if (!form.valid) return fail(400, { form });
		try {
			const checked = await event.locals.call('verify_receipt', {
				p_vote_id: event.params.voteId,
				p_code: form.data.code
			});
			return { form, checked };
		} catch (e) {
			return refuse(form, e);
		}
	}
};
