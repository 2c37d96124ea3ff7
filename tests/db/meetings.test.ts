import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedIssues, seedWorld, type Person, type World } from './fixtures';

/**
 * Meetings: scheduling, the agenda, attendance, proxies and the quorum
 * (20261204100100–100300), called as the app calls them on the world of
 * fixtures.ts. Each case schedules a fresh meeting of estate A.
 *
 * The quorum arithmetic in A: verified members resident (unit 1栋/1/101,
 * owner 张三 of 101 and 201), moderator, volunteer (no unit), committee
 * (unit 2栋/101): 4 electors, 2 households.
 */

type Json = Record<string, unknown>;
const HOUR = 3600_000;
const LETTER = 'proxies/0b3c7e0e-5f7a-4c55-9d47-0c0ffee00001.jpg';

describe.each(DATABASES)('meetings on %s', (name) => {
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

	async function state() {
		return q(
			`select (select count(*) from public.meetings)::int as meetings,
			   (select md5(coalesce(string_agg(id::text || status || title || place || starts_at::text, ',' order by id), '')) from public.meetings) as m,
			   (select md5(coalesce(string_agg(id::text || position || title, ',' order by id), '')) from public.agenda_items) as agenda,
			   (select md5(coalesce(string_agg(id::text || coalesce(registered_at::text, '-') || coalesce(checked_in_at::text, '-') || coalesce(checked_out_at::text, '-'), ',' order by id), '')) from public.meeting_attendance) as attendance,
			   (select md5(coalesce(string_agg(id::text || coalesce(revoked_at::text, '-'), ',' order by id), '')) from public.meeting_proxies) as proxies,
			   (select count(*) from public.meeting_events)::int as events,
			   (select count(*) from public.notifications)::int as notifications,
			   (select md5(string_agg(id::text || status, ',' order by id)) from public.issues) as issues`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	let serial = 0;
	const tomorrow = () => new Date(Date.now() + 24 * HOUR);
	function args(over: Json = {}): Json {
		serial += 1;
		const start = tomorrow();
		return {
			p_estate_id: w.a.id,
			p_kind: 'council',
			p_title: `南苑座椅议事会${serial}`,
			p_starts_at: start.toISOString(),
			p_ends_at: new Date(start.getTime() + 2 * HOUR).toISOString(),
			p_place: '社区活动室',
			p_chair_id: w.users.moderator,
			p_recorder_id: w.users.volunteer,
			...over
		};
	}
	async function schedule(over: Json = {}, by: Person = 'committee') {
		return (await call<{ id: string; checkin_code: string }>('schedule_meeting', args(over), as(by))).id;
	}
	/** Moves a meeting so that it started ten minutes ago (the door is open). */
	const startNow = (id: string) =>
		q(`update public.meetings set starts_at = now() - interval '10 minutes', ends_at = now() + interval '2 hours' where id = $1`, [id]);
	const code = async (id: string) => (await q<{ c: string }>('select checkin_code as c from public.meetings where id = $1', [id]))[0].c;
	const quorum = (id: string, p: Person = 'resident') => call<Json>('meeting_quorum', { p_meeting_id: id }, as(p));
	const attendance = async (id: string, p: Person) =>
		(await q<{ id: string }>('select id::text from public.meeting_attendance where meeting_id = $1 and user_id = $2', [id, w.users[p]]))[0]?.id;
	async function freshIssue(status: string, estate = w.a) {
		serial += 1;
		const [{ id }] = await q<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
			 values ($1, $2, $3, $4, '说明', 'facilities', $5) returning id::text`,
			[estate.id, estate.courtyardId, estate === w.a ? w.users.resident : w.users.otherEstate, `东苑座椅${serial}`, status]
		);
		return id;
	}

	describe('scheduling', () => {
		it('schedules with the 南塘 defaults and a six-digit code, tells the verified members, and records the step', async () => {
			const r = await call<{ id: string; checkin_code: string }>('schedule_meeting', args({ p_kind: 'residents' }), as('moderator'));
			expect(r.checkin_code).toMatch(/^[0-9]{6}$/);
			const [m] = await q('select status, max_proxies, seconds_needed, speech_seconds, speeches_per_motion, alternate_stances, first_speakers_first, hands_rule, admission, created_by::text from public.meetings where id = $1', [r.id]);
			expect(m).toEqual({ status: 'scheduled', max_proxies: 2, seconds_needed: 1, speech_seconds: 120, speeches_per_motion: 2, alternate_stances: true, first_speakers_first: true, hands_rule: 'more_yes', admission: 'open', created_by: w.users.moderator });
			const told = await q<{ user_id: string; path: string }>(`select user_id::text, payload ->> 'path' as path from public.notifications where kind = 'meeting_scheduled' and payload ->> 'meeting_id' = $1 order by 1`, [r.id]);
			expect(told.map((t) => t.user_id).sort()).toEqual([w.users.resident, w.users.volunteer, w.users.committee].sort());
			expect(told[0].path).toBe(`/estates/${w.a.id}/meetings/${r.id}`);
			expect(await q(`select kind from public.meeting_events where meeting_id = $1`, [r.id])).toEqual([{ kind: 'scheduled' }]);
		});

		it('takes rule settings, and tells only the invited for an invited meeting', async () => {
			const id = await schedule({ p_admission: 'invited', p_invitee_ids: [w.users.resident], p_rules: { max_proxies: 1, speech_seconds: 180, alternate_stances: false, hands_rule: 'majority_cast' } });
			const [m] = await q('select max_proxies, speech_seconds, alternate_stances, hands_rule from public.meetings where id = $1', [id]);
			expect(m).toEqual({ max_proxies: 1, speech_seconds: 180, alternate_stances: false, hands_rule: 'majority_cast' });
			expect(await q(`select user_id::text from public.notifications where kind = 'meeting_scheduled' and payload ->> 'meeting_id' = $1`, [id])).toEqual([{ user_id: w.users.resident }]);
			// A council open to all, with invitees: its invitees are told.
			const council = await schedule({ p_invitee_ids: [w.users.volunteer] });
			expect(await q(`select user_id::text from public.notifications where kind = 'meeting_scheduled' and payload ->> 'meeting_id' = $1`, [council])).toEqual([{ user_id: w.users.volunteer }]);
		});

		it.each([
			['a resident', 'resident', {}, { code: '42501', message: 'errors.forbidden' }],
			['the committee of another estate', 'committeeB', {}, { code: 'P0002', message: 'errors.estate_not_found' }],
			['an unknown kind', 'committee', { p_kind: 'party' }, { message: 'errors.meeting_kind_unknown', field: 'kind' }],
			['an empty title', 'committee', { p_title: '  ' }, { message: 'errors.title_invalid', field: 'title' }],
			['a time in the past', 'committee', { p_starts_at: new Date(Date.now() - HOUR).toISOString(), p_ends_at: new Date(Date.now() + HOUR).toISOString() }, { message: 'errors.meeting_in_past', field: 'starts_at' }],
			['an end before the start', 'committee', { p_ends_at: new Date(Date.now()).toISOString() }, { message: 'errors.meeting_end_invalid', field: 'ends_at' }],
			['no place', 'committee', { p_place: '' }, { message: 'errors.meeting_place_required', field: 'place' }],
			['a link that is not https', 'committee', { p_online_url: 'http://meet.example.com/1' }, { message: 'errors.meeting_url_invalid', field: 'online_url' }],
			['a chair who is not a member', 'committee', { p_chair_id: '00000000-0000-4000-8000-000000000000' }, { message: 'errors.meeting_person_not_member', field: 'chair_id' }],
			['an invited meeting without invitees', 'committee', { p_admission: 'invited' }, { message: 'errors.meeting_invitees_required', field: 'invitee_ids' }],
			['a rule out of range', 'committee', { p_rules: { max_proxies: 11 } }, { message: 'errors.out_of_range', field: 'max_proxies' }],
			['an unknown rule', 'committee', { p_rules: { quorum: 1 } }, { message: 'errors.invalid_input', field: 'quorum' }],
			['a scope of another estate', 'committee', { p_scope_area_id: 'B' }, { message: 'errors.area_not_in_estate', field: 'scope_area_id' }]
		] as const)('refuses %s, changing nothing', async (_what, by, over, error) => {
			const o = { ...over } as Json;
			if (o.p_scope_area_id === 'B') o.p_scope_area_id = w.b.courtyardId;
			if (by === 'committeeB') o.p_estate_id = w.a.id;
			await refused(() => call('schedule_meeting', args(o), as(by as Person)), error);
		});

		it('a change of place tells those registered; a change of title alone does not', async () => {
			const id = await schedule();
			await call('register_for_meeting', { p_meeting_id: id }, as('resident'));
			const [{ starts_at, ends_at }] = await q<{ starts_at: string; ends_at: string }>('select starts_at::text, ends_at::text from public.meetings where id = $1', [id]);
			const same = { p_meeting_id: id, p_kind: 'council', p_starts_at: starts_at, p_ends_at: ends_at, p_place: '社区活动室' };
			const first = await call<{ moved: boolean }>('update_meeting', { ...same, p_title: '改了标题' }, as('moderator'));
			expect(first.moved).toBe(false);
			const count = async () => (await q<{ n: number }>(`select count(*)::int as n from public.notifications where kind = 'meeting_changed' and payload ->> 'meeting_id' = $1`, [id]))[0].n;
			expect(await count()).toBe(0);
			const r = await call<{ moved: boolean }>('update_meeting', { ...same, p_title: '改了标题', p_place: '二楼会议室' }, as('moderator'));
			expect(r.moved).toBe(true);
			expect(await count()).toBe(1);
			await refused(() => call('update_meeting', { p_meeting_id: id, p_kind: 'council', p_title: 'x', p_starts_at: starts_at, p_ends_at: ends_at, p_place: 'y' }, as('resident')), { code: '42501' });
		});

		it('cancels with a reason, telling those registered; then nothing more changes', async () => {
			const id = await schedule();
			await call('register_for_meeting', { p_meeting_id: id }, as('resident'));
			await refused(() => call('cancel_meeting', { p_meeting_id: id, p_reason: ' ' }, as('committee')), { message: 'errors.reason_required', field: 'reason' });
			await refused(() => call('cancel_meeting', { p_meeting_id: id, p_reason: '外人' }, as('committeeB')), { code: 'P0002', message: 'errors.meeting_not_found' });
			await call('cancel_meeting', { p_meeting_id: id, p_reason: '台风停课' }, as('committee'));
			expect(await q(`select user_id::text from public.notifications where kind = 'meeting_cancelled' and payload ->> 'meeting_id' = $1`, [id])).toEqual([{ user_id: w.users.resident }]);
			await refused(() => call('cancel_meeting', { p_meeting_id: id, p_reason: '再取消' }, as('committee')), { message: 'errors.meeting_not_scheduled' });
			await refused(() => call('register_for_meeting', { p_meeting_id: id }, as('volunteer')), { message: 'errors.meeting_not_scheduled' });
		});
	});

	describe('agenda', () => {
		it('an accepted issue moves to deliberating and its timeline names the meeting; a free topic needs a title', async () => {
			const id = await schedule();
			const issue = await freshIssue('accepted');
			const first = await call<{ id: string; position: number }>('add_agenda_item', { p_meeting_id: id, p_issue_id: issue, p_planned_minutes: 20 }, as('moderator'));
			expect(first.position).toBe(1);
			expect(await q('select status from public.issues where id = $1', [issue])).toEqual([{ status: 'deliberating' }]);
			const events = await q('select kind, action, from_status, to_status, reason, meeting_id::text from public.issue_events where issue_id = $1 and kind <> $2 order by id', [issue, 'proposed']);
			const [{ title }] = await q<{ title: string }>('select title from public.meetings where id = $1', [id]);
			expect(events).toEqual([
				{ kind: 'transition', action: 'put_on_agenda', from_status: 'accepted', to_status: 'deliberating', reason: null, meeting_id: null },
				{ kind: 'on_agenda', action: 'put_on_agenda', from_status: null, to_status: null, reason: title, meeting_id: id }
			]);
			const second = await call<{ position: number }>('add_agenda_item', { p_meeting_id: id, p_title: '其他事项' }, as('committee'));
			expect(second.position).toBe(2);
			await refused(() => call('add_agenda_item', { p_meeting_id: id, p_issue_id: issue }, as('moderator')), { code: '23505', message: 'errors.agenda_issue_duplicate' });
			await refused(() => call('add_agenda_item', { p_meeting_id: id, p_title: '' }, as('moderator')), { message: 'errors.title_invalid', field: 'title' });
			const proposed = await freshIssue('proposed');
			const ofB = await freshIssue('accepted', w.b);
			await refused(() => call('add_agenda_item', { p_meeting_id: id, p_issue_id: proposed }, as('moderator')), { message: 'errors.agenda_issue_not_ready', field: 'issue_id' });
			await refused(() => call('add_agenda_item', { p_meeting_id: id, p_issue_id: ofB }, as('moderator')), { message: 'errors.agenda_issue_invalid', field: 'issue_id' });
			await refused(() => call('add_agenda_item', { p_meeting_id: id, p_title: '长会', p_planned_minutes: 241 }, as('moderator')), { field: 'planned_minutes' });
			await refused(() => call('add_agenda_item', { p_meeting_id: id, p_title: '居民' }, as('resident')), { code: '42501' });
		});

		it('a deliberating issue stays deliberating; reorder takes every item once; remove closes the gap', async () => {
			const id = await schedule();
			const issue = await freshIssue('deliberating');
			const a = (await call<{ id: string }>('add_agenda_item', { p_meeting_id: id, p_issue_id: issue }, as('moderator'))).id;
			const b = (await call<{ id: string }>('add_agenda_item', { p_meeting_id: id, p_title: '二' }, as('moderator'))).id;
			const c = (await call<{ id: string }>('add_agenda_item', { p_meeting_id: id, p_title: '三' }, as('moderator'))).id;
			expect(await q('select status from public.issues where id = $1', [issue])).toEqual([{ status: 'deliberating' }]);
			expect(await q(`select count(*)::int as n from public.issue_events where issue_id = $1 and kind = 'transition'`, [issue])).toEqual([{ n: 0 }]);
			await call('reorder_agenda', { p_meeting_id: id, p_item_ids: [c, a, b] }, as('moderator'));
			const order = async () => (await q<{ id: string }>('select id::text from public.agenda_items where meeting_id = $1 order by position', [id])).map((r) => r.id);
			expect(await order()).toEqual([c, a, b]);
			await refused(() => call('reorder_agenda', { p_meeting_id: id, p_item_ids: [c, a] }, as('moderator')), { message: 'errors.agenda_order_invalid' });
			await refused(() => call('reorder_agenda', { p_meeting_id: id, p_item_ids: [c, a, a] }, as('moderator')), { message: 'errors.agenda_order_invalid' });
			await call('remove_agenda_item', { p_item_id: c }, as('moderator'));
			expect(await q('select id::text, position from public.agenda_items where meeting_id = $1 order by position', [id])).toEqual([{ id: a, position: 1 }, { id: b, position: 2 }]);
			await refused(() => call('remove_agenda_item', { p_item_id: a }, as('resident')), { code: '42501' });
			await q(`update public.meetings set status = 'in_session' where id = $1`, [id]);
			await refused(() => call('remove_agenda_item', { p_item_id: a }, as('moderator')), { message: 'errors.meeting_not_scheduled' });
			await refused(() => call('add_agenda_item', { p_meeting_id: id, p_title: '晚了' }, as('moderator')), { message: 'errors.meeting_not_scheduled' });
		});
	});

	describe('attendance', () => {
		it('registers once, per admission; only members', async () => {
			const id = await schedule();
			await call('register_for_meeting', { p_meeting_id: id }, as('resident'));
			await call('register_for_meeting', { p_meeting_id: id }, as('resident'));
			expect(await q('select count(*)::int as n from public.meeting_attendance where meeting_id = $1', [id])).toEqual([{ n: 1 }]);
			await refused(() => call('register_for_meeting', { p_meeting_id: id }, as('pending')), { code: 'P0002' });
			await refused(() => call('register_for_meeting', { p_meeting_id: id }, as('otherEstate')), { code: 'P0002' });
			const invited = await schedule({ p_admission: 'representatives', p_invitee_ids: [w.users.volunteer] });
			await refused(() => call('register_for_meeting', { p_meeting_id: invited }, as('resident')), { code: '42501', message: 'errors.meeting_not_invited' });
			await call('register_for_meeting', { p_meeting_id: invited }, as('volunteer'));
			await call('unregister_from_meeting', { p_meeting_id: invited }, as('volunteer'));
			expect(await q('select count(*)::int as n from public.meeting_attendance where meeting_id = $1', [invited])).toEqual([{ n: 0 }]);
			await refused(() => call('unregister_from_meeting', { p_meeting_id: invited }, as('volunteer')), { code: 'P0002' });
		});

		it('checks in by code only at the door and with the right code; twenty at once are one', async () => {
			const id = await schedule();
			const c = await code(id);
			await refused(() => call('check_in_by_code', { p_meeting_id: id, p_code: c }, as('resident')), { message: 'errors.check_in_closed', field: 'code' });
			await startNow(id);
			const wrong = c === '000000' ? '000001' : '000000';
			await refused(() => call('check_in_by_code', { p_meeting_id: id, p_code: wrong }, as('resident')), { message: 'errors.checkin_code_wrong', field: 'code' });
			await refused(() => call('check_in_by_code', { p_meeting_id: id, p_code: c }, as('otherEstate')), { code: 'P0002' });
			await Promise.all(Array.from({ length: 20 }, () => call('check_in_by_code', { p_meeting_id: id, p_code: c }, as('resident'))));
			expect(await q('select count(*)::int as n, count(checked_in_at)::int as inn from public.meeting_attendance where meeting_id = $1', [id])).toEqual([{ n: 1, inn: 1 }]);
			// Checking out and back in.
			const me = await attendance(id, 'resident');
			await call('check_out', { p_attendance_id: me }, as('resident'));
			await refused(() => call('check_out', { p_attendance_id: me }, as('resident')), { message: 'errors.not_checked_in' });
			await call('check_in_by_code', { p_meeting_id: id, p_code: c }, as('resident'));
			expect(await q('select checked_out_at from public.meeting_attendance where id = $1', [me])).toEqual([{ checked_out_at: null }]);
			await q(`update public.meetings set ends_at = now() - interval '1 minute', starts_at = now() - interval '3 hours' where id = $1`, [id]);
			await refused(() => call('check_in_by_code', { p_meeting_id: id, p_code: c }, as('volunteer')), { message: 'errors.check_in_closed' });
		});

		it('a moderator checks in a member from the list and a person without an account; nobody else may', async () => {
			const id = await schedule();
			await call('register_for_meeting', { p_meeting_id: id }, as('resident'));
			const reg = await attendance(id, 'resident');
			await call('check_in_attendee', { p_meeting_id: id, p_attendance_id: reg }, as('moderator'));
			await call('check_in_attendee', { p_meeting_id: id, p_user_id: w.users.volunteer }, as('moderator'));
			const guest = (await call<{ id: string }>('check_in_attendee', { p_meeting_id: id, p_name: '王奶奶', p_unit_id: w.a.units['1栋/1/102'] }, as('moderator'))).id;
			const rows = await q('select name, checked_in_by::text as by from public.meeting_attendance where meeting_id = $1 order by name nulls first, user_id', [id]);
			expect(rows).toHaveLength(3);
			expect(rows.every((r) => r.by === w.users.moderator)).toBe(true);
			await refused(() => call('check_in_attendee', { p_meeting_id: id, p_name: '   ' }, as('moderator')), { message: 'errors.name_invalid', field: 'name' });
			await refused(() => call('check_in_attendee', { p_meeting_id: id, p_attendance_id: reg, p_user_id: w.users.resident }, as('moderator')), { message: 'errors.checkin_one_person', field: 'name' });
			await refused(() => call('check_in_attendee', { p_meeting_id: id, p_name: '外人', p_unit_id: w.b.units['1栋//101'] }, as('moderator')), { message: 'errors.unit_not_in_estate', field: 'unit_id' });
			await refused(() => call('check_in_attendee', { p_meeting_id: id, p_user_id: w.users.otherEstate }, as('moderator')), { message: 'errors.meeting_person_not_member', field: 'user_id' });
			await refused(() => call('check_in_attendee', { p_meeting_id: id, p_name: '冒名' }, as('resident')), { code: '42501' });
			await refused(() => call('check_in_attendee', { p_meeting_id: id, p_name: '冒名' }, as('committeeB')), { code: 'P0002' });
			await refused(() => call('check_out', { p_attendance_id: guest }, as('resident')), { code: '42501' });
			await call('check_out', { p_attendance_id: guest }, as('moderator'));
			await call('check_in_attendee', { p_meeting_id: id, p_attendance_id: guest }, as('moderator'));
			expect(await q('select checked_out_at from public.meeting_attendance where id = $1', [guest])).toEqual([{ checked_out_at: null }]);
		});
	});

	describe('proxies', () => {
		it('records with a letter, caps per holder, refuses the bad ones; revoke frees the slot', async () => {
			const id = await schedule({ p_rules: { max_proxies: 1 } });
			const holder = (await call<{ id: string }>('check_in_attendee', { p_meeting_id: id, p_user_id: w.users.resident }, as('moderator'))).id;
			await refused(() => call('record_proxy', { p_meeting_id: id, p_holder_id: holder, p_absent_name: '李奶奶', p_letter_path: null }, as('moderator')), { message: 'errors.proxy_letter_required', field: 'letter' });
			await refused(() => call('record_proxy', { p_meeting_id: id, p_holder_id: holder, p_absent_name: '李奶奶', p_letter_path: '../etc/passwd' }, as('moderator')), { message: 'errors.proxy_letter_required' });
			await refused(() => call('record_proxy', { p_meeting_id: id, p_holder_id: holder, p_absent_user_id: w.users.resident, p_letter_path: LETTER }, as('moderator')), { message: 'errors.proxy_own' });
			await refused(() => call('record_proxy', { p_meeting_id: id, p_holder_id: holder, p_absent_name: '李奶奶', p_letter_path: LETTER }, as('resident')), { code: '42501' });
			const other = await schedule();
			const elsewhere = (await call<{ id: string }>('check_in_attendee', { p_meeting_id: other, p_name: '别处' }, as('moderator'))).id;
			await refused(() => call('record_proxy', { p_meeting_id: id, p_holder_id: elsewhere, p_absent_name: '李奶奶', p_letter_path: LETTER }, as('moderator')), { message: 'errors.proxy_holder_not_attending', field: 'holder_id' });
			const p = (await call<{ id: string }>('record_proxy', { p_meeting_id: id, p_holder_id: holder, p_absent_user_id: w.users.volunteer, p_letter_path: LETTER }, as('moderator'))).id;
			await refused(() => call('record_proxy', { p_meeting_id: id, p_holder_id: holder, p_absent_name: '李奶奶', p_letter_path: LETTER }, as('moderator')), { message: 'errors.proxy_cap', field: 'holder_id' });
			const second = (await call<{ id: string }>('check_in_attendee', { p_meeting_id: id, p_name: '孙阿姨' }, as('moderator'))).id;
			await refused(() => call('record_proxy', { p_meeting_id: id, p_holder_id: second, p_absent_user_id: w.users.volunteer, p_letter_path: LETTER }, as('moderator')), { code: '23505', message: 'errors.proxy_duplicate' });
			await refused(() => call('record_proxy', { p_meeting_id: id, p_holder_id: second, p_absent_user_id: w.users.resident, p_letter_path: LETTER }, as('moderator')), { message: 'errors.proxy_absent_present' });
			await call('revoke_proxy', { p_proxy_id: p }, as('moderator'));
			await refused(() => call('revoke_proxy', { p_proxy_id: p }, as('moderator')), { message: 'errors.proxy_revoked' });
			await call('record_proxy', { p_meeting_id: id, p_holder_id: holder, p_absent_name: '李奶奶', p_letter_path: LETTER }, as('moderator'));
		});

		it('two proxies for one holder at once: the cap holds', async () => {
			const id = await schedule({ p_rules: { max_proxies: 2 } });
			const holder = (await call<{ id: string }>('check_in_attendee', { p_meeting_id: id, p_user_id: w.users.committee }, as('moderator'))).id;
			const results = await Promise.allSettled(
				['甲', '乙', '丙', '丁', '戊'].map((n) => call('record_proxy', { p_meeting_id: id, p_holder_id: holder, p_absent_name: `${n}奶奶`, p_letter_path: LETTER }, as('moderator')))
			);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
			for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ message: 'errors.proxy_cap' });
			expect(await q('select count(*)::int as n from public.meeting_proxies where holder_id = $1', [holder])).toEqual([{ n: 2 }]);
		});
	});

	describe('quorum', () => {
		it("residents' meeting: more than half of the people, or of the households; exactly half is not enough", async () => {
			const id = await schedule({ p_kind: 'residents' });
			const inn = (user: Person) => call('check_in_attendee', { p_meeting_id: id, p_user_id: w.users[user] }, as('moderator'));
			await inn('moderator');
			await inn('volunteer');
			expect(await quorum(id)).toMatchObject({ rule: 'more_than_half', people: 2, electors: 4, households: 0, households_total: 2, met: false });
			const guest = (await call<{ id: string }>('check_in_attendee', { p_meeting_id: id, p_name: '老周' }, as('moderator'))).id;
			expect(await quorum(id)).toMatchObject({ people: 3, met: true });
			await call('check_out', { p_attendance_id: guest }, as('moderator'));
			await call('check_out', { p_attendance_id: await attendance(id, 'volunteer') }, as('moderator'));
			await inn('resident');
			expect(await quorum(id)).toMatchObject({ people: 2, households: 1, met: false });
			await inn('committee');
			expect(await quorum(id)).toMatchObject({ people: 3, households: 2, met: true });
		});

		it('a proxy counts while its holder is present, not after the holder checks out', async () => {
			const id = await schedule({ p_kind: 'residents' });
			const holder = (await call<{ id: string }>('check_in_attendee', { p_meeting_id: id, p_user_id: w.users.moderator }, as('moderator'))).id;
			await call('check_in_attendee', { p_meeting_id: id, p_user_id: w.users.volunteer }, as('moderator'));
			await call('record_proxy', { p_meeting_id: id, p_holder_id: holder, p_absent_user_id: w.users.committee, p_letter_path: LETTER }, as('moderator'));
			expect(await quorum(id)).toMatchObject({ people: 2, proxies: 1, households: 1, met: true });
			await call('check_out', { p_attendance_id: holder }, as('moderator'));
			expect(await quorum(id)).toMatchObject({ people: 1, proxies: 0, households: 0, met: false });
			await call('check_in_attendee', { p_meeting_id: id, p_attendance_id: holder }, as('moderator'));
			expect(await quorum(id)).toMatchObject({ people: 2, proxies: 1, met: true });
		});

		it("owners' meeting: two thirds of the area and of the owners, boundary included", async () => {
			// In 1栋 of A: 101 (张三), 102 (李四), 201 (张三 and 李四): three owners. Areas made 100 each.
			await q(`update public.units set floor_area = 100 where building_id = $1`, [w.a.buildings['1栋']]);
			const id = await schedule({ p_kind: 'owners', p_scope_area_id: w.a.buildings['1栋'] });
			expect(await quorum(id)).toMatchObject({ rule: 'two_thirds', area: 0, area_total: 300, owners: 0, owners_total: 3, met: false });
			// The resident is 张三: present, they bring 101 and 201 (200 of 300 m², 2 of 3 owners): exactly two thirds.
			await call('check_in_attendee', { p_meeting_id: id, p_user_id: w.users.resident }, as('moderator'));
			expect(await quorum(id)).toMatchObject({ area: 200, owners: 2, met: true });
			await q(`update public.units set floor_area = 99.99 where id = $1`, [w.a.units['1栋/1/201']]);
			expect(await quorum(id)).toMatchObject({ area: 199.99, area_total: 299.99, owners: 2, met: false });
			// A proxy for 102's owner, held by someone present, brings the rest.
			const holder = (await call<{ id: string }>('check_in_attendee', { p_meeting_id: id, p_name: '物业小陈' }, as('moderator'))).id;
			await call('record_proxy', { p_meeting_id: id, p_holder_id: holder, p_absent_name: '李四', p_absent_unit_id: w.a.units['1栋/1/102'], p_letter_path: LETTER }, as('moderator'));
			expect(await quorum(id)).toMatchObject({ area: 299.99, owners: 3, met: true });
			await q(`update public.units set floor_area = 100 where building_id = $1`, [w.a.buildings['1栋']]);
		});

		it('council: present against those who may attend, no threshold; outsiders read nothing', async () => {
			const id = await schedule({ p_admission: 'invited', p_invitee_ids: [w.users.resident, w.users.volunteer] });
			await call('check_in_attendee', { p_meeting_id: id, p_user_id: w.users.resident }, as('moderator'));
			expect(await quorum(id)).toEqual({ kind: 'council', rule: 'none', met: null, people: 1, proxies: 0, electors: 2 });
			expect(await quorum(id, 'otherEstate')).toBeNull();
			expect(await db.backend.call('meeting_quorum', { p_meeting_id: id }, { kind: 'anon' })).toBeNull();
		});
	});

	describe('reads', () => {
		it('the list, the notice and the door list, each for whom it is', async () => {
			const id = await schedule();
			await call('add_agenda_item', { p_meeting_id: id, p_issue_id: await freshIssue('accepted') }, as('moderator'));
			await call('register_for_meeting', { p_meeting_id: id }, as('resident'));
			const list = await call<{ can_schedule: boolean; meetings: Json[] }>('estate_meetings', { p_estate_id: w.a.id }, as('resident'));
			expect(list.can_schedule).toBe(false);
			expect(list.meetings.find((m) => m.id === id)).toMatchObject({ items: 1, registered: 1, mine: true });
			expect((await call<{ can_schedule: boolean }>('estate_meetings', { p_estate_id: w.a.id }, as('moderator'))).can_schedule).toBe(true);
			expect((await call<{ meetings: Json[] }>('estate_meetings', { p_estate_id: w.a.id }, as('otherEstate'))).meetings).toEqual([]);

			const notice = await call<Json & { meeting: Json; agenda: Json[] }>('meeting_notice', { p_meeting_id: id }, as('resident'));
			expect(notice.meeting).toMatchObject({ chair: 'moderator', recorder: 'volunteer', status: 'scheduled' });
			expect(notice.meeting).not.toHaveProperty('checkin_code');
			expect(notice).toMatchObject({ can_register: false, can_manage: false, mine: { registered: true } });
			expect(notice.agenda).toHaveLength(1);
			expect((await call<Json>('meeting_notice', { p_meeting_id: id }, as('volunteer'))).can_register).toBe(true);
			await expect(call('meeting_notice', { p_meeting_id: id }, as('otherEstate'))).rejects.toMatchObject({ code: 'P0002' });

			const door = await call<{ checkin_code: string; attendance: Json[]; members: Json[] }>('meeting_door_list', { p_meeting_id: id, p_search: 'vol' }, as('moderator'));
			expect(door.checkin_code).toBe(await code(id));
			expect(door.attendance).toEqual([expect.objectContaining({ name: 'resident', present: false })]);
			expect(door.members.map((m) => m.id)).toEqual([w.users.volunteer]);
			await expect(call('meeting_door_list', { p_meeting_id: id }, as('resident'))).rejects.toMatchObject({ code: '42501' });
		});

		it('anon reads a public board’s notice without names or quorum', async () => {
			const id = await schedule();
			await q('update public.estates set board_public = true where id = $1', [w.a.id]);
			try {
				const notice = await db.backend.call<Json & { meeting: Json }>('meeting_notice', { p_meeting_id: id }, { kind: 'anon' });
				expect(notice.meeting).toMatchObject({ chair: null, chair_id: null });
				expect(notice.quorum).toBeNull();
				expect(notice.can_register).toBe(false);
			} finally {
				await q('update public.estates set board_public = false where id = $1', [w.a.id]);
			}
		});
	});
});
