import { z } from 'zod';
import { CONSULTATIVE_RULES, ELECTORATES, VOTE_KINDS } from './votes';
import { text, uuid } from './fields';

/** What the vote forms accept; checked again by the SQL functions. */
/** An empty select or text field is "not given". */
const blank = (v: unknown) => (v === '' || v === null ? undefined : v);

/**
 * A time from a datetime-local field. Estates are in China: the field's wall
 * time is read as China Standard Time (UTC+8, no daylight saving).
 */
/** Whether "2026-12-02T14:12" names a real minute: 2027-02-30 or 25:61 match the pattern but not the calendar (and would end a request in a RangeError). */
const realMinute = (v: string) => {
	const [y, mo, d, h, mi] = v.split(/[-T:]/).map(Number);
	const t = new Date(Date.UTC(y, mo - 1, d, h, mi));
	return y >= 1 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi;
};

export const chinaTime = z
	.string({ error: 'errors.datetime' })
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: 'errors.datetime' })
	.refine(realMinute, { error: 'errors.datetime' });

export const voteSetupSchema = z.object({
	issue_id: uuid,
	question: text(200),
	description: text(2000, false).default(''),
	kind: z.enum(VOTE_KINDS, { error: 'errors.invalid_choice' }),
	matter: z.preprocess(blank, z.coerce.number({ error: 'errors.invalid_choice' }).int().min(1).max(9).optional()),
	rule: z.preprocess(blank, z.enum(CONSULTATIVE_RULES, { error: 'errors.invalid_choice' }).optional()),
	electorate_kind: z.preprocess(blank, z.enum(ELECTORATES, { error: 'errors.invalid_choice' }).optional()),
	scope_area_id: z.preprocess(blank, uuid.optional()),
	/** Custom options, one per line (consultative only); empty for yes / no / abstain. */
	options: text(2100, false).default(''),
	max_choices: z.coerce.number({ error: 'errors.number' }).int({ error: 'errors.number' }).min(1, { error: 'errors.vote_max_choices' }).max(10, { error: 'errors.vote_max_choices' }).default(1),
	quorum_percent: z.preprocess(blank, z.coerce.number({ error: 'errors.number' }).int({ error: 'errors.number' }).min(1, { error: 'errors.vote_quorum' }).max(100, { error: 'errors.vote_quorum' }).optional()),
	opens_at: z.preprocess(blank, chinaTime.optional()),
	closes_at: chinaTime,
	secret: z.boolean({ error: 'errors.invalid_choice' }).default(true),
	live_results: z.boolean({ error: 'errors.invalid_choice' }).default(false)
});
export type VoteSetup = z.infer<typeof voteSetupSchema>;

/**
 * Option positions from radio buttons or checkboxes named "choice", kept as
 * the strings the form sends (checked as a whole, so that a message sits on
 * the field, not on one element); positions() turns them into numbers.
 */
const choice = z.preprocess(
	(v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
	z
		.array(z.string({ error: 'errors.option_unknown' }))
		.min(1, { error: 'errors.choice_required' })
		.max(10, { error: 'errors.too_many_choices' })
		.refine((a) => a.every((x) => /^[1-9][0-9]?$/.test(x)), { error: 'errors.option_unknown' })
);

export const ballotSchema = z.object({ choice, unit_id: z.preprocess(blank, uuid.optional()) });

/** A paper ballot: the unit by building, entrance and room (units, households) or the resident (residents). */
export const paperSchema = z.object({
	choice,
	paper_ref: text(40),
	proxy_name: text(40, false).default(''),
	building_id: z.preprocess(blank, uuid.optional()),
	entrance: text(10, false).default(''),
	room: text(10, false).default(''),
	user_id: z.preprocess(blank, uuid.optional())
});

export const receiptSchema = z.object({ code: text(40) });
