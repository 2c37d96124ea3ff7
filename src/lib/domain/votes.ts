/** The vote vocabulary, types and plain-words formatting: no zod here, so that vote pages stay light (schemas: vote-schemas.ts). */
import { formatNumber, formatPercent } from '$lib/format';
import { messageKey, type Translate } from '$lib/i18n';

/** The nine matters of Civil Code art. 278; 6–8 need three quarters of the participants. */
export const MATTERS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
export const SPECIAL_MATTERS: readonly number[] = [6, 7, 8];
export const VOTE_KINDS = ['owners', 'consultative'] as const;
export const CONSULTATIVE_RULES = ['more_yes', 'majority_cast', 'residents_meeting'] as const;
export const ELECTORATES = ['residents', 'households'] as const;


/** The lines of the options field, trimmed, without blank ones. */
export function optionLines(s: string): string[] {
	return s
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
}

/** The chosen option positions as numbers. */
export function positions(choice: string[]): number[] {
	return choice.map(Number);
}

export interface VoteOption {
	position: number;
	role: 'yes' | 'no' | 'abstain' | 'custom';
	label: string | null;
}
export interface Check {
	key: string;
	num: number;
	den: number;
	need: string | null;
	op: '>=' | '>' | 'more';
	ok: boolean;
}
export interface VoteResult {
	outcome: 'passed' | 'failed' | 'winner' | 'tie' | 'invalid';
	winners: number[];
	options: Array<VoteOption & { ballots: number; area: number; owners: number }>;
	turnout: Turnout;
	checks: Check[];
	provisional: boolean;
	tallied_at?: string;
}
export interface Turnout {
	electors: number;
	ballots: number;
	area: number;
	area_total?: number;
	owners: number;
	owners_total?: number;
	status?: string;
	closes_at?: string;
}
export interface VoteDetail {
	vote: {
		id: string;
		estate_id: string;
		issue_id: string;
		issue_title: string;
		question: string;
		description: string;
		kind: 'owners' | 'consultative';
		matter: number | null;
		rule: string;
		electorate_kind: 'units' | 'residents' | 'households';
		scope: { id: string; name: string; kind: string } | null;
		max_choices: number;
		quorum_percent: number | null;
		secret: boolean;
		live_results: boolean;
		opens_at: string;
		closes_at: string;
		status: 'scheduled' | 'open' | 'closed';
		options: VoteOption[];
	};
	electorate: { electors: number | null; owners: number | null; area: number | null };
	turnout: (Turnout & { area_total: number; owners_total: number }) | null;
	mine: Array<{
		unit_id: string | null;
		label: string;
		floor_area: number;
		ballot: { mine: true; choice: number[]; receipt: string; at: string } | { mine: false; channel: 'online' | 'paper'; at: string } | null;
	}>;
	actions: { paper: boolean; not_voted: boolean; close_early: boolean };
	result: VoteResult | null;
	conflicts: Array<{ label: string; channel: string; paper_ref: string | null; at: string; current: boolean }> | null;
	/** For the committee: owner links an administrator changed while the vote was open (from the audit log). */
	register_changes: Array<{ at: string; action: string; label: string; from: string | null; to: string | null; actor: string | null }> | null;
}
export interface VoteListItem {
	id: string;
	question: string;
	kind: 'owners' | 'consultative';
	status: 'scheduled' | 'open' | 'closed';
	opens_at: string;
	closes_at: string;
	issue_id: string;
	issue_title: string;
	outcome: VoteResult['outcome'] | null;
}

type T = Translate;

/** A share as a percentage with one decimal, for display only: the decision itself is exact, in SQL. */
export function percent(num: number, den: number, locale: string): string {
	if (!den) return '—';
	return formatPercent(num / den, locale);
}

/** The threshold of a check as people say it: 2/3, 1/2, 3/4, or 60% for a quorum. */
function needText(c: Check): string {
	if (!c.need) return '';
	const [a, b] = c.need.split('/');
	return b === '100' ? `${a}%` : c.need;
}

/** An option's name: translated for yes / no / abstain, else the committee's label. */
export function optionLabel(o: Pick<VoteOption, 'role' | 'label'>, t: T): string {
	return o.role === 'custom' ? (o.label ?? '') : t(`vote.option.${o.role}`);
}

/**
 * The result in plain words, e.g. "参与表决面积 70.2%（≥ 2/3 ✓）；参与表决人数
 * 68.0%（≥ 2/3 ✓）；同意面积 80.1%（≥ 3/4 ✓）；同意人数 77.3%（≥ 3/4 ✓）→ 通过".
 */
export function explainResult(result: Pick<VoteResult, 'checks' | 'outcome' | 'winners' | 'options'>, t: T, locale: string): string {
	const parts = result.checks.map((c) =>
		t(messageKey(`vote.check.${c.key}`), {
			pct: percent(c.num, c.den, locale),
			num: formatNumber(c.num, locale),
			den: formatNumber(c.den, locale),
			op: c.op === '>=' ? '≥' : '>',
			need: needText(c),
			mark: c.ok ? '✓' : '✗'
		})
	);
	let outcome = t(`vote.outcome.${result.outcome}`);
	if (result.outcome === 'winner' || result.outcome === 'tie') {
		const names = result.winners.map((p) => result.options.find((o) => o.position === p)).filter((o) => o !== undefined).map((o) => optionLabel(o, t));
		outcome += t('vote.outcome.names', { names: names.join(t('vote.explain.and')) });
	}
	return parts.length ? `${parts.join(t('vote.explain.sep'))} → ${outcome}` : outcome;
}

/** What the vote set-up page offers for an issue (vote_setup). */
export interface VoteSetupData {
	issue: { id: string; estate_id: string; title: string; status: string };
	allowed: boolean;
	areas: Array<{ id: string; name: string; kind: 'courtyard' | 'building'; units: number }>;
	units: number;
}
