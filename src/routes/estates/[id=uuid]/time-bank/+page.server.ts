import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { transferSchema } from '$lib/domain/work-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/** The caller's time bank statement (时间银行): balances, hours served this year, entries 50 a page. */
export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const before = event.url.searchParams.get('before') ?? '';
	const statement = await loadCall(event.locals, 'time_statement', {
		p_estate_id: event.params.id,
		p_before: /^\d{1,15}$/.test(before) ? before : null
	});
	const form = await superValidate(zod4(transferSchema), { id: 'transfer' });
	return { statement, form };
};

export const actions: Actions = {
	transfer: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(transferSchema), { id: 'transfer' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('transfer_hours', {
				p_estate_id: e.params.id,
				p_to_user: form.data.to ?? null,
				p_amount: form.data.amount,
				p_unit: form.data.unit,
				p_purpose: form.data.purpose,
				p_note: form.data.note || null
			});
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, `/estates/${e.params.id}/time-bank`);
	}
};
