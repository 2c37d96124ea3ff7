import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as minutesPage from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/minutes/+page.server';
import * as printPage from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/minutes/print/+page.server';
import { count, expectData, expectFailure, expectHttpError, expectNoWrite, expectRedirect, JINYUAN, CAILIAN, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * Minutes (会议纪要) through the real hooks on the demo estate: the page and its print for readers, drafting,
 * editing paragraph by paragraph and publishing for the recorder and the chair; every bad input answered
 * beside its field with a 4xx and nothing written.
 */

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const RESIDENT = 'resident@demo.linyi.org' as const;
const RECORDER = 'volunteer@demo.linyi.org' as const;
const CHAIR = 'moderator@demo.linyi.org' as const;
const SHED = '5eed0000-0000-4000-8000-000000005302';

let serial = 0;
/** A closed council of 晋源水岸花苑 chaired by moderator@ and recorded by volunteer@, 王阿姨 and 李先生 present. */
async function closedMeeting() {
	serial += 1;
	const [{ id }] = await rt.sql.query<{ id: string }>(
		`insert into public.meetings (estate_id, kind, title, starts_at, ends_at, place, chair_id, recorder_id, status, checkin_code, opened_at, closed_at)
		 values ($1, 'council', $2, now() - interval '2 hours', now() - interval '1 hour', '社区活动室', '5eed0000-0000-4000-8000-000000001004',
		   '5eed0000-0000-4000-8000-000000001003', 'closed', '777777', now() - interval '2 hours', now() - interval '1 hour') returning id::text`,
		[JINYUAN, `楼道堆物议事会${serial}`]
	);
	await rt.sql.query(`insert into public.agenda_items (meeting_id, position, title, status) values ($1, 1, '楼道堆物清理', 'done')`, [id]);
	await rt.sql.query(
		`insert into public.meeting_attendance (meeting_id, user_id, checked_in_at) values ($1, '5eed0000-0000-4000-8000-000000001001', now() - interval '2 hours'),
		   ($1, '5eed0000-0000-4000-8000-000000001002', now() - interval '2 hours')`,
		[id]
	);
	return id;
}
const at = (meetingId: string) => ({ url: `/estates/${JINYUAN}/meetings/${meetingId}/minutes`, params: { id: JINYUAN, meetingId } });
const post = (meetingId: string, action: string, as: string, form: Record<string, string | string[]> = {}) =>
	request({ ...at(meetingId), url: `${at(meetingId).url}?/${action}`, method: 'POST', as: as as typeof RESIDENT, form }, minutesPage.actions[action as 'draft'] as never);

describe('the minutes page', () => {
	it('shows the demo council\'s final minutes to a resident, and its A4 print with a QR code to the publication', async () => {
		const data = expectData(await request({ ...at(SHED), as: RESIDENT }, minutesPage.load));
		expect(data.minutes.publication).toMatchObject({ id: '5eed0000-0000-4000-8000-000000005340', status: 'final' });
		expect(data.minutes.can_draft || data.minutes.can_edit || data.minutes.can_publish).toBe(false);
		const print = expectData(await request({ url: `${at(SHED).url}/print`, params: at(SHED).params, as: RESIDENT }, printPage.load));
		expect(print.qr).toMatch(/^data:image\/svg\+xml;base64,/);
		expect(Buffer.from(print.qr.split(',')[1], 'base64').toString()).toContain('<svg');
		expect(print.link).toMatch(/\/estates\/[^/]+\/publications\/5eed0000-0000-4000-8000-000000005340$/);
		expect(print.text[1]).toMatch(/^出席：52 人/);
	});

	it('is not found under another estate\'s address, and without minutes there is nothing to print', async () => {
		expectHttpError(await request({ url: `/estates/${CAILIAN}/meetings/${SHED}/minutes`, params: { id: CAILIAN, meetingId: SHED }, as: RESIDENT }, minutesPage.load), 404);
		const id = await closedMeeting();
		expectHttpError(await request({ url: `${at(id).url}/print`, params: at(id).params, as: RESIDENT }, printPage.load), 404, 'errors.minutes_not_drafted');
	});
});

describe('drafting, editing and publishing', () => {
	it('the recorder drafts from the record; a resident is refused with a message and nothing is written', async () => {
		const id = await closedMeeting();
		const refused = await expectNoWrite(() => post(id, 'draft', RESIDENT));
		expect(refused.outcome).toMatchObject({ kind: 'failure', status: 403, data: { message: 'errors.not_minutes_writer' } });
		expectRedirect(await post(id, 'draft', RECORDER), /\/minutes\?drafted=1#draft$/);
		const data = expectData(await request({ ...at(id), as: RECORDER }, minutesPage.load));
		expect(data.minutes.draft.paragraphs[0]).toContain('楼道堆物议事会');
		expect(data.minutes.can_edit).toBe(true);
	});

	it('edits paragraph by paragraph (an emptied paragraph is dropped), and refuses an empty or oversized draft beside the field', async () => {
		const id = await closedMeeting();
		await post(id, 'draft', RECORDER);
		const before = expectData(await request({ ...at(id), as: RECORDER }, minutesPage.load)).minutes.draft.paragraphs as string[];
		expectFailure(await expectNoWrite(() => post(id, 'edit', RECORDER, { __superform_id: 'edit', paragraphs: ['', '  '] })), 400, {
			paragraphs: 'errors.minutes_paragraphs_invalid'
		});
		// A paragraph too long is named by its place, to be shown beside its own text area.
		const long = expectFailure(await expectNoWrite(() => post(id, 'edit', RECORDER, { __superform_id: 'edit', paragraphs: [before[0], 'x'.repeat(2001), ''] })), 400);
		expect(long.form.errors.paragraphs).toEqual({ 1: ['errors.too_long'] });
		const edited = [before[0], '', ...before.slice(2), '补记：会后在群里通知未到场的住户。'];
		expectRedirect(await post(id, 'edit', RECORDER, { __superform_id: 'edit', paragraphs: edited }), /\?saved=1#draft$/);
		const after = expectData(await request({ ...at(id), as: RECORDER }, minutesPage.load)).minutes.draft;
		expect(after.paragraphs).toEqual([before[0], ...before.slice(2), '补记：会后在群里通知未到场的住户。']);
		expect(after.assembled).toEqual(before);
		const x = await expectNoWrite(() => post(id, 'edit', RESIDENT, { __superform_id: 'edit', paragraphs: ['改写'] }));
		expectFailure(x, 403, { _errors: 'errors.not_minutes_writer' });
	});

	it('the chair publishes for the chosen window; a bad window or the recorder is refused; twice is refused', async () => {
		const id = await closedMeeting();
		await post(id, 'draft', RECORDER);
		for (const days of ['0', '31', 'abc']) {
			expectFailure(await expectNoWrite(() => post(id, 'publish', CHAIR, { __superform_id: 'publish', window_days: days })), 400, { window_days: 'errors.window_days_invalid' });
		}
		expectFailure(await expectNoWrite(() => post(id, 'publish', RECORDER, { __superform_id: 'publish', window_days: '7' })), 403, { _errors: 'errors.not_meeting_runner' });
		expectRedirect(await post(id, 'publish', CHAIR, { __superform_id: 'publish', window_days: '5' }), /\/minutes\?published=1$/);
		expect(await count('public.publications', `kind = 'minutes' and subject_id = $1 and window_days = 5`, [id])).toBe(1);
		expectFailure(await expectNoWrite(() => post(id, 'publish', CHAIR, { __superform_id: 'publish', window_days: '7' })), 409, { _errors: 'errors.already_published' });
		const data = expectData(await request({ ...at(id), as: RESIDENT }, minutesPage.load));
		expect(data.minutes.publication.status).toBe('open');
	});

	it('sends someone signed out to sign in', async () => {
		expectRedirect(await post(SHED, 'draft', undefined as never), /^\/auth\/sign-in/);
	});
});
