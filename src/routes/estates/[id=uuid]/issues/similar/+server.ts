import { json } from '@sveltejs/kit';
import { z } from 'zod';
import type { SimilarIssue } from '$lib/domain/issues';
import { requireUser } from '$lib/server/guard';
import { clientKey, limitedJson, takeLimit } from '$lib/server/limits';
import type { RequestHandler } from './$types';

const query = z.object({ title: z.string().trim().min(2).max(60), area: z.uuid().optional() });

/** Similar open issues while a title is being typed (the propose form's live hint). */
export const GET: RequestHandler = async (event) => {
	requireUser(event);
	const q = query.safeParse({ title: event.url.searchParams.get('title') ?? '', area: event.url.searchParams.get('area') || undefined });
	if (!q.success) return json([]);
	// Each call is a similarity search over the estate's open issues: counted per network, as typed titles come.
	const limited = await takeLimit(event.locals.runtime, 'similar_ip', clientKey(event));
	if (limited) return limitedJson(limited);
	const similar = await event.locals.call('similar_issues', {
		p_estate_id: event.params.id,
		p_title: q.data.title,
		p_area_id: q.data.area ?? null
	});
	return json(similar);
};
