import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate, withFiles } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { milestoneSchema, planItemSchema, progressUpdateSchema } from '$lib/domain/progress';
import { requireManager } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { DomainError } from '$lib/server/backend/types';
import { loadCall } from '$lib/server/page-call';
import { removePhotos, storePhotos, type StoredPhoto } from '$lib/server/photos';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The committee's page for an issue's plan: its work items to any depth, their milestones, and the
 * progress updates (a note, photos, a milestone marked done). One call reads it all (issue_detail
 * carries the plan); every form works without JavaScript (plain POST, then a redirect or the errors).
 */
export const load: PageServerLoad = async (event) => {
	const { locals, params, url } = event;
	requireManager(event, params.id);
	const detail = await loadCall(locals, 'issue_detail', { p_issue_id: params.issueId });
	if (detail.issue.estate_id !== params.id) error(404, { message: 'errors.issue_not_found' });
	// ?edit=<item id> fills the item form with that item, to change it.
	const editing = detail.progress?.items.find((i) => i.id === url.searchParams.get('edit')) ?? null;
	const item = editing
		? {
				item_id: editing.id,
				parent_id: editing.parent_id ?? '',
				title: editing.title,
				responsible_kind: editing.responsible_kind ?? ('' as const),
				responsible: editing.responsible ?? '',
				planned_start: editing.planned_start ?? '',
				planned_end: editing.planned_end ?? '',
				budget: editing.budget === null ? '' : String(editing.budget),
				weight: Number(editing.weight),
				excluded: editing.excluded,
				exclusion_reason: editing.exclusion_reason ?? ''
			}
		: { parent_id: url.searchParams.get('under') ?? '' };
	return {
		issue: detail.issue,
		plan: detail.progress,
		editing: editing?.id ?? null,
		itemForm: await superValidate(item, zod4(planItemSchema), { id: 'item', errors: false }),
		milestoneForm: await superValidate(zod4(milestoneSchema), { id: 'milestone', errors: false }),
		updateForm: await superValidate(zod4(progressUpdateSchema), { id: 'update', errors: false })
	};
};

const here = (e: RequestEvent) => `/estates/${e.params.id}/issues/${e.params.issueId}/plan`;

export const actions: Actions = {
	/** Adds a work item (the first is the plan itself) or changes one. */
	item: async (e) => {
		requireManager(e, e.params.id);
		const form = await superValidate(e.request, zod4(planItemSchema), { id: 'item' });
		if (!form.valid) return fail(400, { form });
		const d = form.data;
		try {
			await e.locals.call('plan_item', {
				p_issue_id: e.params.issueId,
				p_item_id: d.item_id || null,
				p_parent_id: d.parent_id || null,
				p_title: d.title,
				p_responsible_kind: d.responsible_kind || null,
				p_responsible: d.responsible || null,
				p_planned_start: d.planned_start || null,
				p_planned_end: d.planned_end || null,
				p_budget: d.budget === '' ? null : Number(d.budget),
				p_weight: d.weight,
				p_excluded: d.excluded,
				p_exclusion_reason: d.exclusion_reason || null
			});
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e) + '#items');
	},
	/** Adds a milestone to a work item. */
	milestone: async (e) => {
		requireManager(e, e.params.id);
		const form = await superValidate(e.request, zod4(milestoneSchema), { id: 'milestone' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('add_milestone', {
				p_item_id: form.data.item_id,
				p_title: form.data.title,
				p_planned_on: form.data.planned_on || null,
				p_weight: form.data.weight
			});
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e) + '#items');
	},
	/**
	 * Posts a progress update: a note with photos, or a milestone marked done (the note and photos, if
	 * any, are its evidence). The photos are stored first and removed again if the database refuses.
	 */
	update: async (e) => {
		requireManager(e, e.params.id);
		const form = await superValidate(e.request, zod4(progressUpdateSchema), { id: 'update' });
		const files = form.data.photos ?? [];
		form.data.photos = [];
		if (!form.valid) return fail(400, withFiles({ form }));
		let stored: StoredPhoto[] = [];
		try {
			stored = await storePhotos(e.locals.runtime.storage, files);
		} catch (err) {
			if (err instanceof DomainError) return withFiles(refuse(form, err));
			throw err;
		}
		try {
			if (form.data.milestone_id) {
				await e.locals.call('complete_milestone', { p_milestone_id: form.data.milestone_id, p_note: form.data.note || null, p_photos: stored });
			} else {
				await e.locals.call('post_progress', { p_issue_id: e.params.issueId, p_note: form.data.note, p_photos: stored });
			}
		} catch (err) {
			await removePhotos(e.locals.runtime.storage, stored);
			return withFiles(refuse(form, err));
		}
		redirect(303, `/estates/${e.params.id}/issues/${e.params.issueId}#progress`);
	}
};
