import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import type { PlanProgress } from '../../src/lib/domain/progress';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedIssues, seedWorld, type Person, type World } from './fixtures';

/**
 * Progress tracking (20261204110000_create_progress.sql): plans with work
 * items to any depth, milestones, the progress formula anyone can recompute,
 * updates with evidence, and the lifecycle steps they take, called as the
 * app calls them on the world of fixtures.ts.
 */

type Json = Record<string, unknown>;

describe.each(DATABASES)('progress on %s', (name) => {
	let db: TestDb;
	let w: World;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		await seedIssues(db, w);
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const call = <T = Json>(fn: string, args: Json, caller: Caller) => db.backend.call<T>(fn, args, caller);
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);

	let serial = 0;
	async function issueIn(status: string, estate: 'a' | 'b' = 'a') {
		serial += 1;
		const [{ id }] = await q<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
			 values ($1, $2, $3, $4, '说明', 'facilities', $5) returning id::text`,
			[w[estate].id, w[estate].courtyardId, estate === 'a' ? w.users.resident : w.users.otherEstate, `改造工程${serial}`, status]
		);
		return id;
	}
	const item = async (issue: string, title: string, over: Json = {}, p: Person = 'committee') =>
		(await call<{ id: string }>('plan_item', { p_issue_id: issue, p_title: title, ...over }, as(p))).id;
	const milestone = async (itemId: string, title: string, weight = 1, over: Json = {}) =>
		(await call<{ id: string }>('add_milestone', { p_item_id: itemId, p_title: title, p_weight: weight, ...over }, as('committee'))).id;
	/** Marks milestones done as the superuser (the formula's cases; complete_milestone has its own). */
	const done = (...ids: string[]) => q(`update public.milestones set done_at = now() where id = any($1::uuid[])`, [ids]);
	const progress = (issue: string, p: Person = 'resident') => call<PlanProgress | null>('item_progress', { p_issue_id: issue }, as(p));
	const of = (plan: PlanProgress | null, id: string) => plan!.items.find((i) => i.id === id)!;
	const issueStatus = async (id: string) => (await q<{ status: string }>('select status from public.issues where id = $1', [id]))[0].status;

	async function state() {
		return q(
			`select (select count(*) from public.work_items)::int as items, (select count(*) from public.milestones)::int as milestones,
			   (select count(*) from public.milestones where done_at is not null)::int as done,
			   (select count(*) from public.progress_updates)::int as updates, (select count(*) from public.progress_photos)::int as photos,
			   (select count(*) from public.issue_events)::int as events, (select count(*) from public.notifications)::int as notifications,
			   (select md5(string_agg(id::text || title || weight || excluded || coalesce(parent_id::text, '-'), ',' order by id)) from public.work_items) as tree,
			   (select md5(string_agg(id::text || status, ',' order by id)) from public.issues) as issues`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	describe('the formula', () => {
		it('Σ(weight × done) ÷ Σ(weight) over milestones, weights normalised by their sum', async () => {
			const issue = await issueIn('in_progress');
			const root = await item(issue, '整治');
			const [a, b, c] = [await milestone(root, '设计', 1), await milestone(root, '施工', 3), await milestone(root, '验收', 0)];
			let plan = await progress(issue);
			expect(plan).toMatchObject({ root, progress: 0 });
			expect(of(plan, root)).toMatchObject({ counted: true, depth: 0 });
			expect(Number(of(plan, root).weight_sum)).toBe(4);
			await done(a);
			plan = await progress(issue);
			expect(Number(plan!.progress)).toBeCloseTo(0.25, 12);
			expect(Number(of(plan, root).done_weight)).toBe(1);
			await done(b, c);
			expect(Number((await progress(issue))!.progress)).toBeCloseTo(1, 12);
		});

		it('a sub-item contributes its own progress × its weight; normalised by the counted weights', async () => {
			const issue = await issueIn('in_progress');
			const root = await item(issue, '老旧小区改造');
			const x = await item(issue, '外立面', { p_weight: 3 });
			const y = await item(issue, '屋面', { p_weight: 1 });
			const x1 = await milestone(x, '脚手架', 1);
			await milestone(x, '涂料', 1);
			const y1 = await milestone(y, '防水', 2);
			await done(x1, y1);
			const plan = await progress(issue);
			// (3 × 0.5 + 1 × 1) ÷ (3 + 1) = 0.625
			expect(Number(plan!.progress)).toBeCloseTo(0.625, 12);
			expect(Number(of(plan, x).progress)).toBeCloseTo(0.5, 12);
			expect(Number(of(plan, root).weight_sum)).toBe(4);
			expect(of(plan, x).parent_id).toBe(root);
		});

		it('an item with nothing to count does not drag the average; an excluded item is left out with its reason; zero weights count nothing', async () => {
			const issue = await issueIn('in_progress');
			const root = await item(issue, '整治');
			const full = await item(issue, '道路', { p_weight: 1 });
			const empty = await item(issue, '停车', { p_weight: 5 });
			const excluded = await item(issue, '绿化', { p_weight: 5, p_excluded: true, p_exclusion_reason: '由园林局另行实施' });
			const zero = await item(issue, '标识', { p_weight: 0 });
			const onlyZero = await item(issue, '宣传', { p_weight: 2 });
			const m = await milestone(full, '铺路', 1);
			const e1 = await milestone(excluded, '种树', 1);
			const z1 = await milestone(zero, '挂牌', 1);
			await milestone(onlyZero, '海报', 0);
			await done(m);
			const plan = await progress(issue);
			expect(Number(plan!.progress)).toBe(1);
			expect(of(plan, empty)).toMatchObject({ counted: false, progress: null });
			expect(of(plan, onlyZero)).toMatchObject({ counted: false, progress: null });
			expect(of(plan, excluded)).toMatchObject({ excluded: true, exclusion_reason: '由园林局另行实施', counted: true });
			expect(Number(of(plan, excluded).progress)).toBe(0);
			expect(Number(of(plan, zero).progress)).toBe(0);
			expect(Number(of(plan, root).weight_sum)).toBe(1);
			await done(e1, z1);
			expect(Number((await progress(issue))!.progress)).toBe(1);
		});

		it('an empty plan and a plan of empty items have no progress, not 0 %', async () => {
			const issue = await issueIn('approved');
			expect(await progress(issue)).toBeNull();
			const root = await item(issue, '计划');
			await item(issue, '子项');
			const plan = await progress(issue);
			expect(plan!.progress).toBeNull();
			expect(of(plan, root).counted).toBe(false);
		});

		it('depth 5: each level halves a done half, as anyone recomputing it by hand finds', async () => {
			const issue = await issueIn('in_progress');
			let parent = await item(issue, '第0层');
			const chain = [parent];
			for (let d = 1; d <= 5; d++) {
				const done1 = await milestone(parent, `第${d - 1}层完成`, 1);
				await done(done1);
				parent = await item(issue, `第${d}层`, { p_parent_id: parent, p_weight: 1 });
				chain.push(parent);
			}
			await milestone(parent, '最深处', 1);
			const plan = await progress(issue);
			// p5 = 0; p4 = (1 + 0)/2; p3 = (1 + p4)/2; … p0 = 31/32
			let p = 0;
			for (let d = 5; d >= 0; d--) {
				expect(of(plan, chain[d]).depth).toBe(d);
				expect(Number(of(plan, chain[d]).progress)).toBeCloseTo(p, 12);
				p = (1 + p) / 2;
			}
			expect(Number(plan!.progress)).toBeCloseTo(31 / 32, 12);
		});

		it('1,000 items five levels deep: one statement calling none of our functions, the result as recomputed here', async () => {
			async function plan(n: number) {
				const issue = await issueIn('in_progress');
				const root = await item(issue, '大计划');
				// A tree five levels deep, written as the superuser (the functions were tested above).
				await q(
					`with recursive g (n) as (select 1 union all select n + 1 from g where n < $2)
					 insert into public.work_items (id, issue_id, estate_id, parent_id, title, weight, position)
					 select md5($1::text || n)::uuid, $1::uuid, $3::uuid, case when n <= 5 then $4::uuid else md5($1::text || ((n - 1) / 5))::uuid end, '项' || n, 1 + n % 3, n from g`,
					[issue, n, w.a.id, root]
				);
				await q(
					`insert into public.milestones (item_id, issue_id, estate_id, title, weight, done_at)
					 select id, issue_id, estate_id, '节点', 1 + k % 2, case when k = 1 or (position % 2 = 0) then now() end
					 from public.work_items, generate_series(1, 2) k where issue_id = $1 and parent_id is not null`,
					[issue]
				);
				return { issue, root };
			}
			const small = await plan(10);
			const big = await plan(1000);
			const s = { r: (await progress(small.issue))! };
			const b = { r: (await progress(big.issue))! };
			expect(s.r.items).toHaveLength(11);
			expect(b.r.items).toHaveLength(1001);
			// Recomputed here, bottom up, from the rows.
			const items = await q<{ id: string; parent_id: string | null; weight: string }>('select id::text, parent_id::text, weight::text from public.work_items where issue_id = $1', [big.issue]);
			const ms = await q<{ item_id: string; weight: string; done: boolean }>('select item_id::text, weight::text, done_at is not null as done from public.milestones where issue_id = $1', [big.issue]);
			const kids = new Map<string, string[]>();
			for (const i of items) if (i.parent_id) kids.set(i.parent_id, [...(kids.get(i.parent_id) ?? []), i.id]);
			const weightOf = new Map(items.map((i) => [i.id, Number(i.weight)]));
			const memo = new Map<string, number | null>();
			const p = (id: string): number | null => {
				if (memo.has(id)) return memo.get(id)!;
				let num = 0;
				let den = 0;
				for (const m of ms.filter((m) => m.item_id === id)) {
					num += Number(m.weight) * (m.done ? 1 : 0);
					den += Number(m.weight);
				}
				for (const c of kids.get(id) ?? []) {
					const pc = p(c);
					if (pc !== null) {
						num += weightOf.get(c)! * pc;
						den += weightOf.get(c)!;
					}
				}
				const v = den > 0 ? num / den : null;
				memo.set(id, v);
				return v;
			};
			expect(Number(b.r.progress)).toBeCloseTo(p(big.root)!, 9);
			for (const i of b.r.items.slice(0, 50)) expect(Number(i.progress)).toBeCloseTo(p(i.id)!, 9);
			// The statement's shape: item_progress is one SQL statement (not plpgsql looping over items), and it calls
			// no function of ours (no per-row helper): the only calls in its text are built-ins.
			const [fn] = await q<{ lang: string; src: string }>(
				`select l.lanname as lang, p.prosrc as src from pg_proc p join pg_language l on l.oid = p.prolang where p.proname = 'item_progress'`
			);
			expect(fn.lang).toBe('sql');
			expect(fn.src.replace(/--.*$/gm, '').trim().replace(/;\s*$/, '')).not.toContain(';');
			expect(fn.src).not.toMatch(/\b(private|public|auth)\.[a-z_]+\s*\(/);
		});
	});

	describe('planning', () => {
		it('the committee plans an approved, publicized, in-progress or followed-up issue; items go under the plan, to any parent', async () => {
			for (const status of ['approved', 'publicized', 'in_progress', 'following_up']) {
				const issue = await issueIn(status);
				const root = await item(issue, '计划', {
					p_responsible_kind: 'contractor',
					p_responsible: '苏州建工',
					p_planned_start: '2027-01-01',
					p_planned_end: '2027-06-30',
					p_budget: 1200000.5
				});
				const child = await item(issue, '外立面');
				const grandchild = await item(issue, '北立面', { p_parent_id: child });
				const plan = await progress(issue);
				expect(of(plan, root)).toMatchObject({ parent_id: null, responsible_kind: 'contractor', responsible: '苏州建工', planned_start: '2027-01-01', planned_end: '2027-06-30' });
				expect(Number(of(plan, root).budget)).toBe(1200000.5);
				expect(of(plan, child).parent_id).toBe(root);
				expect(of(plan, grandchild)).toMatchObject({ parent_id: child, depth: 2 });
			}
		});

		it('changing an item keeps the plan a tree', async () => {
			const issue = await issueIn('in_progress');
			await item(issue, '计划');
			const a = await item(issue, '甲');
			const b = await item(issue, '乙', { p_parent_id: a });
			await refused(() => item(issue, '甲', { p_item_id: a, p_parent_id: b }), { code: '22023', key: 'errors.parent_invalid', field: 'parent_id' });
			await refused(() => item(issue, '甲', { p_item_id: a, p_parent_id: a }), { code: '22023', key: 'errors.parent_invalid', field: 'parent_id' });
			await call('plan_item', { p_issue_id: issue, p_item_id: b, p_title: '乙（改）', p_weight: 2 }, as('committee'));
			expect(of(await progress(issue), b)).toMatchObject({ title: '乙（改）', parent_id: a });
		});

		const BAD: Array<[string, Json, Json]> = [
			['a negative weight', { p_weight: -1 }, { code: '22023', key: 'errors.weight_invalid', field: 'weight' }],
			['a weight that is not a number', { p_weight: 'NaN' }, { code: '22023', key: 'errors.weight_invalid', field: 'weight' }],
			['no weight', { p_weight: null }, { code: '22023', key: 'errors.weight_invalid', field: 'weight' }],
			['an end before the start', { p_planned_start: '2027-05-01', p_planned_end: '2027-04-30' }, { code: '22023', key: 'errors.plan_dates_invalid', field: 'planned_end' }],
			['a negative budget', { p_budget: -5 }, { code: '22023', key: 'errors.budget_invalid', field: 'budget' }],
			['an exclusion without a reason', { p_excluded: true, p_exclusion_reason: '  ' }, { code: '22023', key: 'errors.reason_required', field: 'exclusion_reason' }],
			['no title', { p_title: ' ' }, { code: '22023', key: 'errors.title_invalid', field: 'title' }],
			['an unknown kind of responsible party', { p_responsible_kind: 'boss' }, { code: '22023', key: 'errors.invalid_choice', field: 'responsible_kind' }],
			['a parent of another plan', { p_parent_id: '00000000-0000-4000-8000-000000000000' }, { code: '22023', key: 'errors.parent_invalid', field: 'parent_id' }]
		];
		it.each(BAD)('refuses %s, and changes nothing', async (_what, over, error) => {
			const issue = await issueIn('in_progress');
			await item(issue, '计划');
			await refused(() => call('plan_item', { p_issue_id: issue, p_title: '子项', ...over }, as('committee')), error);
		});

		it('refuses a resident, another estate, and an issue not yet decided', async () => {
			const issue = await issueIn('approved');
			await refused(() => item(issue, '计划', {}, 'resident'), { code: '42501', key: 'errors.forbidden' });
			await refused(() => item(issue, '计划', {}, 'moderator'), { code: '42501', key: 'errors.forbidden' });
			await refused(() => item(issue, '计划', {}, 'committeeB'), { code: 'P0002', key: 'errors.issue_not_found' });
			for (const status of ['proposed', 'deliberating', 'voting', 'rejected', 'completed']) {
				const other = await issueIn(status);
				await refused(() => item(other, '计划'), { code: '22023', key: 'errors.plan_not_open' });
			}
		});

		it('a milestone is not dated before its item (or the nearest planned ancestor) starts', async () => {
			const issue = await issueIn('in_progress');
			await item(issue, '计划', { p_planned_start: '2027-03-01' });
			const child = await item(issue, '屋面');
			await refused(() => milestone(child, '进场', 1, { p_planned_on: '2027-02-28' }), { code: '22023', key: 'errors.milestone_before_start', field: 'planned_on' });
			await refused(() => milestone(child, '进场', -2), { code: '22023', key: 'errors.weight_invalid', field: 'weight' });
			await refused(() => call('add_milestone', { p_item_id: child, p_title: '外人' }, as('resident')), { code: '42501', key: 'errors.forbidden' });
			await refused(() => call('add_milestone', { p_item_id: child, p_title: '外人' }, as('committeeB')), { code: 'P0002', key: 'errors.item_not_found' });
			await milestone(child, '进场', 1, { p_planned_on: '2027-03-01' });
		});
	});

	describe('updates with evidence and the lifecycle', () => {
		const PHOTO = (n: string) => ({ path: `issues/p-${n}.jpg`, thumb_path: `issues/p-${n}_t.jpg`, width: 800, height: 600 });

		it('completing a milestone of work never started is refused', async () => {
			const issue = await issueIn('publicized');
			const root = await item(issue, '计划');
			const m = await milestone(root, '进场');
			await refused(() => call('complete_milestone', { p_milestone_id: m }, as('committee')), { code: '22023', key: 'errors.work_not_started', field: 'milestone_id' });
			await refused(() => call('post_progress', { p_issue_id: issue, p_note: '还没开工' }, as('committee')), { code: '22023', key: 'errors.work_not_started' });
		});

		it('a progress note with photos goes on the timeline, its readers are told, and the issue page shows the before/after pair', async () => {
			const issue = await issueIn('in_progress');
			await q('insert into public.issue_supports (issue_id, user_id) values ($1, $2)', [issue, w.users.volunteer]);
			await q(`insert into public.issue_photos (issue_id, position, path, thumb_path, width, height) values ($1, 0, $2, $3, 800, 600)`, [
				issue,
				`issues/before-${issue}.jpg`,
				`issues/before-${issue}_t.jpg`
			]);
			const r = await call<{ id: string }>('post_progress', { p_issue_id: issue, p_note: ' 脚手架已搭好 ', p_photos: [PHOTO(`${issue}-1`), PHOTO(`${issue}-2`)] }, as('committee'));
			const told = await q<{ user_id: string; payload: Json }>(`select user_id::text, payload from public.notifications where kind = 'progress_posted' and issue_id = $1 order by 1`, [issue]);
			expect(told.map((n) => n.user_id)).toEqual([w.users.resident, w.users.volunteer].sort());
			expect(told[0].payload).toMatchObject({ path: `/estates/${w.a.id}/issues/${issue}` });
			const page = await call<{ updates: Json[]; evidence: Json; timeline: Json[]; update_count: number }>('issue_detail', { p_issue_id: issue }, as('resident'));
			expect(page.updates).toEqual([expect.objectContaining({ id: r.id, note: '脚手架已搭好', photos: [expect.objectContaining(PHOTO(`${issue}-1`)), expect.objectContaining(PHOTO(`${issue}-2`))] })]);
			expect(page.update_count).toBe(1);
			expect(page.evidence).toMatchObject({ before: { path: `issues/before-${issue}.jpg`, from_issue: true }, after: { path: `issues/p-${issue}-2.jpg` } });
			expect(page.timeline.some((e) => e.kind === 'progress' && e.progress_update_id === r.id)).toBe(true);
			// The photo is readable where the issue is.
			expect(await call('can_read_photo', { p_path: `issues/p-${issue}-1.jpg` }, as('resident'))).toBe(true);
			expect(await call('can_read_photo', { p_path: `issues/p-${issue}-1.jpg` }, as('otherEstate'))).toBe(false);
			await refused(() => call('post_progress', { p_issue_id: issue, p_note: '外人' }, as('resident')), { code: '42501', key: 'errors.forbidden' });
			await refused(() => call('post_progress', { p_issue_id: issue, p_note: ' ' }, as('committee')), { code: '22023', key: 'errors.note_invalid', field: 'note' });
			await refused(() => call('post_progress', { p_issue_id: issue, p_note: '七张', p_photos: Array.from({ length: 7 }, (_, i) => PHOTO(`x${i}`)) }, as('committee')), {
				code: '22023',
				key: 'errors.photos_too_many',
				field: 'photos'
			});
		});

		it('without a photo of the issue, the "before" is the first progress photo', async () => {
			const issue = await issueIn('in_progress');
			await call('post_progress', { p_issue_id: issue, p_note: '开工前', p_photos: [PHOTO(`${issue}-a`)] }, as('committee'));
			await call('post_progress', { p_issue_id: issue, p_note: '完工', p_photos: [PHOTO(`${issue}-b`)] }, as('committee'));
			const page = await call<{ evidence: Json }>('issue_detail', { p_issue_id: issue }, as('resident'));
			expect(page.evidence).toMatchObject({ before: { path: `issues/p-${issue}-a.jpg`, from_issue: false }, after: { path: `issues/p-${issue}-b.jpg` } });
		});

		it('a milestone done without evidence says so; the last one completes the issue and tells its followers; done twice is refused', async () => {
			const issue = await issueIn('in_progress');
			await q('insert into public.issue_supports (issue_id, user_id) values ($1, $2)', [issue, w.users.volunteer]);
			const root = await item(issue, '计划');
			const sub = await item(issue, '子项');
			const skipped = await item(issue, '另案', { p_excluded: true, p_exclusion_reason: '另行立项' });
			const a = await milestone(root, '进场');
			const b = await milestone(sub, '完工', 2);
			await milestone(skipped, '不计');
			const first = await call<{ progress: number; status: string }>('complete_milestone', { p_milestone_id: a }, as('committee'));
			expect(first.status).toBe('in_progress');
			// (1 × 1 + 1 × 0) ÷ (1 + 1): the sub-item counts with its own weight 1, the excluded one not at all.
			expect(Number(first.progress)).toBeCloseTo(0.5, 12);
			let plan = await progress(issue);
			expect(of(plan, root).milestones[0]).toMatchObject({ done: true, evidence_id: null, photos: 0 });
			await refused(() => call('complete_milestone', { p_milestone_id: a }, as('committee')), { code: '23505', key: 'errors.milestone_already_done' });
			await refused(() => call('complete_milestone', { p_milestone_id: b }, as('resident')), { code: '42501', key: 'errors.forbidden' });
			const last = await call<{ progress: number; status: string }>('complete_milestone', { p_milestone_id: b, p_note: '全部完工', p_photos: [PHOTO(`${issue}-done`)] }, as('committee'));
			expect(last.status).toBe('completed');
			expect(await issueStatus(issue)).toBe('completed');
			plan = await progress(issue);
			expect(of(plan, sub).milestones[0]).toMatchObject({ done: true, photos: 1 });
			const events = await q<{ kind: string; action: string | null }>(`select kind, action from public.issue_events where issue_id = $1 and kind in ('milestone_done', 'transition') order by id`, [issue]);
			expect(events).toEqual([
				{ kind: 'milestone_done', action: 'no_evidence' },
				{ kind: 'milestone_done', action: null },
				{ kind: 'transition', action: 'finish' }
			]);
			const told = await q<{ user_id: string }>(`select user_id::text from public.notifications where kind = 'work_completed' and issue_id = $1 order by 1`, [issue]);
			expect(told.map((n) => n.user_id)).toEqual([w.users.resident, w.users.volunteer].sort());
		});

		it('followed-up matters never finish by themselves; the committee completes work by hand only with a reason', async () => {
			const follow = await issueIn('following_up');
			const m = await milestone(await item(follow, '每月巡查'), '一月巡查');
			expect((await call<{ status: string }>('complete_milestone', { p_milestone_id: m }, as('committee'))).status).toBe('following_up');
			const issue = await issueIn('in_progress');
			await refused(() => call('transition_issue', { p_issue_id: issue, p_action: 'complete' }, as('committee')), { code: '22023', key: 'errors.reason_required' });
			await call('transition_issue', { p_issue_id: issue, p_action: 'complete', p_reason: '剩余工作改由物业日常维护' }, as('committee'));
			expect(await issueStatus(issue)).toBe('completed');
			// Nobody takes the progress's own step by hand.
			const other = await issueIn('in_progress');
			await refused(() => call('transition_issue', { p_issue_id: other, p_action: 'finish' }, as('committee')), { code: '42501' });
		});

		it('two committee members marking the same milestone at once: one wins', async () => {
			const issue = await issueIn('in_progress');
			const root = await item(issue, '计划');
			const m = await milestone(root, '进场');
			await milestone(root, '完工');
			const results = await Promise.allSettled([1, 2, 3, 4].map(() => call('complete_milestone', { p_milestone_id: m }, as('committee'))));
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from public.issue_events where issue_id = $1 and kind = 'milestone_done'`, [issue]);
			expect(n).toBe(1);
		});

		it('residents of another estate and anon read nothing of a closed board', async () => {
			const issue = await issueIn('in_progress');
			await milestone(await item(issue, '计划'), '进场');
			expect(await progress(issue, 'otherEstate')).toBeNull();
			expect(await call('item_progress', { p_issue_id: issue }, { kind: 'anon' })).toBeNull();
			expect(await progress(issue, 'resident')).not.toBeNull();
		});
	});
});
