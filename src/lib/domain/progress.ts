import { z } from 'zod';
import { text, uuid } from './fields';
import { UUID } from './patterns';

/** A plan's milestone as item_progress returns it. */
export interface PlanMilestone {
	id: string;
	title: string;
	planned_on: string | null;
	weight: number;
	done: boolean;
	done_at: string | null;
	/** The progress note that is its evidence; null: done without evidence (无照片). */
	evidence_id: string | null;
	/** How many photos its evidence has. */
	photos: number;
}

/** A work item with the formula's inputs (see private.plan_progress). */
export interface PlanItem {
	id: string;
	parent_id: string | null;
	depth: number;
	title: string;
	responsible_kind: 'contractor' | 'committee_member' | 'team' | null;
	responsible: string | null;
	planned_start: string | null;
	planned_end: string | null;
	budget: number | null;
	weight: number;
	excluded: boolean;
	exclusion_reason: string | null;
	/** Something below it has a positive weight: it has a progress. */
	counted: boolean;
	/** Σ weight of its milestones (weight > 0) and of its counted sub-items. */
	weight_sum: number;
	/** Σ weight of its milestones done. */
	done_weight: number;
	/** 0…1, or null when there is nothing to count. */
	progress: number | null;
	milestones: PlanMilestone[];
}

export interface PlanProgress {
	root: string;
	progress: number | null;
	/** Depth first, the plan itself first. */
	items: PlanItem[];
}

export interface ProgressUpdate {
	id: string;
	item_id: string | null;
	note: string;
	at: string;
	photos: { path: string; thumb_path: string; width: number; height: number }[];
}

export interface EvidencePhoto {
	path: string;
	thumb_path: string;
	width: number;
	height: number;
	at: string;
	from_issue?: boolean;
}

export const RESPONSIBLE_KINDS = ['contractor', 'committee_member', 'team'] as const;

/** One term of an item's formula: what it contributes, weight × done (or × progress). */
export interface FormulaTerm {
	kind: 'milestone' | 'item';
	title: string;
	weight: number;
	/** 1 or 0 for a milestone, the sub-item's progress for an item. */
	value: number;
}

/**
 * The terms of an item's formula Σ(weight × done) ÷ Σ(weight), from the
 * read's inputs: its milestones of positive weight and its counted sub-items
 * (not excluded, positive weight, something to count). What is left out is
 * listed apart, with why.
 */
export function formulaOf(plan: PlanProgress, item: PlanItem) {
	const terms: FormulaTerm[] = item.milestones
		.filter((m) => Number(m.weight) > 0)
		.map((m) => ({ kind: 'milestone' as const, title: m.title, weight: Number(m.weight), value: m.done ? 1 : 0 }));
	const left: { title: string; why: 'excluded' | 'empty' | 'zero_weight'; reason: string | null }[] = [];
	for (const c of plan.items.filter((c) => c.parent_id === item.id)) {
		if (c.excluded) left.push({ title: c.title, why: 'excluded', reason: c.exclusion_reason });
		else if (Number(c.weight) <= 0) left.push({ title: c.title, why: 'zero_weight', reason: null });
		else if (!c.counted) left.push({ title: c.title, why: 'empty', reason: null });
		else terms.push({ kind: 'item', title: c.title, weight: Number(c.weight), value: Number(c.progress) });
	}
	const num = terms.reduce((s, t) => s + t.weight * t.value, 0);
	const den = terms.reduce((s, t) => s + t.weight, 0);
	return { terms, left, num, den };
}

/** A number as the formula shows it: at most 2 decimals, no trailing zeros. */
export const short = (n: number) => String(Math.round(n * 100) / 100);

/** A progress as a percentage with one decimal, or null. */
export const percent = (p: number | null) => (p === null || p === undefined ? null : Math.round(Number(p) * 1000) / 10);

