import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { formatDateTime } from '$lib/format';
import { fromParagraphs, toParagraphs } from '$lib/domain/publications';
import { publishDecisionSchema } from '$lib/domain/publication-schemas';
import { loadMessages, messageKey, translator, type Translate } from '$lib/i18n';
import type { VoteResult } from '$lib/domain/votes';
import { requireManager } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';

/**
 * The decision as first drafted, in the reader's language, from the issue and its vote's result:
 * the committee edits it before publishing. Each line is a paragraph residents may object to.
 */
function draft(t: Translate, locale: string, issue: { title: string; body: string }, vote: { question: string; closes_at: string; result: VoteResult | null } | null) {
	const paragraphs = [t('publication.draft.intro', { title: issue.title })];
	if (issue.body.trim()) paragraphs.push(issue.body.trim().slice(0, 2000));
	if (vote?.result) {
		const by = (role: string) => vote.result!.options.filter((o) => o.role === role).reduce((n, o) => n + o.ballots, 0);
		paragraphs.push(
			t('publication.draft.vote', {
				question: vote.question,
				closed: formatDateTime(vote.closes_at, locale),
				yes: by('yes'),
				no: by('no'),
				abstain: by('abstain'),
				outcome: t(messageKey(`vote.outcome.${vote.result.outcome}`))
			})
		);
	}
	paragraphs.push(t('publication.draft.objections'));
	return paragraphs;
}

export const load: PageServerLoad = async (event) => {
	const { locals, params } = event;
	requireManager(event, params.id);
	const detail = await loadCall(locals, 'issue_detail', { p_issue_id: params.issueId });
	if (detail.issue.estate_id !== params.id) error(404, { message: 'errors.issue_not_found' });
	const allowed = detail.actions.some((a) => a.action === 'publicize');
	let vote: { question: string; closes_at: string; result: VoteResult | null } | null = null;
	if (allowed) {
		const last = (await loadCall(locals, 'estate_votes', { p_estate_id: params.id })).find((v) => v.issue_id === params.issueId && v.status === 'closed');
		if (last) vote = { question: last.question, closes_at: last.closes_at, result: await loadCall(locals, 'vote_result', { p_vote_id: last.id }) };
	}
	const tr = translator(await loadMessages(locals.locale), locals.locale);
	return {
		issue: detail.issue,
		allowed,
		publication: detail.publication,
		form: await superValidate(
			{
				title: tr('publication.draft.title', { title: detail.issue.title }).slice(0, 120),
				paragraphs: fromParagraphs(draft(tr, locals.locale, detail.issue, vote)),
				window_days: 7
			},
			zod4(publishDecisionSchema),
			{ errors: false }
		)
	};
};

export const actions: Actions = {
	default: async (e) => {
		requireManager(e, e.params.id);
		const form = await superValidate(e.request, zod4(publishDecisionSchema));
		if (!form.valid) return fail(400, { form });
		let id: string;
		try {
			id = (
				await e.locals.call('publish_decision', {
					p_issue_id: e.params.issueId,
					p_title: form.data.title,
					p_paragraphs: toParagraphs(form.data.paragraphs),
					p_window_days: form.data.window_days
				})
			).id;
		} catch (err) {
			return refuse(form, err);
		}
		redirect(303, `/estates/${e.params.id}/publications/${id}`);
	}
};
