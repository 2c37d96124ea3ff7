import { error, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { z } from 'zod';
import {
	addSpeakerSchema,
	ballotSchema,
	chairSchema,
	closeDebateSchema,
	extendSchema,
	handsSchema,
	itemSchema,
	motionSchema,
	moveMotionSchema,
	raiseHandSchema,
	resolutionSchema,
	rulesSchema,
	secondSchema,
	speechSchema
} from '$lib/domain/meeting-room-schemas';
import { requireUser } from '$lib/server/guard';
import { refuse, refuseMessage, fail } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import { fromChinaLocal } from '$lib/format';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The room: one call (meeting_room), for the moderator's, the attendee's and the chair's view alike. */
export const load: PageServerLoad = async (e) => {
	requireUser(e);
	const room = await loadCall(e.locals, 'meeting_room', { p_meeting_id: e.params.meetingId });
	if (room.meeting.estate_id !== e.params.id) error(404, { message: 'errors.meeting_not_found' });
	return { room };
};

const here = (e: RequestEvent) => `/estates/${e.params.id}/meetings/${e.params.meetingId}/room`;

/**
 * A form of the room: validated by its schema (named by the action, so that the page shows a
 * refusal beside the form that was sent), then one SQL function; back to the room on success.
 */
async function step<S extends z.ZodObject | z.ZodPipe>(e: RequestEvent, id: string, schema: S, run: (data: z.output<S>) => Promise<unknown>) {
	requireUser(e);
	const form = await superValidate(e.request, zod4(schema as never), { id });
	if (!form.valid) return fail(400, { form });
	try {
		await run(form.data as z.output<S>);
	} catch (err) {
		return refuse(form, err);
	}
	redirect(303, here(e));
}

/** A button with no fields: the refusal comes back as a message on the page. */
async function button(e: RequestEvent, run: () => Promise<unknown>) {
	requireUser(e);
	try {
		await run();
	} catch (err) {
		return refuseMessage(err);
	}
	redirect(303, here(e));
}

const orNull = (v: string) => (v === '' ? null : v);

export const actions: Actions = {
	open: (e) => button(e, () => e.locals.call('open_meeting', { p_meeting_id: e.params.meetingId })),
	close: (e) => button(e, () => e.locals.call('close_meeting', { p_meeting_id: e.params.meetingId })),
	item: (e) => step(e, 'item', itemSchema, (d) => e.locals.call('set_current_item', { p_meeting_id: e.params.meetingId, p_item_id: d.item_id })),
	chair: (e) => step(e, 'chair', chairSchema, (d) => e.locals.call('hand_over_chair', { p_meeting_id: e.params.meetingId, p_user_id: d.user_id })),
	move: (e) =>
		step(e, 'move', moveMotionSchema, (d) =>
			e.locals.call('move_motion', { p_meeting_id: e.params.meetingId, p_body: d.body, p_attendance_id: orNull(d.attendance_id) })
		),
	second: (e) => step(e, 'second', secondSchema, (d) => e.locals.call('second_motion', { p_motion_id: d.motion_id, p_attendance_id: orNull(d.attendance_id) })),
	withdraw: (e) => step(e, 'withdraw', motionSchema, (d) => e.locals.call('withdraw_motion', { p_motion_id: d.motion_id })),
	hand: (e) => step(e, 'hand', raiseHandSchema, (d) => e.locals.call('raise_hand', { p_motion_id: d.motion_id, p_stance: d.stance })),
	addSpeaker: (e) =>
		step(e, 'addSpeaker', addSpeakerSchema, (d) =>
			e.locals.call('add_speaker', { p_motion_id: d.motion_id, p_attendance_id: d.attendance_id, p_stance: d.stance })
		),
	lower: (e) => step(e, 'lower', speechSchema, (d) => e.locals.call('lower_hand', { p_speech_id: d.speech_id })),
	floor: (e) => button(e, () => e.locals.call('give_floor', { p_meeting_id: e.params.meetingId })),
	endSpeech: (e) => button(e, () => e.locals.call('end_speech', { p_meeting_id: e.params.meetingId })),
	extend: (e) => step(e, 'extend', extendSchema, (d) => e.locals.call('extend_speech', { p_meeting_id: e.params.meetingId, p_seconds: d.seconds })),
	closeDebate: (e) =>
		step(e, 'closeDebate', closeDebateSchema, (d) =>
			e.locals.call('close_debate', { p_motion_id: d.motion_id, p_yes: d.yes === '' ? null : Number(d.yes), p_no: d.no === '' ? null : Number(d.no) })
		),
	hands: (e) =>
		step(e, 'hands', handsSchema, (d) =>
			e.locals.call('record_hands', { p_motion_id: d.motion_id, p_yes: d.yes, p_no: d.no, p_abstain: d.abstain, p_chair_vote: orNull(d.chair_vote) })
		),
	resolution: (e) => step(e, 'resolution', resolutionSchema, (d) => e.locals.call('record_resolution', { p_motion_id: d.motion_id, p_text: d.text })),
	ballot: (e) =>
		step(e, 'ballot', ballotSchema, (d) =>
			e.locals.call('put_to_ballot', { p_motion_id: d.motion_id, p_matter: d.matter, p_closes_at: fromChinaLocal(d.closes_at) })
		),
	rules: (e) =>
		step(e, 'rules', rulesSchema, (d) =>
			e.locals.call('change_meeting_rules', {
				p_meeting_id: e.params.meetingId,
				p_speech_seconds: d.speech_seconds,
				p_speeches_per_motion: d.speeches_per_motion,
				p_seconds_needed: d.seconds_needed,
				p_alternate_stances: d.alternate_stances,
				p_first_speakers_first: d.first_speakers_first
			})
		)
};
