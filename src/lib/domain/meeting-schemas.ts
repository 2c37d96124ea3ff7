import { z } from 'zod';
import { MEETING_ADMISSIONS, MEETING_KINDS } from './meetings';
import { chinaTime } from './vote-schemas';
import { text, uuid } from './fields';

/** What the meeting forms accept; checked again by the SQL functions. */

/** An empty select or text field is "not given". */
const blank = (v: unknown) => (v === '' || v === null ? undefined : v);
const whole = (min: number, max: number) =>
	z.coerce.number({ error: 'errors.number' }).int({ error: 'errors.number' }).min(min, { error: 'errors.out_of_range' }).max(max, { error: 'errors.out_of_range' });
/** Checkboxes of one name: none, one or many ids. */
const ids = z.preprocess(
	(v) => (v === undefined || v === '' || v === null ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v]),
	z.array(uuid).max(500, { error: 'errors.too_long' })
);

export const meetingSchema = z.object({
	kind: z.enum(MEETING_KINDS, { error: 'errors.meeting_kind_unknown' }),
	title: text(120),
	description: text(2000, false).default(''),
	starts_at: chinaTime,
	ends_at: chinaTime,
	place: text(120),
	online_url: text(300, false)
		.default('')
		.refine((s) => s === '' || /^https:\/\/[^\s/]+\.\S+$/.test(s), { error: 'errors.meeting_url_invalid' }),
	chair_id: z.preprocess(blank, uuid.optional()),
	recorder_id: z.preprocess(blank, uuid.optional()),
	admission: z.enum(MEETING_ADMISSIONS, { error: 'errors.invalid_choice' }).default('open'),
	invitee_ids: ids,
	max_proxies: whole(0, 10).default(2),
	seconds_needed: whole(0, 10).default(1),
	speech_seconds: whole(30, 1800).default(120),
	speeches_per_motion: whole(1, 10).default(2)
});
export type MeetingForm = z.infer<typeof meetingSchema>;

export const cancelSchema = z.object({ reason: text(500) });

export const agendaItemSchema = z
	.object({
		issue_id: z.preprocess(blank, uuid.optional()),
		title: text(120, false).default(''),
		planned_minutes: whole(1, 240).default(15)
	})
	.refine((a) => a.issue_id !== undefined || a.title.length > 0, { error: 'errors.title_invalid', path: ['title'] });

export const agendaMoveSchema = z.object({ item_id: uuid, direction: z.enum(['up', 'down'], { error: 'errors.invalid_choice' }) });
export const agendaRemoveSchema = z.object({ item_id: uuid });

export const checkInCodeSchema = z.object({
	code: z.string({ error: 'errors.required' }).trim().regex(/^[0-9]{6}$/, { error: 'errors.checkin_code_wrong' })
});

/** The door: a member from the list, someone on the list again, or a person without an account by name and unit. */
export const doorCheckInSchema = z
	.object({
		attendance_id: z.preprocess(blank, uuid.optional()),
		user_id: z.preprocess(blank, uuid.optional()),
		name: text(40, false).default(''),
		unit_id: z.preprocess(blank, uuid.optional())
	})
	.refine((a) => a.attendance_id !== undefined || a.user_id !== undefined || a.name.length > 0, { error: 'errors.name_invalid', path: ['name'] })
	// One person at a time: the door's forms each send one of the three.
	.refine((a) => [a.attendance_id !== undefined, a.user_id !== undefined, a.name.length > 0].filter(Boolean).length <= 1, {
		error: 'errors.checkin_one_person',
		path: ['name']
	});

export const checkOutSchema = z.object({ attendance_id: uuid });

export const proxySchema = z.object({
	holder_id: uuid,
	absent_name: text(40),
	absent_unit_id: z.preprocess(blank, uuid.optional()),
	/** The photo of the signed letter: checked by content and stored by the photo pipeline. */
	letter: z
		.instanceof(File, { error: 'errors.proxy_letter_required' })
		.refine((f) => f.size > 0, { error: 'errors.proxy_letter_required' })
});

export const revokeProxySchema = z.object({ proxy_id: uuid });
