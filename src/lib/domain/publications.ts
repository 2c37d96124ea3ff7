/**
 * Publication windows (公示): what the SQL functions return, and the text as
 * paragraphs (in a form, one text area with a blank line between them). No zod
 * here, so that the publication pages stay light (schemas: publication-schemas.ts).
 */

export const PUBLICATION_STATUSES = ['open', 'amending', 'answering', 'final', 'withdrawn'] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];
export const PUBLICATION_KINDS = ['decision', 'minutes'] as const;

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
