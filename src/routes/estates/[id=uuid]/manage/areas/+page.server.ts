import { fail } from '@sveltejs/kit';
import { setError, superValidate, withFiles } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { areaImportSchema } from '$lib/domain/schemas';
import type { ImportResult } from '$lib/domain/imports';
import { requireManager } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireManager(event, event.params.id);
	return { form: await superValidate(zod4(areaImportSchema)) };
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
			result = await event.locals.call<ImportResult>('import_areas', { p_estate_id: event.params.id, p_collection: collection });
		} catch (e) {
			return refuse(form, e);
		}
		if (!result.ok) return fail(400, withFiles({ form, result }));
		return withFiles({ form, result });
	}
};
