/**
 * Tasks, volunteer teams, party members' service and the time bank (时间银行):
 * the shapes the SQL functions of 20261204130000–20261204130200 return.
 */

export const TASK_KINDS = ['visit', 'repair', 'cleaning', 'escort', 'care', 'event', 'other'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_ELIGIBLE = ['party', 'team', 'resident'] as const;
export type TaskEligible = (typeof TASK_ELIGIBLE)[number];
export type ClaimStatus = 'claimed' | 'started' | 'reported' | 'confirmed' | 'disputed' | 'released';

export interface BoardTask {
	id: string;
	title: string;
	kind: TaskKind;
	needed: string;
	area_id: string | null;
	area_name: string | null;
	starts_at: string;
	ends_at: string;
	slots: number;
	left: number;
	est_hours: number;
	eligible: TaskEligible;
	team_name: string | null;
	issue_title: string | null;
	near: 'building' | 'courtyard' | 'estate';
	claimed: boolean;
	may_claim: boolean;
}

export interface MyClaim {
	id: string;
	task_id: string;
	title: string;
	status: ClaimStatus;
	starts_at: string;
	ends_at: string;
	hours: number | null;
}

export interface ToConfirm {
	id: string;
	task_id: string;
	title: string;
	status: ClaimStatus;
	name: string;
	hours: number;
	report: string | null;
}

/** An open vetted micro-wish on the claim board: its published fields only. */
export interface BoardWish {
	id: string;
	title: string;
	category: string;
	body: string | null;
	shown_name: string;
	area_id: string | null;
	area_name: string | null;
	est_hours: number;
	estimated_cost: number | null;
	vetted_at: string;
	near: 'building' | 'courtyard' | 'estate';
	may_claim: boolean;
}

/** A wish the caller claimed and has still to fulfil. */
export interface MyWish {
	id: string;
	title: string;
	status: 'claimed';
	claimed_at: string;
	est_hours: number;
}

export interface ClaimBoard {
	building_id: string | null;
	courtyard_id: string | null;
	tasks: BoardTask[];
	wishes: BoardWish[];
	my_wishes: MyWish[];
	may_claim_wishes: boolean;
	my_claims: MyClaim[];
	to_confirm: ToConfirm[];
}

export interface TaskDetail {
	task: {
		id: string;
		estate_id: string;
		issue_id: string | null;
		issue_title: string | null;
		kind: TaskKind;
		title: string;
		needed: string;
		area_id: string | null;
		area_name: string | null;
		point_x: number | null;
		point_y: number | null;
		starts_at: string;
		ends_at: string;
		slots: number;
		left: number;
		est_hours: number;
		eligible: TaskEligible;
		team_id: string | null;
		team_name: string | null;
		checkin: boolean;
		status: 'open' | 'closed' | 'cancelled';
		created_at: string;
	};
	mine: { id: string; status: ClaimStatus; hours: number | null; report: string | null; dispute_reason: string | null; assigned: boolean } | null;
	may_claim: boolean;
	is_staff: boolean;
	may_decide: boolean;
	checkin_code: string | null;
	claims: Array<{
		id: string;
		user_id: string;
		name: string;
		status: ClaimStatus;
		hours: number | null;
		report: string | null;
		photo_path: string | null;
		reported_at: string | null;
		dispute_reason: string | null;
		assigned: boolean;
	}>;
}

export interface TeamListItem {
	id: string;
	name: string;
	about: string | null;
	members: number;
	mine: boolean;
}

export interface TeamPage {
	team: { id: string; estate_id: string; name: string; about: string | null; created_at: string };
	members: Array<{ user_id: string; name: string; role: 'leader' | 'member'; skills: string[]; availability: string | null; joined_at: string }>;
	mine: { role: 'leader' | 'member'; shown_name: string | null; skills: string[]; availability: string | null } | null;
	may_manage: boolean;
	/** The caller's own request to join, waiting for a leader. */
	my_request: { asked_at: string } | null;
	/** Whether the caller decides requests (a leader of the team, or the committee). */
	may_decide: boolean;
	requests: Array<{ user_id: string; name: string; skills: string[]; availability: string | null; asked_at: string }>;
	open_tasks: Array<{ id: string; title: string; starts_at: string; left: number; est_hours: number }>;
	hours: number;
}

export type LedgerCategory = 'earned' | 'over_cap' | 'spent' | 'donated' | 'transferred' | 'reversal';

export interface TimeStatement {
	community_id: string;
	user_id: string;
	name: string;
	elder: boolean;
	hours: number;
	coins: number;
	served_this_year: number;
	entries: Array<{
		id: number;
		movement_id: string;
		unit: 'hour' | 'coin';
		amount: number;
		balance_after: number;
		category: LedgerCategory;
		source_kind: string | null;
		source_id: string | null;
		note: string | null;
		created_at: string;
		reverses: string | null;
		counterparty: string | null;
		task_title: string | null;
	}>;
	more_before: number | null;
}

export interface WorkSettings {
	community_id: string;
	party_yearly_hours: number;
	monthly_claim_cap: number;
	coin_rates: Record<string, number>;
	default_coin_rate: number;
	daily_coin_cap: number;
	yearly_hour_cap: number;
	release_cutoff_hours: number;
	no_show_minutes: number;
}

export interface ServiceRecord {
	user_id: string;
	name: string;
	community_name: string;
	branch: string | null;
	year: number;
	quarters: number[];
	total: number;
	asked: number;
	tasks: Array<{ title: string; starts_at: string; hours: number; confirmed_at: string }>;
	card: { code: string; issued_at: string; total: number } | null;
}

export interface ServiceCard {
	name: string;
	branch: string;
	community_name: string;
	year: number;
	quarters: number[];
	total: number;
	asked: number;
	issued_at: string;
}
