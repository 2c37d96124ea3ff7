import type { MeetingRules } from '../../src/lib/domain/meetings';
import type { TestDb } from './harness';
import { addMembership, createUser, type EstateWorld, type World } from './fixtures';

/**
 * Meetings for the room's tests, written with the superuser connection (the
 * scheduling and check-in functions are another part of the capability):
 * a meeting with its agenda and the people checked in, as the room finds it.
 */

let codes = 0;
/** A check-in code no other open meeting of this database has. */
const nextCode = () => String(100000 + ((codes += 7919) % 900000));

export interface MeetingSpec {
	estate: EstateWorld;
	/** The chair's user id. */
	chairId: string | null;
	status?: 'scheduled' | 'in_session' | 'closed';
	/** Agenda item titles, in order (the first is current when in session). */
	items?: string[];
	/** User ids checked in, by a key the test uses. */
	present?: Record<string, string>;
	/** People without an account, checked in by a moderator: key → name. */
	guests?: Record<string, string>;
	/** Rules of procedure to change from the 南塘 defaults. */
	rules?: Partial<MeetingRules>;
}

export interface MeetingRef {
	id: string;
	items: string[];
	/** Attendance ids by the keys of `present` and `guests`. */
	att: Record<string, string>;
}

export async function createMeeting(db: TestDb, spec: MeetingSpec): Promise<MeetingRef> {
	const status = spec.status ?? 'in_session';
	const r = { seconds_needed: 1, speech_seconds: 120, speeches_per_motion: 2, alternate_stances: true, first_speakers_first: true, hands_rule: 'more_yes', ...spec.rules };
	const [{ id }] = await db.sql.query<{ id: string }>(
		`insert into public.meetings (estate_id, kind, title, starts_at, ends_at, place, chair_id, status, checkin_code, opened_at,
		   seconds_needed, speech_seconds, speeches_per_motion, alternate_stances, first_speakers_first, hands_rule)
		 values ($1, 'council', '居民议事会', now() - interval '10 minutes', now() + interval '2 hours', '社区活动室', $2, $3, $4,
		   case when $3 = 'in_session' then now() - interval '5 minutes' end, $5, $6, $7, $8, $9, $10) returning id::text`,
		[spec.estate.id, spec.chairId, status, nextCode(), r.seconds_needed, r.speech_seconds, r.speeches_per_motion, r.alternate_stances, r.first_speakers_first, r.hands_rule]
	);
	const items: string[] = [];
	for (const [i, title] of (spec.items ?? ['电动自行车充电棚', '文明养犬']).entries()) {
		const current = status === 'in_session' && i === 0;
		const [row] = await db.sql.query<{ id: string }>(
			`insert into public.agenda_items (meeting_id, position, title, status, started_at) values ($1, $2, $3, $4, $5) returning id::text`,
			[id, i + 1, title, current ? 'current' : 'pending', current ? new Date().toISOString() : null]
		);
		items.push(row.id);
	}
	if (status === 'in_session') await db.sql.query('update public.meetings set current_item_id = $2 where id = $1', [id, items[0]]);
	const att: Record<string, string> = {};
	for (const [key, userId] of Object.entries(spec.present ?? {})) {
		const [row] = await db.sql.query<{ id: string }>(
			`insert into public.meeting_attendance (meeting_id, user_id, checked_in_at) values ($1, $2, now()) returning id::text`,
			[id, userId]
		);
		att[key] = row.id;
	}
	for (const [key, name] of Object.entries(spec.guests ?? {})) {
		const [row] = await db.sql.query<{ id: string }>(
			`insert into public.meeting_attendance (meeting_id, name, checked_in_at) values ($1, $2, now()) returning id::text`,
			[id, name]
		);
		att[key] = row.id;
	}
	return { id, items, att };
}

/** Residents of estate A beyond the world's, for queues of several people: 居民甲, 居民乙, 居民丙. */
export async function extraResidents(db: TestDb, w: World) {
	const out: Record<'jia' | 'yi' | 'bing', string> = { jia: '', yi: '', bing: '' };
	for (const [key, name] of [['jia', '居民甲'], ['yi', '居民乙'], ['bing', '居民丙']] as const) {
		out[key] = await createUser(db, name);
		await addMembership(db, { estateId: w.a.id, userId: out[key], status: 'verified' });
	}
	return out;
}

/**
 * The room's rows for the RLS matrix and the definers test: in each estate a
 * meeting in session (A chaired by the volunteer, B by committeeB) with a
 * motion in debate moved by one attendee and seconded by another, and a hand
 * up on it.
 *   A: resident moved, committee seconded, moderator waiting (for)
 *   B: otherEstate moved, committeeB seconded, otherEstate waiting (against)
 */
export interface RoomWorld {
	a: { meeting: string; item: string; motion: string; speech: string; att: Record<string, string> };
	b: { meeting: string; item: string; motion: string; speech: string; att: Record<string, string> };
}

export async function seedMeetingRoom(db: TestDb, w: World): Promise<RoomWorld> {
	const room = async (estate: EstateWorld, chairId: string, present: Record<string, string>, mover: string, seconder: string, speaker: string, stance: string) => {
		const m = await createMeeting(db, { estate, chairId, present });
		const [{ id: motion }] = await db.sql.query<{ id: string }>(
			`insert into public.motions (meeting_id, agenda_item_id, mover_id, body, status, debate_opened_at) values ($1, $2, $3, '建议在南苑建充电棚', 'debating', now()) returning id::text`,
			[m.id, m.items[0], m.att[mover]]
		);
		await db.sql.query('insert into public.motion_seconds (motion_id, attendance_id) values ($1, $2)', [motion, m.att[seconder]]);
		const [{ id: speech }] = await db.sql.query<{ id: string }>(
			`insert into public.speeches (meeting_id, motion_id, attendance_id, stance, queued_by) values ($1, $2, $3, $4, $5) returning id::text`,
			[m.id, motion, m.att[speaker], stance, present[speaker]]
		);
		return { meeting: m.id, item: m.items[0], motion, speech, att: m.att };
	};
	const u = w.users;
	return {
		a: await room(w.a, u.volunteer, { resident: u.resident, committee: u.committee, moderator: u.moderator, volunteer: u.volunteer }, 'resident', 'committee', 'moderator', 'for'),
		b: await room(w.b, u.committeeB, { otherEstate: u.otherEstate, committeeB: u.committeeB }, 'otherEstate', 'committeeB', 'otherEstate', 'against')
	};
}
