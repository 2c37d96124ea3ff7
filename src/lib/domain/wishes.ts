/**
 * Micro-wishes (微心愿) and the thanks wall (公益榜): what the SQL functions
 * return. No zod here, so that the wish pages stay light (schemas: wish-schemas.ts).
 */

export const WISH_STATUSES = ['pending', 'declined', 'open', 'claimed', 'fulfilled', 'confirmed'] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];
export const WISH_CATEGORIES = ['daily', 'health', 'repair', 'study', 'companionship', 'other'] as const;
export type WishCategory = (typeof WISH_CATEGORIES)[number];
/** The names a wish can be published under besides a first name. */
export const WISH_SHOWN_NAMES = ['某阿姨', '某叔叔', '某奶奶', '某爷爷'] as const;

export interface WishPhoto {
	path: string;
	thumb_path: string;
	width: number;
	height: number;
}

/** A wish as published: nothing in it names the resident beyond shown_name. */
export interface Wish {
	id: string;
	estate_id: string;
	area_id: string | null;
	area: string | null;
	title: string;
	body: string | null;
	category: WishCategory;
	estimated_cost: number | null;
	shown_name: string;
	status: WishStatus;
	created_at: string;
	vetted_at: string | null;
	claimer_name: string | null;
	donor_unit: string | null;
	claimed_at: string | null;
	fulfil_note: string | null;
	fulfilled_at: string | null;
	photo: WishPhoto | null;
	thanks: string | null;
	confirmed_at: string | null;
	/** The hours it should take (set when vetting; 1 by default) and those the claimer reported. */
	est_hours: number;
	hours: number | null;
}

/** What only the estate's moderators, the resident and guardian, and the claimer read. */
export interface WishPrivate {
	resident_name: string | null;
	unit: string | null;
	phone: string | null;
	vet_note?: string | null;
	has_account: boolean;
	guardian: string | null;
}

export interface EstateWishes {
	wishes: Wish[];
	/** The caller's own wishes not published (pending or declined). */
	mine: Wish[];
	/** How many wait to be vetted, for the estate's moderators; null otherwise. */
	pending: number | null;
	can_post: boolean;
	can_post_for_other: boolean;
	can_vet: boolean;
	can_claim: boolean;
}

export interface WishDetail {
	wish: Wish;
	private: WishPrivate | null;
	mine: boolean;
	claimed_by_me: boolean;
	can_vet: boolean;
	can_claim: boolean;
	can_record_donor: boolean;
	can_release: boolean;
	can_fulfil: boolean;
	can_confirm: boolean;
}

export type QueuedWish = Wish & { private: WishPrivate };

export interface WishWallEntry {
	id: string;
	title: string;
	category: WishCategory;
	shown_name: string;
	claimer_name: string;
	donor_unit: string | null;
	thanks: string | null;
	fulfil_note: string | null;
	confirmed_at: string;
	photo: WishPhoto | null;
}

export interface WishWall {
	count: number;
	entries: WishWallEntry[];
}
