import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedWorld, type Person, type World } from './fixtures';
import { createMeeting } from './meeting-fixtures';

/**
 * Minutes (会议纪要, 20261205100000_create_meeting_minutes.sql): assembled from
 * the record a meeting left in the room, edited as a draft, published through
 * the one publication mechanism with objections per paragraph, final only when
 * the window has closed and every objection is answered. Each meeting here is
 * run through the room's own functions, so the minutes read what the room wrote.
 */

type Json = Record<string, unknown>;
interface MinutesPage {
	meeting: Json & { title: string };
	draft: { assembled: string[]; paragraphs: string[]; edited_at: string | null } | null;
	publication: (Json & { id: string; status: string; paragraphs: string[]; unanswered: number }) | null;
	can_draft: boolean;
	can_edit: boolean;
	can_publish: boolean;
}

describe.each(DATABASES)('minutes on %s', (name) => {
	let db: TestDb;
	let w: World;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const anon: Caller = { kind: 'anon' };
	const call = <T = Json>(fn: string, args: Json, caller: Caller) => db.backend.call<T>(fn, args, caller);
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);
	const page = (id: string, c: Caller) => call<MinutesPage>('meeting_minutes', { p_meeting_id: id }, c);

	async function state() {
		return q(
			`select (select count(*) from public.publications)::int as publications, (select count(*) from public.objections)::int as objections,
			   (select count(*) from public.issue_events)::int as events,
			   (select md5(coalesce(string_agg(meeting_id::text || array_to_string(paragraphs, '|') || coalesce(publication_id::text, ''), ',' order by meeting_id), ''))
			      from public.meeting_minutes) as minutes`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	let serial = 0;
	/**
	 * A council chaired by the moderator and recorded by the volunteer, on a deliberating issue and a free topic:
	 * the resident moves, the committee seconds, the volunteer speaks for and 张奶奶 (no account) against, the hands
	 * carry it 5–1–0 with the chair's yes, and the meeting closes.
	 */
	async function heldMeeting(close = true) {
		serial += 1;
		const u = w.users;
		const m = await createMeeting(db, {
			estate: w.a, chairId: u.moderator, items: ['南苑电动自行车充电棚', '其他事项'],
			present: { resident: u.resident, committee: u.committee, moderator: u.moderator, volunteer: u.volunteer }, guests: { zhang: '张奶奶' }
		});
		const [{ id: issue }] = await q<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
			 values ($1, $2, $3, $4, '说明', 'facilities', 'deliberating') returning id::text`,
			[w.a.id, w.a.courtyardId, u.resident, `南苑建电动自行车充电棚${serial}`]
		);
		await q('update public.agenda_items set issue_id = $2 where id = $1', [m.items[0], issue]);
		await q('update public.meetings set recorder_id = $2 where id = $1', [m.id, u.volunteer]);
		await q('update public.meeting_attendance set checked_in_by = $2 where id = $1', [m.att.zhang, u.moderator]);
		const motion = (await call<{ id: string }>('move_motion', { p_meeting_id: m.id, p_body: '在南苑东侧空地建充电棚，设 40 个充电口。' }, as('resident'))).id;
		await call('second_motion', { p_motion_id: motion }, as('committee'));
		await call('raise_hand', { p_motion_id: motion, p_stance: 'for' }, as('volunteer'));
		await call('add_speaker', { p_motion_id: motion, p_attendance_id: m.att.zhang, p_stance: 'against' }, as('moderator'));
		for (let i = 0; i < 2; i += 1) {
			await call('give_floor', { p_meeting_id: m.id }, as('moderator'));
			await call('end_speech', { p_meeting_id: m.id }, as('moderator'));
		}
		await call('close_debate', { p_motion_id: motion }, as('moderator'));
		await call('record_hands', { p_motion_id: motion, p_yes: 4, p_no: 1, p_abstain: 0, p_chair_vote: 'yes' }, as('moderator'));
		if (close) await call('close_meeting', { p_meeting_id: m.id }, as('moderator'));
		return { ...m, issue, motion };
	}
	async function windowEnds(id: string) {
		await q(
			`update public.publication_revisions set opens_at = opens_at - interval '40 days', closes_at = now() - interval '1 second'
			 where publication_id = $1 and revision = (select revision from public.publications where id = $1)`,
			[id]
		);
		await q(`update public.publications set opens_at = opens_at - interval '40 days', closes_at = now() - interval '1 second' where id = $1`, [id]);
	}

	it('assembles the record: header in China time, attendance, the motion with mover and seconder, speeches in order, the decision', async () => {
		const m = await heldMeeting();
		const r = await call<{ paragraphs: number }>('draft_minutes', { p_meeting_id: m.id }, as('volunteer'));
		const p = await page(m.id, as('resident'));
		expect(p.draft?.paragraphs.length).toBe(r.paragraphs);
		const text = p.draft!.paragraphs;
		const [{ began }] = await q<{ began: string }>(
			`select to_char(opened_at at time zone 'Asia/Shanghai', 'HH24:MI') as began from public.meetings where id = $1`, [m.id]
		);
		expect(text[0]).toMatch(/^会议名称：居民议事会。会议类型：居民议事会。时间：\d{4}年\d{1,2}月\d{1,2}日 /);
		expect(text[0]).toContain(`${began}—`);
		expect(text[0]).toContain('（北京时间）');
		expect(text[0]).toContain('主持人：moderator');
		expect(text[0]).toContain('记录人：volunteer');
		expect(text[1]).toMatch(/^出席：5 人/);
		expect(text[1]).toContain('其中 1 人由工作人员现场登记');
		expect(text[1]).toContain('本次会议不设法定人数');
		expect(text[2]).toMatch(/^出席人员：.*张奶奶/);
		const item = text.findIndex((t) => t.startsWith('议程1：南苑电动自行车充电棚'));
		expect(item).toBeGreaterThan(0);
		expect(text[item + 1]).toBe('动议1：在南苑东侧空地建充电棚，设 40 个充电口。（动议人：resident；附议：committee）');
		expect(text[item + 2]).toMatch(/^发言（按发言顺序）：1\. volunteer（赞成，\d+秒）；2\. 张奶奶（反对，\d+秒）。$/);
		expect(text[item + 3]).toBe('表决：举手表决，赞成 5，反对 1，弃权 0（主持人最后表决）。动议通过。决议：在南苑东侧空地建充电棚，设 40 个充电口。');
		expect(text[item + 4]).toBe('议程2：其他事项。本项未提出动议。');
		expect(text.at(-1)).toMatch(/^会议于 .* 结束。本纪要根据会议记录整理。$/);
		// The assembled original is kept beside the draft.
		expect(p.draft!.assembled).toEqual(text);
		expect(p.can_edit && p.can_draft).toBe(false);
		expect((await page(m.id, as('volunteer'))).can_edit).toBe(true);
		expect((await page(m.id, as('moderator'))).can_publish).toBe(true);
		expect((await page(m.id, as('volunteer'))).can_publish).toBe(false);
	});

	it('names nobody but the chair and recorder when the meeting is anonymous', async () => {
		const m = await heldMeeting();
		await q('update public.meetings set anonymous = true where id = $1', [m.id]);
		await call('draft_minutes', { p_meeting_id: m.id }, as('moderator'));
		const text = (await page(m.id, as('resident'))).draft!.paragraphs.join('\n');
		expect(text).not.toContain('张奶奶');
		expect(text).not.toContain('动议人：resident');
		expect(text).toContain('发言（按发言顺序）：1. 一位居民（赞成');
		expect(text).not.toContain('出席人员：');
	});

	it('keeps the draft from anon, other estates and non-members; drafting is the recorder\'s, chair\'s or moderators\'', async () => {
		const m = await heldMeeting();
		for (const p of ['resident', 'otherEstate', 'nonmember', 'committeeB'] as const) {
			await refused(() => call('draft_minutes', { p_meeting_id: m.id }, as(p)), {
				key: p === 'resident' ? 'errors.not_minutes_writer' : 'errors.meeting_not_found'
			});
		}
		await call('draft_minutes', { p_meeting_id: m.id }, as('volunteer'));
		expect((await page(m.id, anon).catch((e) => e)).key ?? null).toBe('errors.meeting_not_found');
		const outsider = await call<MinutesPage>('meeting_minutes', { p_meeting_id: m.id }, as('admin'));
		expect(outsider.draft?.paragraphs.length).toBeGreaterThan(3);
		const [{ n }] = await q<{ n: number }>(
			`select count(*)::int as n from public.meeting_minutes where meeting_id = $1`, [m.id]
		);
		expect(n).toBe(1);
		await refused(() => call('draft_minutes', { p_meeting_id: '00000000-0000-4000-8000-000000000000' }, as('volunteer')), { key: 'errors.meeting_not_found' });
	});

	it('refuses minutes of a meeting that has not been held', async () => {
		const m = await createMeeting(db, { estate: w.a, chairId: w.users.moderator, status: 'scheduled' });
		await refused(() => call('draft_minutes', { p_meeting_id: m.id }, as('moderator')), { key: 'errors.meeting_not_held' });
	});

	it('edits the draft paragraph by paragraph, keeps the assembled text, and refuses bad paragraphs', async () => {
		const m = await heldMeeting();
		await call('draft_minutes', { p_meeting_id: m.id }, as('volunteer'));
		const before = (await page(m.id, as('volunteer'))).draft!;
		const edited = [...before.paragraphs];
		edited[1] = `${edited[1]}（会后补记：王阿姨中途离场。）`;
		await call('edit_minutes', { p_meeting_id: m.id, p_paragraphs: edited }, as('volunteer'));
		const after = (await page(m.id, as('volunteer'))).draft!;
		expect(after.paragraphs[1]).toContain('会后补记');
		expect(after.assembled).toEqual(before.assembled);
		expect(after.edited_at).not.toBeNull();
		for (const bad of [[], ['  '], ['x'.repeat(2001)], Array(51).fill('段')]) {
			await refused(() => call('edit_minutes', { p_meeting_id: m.id, p_paragraphs: bad }, as('volunteer')), { key: 'errors.paragraphs_invalid' });
		}
		await refused(() => call('edit_minutes', { p_meeting_id: m.id, p_paragraphs: edited }, as('resident')), { key: 'errors.not_minutes_writer' });
		const fresh = await heldMeeting();
		await refused(() => call('edit_minutes', { p_meeting_id: fresh.id, p_paragraphs: edited }, as('volunteer')), { key: 'errors.minutes_not_drafted' });
	});

	it('publishes through the publication mechanism; objections per paragraph; final only after the window with every objection answered', async () => {
		const m = await heldMeeting();
		await refused(() => call('publish_minutes', { p_meeting_id: m.id }, as('moderator')), { key: 'errors.minutes_not_drafted' });
		await call('draft_minutes', { p_meeting_id: m.id }, as('volunteer'));
		await refused(() => call('publish_minutes', { p_meeting_id: m.id }, as('volunteer')), { key: 'errors.not_meeting_runner' });
		await refused(() => call('publish_minutes', { p_meeting_id: m.id, p_window_days: 31 }, as('moderator')), { key: 'errors.window_days_invalid' });
		const r = await call<{ id: string; status: string }>('publish_minutes', { p_meeting_id: m.id }, as('moderator'));
		expect(r.status).toBe('open');
		const [pub] = await q<{ kind: string; subject_id: string; issue_id: string | null; window_days: number; title: string }>(
			'select kind, subject_id::text, issue_id, window_days, title from public.publications where id = $1', [r.id]
		);
		expect(pub).toMatchObject({ kind: 'minutes', subject_id: m.id, issue_id: null, window_days: 7, title: '会议纪要：居民议事会' });
		const p = await page(m.id, as('resident'));
		expect(p.publication?.paragraphs).toEqual(p.draft?.paragraphs);
		expect(p.can_draft || p.can_edit || p.can_publish).toBe(false);
		// The agenda's issue hears of it, with the meeting; the attendees are told.
		const events = await q<{ kind: string; meeting_id: string }>(
			'select kind, meeting_id::text from public.issue_events where issue_id = $1 and publication_id = $2', [m.issue, r.id]
		);
		expect(events).toEqual([{ kind: 'minutes_published', meeting_id: m.id }]);
		const told = await q<{ user_id: string }>(`select user_id::text from public.notifications where kind = 'publication_opened' and payload ->> 'publication_id' = $1`, [r.id]);
		expect(told.map((t) => t.user_id).sort()).toEqual([w.users.resident, w.users.committee, w.users.volunteer].sort());
		// Once published, the draft is frozen.
		await refused(() => call('draft_minutes', { p_meeting_id: m.id }, as('volunteer')), { key: 'errors.minutes_published' });
		await refused(() => call('edit_minutes', { p_meeting_id: m.id, p_paragraphs: ['新'] }, as('volunteer')), { key: 'errors.minutes_published' });
		await refused(() => call('publish_minutes', { p_meeting_id: m.id }, as('moderator')), { key: 'errors.already_published' });

		const count = p.publication!.paragraphs.length;
		await refused(() => call('object_to_publication', { p_publication_id: r.id, p_paragraph: count + 1, p_reason: '没有这一段' }, as('resident')), {
			key: 'errors.paragraph_not_found'
		});
		const objection = (await call<{ id: string }>('object_to_publication', { p_publication_id: r.id, p_paragraph: 2, p_reason: '出席人数记错了' }, as('resident'))).id;

		await windowEnds(r.id);
		await refused(() => call('object_to_publication', { p_publication_id: r.id, p_paragraph: 1, p_reason: '太晚了' }, as('committee')), {
			key: 'errors.publication_window_closed'
		});
		// Window closed, one objection unanswered: not final.
		expect((await page(m.id, as('resident'))).publication).toMatchObject({ status: 'answering', unanswered: 1 });
		await q('select public.close_due_publications()');
		expect((await page(m.id, as('resident'))).publication?.status).toBe('answering');

		await call('answer_objection', { p_objection_id: objection, p_upheld: false, p_reason: '按签到表核对，出席人数无误。' }, as('committee'));
		expect((await page(m.id, as('resident'))).publication?.status).toBe('final');
		const final = await q<{ kind: string }>(`select kind from public.issue_events where issue_id = $1 and publication_id = $2 order by id`, [m.issue, r.id]);
		expect(final.map((e) => e.kind)).toEqual(['minutes_published', 'minutes_final']);
	});

	it('an upheld objection amends the minutes: a new revision on the agenda issue\'s timeline', async () => {
		const m = await heldMeeting();
		await call('draft_minutes', { p_meeting_id: m.id }, as('volunteer'));
		const r = await call<{ id: string }>('publish_minutes', { p_meeting_id: m.id, p_window_days: 3 }, as('moderator'));
		const o = await call<{ id: string }>('object_to_publication', { p_publication_id: r.id, p_paragraph: 1, p_reason: '时间写错了' }, as('resident'));
		await call('answer_objection', { p_objection_id: o.id, p_upheld: true, p_reason: '采纳' }, as('committee'));
		const text = (await page(m.id, as('committee'))).publication!.paragraphs;
		await call('amend_publication', { p_publication_id: r.id, p_paragraphs: [`${text[0]}（已更正）`, ...text.slice(1)], p_note: '按第 1 段异议更正时间' }, as('committee'));
		const p = await page(m.id, as('resident'));
		expect(p.publication).toMatchObject({ status: 'open', revision: 2 });
		expect(p.publication!.paragraphs[0]).toContain('已更正');
		const kinds = await q<{ kind: string }>(`select kind from public.issue_events where issue_id = $1 and publication_id = $2 order by id`, [m.issue, r.id]);
		expect(kinds.map((e) => e.kind)).toEqual(['minutes_published', 'minutes_amended']);
	});

	it('refuses to publish the minutes of a meeting still in session, and publishes once when asked 20 times at once', async () => {
		const open = await heldMeeting(false);
		await call('draft_minutes', { p_meeting_id: open.id }, as('volunteer'));
		await refused(() => call('publish_minutes', { p_meeting_id: open.id }, as('moderator')), { key: 'errors.meeting_not_closed' });

		const m = await heldMeeting();
		await call('draft_minutes', { p_meeting_id: m.id }, as('volunteer'));
		const results = await Promise.allSettled(Array.from({ length: 20 }, () => call('publish_minutes', { p_meeting_id: m.id }, as('moderator'))));
		expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
		for (const x of results) if (x.status === 'rejected') expect(x.reason).toMatchObject({ key: 'errors.already_published' });
		const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from public.publications where kind = 'minutes' and subject_id = $1`, [m.id]);
		expect(n).toBe(1);
	});

	it('the anon reader of a public board reads published minutes, never the draft', async () => {
		const m = await heldMeeting();
		await call('draft_minutes', { p_meeting_id: m.id }, as('volunteer'));
		await call('publish_minutes', { p_meeting_id: m.id }, as('moderator'));
		await q('update public.estates set board_public = true where id = $1', [w.a.id]);
		try {
			const p = await page(m.id, anon);
			expect(p.draft).toBeNull();
			expect(p.publication?.paragraphs.length).toBeGreaterThan(3);
			expect(p.can_draft || p.can_edit || p.can_publish).toBe(false);
		} finally {
			await q('update public.estates set board_public = false where id = $1', [w.a.id]);
		}
	});
});
