import { requireManager } from '$lib/server/guard';
import { loadCall } from '$lib/server/page-call';
import type { AuditPage } from '$lib/domain/audit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireManager(event, event.params.id);
	// A page before an entry id; anything that is not a whole positive number starts from the newest.
	const raw = event.url.searchParams.get('before') ?? '';
	const before = /^[1-9][0-9]{0,17}$/.test(raw) ? raw : null;
	return {
		before,
		log: await loadCall(event.locals, 'estate_audit_log', { p_estate_id: event.params.id, p_before: before })
	};
};
