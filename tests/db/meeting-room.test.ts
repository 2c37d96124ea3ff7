import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedBackend } from '../../src/lib/server/backend/embedded';
import type { PostgresBackend } from '../../src/lib/server/backend/postgres';
import type { Caller } from '../../src/lib/server/backend/types';
import { postgresListen, type Listen } from '../../src/lib/server/live/notify';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedWorld, type Person, type World } from './fixtures';
import { createMeeting, extraResidents, type MeetingRef, type MeetingSpec } from './meeting-fixtures';

/**
 * The meeting room under the 南塘 rules (20261204101000…101500): running the
 * meeting, motions and seconds, the speakers' queue with every rule at its
 * boundary, closing debate, the show of hands, the room's one read and its
 * live topic. Each case sets up a meeting of its own in estate A (with the
 * superuser connection, as scheduling and check-in would have left it), and
 * calls the functions as the app calls them.
 *
 * In each meeting the chair is the volunteer; the moderator runs it too;
 * resident, committee and 居民甲/乙/丙 are checked in, and 张奶奶 (no account).
 */

type Json = Record<string, unknown>;
interface Room {
	server_now: string;
	meeting: Json & { status: string; current_item_id: string | null; chair_name: string | null };
	me: { attendance_id: string | null; in_room: boolean; is_chair: boolean; runs: boolean; waiting_speech_id: string | null; speeches_used: number };
	items: Array<{ id: string; status: string; outcome: string | null }>;
	motions: Array<Json & { id: string; status: string; mover_name: string; seconds: Array<{ name: string }>; seconded_by_me: boolean }>;
	queue: Array<{ id: string; attendance_id: string; name: string; stance: string; first_time: boolean; mine: boolean }>;
	speaker: (Json & { id: string; name: string; floor_at: string; ends_at: string }) | null;
	present: number;
	attendees: Array<{ id: string; name: string }>;
}

