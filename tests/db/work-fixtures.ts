import type { Caller } from '../../src/lib/server/backend/types';
import type { TestDb } from './harness';
import { addMembership, createUser, type World } from './fixtures';

/**
 * The work of the world (tasks, teams, party members, the time bank), for
 * the row level security matrix and the definers test, written through the
 * real functions as the people below (the clock moved with the superuser
 * connection where work must have started).
 *
 * The community: work settings saved by committee (party members asked 16 hours a year).
 * Estate A:
 *   party      a new verified member of A with the party_member role, registered with the community
 *              (branch '区税务局党支部'), with a service card for this year
 *   team       '晋邻' created by committee, led by volunteer; resident asked to join as '小张' (skills 修理) and
 *              volunteer approved; moderator asked to join as '老周', waiting
 *   open       an open resident task by moderator, 3 slots, claimed by resident
 *   done       a task by moderator, claimed by party, reported 2 h and confirmed by moderator:
 *              the ledger's earnings (community → party, hours and 时间币)
 * Estate B (the same community):
 *   done       a task by committeeB, claimed by otherEstate, reported 1.5 h, confirmed by committeeB
 */
export interface WorkWorld {
	party: string;
	a: { team: string; open: string; openClaim: string; done: string; doneClaim: string; card: string };
	b: { done: string; doneClaim: string };
}

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

export async function seedWork(db: TestDb, w: World): Promise<WorkWorld> {
	const party = await createUser(db, 'party');
	await addMembership(db, { estateId: w.a.id, userId: party, status: 'verified', roles: ['party_member'] });
	const as = (userId: string): Caller => ({ kind: 'user', userId });
	const call = <T>(fn: string, args: Record<string, unknown>, userId: string) => db.backend.call<T>(fn, args, as(userId));
	const u = w.users;

	await call('save_work_settings', { p_estate_id: w.a.id, p_settings: { party_yearly_hours: 16 } }, u.committee);
	await call('register_party_member', { p_estate_id: w.a.id, p_branch: '区税务局党支部' }, party);
	const team = (await call<{ id: string }>('create_team', { p_estate_id: w.a.id, p_name: '晋邻', p_leader_id: u.volunteer }, u.committee)).id;
	await call('join_team', { p_team_id: team, p_shown_name: '小张', p_skills: ['修理'] }, u.resident);
	await call('decide_team_request', { p_team_id: team, p_user_id: u.resident, p_approve: true }, u.volunteer);
	// A request waiting for the leader: moderator asks to join (a role holder who manages nothing).
	await call('join_team', { p_team_id: team, p_shown_name: '老周', p_availability: '工作日晚上' }, u.moderator);

	const post = async (estateId: string, by: string, title: string, slots: number) =>
		(
			await call<{ id: string }>(
				'post_task',
				{ p_estate_id: estateId, p_title: title, p_needed: '两位志愿者搬运座椅', p_starts_at: hoursFromNow(48), p_ends_at: hoursFromNow(51), p_slots: slots, p_est_hours: 2 },
				by
			)
		).id;
	/** Claims, moves the task to have started an hour ago, reports and confirms. */
	const finish = async (taskId: string, claimer: string, hours: number, confirmer: string) => {
		const claim = (await call<{ claim_id: string }>('claim_task', { p_task_id: taskId }, claimer)).claim_id;
		await db.sql.query(`update public.tasks set starts_at = now() - interval '1 hour', ends_at = now() + interval '2 hours' where id = $1`, [taskId]);
		await call('report_done', { p_claim_id: claim, p_hours: hours, p_report: '已完成' }, claimer);
		await call('confirm_work', { p_claim_id: claim }, confirmer);
		return claim;
	};

	const open = await post(w.a.id, u.moderator, '南苑座椅安装', 3);
	const openClaim = (await call<{ claim_id: string }>('claim_task', { p_task_id: open }, u.resident)).claim_id;
	const done = await post(w.a.id, u.moderator, '敲门行动：看望独居老人', 2);
	const doneClaim = await finish(done, party, 2, u.moderator);
	const card = (await call<{ code: string }>('issue_service_card', { p_estate_id: w.a.id }, party)).code;

	const doneB = await post(w.b.id, u.committeeB, '车棚清扫', 2);
	const doneClaimB = await finish(doneB, u.otherEstate, 1.5, u.committeeB);

	return { party, a: { team, open, openClaim, done, doneClaim, card }, b: { done: doneB, doneClaim: doneClaimB } };
}
