import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { registerPartySchema } from '$lib/domain/work-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

const yearOf = (url: URL) => {
	const y = Number(url.searchParams.get('year'));
	return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : null;
};

/** A party member's service record (在职党员进社区): hours by quarter against the community's yearly ask. */
export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const record = await loadCall(event.locals, 'service_record', { p_estate_id: event.params.id, p_year: yearOf(event.url) });
	const form = await superValidate({ branch: record.branch ?? '' }, zod4(registerPartySchema), { id: 'register', errors: false });
	return { record, form };
};

export const actions: Actions = {
	register: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(registerPartySchema), { id: 'register' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('register_party_member', { p_estate_id: e.params.id, p_branch: form.data.branch });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, `/estates/${e.params.id}/service`);
	},
	/** Issues the printable service card of the year and opens it. */
	card: async (e) => {
		requireUser(e);
		let code: string;
		try {
			({ code } = await e.locals.call('issue_service_card', { p_estate_id: e.params.id, p_year: yearOf(e.url) }));
		} catch (err) {
			return refuseMessage(err);
		}
		redirect(303, `/cards/${code}`);
	}
};
