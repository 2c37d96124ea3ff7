import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { claimSchema, confirmSchema, reportSchema, taskSchema } from '$lib/domain/work-schemas';
import { requireUser } from './guard';
import { refuse } from './forms';

/**
 * The actions on a task and its claims, shared by the claim board and the
 * task page: each form names itself (superValidate's id), so that a refusal
 * shows beside the task or claim whose form was sent. `back` is where a
 * done action returns to.
 */
type Event = RequestEvent<{ id: string }>;

export function taskActions(back: (e: Event) => string) {
	return {
		claim: async (e: Event) => {
			requireUser(e);
			const form = await superValidate(e.request, zod4(taskSchema), { id: 'claim' });
			if (!form.valid) return fail(400, { form });
			try {
				await e.locals.call('claim_task', { p_task_id: form.data.task_id });
			} catch (err) {
				return refuse(form, err);
			}
			redirect(303, back(e));
		},
		release: async (e: Event) => {
			requireUser(e);
			const form = await superValidate(e.request, zod4(claimSchema), { id: 'release' });
			if (!form.valid) return fail(400, { form });
			try {
				await e.locals.call('release_claim', { p_claim_id: form.data.claim_id });
			} catch (err) {
				return refuse(form, err);
			}
			redirect(303, back(e));
		},
		start: async (e: Event) => {
			requireUser(e);
			const form = await superValidate(e.request, zod4(claimSchema), { id: 'start' });
			if (!form.valid) return fail(400, { form });
			try {
				await e.locals.call('start_work', { p_claim_id: form.data.claim_id, p_code: form.data.code || null });
			} catch (err) {
				return refuse(form, err);
			}
			redirect(303, back(e));
		},
		report: async (e: Event) => {
			requireUser(e);
			const form = await superValidate(e.request, zod4(reportSchema), { id: 'report' });
			if (!form.valid) return fail(400, { form });
			try {
				await e.locals.call('report_done', { p_claim_id: form.data.claim_id, p_hours: form.data.hours, p_report: form.data.report || null });
			} catch (err) {
				return refuse(form, err);
			}
			redirect(303, back(e));
		},
		confirm: async (e: Event) => {
			requireUser(e);
			const form = await superValidate(e.request, zod4(confirmSchema), { id: 'confirm' });
			if (!form.valid) return fail(400, { form });
			try {
				await e.locals.call('confirm_work', {
					p_claim_id: form.data.claim_id,
					p_accept: form.data.decision === 'confirm',
					p_reason: form.data.reason || null
				});
			} catch (err) {
				return refuse(form, err, { accept: 'decision' });
			}
			redirect(303, back(e));
		}
	};
}
