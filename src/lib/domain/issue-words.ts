// The issue vocabulary, without zod: pages that only list or filter import
// this, so the validation library is not shipped to them.

export const CATEGORIES = ['facilities', 'greening', 'sanitation', 'parking', 'safety', 'elderly_children', 'dogs', 'renovation', 'other'] as const;
export const STANCES = ['support', 'oppose', 'concern', 'suggestion', 'question'] as const;
export const CHANNELS = ['app', 'hotline', 'visit', 'meeting', 'paper'] as const;
/** The board's tabs, in lifecycle order; 'open' gathers every status still in play. */
export const STATUS_TABS = ['open', 'proposed', 'accepted', 'deliberating', 'voting', 'undecided', 'approved', 'in_progress', 'completed', 'declined', 'merged', 'withdrawn', 'following_up'] as const;
/**
 * The statuses in which an issue is still open, as private.open_statuses() says in SQL (tests/db/supports.test.ts
 * checks they agree): supports can be given only then, and the page offers them only then.
 */
export const OPEN_STATUSES = ['proposed', 'accepted', 'deliberating', 'voting', 'approved', 'undecided', 'publicized', 'in_progress', 'following_up'] as const;
export const SORTS = ['newest', 'supported', 'active'] as const;

export type Category = (typeof CATEGORIES)[number];
export type Stance = (typeof STANCES)[number];
