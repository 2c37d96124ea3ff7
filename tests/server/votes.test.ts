import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as listPage from '../../src/routes/estates/[id=uuid]/votes/+page.server';
import * as newPage from '../../src/routes/estates/[id=uuid]/votes/new/+page.server';
import * as votePage from '../../src/routes/estates/[id=uuid]/votes/[voteId=uuid]/+page.server';
import * as receiptsPage from '../../src/routes/estates/[id=uuid]/votes/[voteId=uuid]/receipts/+page.server';
import * as remainingPage from '../../src/routes/estates/[id=uuid]/votes/[voteId=uuid]/remaining/+page.server';
import { toChinaLocal } from '../../src/lib/format';
import {
	CAILIAN,
	count,
	DEMO,
	expectData,
	expectFailure,
	expectHttpError,
	expectNoWrite,
	expectRedirect,
	JINYUAN,
	openTestRuntime,
	request,
	type DemoEmail,
	type TestRuntime
} from './harness';

/**
 * The vote pages through the real hooks, on the demo estate. 15栋 of 晋源水岸花苑
 * has four flats: 101 owned by the owner account, 102 by the party member
 * account, 201 and 202 by owners without an account (paper ballots).
 */

let rt: TestRuntime;
let building15: string;
const rooms: Record<string, string> = {};
beforeAll(async () => {
	rt = await openTestRuntime();
	[{ id: building15 }] = await rt.sql.query<{ id: string }>(`select id::text from public.areas where estate_id = $1 and name = '15栋'`, [JINYUAN]);
	for (const r of await rt.sql.query<{ id: string; room: string }>(`select id::text, room from public.units where building_id = $1`, [building15])) {
		rooms[r.room] = r.id;
	}
});
afterAll(() => rt.close());

const COMMITTEE: DemoEmail = 'committee@demo.linyi.org';
const inDays = (d: number) => toChinaLocal(new Date(Date.now() + d * 86400_000).toISOString());

