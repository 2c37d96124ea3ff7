import { z } from 'zod';

/** The nine matters of Civil Code art. 278; 6–8 need three quarters of the participants. */
export const MATTERS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
export const SPECIAL_MATTERS: readonly number[] = [6, 7, 8];
export const VOTE_KINDS = ['owners', 'consultative'] as const;
export const CONSULTATIVE_RULES = ['more_yes', 'majority_cast', 'residents_meeting'] as const;
export const ELECTORATES = ['residents', 'households'] as const;

const text = (max: number, required = true) => {
	const s = z.string({ error: 'errors.required' }).trim().max(max, { error: 'errors.too_long' });
	return required ? s.min(1, { error: 'errors.required' }) : s;
};
const uuid = z.uuid({ error: 'errors.invalid_choice' });
/** An empty select or text field is "not given". */
const blank = (v: unknown) => (v === '' || v === null ? undefined : v);

/**
 * A time from a datetime-local field. Estates are in China: the field's wall
 * time is read as China Standard Time (UTC+8, no daylight saving).
 */
export const chinaTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: 'errors.datetime' });

/** A datetime-local value as an instant. */
export function fromChinaLocal(local: string): string {
	return new Date(`${local}:00+08:00`).toISOString();
}

/** An instant as a datetime-local value in China Standard Time. */
export function toChinaLocal(iso: string): string {
	return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

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
	secret: z.boolean().default(true),
	live_results: z.boolean().default(false)
});
export type VoteSetup = z.infer<typeof voteSetupSchema>;

/** The lines of the options field, trimmed, without blank ones. */
export function optionLines(s: string): string[] {
	return s
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
}

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

/** The chosen option positions as numbers. */
export function positions(choice: string[]): number[] {
	return choice.map(Number);
}

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

type T = (key: string, params?: Record<string, string | number>) => string;

/** A share as a percentage with one decimal, for display only: the decision itself is exact, in SQL. */
export function percent(num: number, den: number, locale: string): string {
	if (!den) return '—';
	return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(num / den);
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
		t(`vote.check.${c.key}`, {
			pct: percent(c.num, c.den, locale),
			num: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(c.num),
			den: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(c.den),
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
