import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedBackend } from '../../src/lib/server/backend/embedded';
import type { PostgresBackend } from '../../src/lib/server/backend/postgres';
import type { Caller } from '../../src/lib/server/backend/types';
import { postgresListen, type Listen } from '../../src/lib/server/live/notify';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedWorld, type Person, type World } from './fixtures';
import { createMeeting, extraResidents, type MeetingRef, type MeetingSpec } from './meeting-fixtures';

/**
 * How the room decides (20261205110000, 20261205110100): the resolution of a
 * motion from its count (a tie fails, deciding while people wait refused
 * unless debate was closed), the issue's timeline and lifecycle, a ballot
 * through the votes capability for an owners' meeting whose result decides
 * the motion, rule changes in the middle of a meeting, and the room's live
 * quorum.
 */

type Json = Record<string, unknown>;

describe.each(DATABASES)('decisions in the meeting room on %s', (name) => {
	let db: TestDb;
	let w: World;
	let extra: Record<'jia' | 'yi' | 'bing', string>;
	let listen: Listen;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		extra = await extraResidents(db, w);
		listen = name === 'pglite' ? (c, n) => (db.backend as EmbeddedBackend).listen(c, n) : postgresListen((db.backend as PostgresBackend).db);
	});
	afterAll(() => db.close());

	const as = (p: Person | string): Caller => ({ kind: 'user', userId: (w.users as Record<string, string>)[p] ?? (extra as Record<string, string>)[p] ?? p });
	const call = <T = Json>(fn: string, args: Json, caller: Person | string) => db.backend.call<T>(fn, args, as(caller));
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);

	/** A deliberating issue of estate A, as an agenda would have left it. */
	async function deliberatingIssue(title = '电动自行车充电棚') {
		const [{ id }] = await q<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, body, category, channel)
			 values ($1, $2, $3, $4, '楼下充电不安全', 'facilities', 'app') returning id::text`,
			[w.a.id, w.a.courtyardId, w.users.resident, title]
		);
		await q(`update public.issues set status = 'deliberating' where id = $1`, [id]);
		return id;
	}
	async function meeting(over: Partial<MeetingSpec> & { kind?: string; issue?: string } = {}) {
		const m = await createMeeting(db, {
			estate: w.a,
			chairId: w.users.volunteer,
			present: { resident: w.users.resident, committee: w.users.committee, volunteer: w.users.volunteer, jia: extra.jia, yi: extra.yi, bing: extra.bing },
			...over
		});
		if (over.kind) await q('update public.meetings set kind = $2 where id = $1', [m.id, over.kind]);
		if (over.issue) await q('update public.agenda_items set issue_id = $2 where id = $1', [m.items[0], over.issue]);
		return m;
	}
	/** A meeting with a motion in debate on its current item (moved by resident, seconded by committee). */
	async function debating(over: Parameters<typeof meeting>[0] = {}) {
		const m = await meeting(over);
		const { id } = await call<{ id: string }>('move_motion', { p_meeting_id: m.id, p_body: '在南苑东侧建充电棚，设 40 个充电口' }, 'resident');
		await call('second_motion', { p_motion_id: id }, 'committee');
		return { ...m, motion: id };
	}
	const hands = (motion: string, yes: number, no: number, abstain = 0, chair: string | null = null) =>
		call<{ status: string }>('record_hands', { p_motion_id: motion, p_yes: yes, p_no: no, p_abstain: abstain, p_chair_vote: chair }, 'volunteer');
	const resolve = (motion: string, text: string, p: Person | string = 'volunteer') =>
		call<{ status: string; issue_id: string | null; issue_status: string | null }>('record_resolution', { p_motion_id: motion, p_text: text }, p);
	const room = (m: MeetingRef, p: Person | string = 'moderator') => call<Json & { motions: Json[]; meeting: Json; quorum: Json; present: number }>('meeting_room', { p_meeting_id: m.id }, p);

	async function state(meetingId: string) {
		return q(
			`select (select md5(string_agg(status || speech_seconds || speeches_per_motion || seconds_needed || alternate_stances || first_speakers_first, ',')) from public.meetings where id = $1) as m,
			   (select md5(coalesce(string_agg(id::text || status || coalesce(outcome, ''), ',' order by id), '')) from public.agenda_items where meeting_id = $1) as i,
			   (select md5(coalesce(string_agg(id::text || status || coalesce(resolution, '') || coalesce(vote_id::text, ''), ',' order by id), '')) from public.motions where meeting_id = $1) as mo,
			   (select count(*)::int from public.meeting_events where meeting_id = $1) as events,
			   (select count(*)::int from public.issue_events where meeting_id = $1) as issue_events,
			   (select count(*)::int from public.votes) as votes`,
			[meetingId]
		);
	}
	async function refused(m: MeetingRef, attempt: () => Promise<unknown>, error: Json) {
		const before = await state(m.id);
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state(m.id)).toEqual(before);
	}
	const timeline = (issue: string) =>
		q<{ kind: string; action: string; from_status: string; to_status: string; reason: string; meeting_id: string }>(
			`select kind, action, from_status, to_status, reason, meeting_id::text from public.issue_events where issue_id = $1 and kind = 'meeting_decision' order by id`,
			[issue]
		);
	const issueStatus = async (issue: string) => (await q<{ status: string }>('select status from public.issues where id = $1', [issue]))[0].status;

	describe('the resolution', () => {
		it('a tie fails; its resolution goes on the issue’s timeline, and the issue stays deliberating', async () => {
			const issue = await deliberatingIssue();
			const m = await debating({ issue });
			await call('close_debate', { p_motion_id: m.motion }, 'volunteer');
			expect((await hands(m.motion, 3, 2, 1, 'no')).status).toBe('failed');
			const r = await resolve(m.motion, '充电棚方案未获通过，请物业另拟选址');
			expect(r).toMatchObject({ status: 'failed', issue_id: issue, issue_status: 'deliberating' });
			expect(await timeline(issue)).toEqual([
				{ kind: 'meeting_decision', action: 'meeting_failed', from_status: 'deliberating', to_status: 'deliberating', reason: '充电棚方案未获通过，请物业另拟选址', meeting_id: m.id }
			]);
			expect(await issueStatus(issue)).toBe('deliberating');
			const mo = (await room(m)).motions.find((x) => x.id === m.motion)!;
			expect(mo).toMatchObject({ status: 'failed', yes: 3, no: 3, resolution: '充电棚方案未获通过，请物业另拟选址' });
		});

		it('carried by hands moves a deliberating issue to approved, once; the wording is checked and recorded once', async () => {
			const issue = await deliberatingIssue();
			const m = await debating({ issue });
			await call('close_debate', { p_motion_id: m.motion }, 'volunteer');
			expect((await hands(m.motion, 5, 1)).status).toBe('carried');
			await refused(m, () => resolve(m.motion, '   '), { key: 'errors.resolution_invalid', field: 'text', status: 400 });
			await refused(m, () => resolve(m.motion, '建'.repeat(501)), { key: 'errors.resolution_invalid', field: 'text' });
			await refused(m, () => resolve(m.motion, '建充电棚', 'resident'), { key: 'errors.not_meeting_runner', status: 403 });
			await refused(m, () => resolve(m.motion, '建充电棚', 'otherEstate'), { key: 'errors.meeting_not_found', status: 404 });
			expect(await resolve(m.motion, '同意在南苑东侧建充电棚', 'moderator')).toMatchObject({ status: 'carried', issue_status: 'approved' });
			expect(await issueStatus(issue)).toBe('approved');
			expect(await timeline(issue)).toMatchObject([{ action: 'meeting_carried', from_status: 'deliberating', to_status: 'approved' }]);
			await refused(m, () => resolve(m.motion, '再记一次'), { key: 'errors.resolution_recorded', status: 409 });
			const kinds = (await q<{ kind: string }>('select kind from public.meeting_events where meeting_id = $1 order by id', [m.id])).map((e) => e.kind);
			expect(kinds.slice(-3)).toEqual(['hands_recorded', 'motion_carried', 'resolution_recorded']);
		});

		it('deciding while people wait to speak is refused, unless debate was closed by the meeting’s vote', async () => {
			const m = await debating();
			await call('raise_hand', { p_motion_id: m.motion, p_stance: 'against' }, 'jia');
			await refused(m, () => resolve(m.motion, '通过'), { key: 'errors.queue_not_empty', status: 400 });
			await refused(m, () => hands(m.motion, 5, 1), { key: 'errors.debate_not_closed' });
			await refused(m, () => call('close_debate', { p_motion_id: m.motion }, 'volunteer'), { key: 'errors.queue_not_empty' });
			await call('close_debate', { p_motion_id: m.motion, p_yes: 4, p_no: 2 }, 'volunteer');
			await refused(m, () => resolve(m.motion, '通过'), { key: 'errors.not_counted' });
			await hands(m.motion, 4, 2);
			// A free topic: no issue to tell.
			expect(await resolve(m.motion, '通过')).toMatchObject({ status: 'carried', issue_id: null });
		});

		it('a withdrawn motion has no resolution, and a motion with nobody waiting still needs its debate closed', async () => {
			const m = await debating();
			await refused(m, () => resolve(m.motion, '通过'), { key: 'errors.debate_not_closed' });
			await call('withdraw_motion', { p_motion_id: m.motion }, 'resident');
			await refused(m, () => resolve(m.motion, '通过'), { key: 'errors.motion_not_open' });
		});
	});

	describe('a ballot for an owners’ meeting', () => {
		const closes = () => new Date(Date.now() + 3 * 86400_000).toISOString();
		const ballot = (motion: string, p: Person | string = 'committee', matter = 9) =>
			call<{ vote_id: string; vote_status: string }>('put_to_ballot', { p_motion_id: motion, p_matter: matter, p_closes_at: closes() }, p);

		it('only an owners’ meeting, only an issue of the agenda, only after debate, only by the committee', async () => {
			const council = await debating({ issue: await deliberatingIssue('A') });
			await call('close_debate', { p_motion_id: council.motion }, 'volunteer');
			await refused(council, () => ballot(council.motion), { key: 'errors.ballot_owners_meeting_only' });
			const free = await debating({ kind: 'owners' });
			await call('close_debate', { p_motion_id: free.motion }, 'volunteer');
			await refused(free, () => ballot(free.motion), { key: 'errors.ballot_needs_issue' });
			const m = await debating({ kind: 'owners', issue: await deliberatingIssue('B') });
			await refused(m, () => ballot(m.motion), { key: 'errors.debate_not_closed' });
			await call('close_debate', { p_motion_id: m.motion }, 'volunteer');
			await refused(m, () => ballot(m.motion, 'resident'), { key: 'errors.not_meeting_runner' });
			// The moderator runs the meeting, but a binding owners' vote is the committee's to open.
			await refused(m, () => ballot(m.motion, 'moderator'), { key: 'errors.forbidden' });
			await refused(m, () => ballot(m.motion, 'committee', 12), { key: 'errors.vote_matter_required', field: 'matter' });
		});

		it('opens an owners’ vote linked to the motion; the vote’s result decides it, even after the meeting closed', async () => {
			const issue = await deliberatingIssue('C');
			const m = await debating({ kind: 'owners', issue });
			await call('close_debate', { p_motion_id: m.motion }, 'volunteer');
			const b = await ballot(m.motion);
			expect(b.vote_status).toBe('open');
			const [v] = await q<{ kind: string; issue_id: string; question: string }>('select kind, issue_id::text, question from public.votes where id = $1', [b.vote_id]);
			expect(v).toEqual({ kind: 'owners', issue_id: issue, question: '在南苑东侧建充电棚，设 40 个充电口' });
			expect(await issueStatus(issue)).toBe('voting');
			expect((await room(m)).motions[0]).toMatchObject({ status: 'voting', method: 'ballot', vote_id: b.vote_id });
			await refused(m, () => resolve(m.motion, '通过'), { key: 'errors.ballot_open' });
			await refused(m, () => hands(m.motion, 5, 0), { key: 'errors.ballot_open' });
			await refused(m, () => ballot(m.motion), { key: 'errors.motion_decided' });
			await call('close_meeting', { p_meeting_id: m.id }, 'volunteer');
			// Its time runs out with nobody having voted: no quorum of owners, so the motion fails with the vote.
			await q(`update public.votes set opens_at = now() - interval '2 hours', closes_at = now() - interval '1 minute' where id = $1`, [b.vote_id]);
			await q('select public.close_due_votes()');
			const [mo] = await q<{ status: string }>('select status from public.motions where id = $1', [m.motion]);
			expect(mo.status).toBe('failed');
			const [item] = await q<{ outcome: string }>('select outcome from public.agenda_items where id = $1', [m.items[0]]);
			expect(item.outcome).toBe('failed');
			// An invalid vote leaves the issue undecided (the votes capability's rule), whatever the meeting says.
			expect(await issueStatus(issue)).toBe('undecided');
			// The meeting has closed; the resolution is still recorded, and the vote moved the issue, not the meeting.
			expect(await resolve(m.motion, '业主表决未达到法定参与比例')).toMatchObject({ status: 'failed', issue_status: 'undecided' });
		});

		it('a passed vote carries its motion', async () => {
			const m = await debating({ kind: 'owners', issue: await deliberatingIssue('D') });
			await call('close_debate', { p_motion_id: m.motion }, 'volunteer');
			const b = await ballot(m.motion);
			// The result as the vote's closing writes it (the art. 278 count is the votes tests' subject).
			await q(`insert into public.vote_results (vote_id, outcome, winners, options, turnout, checks, receipts) values ($1, 'passed', '{1}', '[]', '{}', '[]', '{}')`, [b.vote_id]);
			const [mo] = await q<{ status: string }>('select status from public.motions where id = $1', [m.motion]);
			expect(mo.status).toBe('carried');
		});
	});

	describe('rules changed in the middle of the meeting', () => {
		it('a changed limit of speeches takes effect at the next hand up, and the room shows the rules and when they changed', async () => {
			const m = await debating();
			for (let i = 0; i < 2; i++) {
				await call('raise_hand', { p_motion_id: m.motion, p_stance: 'for' }, 'jia');
				await call('give_floor', { p_meeting_id: m.id }, 'volunteer');
				await call('end_speech', { p_meeting_id: m.id }, 'volunteer');
			}
			await expect(call('raise_hand', { p_motion_id: m.motion, p_stance: 'for' }, 'jia')).rejects.toMatchObject({ key: 'errors.speech_limit_reached' });
			await refused(m, () => call('change_meeting_rules', { p_meeting_id: m.id, p_speeches_per_motion: 3 }, 'jia'), { key: 'errors.not_meeting_runner' });
			await refused(m, () => call('change_meeting_rules', { p_meeting_id: m.id, p_speeches_per_motion: 11 }, 'volunteer'), { key: 'errors.out_of_range', field: 'speeches_per_motion' });
			await refused(m, () => call('change_meeting_rules', { p_meeting_id: m.id, p_speech_seconds: 29 }, 'volunteer'), { key: 'errors.out_of_range', field: 'speech_seconds' });
			const after = await call<Json>('change_meeting_rules', { p_meeting_id: m.id, p_speeches_per_motion: 3, p_speech_seconds: 60 }, 'volunteer');
			expect(after).toMatchObject({ speeches_per_motion: 3, speech_seconds: 60, seconds_needed: 1, alternate_stances: true });
			await call('raise_hand', { p_motion_id: m.motion, p_stance: 'for' }, 'jia');
			const s = await call<{ floor_at: string; ends_at: string }>('give_floor', { p_meeting_id: m.id }, 'volunteer');
			expect((Date.parse(s.ends_at) - Date.parse(s.floor_at)) / 1000).toBe(60);
			const r = await room(m, 'jia');
			expect(r.meeting).toMatchObject({ speeches_per_motion: 3, speech_seconds: 60 });
			expect(r.meeting.rules_changed_at).toEqual(expect.any(String));
			const [ev] = await q<{ payload: Json }>(`select payload from public.meeting_events where meeting_id = $1 and kind = 'rules_changed'`, [m.id]);
			expect(ev.payload).toMatchObject({ from: { speeches_per_motion: 2, speech_seconds: 120 }, to: { speeches_per_motion: 3, speech_seconds: 60 } });
			// The same rules again change nothing, and leave no step in the record.
			await call('change_meeting_rules', { p_meeting_id: m.id, p_speeches_per_motion: 3 }, 'volunteer');
			expect((await q(`select 1 from public.meeting_events where meeting_id = $1 and kind = 'rules_changed'`, [m.id])).length).toBe(1);
		});

		it('no longer alternating takes effect at the next floor', async () => {
			const m = await debating();
			await call('raise_hand', { p_motion_id: m.motion, p_stance: 'for' }, 'jia');
			await call('give_floor', { p_meeting_id: m.id }, 'volunteer');
			await call('end_speech', { p_meeting_id: m.id }, 'volunteer');
			await call('raise_hand', { p_motion_id: m.motion, p_stance: 'for' }, 'yi');
			await call('raise_hand', { p_motion_id: m.motion, p_stance: 'against' }, 'bing');
			expect((await room(m)).queue).toMatchObject([{ attendance_id: m.att.bing }, { attendance_id: m.att.yi }]);
			await call('change_meeting_rules', { p_meeting_id: m.id, p_alternate_stances: false }, 'moderator');
			expect((await room(m)).queue).toMatchObject([{ attendance_id: m.att.yi }, { attendance_id: m.att.bing }]);
			expect((await call<{ attendance_id: string }>('give_floor', { p_meeting_id: m.id }, 'volunteer')).attendance_id).toBe(m.att.yi);
		});
	});

	describe('the live quorum', () => {
		async function notificationsDuring(t: string, fn: () => Promise<unknown>) {
			let n = 0;
			const stop = await listen(t, () => n++, () => {});
			try {
				await fn();
				await new Promise((r) => setTimeout(r, 150));
				return n;
			} finally {
				await stop();
			}
		}

		it('the room carries the quorum of its kind, which follows check-outs and proxies, each announced on the meeting’s topic', async () => {
			const m = await meeting();
			const before = await room(m, 'jia');
			expect(before.quorum).toMatchObject({ kind: 'council', people: 6, proxies: 0 });
			expect(before.present).toBe(6);
			const topic = `meeting:${m.id}`;
			expect(await notificationsDuring(topic, () => call('check_out', { p_attendance_id: m.att.bing }, 'bing'))).toBe(1);
			expect((await room(m, 'jia')).quorum).toMatchObject({ people: 5 });
			const proxy = () =>
				call('record_proxy', { p_meeting_id: m.id, p_holder_id: m.att.jia, p_absent_name: '李阿姨', p_letter_path: 'proxies/letter-1.jpg' }, 'moderator');
			expect(await notificationsDuring(topic, proxy)).toBe(1);
			expect((await room(m, 'jia')).quorum).toMatchObject({ people: 5, proxies: 1 });
		});
	});
});
