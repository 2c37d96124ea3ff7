import { z } from 'zod';
import { text, uuid } from './fields';
import { toParagraphs } from './publications';

/** What the publication forms accept; checked again by the SQL functions. */

/** A publication window (公示): 1 to 30 days, 7 when not given. */
export const windowDays = z.coerce
	.number({ error: 'errors.window_days_invalid' })
	.int({ error: 'errors.window_days_invalid' })
	.min(1, { error: 'errors.window_days_invalid' })
	.max(30, { error: 'errors.window_days_invalid' })
	.default(7);

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
	window_days: windowDays
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
