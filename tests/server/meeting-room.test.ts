import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as roomPage from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/room/+page.server';
import * as projectorPage from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/room/projector/+page.server';
import { CAILIAN, DEMO, JINYUAN, expectData, expectFailure, expectHttpError, expectNoWrite, expectRedirect, openTestRuntime, request, type DemoEmail, type TestRuntime } from './harness';

/**
 * The meeting room's pages through the real hooks, on the demo's council in
 * session (supabase/seed.sql, "The meeting room"): 赵老师 (moderator@) chairs;
 * 李先生's motion is in debate, 张奶奶 (against) and 孙师傅 (question) wait.
 * The cases run in order, as a meeting would: each action good, then bad
 * (a 4xx beside the form, nothing written).
 */

const MEETING = '5eed0000-0000-4000-8000-000000005201';
const MOTION = '5eed0000-0000-4000-8000-000000005220';
const ITEM_2 = '5eed0000-0000-4000-8000-000000005203';
const ZHANG = '5eed0000-0000-4000-8000-000000005215';
const COMMITTEE_ATT = '5eed0000-0000-4000-8000-000000005214';
const MOD = 'moderator@demo.linyi.org' as const;
const RESIDENT = 'resident@demo.linyi.org' as const;
const OWNER = 'owner@demo.linyi.org' as const;

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const ROOM = `/estates/${JINYUAN}/meetings/${MEETING}/room`;
const params = { id: JINYUAN, meetingId: MEETING };
type Action = keyof typeof roomPage.actions;
const post = (action: Action, as: DemoEmail, form: Record<string, string> = {}) =>
	request({ url: `${ROOM}?/${action}`, method: 'POST', as, params, form }, roomPage.actions[action] as never);
const room = async (as: DemoEmail = MOD) => expectData(await request({ url: ROOM, as, params }, roomPage.load)).room;
const names = async () => (await room()).queue.map((q: { name: string }) => q.name);
const motionStatus = async (id: string) => (await rt.sql.query<{ status: string }>('select status from public.motions where id = $1', [id]))[0].status;

describe('the room’s page', () => {
	it('shows the room in one read to the estate’s members, and the moderator’s controls to the chair', async () => {
		const mod = await room();
		expect(mod.meeting).toMatchObject({ title: '晋邻议事会：东苑停车与楼道整治', status: 'in_session', chair_name: '主持人 赵老师' });
		expect(mod.me).toMatchObject({ runs: true, is_chair: true, in_room: true });
		expect(mod.queue.map((q: { name: string; stance: string }) => [q.name, q.stance])).toEqual([['张奶奶', 'against'], ['党员 孙师傅', 'question']]);
		expect(mod.motions[0]).toMatchObject({ status: 'debating', mover_name: '业主 李先生', seconds: [{ name: '党员 孙师傅' }] });
		expect(mod.attendees.length).toBe(7);
		const res = await room(RESIDENT);
		expect(res.me).toMatchObject({ runs: false, is_chair: false, in_room: true });
		expect(res.attendees).toEqual([]);
		const wall = expectData(await request({ url: `${ROOM}/projector`, as: RESIDENT, params }, projectorPage.load)).room;
		expect(wall.speaker).toBeNull();
		expect(typeof wall.server_now).toBe('string');
	});

	it('asks the public to sign in, and is not found for applicants or under another estate’s address', async () => {
		expectRedirect(await request({ url: ROOM, params }, roomPage.load), /^\/auth\/sign-in\?next=/);
		expectHttpError(await request({ url: ROOM, as: 'applicant1@demo.linyi.org', params }, roomPage.load), 404, 'errors.meeting_not_found');
		expectHttpError(await request({ url: ROOM, as: MOD, params: { id: CAILIAN, meetingId: MEETING } }, roomPage.load), 404, 'errors.meeting_not_found');
		expectHttpError(await request({ url: ROOM, as: MOD, params: { id: JINYUAN, meetingId: crypto.randomUUID() } }, projectorPage.load), 404);
	});
});

