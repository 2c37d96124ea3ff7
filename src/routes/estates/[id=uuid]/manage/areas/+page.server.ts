import { fail, redirect } from '@sveltejs/kit';
import { setError, superValidate, withFiles } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { areaImportSchema, areaSchema } from '$lib/domain/schemas';
import type { ImportResult } from '$lib/domain/imports';
import { requireManager } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireManager(event, event.params.id);
	// ?edit=<area id> opens that area in the editor form (filled in by the page from the estate's
	// areas); anything else starts a new one. Works without JavaScript.
	const edit = event.url.searchParams.get('edit');
	return { form: await superValidate(zod4(areaImportSchema)), editing: edit && /^[0-9a-f-]{36}$/.test(edit) ? edit : null };
};

export const actions: Actions = {
	/** Imports a GeoJSON FeatureCollection, all or nothing; every bad feature is reported with its number. */
	import: async (event) => {
		requireManager(event, event.params.id);
		const form = await superValidate(event.request, zod4(areaImportSchema));
		if (!form.valid) return fail(400, withFiles({ form }));
		let collection: unknown;
		try {
			collection = JSON.parse(await form.data.file.text());
		} catch {
			return setError(form, 'file', 'errors.import.not_json');
		}
		if (collection === null || typeof collection !== 'object' || Array.isArray(collection)) {
			return setError(form, 'file', 'errors.import.not_feature_collection');
		}
		let result: ImportResult;
		try {
			result = await event.locals.call('import_areas', { p_estate_id: event.params.id, p_collection: collection });
		} catch (e) {
			return refuse(form, e);
		}
		if (!result.ok) return fail(400, withFiles({ form, result }));
		return withFiles({ form, result });
	},
	/** Adds or changes one area from the editor. */
	save: async (event) => {
		requireManager(event, event.params.id);
		const form = await superValidate(event.request, zod4(areaSchema));
		if (!form.valid) return fail(400, { form });
		let geometry: unknown = null;
		if (form.data.geometry) {
			try {
				geometry = JSON.parse(form.data.geometry);
			} catch {
				return setError(form, 'geometry', 'errors.import.area_geometry');
			}
		}
		let id: string;
		try {
			({ id } = await event.locals.call('save_area', {
				p_estate_id: event.params.id,
				p_area_id: form.data.area_id ?? null,
				p_kind: form.data.kind,
				p_name: form.data.name,
				p_parent_id: form.data.parent_id ?? null,
				p_geometry: geometry
			}));
		} catch (e) {
			return refuse(form, e, { parent_id: 'parent_id' });
		}
		redirect(303, `/estates/${event.params.id}/manage/areas?edit=${id}&saved=1`);
	},
	delete: async (event) => {
		requireManager(event, event.params.id);
		const id = (await event.request.formData()).get('area_id');
		try {
			await event.locals.call('delete_area', { p_estate_id: event.params.id, p_area_id: typeof id === 'string' ? id : null });
		} catch (e) {
			return refuseMessage(e);
		}
		redirect(303, `/estates/${event.params.id}/manage/areas`);
	}
};
