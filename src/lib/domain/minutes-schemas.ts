import { z } from 'zod';
import { windowDays } from './publication-schemas';

/** What the minutes forms accept; checked again by the SQL functions. */

/**
 * The draft, one text area per paragraph (the last one empty, to add a paragraph): a paragraph left
 * empty is dropped; 1 to 50 remain, each at most 2,000 characters.
 */
export const minutesEditSchema = z.object({
	paragraphs: z
		.array(z.string({ error: 'errors.paragraphs_invalid' }).max(2000, { error: 'errors.too_long' }), { error: 'errors.paragraphs_invalid' })
		.max(51, { error: 'errors.paragraphs_invalid' })
		// A refinement, not a transform: superforms reads the field as an array only while its type stays one.
		.refine((ps) => {
			const kept = keptParagraphs(ps).length;
			return kept >= 1 && kept <= 50;
		}, { error: 'errors.minutes_paragraphs_invalid' })
});

/** The paragraphs the draft keeps: each trimmed, the empty ones dropped. */
export function keptParagraphs(ps: string[]): string[] {
	return ps.map((p) => p.trim()).filter((p) => p.length > 0);
}

export const minutesPublishSchema = z.object({
	window_days: windowDays
});