describe('hands, the floor and the timer', () => {
	it('a resident raises a hand with a stance; the queue alternates (against before the second for); twice or without a stance is refused', async () => {
		expectRedirect(await post('hand', RESIDENT, { motion_id: MOTION, stance: 'for' }), ROOM);
		expect(await names()).toEqual(['张奶奶', '党员 孙师傅', '居民 王阿姨']);
		await expectNoWrite(async () => {
			expectFailure(await post('hand', RESIDENT, { motion_id: MOTION, stance: 'against' }), 409, { _errors: 'errors.already_in_queue' });
			expectFailure(await post('hand', OWNER, { motion_id: MOTION, stance: 'maybe' }), 400, { stance: 'errors.stance_invalid' });
			expectFailure(await post('hand', OWNER, { motion_id: 'x', stance: 'for' }), 400, { motion_id: 'errors.invalid_choice' });
			expectFailure(await post('hand', MOD, { motion_id: MOTION, stance: 'for' }), 400, { _errors: 'errors.chair_cannot_queue' });
			expectFailure(await post('hand', 'party@demo.linyi.org', { motion_id: crypto.randomUUID(), stance: 'for' }), 404, { _errors: 'errors.motion_not_found' });
		});
	});

	it('a hand comes down by its person; not by someone else', async () => {
		const mine = (await room(RESIDENT)).me.waiting_speech_id;
		await expectNoWrite(async () => {
			expectFailure(await post('lower', OWNER, { speech_id: mine }), 403, { _errors: 'errors.forbidden' });
			expectFailure(await post('lower', OWNER, { speech_id: 'nope' }), 400, { speech_id: 'errors.invalid_choice' });
		});
		expectRedirect(await post('lower', RESIDENT, { speech_id: mine }), ROOM);
		expect(await names()).toEqual(['张奶奶', '党员 孙师傅']);
	});

	it('the chair gives the floor to the next speaker as the rules order them, with the end of the time; one at a time', async () => {
		await expectNoWrite(async () => {
			expectFailure(await post('floor', RESIDENT), 403);
			expect((await post('floor', RESIDENT)).outcome).toMatchObject({ data: { message: 'errors.not_meeting_runner' } });
		});
		expectRedirect(await post('floor', MOD), ROOM);
		const r = await room(RESIDENT);
		expect(r.speaker).toMatchObject({ name: '张奶奶', stance: 'against' });
		expect(Date.parse(r.speaker.ends_at) - Date.parse(r.speaker.floor_at)).toBe(120_000);
		await expectNoWrite(async () => {
			expect((await post('floor', MOD)).outcome).toMatchObject({ kind: 'failure', status: 400, data: { message: 'errors.someone_speaking' } });
			expect((await post('endSpeech', RESIDENT)).outcome).toMatchObject({ kind: 'failure', status: 403 });
		});
		await expectNoWrite(async () => {
			expectFailure(await post('extend', MOD, { seconds: '5' }), 400, { seconds: 'errors.extension_invalid' });
			expectFailure(await post('extend', MOD, { seconds: '600' }), 400, { seconds: 'errors.extension_invalid' });
			expectFailure(await post('extend', RESIDENT, { seconds: '60' }), 403, { _errors: 'errors.not_meeting_runner' });
		});
		expectRedirect(await post('extend', MOD, { seconds: '60' }), ROOM);
		expect(Date.parse((await room()).speaker.ends_at) - Date.parse(r.speaker.ends_at)).toBe(60_000);
		expectRedirect(await post('endSpeech', MOD), ROOM);
		expect((await room()).speaker).toBeNull();
	});
});