describe.each(DATABASES)('the meeting room on %s', (name) => {
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

	/** A person of the world, one of 居民甲/乙/丙 ('jia', 'yi', 'bing'), or a user id. */
	const as = (p: Person | string): Caller => ({ kind: 'user', userId: (w.users as Record<string, string>)[p] ?? (extra as Record<string, string>)[p] ?? p });
	const call = <T = Json>(fn: string, args: Json, caller: Person | string) => db.backend.call<T>(fn, args, as(caller));
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);

	/** A meeting in session in A, chaired by the volunteer, with everyone of the header checked in. */
	function meeting(over: Partial<MeetingSpec> = {}) {
		return createMeeting(db, {
			estate: w.a,
			chairId: w.users.volunteer,
			present: { resident: w.users.resident, committee: w.users.committee, volunteer: w.users.volunteer, jia: extra.jia, yi: extra.yi, bing: extra.bing },
			guests: { zhang: '张奶奶' },
			...over
		});
	}
	/** A meeting with a motion (by resident, seconded by committee) in debate on its current item. */
	async function debating(over: Partial<MeetingSpec> = {}) {
		const m = await meeting(over);
		const { id } = await call<{ id: string }>('move_motion', { p_meeting_id: m.id, p_body: '在南苑东侧建充电棚，设 40 个充电口' }, 'resident');
		const s = await call<{ status: string }>('second_motion', { p_motion_id: id }, 'committee');
		expect(s.status).toBe('debating');
		return { ...m, motion: id };
	}
	const room = (m: MeetingRef, p: Person | string = 'moderator') => call<Room>('meeting_room', { p_meeting_id: m.id }, p);
	const hand = (motion: string, p: Person | string, stance: string) => call<{ id: string }>('raise_hand', { p_motion_id: motion, p_stance: stance }, p);
	const floor = (m: MeetingRef, p: Person | string = 'volunteer') => call<{ id: string; attendance_id: string; ends_at: string; floor_at: string }>('give_floor', { p_meeting_id: m.id }, p);
	const endSpeech = (m: MeetingRef, p: Person | string = 'volunteer') => call('end_speech', { p_meeting_id: m.id }, p);
	/** Gives the floor and ends the speech: who spoke (attendance id). */
	async function speak(m: MeetingRef) {
		const s = await floor(m);
		await endSpeech(m);
		return s.attendance_id;
	}

	/** Everything the room functions write for a meeting, to check that a refused call wrote nothing. */
	async function state(meetingId: string) {
		return q(
			`select (select md5(string_agg(status || coalesce(current_item_id::text, '') || coalesce(chair_id::text, ''), ',')) from public.meetings where id = $1) as m,
			   (select md5(coalesce(string_agg(id::text || status || coalesce(outcome, ''), ',' order by id), '')) from public.agenda_items where meeting_id = $1) as i,
			   (select md5(coalesce(string_agg(id::text || status || coalesce(yes, -1), ',' order by id), '')) from public.motions where meeting_id = $1) as mo,
			   (select count(*)::int from public.motion_seconds s join public.motions mo on mo.id = s.motion_id where mo.meeting_id = $1) as seconds,
			   (select md5(coalesce(string_agg(id::text || status, ',' order by id), '')) from public.speeches where meeting_id = $1) as s,
			   (select count(*)::int from public.meeting_events where meeting_id = $1) as events`,
			[meetingId]
		);
	}
	async function refused(m: MeetingRef, attempt: () => Promise<unknown>, error: Json) {
		const before = await state(m.id);
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state(m.id)).toEqual(before);
	}
	const events = async (m: MeetingRef) =>
		(await q<{ kind: string }>('select kind from public.meeting_events where meeting_id = $1 order by id', [m.id])).map((e) => e.kind);

	describe('running the meeting', () => {
		it('the chair or a moderator opens a scheduled meeting, its first item becomes current; others are refused', async () => {
			const m = await meeting({ status: 'scheduled' });
			await refused(m, () => call('open_meeting', { p_meeting_id: m.id }, 'resident'), { key: 'errors.not_meeting_runner', status: 403 });
			await refused(m, () => call('open_meeting', { p_meeting_id: m.id }, 'otherEstate'), { key: 'errors.meeting_not_found', status: 404 });
			await refused(m, () => call('open_meeting', { p_meeting_id: m.id }, 'nonmember'), { key: 'errors.meeting_not_found' });
			const r = await call('open_meeting', { p_meeting_id: m.id }, 'volunteer');
			expect(r).toMatchObject({ status: 'in_session', current_item_id: m.items[0] });
			await refused(m, () => call('open_meeting', { p_meeting_id: m.id }, 'moderator'), { key: 'errors.meeting_not_scheduled', status: 400 });
			const got = await room(m);
			expect(got.items.map((i) => i.status)).toEqual(['current', 'pending']);
			expect(await events(m)).toEqual(['meeting_opened', 'item_started']);
		});

		it('takes the next item (the previous one done), not while someone has the floor, and closes the meeting', async () => {
			const m = await debating();
			await hand(m.motion, 'jia', 'for');
			await floor(m);
			await refused(m, () => call('set_current_item', { p_meeting_id: m.id, p_item_id: m.items[1] }, 'moderator'), { key: 'errors.someone_speaking' });
			await endSpeech(m);
			await refused(m, () => call('set_current_item', { p_meeting_id: m.id, p_item_id: m.items[1] }, 'resident'), { key: 'errors.not_meeting_runner' });
			const other = await meeting();
			await refused(m, () => call('set_current_item', { p_meeting_id: m.id, p_item_id: other.items[1] }, 'moderator'), { key: 'errors.agenda_item_not_found', field: 'item_id' });
			await hand(m.motion, 'yi', 'for');
			await call('set_current_item', { p_meeting_id: m.id, p_item_id: m.items[1] }, 'moderator');
			expect((await room(m)).items.map((i) => i.status)).toEqual(['done', 'current']);
			// The previous item's hands came down: 居民乙 may queue on the new item's motion.
			const next = await call<{ id: string }>('move_motion', { p_meeting_id: m.id, p_body: '文明养犬公约' }, 'resident');
			await call('second_motion', { p_motion_id: next.id }, 'committee');
			await hand(next.id, 'yi', 'against');
			await hand(m.motion, 'yi', 'against').catch(() => {});
			await call('close_meeting', { p_meeting_id: m.id }, 'volunteer');
			const got = await room(m);
			expect(got.meeting).toMatchObject({ status: 'closed', current_item_id: null });
			expect(got.items.map((i) => i.status)).toEqual(['done', 'done']);
			await refused(m, () => call('move_motion', { p_meeting_id: m.id, p_body: '再议' }, 'resident'), { key: 'errors.meeting_not_in_session' });
		});

		it('hands the chair over to a member without a hand up; the new chair runs the meeting and cannot queue while chairing', async () => {
			const m = await debating();
			await hand(m.motion, 'jia', 'for');
			await refused(m, () => call('hand_over_chair', { p_meeting_id: m.id, p_user_id: extra.jia }, 'volunteer'), { key: 'errors.chair_in_queue', field: 'user_id' });
			await refused(m, () => call('hand_over_chair', { p_meeting_id: m.id, p_user_id: w.users.otherEstate }, 'volunteer'), { key: 'errors.chair_not_member' });
			await refused(m, () => call('hand_over_chair', { p_meeting_id: m.id, p_user_id: extra.yi }, 'resident'), { key: 'errors.not_meeting_runner' });
			await call('hand_over_chair', { p_meeting_id: m.id, p_user_id: extra.yi }, 'volunteer');
			expect((await room(m, extra.yi)).me).toMatchObject({ is_chair: true, runs: true });
			expect((await room(m, 'volunteer')).me).toMatchObject({ is_chair: false, runs: false });
			await refused(m, () => hand(m.motion, extra.yi, 'against'), { key: 'errors.chair_cannot_queue' });
			// The former chair is a member of the room again and may queue.
			await hand(m.motion, 'volunteer', 'against');
			expect((await floor(m, extra.yi)).attendance_id).toBe(m.att.jia);
			await endSpeech(m, extra.yi);
			expect((await floor(m, extra.yi)).attendance_id).toBe(m.att.volunteer);
		});
	});

	describe('motions and seconds', () => {
		it('someone in the room moves a motion on the current item; it waits for its seconds, the mover’s own refused', async () => {
			const m = await meeting();
			await refused(m, () => call('move_motion', { p_meeting_id: m.id, p_body: '建充电棚' }, 'moderator'), { key: 'errors.not_checked_in', status: 400 });
			await refused(m, () => call('move_motion', { p_meeting_id: m.id, p_body: '   ' }, 'resident'), { key: 'errors.motion_body_invalid', field: 'body' });
			await refused(m, () => call('move_motion', { p_meeting_id: m.id, p_body: 'x'.repeat(1001) }, 'resident'), { key: 'errors.motion_body_invalid' });
			const { id, status } = await call<{ id: string; status: string }>('move_motion', { p_meeting_id: m.id, p_body: ' 建充电棚 ' }, 'resident');
			expect(status).toBe('moved');
			await refused(m, () => call('move_motion', { p_meeting_id: m.id, p_body: '另一个动议' }, 'jia'), { key: 'errors.motion_pending', status: 409 });
			await refused(m, () => call('second_motion', { p_motion_id: id }, 'resident'), { key: 'errors.second_own_motion' });
			await refused(m, () => hand(id, 'jia', 'for'), { key: 'errors.motion_not_in_debate' });
			expect(await call('second_motion', { p_motion_id: id }, 'jia')).toMatchObject({ status: 'debating', seconds: 1 });
			await refused(m, () => call('second_motion', { p_motion_id: id }, 'jia'), { key: 'errors.already_seconded', status: 409 });
			const got = await room(m, 'jia');
			expect(got.motions).toEqual([expect.objectContaining({ id, body: '建充电棚', status: 'debating', mover_name: 'resident', seconds: [{ attendance_id: m.att.jia, name: '居民甲' }], seconded_by_me: true })]);
			expect(await events(m)).toEqual(['motion_moved', 'motion_seconded', 'debate_opened']);
		});

		it('needs the meeting’s number of seconds: two seconds needed, debate opens at the second one; none needed, at once', async () => {
			const m = await meeting({ rules: { seconds_needed: 2 } });
			const { id } = await call<{ id: string }>('move_motion', { p_meeting_id: m.id, p_body: '建充电棚' }, 'resident');
			expect(await call('second_motion', { p_motion_id: id }, 'jia')).toMatchObject({ status: 'moved', seconds: 1 });
			expect(await call('second_motion', { p_motion_id: id }, 'yi')).toMatchObject({ status: 'debating', seconds: 2 });
			const none = await meeting({ rules: { seconds_needed: 0 } });
			expect(await call('move_motion', { p_meeting_id: none.id, p_body: '建充电棚' }, 'resident')).toMatchObject({ status: 'debating' });
		});

		it('a moderator moves and seconds for someone in the room without a phone; not for someone absent, nor as a resident', async () => {
			const m = await meeting();
			const absent = await meeting();
			await refused(m, () => call('move_motion', { p_meeting_id: m.id, p_body: '建充电棚', p_attendance_id: m.att.zhang }, 'resident'), { key: 'errors.not_meeting_runner' });
			await refused(m, () => call('move_motion', { p_meeting_id: m.id, p_body: '建充电棚', p_attendance_id: absent.att.zhang }, 'moderator'), { key: 'errors.attendee_not_in_room', field: 'attendance_id' });
			const { id } = await call<{ id: string }>('move_motion', { p_meeting_id: m.id, p_body: '建充电棚', p_attendance_id: m.att.zhang }, 'moderator');
			await refused(m, () => call('second_motion', { p_motion_id: id, p_attendance_id: m.att.zhang }, 'moderator'), { key: 'errors.second_own_motion' });
			await call('second_motion', { p_motion_id: id, p_attendance_id: m.att.jia }, 'moderator');
			const got = await room(m);
			expect(got.motions[0]).toMatchObject({ mover_name: '张奶奶', status: 'debating', seconds: [{ name: '居民甲' }] });
		});

		it('the mover withdraws before the vote, and the hands on it come down; nobody else may', async () => {
			const m = await debating();
			await hand(m.motion, 'jia', 'for');
			await refused(m, () => call('withdraw_motion', { p_motion_id: m.motion }, 'jia'), { key: 'errors.not_mover' });
			await call('withdraw_motion', { p_motion_id: m.motion }, 'resident');
			const got = await room(m);
			expect(got.motions[0].status).toBe('withdrawn');
			expect(got.queue).toEqual([]);
			await refused(m, () => call('withdraw_motion', { p_motion_id: m.motion }, 'resident'), { key: 'errors.motion_not_open' });
			// The item is free for the next motion.
			await call('move_motion', { p_meeting_id: m.id, p_body: '改在北苑建' }, 'jia');
		});
	});

	describe('the speakers’ queue, rule by rule', () => {
		/**
		 * Each case: the speeches already given (in order), then the hands that go up
		 * (in order), and the order in which give_floor takes them — which the room's
		 * queue shows beforehand.
		 */
		const CASES: Array<{ what: string; rules?: MeetingSpec['rules']; spoken: Array<[string, string]>; hands: Array<[string, string]>; order: string[] }> = [
			{ what: 'in the order hands went up when nothing else applies', spoken: [], hands: [['jia', 'for'], ['yi', 'for'], ['bing', 'question']], order: ['jia', 'yi', 'bing'] },
			{ what: 'alternates for and against while both wait', spoken: [], hands: [['jia', 'for'], ['yi', 'for'], ['bing', 'against'], ['zhang', 'against']], order: ['jia', 'bing', 'yi', 'zhang'] },
			{ what: 'after a speech for, against first while both wait', spoken: [['jia', 'for']], hands: [['yi', 'for'], ['bing', 'against']], order: ['bing', 'yi'] },
			{ what: 'with one side only waiting, by time', spoken: [['jia', 'for']], hands: [['yi', 'for'], ['bing', 'question'], ['zhang', 'for']], order: ['yi', 'bing', 'zhang'] },
			{ what: 'without alternation (a meeting setting), by time', rules: { alternate_stances: false }, spoken: [['jia', 'for']], hands: [['yi', 'for'], ['bing', 'against']], order: ['yi', 'bing'] },
			{ what: 'a first-time speaker before someone’s second speech', spoken: [['jia', 'for']], hands: [['jia', 'against'], ['yi', 'for']], order: ['yi', 'jia'] },
			{ what: 'first-timers first outranks alternation', spoken: [['jia', 'against'], ['yi', 'for']], hands: [['yi', 'for'], ['bing', 'for'], ['jia', 'against']], order: ['bing', 'jia', 'yi'] },
			{ what: 'without first-timers first (a meeting setting), alternation and time', rules: { first_speakers_first: false }, spoken: [['jia', 'for']], hands: [['jia', 'against'], ['yi', 'for']], order: ['jia', 'yi'] },
			{ what: 'a point of order goes to the front, before first-timers and alternation', spoken: [['jia', 'for']], hands: [['yi', 'against'], ['bing', 'for'], ['jia', 'order']], order: ['jia', 'yi', 'bing'] }
		];
		it.each(CASES)('gives the floor $what', async ({ rules, spoken, hands, order }) => {
			const m = await debating({ rules: { speeches_per_motion: 3, ...rules } });
			for (const [who, stance] of spoken) {
				if (who === 'zhang') await call('add_speaker', { p_motion_id: m.motion, p_attendance_id: m.att.zhang, p_stance: stance }, 'moderator');
				else await hand(m.motion, who, stance);
				expect(await speak(m)).toBe(m.att[who]);
			}
			for (const [who, stance] of hands) {
				if (who === 'zhang') await call('add_speaker', { p_motion_id: m.motion, p_attendance_id: m.att.zhang, p_stance: stance }, 'moderator');
				else await hand(m.motion, who, stance);
			}
			const byAttendance = Object.fromEntries(Object.entries(m.att).map(([k, v]) => [v, k]));
			const shown = (await room(m)).queue.map((s) => byAttendance[s.attendance_id]);
			expect(shown).toEqual(order);
			const taken: string[] = [];
			for (let i = 0; i < order.length; i++) taken.push(byAttendance[await speak(m)]);
			expect(taken).toEqual(order);
			await refused(m, () => floor(m), { key: 'errors.queue_empty' });
		});

		it('at most speeches_per_motion speeches per person per motion, and a changed limit; points of order do not count', async () => {
			const m = await debating();
			for (let i = 0; i < 2; i++) {
				await hand(m.motion, 'jia', 'for');
				await speak(m);
			}
			await refused(m, () => hand(m.motion, 'jia', 'for'), { key: 'errors.speech_limit_reached', field: 'stance' });
			expect((await room(m, 'jia')).me.speeches_used).toBe(2);
			await hand(m.motion, 'jia', 'order');
			await speak(m);
			await q('update public.meetings set speeches_per_motion = 3 where id = $1', [m.id]);
			await hand(m.motion, 'jia', 'against');
			await speak(m);
			await refused(m, () => hand(m.motion, 'jia', 'for'), { key: 'errors.speech_limit_reached' });
		});

		it('one waiting entry per person, a stance first, and only for people in the room', async () => {
			const m = await debating();
			await hand(m.motion, 'jia', 'for');
			await refused(m, () => hand(m.motion, 'jia', 'against'), { key: 'errors.already_in_queue', status: 409 });
			await refused(m, () => hand(m.motion, 'yi', 'maybe'), { key: 'errors.stance_invalid', field: 'stance' });
			await refused(m, () => hand(m.motion, 'moderator', 'for'), { key: 'errors.not_checked_in' });
			await refused(m, () => hand(m.motion, 'otherEstate', 'for'), { key: 'errors.meeting_not_found' });
			await refused(m, () => call('add_speaker', { p_motion_id: m.motion, p_attendance_id: m.att.zhang, p_stance: 'for' }, 'resident'), { key: 'errors.not_meeting_runner' });
			await refused(m, () => hand(m.motion, 'volunteer', 'for'), { key: 'errors.chair_cannot_queue' });
			await q('update public.meeting_attendance set checked_out_at = now() where id = $1', [m.att.bing]);
			await refused(m, () => hand(m.motion, 'bing', 'for'), { key: 'errors.not_checked_in' });
		});

		it('a hand comes down by its person or the moderator, not by someone else', async () => {
			const m = await debating();
			const { id } = await hand(m.motion, 'jia', 'for');
			await refused(m, () => call('lower_hand', { p_speech_id: id }, 'yi'), { key: 'errors.forbidden' });
			await call('lower_hand', { p_speech_id: id }, 'jia');
			await refused(m, () => call('lower_hand', { p_speech_id: id }, 'jia'), { key: 'errors.speech_not_waiting' });
			const again = await hand(m.motion, 'jia', 'against');
			await call('lower_hand', { p_speech_id: again.id }, 'moderator');
			expect((await room(m)).queue).toEqual([]);
		});

		it('a speech ends at floor + speech_seconds; one speaker at a time; the speaker or the chair ends it', async () => {
			const m = await debating({ rules: { speech_seconds: 90 } });
			await hand(m.motion, 'jia', 'for');
			await hand(m.motion, 'yi', 'against');
			await refused(m, () => floor(m, 'resident'), { key: 'errors.not_meeting_runner' });
			const s = await floor(m);
			expect(Date.parse(s.ends_at) - Date.parse(s.floor_at)).toBe(90_000);
			await refused(m, () => floor(m, 'moderator'), { key: 'errors.someone_speaking' });
			const got = await room(m, 'jia');
			expect(got.speaker).toMatchObject({ name: '居民甲', stance: 'for', ends_at: s.ends_at, mine: true });
			expect(Math.abs(Date.parse(got.server_now) - Date.now())).toBeLessThan(60_000);
			// The chair's extension: 10 s up to one speech's limit, from the end (or from now once the time is up).
			await refused(m, () => call('extend_speech', { p_meeting_id: m.id, p_seconds: 91 }, 'volunteer'), { key: 'errors.extension_invalid', field: 'seconds' });
			await refused(m, () => call('extend_speech', { p_meeting_id: m.id, p_seconds: 9 }, 'volunteer'), { key: 'errors.extension_invalid' });
			await refused(m, () => call('extend_speech', { p_meeting_id: m.id, p_seconds: 60 }, 'jia'), { key: 'errors.not_meeting_runner' });
			const longer = await call<{ ends_at: string }>('extend_speech', { p_meeting_id: m.id, p_seconds: 60 }, 'volunteer');
			expect(Date.parse(longer.ends_at) - Date.parse(s.ends_at)).toBe(60_000);
			await q(`update public.speeches set floor_at = now() - interval '10 minutes', ends_at = now() - interval '5 minutes' where id = $1`, [s.id]);
			const late = await call<{ ends_at: string }>('extend_speech', { p_meeting_id: m.id, p_seconds: 30 }, 'moderator');
			expect(Date.parse(late.ends_at) - Date.now()).toBeGreaterThan(25_000);
			await refused(m, () => endSpeech(m, 'yi'), { key: 'errors.not_meeting_runner' });
			await endSpeech(m, 'jia');
			await refused(m, () => endSpeech(m), { key: 'errors.nobody_speaking' });
		});

		it('concurrent give_floor calls put one person on the floor; concurrent hands of one person make one entry', async () => {
			const m = await debating();
			for (const who of ['jia', 'yi', 'bing']) await hand(m.motion, who, 'for');
			const results = await Promise.allSettled(Array.from({ length: 10 }, () => floor(m, 'moderator')));
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ key: 'errors.someone_speaking' });
			const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from public.speeches where meeting_id = $1 and status = 'speaking'`, [m.id]);
			expect(n).toBe(1);
			await endSpeech(m);
			const again = await Promise.allSettled(Array.from({ length: 20 }, () => hand(m.motion, 'jia', 'against')));
			expect(again.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			for (const r of again) if (r.status === 'rejected') expect(r.reason).toMatchObject({ key: 'errors.already_in_queue' });
		});

		it('two people raising hands at once both wait, in the one order the room shows and the floor follows', async () => {
			const m = await debating();
			await Promise.all([hand(m.motion, 'yi', 'for'), hand(m.motion, 'bing', 'for')]);
			const queue = (await room(m)).queue.map((s) => s.attendance_id);
			expect(queue.sort()).toEqual([m.att.yi, m.att.bing].sort());
			const shown = (await room(m)).queue.map((s) => s.attendance_id);
			expect(shown).toEqual((await room(m, 'jia')).queue.map((s) => s.attendance_id));
			expect(await speak(m)).toBe(shown[0]);
			expect(await speak(m)).toBe(shown[1]);
		});
	});

	describe('closing debate and the show of hands', () => {
		it('deciding while people wait to speak is refused until debate closes: empty queue, or two thirds voting to end it', async () => {
			const m = await debating();
			await hand(m.motion, 'jia', 'for');
			await refused(m, () => call('record_hands', { p_motion_id: m.motion, p_yes: 5, p_no: 1, p_abstain: 0 }, 'moderator'), { key: 'errors.debate_not_closed' });
			await refused(m, () => call('close_debate', { p_motion_id: m.motion }, 'moderator'), { key: 'errors.queue_not_empty' });
			await refused(m, () => call('close_debate', { p_motion_id: m.motion, p_yes: 5, p_no: 3 }, 'moderator'), { key: 'errors.end_debate_not_carried', field: 'yes' });
			await refused(m, () => call('close_debate', { p_motion_id: m.motion, p_yes: -1, p_no: 3 }, 'moderator'), { key: 'errors.count_invalid', field: 'yes' });
			await refused(m, () => call('close_debate', { p_motion_id: m.motion, p_yes: 6, p_no: 3 }, 'resident'), { key: 'errors.not_meeting_runner' });
			await call('close_debate', { p_motion_id: m.motion, p_yes: 6, p_no: 3 }, 'moderator');
			const got = await room(m);
			expect(got.motions[0].status).toBe('voting');
			expect(got.queue).toEqual([]);
			await refused(m, () => hand(m.motion, 'yi', 'for'), { key: 'errors.motion_not_in_debate' });
		});

		it('closes debate with nobody waiting, not while someone speaks', async () => {
			const m = await debating();
			await hand(m.motion, 'jia', 'for');
			await floor(m);
			await refused(m, () => call('close_debate', { p_motion_id: m.motion }, 'volunteer'), { key: 'errors.someone_speaking' });
			await endSpeech(m);
			await call('close_debate', { p_motion_id: m.motion }, 'volunteer');
		});

		const HANDS: Array<{ what: string; rule: 'more_yes' | 'majority_cast'; yes: number; no: number; abstain: number; chair: string | null; outcome: string; counted: [number, number, number] }> = [
			{ what: 'more yes than no carries', rule: 'more_yes', yes: 6, no: 5, abstain: 9, chair: null, outcome: 'carried', counted: [6, 5, 9] },
			{ what: 'a tie fails under the 南塘 rules', rule: 'more_yes', yes: 5, no: 5, abstain: 0, chair: null, outcome: 'failed', counted: [5, 5, 0] },
			{ what: 'the chair votes last: yes breaks the tie', rule: 'more_yes', yes: 5, no: 5, abstain: 0, chair: 'yes', outcome: 'carried', counted: [6, 5, 0] },
			{ what: 'the chair’s abstention leaves a tie failing', rule: 'more_yes', yes: 5, no: 5, abstain: 0, chair: 'abstain', outcome: 'failed', counted: [5, 5, 1] },
			{ what: 'majority of those voting: abstentions count against', rule: 'majority_cast', yes: 6, no: 2, abstain: 4, chair: null, outcome: 'failed', counted: [6, 2, 4] },
			{ what: 'majority of those voting: just over half carries', rule: 'majority_cast', yes: 6, no: 2, abstain: 3, chair: null, outcome: 'carried', counted: [6, 2, 3] }
		];
		it.each(HANDS)('$what', async ({ rule, yes, no, abstain, chair, outcome, counted }) => {
			const m = await debating({ rules: { hands_rule: rule } });
			await call('close_debate', { p_motion_id: m.motion }, 'moderator');
			const r = await call('record_hands', { p_motion_id: m.motion, p_yes: yes, p_no: no, p_abstain: abstain, p_chair_vote: chair }, 'moderator');
			expect(r).toMatchObject({ status: outcome, yes: counted[0], no: counted[1], abstain: counted[2] });
			const got = await room(m);
			expect(got.motions[0]).toMatchObject({ status: outcome, method: 'hands', yes: counted[0], no: counted[1], abstain: counted[2] });
			expect(got.items[0].outcome).toBe(outcome);
			expect((await events(m)).slice(-2)).toEqual(['hands_recorded', `motion_${outcome}`]);
			await refused(m, () => call('record_hands', { p_motion_id: m.motion, p_yes: 1, p_no: 0, p_abstain: 0 }, 'moderator'), { key: 'errors.motion_decided' });
		});

		it('refuses counts that are not counts, a chair vote that is not one, and residents entering them', async () => {
			const m = await debating();
			await call('close_debate', { p_motion_id: m.motion }, 'moderator');
			await refused(m, () => call('record_hands', { p_motion_id: m.motion, p_yes: 1, p_no: -1, p_abstain: 0 }, 'moderator'), { key: 'errors.count_invalid', field: 'no' });
			await refused(m, () => call('record_hands', { p_motion_id: m.motion, p_yes: 1, p_no: 0, p_abstain: null }, 'moderator'), { key: 'errors.count_invalid', field: 'abstain' });
			await refused(m, () => call('record_hands', { p_motion_id: m.motion, p_yes: 1, p_no: 0, p_abstain: 0, p_chair_vote: 'maybe' }, 'moderator'), { key: 'errors.invalid_choice', field: 'chair_vote' });
			await refused(m, () => call('record_hands', { p_motion_id: m.motion, p_yes: 1, p_no: 0, p_abstain: 0 }, 'resident'), { key: 'errors.not_meeting_runner' });
		});
	});

	describe('the room’s read', () => {
		it('is for the estate’s members and administrators; it names people, lists attendees for those who run it', async () => {
			const m = await debating();
			await call('add_speaker', { p_motion_id: m.motion, p_attendance_id: m.att.zhang, p_stance: 'question' }, 'moderator');
			const mod = await room(m);
			expect(mod.meeting).toMatchObject({ status: 'in_session', chair_name: 'volunteer', speech_seconds: 120, speeches_per_motion: 2 });
			expect(mod.me).toMatchObject({ runs: true, is_chair: false, in_room: false, attendance_id: null });
			expect(mod.queue).toEqual([expect.objectContaining({ name: '张奶奶', stance: 'question', first_time: true, mine: false })]);
			expect(mod.attendees.map((a) => a.name).sort()).toEqual(['committee', 'resident', 'volunteer', '居民丙', '居民乙', '居民甲', '张奶奶'].sort());
			expect(mod.present).toBe(7);
			const res = await room(m, 'resident');
			expect(res.me).toMatchObject({ runs: false, in_room: true, attendance_id: m.att.resident });
			expect(res.attendees).toEqual([]);
			expect((await room(m, 'admin')).me.runs).toBe(true);
			await expect(room(m, 'otherEstate')).rejects.toMatchObject({ key: 'errors.meeting_not_found' });
			await expect(room(m, 'pending')).rejects.toMatchObject({ key: 'errors.meeting_not_found' });
			await q('update public.estates set board_public = true where id = $1', [w.a.id]);
			try {
				await expect(room(m, 'otherEstate')).rejects.toMatchObject({ key: 'errors.not_member', status: 403 });
			} finally {
				await q('update public.estates set board_public = false where id = $1', [w.a.id]);
			}
		});
	});

	describe('the live topic meeting:<id>', () => {
		async function notificationsDuring(t: string, fn: () => Promise<unknown>) {
			let n = 0;
			const stop = await listen(t, () => n++, () => {});
			try {
				await fn().catch(() => {});
				await new Promise((r) => setTimeout(r, 150));
				return n;
			} finally {
				await stop();
			}
		}

		it('announces each room step once, and nothing when a step is refused', async () => {
			const m = await debating();
			const topic = `meeting:${m.id}`;
			expect(await notificationsDuring(topic, () => hand(m.motion, 'jia', 'for'))).toBe(1);
			expect(await notificationsDuring(topic, () => hand(m.motion, 'jia', 'for'))).toBe(0);
			expect(await notificationsDuring(topic, () => floor(m))).toBe(1);
			expect(await notificationsDuring(topic, () => endSpeech(m))).toBe(1);
			expect(await notificationsDuring(topic, () => call('second_motion', { p_motion_id: m.motion }, 'yi'))).toBe(1);
			expect(await notificationsDuring(topic, () => q('update public.meeting_attendance set checked_out_at = now() where id = $1', [m.att.bing]))).toBe(1);
		});

		it('lets members follow it, with a payload of counts and times only, the same as the server’s', async () => {
			const m = await debating();
			await hand(m.motion, 'jia', 'for');
			const s = await floor(m);
			await hand(m.motion, 'yi', 'against');
			const topic = `meeting:${m.id}`;
			const mine = await call<Json>('live_topic', { p_topic: topic }, 'resident');
			expect(Object.keys(mine).sort()).toEqual(['current_item_id', 'present', 'speaking_ends_at', 'status', 'version', 'waiting']);
			expect(mine).toMatchObject({ status: 'in_session', waiting: 1, present: 7, current_item_id: m.items[0] });
			expect(Date.parse(String(mine.speaking_ends_at))).toBe(Date.parse(s.ends_at));
			const [{ payload }] = await q<{ payload: Json }>('select private.live_payload($1) as payload', [topic]);
			expect(payload).toEqual(mine);
			for (const p of ['otherEstate', 'nonmember', 'pending'] as const) {
				await expect(call('live_topic', { p_topic: topic }, p)).rejects.toMatchObject({ key: 'errors.meeting_not_found' });
			}
		});
	});
});
