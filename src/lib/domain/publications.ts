import { z } from 'zod';
import { text, uuid } from './fields';

/**
 * Publication windows (公示): what the SQL functions return, and what the
 * forms accept (checked again by the functions). The text is a list of
 * paragraphs; in a form it is one text area with a blank line between them.
 */

export const PUBLICATION_STATUSES = ['open', 'amending', 'answering', 'final', 'withdrawn'] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];
export const PUBLICATION_KINDS = ['decision'] as const;

export interface PublicationListItem {
	id: string;
	kind: string;
	title: string;
	status: PublicationStatus;
	revision: number;
	opens_at: string;
	closes_at: string;
	final_at: string | null;
	issue_id: string | null;
	objections: number;
	unanswered: number;
}

export interface Objection {
	id: string;
	revision: number;
	paragraph: number;
	reason: string;
	created_at: string;
	answer: 'upheld' | 'rejected' | null;
	answer_reason: string | null;
	answered_at: string | null;
	amended_in: number | null;
	mine: boolean;
	/** The objector's name, for the estate's members; null otherwise. */
	by: string | null;
}

export interface PublicationDetail {
	publication: {
		id: string;
		estate_id: string;
		kind: string;
		subject_id: string;
		issue_id: string | null;
		issue_title: string | null;
		title: string;
		status: PublicationStatus;
		revision: number;
		window_days: number;
		opens_at: string;
		closes_at: string;
		final_at: string | null;
		created_at: string;
	};
	/** Newest first: the first is the current text. */
	revisions: { revision: number; paragraphs: string[]; note: string | null; opens_at: string; closes_at: string; created_at: string }[];
	objections: Objection[];
	unanswered: number;
	can_object: boolean;
	can_answer: boolean;
	can_amend: boolean;
	is_member: boolean;
}

/** What the issue page shows of its decision's publication. */
export interface IssuePublication {
	id: string;
	status: PublicationStatus;
	revision: number;
	opens_at: string;
	closes_at: string;
	final_at: string | null;
	unanswered: number;
}

/** One text area → paragraphs: split at blank lines, each trimmed, empty ones dropped. */
export function toParagraphs(body: string): string[] {
	return body
		.replace(/\r\n?/g, '\n')
		.split(/\n[ \t\u3000]*\n/)
		.map((p) => p.trim())
		.filter((p) => p.length > 0);
}

/** Paragraphs → one text area, a blank line between them. */
export function fromParagraphs(paragraphs: string[]): string {
	return paragraphs.join('\n\n');
}

/** The text area of paragraphs: 1 to 50 paragraphs of at most 2000 characters each. */
const paragraphs = z
	.string({ error: 'errors.required' })
	.max(60_000, { error: 'errors.too_long' })
	.refine((s) => {
		const ps = toParagraphs(s);
		return ps.length >= 1 && ps.length <= 50 && ps.every((p) => p.length <= 2000);
	}, { error: 'errors.paragraphs_invalid' });

export const publishDecisionSchema = z.object({
	title: text(120),
	paragraphs,
	window_days: z.coerce
		.number({ error: 'errors.window_days_invalid' })
		.int({ error: 'errors.window_days_invalid' })
		.min(1, { error: 'errors.window_days_invalid' })
		.max(30, { error: 'errors.window_days_invalid' })
		.default(7)
});

export const objectionSchema = z.object({
	paragraph: z.coerce.number({ error: 'errors.paragraph_not_found' }).int({ error: 'errors.paragraph_not_found' }).min(1, { error: 'errors.paragraph_not_found' }),
	reason: text(500)
});

export const answerSchema = z
	.object({
		objection_id: uuid,
		answer: z.enum(['upheld', 'rejected'], { error: 'errors.invalid_choice' }),
		reason: text(500, false).default('')
	})
	.refine((a) => a.answer === 'upheld' || a.reason.length > 0, { error: 'errors.reason_required', path: ['reason'] });

export const amendSchema = z.object({
	paragraphs,
	note: text(500, false).default('')
});