describe('seconds, closing debate, the show of hands', () => {
	it('a second by name; the mover’s own refused', async () => {
		expectRedirect(await post('second', RESIDENT, { motion_id: MOTION }), ROOM);
		expect((await room()).motions[0].seconds.map((s: { name: string }) => s.name)).toEqual(['党员 孙师傅', '居民 王阿姨']);
		await expectNoWrite(async () => {
			expectFailure(await post('second', OWNER, { motion_id: MOTION }), 400, { _errors: 'errors.second_own_motion' });
			expectFailure(await post('second', RESIDENT, { motion_id: MOTION }), 409, { _errors: 'errors.already_seconded' });
			expectFailure(await post('second', RESIDENT, { motion_id: MOTION, attendance_id: ZHANG }), 403, { _errors: 'errors.not_meeting_runner' });
		});
	});

	it('closing debate with a hand still up needs the meeting’s two-thirds vote; deciding before it is refused', async () => {
		await expectNoWrite(async () => {
			expectFailure(await post('hands', MOD, { motion_id: MOTION, yes: '5', no: '1', abstain: '0' }), 400, { _errors: 'errors.debate_not_closed' });
			expectFailure(await post('closeDebate', MOD, { motion_id: MOTION }), 400, { _errors: 'errors.queue_not_empty' });
			expectFailure(await post('closeDebate', MOD, { motion_id: MOTION, yes: '4', no: '3' }), 400, { yes: 'errors.end_debate_not_carried' });
			expectFailure(await post('closeDebate', MOD, { motion_id: MOTION, yes: '4', no: '' }), 400, { no: 'errors.count_invalid' });
			expectFailure(await post('closeDebate', RESIDENT, { motion_id: MOTION, yes: '6', no: '1' }), 403, { _errors: 'errors.not_meeting_runner' });
		});
		expectRedirect(await post('closeDebate', MOD, { motion_id: MOTION, yes: '6', no: '1' }), ROOM);
		expect(await motionStatus(MOTION)).toBe('voting');
		expect((await room()).queue).toEqual([]);
	});

	it('the moderator enters the hands; a tie fails, the chair’s vote counted last; bad counts refused', async () => {
		await expectNoWrite(async () => {
			expectFailure(await post('hands', MOD, { motion_id: MOTION, yes: 'x', no: '1', abstain: '0' }), 400, { yes: 'errors.count_invalid' });
			expectFailure(await post('hands', MOD, { motion_id: MOTION, yes: '1', no: '-1', abstain: '0' }), 400, { no: 'errors.count_invalid' });
			expectFailure(await post('hands', MOD, { motion_id: MOTION, yes: '1', no: '1', abstain: '0', chair_vote: 'maybe' }), 400, { chair_vote: 'errors.invalid_choice' });
			expectFailure(await post('hands', RESIDENT, { motion_id: MOTION, yes: '9', no: '0', abstain: '0' }), 403, { _errors: 'errors.not_meeting_runner' });
		});
		expectRedirect(await post('hands', MOD, { motion_id: MOTION, yes: '5', no: '5', abstain: '1', chair_vote: '' }), ROOM);
		const r = await room();
		expect(r.motions[0]).toMatchObject({ status: 'failed', yes: 5, no: 5, abstain: 1 });
		expect(r.items[0].outcome).toBe('failed');
	});
});