/** The next milestone not done, by planned date (undated last), over the whole plan. */
export function nextMilestone(plan: PlanProgress) {
	const open = plan.items.flatMap((i) => i.milestones.filter((m) => !m.done).map((m) => ({ ...m, item: i.title })));
	open.sort((a, b) => (a.planned_on ?? '9999').localeCompare(b.planned_on ?? '9999'));
	return open[0] ?? null;
}

// --- Forms (checked again by the SQL functions). Plain strings where a field may be left empty, so that a
// form posted without JavaScript parses the same way as one sent by superforms.

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const optionalDate = z
	.string({ error: 'errors.date_invalid' })
	.trim()
	.refine((s) => s === '' || (DATE.test(s) && !Number.isNaN(Date.parse(s)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)), { error: 'errors.date_invalid' })
	.default('');
const optionalId = z
	.string({ error: 'errors.invalid_choice' })
	.trim()
	.refine((s) => s === '' || UUID.test(s), { error: 'errors.invalid_choice' })
	.default('');

const weight = z
	.number({ error: 'errors.weight_invalid' })
	.refine((n) => Number.isFinite(n) && n >= 0 && n <= 10000, { error: 'errors.weight_invalid' })
	.default(1);

export const planItemSchema = z
	.object({
		item_id: optionalId,
		parent_id: optionalId,
		title: text(120),
		responsible_kind: z.enum(['', ...RESPONSIBLE_KINDS], { error: 'errors.invalid_choice' }).default(''),
		responsible: text(120, false).default(''),
		planned_start: optionalDate,
		planned_end: optionalDate,
		budget: z
			.string({ error: 'errors.budget_invalid' })
			.trim()
			.max(20, { error: 'errors.budget_invalid' })
			.refine((s) => s === '' || (/^\d+(\.\d{1,2})?$/.test(s) && Number(s) < 1e12), { error: 'errors.budget_invalid' })
			.default(''),
		weight,
		excluded: z.boolean({ error: 'errors.invalid_choice' }).default(false),
		exclusion_reason: text(300, false).default('')
	})
	.refine((d) => !d.planned_start || !d.planned_end || d.planned_end >= d.planned_start, { error: 'errors.plan_dates_invalid', path: ['planned_end'] })
	.refine((d) => !d.excluded || d.exclusion_reason.length > 0, { error: 'errors.reason_required', path: ['exclusion_reason'] });

export const milestoneSchema = z.object({
	item_id: uuid,
	title: text(120),
	planned_on: optionalDate,
	weight
});

export const progressUpdateSchema = z
	.object({
		note: text(2000, false).default(''),
		milestone_id: optionalId,
		photos: z.array(z.instanceof(File, { error: 'errors.photo_not_image' })).max(6, { error: 'errors.photos_too_many' }).default([])
	})
	.refine((d) => d.milestone_id !== '' || d.note.length > 0, { error: 'errors.note_invalid', path: ['note'] });

/** One change a progress import makes to a milestone, as the dry run lists it. */
export interface ProgressImportChange {
	field: 'title' | 'planned_on' | 'weight' | 'done' | 'note';
	from: string | number | null;
	to: string | number | null;
}

/** What import_progress answers: the changes line by line, or every problem with its line. */
export type ProgressImportResult =
	| {
			ok: true;
			dry_run: boolean;
			total: number;
			changed: number;
			lines: { line: number; id: string; issue_id: string; issue: string; item: string; title: string; changes: ProgressImportChange[] }[];
	  }
	| { ok: false; errors: { line: number; field: string; key: string }[]; total?: number };

export const milestoneEditSchema = z.object({
	milestone_id: uuid,
	title: text(120),
	planned_on: optionalDate,
	weight
});

/** Removing a milestone, or moving it one place up or down. */
export const milestoneIdSchema = z.object({ milestone_id: uuid });
export const milestoneMoveSchema = z.object({ milestone_id: uuid, direction: z.enum(['up', 'down'], { error: 'errors.invalid_choice' }) });
