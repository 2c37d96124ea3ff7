import { fail } from '@sveltejs/kit';
import { superValidate, withFiles } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { unitImportSchema } from '$lib/domain/schemas';
import { decodeCsv, readUnitCsv } from '$lib/domain/csv';
import type { ImportResult } from '$lib/domain/imports';
import { requireManager } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';


export const load: PageServerLoad = async (event) => {
	requireManager(event, event.params.id);
	const offset = Math.max(0, Math.min(1_000_000, Number.parseInt(event.url.searchParams.get('offset') ?? '0', 10) || 0));
	return {
		offset,
		register: await loadCall(event.locals, 'estate_units', { p_estate_id: event.params.id, p_offset: offset }),
		form: await superValidate(zod4(unitImportSchema))
	};
};

export const actions: Actions = {
	/**
	 * Imports the unit register from CSV, all or nothing: the CSV's shape is
	 * checked here, its values in import_units, and any bad line stops the
	 * whole file with every problem listed.
	 */
	import: async (event) => {
		requireManager(event, event.params.id);
		const form = await superValidate(event.request, zod4(unitImportSchema));
		if (!form.valid) return fail(400, withFiles({ form }));
		const { rows, problems } = readUnitCsv(decodeCsv(new Uint8Array(await form.data.file.arrayBuffer())));
		if (problems.length > 0) {
			const result: ImportResult = { ok: false, errors: problems };
			return fail(400, withFiles({ form, result }));
		}
		let result: ImportResult;
		try {
			result = await event.locals.call('import_units', { p_estate_id: event.params.id, p_rows: rows });
		} catch (e) {
			return refuse(form, e);
		}
		if (!result.ok) return fail(400, withFiles({ form, result }));
		return withFiles({ form, result });
	}
};
