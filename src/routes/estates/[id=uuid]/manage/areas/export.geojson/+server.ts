import { requireManager } from '$lib/server/guard';
import { loadCall } from '$lib/server/page-call';
import type { RequestHandler } from './$types';

/** The estate's areas as a GeoJSON file, in the format the import takes. */
export const GET: RequestHandler = async (event) => {
	requireManager(event, event.params.id);
	const collection = await loadCall(event.locals, 'export_areas', { p_estate_id: event.params.id });
	return new Response(JSON.stringify(collection, null, 1), {
		headers: {
			'content-type': 'application/geo+json; charset=utf-8',
			'content-disposition': `attachment; filename="areas-${event.params.id}.geojson"`
		}
	});
};
