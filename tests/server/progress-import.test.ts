import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as planPage from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/plan/+page.server';
import { count, expectData, expectFailure, expectHttpError, expectNoWrite, expectRedirect, JINYUAN, file, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * Editing milestones and importing a contractor's progress report on the plan page, through the real hooks
 * on the demo estate, without JavaScript: plain POSTs, then a redirect, the dry run's table, or the errors
 * beside the field or line, with a 4xx and nothing written.
 */

let rt: TestRuntime;
let area: string;
beforeAll(async () => {
	rt = await openTestRuntime();
	[{ id: area }] = await rt.sql.query<{ id: string }>(`select id::text from public.areas where estate_id = $1 and name = '南苑'`, [JINYUAN]);
});
afterAll(() => rt.close());

const COMMITTEE = 'committee@demo.linyi.org' as const;
const RESIDENT = 'resident@demo.linyi.org' as const;

let serial = 0;
async function planned(status = 'in_progress') {
	serial += 1;
	const [{ id: issue }] = await rt.sql.query<{ id: string }>(
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 values ($1, $2, '5eed0000-0000-4000-8000-000000001001', $3, '南苑围墙修缮。', 'facilities', $4) returning id::text`,
		[JINYUAN, area, `南苑围墙修缮${serial}`, status]
	);
	await post(issue, 'item', { title: '围墙', weight: '1', planned_start: '2026-01-01' });
	const [{ id: root }] = await rt.sql.query<{ id: string }>('select id::text from public.work_items where issue_id = $1', [issue]);
	await post(issue, 'milestone', { item_id: root, title: '拆除', weight: '1', planned_on: '2026-02-01' });
	await post(issue, 'milestone', { item_id: root, title: '砌筑', weight: '1', planned_on: '2026-03-01' });
	const ms = await rt.sql.query<{ id: string; title: string }>('select id::text, title from public.milestones where issue_id = $1 order by position', [issue]);
	return { issue, root, ms };
}
const planAt = (issue: string, query = '') => ({ url: `/estates/${JINYUAN}/issues/${issue}/plan${query}`, params: { id: JINYUAN, issueId: issue } });
const post = (issue: string, action: keyof typeof planPage.actions, form: Record<string, string | File>, as: typeof COMMITTEE | typeof RESIDENT = COMMITTEE) =>
	request({ ...planAt(issue), method: 'POST', as, form }, planPage.actions[action]);
const csv = (text: string) => file('\ufeff' + text, 'weekly.csv', 'text/csv');

describe('editing milestones', () => {
	it('opens filled in, saves, moves and removes; a done milestone keeps its weight and cannot be removed', async () => {
		const { issue, ms } = await planned();
		const page = expectData(await request({ ...planAt(issue, `?milestone=${ms[1].id}`), as: COMMITTEE }, planPage.load));
		expect(page.milestoneEditForm.data).toMatchObject({ milestone_id: ms[1].id, title: '砌筑', planned_on: '2026-03-01', weight: 1 });
		expectRedirect(await post(issue, 'editMilestone', { milestone_id: ms[1].id, title: '砌筑与抹灰', planned_on: '2026-03-05', weight: '2' }), /#items$/);
		expectRedirect(await post(issue, 'moveMilestone', { milestone_id: ms[1].id, direction: 'up' }), /#items$/);
		const order = await rt.sql.query<{ title: string }>('select title from public.milestones where issue_id = $1 order by position', [issue]);
		expect(order.map((r) => r.title)).toEqual(['砌筑与抹灰', '拆除']);
		await rt.sql.query('update public.milestones set done_at = now() where id = $1', [ms[0].id]);
		expectFailure(await expectNoWrite(() => post(issue, 'editMilestone', { milestone_id: ms[0].id, title: '拆除', weight: '4' })), 400, { weight: 'errors.milestone_done_locked' });
		const x = await expectNoWrite(() => post(issue, 'removeMilestone', { milestone_id: ms[0].id }));
		expect(x.outcome).toMatchObject({ kind: 'failure', status: 400, data: { message: 'errors.milestone_done_locked' } });
		expectRedirect(await post(issue, 'removeMilestone', { milestone_id: ms[1].id }), /#items$/);
		expect(await count('public.issues', `id = $1 and status = 'completed'`, [issue])).toBe(1);
	});

	it.each([
		[{ weight: '-1' }, 'weight', 'errors.weight_invalid'],
		[{ weight: '重' }, 'weight', 'errors.weight_invalid'],
		[{ planned_on: '2025-12-31' }, 'planned_on', 'errors.milestone_before_start'],
		[{ planned_on: '2026-02-30' }, 'planned_on', 'errors.date_invalid'],
		[{ title: '' }, 'title', 'errors.required']
	])('refuses the change %j beside the field, writing nothing', async (over, field, key) => {
		const { issue, ms } = await planned();
		const x = await expectNoWrite(() => post(issue, 'editMilestone', { milestone_id: ms[1].id, title: '砌筑', weight: '1', ...over }));
		expectFailure(x, 400, { [field]: key });
	});

	it('is the committee’s', async () => {
		const { issue, ms } = await planned();
		expectHttpError(await expectNoWrite(() => post(issue, 'removeMilestone', { milestone_id: ms[1].id }, RESIDENT)), 403);
		expectHttpError(await expectNoWrite(() => post(issue, 'moveMilestone', { milestone_id: ms[1].id, direction: 'up' }, RESIDENT)), 403);
	});
});

describe('importing a progress report', () => {
	it('a dry run shows each line’s changes and writes nothing; the apply form it carries then saves them all', async () => {
		const { issue, ms } = await planned();
		const report = `id,title,done,done_on,note\r\n${ms[0].id},拆除,是,2026-02-03,旧墙已拆除\r\n${ms[1].id},砌筑,否,,\r\n`;
		const dry = await expectNoWrite(() => post(issue, 'importCheck', { file: csv(report) }));
		const data = expectData(dry);
		expect(data.result).toMatchObject({ ok: true, dry_run: true, total: 2, changed: 1 });
		expect(data.result.lines[0].changes).toEqual([
			{ field: 'done', from: null, to: '2026-02-03' },
			{ field: 'note', from: null, to: '旧墙已拆除' }
		]);
		expect(data.result.lines[1].changes).toEqual([]);
		const applied = expectData(await post(issue, 'importApply', { rows: data.rows }));
		expect(applied.result).toMatchObject({ ok: true, dry_run: false, changed: 1 });
		expect(await count('public.milestones', `id = $1 and done_at is not null and evidence_id is not null`, [ms[0].id])).toBe(1);
		expect(await count('public.progress_updates', `issue_id = $1 and note = '旧墙已拆除'`, [issue])).toBe(1);
	});

	it('reads Chinese headers, in UTF-8 without a byte-order mark', async () => {
		const { issue, ms } = await planned();
		const bytes = new Uint8Array(Buffer.from(`节点编号,完成,完成日期\r\n${ms[1].id},是,2026-03-02\r\n`, 'utf8'));
		const data = expectData(await expectNoWrite(() => post(issue, 'importCheck', { file: new File([bytes], 'w.csv', { type: 'text/csv' }) })));
		expect(data.result.lines[0].changes).toEqual([{ field: 'done', from: null, to: '2026-03-02' }]);
	});

	it('unknown milestones, other estates’ and bad dates: a message per line, 400, nothing changed', async () => {
		const { issue, ms } = await planned();
		const [{ id: theirs }] = await rt.sql.query<{ id: string }>(`select id::text from public.milestones where estate_id <> $1 limit 1`, [JINYUAN]);
		const report = [
			'id,done,done_on,planned_on',
			`${ms[0].id},是,2026/02/03,`,
			'00000000-0000-4000-8000-000000000000,是,,',
			`${theirs},是,,`,
			`${ms[1].id},,,2026-13-01`
		].join('\n');
		const x = await expectNoWrite(() => post(issue, 'importCheck', { file: csv(report) }));
		const o = x.outcome as { kind: string; status: number; data: { result: { ok: boolean; errors: unknown[] } } };
		expect([o.kind, o.status]).toEqual(['failure', 400]);
		expect(o.data.result.errors).toEqual([
			{ line: 2, field: 'done_on', key: 'errors.import.date' },
			{ line: 3, field: 'id', key: 'errors.import.unknown_milestone' },
			{ line: 4, field: 'id', key: 'errors.import.other_estate' },
			{ line: 5, field: 'planned_on', key: 'errors.import.date' }
		]);
		// A changed apply form is checked again by the database, all or nothing.
		const rows = JSON.stringify([{ line: 2, id: ms[0].id, done: 'true' }, { line: 3, id: theirs, done: 'true' }]);
		const y = await expectNoWrite(() => post(issue, 'importApply', { rows }));
		expect(y.outcome).toMatchObject({ kind: 'failure', status: 400, data: { result: { ok: false, errors: [{ line: 3, field: 'id', key: 'errors.import.other_estate' }] } } });
	});

	it.each([
		['no id column', 'title,done\r\n拆除,是\r\n', 'errors.import.progress_header'],
		['an unknown column', 'id,colour\r\nx,red\r\n', 'errors.import.progress_header'],
		['no rows', 'id,done\r\n', 'errors.import.empty'],
		['a short line', 'id,done,done_on\r\nx,是\r\n', 'errors.import.field_count']
	])('refuses a report with %s', async (_, text, key) => {
		const { issue } = await planned();
		const x = await expectNoWrite(() => post(issue, 'importCheck', { file: csv(text) }));
		expect(x.outcome).toMatchObject({ kind: 'failure', status: 400 });
		expect((x.outcome as { data: { result: { errors: { key: string }[] } } }).data.result.errors[0].key).toBe(key);
	});

	it('refuses no file, a broken apply form, and a resident', async () => {
		const { issue, ms } = await planned();
		expectFailure(await expectNoWrite(() => post(issue, 'importCheck', {})), 400, { file: 'errors.file_required' });
		const bad = await expectNoWrite(() => post(issue, 'importApply', { rows: '[{"line":"x"}]' }));
		expect(bad.outcome).toMatchObject({ kind: 'failure', status: 400 });
		expectHttpError(await expectNoWrite(() => post(issue, 'importCheck', { file: csv(`id,done\r\n${ms[0].id},是\r\n`) }, RESIDENT)), 403);
	});
});
