/**
 * The meeting room (议事会现场): what meeting_room returns, and the timer's
 * arithmetic. No zod here, so that the room's pages stay light (schemas:
 * meeting-room-schemas.ts).
 */

import type { MeetingRules, Quorum } from './meetings';

export const STANCES = ['for', 'against', 'question', 'order'] as const;
export type Stance = (typeof STANCES)[number];
export const CHAIR_VOTES = ['yes', 'no', 'abstain'] as const;

export interface RoomMotion {
	id: string;
	body: string;
	status: 'moved' | 'debating' | 'voting' | 'carried' | 'failed' | 'withdrawn';
	mover_id: string;
	mover_name: string | null;
	mine: boolean;
	moved_at: string;
	debate_opened_at: string | null;
	decided_at: string | null;
	method: 'hands' | 'ballot' | null;
	yes: number | null;
	no: number | null;
	abstain: number | null;
	/** The vote of the votes capability deciding it, when it was put to a ballot. */
	vote_id: string | null;
	/** The wording of its resolution (决议), once decided and recorded. */
	resolution: string | null;
	resolved_at: string | null;
	seconds: { attendance_id: string; name: string | null }[];
	seconded_by_me: boolean;
}

export interface RoomSpeech {
	id: string;
	attendance_id: string;
	name: string | null;
	stance: Stance;
	mine: boolean;
}

export interface MeetingRoom {
	server_now: string;
	meeting: MeetingRules & {
		id: string;
		estate_id: string;
		kind: string;
		title: string;
		status: 'scheduled' | 'in_session' | 'closed' | 'cancelled';
		place: string;
		starts_at: string;
		ends_at: string;
		opened_at: string | null;
		closed_at: string | null;
		current_item_id: string | null;
		chair_name: string | null;
		/** When the meeting last changed its rules of procedure (null: never). */
		rules_changed_at: string | null;
	};
	me: { attendance_id: string | null; in_room: boolean; is_chair: boolean; runs: boolean; waiting_speech_id: string | null; speeches_used: number };
	items: { id: string; position: number; title: string; status: 'pending' | 'current' | 'done' | 'skipped'; outcome: 'carried' | 'failed' | null; issue_id: string | null; planned_minutes: number }[];
	motions: RoomMotion[];
	/** In the order the chair will give the floor. */
	queue: (RoomSpeech & { queued_at: string; first_time: boolean })[];
	speaker: (RoomSpeech & { motion_id: string; floor_at: string; ends_at: string }) | null;
	present: number;
	/** The live quorum bar: counts for the kind of meeting. */
	quorum: Quorum;
	/** Who is in the room, for those who run the meeting (to queue, move or second for them); empty for others. */
	attendees: { id: string; user_id: string | null; name: string | null }[];
}

/** The room's live signal (topic meeting:<id>): counts and times only. */
export interface MeetingSignal {
	status: string;
	current_item_id: string | null;
	version: number | null;
	waiting: number;
	speaking_ends_at: string | null;
	present: number;
}

/** The motion of the current item that is open (moved, in debate or being voted on), if any. */
export function openMotion(room: Pick<MeetingRoom, 'motions'>): RoomMotion | undefined {
	return room.motions.find((m) => m.status === 'moved' || m.status === 'debating' || m.status === 'voting');
}

/**
 * Seconds left of a speech, on the server's clock: `offset` is the server's
 * clock minus this browser's (ms). Negative once the time is up.
 */
export function secondsLeft(endsAt: string, nowMs: number, offset: number): number {
	return Math.ceil((Date.parse(endsAt) - (nowMs + offset)) / 1000);
}

/** m:ss of a number of seconds (its absolute value: the overtime is shown as such beside it). */
export function clock(seconds: number): string {
	const s = Math.abs(seconds);
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
