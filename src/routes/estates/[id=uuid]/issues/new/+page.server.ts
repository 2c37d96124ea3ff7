import { error, fail, redirect } from '@sveltejs/kit';
import { setError, superValidate, withFiles } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { proposeSchema, type SimilarIssue } from '$lib/domain/issues';
import { isVerifiedMember } from '$lib/domain/me';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { removePhotos, storePhotos } from '$lib/server/photos';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const me = requireUser(event);
	if (!isVerifiedMember(me, event.params.id)) error(403, { message: 'errors.not_member' });
	return {
		form: await superValidate(zod4(proposeSchema)),
		canRecord: await event.locals.call('can_record_for_others', { p_estate_id: event.params.id })
	};
};

export const actions: Actions = {
	/**
	 * Raises an issue. Before the first submit goes through, similar open
	 * issues are offered; the resident may support one of them instead, or
	 * confirm that theirs is new.
	 */
	default: async (event) => {
		requireUser(event);
		const form = await superValidate(event.request, zod4(proposeSchema));
		if (!form.valid) return fail(400, withFiles({ form }));
		const d = form.data;
		if ((d.point_x === undefined) !== (d.point_y === undefined)) return setError(withFiles(form), 'point_x', 'errors.point_outside_area');
		if (!d.confirm_new) {
			const similar = await event.locals.call('similar_issues', {
				p_estate_id: event.params.id,
				p_title: d.title,
				p_area_id: d.area_id
			});
			if (similar.length > 0) return withFiles({ form, similar });
		}
		let photos;
		try {
			photos = await storePhotos(event.locals.runtime.storage, d.photos);
		} catch (e) {
			return refuse(form, e);
		}
		let id: string;
		try {
			({ id } = await event.locals.call('propose_issue', {
				p_estate_id: event.params.id,
				p_area_id: d.area_id,
				p_category: d.category,
				p_title: d.title,
				p_body: d.body,
				p_point_x: d.point_x ?? null,
				p_point_y: d.point_y ?? null,
				p_photos: photos,
				p_channel: d.channel,
				p_resident_name: d.resident_name || null,
				p_resident_contact: d.resident_contact || null
			}));
		} catch (e) {
			await removePhotos(event.locals.runtime.storage, photos);
			return refuse(form, e, { point: 'point_x' });
		}
		redirect(303, `/estates/${event.params.id}/issues/${id}`);
	}
};
