import { loadMessages, translator } from '$lib/i18n';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ data }) => ({
	...data,
	t: translator(await loadMessages(data.locale), data.locale)
});
