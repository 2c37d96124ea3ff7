import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as claimBoard from '../../src/routes/estates/[id=uuid]/claim/+page.server';
import * as taskPage from '../../src/routes/estates/[id=uuid]/tasks/[taskId=uuid]/+page.server';
import * as taskNew from '../../src/routes/estates/[id=uuid]/tasks/new/+page.server';
import * as timeBank from '../../src/routes/estates/[id=uuid]/time-bank/+page.server';
import * as service from '../../src/routes/estates/[id=uuid]/service/+page.server';
import * as team from '../../src/routes/estates/[id=uuid]/teams/[teamId=uuid]/+page.server';
import * as card from '../../src/routes/cards/[code]/+page.server';
import { count, expectData, expectFailure, expectHttpError, expectNoWrite, expectRedirect, JINYUAN, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * Tasks, the claim board, the time bank, party members' service and teams through the real hooks on the
 * demo estate: every action with good input (the database changes as it should) and bad input (a 4xx with
 * the message beside its field, nothing written).
 */

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const MODERATOR = 'moderator@demo.linyi.org' as const;
const COMMITTEE = 'committee@demo.linyi.org' as const;
const PARTY = 'party@demo.linyi.org' as const;
const RESIDENT = 'resident@demo.linyi.org' as const;
const BENCH = '5eed0000-0000-4000-8000-000000002001';
const TEAM = '5eed0000-0000-4000-8000-000000007101';
const PARTY_ID = '5eed0000-0000-4000-8000-000000001006';
const LEADER = 'volunteer@demo.linyi.org' as const;
const RESIDENT_ID = '5eed0000-0000-4000-8000-000000001001';
const board = (as: string = PARTY) => ({ url: `/estates/${JINYUAN}/claim`, params: { id: JINYUAN }, as: as as typeof PARTY });
const taskAt = (id: string) => ({ url: `/estates/${JINYUAN}/tasks/${id}`, params: { id: JINYUAN, taskId: id } });
/** A China wall time `days` from now, as a datetime-local field gives it. */
const chinaLocal = (days: number, hour: number) => {
	const d = new Date(Date.now() + days * 86400_000 + 8 * 3600_000);
	return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
};

let serial = 0;
async function post(form: Record<string, string> = {}) {
	serial += 1;
	const x = await request(
		{
			url: `/estates/${JINYUAN}/tasks/new`,
			params: { id: JINYUAN },
			method: 'POST',
			as: MODERATOR,
			form: { title: `搬座椅${serial}`, needed: '需要两人', kind: 'repair', eligible: 'resident', starts_at: chinaLocal(3, 9), ends_at: chinaLocal(3, 12), slots: '2', est_hours: '2', issue_id: BENCH, ...form }
		},
		taskNew.actions.default
	);
	expectRedirect(x, new RegExp(`^/estates/${JINYUAN}/tasks/[0-9a-f-]{36}$`));
	return (x.outcome as { location: string }).location.split('/').pop()!;
}
const claimId = async (task: string, user = PARTY_ID) =>
	(await rt.sql.query<{ id: string }>(`select id::text from public.task_claims where task_id = $1 and user_id = $2 and status <> 'released'`, [task, user]))[0]?.id;
const started = (task: string) => rt.sql.query(`update public.tasks set starts_at = now() - interval '1 hour', ends_at = now() + interval '2 hours' where id = $1`, [task]);

describe('posting a task', () => {
	it('the moderator gets the form with China times prefilled; a resident is refused', async () => {
		const data = expectData(await request({ url: `/estates/${JINYUAN}/tasks/new?issue=${BENCH}`, params: { id: JINYUAN }, as: MODERATOR }, taskNew.load));
		expect(data.form.data.issue_id).toBe(BENCH);
		expect(data.form.data.starts_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00$/);
		expect(data.teams.map((t: { name: string }) => t.name)).toContain('晋邻');
		expectHttpError(await request({ url: `/estates/${JINYUAN}/tasks/new`, params: { id: JINYUAN }, as: RESIDENT }, taskNew.load), 403);
	});

	it('posts from the approved bench issue and opens the task', async () => {
		const id = await post();
		const data = expectData(await request({ ...taskAt(id), as: MODERATOR }, taskPage.load));
		expect(data.detail.task).toMatchObject({ issue_id: BENCH, slots: 2, left: 2, kind: 'repair' });
		expect(data.detail.is_staff).toBe(true);
	});

	it.each([
		[{ title: '' }, 'title', 'errors.required'],
		[{ starts_at: '明天' }, 'starts_at', 'errors.datetime'],
		[{ est_hours: '0' }, 'est_hours', 'errors.hours_invalid'],
		[{ slots: '0' }, 'slots', 'errors.task_slots_invalid'],
		[{ est_hours: '4' }, 'est_hours', 'errors.task_hours_invalid'],
		[{ ends_at: chinaLocal(2, 9) }, 'ends_at', 'errors.task_window_invalid'],
		[{ eligible: 'team' }, 'team_id', 'errors.task_team_required']
	])('refuses %j beside %s, and writes nothing', async (over, field, key) => {
		await expectNoWrite(async () => {
			const x = await request(
				{
					url: `/estates/${JINYUAN}/tasks/new`,
					params: { id: JINYUAN },
					method: 'POST',
					as: MODERATOR,
					form: { title: '搬座椅', needed: '需要两人', kind: 'repair', eligible: 'resident', starts_at: chinaLocal(3, 9), ends_at: chinaLocal(3, 12), slots: '2', est_hours: '2', ...over }
				},
				taskNew.actions.default
			);
			expectFailure(x, 400, { [field]: key });
		});
	});
});

describe('the claim board, claimed, reported, confirmed', () => {
	it('party@ sees the open bench tasks, claims one, reports, and the committee confirms: the statement shows the hours', async () => {
		const id = await post({ kind: 'other' });
		const data = expectData(await request(board(), claimBoard.load));
		expect(data.board.tasks.find((t: { id: string }) => t.id === id)).toMatchObject({ may_claim: true, left: 2 });
		expectRedirect(await request({ ...board(), method: 'POST', form: { task_id: id } }, claimBoard.actions.claim), `/estates/${JINYUAN}/claim`);
		// Twice: the refusal beside the task.
		await expectNoWrite(async () => expectFailure(await request({ ...board(), method: 'POST', form: { task_id: id } }, claimBoard.actions.claim), 409, { _errors: 'errors.task_claimed_already' }));
		const claim = await claimId(id);
		// Not started yet: the report is refused.
		await expectNoWrite(async () => expectFailure(await request({ ...board(), method: 'POST', form: { claim_id: claim, hours: '2' } }, claimBoard.actions.report), 400, { _errors: 'errors.claim_not_reportable' }));
		await started(id);
		for (const [hours, key] of [['0', 'errors.hours_invalid'], ['abc', 'errors.hours_invalid'], ['3.5', 'errors.hours_invalid']] as const) {
			await expectNoWrite(async () => expectFailure(await request({ ...board(), method: 'POST', form: { claim_id: claim, hours } }, claimBoard.actions.report), 400, { hours: key }));
		}
		expectRedirect(await request({ ...board(), method: 'POST', form: { claim_id: claim, hours: '2', report: '装好了' } }, claimBoard.actions.report), `/estates/${JINYUAN}/claim`);
		// The committee sees it to confirm; disputing needs a reason; confirming credits.
		const committee = expectData(await request(board(COMMITTEE), claimBoard.load));
		expect(committee.board.to_confirm.map((c: { id: string }) => c.id)).toContain(claim);
		await expectNoWrite(async () =>
			expectFailure(await request({ ...board(COMMITTEE), method: 'POST', form: { claim_id: claim, decision: 'dispute', reason: '' } }, claimBoard.actions.confirm), 400, { reason: 'errors.reason_required' })
		);
		await expectNoWrite(async () =>
			expectFailure(await request({ ...board(PARTY), method: 'POST', form: { claim_id: claim, decision: 'confirm' } }, claimBoard.actions.confirm), 403, { _errors: 'errors.confirm_own_work' })
		);
		const before = expectData(await request({ url: `/estates/${JINYUAN}/time-bank`, params: { id: JINYUAN }, as: PARTY }, timeBank.load)).statement.hours;
		expectRedirect(await request({ ...board(COMMITTEE), method: 'POST', form: { claim_id: claim, decision: 'confirm' } }, claimBoard.actions.confirm), `/estates/${JINYUAN}/claim`);
		const after = expectData(await request({ url: `/estates/${JINYUAN}/time-bank`, params: { id: JINYUAN }, as: PARTY }, timeBank.load)).statement;
		expect(after.hours - before).toBe(2);
		expect(after.entries[0]).toMatchObject({ category: 'earned', task_title: expect.stringContaining('搬座椅') });
	});

	it('filters by kind and place from the query, ignoring values that are not ids or kinds', async () => {
		const data = expectData(await request({ ...board(), url: `/estates/${JINYUAN}/claim?kind=visit&area=nonsense` }, claimBoard.load));
		expect(data.filters).toEqual({ area: '', kind: 'visit', mine: false });
		expect(data.board.tasks.every((t: { kind: string }) => t.kind === 'visit')).toBe(true);
		expectRedirect(await request({ url: `/estates/${JINYUAN}/claim`, params: { id: JINYUAN } }, claimBoard.load), /^\/auth\/sign-in\?next=/);
	});

	it('releases a claim; starts one with the check-in code, refusing a wrong code beside the field', async () => {
		const id = await post({ checkin: 'on' });
		expectRedirect(await request({ ...taskAt(id), as: PARTY, method: 'POST', form: { task_id: id } }, taskPage.actions.claim), `/estates/${JINYUAN}/tasks/${id}`);
		const claim = await claimId(id);
		await started(id);
		await expectNoWrite(async () => expectFailure(await request({ ...taskAt(id), as: PARTY, method: 'POST', form: { claim_id: claim, code: 'wrong' } }, taskPage.actions.start), 400, { code: 'errors.checkin_code_wrong' }));
		const staff = expectData(await request({ ...taskAt(id), as: MODERATOR }, taskPage.load));
		expect(staff.checkinQr).toMatch(/^data:image\/svg\+xml;base64,/);
		// The QR code opens the task page with the code filled in for the claimer.
		const scanned = expectData(await request({ ...taskAt(id), url: `/estates/${JINYUAN}/tasks/${id}?code=${staff.detail.checkin_code}`, as: PARTY }, taskPage.load));
		expect(scanned.scannedCode).toBe(staff.detail.checkin_code);
		expect(expectData(await request({ ...taskAt(id), url: `/estates/${JINYUAN}/tasks/${id}?code=<b>`, as: PARTY }, taskPage.load)).scannedCode).toBe('');
		expectRedirect(await request({ ...taskAt(id), as: PARTY, method: 'POST', form: { claim_id: claim, code: staff.detail.checkin_code } }, taskPage.actions.start), `/estates/${JINYUAN}/tasks/${id}`);
		expect(await count('public.task_claims', `id = $1 and status = 'started'`, [claim])).toBe(1);

		const other = await post();
		expectRedirect(await request({ ...taskAt(other), as: PARTY, method: 'POST', form: { task_id: other } }, taskPage.actions.claim), `/estates/${JINYUAN}/tasks/${other}`);
		const c2 = await claimId(other);
		await expectNoWrite(async () => expectFailure(await request({ ...taskAt(other), as: RESIDENT, method: 'POST', form: { claim_id: c2 } }, taskPage.actions.release), 404));
		expectRedirect(await request({ ...taskAt(other), as: PARTY, method: 'POST', form: { claim_id: c2 } }, taskPage.actions.release), `/estates/${JINYUAN}/tasks/${other}`);
		expect(await claimId(other)).toBeUndefined();
	});

	it('the moderator assigns a member who asked in person, and closes the task; a resident cannot', async () => {
		const id = await post();
		await expectNoWrite(async () => expectFailure(await request({ ...taskAt(id), as: MODERATOR, method: 'POST', form: { user_id: 'not-an-id' } }, taskPage.actions.assign), 400, { user_id: 'errors.invalid_choice' }));
		expectRedirect(await request({ ...taskAt(id), as: MODERATOR, method: 'POST', form: { user_id: '5eed0000-0000-4000-8000-000000001001' } }, taskPage.actions.assign), `/estates/${JINYUAN}/tasks/${id}`);
		expect(await count('public.task_claims', `task_id = $1 and assigned_by is not null`, [id])).toBe(1);
		await expectNoWrite(async () => {
			const x = await request({ ...taskAt(id), as: RESIDENT, method: 'POST', form: {} }, taskPage.actions.close);
			expect(x.outcome).toMatchObject({ kind: 'failure', status: 403, data: { message: 'errors.forbidden' } });
		});
		expectRedirect(await request({ ...taskAt(id), as: MODERATOR, method: 'POST', form: { cancel: 'yes' } }, taskPage.actions.close), `/estates/${JINYUAN}/tasks/${id}`);
		expect(await count('public.tasks', `id = $1 and status = 'cancelled' and taken = 0`, [id])).toBe(1);
	});
});

describe('the time bank', () => {
	it('shows party@ the demo’s confirmed hours; a transfer above the balance or without a recipient is refused beside its field', async () => {
		const at = { url: `/estates/${JINYUAN}/time-bank`, params: { id: JINYUAN }, as: PARTY };
		const data = expectData(await request(at, timeBank.load));
		expect(data.statement.entries.some((e: { task_title: string }) => e.task_title === '凉亭周围座椅位置放样')).toBe(true);
		await expectNoWrite(async () => expectFailure(await request({ ...at, method: 'POST', form: { purpose: 'donated', unit: 'coin', amount: '100000' } }, timeBank.actions.transfer), 400, { amount: 'errors.amount_invalid' }));
		await expectNoWrite(async () => expectFailure(await request({ ...at, method: 'POST', form: { purpose: 'donated', unit: 'coin', amount: '9999' } }, timeBank.actions.transfer), 400, { amount: 'errors.balance_too_low' }));
		await expectNoWrite(async () => expectFailure(await request({ ...at, method: 'POST', form: { purpose: 'transferred', unit: 'coin', amount: '1' } }, timeBank.actions.transfer), 400, { to: 'errors.transfer_recipient_required' }));
		await expectNoWrite(async () =>
			expectFailure(await request({ ...at, method: 'POST', form: { purpose: 'transferred', unit: 'coin', amount: '1', to: '5eed0000-0000-4000-8000-000000001001' } }, timeBank.actions.transfer), 400, { to: 'errors.transfer_not_elder' })
		);
		expectRedirect(await request({ ...at, method: 'POST', form: { purpose: 'donated', unit: 'coin', amount: '0.5', note: '给独居老人' } }, timeBank.actions.transfer), `/estates/${JINYUAN}/time-bank`);
		const after = expectData(await request(at, timeBank.load));
		expect(after.statement.entries[0]).toMatchObject({ category: 'donated', amount: -0.5, note: '给独居老人' });
	});
});

describe('party members’ service', () => {
	it('shows party@ the record by quarter, prints a card whose public page shows what it claims', async () => {
		const at = { url: `/estates/${JINYUAN}/service`, params: { id: JINYUAN }, as: PARTY };
		const data = expectData(await request(at, service.load));
		expect(data.record.branch).toBe('晋源区税务局第一党支部');
		expect(data.record.total).toBeGreaterThanOrEqual(2);
		const x = await request({ ...at, method: 'POST', form: {} }, service.actions.card);
		expectRedirect(x, /^\/cards\/[0-9a-f]{32}$/);
		const code = (x.outcome as { location: string }).location.split('/').pop()!;
		const page = expectData(await request({ url: `/cards/${code}`, params: { code } }, card.load));
		expect(page.card).toMatchObject({ name: '党员 孙师傅', branch: '晋源区税务局第一党支部', community_name: '横塘社区' });
		expect(page.card).not.toHaveProperty('user_id');
		expect(page.qr).toMatch(/^data:image\/svg\+xml;base64,/);
		expectHttpError(await request({ url: '/cards/nonsense', params: { code: 'nonsense' } }, card.load), 404);
	});

	it('registers a resident with the community; a blank branch is refused beside the field; an unregistered card is refused', async () => {
		const at = { url: `/estates/${JINYUAN}/service`, params: { id: JINYUAN }, as: RESIDENT };
		await expectNoWrite(async () => {
			const x = await request({ ...at, method: 'POST', form: {} }, service.actions.card);
			expect(x.outcome).toMatchObject({ kind: 'failure', status: 403, data: { message: 'errors.party_not_registered' } });
		});
		await expectNoWrite(async () => expectFailure(await request({ ...at, method: 'POST', form: { branch: ' ' } }, service.actions.register), 400, { branch: 'errors.required' }));
		expectRedirect(await request({ ...at, method: 'POST', form: { branch: '市第一中学党支部' } }, service.actions.register), `/estates/${JINYUAN}/service`);
		expect(await count('public.party_members', `user_id = '5eed0000-0000-4000-8000-000000001001' and branch = '市第一中学党支部'`)).toBe(1);
	});
});

describe('teams', () => {
	it('the 晋邻 page lists its 24 members; a resident asks with a chosen name and skills, the leader agrees, then the resident leaves', async () => {
		const at = { url: `/estates/${JINYUAN}/teams/${TEAM}`, params: { id: JINYUAN, teamId: TEAM }, as: RESIDENT };
		const data = expectData(await request(at, team.load));
		expect(data.team.members).toHaveLength(24);
		expect(data.team.mine).toBeNull();
		await expectNoWrite(async () => expectFailure(await request({ ...at, method: 'POST', form: { shown_name: '字'.repeat(21) } }, team.actions.join), 400, { shown_name: 'errors.too_long' }));
		expectRedirect(await request({ ...at, method: 'POST', form: { shown_name: '王阿姨', skills: '包饺子、读报', availability: '上午' } }, team.actions.join), `/estates/${JINYUAN}/teams/${TEAM}`);
		const asked = expectData(await request(at, team.load));
		expect(asked.team.mine).toBeNull();
		expect(asked.team.my_request).not.toBeNull();
		// The resident may not answer their own request; a bad decision is refused beside the field; the leader agrees.
		const answer = (as: typeof RESIDENT | typeof LEADER, form: Record<string, string>) =>
			request({ ...at, as, method: 'POST', form: { __superform_id: 'decide', ...form } }, team.actions.decide);
		await expectNoWrite(async () => expectFailure(await answer(RESIDENT, { user_id: RESIDENT_ID, decision: 'approve' }), 403, { _errors: 'errors.forbidden' }));
		await expectNoWrite(async () => expectFailure(await answer(LEADER, { user_id: RESIDENT_ID, decision: 'maybe' }), 400, { decision: 'errors.invalid_choice' }));
		await expectNoWrite(async () => expectFailure(await answer(LEADER, { user_id: 'x', decision: 'approve' }), 400, { user_id: 'errors.invalid_choice' }));
		expectRedirect(await answer(LEADER, { user_id: RESIDENT_ID, decision: 'approve' }), `/estates/${JINYUAN}/teams/${TEAM}`);
		const joined = expectData(await request(at, team.load));
		expect(joined.team.mine).toMatchObject({ shown_name: '王阿姨', skills: ['包饺子', '读报'] });
		expectRedirect(await request({ ...at, method: 'POST', form: {} }, team.actions.leave), `/estates/${JINYUAN}/teams/${TEAM}`);
		const x = await request({ ...at, method: 'POST', form: {} }, team.actions.leave);
		expect(x.outcome).toMatchObject({ kind: 'failure', status: 404, data: { message: 'errors.not_team_member' } });
	});
});
