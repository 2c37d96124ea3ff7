import { TASK_KINDS } from '$lib/domain/work';
import { UUID_SOURCE } from '$lib/domain/patterns';
import { requireUser } from '$lib/server/guard';
import { loadCall } from '$lib/server/page-call';
import { taskActions } from '$lib/server/task-actions';
import type { Actions, PageServerLoad } from './$types';

const UUID = new RegExp(`^${UUID_SOURCE}$`, 'i');

/** The claim board (认领): open tasks and micro-wishes near the person, filtered by place and kind from the query (links and a plain GET form). */
export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const q = event.url.searchParams;
	const area = q.get('area') ?? '';
	const kind = q.get('kind') ?? '';
	const filters = {
		area: UUID.test(area) ? area.toLowerCase() : '',
		// A kind of task, or 'wish' for the micro-wishes only.
		kind: (TASK_KINDS as readonly string[]).includes(kind) || kind === 'wish' ? kind : '',
		mine: q.get('mine') === '1'
	};
	const board = await loadCall(event.locals, 'claim_board', {
		p_estate_id: event.params.id,
		p_area_id: filters.area || null,
		p_kind: filters.kind || null,
		p_mine: filters.mine
	});
	return { board, filters };
};

const here = (e: { params: { id: string } }) => `/estates/${e.params.id}/claim`;
const a = taskActions(here);

export const actions: Actions = {
	claim: a.claim,
	release: a.release,
	start: a.start,
	report: a.report,
	confirm: a.confirm
};
