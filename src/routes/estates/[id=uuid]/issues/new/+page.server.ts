import { error, fail, redirect, type ActionFailure } from '@sveltejs/kit';
import { setError, superValidate, withFiles, type SuperValidated } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { proposeSchema, type HeldPhoto } from '$lib/domain/issues';
import { isVerifiedMember } from '$lib/domain/me';
import { UUID } from '$lib/domain/patterns';
import { requireUser } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { DomainError } from '$lib/server/backend/types';
import { MAX_PHOTOS, removePhotos, storePhotos } from '$lib/server/photos';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const me = requireUser(event);
	if (!isVerifiedMember(me, event.params.id)) error(403, { message: 'errors.not_member' });
	return {
		form: await superValidate(zod4(proposeSchema))
	};
};

/** A held photo as the form shows it again: its token (kept while ticked) and where its thumbnail loads from. */
export interface HeldPhotoView {
	token: string;
	thumbUrl: string;
	width: number;
	height: number;
}

/**
 * Keeps every photo the resident attached, across any number of submits: the
 * ones held by an earlier submit (named by their tokens, the caller's own
 * only) and the ones in this request, stored and held now. A refusal of the
 * new files (not an image, too many) is a DomainError on "photos"; the held
 * ones are kept either way.
 */
async function keepPhotos(event: RequestEvent, tokens: string[], files: File[]): Promise<{ held: HeldPhoto[]; refused?: unknown }> {
	const { locals } = event;
	// The form's data keeps what was sent even when it is invalid: only well-formed tokens are looked up.
	tokens = tokens.filter((t) => typeof t === 'string' && UUID.test(t));
	let held = tokens.length ? await locals.call('held_photos', { p_tokens: tokens }) : [];
	const fresh = files.filter((f) => f.size > 0);
	if (!fresh.length) return { held };
	if (held.length + fresh.length > MAX_PHOTOS) return { held, refused: new DomainError('22023', 'errors.photos_too_many', 'photos') };
	let stored;
	try {
		stored = await storePhotos(locals.runtime.storage, fresh);
	} catch (e) {
		return { held, refused: e };
	}
	try {
		held = [...held, ...(await locals.call('hold_photos', { p_photos: stored }))];
	} catch (e) {
		await removePhotos(locals.runtime.storage, stored);
		return { held, refused: e };
	}
	return { held };
}

async function heldView(event: RequestEvent, held: HeldPhoto[]): Promise<HeldPhotoView[]> {
	const urls = await event.locals.runtime.storage.urls(held.map((p) => p.thumb_path), event.locals.caller);
	return held.flatMap((p, i) => (urls[i] ? [{ token: p.token, thumbUrl: urls[i], width: p.width, height: p.height }] : []));
}

type Form = SuperValidated<Record<string, unknown>>;

/** The action's answer with the held photos added, so that the form shows them again (with or without JavaScript). */
function withHeld<T extends ActionFailure<{ form: Form }> | { form: Form }>(answer: T, held: HeldPhotoView[]): T {
	if ('data' in answer && answer.data && typeof answer.data === 'object') Object.assign(answer.data, { held });
	else Object.assign(answer, { held });
	return answer;
}

export const actions: Actions = {
	/**
	 * Raises an issue. Before the first submit goes through, similar open
	 * issues are offered; the resident may support one of them instead, or
	 * confirm that theirs is new. Whatever stops the submit, everything typed,
	 * picked and attached comes back: the text, the area, the pin, and the
	 * photos, held on the server under tokens the next submit names.
	 */
	default: async (event) => {
		requireUser(event);
		const form = await superValidate(event.request, zod4(proposeSchema));
		const d = form.data;
		const { held, refused } = await keepPhotos(event, d.held ?? [], d.photos ?? []);
		// The files are held now: they do not travel back (a browser cannot refill a file input); their tokens do.
		d.photos = [];
		d.held = held.map((p) => p.token);
		const view = await heldView(event, held);
		if (refused) {
			if (!(refused instanceof DomainError)) throw refused;
			return withHeld(refuse(form, refused), view);
		}
		if (!form.valid) return withHeld(fail(400, withFiles({ form })), view);
		if ((d.point_x === undefined) !== (d.point_y === undefined)) return withHeld(setError(withFiles(form), 'point_x', 'errors.point_outside_area'), view);
		if (!d.confirm_new) {
			const similar = await event.locals.call('similar_issues', {
				p_estate_id: event.params.id,
				p_title: d.title,
				p_area_id: d.area_id
			});
			if (similar.length > 0) return { ...withFiles({ form, similar }), held: view };
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
				// Raising the issue takes the held photos over, in its transaction.
				p_photos: held.map(({ path, thumb_path, width, height }) => ({ path, thumb_path, width, height })),
				p_channel: d.channel,
				p_resident_name: d.resident_name || null,
				p_resident_contact: d.resident_contact || null
			}));
		} catch (e) {
			return withHeld(refuse(form, e, { point: 'point_x' }), view);
		}
		redirect(303, `/estates/${event.params.id}/issues/${id}`);
	}
};
