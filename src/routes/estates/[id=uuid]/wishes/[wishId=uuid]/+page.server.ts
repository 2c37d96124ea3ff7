import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { confirmWishSchema, donorSchema, fulfilWishSchema } from '$lib/domain/wish-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import { removePhotos, storePhotos, type StoredPhoto } from '$lib/server/photos';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const detail = await loadCall(locals, 'wish_detail', { p_wish_id: params.wishId });
	if (detail.wish.estate_id !== params.id) error(404, { message: 'errors.wish_not_found' });
	const p = detail.wish.photo;
	const [url, thumbUrl] = p ? await locals.runtime.storage.urls([p.path, p.thumb_path], locals.caller) : [null, null];
	return {
		detail,
		photo: p && url && thumbUrl ? { url, thumbUrl, width: p.width, height: p.height } : null,
		donorForm: await superValidate(zod4(donorSchema), { id: 'donor' }),
		fulfilForm: await superValidate(zod4(fulfilWishSchema), { id: 'fulfil' }),
		confirmForm: await superValidate(zod4(confirmWishSchema), { id: 'confirm' })
	};
};

const here = (e: RequestEvent) => `/estates/${e.params.id}/wishes/${e.params.wishId}`;

/** One-button actions (claim, release): a refusal comes back as a message on the page. */
async function oneButton(e: RequestEvent, fn: 'claim_wish' | 'release_wish') {
	requireUser(e);
	try {
		await e.locals.call(fn, { p_wish_id: e.params.wishId });
	} catch (err) {
		return refuseMessage(err);
	}
	redirect(303, here(e));
}

export const actions: Actions = {
	claim: (e) => oneButton(e, 'claim_wish'),
	release: (e) => oneButton(e, 'release_wish'),
	/** A moderator records that a donor unit (named as text) took the wish on. */
	donor: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(donorSchema), { id: 'donor' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('claim_wish', { p_wish_id: e.params.wishId, p_donor_unit: form.data.donor_unit });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e));
	},
	/** The claimer reports it done, with a note and optionally one photo (resized, metadata dropped, stored). */
	fulfil: async (e) => {
		requireUser(e);
		const body = await e.request.formData();
		const file = body.get('photo');
		body.delete('photo');
		const form = await superValidate(body, zod4(fulfilWishSchema), { id: 'fulfil' });
		if (!form.valid) return fail(400, { form });
		let stored: StoredPhoto[] = [];
		if (file instanceof File && file.size > 0) {
			try {
				stored = await storePhotos(e.locals.runtime.storage, [file]);
			} catch (err) {
				// A refusal of the file (not an image, too large) is shown on the form.
				return refuse(form, err);
			}
		}
		try {
			await e.locals.call('fulfil_wish', {
				p_wish_id: e.params.wishId,
				p_note: form.data.note || null,
				p_photo: stored[0] ?? null,
				p_hours: form.data.hours ?? null
			});
		} catch (err) {
			await removePhotos(e.locals.runtime.storage, stored);
			return refuse(form, err);
		}
		redirect(303, here(e));
	},
	/** The resident, the guardian or a moderator confirms, with thanks for the wall. */
	confirm: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(confirmWishSchema), { id: 'confirm' });
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('confirm_wish', { p_wish_id: e.params.wishId, p_thanks: form.data.thanks || null });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e));
	}
};
