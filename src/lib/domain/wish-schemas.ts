import { z } from 'zod';
import { text, uuid } from './fields';
import { UUID } from './patterns';
import { WISH_CATEGORIES } from './wishes';

/** What the wish forms accept; checked again by the SQL functions (which also refuse phone and ID numbers). */

/** Seven digits or more in a row, spaces and dashes ignored: a phone or ID number, which belongs in the private fields. */
export function hasContactNumber(s: string): boolean {
	const ascii = s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
	return /[0-9]{7,}/.test(ascii.replace(/[\s\-－]/g, ''));
}
const publicText = (max: number, required = true) =>
	text(max, required).refine((s) => !hasContactNumber(s), { error: 'errors.wish_contact_in_public_text' });

export const postWishSchema = z
	.object({
		title: publicText(60),
		body: publicText(500, false).default(''),
		category: z.enum(WISH_CATEGORIES, { error: 'errors.invalid_choice' }),
		estimated_cost: z
			.number({ error: 'errors.wish_cost_invalid' })
			.min(0, { error: 'errors.wish_cost_invalid' })
			.max(100000, { error: 'errors.wish_cost_invalid' })
			.optional(),
		area_id: z
			.string({ error: 'errors.invalid_choice' })
			.default('')
			.refine((s) => s === '' || UUID.test(s), { error: 'errors.invalid_choice' }),
		shown_name: text(8).refine((s) => !/[0-9０-９]/.test(s), { error: 'errors.wish_shown_name_invalid' }),
		for_other: z.boolean({ error: 'errors.invalid_choice' }).default(false),
		resident_name: text(40, false).default(''),
		unit: text(60, false).default(''),
		phone: text(20, false).default('')
	})
	.refine((d) => !d.for_other || d.resident_name.length > 0, { error: 'errors.wish_resident_name_required', path: ['resident_name'] });

/** A micro-wish's hours: more than zero, in tenths, at most 8 (the database also bounds a report by twice the estimate). */
const wishHours = z
	.number({ error: 'errors.wish_hours_invalid' })
	.positive({ error: 'errors.wish_hours_invalid' })
	.max(8, { error: 'errors.wish_hours_invalid' })
	.refine((h) => Math.abs(Math.round(h * 10) - h * 10) < 1e-9, { error: 'errors.wish_hours_invalid' })
	.optional();

export const vetWishSchema = z
	.object({
		wish_id: uuid,
		decision: z.enum(['approve', 'decline'], { error: 'errors.invalid_choice' }),
		note: text(300, false).default(''),
		est_hours: wishHours
	})
	.refine((d) => d.decision === 'approve' || d.note.length > 0, { error: 'errors.reason_required', path: ['note'] });

export const donorSchema = z.object({ donor_unit: publicText(60) });
export const fulfilWishSchema = z.object({ note: publicText(300, false).default(''), hours: wishHours });
export const confirmWishSchema = z.object({ thanks: publicText(200, false).default('') });
