import { z } from 'zod';

/**
 * The field shapes every form shares, written once: error messages are
 * message keys, which the UI translates beside the field.
 */

/** Trimmed text of at most `max` characters; required unless told otherwise. */
export const text = (max: number, required = true) => {
	const s = z.string({ error: 'errors.required' }).trim().max(max, { error: 'errors.too_long' });
	return required ? s.min(1, { error: 'errors.required' }) : s;
};

/** An id chosen from a list. */
export const uuid = z.uuid({ error: 'errors.invalid_choice' });