let serial = 0;
async function acceptedIssue() {
	serial += 1;
	const [{ id }] = await rt.sql.query<{ id: string }>(
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 values ($1, $2, $3, $4, '加装电梯方案见附件', 'renovation', 'accepted') returning id::text`,
		[JINYUAN, building15, DEMO['owner@demo.linyi.org'].id, `15栋加装电梯${serial}`]
	);
	return id;
}

const setupForm = (issue: string, over: Record<string, string> = {}) => ({
	issue_id: issue,
	question: '是否同意 15 栋加装电梯？',
	description: '费用由本栋业主按面积分摊。',
	kind: 'owners',
	matter: '7',
	scope_area_id: building15,
	options: '',
	max_choices: '1',
	closes_at: inDays(7),
	secret: 'on',
	...over
});

async function openVote(over: Record<string, string> = {}) {
	const issue = await acceptedIssue();
	const x = await request({ url: `/estates/${JINYUAN}/votes/new?issue=${issue}`, method: 'POST', as: COMMITTEE, form: setupForm(issue, over) }, newPage.actions.default);
	expect(x.outcome.kind, JSON.stringify(x.outcome)).toBe('redirect');
	const id = (x.outcome as { location: string }).location.split('/').pop()!;
	return { id, issue };
}

const at = (voteId: string, suffix = '') => ({ url: `/estates/${JINYUAN}/votes/${voteId}${suffix}`, params: { id: JINYUAN, voteId } });

describe('votes/new', () => {
	it('shows the set-up form to the committee with the estate areas for the scope', async () => {
		const issue = await acceptedIssue();
		const data = expectData(await request({ url: `/estates/${JINYUAN}/votes/new?issue=${issue}`, as: COMMITTEE }, newPage.load));
		expect(data.setup.allowed).toBe(true);
		expect(data.setup.areas).toContainEqual(expect.objectContaining({ name: '15栋', kind: 'building', units: 4 }));
		expect(data.form.data).toMatchObject({ issue_id: issue, kind: 'owners', secret: true });
	});

	it('refuses people who are not the committee, unknown issues and issues of another estate', async () => {
		const issue = await acceptedIssue();
		expectHttpError(await request({ url: `/estates/${JINYUAN}/votes/new?issue=${issue}`, as: 'resident@demo.linyi.org' }, newPage.load), 403);
		expectHttpError(await request({ url: `/estates/${JINYUAN}/votes/new?issue=nonsense`, as: COMMITTEE }, newPage.load), 404);
		expectHttpError(await request({ url: `/estates/${CAILIAN}/votes/new?issue=${issue}`, as: COMMITTEE }, newPage.load), 404);
		expectRedirect(await request({ url: `/estates/${JINYUAN}/votes/new?issue=${issue}` }, newPage.load), /^\/auth\/sign-in\?next=/);
	});

	it('opens a building-scoped owners decision and goes to its page; the issue is now voting', async () => {
		const { id, issue } = await openVote();
		const [v] = await rt.sql.query<{ rule: string; electors: number; status: string }>(`select rule, electors, status from public.votes where id = $1`, [id]);
		expect(v).toEqual({ rule: 'owners_special', electors: 4, status: 'open' });
		expect(await count('public.issues', `id = $1 and status = 'voting'`, [issue])).toBe(1);
	});

	it.each([
		[{ question: '' }, 'question', 'errors.required'],
		[{ kind: 'referendum' }, 'kind', 'errors.invalid_choice'],
		[{ matter: '' }, 'matter', 'errors.vote_matter_required'],
		[{ closes_at: 'next tuesday' }, 'closes_at', 'errors.datetime'],
		[{ closes_at: inDays(0.01) }, 'closes_at', 'errors.vote_too_short'],
		[{ opens_at: inDays(-2) }, 'opens_at', 'errors.vote_opens_in_past'],
		[{ scope_area_id: 'not-a-uuid' }, 'scope_area_id', 'errors.invalid_choice'],
		[{ kind: 'consultative', matter: '', options: '只有一个选项' }, 'options', 'errors.vote_options_count'],
		[{ kind: 'consultative', matter: '', live_results: 'on' }, 'live_results', 'errors.vote_live_not_secret']
	])('refuses %j beside the field, writing nothing', async (over, field, key) => {
		const issue = await acceptedIssue();
		const x = await expectNoWrite(() =>
			request({ url: `/estates/${JINYUAN}/votes/new?issue=${issue}`, method: 'POST', as: COMMITTEE, form: setupForm(issue, over) }, newPage.actions.default)
		);
		expectFailure(x, 400, { [field]: key });
	});

	it('refuses the set-up from a resident with 403', async () => {
		const issue = await acceptedIssue();
		const x = await expectNoWrite(() =>
			request({ url: `/estates/${JINYUAN}/votes/new?issue=${issue}`, method: 'POST', as: 'resident@demo.linyi.org', form: setupForm(issue) }, newPage.actions.default)
		);
		expectHttpError(x, 403);
	});
});

describe('the vote page', () => {
	it('lists the votes of the estate', async () => {
		const { id } = await openVote();
		const data = expectData(await request({ url: `/estates/${JINYUAN}/votes`, as: 'resident@demo.linyi.org' }, listPage.load));
		expect(data.votes).toContainEqual(expect.objectContaining({ id, status: 'open', kind: 'owners' }));
	});

	it('shows an owner their unit with a ballot form, the moderator the paper form, and never a choice in a secret vote', async () => {
		const { id } = await openVote();
		const owner = expectData(await request({ ...at(id), as: 'owner@demo.linyi.org' }, votePage.load));
		expect(owner.detail.mine).toEqual([expect.objectContaining({ unit_id: rooms['101'], label: '15栋 101', ballot: null })]);
		expect(owner.detail.actions).toEqual({ paper: false, not_voted: false, close_early: false });
		expect(owner.detail.result).toBeNull();
		const moderator = expectData(await request({ ...at(id), as: 'moderator@demo.linyi.org' }, votePage.load));
		expect(moderator.detail.actions).toMatchObject({ paper: true, not_voted: true });
		expect(moderator.buildings).toContainEqual(expect.objectContaining({ name: '15栋' }));
		// A vote of another estate's page address is not found.
		expectHttpError(await request({ url: `/estates/${CAILIAN}/votes/${id}`, params: { id: CAILIAN, voteId: id }, as: COMMITTEE }, votePage.load), 404);
	});

	it('casts a ballot and returns its receipt; changing it keeps both versions', async () => {
		const { id } = await openVote();
		const cast = (choice: string) =>
			request({ ...at(id, '?/cast'), method: 'POST', as: 'owner@demo.linyi.org', form: { choice, unit_id: rooms['101'] } }, votePage.actions.cast);
		const first = expectData(await cast('1'));
		expect(first.receipt).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
		expectData(await cast('2'));
		expect(await count('public.ballots', 'vote_id = $1', [id])).toBe(2);
		expect(await count('public.ballots', 'vote_id = $1 and superseded_at is null', [id])).toBe(1);
	});

	it.each([
		[{}, 400, 'choice', 'errors.choice_required'],
		[{ choice: '9' }, 400, 'choice', 'errors.option_unknown'],
		[{ choice: ['1', '2'] }, 400, 'choice', 'errors.too_many_choices'],
		[{ choice: ['1', '1'] }, 400, 'choice', 'errors.choice_twice'],
		[{ choice: 'yes' }, 400, 'choice', 'errors.option_unknown']
	])('refuses the ballot %j beside the choice, writing nothing', async (form, status, field, key) => {
		const { id } = await openVote();
		const x = await expectNoWrite(() =>
			request({ ...at(id, '?/cast'), method: 'POST', as: 'owner@demo.linyi.org', form: { unit_id: rooms['101'], ...form } }, votePage.actions.cast)
		);
		expectFailure(x, status, { [field]: key });
	});

	it('refuses a forged unit and a non-owner with 403, writing nothing', async () => {
		const { id } = await openVote();
		const forged = await expectNoWrite(() =>
			request({ ...at(id, '?/cast'), method: 'POST', as: 'owner@demo.linyi.org', form: { choice: '1', unit_id: rooms['201'] } }, votePage.actions.cast)
		);
		expectFailure(forged, 403, { choice: 'errors.not_your_unit' });
		const tenant = await expectNoWrite(() => request({ ...at(id, '?/cast'), method: 'POST', as: 'resident@demo.linyi.org', form: { choice: '1' } }, votePage.actions.cast));
		expectFailure(tenant, 403, { _errors: 'errors.not_in_electorate' });
	});

	it('enters paper ballots by building and room; refuses an unknown room, a missing reference and a resident', async () => {
		const { id } = await openVote();
		const paper = (form: Record<string, string>, as: DemoEmail = 'moderator@demo.linyi.org') =>
			request({ ...at(id, '?/paper'), method: 'POST', as, form: { choice: '1', paper_ref: 'J15-201', building_id: building15, entrance: '', room: '201', ...form } }, votePage.actions.paper);
		// A moderator cannot add a room to the register, so is told who can; the committee, who keeps it, to add it.
		expectFailure(await expectNoWrite(() => paper({ room: '999' })), 400, { room: 'errors.unit_not_found_ask_committee' });
		expectFailure(await expectNoWrite(() => paper({ room: '999' }, COMMITTEE)), 400, { room: 'errors.unit_not_found' });
		expectFailure(await expectNoWrite(() => paper({ paper_ref: '' })), 400, { paper_ref: 'errors.required' });
		expectFailure(await expectNoWrite(() => paper({ building_id: '' })), 400, { building_id: 'errors.required' });
		expectFailure(await expectNoWrite(() => paper({}, 'resident@demo.linyi.org')), 403, { _errors: 'errors.forbidden' });
		const ok = expectData(await paper({ proxy_name: '上官小芬' }));
		expect(ok.paperReceipt).toMatch(/^[0-9A-F-]{19}$/);
		const [b] = await rt.sql.query<{ channel: string; paper_ref: string; proxy_name: string }>(
			`select channel, paper_ref, proxy_name from public.ballots where vote_id = $1`,
			[id]
		);
		expect(b).toEqual({ channel: 'paper', paper_ref: 'J15-201', proxy_name: '上官小芬' });
	});

	it('closes early once everyone voted, shows the result with its explanation, and verifies receipts', async () => {
		const { id, issue } = await openVote();
		const close = (confirm = 'yes') => request({ ...at(id, '?/close'), method: 'POST', as: COMMITTEE, form: { confirm } }, votePage.actions.close);
		const owner = expectData(
			await request({ ...at(id, '?/cast'), method: 'POST', as: 'owner@demo.linyi.org', form: { choice: '1', unit_id: rooms['101'] } }, votePage.actions.cast)
		);
		expectData(await request({ ...at(id, '?/cast'), method: 'POST', as: 'party@demo.linyi.org', form: { choice: '1' } }, votePage.actions.cast));
		// The first submit only asks: closing early cannot be undone.
		expectRedirect(await expectNoWrite(() => close('')), `/estates/${JINYUAN}/votes/${id}?close=confirm#close-confirm`);
		const early = await expectNoWrite(() => close());
		expect(early.outcome).toMatchObject({ kind: 'failure', status: 400, data: { message: 'errors.vote_not_all_voted' } });
		for (const [room, choice] of [
			['201', '1'],
			['202', '2']
		]) {
			expectData(
				await request(
					{ ...at(id, '?/paper'), method: 'POST', as: 'moderator@demo.linyi.org', form: { choice, paper_ref: `J15-${room}`, building_id: building15, room } },
					votePage.actions.paper
				)
			);
		}
		expectFailure(await request({ ...at(id, '?/close'), method: 'POST', as: 'moderator@demo.linyi.org', form: { confirm: 'yes' } }, votePage.actions.close), 403);
		expectRedirect(await expectNoWrite(() => close('')), `/estates/${JINYUAN}/votes/${id}?close=confirm#close-confirm`);
		expectRedirect(await close(), `/estates/${JINYUAN}/votes/${id}#result`);
		const data = expectData(await request({ ...at(id), as: 'resident@demo.linyi.org' }, votePage.load));
		// 3 of 4 owners and 489.55 of 642.30 m² agree: three quarters of owners (≥ 3/4), but 76.2 % of the area — passes matter 7.
		expect(data.detail.result).toMatchObject({ outcome: 'passed', provisional: false });
		expect(await count('public.issues', `id = $1 and status = 'approved'`, [issue])).toBe(1);

		const receipts = expectData(await request({ ...at(id, '/receipts'), as: 'owner@demo.linyi.org' }, receiptsPage.load));
		expect(receipts.receipts).toHaveLength(4);
		expect(receipts.receipts).toContain(owner.receipt);
		const check = (code: string) => request({ ...at(id, '/receipts'), method: 'POST', as: 'owner@demo.linyi.org', form: { code } }, receiptsPage.actions.default);
		expect(expectData(await check(owner.receipt.toLowerCase())).checked).toEqual({ code: owner.receipt, status: 'counted' });
		// A well-formed code no ballot has is answered (the page says "没有这个回执码"), not refused.
		expect(expectData(await check('ffffffffffffffff')).checked).toEqual({ code: 'FFFF-FFFF-FFFF-FFFF', status: 'unknown' });
		expectFailure(await check('<b>x</b>'), 400, { code: 'errors.receipt_format' });
		expectFailure(await check(''), 400, { code: 'errors.required' });
		// Ballots after close are refused.
		const late = await expectNoWrite(() =>
			request({ ...at(id, '?/cast'), method: 'POST', as: 'owner@demo.linyi.org', form: { choice: '2', unit_id: rooms['101'] } }, votePage.actions.cast)
		);
		expectFailure(late, 400, { _errors: 'errors.vote_closed' });
	});

	it('lists the units still to vote for moderators only', async () => {
		const { id } = await openVote();
		const data = expectData(await request({ ...at(id, '/remaining'), as: 'moderator@demo.linyi.org' }, remainingPage.load));
		expect(data.remaining.map((r: { label: string }) => r.label)).toEqual(['15栋 101', '15栋 102', '15栋 201', '15栋 202']);
		expectHttpError(await request({ ...at(id, '/remaining'), as: 'owner@demo.linyi.org' }, remainingPage.load), 403);
	});
});
