import { z } from 'zod';
import { UUID_SOURCE } from './patterns';
import { CATEGORIES, CHANNELS, SORTS, STANCES, STATUS_TABS, type Category, type Stance } from './issue-words';

export * from './issue-words';


const text = (max: number, required = true) => {
	const s = z.string({ error: 'errors.required' }).trim().max(max, { error: 'errors.too_long' });
	return required ? s.min(1, { error: 'errors.required' }) : s;
};
const uuid = z.uuid({ error: 'errors.invalid_choice' });

export const proposeSchema = z.object({
	area_id: uuid,
	category: z.enum(CATEGORIES, { error: 'errors.invalid_choice' }),
	title: text(60),
	body: text(5000, false).default(''),
	point_x: z.number({ error: 'errors.number' }).optional(),
	point_y: z.number({ error: 'errors.number' }).optional(),
	channel: z.enum(CHANNELS, { error: 'errors.invalid_choice' }).default('app'),
	resident_name: text(40, false).default(''),
	resident_contact: text(60, false).default(''),
	photos: z.array(z.instanceof(File, { error: 'errors.photo_not_image' })).max(6, { error: 'errors.photos_too_many' }).default([]),
	/** Tokens of photos already uploaded by an earlier submit of this form and held on the server (kept while ticked). */
	held: z.array(uuid).max(6, { error: 'errors.photos_too_many' }).default([]),
	/** Set when the resident has seen the similar issues and still wants a new one. */
	confirm_new: z.boolean({ error: 'errors.invalid_choice' }).default(false)
});

/** A photo stored and held on the server for the issue its uploader is raising; the token names it in the next submit. */
export interface HeldPhoto {
	token: string;
	path: string;
	thumb_path: string;
	width: number;
	height: number;
}

export const commentSchema = z.object({
	stance: z.enum(STANCES, { error: 'errors.invalid_choice' }),
	body: text(2000),
	parent_id: uuid.optional()
});

export const editCommentSchema = z.object({ comment_id: uuid, body: text(2000) });
export const reportSchema = z.object({ comment_id: uuid, reason: text(300) });
export const moderateSchema = z.object({ comment_id: uuid, hide: z.boolean({ error: 'errors.invalid_choice' }), reason: text(300) });
const UUIDS_IN = new RegExp(UUID_SOURCE, 'gi');
const ISSUE_IN_ADDRESS = new RegExp(`/issues/(${UUID_SOURCE})`, 'i');

/**
 * The issue an address or id names: an issue's address (/estates/<estate>/issues/<issue>, with or
 * without the site, a query or a fragment) holds the estate's id first, so the id after "issues/"
 * is taken, else the last id in it; a bare id is itself. Anything else is left to be refused.
 */
export function issueIdIn(v: unknown): unknown {
	if (typeof v !== 'string') return v;
	const afterIssues = ISSUE_IN_ADDRESS.exec(v)?.[1];
	return (afterIssues ?? v.match(UUIDS_IN)?.at(-1) ?? (v.trim() || undefined))?.toLowerCase();
}

export const transitionSchema = z.object({
	action: z.string({ error: 'errors.invalid_choice' }).regex(/^[a-z_]{1,30}$/, { error: 'errors.invalid_choice' }),
	reason: text(500, false).default(''),
	/** The issue picked from the search of the estate's open issues. */
	merge_into: z.preprocess(issueIdIn, uuid.optional()),
	/** Or the other issue's address (or id), pasted. */
	merge_address: z.preprocess(issueIdIn, uuid.optional())
});

export interface BoardIssue {
	id: string;
	title: string;
	status: string;
	category: Category;
	area: string;
	area_id: string;
	support_count: number;
	comment_count: number;
	created_at: string;
	last_activity_at: string;
	has_photo: boolean;
}

/** A courtyard or building as issue_board lists it for the area filter (no outlines). */
export interface BoardArea {
	id: string;
	kind: 'courtyard' | 'building';
	name: string;
	parent_id: string | null;
}

/** What issue_board returns. */
export interface Board {
	estate: { id: string; name: string };
	areas: BoardArea[];
	issues: BoardIssue[];
	next_cursor: string | null;
	counts: Record<string, number>;
	open_count: number;
}

/** The area filter's choices: courtyards first, then buildings, each by name. */
export interface AreaChoices {
	courtyards: { id: string; name: string }[];
	buildings: { id: string; name: string }[];
}

/**
 * Only what the filter shows: the page's data is serialized into every board
 * page, and the list of an estate's areas was half of it.
 */
export function areaChoices(areas: BoardArea[]): AreaChoices {
	const choices: AreaChoices = { courtyards: [], buildings: [] };
	for (const a of areas) (a.kind === 'courtyard' ? choices.courtyards : choices.buildings).push({ id: a.id, name: a.name });
	return choices;
}

/** The board page's header: the estate and its area filter's choices. */
export interface BoardHome {
	estate: Board['estate'];
	areas: AreaChoices;
}

/** What a map pin's popup shows (issue_summary, less the estate id the endpoint checks). */
export interface IssueSummary {
	id: string;
	title: string;
	status: string;
	category: Category;
	area: string;
	support_count: number;
}

