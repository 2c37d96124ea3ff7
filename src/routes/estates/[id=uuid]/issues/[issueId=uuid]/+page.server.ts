import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { commentSchema, editCommentSchema, moderateSchema, reportSchema, shownComment, transitionSchema, type IssueDetail } from '$lib/domain/issues';
import { requireUser } from '$lib/server/guard';
import { refuse, refuseMessage } from '$lib/server/forms';
import { DomainError } from '$lib/server/backend/types';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import type { RpcArgs } from '$lib/server/rpc';

/**
 * The issue, or for a signed-out reader of a members-only board a page asking them to sign in (with a
 * link back here): under row level security such an issue is not found, which would read as a dead link.
 */
async function issueDetail(locals: App.Locals, estateId: string, issueId: string): Promise<IssueDetail> {
	try {
		return await locals.call('issue_detail', { p_issue_id: issueId });
	} catch (e) {
		if (e instanceof DomainError && e.status === 404 && !locals.me && (await locals.call('estate_board_public', { p_estate_id: estateId })) === false) {
			error(401, { message: 'errors.sign_in_to_see' });
		}
		if (e instanceof DomainError) error(e.status, { message: e.key });
		throw e;
	}
}


export const load: PageServerLoad = async ({ locals, params, url }) => {
	const detail = await issueDetail(locals, params.id, params.issueId);
	if (detail.issue.estate_id !== params.id) error(404, { message: 'errors.issue_not_found' });
	// "More comments" is a plain link, so it works without JavaScript too.
	const after = url.searchParams.get('after');
	if (after && !Number.isNaN(Date.parse(after))) {
		detail.comments = await loadCall(locals, 'issue_comments', { p_issue_id: params.issueId, p_after: after });
	}
	const merge = await mergeCandidates(locals, detail, url);
	const { photos, comments, updates, evidence, ...rest } = detail;
	const links = await photoLinks(locals, [photos, ...updates.map((u) => u.photos), evidence ? [evidence.before, evidence.after] : []]);
	const [issuePhotos, ...updatePhotos] = links;
	const pair = evidence ? links.at(-1)! : [];
	return {
		// The photos go as links (below), the comments without their empty fields: the data is serialized into the page.
		detail: { ...rest, comments: { more_after: comments.more_after, comments: comments.comments.map(shownComment) } },
		photos: issuePhotos,
		// The progress notes with their photos as links, and the before/after pair (both found, or none).
		updates: updates.map((u, i) => ({ id: u.id, note: u.note, at: u.at, photos: updatePhotos[i] })),
		evidence:
			evidence && pair.length === 2 ? { before: { ...pair[0], at: evidence.before.at, from_issue: !!evidence.before.from_issue }, after: { ...pair[1], at: evidence.after.at } } : null,
		commentForm: await superValidate({ stance: 'suggestion' }, zod4(commentSchema), { id: 'comment', errors: false }),
		// After a search for the issue to merge into, the form opens on "merge" with the matches to pick from.
		transitionForm: merge
			? await superValidate({ action: 'merge' }, zod4(transitionSchema), { id: 'transition', errors: false })
			: await superValidate(zod4(transitionSchema), { id: 'transition' }),
		merge
	};
};

/**
 * The committee finds the issue to merge this one into by searching the estate's open issues
 * (?merge_q=…, a plain GET form, so it works without JavaScript): up to 10 matches, this one left out.
 * Only when merging is among the caller's actions; issue_board searches as it does on the board.
 */
async function mergeCandidates(locals: App.Locals, detail: IssueDetail, url: URL) {
	const q = (url.searchParams.get('merge_q') ?? '').trim().slice(0, 60);
	if (!q || !detail.actions.some((a) => a.action === 'merge')) return null;
	const board = await locals.call('issue_board', { p_estate_id: detail.issue.estate_id, p_status: 'open', p_q: q });
	const issues = board.issues.filter((i) => i.id !== detail.issue.id).slice(0, 10);
	return { q, issues: issues.map((i) => ({ id: i.id, title: i.title, status: i.status, area: i.area, support_count: i.support_count })) };
}

type PhotoRow = IssueDetail['photos'][number];

/**
 * Where the browser loads each photo and its thumbnail, for several lists of photos (the issue's, each
 * progress note's, the before/after pair): from the storage port, for this caller, in one round trip.
 */
async function photoLinks(locals: App.Locals, lists: PhotoRow[][]) {
	const urls = await locals.runtime.storage.urls(lists.flat().flatMap((p) => [p.path, p.thumb_path]), locals.caller);
	let k = 0;
	return lists.map((photos) =>
		photos.flatMap((p) => {
			const [url, thumbUrl] = [urls[k], urls[k + 1]];
			k += 2;
			return url && thumbUrl ? [{ url, thumbUrl, width: p.width, height: p.height }] : [];
		})
	);
}

const here = (e: RequestEvent) => `/estates/${e.params.id}/issues/${e.params.issueId}`;

/** One-button actions (support, withdraw, delete a comment): a refusal comes back as a message on the page. */
async function oneButton<F extends 'support_issue' | 'withdraw_support' | 'delete_comment'>(e: RequestEvent, fn: F, args: RpcArgs<F>, anchor = '') {
	requireUser(e);
	try {
		await (e.locals.call as (fn: F, args: RpcArgs<F>) => Promise<unknown>)(fn, args);
	} catch (err) {
		return refuseMessage(err);
	}
	redirect(303, here(e) + anchor);
}

export const actions: Actions = {
	support: (e) => oneButton(e, 'support_issue', { p_issue_id: e.params.issueId }),
	withdraw_support: (e) => oneButton(e, 'withdraw_support', { p_issue_id: e.params.issueId }),
	comment: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(commentSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('comment_on_issue', {
				p_issue_id: e.params.issueId,
				p_stance: form.data.stance,
				p_body: form.data.body,
				p_parent_id: form.data.parent_id ?? null
			});
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e) + '#discussion');
	},
	edit_comment: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(editCommentSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('edit_comment', { p_comment_id: form.data.comment_id, p_body: form.data.body });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e) + '#discussion');
	},
	delete_comment: async (e) => {
		const id = (await e.request.formData()).get('comment_id');
		return oneButton(e, 'delete_comment', { p_comment_id: typeof id === 'string' ? id : null }, '#discussion');
	},
	report: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(reportSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('report_comment', { p_comment_id: form.data.comment_id, p_reason: form.data.reason });
		} catch (err) {
			return refuse(form, err);
		}
		return { form, message: 'discussion.reported' };
	},
	moderate: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(moderateSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('moderate_comment', { p_comment_id: form.data.comment_id, p_hide: form.data.hide, p_reason: form.data.reason });
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, here(e) + '#discussion');
	},
	transition: async (e) => {
		requireUser(e);
		const form = await superValidate(e.request, zod4(transitionSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await e.locals.call('transition_issue', {
				p_issue_id: e.params.issueId,
				p_action: form.data.action,
				p_reason: form.data.reason || null,
				// Picked from the search, or else pasted as an address or id.
				p_merge_into: form.data.merge_into ?? form.data.merge_address ?? null
			});
		} catch (err) {
			return refuse(form, err, form.data.merge_into ? {} : { merge_into: 'merge_address' });
		}
		redirect(303, here(e) + '#timeline');
	}
};
