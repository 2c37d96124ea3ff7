import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON, type Caller } from '../../src/lib/server/backend/types';
import type { PlanProgress } from '../../src/lib/domain/progress';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedIssues, seedWorld, type Person, type World } from './fixtures';

/**
 * Editing milestones (20261205130000) and importing progress from a
 * contractor's CSV (20261205130100): the rules, the recomputed progress, the
 * lifecycle, dry run against apply, all or nothing, and a message per line.
 */

type Json = Record<string, unknown>;
type Change = { field: string; from: unknown; to: unknown };
type ImportOk = { ok: true; dry_run: boolean; total: number; changed: number; lines: { line: number; id: string; changes: Change[] }[] };
type ImportBad = { ok: false; errors: { line: number; field: string; key: string }[]; total: number };

describe.each(DATABASES)('milestone editing and progress import on %s', (name) => {
	let db: TestDb;
	let w: World;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		await seedIssues(db, w);
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const call = <T = Json>(fn: string, args: Json, caller: Caller = as('committee')) => db.backend.call<T>(fn, args, caller);
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);

	let serial = 0;
	async function issueIn(status: string, estate: 'a' | 'b' = 'a') {
		serial += 1;
		const [{ id }] = await q<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
			 values ($1, $2, $3, $4, '说明', 'facilities', $5) returning id::text`,
			[w[estate].id, w[estate].courtyardId, estate === 'a' ? w.users.resident : w.users.otherEstate, `导入工程${serial}`, status]
		);
		return id;
	}
	const item = async (issue: string, title: string, over: Json = {}, p: Person = 'committee') =>
		(await call<{ id: string }>('plan_item', { p_issue_id: issue, p_title: title, ...over }, as(p))).id;
	const milestone = async (itemId: string, title: string, weight = 1, over: Json = {}, p: Person = 'committee') =>
		(await call<{ id: string }>('add_milestone', { p_item_id: itemId, p_title: title, p_weight: weight, ...over }, as(p))).id;
	const progress = (issue: string) => call<PlanProgress | null>('item_progress', { p_issue_id: issue }, as('resident'));
	const status = async (id: string) => (await q<{ status: string }>('select status from public.issues where id = $1', [id]))[0].status;
	const titles = async (itemId: string) =>
		(await q<{ title: string }>('select title from public.milestones where item_id = $1 order by position, created_at, id', [itemId])).map((r) => r.title);
	const importRows = (rows: Json[], dry: boolean, p: Person = 'committee', estate = w.a.id) =>
		call<ImportOk | ImportBad>('import_progress', { p_estate_id: estate, p_rows: rows, p_dry_run: dry }, as(p));

	async function state() {
		return q(
			`select (select md5(string_agg(id::text || title || weight || coalesce(planned_on::text, '-') || coalesce(done_at::text, '-') || position, ',' order by id)) from public.milestones) as milestones,
			   (select count(*) from public.progress_updates)::int as updates, (select count(*) from public.issue_events)::int as events,
			   (select count(*) from public.notifications)::int as notifications,
			   (select md5(string_agg(id::text || status, ',' order by id)) from public.issues) as issues`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	describe('editing milestones', () => {
		it('title, date and weight change and the progress is recomputed; bad input is refused and changes nothing', async () => {
			const issue = await issueIn('in_progress');
			const root = await item(issue, '计划', { p_planned_start: '2027-03-01' });
			const a = await milestone(root, '进场', 1);
			const b = await milestone(root, '完工', 1);
			await q('update public.milestones set done_at = now() where id = $1', [a]);
			expect(Number((await progress(issue))!.progress)).toBeCloseTo(0.5, 12);
			await call('edit_milestone', { p_milestone_id: b, p_title: '竣工', p_planned_on: '2027-04-01', p_weight: 3 });
			expect(Number((await progress(issue))!.progress)).toBeCloseTo(0.25, 12);
			await refused(() => call('edit_milestone', { p_milestone_id: b, p_title: '竣工', p_weight: -1 }), { code: '22023', key: 'errors.weight_invalid', field: 'weight' });
			await refused(() => call('edit_milestone', { p_milestone_id: b, p_title: '竣工', p_planned_on: '2027-02-28', p_weight: 3 }), { code: '22023', key: 'errors.milestone_before_start', field: 'planned_on' });
			await refused(() => call('edit_milestone', { p_milestone_id: b, p_title: ' ', p_weight: 3 }), { code: '22023', key: 'errors.title_invalid', field: 'title' });
			await refused(() => call('edit_milestone', { p_milestone_id: b, p_title: '竣工', p_weight: 3 }, as('resident')), { code: '42501', key: 'errors.forbidden' });
			await refused(() => call('edit_milestone', { p_milestone_id: b, p_title: '竣工', p_weight: 3 }, as('committeeB')), { code: 'P0002', key: 'errors.milestone_not_found' });
			// A done milestone is history: its weight stays, its title and date may be corrected.
			await refused(() => call('edit_milestone', { p_milestone_id: a, p_title: '进场', p_weight: 5 }), { code: '22023', key: 'errors.milestone_done_locked', field: 'weight' });
			await call('edit_milestone', { p_milestone_id: a, p_title: '施工进场', p_planned_on: '2027-03-02', p_weight: 1 });
			const row = (await progress(issue))!.items[0].milestones.find((m) => m.id === a)!;
			expect(row).toMatchObject({ title: '施工进场', planned_on: '2027-03-02', done: true });
		});

		it('a done milestone cannot be removed; removing the last open one completes the work', async () => {
			const issue = await issueIn('in_progress');
			const root = await item(issue, '计划');
			const a = await milestone(root, '进场');
			const b = await milestone(root, '多余');
			await q('update public.milestones set done_at = now() where id = $1', [a]);
			await refused(() => call('remove_milestone', { p_milestone_id: a }), { code: '22023', key: 'errors.milestone_done_locked' });
			await refused(() => call('remove_milestone', { p_milestone_id: b }, as('resident')), { code: '42501', key: 'errors.forbidden' });
			expect(await call('remove_milestone', { p_milestone_id: b })).toMatchObject({ status: 'completed' });
			expect(await status(issue)).toBe('completed');
			expect(await titles(root)).toEqual(['进场']);
			const steps = await q<{ kind: string; action: string }>(`select kind, action from public.issue_events where issue_id = $1 and kind in ('plan_changed', 'transition') order by id`, [issue]);
			expect(steps.slice(-2)).toEqual([{ kind: 'plan_changed', action: 'milestone_removed' }, { kind: 'transition', action: 'finish' }]);
			// The plan is closed once completed: nothing more is edited.
			await refused(() => call('edit_milestone', { p_milestone_id: a, p_title: 'x', p_weight: 1 }), { code: '22023', key: 'errors.plan_not_open' });
		});

		it('setting the last open milestone weight 0 completes the work as well; followed-up matters never finish', async () => {
			const issue = await issueIn('in_progress');
			const root = await item(issue, '计划');
			const a = await milestone(root, '进场');
			const b = await milestone(root, '可选');
			await q('update public.milestones set done_at = now() where id = $1', [a]);
			expect(await call('edit_milestone', { p_milestone_id: b, p_title: '可选', p_weight: 0 })).toMatchObject({ status: 'completed' });
			const follow = await issueIn('following_up');
			const froot = await item(follow, '跟进');
			const fa = await milestone(froot, '一次');
			const fb = await milestone(froot, '二次');
			await q('update public.milestones set done_at = now() where id = $1', [fa]);
			expect(await call('remove_milestone', { p_milestone_id: fb })).toMatchObject({ status: 'following_up' });
		});

		it('moves up and down among the item milestones, even from equal old positions; the ends do not move', async () => {
			const issue = await issueIn('approved');
			const root = await item(issue, '计划');
			const [a, b, c] = [await milestone(root, 'A'), await milestone(root, 'B'), await milestone(root, 'C')];
			await q('update public.milestones set position = 0 where item_id = $1', [root]);
			await call('move_milestone', { p_milestone_id: c, p_direction: 'up' });
			expect(await titles(root)).toEqual(['A', 'C', 'B']);
			await call('move_milestone', { p_milestone_id: a, p_direction: 'down' });
			expect(await titles(root)).toEqual(['C', 'A', 'B']);
			expect(await call('move_milestone', { p_milestone_id: c, p_direction: 'up' })).toMatchObject({ moved: false });
			expect(await call('move_milestone', { p_milestone_id: b, p_direction: 'down' })).toMatchObject({ moved: false });
			await refused(() => call('move_milestone', { p_milestone_id: b, p_direction: 'sideways' }), { code: '22023', key: 'errors.invalid_choice', field: 'direction' });
			expect((await progress(issue))!.items[0].milestones.map((m) => m.title)).toEqual(['C', 'A', 'B']);
		});
	});

	describe('importing progress', () => {
		async function plan() {
			const issue = await issueIn('in_progress');
			const root = await item(issue, '立面', { p_planned_start: '2026-01-01' });
			const a = await milestone(root, '脚手架', 1, { p_planned_on: '2026-02-01' });
			const b = await milestone(root, '涂料', 3, { p_planned_on: '2026-03-01' });
			return { issue, root, a, b };
		}

		it('the open-data milestones file, as exported, imports back with no change', async () => {
			const { a, b } = await plan();
			const rows = (await call<Json[]>('open_data_milestones', { p_scope: 'estate', p_scope_id: w.a.id, p_limit: 5000 })).filter((r) => r.id === a || r.id === b);
			expect(rows[0]).not.toHaveProperty('done_by');
			const text = rows.map((r, n) => ({ line: n + 2, ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])) }));
			const res = (await importRows(text, true)) as ImportOk;
			expect(res).toMatchObject({ ok: true, dry_run: true, total: 2, changed: 0 });
		});

		it('a dry run lists what would change line by line and writes nothing; applying makes exactly those changes and completes the work', async () => {
			const { issue, a, b } = await plan();
			const rows = [
				{ line: 2, id: a, done: '是', done_on: '2026-02-03', note: '脚手架已搭好' },
				{ line: 3, id: b, planned_on: '2026-03-15', weight: '2', done: 'true', done_on: '' }
			];
			const before = await state();
			const dry = (await importRows(rows, true)) as ImportOk;
			expect(await state()).toEqual(before);
			expect(dry).toMatchObject({ ok: true, dry_run: true, total: 2, changed: 2 });
			expect(dry.lines[0].changes).toEqual([
				{ field: 'done', from: null, to: '2026-02-03' },
				{ field: 'note', from: null, to: '脚手架已搭好' }
			]);
			const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
			expect(dry.lines[1].changes).toEqual([
				{ field: 'planned_on', from: '2026-03-01', to: '2026-03-15' },
				{ field: 'weight', from: 3, to: 2 },
				{ field: 'done', from: null, to: today }
			]);
			const applied = (await importRows(rows, false)) as ImportOk;
			expect(applied).toMatchObject({ ok: true, dry_run: false, changed: 2 });
			expect(applied.lines).toEqual(dry.lines);
			expect(await status(issue)).toBe('completed');
			const ms = await q<{ id: string; day: string; weight: string; planned_on: string; evidence: string | null }>(
				`select id::text, to_char(done_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, weight::text, planned_on::text,
				   (select note from public.progress_updates u where u.id = evidence_id) as evidence
				 from public.milestones where id = any($1::uuid[]) order by position`, [[a, b]]);
			expect(ms.map((m) => [m.day, Number(m.weight), m.planned_on, m.evidence])).toEqual([
				['2026-02-03', 1, '2026-02-01', '脚手架已搭好'],
				[today, 2, '2026-03-15', null]
			]);
			const events = await q<{ kind: string; action: string | null }>(
				`select kind, action from public.issue_events where issue_id = $1 and kind in ('milestone_done', 'transition', 'progress') order by id`, [issue]);
			expect(events).toEqual([
				{ kind: 'progress', action: null },
				{ kind: 'milestone_done', action: null },
				{ kind: 'milestone_done', action: 'no_evidence' },
				{ kind: 'transition', action: 'finish' }
			]);
			// Importing the same report again changes nothing more.
			expect(await importRows(rows.map((r) => ({ ...r, note: '' })), false)).toMatchObject({ ok: true, changed: 0 });
		});

		it('every problem of every line, with its line and field; all or nothing', async () => {
			const { a, b } = await plan();
			const other = await issueIn('in_progress', 'b');
			const otherRoot = await item(other, '外', {}, 'committeeB');
			const theirs = await milestone(otherRoot, '他们的', 1, {}, 'committeeB');
			const notStarted = await issueIn('approved');
			const nsRoot = await item(notStarted, '未开工', { p_planned_start: '2026-01-01' });
			const ns = await milestone(nsRoot, '进场');
			await q('update public.milestones set done_at = now() where id = $1', [a]);
			const rows = [
				{ line: 2, id: b, done: 'true' },
				{ line: 3, id: '0b7f5c1e-0000-4000-8000-00000000dead', done: 'true' },
				{ line: 4, id: theirs, done: 'true' },
				{ line: 5, id: 'not-an-id' },
				{ line: 6, id: b, planned_on: '2026-02-30', done_on: '2026/03/01', done: 'maybe', weight: '-1' },
				{ line: 7, id: a, done: 'false', weight: '9' },
				{ line: 8, id: ns, done: '1' },
				{ line: 9, id: ns, planned_on: '2025-12-31' }
			];
			await refused(async () => {
				const res = await importRows(rows, false);
				if (!res.ok) throw res;
			}, { ok: false });
			const res = (await importRows(rows, false)) as ImportBad;
			expect(res.total).toBe(8);
			expect(res.errors).toEqual([
				{ line: 2, field: 'id', key: 'errors.import.duplicate_milestone' },
				{ line: 3, field: 'id', key: 'errors.import.unknown_milestone' },
				{ line: 4, field: 'id', key: 'errors.import.other_estate' },
				{ line: 5, field: 'id', key: 'errors.import.milestone_id' },
				{ line: 6, field: 'id', key: 'errors.import.duplicate_milestone' },
				{ line: 6, field: 'planned_on', key: 'errors.import.date' },
				{ line: 6, field: 'weight', key: 'errors.import.weight' },
				{ line: 6, field: 'done', key: 'errors.import.done' },
				{ line: 6, field: 'done_on', key: 'errors.import.date' },
				{ line: 7, field: 'weight', key: 'errors.import.done_locked' },
				{ line: 7, field: 'done', key: 'errors.import.cannot_undo' },
				{ line: 8, field: 'id', key: 'errors.import.duplicate_milestone' },
				{ line: 8, field: 'id', key: 'errors.import.work_not_started' },
				{ line: 9, field: 'id', key: 'errors.import.duplicate_milestone' },
				{ line: 9, field: 'planned_on', key: 'errors.import.before_start' }
			]);
		});

		it('a day in the future, a done day without done, and who may import', async () => {
			const { b } = await plan();
			const bad = (await importRows([{ line: 2, id: b, done: 'true', done_on: '2999-01-01' }, { line: 3, id: (await plan()).a, done_on: '2026-02-02' }], false)) as ImportBad;
			expect(bad.errors).toEqual([
				{ line: 2, field: 'done_on', key: 'errors.import.done_in_future' },
				{ line: 3, field: 'done', key: 'errors.import.done_on_without_done' }
			]);
			await refused(() => importRows([{ line: 2, id: b, done: 'true' }], false, 'resident'), { code: 'P0002', key: 'errors.estate_not_found' });
			await refused(() => importRows([{ line: 2, id: b, done: 'true' }], false, 'committeeB'), { code: 'P0002', key: 'errors.estate_not_found' });
			await refused(() => importRows([], false), { code: '22023', key: 'errors.import.empty', field: 'file' });
			await expect(db.backend.call('import_progress', { p_estate_id: w.a.id, p_rows: [], p_dry_run: true }, ANON)).rejects.toMatchObject({ code: '42501' });
		});

		it('twenty imports of the same report at once: each milestone is done once, the work completes once', async () => {
			const { issue, a, b } = await plan();
			const rows = [{ line: 2, id: a, done: 'true' }, { line: 3, id: b, done: 'true' }];
			const results = await Promise.allSettled(Array.from({ length: 20 }, () => importRows(rows, false)));
			expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
			const changed = results.map((r) => (r as PromiseFulfilledResult<ImportOk>).value.changed);
			expect(changed.filter((c) => c === 2)).toHaveLength(1);
			const [{ n, finishes }] = await q<{ n: number; finishes: number }>(
				`select (select count(*) from public.issue_events where issue_id = $1 and kind = 'milestone_done')::int as n,
				   (select count(*) from public.issue_events where issue_id = $1 and action = 'finish')::int as finishes`, [issue]);
			expect([n, finishes]).toEqual([2, 1]);
		});
	});
});
