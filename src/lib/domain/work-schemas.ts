import { z } from 'zod';
import { text, uuid } from './fields';
import { chinaTime } from './vote-schemas';
import { TASK_ELIGIBLE, TASK_KINDS } from './work';

/** What the task, team and time bank forms accept; checked again by the SQL functions. */

const blank = (v: unknown) => (v === '' || v === null ? undefined : v);

/** Hours in tenths (1.5), more than zero and at most a day. */
const hours = z.coerce
	.number({ error: 'errors.hours_invalid' })
	.positive({ error: 'errors.hours_invalid' })
	.max(24, { error: 'errors.hours_invalid' })
	.refine((h) => Math.round(h * 10) === h * 10, { error: 'errors.hours_invalid' });

export const postTaskSchema = z.object({
	title: text(80),
	needed: text(1000),
	kind: z.enum(TASK_KINDS, { error: 'errors.invalid_choice' }).default('other'),
	eligible: z.enum(TASK_ELIGIBLE, { error: 'errors.invalid_choice' }).default('resident'),
	team_id: z.preprocess(blank, uuid.optional()),
	issue_id: z.preprocess(blank, uuid.optional()),
	area_id: z.preprocess(blank, uuid.optional()),
	starts_at: chinaTime,
	ends_at: chinaTime,
	slots: z.coerce.number({ error: 'errors.task_slots_invalid' }).int({ error: 'errors.task_slots_invalid' }).min(1, { error: 'errors.task_slots_invalid' }).max(200, { error: 'errors.task_slots_invalid' }).default(1),
	est_hours: hours,
	checkin: z.boolean({ error: 'errors.invalid_choice' }).default(false)
});

/** One claim, for the one-button forms on a claim (release, start). */
export const claimSchema = z.object({ claim_id: uuid, code: text(40, false).default('') });
export const taskSchema = z.object({ task_id: uuid });

export const reportSchema = z.object({
	claim_id: uuid,
	hours,
	report: text(500, false).default('')
});

export const confirmSchema = z
	.object({
		claim_id: uuid,
		decision: z.enum(['confirm', 'dispute'], { error: 'errors.invalid_choice' }),
		reason: text(300, false).default('')
	})
	.refine((c) => c.decision === 'confirm' || c.reason.length > 0, { error: 'errors.reason_required', path: ['reason'] });

export const assignSchema = z.object({ user_id: uuid });

export const joinTeamSchema = z.object({
	shown_name: text(20, false).default(''),
	/** Skills, separated by commas or 、 (at most 10 of 20 characters). */
	skills: text(250, false).default(''),
	availability: text(100, false).default('')
});

/** A leader's or the committee's answer to a request to join a team. */
export const teamRequestSchema = z.object({
	user_id: uuid,
	decision: z.enum(['approve', 'decline'], { error: 'errors.invalid_choice' })
});

/** The committee makes a member a leader of the team, or a leader a member again. */
export const teamLeaderSchema = z.object({
	user_id: uuid,
	leader: z.enum(['yes', 'no'], { error: 'errors.invalid_choice' })
});

/** The committee creates a team of its estate; its first leader is the caller unless one is chosen. */
export const createTeamSchema = z.object({
	name: text(40),
	about: text(500, false).default('')
});

export const transferSchema = z
	.object({
		purpose: z.enum(['transferred', 'donated', 'spent'], { error: 'errors.invalid_choice' }),
		unit: z.enum(['coin', 'hour'], { error: 'errors.invalid_choice' }).default('coin'),
		to: z.preprocess(blank, uuid.optional()),
		amount: z.coerce
			.number({ error: 'errors.amount_invalid' })
			.positive({ error: 'errors.amount_invalid' })
			.max(10000, { error: 'errors.amount_invalid' })
			.refine((a) => Math.round(a * 100) === a * 100, { error: 'errors.amount_invalid' }),
		note: text(200, false).default('')
	})
	.refine((t) => t.purpose === 'donated' || t.to !== undefined, { error: 'errors.transfer_recipient_required', path: ['to'] });

export const registerPartySchema = z.object({ branch: text(60) });

/** Skills as typed: split at commas, 、 or spaces. */
export function toSkills(s: string): string[] {
	return s
		.split(/[,，、\s]+/)
		.map((x) => x.trim())
		.filter(Boolean);
}
