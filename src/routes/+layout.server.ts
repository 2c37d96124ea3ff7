import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	locale: locals.locale,
	largeText: locals.largeText,
	me: locals.me,
	mode: locals.runtime.config.mode
});
