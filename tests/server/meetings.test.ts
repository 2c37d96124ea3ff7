import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as listPage from '../../src/routes/estates/[id=uuid]/meetings/+page.server';
import * as noticePage from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/+page.server';
import * as checkInPage from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/check-in/+page.server';
import * as doorPage from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/attendance/+page.server';
import { toChinaLocal } from '../../src/lib/format';
import { count, DEMO, expectData, expectFailure, expectHttpError, expectNoWrite, expectRedirect, file, JINYUAN, CAILIAN, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * Meetings through the real hooks on the demo estate: the list and the
 * scheduling form, the notice (register, agenda, change, cancel), check-in
 * by code and the moderator's door list (check in, check out, proxies); every
 * bad input answered beside its field with a 4xx and nothing written.
 */

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const COMMITTEE = 'committee@demo.linyi.org' as const;
const MODERATOR = 'moderator@demo.linyi.org' as const;
const RESIDENT = 'resident@demo.linyi.org' as const;
const HOUR = 3600_000;
/** The smallest JPEG sharp reads: 1×1 px. */
const JPEG = Buffer.from(
	'/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
	'base64'
);

const listAt = { url: `/estates/${JINYUAN}/meetings`, params: { id: JINYUAN } };
const noticeAt = (mid: string) => ({ url: `/estates/${JINYUAN}/meetings/${mid}`, params: { id: JINYUAN, meetingId: mid } });
const checkInAt = (mid: string) => ({ url: `/estates/${JINYUAN}/meetings/${mid}/check-in`, params: { id: JINYUAN, meetingId: mid } });
const doorAt = (mid: string) => ({ url: `/estates/${JINYUAN}/meetings/${mid}/attendance`, params: { id: JINYUAN, meetingId: mid } });

let serial = 0;
function scheduleForm(over: Record<string, string | string[]> = {}) {
	serial += 1;
	const start = Date.now() + 48 * HOUR;
	return {
		kind: 'council',
		title: `东苑座椅议事会${serial}`,
		starts_at: toChinaLocal(new Date(start).toISOString()),
		ends_at: toChinaLocal(new Date(start + 2 * HOUR).toISOString()),
		place: '社区活动室',
		admission: 'open',
		max_proxies: '2',
		seconds_needed: '1',
		speech_seconds: '120',
		speeches_per_motion: '2',
		...over
	};
}
async function schedule(over: Record<string, string | string[]> = {}) {
	const x = await request({ ...listAt, method: 'POST', as: MODERATOR, form: scheduleForm(over) }, listPage.actions.schedule);
	expect(x.outcome.kind, JSON.stringify(x.outcome)).toBe('redirect');
	return (x.outcome as { location: string }).location.split('/').pop()!.split('?')[0];
}
const openDoor = (mid: string) =>
	rt.sql.query(`update public.meetings set starts_at = now() - interval '10 minutes', ends_at = now() + interval '2 hours' where id = $1`, [mid]);

describe('the list and scheduling', () => {
	it('lists the meetings, offers the form to moderators only, and schedules with the chair', async () => {
		const mid = await schedule({ chair_id: DEMO[MODERATOR].id });
		const mod = expectData(await request({ ...listAt, as: MODERATOR }, listPage.load));
		expect(mod.meetings.can_schedule).toBe(true);
		expect(mod.meetings.candidates.map((c: { id: string }) => c.id)).toContain(DEMO[MODERATOR].id);
		expect(mod.meetings.meetings).toContainEqual(expect.objectContaining({ id: mid, status: 'scheduled' }));
		const res = expectData(await request({ ...listAt, as: RESIDENT }, listPage.load));
		expect(res.meetings.can_schedule).toBe(false);
		expect(res.meetings.candidates).toEqual([]);
		expect(await count('public.notifications', `kind = 'meeting_scheduled' and payload ->> 'meeting_id' = $1`, [mid])).toBeGreaterThan(0);
	});

	it.each([
		[{ title: '' }, 'title', 'errors.required'],
		[{ kind: 'party' }, 'kind', 'errors.meeting_kind_unknown'],
		[{ starts_at: '2026-02-30T10:00' }, 'starts_at', 'errors.datetime'],
		[{ starts_at: '2020-01-01T10:00', ends_at: '2020-01-01T12:00' }, 'starts_at', 'errors.meeting_in_past'],
		[{ place: '' }, 'place', 'errors.required'],
		[{ online_url: 'javascript:alert(1)' }, 'online_url', 'errors.meeting_url_invalid'],
		[{ max_proxies: '11' }, 'max_proxies', 'errors.out_of_range'],
		[{ admission: 'invited' }, 'invitee_ids', 'errors.meeting_invitees_required'],
		[{ chair_id: 'nobody' }, 'chair_id', 'errors.invalid_choice']
	])('refuses %j beside the field, writing nothing', async (over, field, key) => {
		const x = await expectNoWrite(() => request({ ...listAt, method: 'POST', as: MODERATOR, form: scheduleForm(over) }, listPage.actions.schedule));
		expectFailure(x, 400, { [field]: key });
	});

	it('refuses a resident (403) and sends the signed-out to sign in', async () => {
		const x = await expectNoWrite(() => request({ ...listAt, method: 'POST', as: RESIDENT, form: scheduleForm() }, listPage.actions.schedule));
		expectFailure(x, 403, { _errors: 'errors.forbidden' });
		expectRedirect(await request({ ...listAt, method: 'POST', form: scheduleForm() }, listPage.actions.schedule), /^\/auth\/sign-in/);
	});
});

describe('the notice', () => {
	it('shows the notice with a QR code; a resident registers and withdraws; another estate’s address is not found', async () => {
		const mid = await schedule();
		const data = expectData(await request({ ...noticeAt(mid), as: RESIDENT }, noticePage.load));
		expect(data.qr).toMatch(/^data:image\/svg\+xml;base64,/);
		expect(Buffer.from(data.qr.split(',')[1], 'base64').toString()).toContain('<svg');
		expect(data.notice.can_register).toBe(true);
		expectRedirect(await request({ ...noticeAt(mid), method: 'POST', as: RESIDENT, form: {} }, noticePage.actions.register), /\?registered=1$/);
		expect(await count('public.meeting_attendance', `meeting_id = $1 and registered_at is not null`, [mid])).toBe(1);
		expectRedirect(await request({ ...noticeAt(mid), method: 'POST', as: RESIDENT, form: {} }, noticePage.actions.unregister), /\?unregistered=1$/);
		const again = await expectNoWrite(() => request({ ...noticeAt(mid), method: 'POST', as: RESIDENT, form: {} }, noticePage.actions.unregister));
		expectFailure(again, 404);
		expectHttpError(await request({ url: `/estates/${CAILIAN}/meetings/${mid}`, params: { id: CAILIAN, meetingId: mid }, as: COMMITTEE }, noticePage.load), 404);
	});

	it('the agenda: add an accepted issue and a free topic, move, remove; bad items refused beside the field', async () => {
		const mid = await schedule();
		const [{ id: issue }] = await rt.sql.query<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
			 select $1, a.id, $2, '东苑座椅需要更换', '说明', 'facilities', 'accepted' from public.areas a where a.estate_id = $1 limit 1 returning id::text`,
			[JINYUAN, DEMO[RESIDENT].id]
		);
		const post = (action: keyof typeof noticePage.actions, form: Record<string, string>, as: typeof MODERATOR | typeof RESIDENT = MODERATOR) =>
			request({ ...noticeAt(mid), method: 'POST', as, form }, noticePage.actions[action]);
		expectRedirect(await post('add_item', { __superform_id: 'add_item', issue_id: issue, planned_minutes: '20' }), /#agenda$/);
		expectRedirect(await post('add_item', { __superform_id: 'add_item', title: '其他事项', planned_minutes: '10' }), /#agenda$/);
		expect(await count('public.issues', `id = $1 and status = 'deliberating'`, [issue])).toBe(1);
		const items = await rt.sql.query<{ id: string }>('select id::text from public.agenda_items where meeting_id = $1 order by position', [mid]);
		expectRedirect(await post('move_item', { __superform_id: 'move_item', item_id: items[1].id, direction: 'up' }), /#agenda$/);
		expect((await rt.sql.query<{ id: string }>('select id::text from public.agenda_items where meeting_id = $1 order by position', [mid])).map((r) => r.id)).toEqual([items[1].id, items[0].id]);
		expectRedirect(await post('remove_item', { __superform_id: 'remove_item', item_id: items[1].id }), /#agenda$/);
		expectFailure(await expectNoWrite(() => post('add_item', { __superform_id: 'add_item', title: '', planned_minutes: '10' })), 400, { title: 'errors.title_invalid' });
		expectFailure(await expectNoWrite(() => post('add_item', { __superform_id: 'add_item', issue_id: issue, planned_minutes: '10' })), 409, { issue_id: 'errors.agenda_issue_duplicate' });
		expectFailure(await expectNoWrite(() => post('add_item', { __superform_id: 'add_item', title: '长', planned_minutes: '999' })), 400, { planned_minutes: 'errors.out_of_range' });
		expectFailure(await expectNoWrite(() => post('add_item', { __superform_id: 'add_item', title: '居民', planned_minutes: '10' }, RESIDENT)), 403);
		expectFailure(await expectNoWrite(() => post('move_item', { __superform_id: 'move_item', item_id: items[0].id, direction: 'sideways' })), 400, { direction: 'errors.invalid_choice' });
		expectFailure(await expectNoWrite(() => post('remove_item', { __superform_id: 'remove_item', item_id: 'x' })), 400, { item_id: 'errors.invalid_choice' });
	});

	it('changing the place tells those registered; cancelling needs a reason', async () => {
		const mid = await schedule();
		await request({ ...noticeAt(mid), method: 'POST', as: RESIDENT, form: {} }, noticePage.actions.register);
		const [{ s, e }] = await rt.sql.query<{ s: string; e: string }>('select starts_at::text as s, ends_at::text as e from public.meetings where id = $1', [mid]);
		const same = scheduleForm({ starts_at: toChinaLocal(new Date(s).toISOString()), ends_at: toChinaLocal(new Date(e).toISOString()) });
		expectRedirect(await request({ ...noticeAt(mid), method: 'POST', as: MODERATOR, form: { ...same, __superform_id: 'update', place: '二楼会议室' } }, noticePage.actions.update), /\?moved=1$/);
		expect(await count('public.notifications', `kind = 'meeting_changed' and payload ->> 'meeting_id' = $1`, [mid])).toBe(1);
		expectFailure(await expectNoWrite(() => request({ ...noticeAt(mid), method: 'POST', as: MODERATOR, form: { ...same, __superform_id: 'update', ends_at: same.starts_at } }, noticePage.actions.update)), 400, { ends_at: 'errors.meeting_end_invalid' });
		expectFailure(await expectNoWrite(() => request({ ...noticeAt(mid), method: 'POST', as: MODERATOR, form: { __superform_id: 'cancel', reason: '' } }, noticePage.actions.cancel)), 400, { reason: 'errors.required' });
		expectFailure(await expectNoWrite(() => request({ ...noticeAt(mid), method: 'POST', as: RESIDENT, form: { __superform_id: 'cancel', reason: '不开了' } }, noticePage.actions.cancel)), 403);
		expectRedirect(await request({ ...noticeAt(mid), method: 'POST', as: MODERATOR, form: { __superform_id: 'cancel', reason: '台风' } }, noticePage.actions.cancel), /\?cancelled=1$/);
		expect(await count('public.notifications', `kind = 'meeting_cancelled' and payload ->> 'meeting_id' = $1`, [mid])).toBe(1);
	});
});

describe('check-in and the door list', () => {
	it('checks in by code at the door; a wrong or malformed code is refused beside the field', async () => {
		const mid = await schedule();
		const [{ code }] = await rt.sql.query<{ code: string }>('select checkin_code as code from public.meetings where id = $1', [mid]);
		const post = (c: string) => request({ ...checkInAt(mid), method: 'POST', as: RESIDENT, form: { __superform_id: 'check_in', code: c } }, checkInPage.actions.default);
		expectFailure(await expectNoWrite(() => post(code)), 400, { code: 'errors.check_in_closed' });
		await openDoor(mid);
		expectFailure(await expectNoWrite(() => post('12ab56')), 400, { code: 'errors.checkin_code_wrong' });
		expectFailure(await post(code === '000000' ? '000001' : '000000'), 400, { code: 'errors.checkin_code_wrong' });
		expectRedirect(await post(` ${code} `), /check-in\?done=1$/);
		expect(await count('public.meeting_attendance', `meeting_id = $1 and checked_in_at is not null`, [mid])).toBe(1);
		expect(expectData(await request({ ...checkInAt(mid), as: RESIDENT }, checkInPage.load)).notice.mine.checked_in).toBe(true);
	});

	it('the moderator checks a member and a guest in, records a proxy with its letter, checks out, revokes', async () => {
		const mid = await schedule({ kind: 'residents' });
		const door = expectData(await request({ ...doorAt(mid), url: `${doorAt(mid).url}?q=${encodeURIComponent('王')}`, as: MODERATOR }, doorPage.load));
		expect(door.door.checkin_code).toMatch(/^[0-9]{6}$/);
		expect(door.poster).toMatch(/^data:image\/svg\+xml;base64,/);
		expectHttpError(await request({ ...doorAt(mid), as: RESIDENT }, doorPage.load), 403);
		const post = (action: keyof typeof doorPage.actions, form: Record<string, string | File>, as: typeof MODERATOR | typeof RESIDENT = MODERATOR) =>
			request({ ...doorAt(mid), method: 'POST', as, form }, doorPage.actions[action]);
		expectRedirect(await post('check_in', { __superform_id: 'check_in', user_id: DEMO[RESIDENT].id }), /\?in=1#list$/);
		expectRedirect(await post('check_in', { __superform_id: 'check_in', name: '张奶奶' }), /\?in=1#list$/);
		expectFailure(await expectNoWrite(() => post('check_in', { __superform_id: 'check_in', name: '' })), 400, { name: 'errors.name_invalid' });
		expectFailure(await expectNoWrite(() => post('check_in', { __superform_id: 'check_in', name: '冒名' }, RESIDENT)), 403);
		const [{ id: holder }] = await rt.sql.query<{ id: string }>(`select id::text from public.meeting_attendance where meeting_id = $1 and name = '张奶奶'`, [mid]);
		const letter = new File([JPEG], 'letter.jpg', { type: 'image/jpeg' });
		expectFailure(await expectNoWrite(() => post('record_proxy', { __superform_id: 'record_proxy', holder_id: holder, absent_name: '李爷爷', letter: file('not an image', 'l.jpg', 'image/jpeg') })), 400, { letter: 'errors.photo_not_image' });
		expectFailure(await expectNoWrite(() => post('record_proxy', { __superform_id: 'record_proxy', holder_id: holder, absent_name: '' , letter })), 400, { absent_name: 'errors.required' });
		expectRedirect(await post('record_proxy', { __superform_id: 'record_proxy', holder_id: holder, absent_name: '李爷爷', letter }), /\?proxy=1#proxies$/);
		const [{ id: proxy, path }] = await rt.sql.query<{ id: string; path: string }>('select id::text, letter_path as path from public.meeting_proxies where meeting_id = $1', [mid]);
		expect(path).toMatch(/^proxies\/[0-9a-f-]{36}\.jpg$/);
		const after = expectData(await request({ ...doorAt(mid), as: MODERATOR }, doorPage.load));
		expect(after.notice.quorum).toMatchObject({ kind: 'residents', people: 2, proxies: 1 });
		expect(after.door.proxies).toEqual([expect.objectContaining({ absent: '李爷爷', holder: '张奶奶', counts: true, has_letter: true })]);
		expectRedirect(await post('check_out', { __superform_id: 'check_out', attendance_id: holder }), /\?out=1#list$/);
		expectFailure(await expectNoWrite(() => post('check_out', { __superform_id: 'check_out', attendance_id: holder })), 400, { _errors: 'errors.not_checked_in' });
		expectRedirect(await post('revoke_proxy', { __superform_id: 'revoke_proxy', proxy_id: proxy }), /\?revoked=1#proxies$/);
		expectFailure(await expectNoWrite(() => post('revoke_proxy', { __superform_id: 'revoke_proxy', proxy_id: proxy })), 400, { _errors: 'errors.proxy_revoked' });
		expectFailure(await expectNoWrite(() => post('revoke_proxy', { __superform_id: 'revoke_proxy', proxy_id: 'x' })), 400, { proxy_id: 'errors.invalid_choice' });
	});
});
