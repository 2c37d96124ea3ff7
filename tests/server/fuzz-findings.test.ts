import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as voteNew from '../../src/routes/estates/[id=uuid]/votes/new/+page.server';
import * as issue from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/+page.server';
import * as propose from '../../src/routes/estates/[id=uuid]/issues/new/+page.server';
import * as areas from '../../src/routes/estates/[id=uuid]/manage/areas/+page.server';
import * as estateSettings from '../../src/routes/estates/[id=uuid]/manage/settings/+page.server';
import { DEMO, JINYUAN, expectFailure, expectNoWrite, file, openTestRuntime, request, type TestRuntime } from './harness';

/** What tests/server/fuzz.test.ts found, each pinned by a test that failed before its fix. */

let rt: TestRuntime;
let building: string;
let issueId: string;
beforeAll(async () => {
	rt = await openTestRuntime();
	[{ id: building }] = await rt.sql.query<{ id: string }>(`select id::text from public.areas where estate_id = $1 and name = '15栋'`, [JINYUAN]);
	[{ id: issueId }] = await rt.sql.query<{ id: string }>(
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 values ($1, $2, $3, '15栋加装电梯', '方案见附件', 'renovation', 'accepted') returning id::text`,
		[JINYUAN, building, DEMO['owner@demo.linyi.org'].id]
	);
});
afterAll(() => rt.close());

const voteForm = (over: Record<string, string>) => ({
	issue_id: issueId,
	question: '是否同意 15 栋加装电梯？',
	kind: 'owners',
	matter: '7',
	scope_area_id: building,
	max_choices: '1',
	closes_at: '2027-01-10T10:00',
	secret: 'on',
	...over
});

describe('a vote whose times match the pattern but not the calendar', () => {
	// They passed the schema and ended the request in a RangeError (500) when turned into an instant.
	it.each(['2027-13-45T99:99', '2027-02-30T10:00', '2027-01-10T24:00', '0000-01-01T10:00'])('closing at %s is refused beside the field, nothing opened', async (closes) => {
		const x = await expectNoWrite(() =>
			request({ url: `/estates/${JINYUAN}/votes/new`, as: 'committee@demo.linyi.org', form: voteForm({ closes_at: closes }) }, voteNew.actions.default)
		);
		expectFailure(x, 400, { closes_at: 'errors.datetime' });
	});

	it('opening at an impossible time is refused too', async () => {
		const x = await expectNoWrite(() =>
			request({ url: `/estates/${JINYUAN}/votes/new`, as: 'committee@demo.linyi.org', form: voteForm({ opens_at: '2027-04-31T08:00' }) }, voteNew.actions.default)
		);
		expectFailure(x, 400, { opens_at: 'errors.datetime' });
	});
});

describe('a file where a form expects a checkbox or text', () => {
	// zod's own English ("Invalid input: expected boolean, received File") reached the page as the message.
	const evil = () => file('<script>alert(1)</script>', 'evil.html', 'text/html');

	it('in a checkbox: a translated message', async () => {
		const x = await expectNoWrite(() =>
			request({ url: `/estates/${JINYUAN}/manage/settings`, as: 'committee@demo.linyi.org', form: { board_public: evil(), support_threshold: '5' } }, estateSettings.actions.default)
		);
		expectFailure(x, 400, { board_public: 'errors.invalid_choice' });
	});

	it('as the transition of an issue: a translated message', async () => {
		const x = await expectNoWrite(() =>
			request(
				{ url: `/estates/${JINYUAN}/issues/${issueId}?/transition`, as: 'committee@demo.linyi.org', params: { id: JINYUAN, issueId }, form: { action: evil(), reason: '' } },
				issue.actions.transition
			)
		);
		const data = expectFailure(x, 400);
		expect(data.form.errors.action).toEqual(['errors.invalid_choice']);
	});

	it("as an area's geometry: a translated message", async () => {
		const x = await expectNoWrite(() =>
			request({ url: `/estates/${JINYUAN}/manage/areas?/save`, as: 'committee@demo.linyi.org', form: { kind: 'building', name: '新楼', geometry: evil() } }, areas.actions.save)
		);
		expectFailure(x, 400, { geometry: 'errors.import.area_geometry' });
	});
});

describe('a held photo token that is not an id', () => {
	// The form's data keeps what was sent when it is invalid; the malformed token reached held_photos (500).
	it('is refused beside the photos, nothing raised', async () => {
		const x = await expectNoWrite(() =>
			request(
				{
					url: `/estates/${JINYUAN}/issues/new`,
					as: 'resident@demo.linyi.org',
					params: { id: JINYUAN },
					form: { area_id: building, category: 'facilities', title: '楼道灯坏了很久', held: 'arguments', confirm_new: 'on' }
				},
				propose.actions.default
			)
		);
		const data = expectFailure(x, 400);
		expect(Object.keys(data.form.errors)).toEqual(['held']);
	});
});
