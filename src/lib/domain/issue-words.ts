// The issue vocabulary, without zod: pages that only list or filter import
// this, so the validation library is not shipped to them.

export const CATEGORIES = ['facilities', 'greening', 'sanitation', 'parking', 'safety', 'elderly_children', 'dogs', 'renovation', 'other'] as const;
export const STANCES = ['support', 'oppose', 'concern', 'suggestion', 'question'] as const;
export const CHANNELS = ['app', 'hotline', 'visit', 'meeting', 'paper'] as const;
/** The board's tabs, in lifecycle order; 'open' gathers every status still in play. */
export const STATUS_TABS = ['open', 'proposed', 'accepted', 'deliberating', 'voting', 'undecided', 'approved', 'in_progress', 'completed', 'declined', 'merged', 'withdrawn', 'following_up'] as const;
export const SORTS = ['newest', 'supported', 'active'] as const;

export type Category = (typeof CATEGORIES)[number];
export type Stance = (typeof STANCES)[number];
