/**
 * Meetings (议事会 and the other kinds): what the SQL functions of scheduling
 * and attendance return. No zod here, so that the meeting pages stay light
 * (schemas: meeting-schemas.ts).
 */

export const MEETING_KINDS = ['council', 'residents', 'hearing', 'owners'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_ADMISSIONS = ['open', 'invited', 'representatives'] as const;
export type MeetingAdmission = (typeof MEETING_ADMISSIONS)[number];
export type MeetingStatus = 'scheduled' | 'in_session' | 'closed' | 'cancelled';

export interface MeetingListItem {
	id: string;
	kind: MeetingKind;
	title: string;
	status: MeetingStatus;
	starts_at: string;
	ends_at: string;
	place: string;
	admission: MeetingAdmission;
	items: number;
	registered: number;
	mine: boolean;
}

export interface MeetingCandidate {
	id: string;
	name: string;
	roles: string[];
}

export interface EstateMeetings {
	can_schedule: boolean;
	/** Who may chair, record or be invited: for those who may schedule. */
	candidates: MeetingCandidate[];
	meetings: MeetingListItem[];
}

/** The quorum for the kind of meeting: counts only (meeting_quorum). */
export type Quorum =
	| { kind: 'owners'; rule: 'two_thirds'; met: boolean; people: number; proxies: number; area: number; area_total: number; owners: number; owners_total: number }
	| { kind: 'residents'; rule: 'more_than_half'; met: boolean; people: number; proxies: number; electors: number; households: number; households_total: number }
	| { kind: 'council' | 'hearing'; rule: 'none'; met: null; people: number; proxies: number; electors: number };

export interface AgendaItem {
	id: string;
	position: number;
	title: string;
	planned_minutes: number;
	status: 'pending' | 'current' | 'done' | 'skipped';
	issue_id: string | null;
	issue_title: string | null;
	issue_status: string | null;
}

/** A meeting's rules of procedure (meetings columns), with the 南塘 defaults set when it is scheduled. */
export interface MeetingRules {
	seconds_needed: number;
	speech_seconds: number;
	speeches_per_motion: number;
	alternate_stances: boolean;
	first_speakers_first: boolean;
	hands_rule: 'more_yes' | 'majority_cast';
}

export interface MeetingNotice {
	meeting: MeetingRules & {
		id: string;
		estate_id: string;
		estate_name: string;
		kind: MeetingKind;
		title: string;
		description: string;
		starts_at: string;
		ends_at: string;
		place: string;
		online_url: string | null;
		scope_area_id: string | null;
		scope_name: string | null;
		admission: MeetingAdmission;
		status: MeetingStatus;
		max_proxies: number;
		anonymous: boolean;
		/** Named for the estate's members only. */
		chair: string | null;
		recorder: string | null;
		chair_id: string | null;
		recorder_id: string | null;
	};
	invitees: { id: string; name: string | null }[];
	agenda: AgendaItem[];
	quorum: Quorum | null;
	mine: { id: string; registered: boolean; checked_in: boolean; checked_out: boolean } | null;
	is_member: boolean;
	can_manage: boolean;
	/** For the form that changes the meeting (moderators): who may chair, record or be invited. */
	candidates: MeetingCandidate[];
	/** For the agenda form (moderators, scheduled meetings): accepted and deliberating issues not on the agenda. */
	candidate_issues: { id: string; title: string; status: string }[];
	can_register: boolean;
	can_check_in: boolean;
}

export interface DoorListEntry {
	id: string;
	user_id: string | null;
	name: string;
	has_account: boolean;
	unit: string | null;
	registered_at: string | null;
	checked_in_at: string | null;
	checked_out_at: string | null;
	by_moderator: boolean;
	present: boolean;
	proxies: number;
}

export interface DoorListProxy {
	id: string;
	holder_id: string;
	holder: string;
	absent: string;
	absent_unit: string | null;
	has_letter: boolean;
	created_at: string;
	revoked_at: string | null;
	/** Live, and its holder present. */
	counts: boolean;
}

export interface DoorList {
	checkin_code: string;
	attendance: DoorListEntry[];
	proxies: DoorListProxy[];
	members: { id: string; name: string; unit: string | null }[];
	units: { id: string; label: string }[];
}
