import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedIssues, seedWorld, type IssueWorld, type Person, type World } from './fixtures';

/**
 * Publication windows (公示) with objections, and their first user, decision
 * publicity (20261203130000_create_publications.sql), called as the app calls
 * them on the world of fixtures.ts. Each case publishes the decision of a
 * fresh approved issue of estate A.
 */

type Json = Record<string, unknown>;
interface Detail {
	publication: Json & { status: string; revision: number; closes_at: string; issue_id: string };
	revisions: Array<{ revision: number; paragraphs: string[]; note: string | null }>;
	objections: Array<Json & { id: string; paragraph: number; revision: number; answer: string | null; mine: boolean; by: string | null; amended_in: number | null }>;
	unanswered: number;
	can_object: boolean;
	can_answer: boolean;
	can_amend: boolean;
}

const TEXT = ['经居民议事会表决，同意在南苑建设电动自行车充电棚。', '选址南苑东侧空地，设 40 个充电口。', '费用由物业维修资金和街道补贴共同承担。'];

describe.each(DATABASES)('publications on %s', (name) => {
	let db: TestDb;
	let w: World;
	let iw: IssueWorld;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		iw = await seedIssues(db, w);
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const call = <T = Json>(fn: string, args: Json, caller: Caller) => db.backend.call<T>(fn, args, caller);
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);

	/** Everything the publication functions write, to check that a refused call wrote nothing. */
	async function state() {
		return q(
			`select (select count(*) from public.publications)::int as publications,
			   (select count(*) from public.publication_revisions)::int as revisions,
			   (select count(*) from public.objections)::int as objections,
			   (select count(*) from public.objections where answer is not null)::int as answered,
			   (select count(*) from public.issue_events)::int as events,
			   (select count(*) from public.notifications)::int as notifications,
			   (select md5(coalesce(string_agg(id::text || status || revision, ',' order by id), '')) from public.publications) as pubs,
			   (select md5(string_agg(id::text || status, ',' order by id)) from public.issues) as issues`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	let serial = 0;
	async function approvedIssue(status = 'approved') {
		serial += 1;
		const [{ id }] = await q<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
			 values ($1, $2, $3, $4, '说明', 'facilities', $5) returning id::text`,
			[w.a.id, w.a.courtyardId, w.users.resident, `充电棚决定${serial}`, status]
		);
		return id;
	}
	async function published(over: Json = {}) {
		const issue = await approvedIssue();
		const r = await call<{ id: string; status: string }>(
			'publish_decision',
			{ p_issue_id: issue, p_title: '关于建设充电棚的决定', p_paragraphs: TEXT, ...over },
			as('committee')
		);
		return { issue, id: r.id };
	}
	const detail = (id: string, p: Person = 'resident') => call<Detail>('publication_detail', { p_publication_id: id }, as(p));
	const object = (id: string, paragraph: number, p: Person = 'resident', reason = '充电口太少') =>
		call<{ id: string }>('object_to_publication', { p_publication_id: id, p_paragraph: paragraph, p_reason: reason }, as(p));
	const answer = (objection: string, upheld: boolean, reason: string | null = null, p: Person = 'committee') =>
		call('answer_objection', { p_objection_id: objection, p_upheld: upheld, p_reason: reason }, as(p));
	const startWork = (issue: string, p: Person = 'committee') => call('transition_issue', { p_issue_id: issue, p_action: 'start_work' }, as(p));
	/** The window's end passes, as the test harness's clock would have it (not a production bypass). */
	async function windowEnds(id: string) {
		await q(
			`update public.publication_revisions set opens_at = opens_at - interval '40 days', closes_at = now() - interval '1 second'
			 where publication_id = $1 and revision = (select revision from public.publications where id = $1)`,
			[id]
		);
		await q(`update public.publications set opens_at = opens_at - interval '40 days', closes_at = now() - interval '1 second' where id = $1`, [id]);
	}
	const status = async (id: string) => (await q<{ status: string }>('select status from public.publications where id = $1', [id]))[0].status;
	const issueStatus = async (id: string) => (await q<{ status: string }>('select status from public.issues where id = $1', [id]))[0].status;

	describe('publishing a decision', () => {
		it('the committee publishes an approved decision: revision 1, a 7-day window, the issue publicized, its timeline and followers told', async () => {
			const issue = await approvedIssue();
			await q('insert into public.issue_supports (issue_id, user_id) values ($1, $2)', [issue, w.users.volunteer]);
			const r = await call<{ id: string; closes_at: string }>(
				'publish_decision',
				{ p_issue_id: issue, p_title: ' 关于建设充电棚的决定 ', p_paragraphs: [' 第一段 ', '第二段'] },
				as('committee')
			);
			const days = (Date.parse(r.closes_at) - Date.now()) / 86400_000;
			expect(days).toBeGreaterThan(6.9);
			expect(days).toBeLessThan(7.1);
			expect(await issueStatus(issue)).toBe('publicized');
			const d = await detail(r.id);
			expect(d.publication).toMatchObject({ title: '关于建设充电棚的决定', status: 'open', revision: 1, kind: 'decision', issue_id: issue, window_days: 7 });
			expect(d.revisions).toEqual([expect.objectContaining({ revision: 1, paragraphs: ['第一段', '第二段'] })]);
			expect(d).toMatchObject({ can_object: true, can_answer: false, can_amend: false, unanswered: 0 });
			const events = await q<{ kind: string; action: string | null; publication_id: string | null }>(
				'select kind, action, publication_id::text from public.issue_events where issue_id = $1 order by id',
				[issue]
			);
			expect(events.map((e) => [e.kind, e.action, e.publication_id])).toEqual([
				['proposed', null, null],
				['published', null, r.id],
				['transition', 'publicize', null]
			]);
			const told = await q<{ user_id: string }>(`select user_id::text from public.notifications where kind = 'publication_opened' and issue_id = $1 order by 1`, [issue]);
			expect(told.map((n) => n.user_id)).toEqual([w.users.resident, w.users.volunteer].sort());
			// The issue page shows the window.
			const page = await call<{ publication: Json; timeline: Json[] }>('issue_detail', { p_issue_id: issue }, as('resident'));
			expect(page.publication).toMatchObject({ id: r.id, status: 'open', unanswered: 0 });
			expect(page.timeline.some((e) => e.kind === 'published' && e.publication_id === r.id)).toBe(true);
		});

		it('a window of 1 to 30 days, as the committee chooses', async () => {
			const { id } = await published({ p_window_days: 30 });
			const d = await detail(id);
			expect(d.publication.window_days).toBe(30);
			const { id: one } = await published({ p_window_days: 1 });
			expect((await detail(one)).publication.window_days).toBe(1);
		});

		const BAD: Array<[string, Json, Person, Json]> = [
			['by a resident', {}, 'resident', { code: '42501', key: 'errors.forbidden' }],
			['by the moderator', {}, 'moderator', { code: '42501', key: 'errors.forbidden' }],
			["by another estate's committee", {}, 'committeeB', { code: 'P0002', key: 'errors.issue_not_found' }],
			['with no paragraphs', { p_paragraphs: [] }, 'committee', { key: 'errors.paragraphs_invalid', field: 'paragraphs' }],
			['with a blank paragraph', { p_paragraphs: ['一', '  '] }, 'committee', { key: 'errors.paragraphs_invalid', field: 'paragraphs' }],
			['with a paragraph too long', { p_paragraphs: ['长'.repeat(2001)] }, 'committee', { key: 'errors.paragraphs_invalid', field: 'paragraphs' }],
			['with 51 paragraphs', { p_paragraphs: Array.from({ length: 51 }, (_, i) => `第${i}段`) }, 'committee', { key: 'errors.paragraphs_invalid' }],
			['with no title', { p_title: ' ' }, 'committee', { key: 'errors.title_invalid', field: 'title' }],
			['for 0 days', { p_window_days: 0 }, 'committee', { key: 'errors.window_days_invalid', field: 'window_days' }],
			['for 31 days', { p_window_days: 31 }, 'committee', { key: 'errors.window_days_invalid', field: 'window_days' }]
		];
		for (const [what, over, by, error] of BAD) {
			it(`is refused ${what}, and nothing changes`, async () => {
				const issue = await approvedIssue();
				await refused(() => call('publish_decision', { p_issue_id: issue, p_title: '决定', p_paragraphs: TEXT, ...over }, as(by)), error);
			});
		}

		it('is refused for an issue not approved, and twice for the same decision', async () => {
			await refused(() => call('publish_decision', { p_issue_id: iw.a.bench, p_title: '决定', p_paragraphs: TEXT }, as('committee')), {
				key: 'errors.decision_not_approved'
			});
			const { issue } = await published();
			await refused(() => call('publish_decision', { p_issue_id: issue, p_title: '决定', p_paragraphs: TEXT }, as('committee')), {
				key: 'errors.decision_not_approved'
			});
		});

		it('publishing at once twice gives one publication', async () => {
			const issue = await approvedIssue();
			const results = await Promise.allSettled(
				[0, 1, 2, 3].map(() => call('publish_decision', { p_issue_id: issue, p_title: '决定', p_paragraphs: TEXT }, as('committee')))
			);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			expect(await q(`select count(*)::int as n from public.publications where subject_id = $1`, [issue])).toEqual([{ n: 1 }]);
		});

		it('the lifecycle names the two steps apart: publicize (公示决定) and start_work (开始实施); publicize by hand is refused', async () => {
			const steps = await q<{ action: string; from_status: string }>(
				`select action, from_status from public.issue_transitions where action in ('publicize', 'start_work') order by action`
			);
			expect(steps).toEqual([
				{ action: 'publicize', from_status: 'approved' },
				{ action: 'start_work', from_status: 'publicized' }
			]);
			const issue = await approvedIssue();
			const actions = await call<Array<{ action: string }>>('issue_actions', { p_issue_id: issue }, as('committee'));
			expect(actions.map((a) => a.action)).toEqual(['publicize']);
			await refused(() => call('transition_issue', { p_issue_id: issue, p_action: 'publicize' }, as('committee')), {
				key: 'errors.decision_not_published',
				field: 'action'
			});
		});
	});

	describe('objections: the rules as a table of cases', () => {
		let id: string;
		beforeAll(async () => {
			({ id } = await published());
		});

		const CASES: Array<[string, () => Promise<unknown>, Json]> = [
			['to paragraph 0', () => object(id, 0), { key: 'errors.paragraph_not_found', field: 'paragraph' }],
			['to paragraph 4 of 3', () => object(id, 4), { key: 'errors.paragraph_not_found', field: 'paragraph' }],
			['without a reason', () => object(id, 2, 'resident', '  '), { key: 'errors.reason_required', field: 'reason' }],
			['with a reason of 501 characters', () => object(id, 2, 'resident', '长'.repeat(501)), { key: 'errors.reason_required', field: 'reason' }],
			['by someone signed in from no estate', () => object(id, 2, 'nonmember'), { code: 'P0002', key: 'errors.publication_not_found' }],
			['by a member of another estate', () => object(id, 2, 'otherEstate'), { code: 'P0002', key: 'errors.publication_not_found' }],
			['by a pending member', () => object(id, 2, 'pending'), { code: 'P0002' }],
			['by an administrator, who is no member', () => object(id, 2, 'admin'), { code: '42501', key: 'errors.not_member' }]
		];
		for (const [what, attempt, error] of CASES) {
			it(`an objection ${what} is refused, and nothing changes`, async () => {
				await refused(attempt, error);
			});
		}

		it('a verified member objects to paragraph 2; the committee hears of it; a second open one to the same paragraph is refused', async () => {
			const o = await object(id, 2);
			const d = await detail(id);
			expect(d.objections).toEqual([expect.objectContaining({ id: o.id, paragraph: 2, revision: 1, answer: null, mine: true, by: 'resident' })]);
			expect((await detail(id, 'moderator')).objections[0]).toMatchObject({ mine: false, by: 'resident' });
			expect(d.unanswered).toBe(1);
			await refused(() => object(id, 2), { code: '23505', key: 'errors.objection_duplicate', field: 'paragraph' });
			// Another paragraph, or another person, is another objection.
			await object(id, 3);
			await object(id, 2, 'moderator');
			const told = await q(`select count(*)::int as n from public.notifications where kind = 'objection_raised' and user_id = $1`, [w.users.committee]);
			expect(told).toEqual([{ n: 3 }]);
		});

		it('twenty objections at once by one person to one paragraph → one', async () => {
			const { id: pid } = await published();
			await Promise.allSettled(Array.from({ length: 20 }, () => object(pid, 1, 'volunteer')));
			expect(await q(`select count(*)::int as n from public.objections where publication_id = $1`, [pid])).toEqual([{ n: 1 }]);
		});

		it('after the window closes an objection is refused', async () => {
			const { id: pid } = await published();
			await windowEnds(pid);
			await refused(() => object(pid, 1), { key: 'errors.publication_window_closed' });
		});
	});

	describe('answers, amendments and finality', () => {
		it('cannot become final with an objection unanswered; work cannot start before final, and the refusal says why', async () => {
			const { id, issue } = await published();
			const o = await object(id, 2);
			await refused(() => startWork(issue), { key: 'errors.publication_window_open', field: 'action' });
			await windowEnds(id);
			await refused(() => startWork(issue), { key: 'errors.publication_objections_unanswered', field: 'action' });
			await q('select public.close_due_publications()');
			expect(await status(id)).toBe('answering');
			expect((await detail(id)).publication.status).toBe('answering');

			// Only the committee answers; a rejection needs its reason.
			await refused(() => answer(o.id, false, '不同意', 'resident'), { code: '42501' });
			await refused(() => answer(o.id, false, '不同意', 'committeeB'), { code: 'P0002', key: 'errors.objection_not_found' });
			await refused(() => answer(o.id, false, ' '), { key: 'errors.reason_required', field: 'reason' });
			await answer(o.id, false, '40 个充电口按登记车辆数测算，已够用。');
			await refused(() => answer(o.id, true), { key: 'errors.objection_already_answered' });

			expect(await status(id)).toBe('final');
			const d = await detail(id);
			expect(d.objections[0]).toMatchObject({ answer: 'rejected', answer_reason: '40 个充电口按登记车辆数测算，已够用。' });
			expect(await q(`select payload ->> 'upheld' as upheld from public.notifications where kind = 'objection_answered' and user_id = $1 and issue_id = $2`, [w.users.resident, issue])).toEqual([
				{ upheld: 'false' }
			]);
			expect(await q(`select count(*)::int as n from public.notifications where kind = 'publication_final' and issue_id = $1 and user_id = $2`, [issue, w.users.resident])).toEqual([
				{ n: 1 }
			]);
			await startWork(issue);
			expect(await issueStatus(issue)).toBe('in_progress');
			const kinds = await q<{ kind: string; action: string | null }>('select kind, action from public.issue_events where issue_id = $1 order by id', [issue]);
			expect(kinds.map((k) => k.action ?? k.kind)).toEqual(['proposed', 'published', 'publicize', 'objection_raised', 'rejected', 'publication_final', 'start_work']);
		});

		it('upheld → the committee amends: a new revision and a new window; the old text is kept', async () => {
			const { id, issue } = await published({ p_window_days: 3 });
			const o = await object(id, 2);
			const other = await object(id, 3, 'moderator');
			await answer(o.id, true, '采纳，增加到 60 个充电口。');
			expect(await status(id)).toBe('amending');
			await refused(() => startWork(issue), { key: 'errors.publication_amendment_due' });
			// Nobody but the committee amends, and only with paragraphs.
			await refused(() => call('amend_publication', { p_publication_id: id, p_paragraphs: TEXT }, as('resident')), { code: '42501' });
			await refused(() => call('amend_publication', { p_publication_id: id, p_paragraphs: [] }, as('committee')), { key: 'errors.paragraphs_invalid' });
			await windowEnds(id);
			const amended = [TEXT[0], '选址南苑东侧空地，设 60 个充电口。', TEXT[2]];
			const r = await call<{ revision: number; closes_at: string }>('amend_publication', { p_publication_id: id, p_paragraphs: amended, p_note: '按第 2 段异议修改' }, as('committee'));
			expect(r.revision).toBe(2);
			const days = (Date.parse(r.closes_at) - Date.now()) / 86400_000;
			expect(days).toBeGreaterThan(2.9);
			expect(days).toBeLessThan(3.1);
			const d = await detail(id);
			expect(d.publication).toMatchObject({ status: 'open', revision: 2 });
			expect(d.revisions.map((x) => [x.revision, x.paragraphs[1], x.note])).toEqual([
				[2, amended[1], '按第 2 段异议修改'],
				[1, TEXT[1], null]
			]);
			expect(d.objections.find((x) => x.id === o.id)).toMatchObject({ answer: 'upheld', amended_in: 2 });
			await refused(() => call('amend_publication', { p_publication_id: id, p_paragraphs: amended }, as('committee')), { key: 'errors.nothing_to_amend' });
			// The objection to the first revision still needs its answer.
			await windowEnds(id);
			await refused(() => startWork(issue), { key: 'errors.publication_objections_unanswered' });
			await answer(other.id, false, '费用分担已经业主大会表决。');
			expect(await status(id)).toBe('final');
			await startWork(issue);
			const kinds = await q<{ kind: string }>(`select kind from public.issue_events where issue_id = $1 and kind = 'amended'`, [issue]);
			expect(kinds).toHaveLength(1);
			// A revision is never edited in place, not even by the table's owner.
			await expect(q(`update public.publication_revisions set paragraphs = '{改写}' where publication_id = $1`, [id])).rejects.toThrow();
		});

		it('with no objection, the window closing makes it final: by the sweep, or when someone reads it', async () => {
			const { id, issue } = await published();
			await windowEnds(id);
			await q('select public.close_due_publications()');
			expect(await status(id)).toBe('final');
			const { id: id2 } = await published();
			await windowEnds(id2);
			expect((await call<Array<{ id: string; status: string }>>('estate_publications', { p_estate_id: w.a.id }, as('resident'))).find((p) => p.id === id2)?.status).toBe('final');
			await startWork(issue);
			expect(await issueStatus(issue)).toBe('in_progress');
		});

		it('on a public board anyone reads the publication, its objections and answers, but not who objected; on a closed board nobody outside', async () => {
			const { id, issue } = await published();
			const o = await object(id, 2);
			await answer(o.id, false, '理由充分');
			const anon: Caller = { kind: 'anon' };
			await refused(() => call('publication_detail', { p_publication_id: id }, anon), { code: 'P0002', key: 'errors.publication_not_found' });
			expect(await call('estate_publications', { p_estate_id: w.a.id }, anon)).toEqual([]);
			await q('update public.estates set board_public = true where id = $1', [w.a.id]);
			try {
				const d = await call<Detail>('publication_detail', { p_publication_id: id }, anon);
				expect(d.objections).toEqual([expect.objectContaining({ paragraph: 2, answer: 'rejected', answer_reason: '理由充分', mine: false, by: null })]);
				expect(d).toMatchObject({ can_object: false, can_answer: false, is_member: false });
				expect(JSON.stringify(d)).not.toContain(w.users.resident);
				expect(JSON.stringify(d)).not.toContain(w.users.committee);
				const page = await call<{ publication: Json; timeline: Json[] }>('issue_detail', { p_issue_id: issue }, anon);
				expect(page.publication).toMatchObject({ id, status: 'open', unanswered: 0 });
				expect(page.timeline.map((e) => e.kind)).toEqual(['proposed', 'published', 'transition', 'objection_raised', 'objection_answered']);
				const list = await call<Array<{ id: string }>>('estate_publications', { p_estate_id: w.a.id }, anon);
				expect(list.map((p) => p.id)).toContain(id);
				// An outsider signed in reads it too, names still hidden.
				expect((await detail(id, 'otherEstate')).objections[0].by).toBeNull();
			} finally {
				await q('update public.estates set board_public = false where id = $1', [w.a.id]);
			}
		});

		it('the estate list shows open windows first', async () => {
			const list = await call<Array<{ status: string }>>('estate_publications', { p_estate_id: w.a.id }, as('resident'));
			const rank = (s: string) => ['open', 'amending', 'answering', 'final'].indexOf(s);
			const ranks = list.map((p) => rank(p.status));
			expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
			expect(list.length).toBeGreaterThan(3);
			expect(await call('estate_publications', { p_estate_id: w.a.id }, as('otherEstate'))).toEqual([]);
		});
	});
});