export interface SimilarIssue {
	id: string;
	title: string;
	status: string;
	support_count: number;
	area: string;
	same_area: boolean;
	/** The caller raised it: no support is offered (an author does not support their own issue). */
	mine: boolean;
}

export interface Comment {
	id: string;
	parent_id: string | null;
	author?: string | null;
	/** Null for a placeholder ('withheld'). */
	stance: Stance | null;
	body: string | null;
	/** 'withheld': a hidden top-level comment the reader may not read, kept as the place of its visible replies. */
	state: 'visible' | 'reported' | 'hidden' | 'deleted' | 'withheld';
	moderation_reason: string | null;
	created_at: string;
	edited_at: string | null;
	mine: boolean;
	/** For the estate's moderators only: reports of this comment they have not answered yet. */
	reports?: number;
}

/**
 * A comment as the issue page's data carries it: the fields that are null or false are left out.
 * The page's data is serialized into its HTML, 50 comments and their replies a page.
 */
export type ShownComment = Pick<Comment, 'id' | 'state' | 'created_at'> & { [K in Exclude<keyof Comment, 'id' | 'state' | 'created_at'>]?: NonNullable<Comment[K]> };

export function shownComment(c: Comment): ShownComment {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(c)) if (v !== null && v !== false) out[k] = v;
	return out as ShownComment;
}

/** What moderation_queue returns: the comments waiting for a moderator, oldest report first. */
export interface ModerationQueue {
	estate: { id: string; name: string };
	items: {
		id: string;
		issue_id: string;
		issue_title: string;
		stance: Stance;
		body: string;
		state: 'visible' | 'reported';
		author: string | null;
		created_at: string;
		first_reported_at: string;
		reports: { reason: string; at: string }[];
	}[];
}

export interface IssueDetail {
	issue: {
		id: string;
		estate_id: string;
		title: string;
		body: string;
		category: Category;
		status: string;
		channel: string;
		point: [number, number] | null;
		support_count: number;
		comment_count: number;
		created_at: string;
		threshold_reached: boolean;
		merged_into: string | null;
		is_author: boolean;
	};
	estate: {
		id: string;
		name: string;
		map_mode: 'geographic' | 'site_plan';
		support_threshold: number;
		/** The map's frame, to draw the issue's area (see EstateInfo). */
		center: [number, number] | null;
		zoom: number;
		plan_image: string | null;
		plan_size: [number, number] | null;
	};
	area: { id: string; name: string; kind: string; geometry: import('./estate').AreaGeometry | null };
	photos: { path: string; thumb_path: string; width: number; height: number }[];
	behalf: { name: string; contact: string | null } | null;
	supported: boolean;
	/** The author's name, for the estate's verified members and administrators only. */
	author: string | null;
	/** Raised in the app by someone whose name the reader may not see: shown as 居民. */
	author_hidden: boolean;
	names_shown: boolean;
	timeline: {
		kind: string;
		action: string | null;
		from: string | null;
		to: string | null;
		reason: string | null;
		at: string;
		actor?: string | null;
		/** A person took the step; actor is null when the reader may not know who. */
		by_resident?: boolean;
		related_issue_id: string | null;
		/** A step of the decision's publication (公示): published, objection raised or answered, amended, final. */
		publication_id: string | null;
		/** A progress note (kinds 'progress' and 'milestone_done'), when there is one. */
		progress_update_id?: string;
	}[];
	/** The decision's publication window (公示), once published. */
	publication: import('./publications').IssuePublication | null;
	/** The plan with its progress and the formula's inputs; null without a plan. */
	progress: import('./progress').PlanProgress | null;
	/** The latest 20 progress notes, newest first, and how many there are. */
	updates: import('./progress').ProgressUpdate[];
	update_count: number;
	/** The before/after pair: the issue's own first photo (or the first progress photo) and the latest progress photo. */
	evidence: { before: import('./progress').EvidencePhoto; after: import('./progress').EvidencePhoto } | null;
	stances: Partial<Record<Stance, number>>;
	comments: { comments: Comment[]; more_after: string | null };
	actions: { action: string; to: string; needs_reason: boolean }[];
	can_moderate: boolean;
	is_member: boolean;
}

/** Board filters from the address bar; anything unknown is dropped rather than refused. */
export function boardQuery(url: URL) {
	const p = url.searchParams;
	const pick = <T extends string>(v: string | null, allowed: readonly T[]) => (v && (allowed as readonly string[]).includes(v) ? (v as T) : null);
	const area = p.get('area');
	return {
		status: pick(p.get('status'), STATUS_TABS) ?? 'open',
		category: pick(p.get('category'), CATEGORIES),
		area: area && z.uuid().safeParse(area).success ? area : null,
		mine: p.get('mine') === '1',
		supported: p.get('supported') === '1',
		q: (p.get('q') ?? '').trim().slice(0, 60),
		sort: pick(p.get('sort'), SORTS) ?? 'newest',
		cursor: (p.get('cursor') ?? '').slice(0, 120) || null
	};
}

export const issueSettingsSchema = z.object({
	board_public: z.boolean({ error: 'errors.invalid_choice' }).default(false),
	support_threshold: z.int({ error: 'errors.number' }).min(1, { error: 'errors.out_of_range' }).max(10000, { error: 'errors.out_of_range' })
});
