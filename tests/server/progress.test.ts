import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import * as planPage from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/plan/+page.server';
import * as issuePage from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/+page.server';
import { count, expectData, expectFailure, expectHttpError, expectNoWrite, expectRedirect, JINYUAN, CAILIAN, file, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * Progress tracking through the real hooks on the demo estate: the committee plans an issue (items to any
 * depth, milestones), records progress with photos and marks milestones done; the issue page shows the
 * formula, the before/after pair and the notes. Every bad input is answered beside its field with a 4xx
 * and nothing written.
 */

let rt: TestRuntime;
let area: string;
let jpeg: Uint8Array<ArrayBuffer>;
beforeAll(async () => {
	rt = await openTestRuntime();
	[{ id: area }] = await rt.sql.query<{ id: string }>(`select id::text from public.areas where estate_id = $1 and name = '南苑'`, [JINYUAN]);
	jpeg = new Uint8Array(await sharp({ create: { width: 800, height: 600, channels: 3, background: '#5a7' } }).jpeg().toBuffer());
});
afterAll(() => rt.close());

const COMMITTEE = 'committee@demo.linyi.org' as const;
const RESIDENT = 'resident@demo.linyi.org' as const;

let serial = 0;
async function issueIn(status: string) {
	serial += 1;
	const [{ id }] = await rt.sql.query<{ id: string }>(
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 values ($1, $2, '5eed0000-0000-4000-8000-000000001001', $3, '南苑路面和车位改造。', 'parking', $4) returning id::text`,
		[JINYUAN, area, `南苑道路改造${serial}`, status]
	);
	return id;
}
const planAt = (issue: string, query = '') => ({ url: `/estates/${JINYUAN}/issues/${issue}/plan${query}`, params: { id: JINYUAN, issueId: issue } });
const post = (issue: string, action: keyof typeof planPage.actions, form: Record<string, string | File | string[]>, as: typeof COMMITTEE | typeof RESIDENT = COMMITTEE) =>
	request({ ...planAt(issue), method: 'POST', as, form }, planPage.actions[action]);
const items = async (issue: string) =>
	rt.sql.query<{ id: string; title: string; parent_id: string | null }>(`select id::text, title, parent_id::text from public.work_items where issue_id = $1 order by created_at, id`, [issue]);
const milestones = async (issue: string) =>
	rt.sql.query<{ id: string; title: string; done: boolean }>(`select id::text, title, done_at is not null as done from public.milestones where issue_id = $1 order by created_at, id`, [issue]);

describe('the plan page', () => {
	it('is the committee’s: residents are refused, the signed-out sent to sign in, another estate’s address not found', async () => {
		const issue = await issueIn('approved');
		const data = expectData(await request({ ...planAt(issue), as: COMMITTEE }, planPage.load));
		expect(data.plan).toBeNull();
		expectHttpError(await request({ ...planAt(issue), as: RESIDENT }, planPage.load), 403);
		expectRedirect(await request({ ...planAt(issue) }, planPage.load), /^\/auth\/sign-in\?next=/);
		expectHttpError(await request({ url: `/estates/${CAILIAN}/issues/${issue}/plan`, params: { id: CAILIAN, issueId: issue }, as: COMMITTEE }, planPage.load), 404);
	});

	it('plans without JavaScript: the plan, items under it and under items, a change, milestones; the formula on the issue page', async () => {
		const issue = await issueIn('approved');
		expectRedirect(await post(issue, 'item', { title: '南苑道路改造', responsible_kind: 'contractor', responsible: '苏州市政', planned_start: '2027-03-01', planned_end: '2027-06-30', budget: '380000.50', weight: '1' }), /#items$/);
		const [root] = await items(issue);
		expectRedirect(await post(issue, 'item', { title: '路面', weight: '3' }), /#items$/);
		expectRedirect(await post(issue, 'item', { title: '车位', weight: '1' }), /#items$/);
		const [, road, parking] = await items(issue);
		expect(road.parent_id).toBe(root.id);
		expectRedirect(await post(issue, 'item', { title: '划线', parent_id: parking.id, weight: '1' }), /#items$/);
		expect((await items(issue))[3]).toMatchObject({ title: '划线', parent_id: parking.id });
		// Changing an item: the form opens filled in (?edit=), and saves.
		const edit = expectData(await request({ ...planAt(issue, `?edit=${road.id}`), as: COMMITTEE }, planPage.load));
		expect(edit.itemForm.data).toMatchObject({ item_id: road.id, title: '路面', weight: 3 });
		expectRedirect(await post(issue, 'item', { item_id: road.id, title: '路面翻新', weight: '3', parent_id: root.id }), /#items$/);
		expect((await items(issue))[1].title).toBe('路面翻新');
		expectRedirect(await post(issue, 'milestone', { item_id: road.id, title: '铣刨', planned_on: '2027-03-10', weight: '1' }), /#items$/);
		expectRedirect(await post(issue, 'milestone', { item_id: parking.id, title: '车位划线', weight: '2' }), /#items$/);
		expect((await milestones(issue)).map((m) => m.title)).toEqual(['铣刨', '车位划线']);
		const page = expectData(await request({ url: `/estates/${JINYUAN}/issues/${issue}`, params: { id: JINYUAN, issueId: issue }, as: RESIDENT }, issuePage.load));
		expect(page.detail.progress.progress).toBe(0);
		expect(page.detail.progress.items.map((i: { title: string }) => i.title)).toEqual(['南苑道路改造', '路面翻新', '车位', '划线']);
	});

	it.each([
		[{ title: '' }, 'title', 'errors.required'],
		[{ weight: '-1' }, 'weight', 'errors.weight_invalid'],
		[{ weight: '重' }, 'weight', 'errors.weight_invalid'],
		[{ planned_start: '2027-05-01', planned_end: '2027-04-01' }, 'planned_end', 'errors.plan_dates_invalid'],
		[{ planned_start: '2027-13-45' }, 'planned_start', 'errors.date_invalid'],
		[{ budget: '-5' }, 'budget', 'errors.budget_invalid'],
		[{ budget: '很多' }, 'budget', 'errors.budget_invalid'],
		[{ excluded: 'on', exclusion_reason: '' }, 'exclusion_reason', 'errors.reason_required'],
		[{ responsible_kind: 'boss' }, 'responsible_kind', 'errors.invalid_choice'],
		[{ parent_id: '不是编号' }, 'parent_id', 'errors.invalid_choice'],
		[{ parent_id: '00000000-0000-4000-8000-000000000000' }, 'parent_id', 'errors.parent_invalid']
	])('refuses the item %j beside the field, writing nothing', async (over, field, key) => {
		const issue = await issueIn('in_progress');
		await post(issue, 'item', { title: '计划', weight: '1' });
		const x = await expectNoWrite(() => post(issue, 'item', { title: '子项', weight: '1', ...over }));
		expectFailure(x, 400, { [field]: key });
	});

	it.each([
		[{ title: '' }, 'title', 'errors.required'],
		[{ weight: '-2' }, 'weight', 'errors.weight_invalid'],
		[{ planned_on: '2027-02-01' }, 'planned_on', 'errors.milestone_before_start'],
		[{ item_id: 'x' }, 'item_id', 'errors.invalid_choice']
	])('refuses the milestone %j beside the field, writing nothing', async (over, field, key) => {
		const issue = await issueIn('in_progress');
		await post(issue, 'item', { title: '计划', weight: '1', planned_start: '2027-03-01' });
		const [root] = await items(issue);
		const x = await expectNoWrite(() => post(issue, 'milestone', { item_id: root.id, title: '进场', weight: '1', ...over }));
		expectFailure(x, 400, { [field]: key });
	});

	it('refuses planning an issue not decided, and a resident posting to it', async () => {
		const issue = await issueIn('proposed');
		expectFailure(await expectNoWrite(() => post(issue, 'item', { title: '计划', weight: '1' })), 400, { _errors: 'errors.plan_not_open' });
		const other = await issueIn('approved');
		expectHttpError(await expectNoWrite(() => post(other, 'item', { title: '计划', weight: '1' }, RESIDENT)), 403);
	});
});

describe('progress updates', () => {
	async function planned(status = 'in_progress') {
		const issue = await issueIn(status);
		await post(issue, 'item', { title: '计划', weight: '1' });
		const [root] = await items(issue);
		await post(issue, 'milestone', { item_id: root.id, title: '进场', weight: '1' });
		await post(issue, 'milestone', { item_id: root.id, title: '完工', weight: '1' });
		return { issue, ms: await milestones(issue) };
	}

	it('a note with a photo, then milestones done (one without a photo): the issue completes, the page shows the pair and 无照片', async () => {
		const { issue, ms } = await planned();
		expectRedirect(await post(issue, 'update', { note: '开工前的路面', photos: new File([jpeg], 'before.jpg', { type: 'image/jpeg' }) }), /#progress$/);
		expectRedirect(await post(issue, 'update', { milestone_id: ms[0].id, note: '' }), /#progress$/);
		expectRedirect(await post(issue, 'update', { milestone_id: ms[1].id, note: '全部完工', photos: new File([jpeg], 'after.jpg', { type: 'image/jpeg' }) }), /#progress$/);
		expect(await count('public.issues', `id = $1 and status = 'completed'`, [issue])).toBe(1);
		expect(await count('public.progress_photos', 'issue_id = $1', [issue])).toBe(2);
		const page = expectData(await request({ url: `/estates/${JINYUAN}/issues/${issue}`, params: { id: JINYUAN, issueId: issue }, as: RESIDENT }, issuePage.load));
		expect(page.detail.progress.progress).toBe(1);
		expect(page.detail.progress.items[0].milestones.map((m: { done: boolean; photos: number }) => [m.done, m.photos])).toEqual([
			[true, 0],
			[true, 1]
		]);
		expect(page.evidence.before).toMatchObject({ url: expect.stringMatching(/^\/uploads\//), from_issue: false });
		expect(page.evidence.after.url).not.toBe(page.evidence.before.url);
		expect(page.updates.map((u: { note: string }) => u.note)).toEqual(['全部完工', '开工前的路面']);
		expect(page.updates[0].photos).toHaveLength(1);
	});

	it('refuses an empty note, a non-image, marking before work started, and the same milestone twice, writing nothing', async () => {
		const { issue, ms } = await planned();
		expectFailure(await expectNoWrite(() => post(issue, 'update', { note: '' })), 400, { note: 'errors.note_invalid' });
		expectFailure(await expectNoWrite(() => post(issue, 'update', { note: '照片', photos: file('not an image', 'x.jpg', 'image/jpeg') })), 400, { photos: 'errors.photo_not_image' });
		await post(issue, 'update', { milestone_id: ms[0].id });
		expectFailure(await expectNoWrite(() => post(issue, 'update', { milestone_id: ms[0].id })), 409, { milestone_id: 'errors.milestone_already_done' });
		const early = await planned('publicized');
		expectFailure(await expectNoWrite(() => post(early.issue, 'update', { milestone_id: early.ms[0].id })), 400, { milestone_id: 'errors.work_not_started' });
		expectFailure(await expectNoWrite(() => post(early.issue, 'update', { note: '还没开工' })), 400, { _errors: 'errors.work_not_started' });
		expectHttpError(await expectNoWrite(() => post(issue, 'update', { note: '居民' }, RESIDENT)), 403);
	});
});

describe('the issue page with a plan', () => {
	it('reads the plan, its notes and the pair in the one issue_detail call, with 5 items as with 200', async () => {
		const page = async (n: number) => {
			const issue = await issueIn('in_progress');
			await post(issue, 'item', { title: '计划', weight: '1' });
			const [root] = await items(issue);
			await rt.sql.query(
				`insert into public.work_items (issue_id, estate_id, parent_id, title, weight, position)
				 select $1, $2, $3, '子项' || g, 1, g from generate_series(1, $4::int) g`,
				[issue, JINYUAN, root.id, n]
			);
			await rt.sql.query(
				`insert into public.milestones (item_id, issue_id, estate_id, title, weight, done_at)
				 select id, issue_id, estate_id, '节点', 1, case when position % 2 = 0 then now() end from public.work_items where issue_id = $1 and parent_id is not null`,
				[issue]
			);
			await post(issue, 'update', { note: '进展', photos: new File([jpeg], 'p.jpg', { type: 'image/jpeg' }) });
			const calls: string[] = [];
			const real = rt.backend.call.bind(rt.backend);
			rt.backend.call = ((fn: string, args: Record<string, unknown>, as: never) => {
				calls.push(fn);
				return real(fn, args, as);
			}) as typeof rt.backend.call;
			try {
				const data = expectData(await request({ url: `/estates/${JINYUAN}/issues/${issue}`, params: { id: JINYUAN, issueId: issue }, as: RESIDENT }, issuePage.load));
				return { calls, data };
			} finally {
				rt.backend.call = real;
			}
		};
		const few = await page(5);
		const many = await page(200);
		expect(few.calls).toEqual(['issue_detail']);
		expect(many.calls).toEqual(few.calls);
		expect(many.data.detail.progress.items).toHaveLength(201);
		expect(many.data.detail.progress.progress).toBeCloseTo(100 / 200, 9);
		expect(many.data.updates[0].photos).toHaveLength(1);
	});
});
