import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate, withFiles } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import {
	milestoneEditSchema,
	milestoneIdSchema,
	milestoneMoveSchema,
	milestoneSchema,
	planItemSchema,
	progressUpdateSchema,
	type ProgressImportResult
} from '$lib/domain/progress';
import { progressApplySchema, progressImportSchema, progressRowsOf } from '$lib/domain/schemas';
import { decodeCsv, readProgressCsv } from '$lib/domain/csv';
import { requireManager } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
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
	// ?milestone=<id> fills the milestone form with that milestone, to change it.
	const milestoneOf = detail.progress?.items.flatMap((i) => i.milestones).find((m) => m.id === url.searchParams.get('milestone')) ?? null;
	const milestoneEdit = milestoneOf
		? { milestone_id: milestoneOf.id, title: milestoneOf.title, planned_on: milestoneOf.planned_on ?? '', weight: Number(milestoneOf.weight) }
		: {};
	return {
		issue: detail.issue,
		editingMilestone: milestoneOf ? { id: milestoneOf.id, done: milestoneOf.done } : null,
		milestoneEditForm: await superValidate(milestoneEdit, zod4(milestoneEditSchema), { id: 'milestone-edit', errors: false }),
		importForm: await superValidate(zod4(progressImportSchema), { id: 'import', errors: false }),
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
	/** Changes a milestone's title, planned date and weight (a done one keeps its weight). */
	editMilestone: async (e) => {
		requireManager(e, e.params.id);
		const form = await superValidate(e.request, zod4(milestoneEditSchema), { id: 'milestone-edit' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('edit_milestone', {
				p_milestone_id: form.data.milestone_id,
				p_title: form.data.title,
				p_planned_on: form.data.planned_on || null,
				p_weight: form.data.weight
			});
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e) + '#items');
	},
	/** Removes a milestone that is not done; a refusal comes back as a message on the page. */
	removeMilestone: async (e) => {
		requireManager(e, e.params.id);
		const form = await superValidate(e.request, zod4(milestoneIdSchema), { id: 'milestone-remove' });
		if (!form.valid) return fail(400, { message: 'errors.milestone_not_found' });
		try {
			await e.locals.call('remove_milestone', { p_milestone_id: form.data.milestone_id });
		} catch (err) {
			return refuseMessage(err);
		}
		redirect(303, here(e) + '#items');
	},
	/** Moves a milestone one place up or down among its item's. */
	moveMilestone: async (e) => {
		requireManager(e, e.params.id);
		const form = await superValidate(e.request, zod4(milestoneMoveSchema), { id: 'milestone-move' });
		if (!form.valid) return fail(400, { message: 'errors.invalid_choice' });
		try {
			await e.locals.call('move_milestone', { p_milestone_id: form.data.milestone_id, p_direction: form.data.direction });
		} catch (err) {
			return refuseMessage(err);
		}
		redirect(303, here(e) + '#items');
	},
	/**
	 * The dry run of a progress report (CSV in the open-data milestones columns): what each line would
	 * change, or every problem with its line. The rows go back to the page, which sends them to `apply`.
	 */
	importCheck: async (e) => {
		requireManager(e, e.params.id);
		const form = await superValidate(e.request, zod4(progressImportSchema), { id: 'import' });
		if (!form.valid) return fail(400, withFiles({ form }));
		const { rows, problems } = readProgressCsv(decodeCsv(new Uint8Array(await form.data.file.arrayBuffer())));
		if (problems.length > 0) {
			const result: ProgressImportResult = { ok: false, errors: problems };
			return fail(400, withFiles({ form, result }));
		}
		let result: ProgressImportResult;
		try {
			result = await e.locals.call('import_progress', { p_estate_id: e.params.id, p_rows: rows, p_dry_run: true });
		} catch (err) {
			return withFiles(refuse(form, err));
		}
		if (!result.ok) return fail(400, withFiles({ form, result }));
		return withFiles({ form, result, rows: JSON.stringify(rows) });
	},
	/** Applies a report the dry run showed, all or nothing: the database checks every line again first. */
	importApply: async (e) => {
		requireManager(e, e.params.id);
		const form = await superValidate(e.request, zod4(progressApplySchema), { id: 'import-apply' });
		if (!form.valid) return fail(400, { applyForm: form });
		let result: ProgressImportResult;
		try {
			result = await e.locals.call('import_progress', { p_estate_id: e.params.id, p_rows: progressRowsOf(form.data.rows), p_dry_run: false });
		} catch (err) {
			return refuseMessage(err);
		}
		if (!result.ok) return fail(400, { result });
		return { result };
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
