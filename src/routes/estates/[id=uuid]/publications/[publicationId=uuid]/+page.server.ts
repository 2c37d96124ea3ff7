import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { toParagraphs } from '$lib/domain/publications';
import { amendSchema, answerSchema, objectionSchema } from '$lib/domain/publication-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const detail = await loadCall(locals, 'publication_detail', { p_publication_id: params.publicationId });
	if (detail.publication.estate_id !== params.id) error(404, { message: 'errors.publication_not_found' });
	return { detail };
};

const here = (e: RequestEvent, anchor = '') => `/estates/${e.params.id}/publications/${e.params.publicationId}${anchor}`;

/**
 * Each form names itself (superValidate's id), so that the page shows a refusal beside the
 * paragraph or objection whose form was sent, among the many on the page.
 */
export const actions: Actions = {
	object: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(objectionSchema), { id: 'objection' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('object_to_publication', {
				p_publication_id: e.params.publicationId,
				p_paragraph: form.data.paragraph,
				p_reason: form.data.reason
			});
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e, '#objections'));
	},
	answer: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(answerSchema), { id: 'answer' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('answer_objection', {
				p_objection_id: form.data.objection_id,
				p_upheld: form.data.answer === 'upheld',
				p_reason: form.data.reason || null
			});
		} catch (err) {
			return refuse(form, err, { upheld: 'answer' });
		}
		redirect(303, here(e, '#objections'));
	},
	amend: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(amendSchema), { id: 'amend' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('amend_publication', {
				p_publication_id: e.params.publicationId,
				p_paragraphs: toParagraphs(form.data.paragraphs),
				p_note: form.data.note || null
			});
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e));
	}
};
