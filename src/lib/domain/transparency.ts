/**
 * Transparency pages, the street roll-up and the committee dashboard: what the
 * SQL functions return (docs/api.md "Transparency"). A null in `overdue`,
 * `satisfaction`, `progress`, `next_milestone` or `before_after` means "not
 * measured yet" (the plans capability adds them), never zero.
 */

export const STAGES = ['accept', 'decide', 'complete'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageFigure {
	/** Lower median of whole days (durations rounded down); null when no issue went through the stage. */
	median: number | null;
	n: number;
}

export interface Figures {
	issues: number;
	by_status: Record<string, number>;
	done: number;
	completion_rate: number | null;
	stages: Record<Stage, StageFigure>;
	last_30_days: { proposed: number; completed: number };
	overdue: number | null;
	satisfaction: number | null;
}

export interface Ref {
	id: string;
	name: string;
}

export interface VoteOutcome {
	id: string;
	question: string;
	kind: 'consultative' | 'owners';
	closes_at: string;
	outcome: 'passed' | 'failed' | 'winner' | 'tie' | 'invalid';
	electors: number | null;
	ballots: number | null;
	options: Array<{ position: number; role: string; label: string | null; ballots: number | null; winner: boolean }>;
}

export interface DecisionItem {
	id: string;
	title: string;
	status: string;
	category: string;
	area: string;
	decided_at: string | null;
	vote: VoteOutcome | null;
	publication: { id: string; title: string; status: string; closes_at: string; final_at: string | null } | null;
}

export interface WorkItem {
	id: string;
	title: string;
	status: string;
	category: string;
	area: string;
	since?: string | null;
	completed_at?: string | null;
	progress?: number | null;
	next_milestone?: unknown;
	before_after?: unknown;
	satisfaction?: number | null;
}

export interface EstateTransparency {
	estate: Ref & { board_public: boolean; community: Ref; street: Ref | null };
	figures: Figures;
	lists_visible: boolean;
	decisions: DecisionItem[];
	in_progress: WorkItem[];
	completed: WorkItem[];
	following_up: WorkItem[];
}

export interface CommunityTransparency {
	community: Ref & { district: string | null; street: Ref | null };
	figures: Figures;
	estates: Array<Ref & { board_public: boolean; figures: Figures }>;
	hidden_estates: number;
}

export interface StreetRollup {
	street: Ref & { district: string | null };
	figures: Figures;
	communities: Array<Ref & { district: string | null; estates: number; figures: Figures }>;
}

export interface CommitteeDashboard {
	estate: Ref;
	figures: Figures;
	stale_days: number;
	/** How many open items had no timeline entry for stale_days; `stale` lists the 50 oldest. */
	stale_count: number;
	stale: Array<{ id: string; title: string; status: string; area: string; last_event_at: string }>;
	per_area: Array<{ id: string; name: string; kind: string; open: number; total: number }>;
	overdue: number | null;
	satisfaction: number | null;
}

/** The lifecycle's order, for charts of issues by status. */
export const STATUS_ORDER = [
	'proposed',
	'accepted',
	'deliberating',
	'voting',
	'approved',
	'publicized',
	'in_progress',
	'completed',
	'evaluated',
	'following_up',
	'rejected',
	'declined',
	'merged',
	'withdrawn'
] as const;
