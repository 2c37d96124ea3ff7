import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as publishPage from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/publish/+page.server';
import * as issuePage from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/+page.server';
import * as listPage from '../../src/routes/estates/[id=uuid]/publications/+page.server';
import * as pubPage from '../../src/routes/estates/[id=uuid]/publications/[publicationId=uuid]/+page.server';
import { count, expectData, expectFailure, expectHttpError, expectNoWrite, expectRedirect, JINYUAN, CAILIAN, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * Decision publicity (公示) through the real hooks on the demo estate: publishing from the issue, objecting
 * to a paragraph, answering, amending, starting work; every bad input answered beside its field with a 4xx
 * and nothing written.
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
async function approvedIssue() {
	serial += 1;
	const [{ id }] = await rt.sql.query<{ id: string }>(
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 values ($1, $2, '5eed0000-0000-4000-8000-000000001001', $3, '南苑东侧空地建充电棚。', 'facilities', 'approved') returning id::text`,
		[JINYUAN, area, `南苑充电棚决定${serial}`]
	);
	return id;
}
const publishAt = (issue: string) => ({ url: `/estates/${JINYUAN}/issues/${issue}/publish`, params: { id: JINYUAN, issueId: issue } });
const pubAt = (pid: string) => ({ url: `/estates/${JINYUAN}/publications/${pid}`, params: { id: JINYUAN, publicationId: pid } });
const TEXT = '经表决，同意建设充电棚。\n\n选址南苑东侧空地，设 40 个充电口。\n\n费用由维修资金承担。';

async function publish(issue: string, form: Record<string, string> = {}) {
	const x = await request({ ...publishAt(issue), method: 'POST', as: COMMITTEE, form: { title: '充电棚决定公示', paragraphs: TEXT, window_days: '7', ...form } }, publishPage.actions.default);
	expect(x.outcome.kind, JSON.stringify(x.outcome)).toBe('redirect');
	return (x.outcome as { location: string }).location.split('/').pop()!;
}

describe('publishing a decision', () => {
	it('drafts the text from the issue for the committee, and refuses residents; on another estate’s address the issue is not found', async () => {
		const issue = await approvedIssue();
		const data = expectData(await request({ ...publishAt(issue), as: COMMITTEE }, publishPage.load));
		expect(data.allowed).toBe(true);
		expect(data.form.data.window_days).toBe(7);
		expect(data.form.data.paragraphs).toContain('南苑东侧空地建充电棚。');
		expect(data.form.data.paragraphs.split('\n\n').length).toBeGreaterThanOrEqual(3);
		expectHttpError(await request({ ...publishAt(issue), as: RESIDENT }, publishPage.load), 403);
		expectHttpError(await request({ url: `/estates/${CAILIAN}/issues/${issue}/publish`, params: { id: CAILIAN, issueId: issue }, as: COMMITTEE }, publishPage.load), 404);
		expectRedirect(await request({ ...publishAt(issue) }, publishPage.load), /^\/auth\/sign-in\?next=/);
	});

	it('publishes by paragraph (split at blank lines) and goes to the publication; the issue is publicized', async () => {
		const issue = await approvedIssue();
		const pid = await publish(issue, { window_days: '10' });
		const [p] = await rt.sql.query<{ paragraphs: string[]; window_days: number }>(
			`select r.paragraphs, p.window_days from public.publications p join public.publication_revisions r on r.publication_id = p.id where p.id = $1`,
			[pid]
		);
		expect(p).toEqual({ paragraphs: ['经表决，同意建设充电棚。', '选址南苑东侧空地，设 40 个充电口。', '费用由维修资金承担。'], window_days: 10 });
		expect(await count('public.issues', `id = $1 and status = 'publicized'`, [issue])).toBe(1);
		const list = expectData(await request({ url: `/estates/${JINYUAN}/publications`, as: RESIDENT }, listPage.load));
		expect(list.publications).toContainEqual(expect.objectContaining({ id: pid, status: 'open' }));
	});

	it.each([
		[{ title: '' }, 'title', 'errors.required'],
		[{ paragraphs: '   \n\n  ' }, 'paragraphs', 'errors.paragraphs_invalid'],
		[{ paragraphs: '长'.repeat(2001) }, 'paragraphs', 'errors.paragraphs_invalid'],
		[{ window_days: '0' }, 'window_days', 'errors.window_days_invalid'],
		[{ window_days: '31' }, 'window_days', 'errors.window_days_invalid'],
		[{ window_days: '七天' }, 'window_days', 'errors.window_days_invalid']
	])('refuses %j beside the field, writing nothing', async (over, field, key) => {
		const issue = await approvedIssue();
		const x = await expectNoWrite(() =>
			request({ ...publishAt(issue), method: 'POST', as: COMMITTEE, form: { title: '公示', paragraphs: TEXT, window_days: '7', ...over } }, publishPage.actions.default)
		);
		expectFailure(x, 400, { [field]: key });
	});

	it('refuses a second publication with a message on the form', async () => {
		const issue = await approvedIssue();
		await publish(issue);
		const x = await expectNoWrite(() =>
			request({ ...publishAt(issue), method: 'POST', as: COMMITTEE, form: { title: '公示', paragraphs: TEXT, window_days: '7' } }, publishPage.actions.default)
		);
		expectFailure(x, 400, { _errors: 'errors.decision_not_approved' });
	});
});

describe('objections, answers and starting work', () => {
	it('a resident objects to paragraph 2, the committee answers, and work starts once the window has closed', async () => {
		const issue = await approvedIssue();
		const pid = await publish(issue);

		// Starting work now is refused beside the action, with the reason.
		const early = await expectNoWrite(() =>
			request({ url: `/estates/${JINYUAN}/issues/${issue}`, params: { id: JINYUAN, issueId: issue }, method: 'POST', as: COMMITTEE, form: { action: 'start_work' } }, issuePage.actions.transition)
		);
		expectFailure(early, 400, { action: 'errors.publication_window_open' });

		expectRedirect(
			await request({ ...pubAt(pid), method: 'POST', as: RESIDENT, form: { paragraph: '2', reason: '40 个充电口不够用' } }, pubPage.actions.object),
			`/estates/${JINYUAN}/publications/${pid}#objections`
		);
		const data = expectData(await request({ ...pubAt(pid), as: COMMITTEE }, pubPage.load));
		expect(data.detail.objections).toEqual([expect.objectContaining({ paragraph: 2, reason: '40 个充电口不够用', answer: null })]);
		const objection = data.detail.objections[0].id;

		// A rejection needs its reason; a resident cannot answer.
		expectFailure(
			await expectNoWrite(() => request({ ...pubAt(pid), method: 'POST', as: COMMITTEE, form: { objection_id: objection, answer: 'rejected', reason: '' } }, pubPage.actions.answer)),
			400,
			{ reason: 'errors.reason_required' }
		);
		expectFailure(
			await expectNoWrite(() => request({ ...pubAt(pid), method: 'POST', as: RESIDENT, form: { objection_id: objection, answer: 'rejected', reason: '不行' } }, pubPage.actions.answer)),
			403
		);
		expectRedirect(
			await request({ ...pubAt(pid), method: 'POST', as: COMMITTEE, form: { objection_id: objection, answer: 'rejected', reason: '按登记车辆测算已够用' } }, pubPage.actions.answer),
			`/estates/${JINYUAN}/publications/${pid}#objections`
		);

		// The test harness's clock: the window's end passes (not a way the app offers).
		await rt.sql.query(`update public.publications set opens_at = opens_at - interval '8 days', closes_at = now() - interval '1 second' where id = $1`, [pid]);
		const final = expectData(await request({ ...pubAt(pid), as: RESIDENT }, pubPage.load));
		expect(final.detail.publication.status).toBe('final');
		expectRedirect(
			await request({ url: `/estates/${JINYUAN}/issues/${issue}`, params: { id: JINYUAN, issueId: issue }, method: 'POST', as: COMMITTEE, form: { action: 'start_work' } }, issuePage.actions.transition),
			`/estates/${JINYUAN}/issues/${issue}#timeline`
		);
		expect(await count('public.issues', `id = $1 and status = 'in_progress'`, [issue])).toBe(1);
	});

	it.each([
		[{ paragraph: '9', reason: '不同意' }, 'paragraph', 'errors.paragraph_not_found'],
		[{ paragraph: '0', reason: '不同意' }, 'paragraph', 'errors.paragraph_not_found'],
		[{ paragraph: '第二段', reason: '不同意' }, 'paragraph', 'errors.paragraph_not_found'],
		[{ paragraph: '2', reason: '' }, 'reason', 'errors.required'],
		[{ paragraph: '2', reason: '长'.repeat(501) }, 'reason', 'errors.too_long']
	])('refuses the objection %j beside the field, writing nothing', async (form, field, key) => {
		const pid = await publish(await approvedIssue());
		const x = await expectNoWrite(() => request({ ...pubAt(pid), method: 'POST', as: RESIDENT, form }, pubPage.actions.object));
		expectFailure(x, 400, { [field]: key });
	});

	it('refuses a second objection to the same paragraph (409) and one after the window (400), writing nothing', async () => {
		const pid = await publish(await approvedIssue());
		await request({ ...pubAt(pid), method: 'POST', as: RESIDENT, form: { paragraph: '1', reason: '写清楚' } }, pubPage.actions.object);
		expectFailure(
			await expectNoWrite(() => request({ ...pubAt(pid), method: 'POST', as: RESIDENT, form: { paragraph: '1', reason: '再说一次' } }, pubPage.actions.object)),
			409,
			{ paragraph: 'errors.objection_duplicate' }
		);
		await rt.sql.query(`update public.publications set opens_at = opens_at - interval '8 days', closes_at = now() - interval '1 second' where id = $1`, [pid]);
		expectFailure(
			await expectNoWrite(() => request({ ...pubAt(pid), method: 'POST', as: RESIDENT, form: { paragraph: '2', reason: '晚了' } }, pubPage.actions.object)),
			400,
			{ _errors: 'errors.publication_window_closed' }
		);
	});

	it('an upheld objection is amended in a new revision; an empty amendment is refused beside the text', async () => {
		const pid = await publish(await approvedIssue());
		await request({ ...pubAt(pid), method: 'POST', as: RESIDENT, form: { paragraph: '2', reason: '应设 60 个' } }, pubPage.actions.object);
		const [{ id }] = await rt.sql.query<{ id: string }>('select id::text from public.objections where publication_id = $1', [pid]);
		await request({ ...pubAt(pid), method: 'POST', as: COMMITTEE, form: { objection_id: id, answer: 'upheld', reason: '' } }, pubPage.actions.answer);
		expect(expectData(await request({ ...pubAt(pid), as: COMMITTEE }, pubPage.load)).detail.can_amend).toBe(true);
		expectFailure(
			await expectNoWrite(() => request({ ...pubAt(pid), method: 'POST', as: COMMITTEE, form: { paragraphs: ' ', note: '' } }, pubPage.actions.amend)),
			400,
			{ paragraphs: 'errors.paragraphs_invalid' }
		);
		expectRedirect(
			await request({ ...pubAt(pid), method: 'POST', as: COMMITTEE, form: { paragraphs: TEXT.replace('40', '60'), note: '按异议改为 60 个' } }, pubPage.actions.amend),
			`/estates/${JINYUAN}/publications/${pid}`
		);
		const d = expectData(await request({ ...pubAt(pid), as: RESIDENT }, pubPage.load)).detail;
		expect(d.publication).toMatchObject({ revision: 2, status: 'open' });
		expect(d.revisions[0].paragraphs[1]).toContain('60');
	});

	it('a publication of another estate is not found on this estate’s page', async () => {
		const pid = await publish(await approvedIssue());
		expectHttpError(await request({ url: `/estates/${CAILIAN}/publications/${pid}`, params: { id: CAILIAN, publicationId: pid }, as: COMMITTEE }, pubPage.load), 404);
	});
});