describe('the resolution, the rules of procedure, the ballot', () => {
	it('the moderator records the decided motion’s resolution once; empty, too long or by a resident refused', async () => {
		await expectNoWrite(async () => {
			expectFailure(await post('resolution', MOD, { motion_id: MOTION, text: '   ' }), 400, { text: 'errors.required' });
			expectFailure(await post('resolution', MOD, { motion_id: MOTION, text: '字'.repeat(501) }), 400, { text: 'errors.too_long' });
			expectFailure(await post('resolution', MOD, { motion_id: 'x' }), 400, { motion_id: 'errors.invalid_choice' });
			expectFailure(await post('resolution', RESIDENT, { motion_id: MOTION, text: '不同意' }), 403, { _errors: 'errors.not_meeting_runner' });
			expectFailure(await post('resolution', MOD, { motion_id: crypto.randomUUID(), text: '不同意' }), 404, { _errors: 'errors.motion_not_found' });
		});
		expectRedirect(await post('resolution', MOD, { motion_id: MOTION, text: '东苑停车位暂不重新划线，请物业先征求意见' }), ROOM);
		expect((await room(RESIDENT)).motions[0]).toMatchObject({ status: 'failed', resolution: '东苑停车位暂不重新划线，请物业先征求意见' });
		await expectNoWrite(async () => {
			expectFailure(await post('resolution', MOD, { motion_id: MOTION, text: '再记一次' }), 409, { text: 'errors.resolution_recorded' });
		});
	});

	it('a council’s motion does not go to the owners’ ballot; a bad matter or closing time is refused beside its field', async () => {
		await expectNoWrite(async () => {
			expectFailure(await post('ballot', MOD, { motion_id: MOTION, matter: '9', closes_at: '2027-01-10T10:00' }), 400, { _errors: 'errors.ballot_owners_meeting_only' });
			expectFailure(await post('ballot', MOD, { motion_id: MOTION, matter: '0', closes_at: '2027-01-10T10:00' }), 400, { matter: 'errors.vote_matter_required' });
			expectFailure(await post('ballot', MOD, { motion_id: MOTION, matter: '9', closes_at: '2027-02-30T10:00' }), 400, { closes_at: 'errors.datetime' });
			expectFailure(await post('ballot', RESIDENT, { motion_id: MOTION, matter: '9', closes_at: '2027-01-10T10:00' }), 403, { _errors: 'errors.not_meeting_runner' });
		});
	});

	it('the meeting changes its rules; the room shows them at once; out of range or by a resident refused', async () => {
		const rules = (o: Record<string, string> = {}) => ({ speech_seconds: '120', speeches_per_motion: '2', seconds_needed: '1', alternate_stances: 'on', first_speakers_first: 'on', ...o });
		await expectNoWrite(async () => {
			expectFailure(await post('rules', MOD, rules({ speech_seconds: '20' })), 400, { speech_seconds: 'errors.out_of_range' });
			expectFailure(await post('rules', MOD, rules({ speeches_per_motion: 'x' })), 400, { speeches_per_motion: 'errors.out_of_range' });
			expectFailure(await post('rules', MOD, rules({ seconds_needed: '11' })), 400, { seconds_needed: 'errors.out_of_range' });
			expectFailure(await post('rules', RESIDENT, rules({ speeches_per_motion: '3' })), 403, { _errors: 'errors.not_meeting_runner' });
		});
		// A box left unticked is "no", as a form without JavaScript sends it.
		const { first_speakers_first: _dropped, ...noFirst } = rules({ speech_seconds: '90', speeches_per_motion: '3' });
		expectRedirect(await post('rules', MOD, noFirst), ROOM);
		const r = await room(RESIDENT);
		expect(r.meeting).toMatchObject({ speech_seconds: 90, speeches_per_motion: 3, alternate_stances: true, first_speakers_first: false });
		expect(typeof r.meeting.rules_changed_at).toBe('string');
		// Back to the 南塘 defaults for the steps below.
		expectRedirect(await post('rules', MOD, rules()), ROOM);
		expect((await room()).meeting).toMatchObject({ speech_seconds: 120, speeches_per_motion: 2, first_speakers_first: true });
	});
});

