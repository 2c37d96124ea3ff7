import { z } from 'zod';
import { text, uuid } from './fields';
import { CHAIR_VOTES, STANCES } from './meeting-room';
import { chinaTime } from './vote-schemas';

/** What the meeting room's forms accept; checked again by the SQL functions. */

const count = z.coerce
	.number({ error: 'errors.count_invalid' })
	.int({ error: 'errors.count_invalid' })
	.min(0, { error: 'errors.count_invalid' })
	.max(100_000, { error: 'errors.count_invalid' });
/** An optional id from a list: empty means "myself". */
const optionalId = z
	.string({ error: 'errors.invalid_choice' })
	.trim()
	.refine((v) => v === '' || uuid.safeParse(v).success, { error: 'errors.invalid_choice' })
	.default('');
/** A count that may be left empty (not asked for). */
const optionalCount = z
	.string({ error: 'errors.count_invalid' })
	.trim()
	.regex(/^(\d{1,6})?$/, { error: 'errors.count_invalid' })
	.default('');

export const moveMotionSchema = z.object({ body: text(1000), attendance_id: optionalId });
export const secondSchema = z.object({ motion_id: uuid, attendance_id: optionalId });
export const motionSchema = z.object({ motion_id: uuid });
export const raiseHandSchema = z.object({ motion_id: uuid, stance: z.enum(STANCES, { error: 'errors.stance_invalid' }) });
export const addSpeakerSchema = raiseHandSchema.extend({ attendance_id: uuid });
export const speechSchema = z.object({ speech_id: uuid });
export const itemSchema = z.object({ item_id: uuid });
export const chairSchema = z.object({ user_id: uuid });
export const closeDebateSchema = z
	.object({
		motion_id: uuid,
		yes: optionalCount,
		no: optionalCount
	})
	.refine((d) => (d.yes === '') === (d.no === ''), { error: 'errors.count_invalid', path: ['no'] });
export const handsSchema = z.object({
	motion_id: uuid,
	yes: count,
	no: count,
	abstain: count,
	chair_vote: z.enum(['', ...CHAIR_VOTES], { error: 'errors.invalid_choice' }).default('')
});
export const extendSchema = z.object({
	seconds: z.coerce
		.number({ error: 'errors.extension_invalid' })
		.int({ error: 'errors.extension_invalid' })
		.min(10, { error: 'errors.extension_invalid' })
		.max(1800, { error: 'errors.extension_invalid' })
});

/** The wording of a decided motion's resolution (决议). */
export const resolutionSchema = z.object({ motion_id: uuid, text: text(500) });

/** An owners' ballot for a motion whose debate closed: the art. 278 matter and when the vote closes (China time). */
export const ballotSchema = z.object({
	motion_id: uuid,
	matter: z.coerce.number({ error: 'errors.vote_matter_required' }).int({ error: 'errors.vote_matter_required' }).min(1, { error: 'errors.vote_matter_required' }).max(9, { error: 'errors.vote_matter_required' }),
	closes_at: chinaTime
});

const rule = (min: number, max: number) =>
	z.coerce.number({ error: 'errors.out_of_range' }).int({ error: 'errors.out_of_range' }).min(min, { error: 'errors.out_of_range' }).max(max, { error: 'errors.out_of_range' });
/**
 * The meeting's rules of procedure, changed by the meeting: the form sends every rule (a box left
 * unticked is "no"), with the limits the database keeps.
 */
export const rulesSchema = z.object({
	speech_seconds: rule(30, 1800),
	speeches_per_motion: rule(1, 10),
	seconds_needed: rule(0, 10),
	alternate_stances: z.boolean({ error: 'errors.invalid_choice' }).default(false),
	first_speakers_first: z.boolean({ error: 'errors.invalid_choice' }).default(false)
});