describe('motions and running the meeting', () => {
	it('a resident moves a motion and withdraws it; an empty one and someone else’s withdrawal are refused', async () => {
		await expectNoWrite(async () => {
			expectFailure(await post('move', RESIDENT, { body: '   ' }), 400, { body: 'errors.required' });
			expectFailure(await post('move', RESIDENT, { body: '字'.repeat(1001) }), 400, { body: 'errors.too_long' });
			expectFailure(await post('move', RESIDENT, { body: '划线', attendance_id: ZHANG }), 403, { _errors: 'errors.not_meeting_runner' });
			expectFailure(await post('move', 'applicant1@demo.linyi.org', { body: '划线' }), 404);
		});
		expectRedirect(await post('move', RESIDENT, { body: '东苑停车位改为 50 个，消防通道 4 米。' }), ROOM);
		const motion = (await room()).motions.find((x: { status: string }) => x.status === 'moved');
		expect(motion).toMatchObject({ mover_name: '居民 王阿姨', body: '东苑停车位改为 50 个，消防通道 4 米。' });
		await expectNoWrite(async () => {
			expectFailure(await post('move', OWNER, { body: '另一个动议' }), 409, { body: 'errors.motion_pending' });
			expectFailure(await post('withdraw', OWNER, { motion_id: motion.id }), 403, { _errors: 'errors.not_mover' });
			expectFailure(await post('withdraw', OWNER, { motion_id: '' }), 400, { motion_id: 'errors.invalid_choice' });
		});
		expectRedirect(await post('withdraw', RESIDENT, { motion_id: motion.id }), ROOM);
		expect(await motionStatus(motion.id)).toBe('withdrawn');
	});

	it('the moderator moves, seconds and queues for people without a phone', async () => {
		expectRedirect(await post('move', MOD, { body: '请物业在划线前征求东苑居民意见。', attendance_id: ZHANG }), ROOM);
		const motion = (await room()).motions.find((x: { status: string }) => x.status === 'moved');
		expect(motion.mover_name).toBe('张奶奶');
		expectRedirect(await post('second', MOD, { motion_id: motion.id, attendance_id: COMMITTEE_ATT }), ROOM);
		expect(await motionStatus(motion.id)).toBe('debating');
		await expectNoWrite(async () => {
			expectFailure(await post('addSpeaker', MOD, { motion_id: motion.id, attendance_id: ZHANG, stance: 'loud' }), 400, { stance: 'errors.stance_invalid' });
			expectFailure(await post('addSpeaker', MOD, { motion_id: motion.id, attendance_id: crypto.randomUUID(), stance: 'for' }), 400, { attendance_id: 'errors.attendee_not_in_room' });
			expectFailure(await post('addSpeaker', RESIDENT, { motion_id: motion.id, attendance_id: ZHANG, stance: 'for' }), 403, { _errors: 'errors.not_meeting_runner' });
		});
		expectRedirect(await post('addSpeaker', MOD, { motion_id: motion.id, attendance_id: ZHANG, stance: 'for' }), ROOM);
		expect(await names()).toEqual(['张奶奶']);
	});

	it('takes the next item, hands the chair over, closes the meeting; each refused to residents and for bad ids', async () => {
		await expectNoWrite(async () => {
			expectFailure(await post('item', MOD, { item_id: crypto.randomUUID() }), 404, { item_id: 'errors.agenda_item_not_found' });
			expectFailure(await post('item', RESIDENT, { item_id: ITEM_2 }), 403, { _errors: 'errors.not_meeting_runner' });
			expectFailure(await post('chair', MOD, { user_id: crypto.randomUUID() }), 400, { user_id: 'errors.chair_not_member' });
			expectFailure(await post('chair', MOD, { user_id: 'x' }), 400, { user_id: 'errors.invalid_choice' });
			expect((await post('close', RESIDENT)).outcome).toMatchObject({ kind: 'failure', status: 403 });
			expect((await post('open', MOD)).outcome).toMatchObject({ kind: 'failure', status: 400, data: { message: 'errors.meeting_not_scheduled' } });
		});
		expectRedirect(await post('item', MOD, { item_id: ITEM_2 }), ROOM);
		expect((await room()).meeting.current_item_id).toBe(ITEM_2);
		expectRedirect(await post('chair', MOD, { user_id: DEMO['committee@demo.linyi.org'].id }), ROOM);
		expect((await room('committee@demo.linyi.org')).me).toMatchObject({ is_chair: true, runs: true });
		expectRedirect(await post('close', MOD), ROOM);
		expect((await room()).meeting.status).toBe('closed');
	});
});
