import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/backend/sql';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { createUser, seedIssues, seedMeetings, seedProgress, seedPublications, seedVotes, seedWishes, seedWorld, type IssueWorld, type MeetingWorld, type ProgressWorld, type PublicationWorld, type VoteWorld, type WishWorld, type World } from './fixtures';
import { seedWork, type WorkWorld } from './work-fixtures';
import { seedMeetingRoom, type RoomWorld } from './meeting-fixtures';

/**
 * Every security definer function that anon or authenticated may execute,
 * called directly (as PostgREST would let anyone signed in try, were schema
 * private exposed) by a caller from another estate: committeeB, a committee
 * member of B, aimed at estate A. Each one refuses, or answers about the
 * caller only and reveals nothing of A. A definer function that appears
 * without a line here fails the test: say how it is called and what it gives.
 */

interface World3 {
	w: World;
	i: IssueWorld;
	v: VoteWorld;
	mt: MeetingWorld;
	pu: PublicationWorld;
	/** A meeting in session in A (and one in B) with a motion in debate and a hand up. */
	mr: RoomWorld;
	wi: WishWorld;
	wk: WorkWorld;
	/** A movement of the ledger: the hours earned by A's party member for A's done task. */
	movement: string;
	pr: ProgressWorld;
	assisted: string;
	/** A street above A's community, administered by A's committee member. */
	street: string;
	receipt: string;
}

interface Case {
	/** The call, with $1… taken from params. */
	sql: string;
	params: (x: World3) => unknown[];
	/** 'refused': it raises; otherwise the json it must return. */
	expect: 'refused' | unknown;
}

const A_ROWS = JSON.stringify([{ line: 2, building: '1栋', entrance: '1', room: '101', floor_area: '1', owners: '外人', developer_held: '否' }]);

const CASES: Record<string, Case> = {
	// About the caller only: committeeB administers no street.
	'private.administered_streets()': { sql: 'private.administered_streets()', params: () => [], expect: [] },
	'private.add_milestone(uuid,text,date,numeric)': { sql: `private.add_milestone($1, '外人节点', null, 1)`, params: (x) => [x.pr.a.sub], expect: 'refused' },
	'private.edit_milestone(uuid,text,date,numeric)': { sql: `private.edit_milestone($1, '外人改', null, 1)`, params: (x) => [x.pr.a.open], expect: 'refused' },
	'private.remove_milestone(uuid)': { sql: 'private.remove_milestone($1)', params: (x) => [x.pr.a.open], expect: 'refused' },
	'private.move_milestone(uuid,text)': { sql: `private.move_milestone($1, 'up')`, params: (x) => [x.pr.a.open], expect: 'refused' },
	'private.import_progress(uuid,jsonb,boolean)': {
		sql: `private.import_progress($1, jsonb_build_array(jsonb_build_object('line', 2, 'id', $2::text, 'done', 'true')), true)`,
		params: (x) => [x.w.a.id, x.pr.a.open],
		expect: 'refused'
	},
	'private.complete_milestone(uuid,text,jsonb)': { sql: `private.complete_milestone($1, '外人完成', '[]')`, params: (x) => [x.pr.a.open], expect: 'refused' },
	'private.plan_item(uuid,uuid,uuid,text,text,text,date,date,numeric,numeric,boolean,text)': {
		sql: `private.plan_item($1, $2, null, '外人改名', null, null, null, null, null, 1, false, null)`,
		params: (x) => [x.pr.a.issue, x.pr.a.sub],
		expect: 'refused'
	},
	'private.post_progress(uuid,uuid,text,jsonb)': { sql: `private.post_progress($1, null, '外人进展', '[]')`, params: (x) => [x.pr.a.issue], expect: 'refused' },
	'private.advance_due_votes(uuid)': { sql: 'private.advance_due_votes($1)', params: (x) => [x.w.a.id], expect: 0 },
	'private.advance_vote(uuid)': { sql: 'private.advance_vote($1)', params: (x) => [x.v.a.owners.id], expect: 'refused' },
	'private.amend_publication(uuid,text[],text)': { sql: `private.amend_publication($1, '{外人改写}', null)`, params: (x) => [x.pu.a.id], expect: 'refused' },
	'private.answer_objection(uuid,boolean,text)': { sql: `private.answer_objection($1, false, '外人驳回')`, params: (x) => [x.pu.a.objections.resident], expect: 'refused' },
	'private.add_agenda_item(uuid,uuid,text,integer)': { sql: `private.add_agenda_item($1, null, '外人议题', 10)`, params: (x) => [x.mt.a.id], expect: 'refused' },
	'private.cancel_meeting(uuid,text)': { sql: `private.cancel_meeting($1, '外人取消')`, params: (x) => [x.mt.a.id], expect: 'refused' },
	'private.check_in_attendee(uuid,uuid,uuid,text,uuid)': { sql: `private.check_in_attendee($1, null, null, '冒名', null)`, params: (x) => [x.mt.a.id], expect: 'refused' },
	'private.check_in_by_code(uuid,text)': { sql: `private.check_in_by_code($1, '100001')`, params: (x) => [x.mt.a.id], expect: 'refused' },
	'private.check_out(uuid)': { sql: 'private.check_out($1)', params: (x) => [x.mt.a.attendance.volunteer], expect: 'refused' },
	'private.meeting_candidates(uuid)': { sql: 'private.meeting_candidates($1)', params: (x) => [x.w.a.id], expect: [] },
	'private.meeting_door_list(uuid,text)': { sql: `private.meeting_door_list($1, '王')`, params: (x) => [x.mt.a.id], expect: 'refused' },
	'private.meeting_people(uuid)': { sql: 'private.meeting_people($1)', params: (x) => [x.mt.a.id], expect: null },
	'private.meeting_quorum(uuid)': { sql: 'private.meeting_quorum($1)', params: (x) => [x.mt.a.id], expect: null },
	'private.proxy_letter_path(uuid)': { sql: 'private.proxy_letter_path($1)', params: (x) => [x.mt.a.proxy], expect: null },
	'private.record_proxy(uuid,uuid,uuid,text,uuid,text)': { sql: `private.record_proxy($1, $2, null, '冒名', null, 'proxies/x.jpg')`, params: (x) => [x.mt.a.id, x.mt.a.attendance.volunteer], expect: 'refused' },
	'private.register_for_meeting(uuid)': { sql: 'private.register_for_meeting($1)', params: (x) => [x.mt.a.id], expect: 'refused' },
	'private.remove_agenda_item(uuid)': { sql: 'private.remove_agenda_item($1)', params: (x) => [x.mt.a.item], expect: 'refused' },
	'private.reorder_agenda(uuid,uuid[])': { sql: 'private.reorder_agenda($1, array[$2]::uuid[])', params: (x) => [x.mt.a.id, x.mt.a.item], expect: 'refused' },
	'private.revoke_proxy(uuid)': { sql: 'private.revoke_proxy($1)', params: (x) => [x.mt.a.proxy], expect: 'refused' },
	'private.schedule_meeting(uuid,text,text,text,timestamp with time zone,timestamp with time zone,text,text,uuid,uuid,uuid,text,uuid[],jsonb)': { sql: `private.schedule_meeting($1, 'council', '外人会议', '', now() + interval '1 day', now() + interval '1 day 1 hour', '外面', null, null, null, null, 'open', '{}', '{}')`, params: (x) => [x.w.a.id], expect: 'refused' },
	'private.unregister_from_meeting(uuid)': { sql: 'private.unregister_from_meeting($1)', params: (x) => [x.mt.a.id], expect: 'refused' },
	'private.update_meeting(uuid,text,text,text,timestamp with time zone,timestamp with time zone,text,text,uuid,uuid,uuid,text,uuid[],jsonb)': { sql: `private.update_meeting($1, 'council', '外人改会', '', now() + interval '1 day', now() + interval '1 day 1 hour', '外面', null, null, null, null, 'open', '{}', '{}')`, params: (x) => [x.mt.a.id], expect: 'refused' },
	'private.ballot_conflicts(uuid)': { sql: 'private.ballot_conflicts($1)', params: (x) => [x.v.a.owners.id], expect: [] },
	'private.can_read_issues(uuid)': { sql: 'private.can_read_issues($1)', params: (x) => [x.w.a.id], expect: false },
	'private.close_vote_early(uuid)': { sql: 'private.close_vote_early($1)', params: (x) => [x.v.a.owners.id], expect: 'refused' },
	'private.comment_people(uuid,uuid[])': {
		sql: 'private.comment_people($1, $2::uuid[])',
		params: (x) => [x.i.a.bench, [x.i.a.comments.top, x.i.a.comments.reply, x.i.a.comments.hidden]],
		expect: {}
	},
	// The authors of a page of A's comments, asked by a reader of B only: nothing.
	'private.comment_people_between(uuid,timestamp with time zone,timestamp with time zone)': {
		sql: "private.comment_people_between($1, '-infinity', 'infinity')",
		params: (x) => [x.i.a.bench],
		expect: {}
	},
	'private.compute_tally(uuid)': { sql: 'private.compute_tally($1)', params: (x) => [x.v.a.consult.id], expect: 'refused' },
	'private.decide_membership(uuid,boolean,text)': { sql: 'private.decide_membership($1, true, null)', params: (x) => [x.w.memberships.pending], expect: 'refused' },
	'private.electorate_entry(uuid,uuid,uuid)': {
		sql: '(select count(*) from private.electorate_entry($1, $2, null))',
		params: (x) => [x.v.a.owners.id, x.w.a.units['1栋/1/101']],
		expect: 0
	},
	'private.enrol_member(uuid,uuid,uuid)': { sql: 'private.enrol_member($1, $2, null)', params: (x) => [x.w.a.id, x.assisted], expect: 'refused' },
	'private.estate_numbers(uuid)': { sql: 'private.estate_numbers($1)', params: (x) => [x.w.a.id], expect: null },
	// About the caller only: B, where committeeB sits.
	'private.estates_with_role(text[])': { sql: `private.estates_with_role('{committee,moderator}')`, params: () => [], expect: 'B' },
	'private.grant_street_admin(uuid,uuid)': { sql: 'private.grant_street_admin($1, $2)', params: (x) => [x.street, x.w.users.committeeB], expect: 'refused' },
	'private.import_units(uuid,jsonb)': { sql: 'private.import_units($1, $2::text::jsonb)', params: (x) => [x.w.a.id, A_ROWS], expect: 'refused' },
	'private.is_admin()': { sql: 'private.is_admin()', params: () => [], expect: false },
	'private.is_comment_author(uuid)': { sql: 'private.is_comment_author($1)', params: (x) => [x.i.a.comments.top], expect: false },
	'private.is_issue_author(uuid)': { sql: 'private.is_issue_author($1)', params: (x) => [x.i.a.bench], expect: false },
	'private.is_top_comment(uuid,uuid)': { sql: 'private.is_top_comment($1, $2)', params: (x) => [x.i.a.comments.top, x.i.a.bench], expect: false },
	'private.issue_estate(uuid)': { sql: 'private.issue_estate($1)', params: (x) => [x.i.a.bench], expect: null },
	'private.issue_people(uuid)': { sql: 'private.issue_people($1)', params: (x) => [x.i.a.bench], expect: null },
	'private.leave_estate(uuid)': { sql: 'private.leave_estate($1)', params: (x) => [x.w.a.id], expect: 'refused' },
	'private.link_owner(uuid,uuid)': { sql: 'private.link_owner($1, null)', params: (x) => [x.w.memberships.resident], expect: 'refused' },
	// Locks only issues the caller may read: none of A's (the lock itself is checked in issues.test.ts).
	'private.lock_issues(uuid[])': { sql: 'private.lock_issues($1::uuid[])::text', params: (x) => [[x.i.a.bench]], expect: '' },
	'private.managed_estates()': { sql: 'private.managed_estates()', params: () => [], expect: 'B' },
	'private.manages_estate(uuid)': { sql: 'private.manages_estate($1)', params: (x) => [x.w.a.id], expect: false },
	'private.member_estates()': { sql: 'private.member_estates()', params: () => [], expect: 'B' },
	'private.moderates_estate(uuid)': { sql: 'private.moderates_estate($1)', params: (x) => [x.w.a.id], expect: false },
	'private.my_ballots(uuid)': { sql: 'private.my_ballots($1)', params: (x) => [x.v.a.owners.id], expect: [] },
	'private.my_electors(uuid)': { sql: '(select count(*) from private.my_electors($1))', params: (x) => [x.v.a.owners.id], expect: 0 },
	'private.my_issue_ids(uuid)': { sql: 'private.my_issue_ids($1)', params: (x) => [x.w.a.id], expect: [] },
	'private.object_to_publication(uuid,integer,text)': { sql: `private.object_to_publication($1, 1, '外人异议')`, params: (x) => [x.pu.a.id], expect: 'refused' },
	// About the caller only: none of A's objections are theirs, and no names.
	'private.objection_people(uuid)': { sql: 'private.objection_people($1)', params: (x) => [x.pu.a.id], expect: { mine: [], names: {} } },
	'private.open_vote(uuid,text,text,timestamp with time zone,text,smallint,text,text,uuid,text[],smallint,timestamp with time zone,boolean,boolean,smallint)': {
		sql: `private.open_vote($1, '外人发起的表决', 'consultative', now() + interval '2 days', '', null, null, null, null, null, 1::smallint, null, null, false, null)`,
		params: (x) => [x.i.a.hotline],
		expect: 'refused'
	},
	'private.people_names(uuid,uuid[])': { sql: 'private.people_names($1, $2::uuid[])', params: (x) => [x.w.a.id, [x.w.users.resident, x.w.users.committee]], expect: {} },
	'private.publish_decision(uuid,text,text[],integer)': { sql: `private.publish_decision($1, '外人公示', '{外人}', 7)`, params: (x) => [x.v.a.owners.issue], expect: 'refused' },
	'private.readable_estates()': { sql: 'private.readable_estates()', params: () => [], expect: 'B' },
	'private.receipt_status(uuid,text)': { sql: 'private.receipt_status($1, $2)', params: (x) => [x.v.a.owners.id, x.receipt], expect: null },
	// Anyone signed in may ask to join any estate: for themself, pending, nothing else (checked below).
	'private.request_membership(uuid,uuid,text,text,boolean)': {
		sql: `private.request_membership($1, $2, '1', '101', true) ->> 'status'`,
		params: (x) => [x.w.a.id, x.w.a.buildings['1栋']],
		expect: 'pending'
	},
	// Settles only estates the caller may read: none of A's.
	'private.revoke_street_admin(uuid,uuid)': { sql: 'private.revoke_street_admin($1, $2)', params: (x) => [x.street, x.w.users.committee], expect: 'refused' },
	'private.street_estates()': { sql: 'private.street_estates()', params: () => [], expect: [] },
	'private.settle_due_publications(uuid)': { sql: 'private.settle_due_publications($1)', params: (x) => [x.w.a.id], expect: 0 },
	// The meeting room: every step refuses a caller from another estate (its meeting is not found for them).
	'private.add_speaker(uuid,uuid,text)': { sql: `private.add_speaker($1, $2, 'for')`, params: (x) => [x.mr.a.motion, x.mr.a.att.resident], expect: 'refused' },
	'private.close_debate(uuid,integer,integer)': { sql: 'private.close_debate($1, 9, 0)', params: (x) => [x.mr.a.motion], expect: 'refused' },
	'private.close_meeting(uuid)': { sql: 'private.close_meeting($1)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.end_speech(uuid)': { sql: 'private.end_speech($1)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.extend_speech(uuid,integer)': { sql: 'private.extend_speech($1, 60)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.give_floor(uuid)': { sql: 'private.give_floor($1)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.hand_over_chair(uuid,uuid)': { sql: 'private.hand_over_chair($1, $2)', params: (x) => [x.mr.a.meeting, x.w.users.committeeB], expect: 'refused' },
	'private.lower_hand(uuid)': { sql: 'private.lower_hand($1)', params: (x) => [x.mr.a.speech], expect: 'refused' },
	'private.move_motion(uuid,text,uuid)': { sql: `private.move_motion($1, '外人的动议', $2)`, params: (x) => [x.mr.a.meeting, x.mr.a.att.resident], expect: 'refused' },
	'private.open_meeting(uuid)': { sql: 'private.open_meeting($1)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.raise_hand(uuid,text)': { sql: `private.raise_hand($1, 'order')`, params: (x) => [x.mr.a.motion], expect: 'refused' },
	'private.record_hands(uuid,integer,integer,integer,text)': { sql: `private.record_hands($1, 9, 0, 0, 'yes')`, params: (x) => [x.mr.a.motion], expect: 'refused' },
	'private.second_motion(uuid,uuid)': { sql: 'private.second_motion($1, $2)', params: (x) => [x.mr.a.motion, x.mr.a.att.moderator], expect: 'refused' },
	'private.set_current_item(uuid,uuid)': { sql: 'private.set_current_item($1, $2)', params: (x) => [x.mr.a.meeting, x.mr.a.item], expect: 'refused' },
	'private.withdraw_motion(uuid)': { sql: 'private.withdraw_motion($1)', params: (x) => [x.mr.a.motion], expect: 'refused' },
	// Minutes: the meeting of A is not found for committeeB.
	'private.draft_minutes(uuid)': { sql: 'private.draft_minutes($1)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.edit_minutes(uuid,text[])': { sql: `private.edit_minutes($1, '{外人改写}')`, params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.publish_minutes(uuid,integer)': { sql: 'private.publish_minutes($1, 7)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.record_resolution(uuid,text)': { sql: `private.record_resolution($1, '外人的决议')`, params: (x) => [x.mr.a.motion], expect: 'refused' },
	'private.put_to_ballot(uuid,smallint,timestamp with time zone)': { sql: `private.put_to_ballot($1, 9::smallint, now() + interval '3 days')`, params: (x) => [x.mr.a.motion], expect: 'refused' },
	'private.change_meeting_rules(uuid,integer,integer,integer,boolean,boolean)': {
		sql: 'private.change_meeting_rules($1, 30, 10, 0, false, false)',
		params: (x) => [x.mr.a.meeting],
		expect: 'refused'
	},
	// About the caller only: the meeting of B, where committeeB sits.
	'private.room_meetings()': { sql: '($1 = any(private.room_meetings()) and not $2 = any(private.room_meetings()))', params: (x) => [x.mr.b.meeting, x.mr.a.meeting], expect: true },
	// Nothing of a meeting the caller's estate does not hold.
	'private.room_roles(uuid)': { sql: 'private.room_roles($1)', params: (x) => [x.mr.a.meeting], expect: null },
	'private.set_member_roles(uuid,text[])': { sql: `private.set_member_roles($1, '{moderator}')`, params: (x) => [x.w.memberships.volunteer], expect: 'refused' },
	'private.transition_issue(uuid,text,text,uuid)': { sql: `private.transition_issue($1, 'accept', null, null)`, params: (x) => [x.i.a.bench], expect: 'refused' },
	'private.turnout(uuid)': { sql: 'private.turnout($1)', params: (x) => [x.v.a.owners.id], expect: null },
	'private.voted_electors(uuid)': { sql: 'private.voted_electors($1)', params: (x) => [x.v.a.owners.id], expect: [] },
	'private.write_ballot(uuid,bigint,smallint[],text,text,text)': {
		sql: `private.write_ballot($1, $2::bigint, '{1}', 'paper', '外人', null)`,
		params: (x) => [x.v.a.owners.id, x.v.a.owners.electors['1栋/1/101']],
		expect: 'refused'
	},
	// Tasks, teams, party members and the time bank (A and B are one community: its ledger is shared).
	'private.assign_task(uuid,uuid)': { sql: 'private.assign_task($1, $2)', params: (x) => [x.wk.a.open, x.w.users.committeeB], expect: 'refused' },
	'private.claim_board(uuid,uuid,text,boolean)': { sql: 'private.claim_board($1, null, null, false)', params: (x) => [x.w.a.id], expect: 'refused' },
	'private.claim_task(uuid)': { sql: 'private.claim_task($1)', params: (x) => [x.wk.a.open], expect: 'refused' },
	'private.close_task(uuid,boolean)': { sql: 'private.close_task($1, true)', params: (x) => [x.wk.a.open], expect: 'refused' },
	'private.confirm_work(uuid,boolean,text)': { sql: `private.confirm_work($1, false, '外人驳回')`, params: (x) => [x.wk.a.openClaim], expect: 'refused' },
	'private.create_team(uuid,text,text,uuid)': { sql: `private.create_team($1, '外人分队', null, null)`, params: (x) => [x.w.a.id], expect: 'refused' },
	'private.issue_service_card(uuid,integer)': { sql: 'private.issue_service_card($1, null)', params: (x) => [x.w.a.id], expect: 'refused' },
	'private.decide_team_request(uuid,uuid,boolean)': {
		sql: 'private.decide_team_request($1, $2, true)',
		params: (x) => [x.wk.a.team, x.w.users.moderator],
		expect: 'refused'
	},
	'private.decides_for_team(uuid)': { sql: 'private.decides_for_team($1)', params: (x) => [x.wk.a.team], expect: false },
	// About the caller only: committeeB leads no team.
	'private.led_teams()': { sql: 'private.led_teams()', params: () => [], expect: [] },
	'private.join_team(uuid,text,text[],text)': { sql: `private.join_team($1, '外人', '{}', null)`, params: (x) => [x.wk.a.team], expect: 'refused' },
	'private.leave_team(uuid)': { sql: 'private.leave_team($1)', params: (x) => [x.wk.a.team], expect: 'refused' },
	// About the caller only: the community of B, where committeeB sits (A's too: one community).
	'private.managed_communities()': { sql: 'private.managed_communities()', params: () => [], expect: 'community' },
	'private.mark_elder(uuid,uuid,boolean)': { sql: 'private.mark_elder($1, $2, true)', params: (x) => [x.w.a.id, x.w.users.resident], expect: 'refused' },
	'private.member_communities()': { sql: 'private.member_communities()', params: () => [], expect: 'community' },
	'private.my_community(uuid)': { sql: 'private.my_community($1)', params: (x) => [x.w.a.id], expect: 'refused' },
	'private.post_task(uuid,uuid,text,text,text,uuid,numeric,numeric,timestamp with time zone,timestamp with time zone,integer,numeric,text,uuid,boolean)': {
		sql: `private.post_task($1, null, 'other', '外人任务', '无', null, null, null, now() + interval '1 day', now() + interval '2 days', 1, 1, 'resident', null, false)`,
		params: (x) => [x.w.a.id],
		expect: 'refused'
	},
	'private.register_party_member(uuid,text)': { sql: `private.register_party_member($1, '外人支部')`, params: (x) => [x.w.a.id], expect: 'refused' },
	'private.release_claim(uuid)': { sql: 'private.release_claim($1)', params: (x) => [x.wk.a.openClaim], expect: 'refused' },
	// Sweeps only estates the caller belongs to: none of A's.
	'private.release_no_shows(uuid)': { sql: 'private.release_no_shows($1)', params: (x) => [x.w.a.id], expect: 0 },
	'private.report_done(uuid,numeric,text,text)': { sql: `private.report_done($1, 1, '外人', null)`, params: (x) => [x.wk.a.openClaim], expect: 'refused' },
	// An earning for A's task is corrected by A's committee only, though the ledger is the community's.
	'private.reverse_movement(uuid,text)': { sql: `private.reverse_movement($1, '外人冲正')`, params: (x) => [x.movement], expect: 'refused' },
	'private.save_work_settings(uuid,jsonb)': { sql: `private.save_work_settings($1, '{"monthly_claim_cap": 1}')`, params: (x) => [x.w.a.id], expect: 'refused' },
	'private.service_record(uuid,integer,uuid)': { sql: 'private.service_record($1, null, $2)', params: (x) => [x.w.a.id, x.wk.party], expect: 'refused' },
	'private.set_team_leader(uuid,uuid,boolean)': { sql: 'private.set_team_leader($1, $2, true)', params: (x) => [x.wk.a.team, x.w.users.resident], expect: 'refused' },
	'private.start_work(uuid,text)': { sql: 'private.start_work($1, null)', params: (x) => [x.wk.a.openClaim], expect: 'refused' },
	'private.task_detail(uuid)': { sql: 'private.task_detail($1)', params: (x) => [x.wk.a.open], expect: 'refused' },
	'private.team_page(uuid)': { sql: 'private.team_page($1)', params: (x) => [x.wk.a.team], expect: 'refused' },
	// Names only members of a team the caller may read: none of A's.
	'private.team_roster(uuid)': { sql: 'private.team_roster($1)', params: (x) => [x.wk.a.team], expect: [] },
	'private.time_statement(uuid,uuid,bigint)': { sql: 'private.time_statement($1, $2, null)', params: (x) => [x.w.a.id, x.wk.party], expect: 'refused' },
	'private.transfer_hours(uuid,uuid,numeric,text,text,text)': {
		sql: `private.transfer_hours($1, null, 1, 'hour', 'donated', null)`,
		params: (x) => [x.w.a.id],
		expect: 'refused'
	},
	'private.work_settings(uuid)': { sql: 'private.work_settings($1)', params: (x) => [x.w.a.id], expect: 'refused' },
	'private.write_comment(uuid,text,text,text,uuid)': {
		sql: `private.write_comment($1, null, 'hidden', '外人隐藏', $2)`,
		params: (x) => [x.i.a.comments.top, x.w.users.committeeB],
		expect: 'refused'
	},
	'private.write_estate_settings(uuid,boolean,integer)': { sql: 'private.write_estate_settings($1, true, 1)', params: (x) => [x.w.a.id], expect: 'refused' },
	// Micro-wishes: committeeB is no member of A, and A's wishes are not found for them.
	'private.claim_wish(uuid,text)': { sql: `private.claim_wish($1, '外人单位')`, params: (x) => [x.wi.a.open], expect: 'refused' },
	'private.confirm_wish(uuid,text)': { sql: `private.confirm_wish($1, '外人确认')`, params: (x) => [x.wi.a.claimed], expect: 'refused' },
	'private.fulfil_wish(uuid,text,jsonb,numeric)': { sql: `private.fulfil_wish($1, '外人完成', null, 1)`, params: (x) => [x.wi.a.claimed], expect: 'refused' },
	// About the caller only: the wishes they posted or follow (none in A).
	'private.my_wishes()': { sql: 'private.my_wishes()', params: () => [], expect: [] },
	'private.post_wish(uuid,text,text,text,text,numeric,uuid,boolean,text,text,text)': {
		sql: `private.post_wish($1, '外人心愿', 'other', '某阿姨', null, null, null, true, '外人', null, null)`,
		params: (x) => [x.w.a.id],
		expect: 'refused'
	},
	'private.release_wish(uuid)': { sql: 'private.release_wish($1)', params: (x) => [x.wi.a.claimed], expect: 'refused' },
	'private.vet_wish(uuid,boolean,text,numeric)': { sql: `private.vet_wish($1, true, '外人核实', 2)`, params: (x) => [x.wi.a.pending], expect: 'refused' },
	// About the caller only: B, where committeeB sits.
	'private.wish_staff_estates()': { sql: 'private.wish_staff_estates()', params: () => [], expect: 'B' }
};

const DEFINERS_SQL = `
	select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
	where n.nspname in ('public', 'private') and p.prosecdef
	  and (has_function_privilege('authenticated', p.oid, 'execute') or has_function_privilege('anon', p.oid, 'execute'))
	order by 1`;

/** Everything of estate A a call could have changed. */
const A_STATE_SQL = `
	select (select string_agg(id || status || array_to_string(roles, '/'), ',' order by id) from public.memberships where estate_id = $1 and user_id <> $2) as m,
	       (select string_agg(id || ':' || floor_area, ',' order by id) from public.units where estate_id = $1) as u,
	       (select string_agg(id || ':' || coalesce(user_id::text, '-'), ',' order by id) from public.owners where estate_id = $1) as o,
	       (select string_agg(id || status, ',' order by id) from public.issues where estate_id = $1) as i,
	       (select string_agg(id || state, ',' order by id) from public.comments c where c.issue_id in (select id from public.issues where estate_id = $1)) as c,
	       (select string_agg(id || status, ',' order by id) from public.votes where estate_id = $1) as v,
	       (select count(*) from public.ballots b where b.vote_id in (select id from public.votes where estate_id = $1))::int as b,
	       (select board_public::text || support_threshold from public.estates where id = $1) as e,
	       (select string_agg(id || status || revision, ',' order by id) from public.publications where estate_id = $1) as pu,
	       (select string_agg(o.id || coalesce(o.answer, '-'), ',' order by o.id) from public.objections o
	          where o.publication_id in (select id from public.publications where estate_id = $1)) as ob,
	       (select string_agg(w.id || w.status || coalesce(w.claimer_name, '-') || coalesce(d.claimed_by::text, '-'), ',' order by w.id)
	          from public.wishes w join public.wish_details d on d.wish_id = w.id where w.estate_id = $1) as wi,
	       (select string_agg(id || status || taken, ',' order by id) from public.tasks where estate_id = $1) as t,
	       (select string_agg(c.id || c.status, ',' order by c.id) from public.task_claims c where c.task_id in (select id from public.tasks where estate_id = $1)) as tc,
	       (select string_agg(m.team_id || ':' || m.user_id || m.role, ',' order by m.team_id, m.user_id) from public.team_members m
	          where m.team_id in (select id from public.teams where estate_id = $1)) as tm,
	       (select count(*) from public.time_entries)::int as te,
	       (select string_agg(id || title || weight, ',' order by id) from public.work_items where estate_id = $1) as wit,
	       (select string_agg(id || coalesce(done_at::text, '-'), ',' order by id) from public.milestones where estate_id = $1) as ms,
	       (select count(*) from public.progress_updates where estate_id = $1)::int as pu2,
	       (select string_agg(id::text || status || title || place || starts_at::text, ',' order by id) from public.meetings where estate_id = $1) as mt,
	       (select string_agg(a.id::text || a.position || a.title, ',' order by a.id) from public.agenda_items a join public.meetings m on m.id = a.meeting_id where m.estate_id = $1) as ag,
	       (select string_agg(a.id::text || coalesce(a.checked_in_at::text, '-') || coalesce(a.checked_out_at::text, '-') || coalesce(a.registered_at::text, '-'), ',' order by a.id)
	          from public.meeting_attendance a join public.meetings m on m.id = a.meeting_id where m.estate_id = $1) as at,
	       (select string_agg(p.id::text || coalesce(p.revoked_at::text, '-'), ',' order by p.id) from public.meeting_proxies p join public.meetings m on m.id = p.meeting_id where m.estate_id = $1) as px,
	       (select string_agg(id || status || coalesce(chair_id::text, '-') || coalesce(current_item_id::text, '-'), ',' order by id) from public.meetings where estate_id = $1) as mtr,
	       (select string_agg(mo.id || mo.status, ',' order by mo.id) from public.motions mo where mo.meeting_id in (select id from public.meetings where estate_id = $1)) as mo,
	       (select count(*) from public.motion_seconds s join public.motions mo on mo.id = s.motion_id
	          where mo.meeting_id in (select id from public.meetings where estate_id = $1))::int as ms2,
	       (select string_agg(s.id || s.status, ',' order by s.id) from public.speeches s where s.meeting_id in (select id from public.meetings where estate_id = $1)) as sp,
	       (select string_agg(x.meeting_id || array_to_string(x.paragraphs, '|') || coalesce(x.publication_id::text, '-'), ',' order by x.meeting_id)
	          from public.meeting_minutes x where x.estate_id = $1) as mm`;

async function asCaller<T>(db: TestDb, userId: string, fn: (tx: Sql) => Promise<T>): Promise<T> {
	let out: T | undefined;
	await db.sql
		.transaction(async (tx) => {
			await tx.query('set local role authenticated');
			await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })]);
			out = await fn(tx);
			throw new Rollback();
		})
		.catch((e) => {
			if (!(e instanceof Rollback)) throw e;
		});
	return out as T;
}
class Rollback extends Error {}

describe.each(DATABASES)('security definer functions on %s', (name) => {
	let db: TestDb;
	let x: World3;
	beforeAll(async () => {
		db = await openTestDb(name);
		const w = await seedWorld(db);
		const i = await seedIssues(db, w);
		const v = await seedVotes(db, w);
		const pu = await seedPublications(db, w, v);
		const mr = await seedMeetingRoom(db, w);
		const wi = await seedWishes(db, w);
		const wk = await seedWork(db, w);
		const pr = await seedProgress(db, w);
		const mt = await seedMeetings(db, w);
		const [{ movement }] = await db.sql.query<{ movement: string }>(
			`select movement_id::text as movement from public.time_entries where source_id = $1 and unit = 'hour' limit 1`,
			[wk.a.doneClaim]
		);
		const assisted = await createUser(db, '代开账号', { assisted: true });
		const [{ receipt }] = await db.sql.query<{ receipt: string }>('select receipt from public.ballots where id = $1', [v.a.owners.ballots.resident]);
		const [{ id: street }] = await db.sql.query<{ id: string }>(`insert into public.streets (name) values ('亭林') returning id::text`);
		await db.sql.query('update public.communities set street_id = $1 where id = $2', [street, w.communityId]);
		await db.sql.query('insert into public.street_admins (street_id, user_id) values ($1, $2)', [street, w.users.committee]);
		x = { w, i, v, pu, wi, wk, pr, mt, mr, movement, assisted, receipt, street };
	});
	afterAll(() => db.close());

	it('lists every definer function anon or signed-in users may execute, and anon none', async () => {
		const listed = (await db.sql.query<{ fn: string }>(DEFINERS_SQL)).map((r) => r.fn);
		expect(listed).toEqual(Object.keys(CASES).sort());
		const anon = await db.sql.query(`${DEFINERS_SQL.replace("has_function_privilege('authenticated', p.oid, 'execute') or ", '')}`);
		expect(anon).toEqual([]);
	});

	it('each refuses a caller from another estate, or answers about the caller only', async () => {
		const failures: string[] = [];
		for (const [fn, c] of Object.entries(CASES)) {
			const before = await db.sql.query(A_STATE_SQL, [x.w.a.id, x.w.users.committeeB]);
			const got = await asCaller(db, x.w.users.committeeB, async (tx) => {
				try {
					const [row] = await tx.query<{ v: unknown }>(`select to_jsonb(${c.sql}) as v`, c.params(x));
					// Read as the superuser, as before: the caller's own view of A is narrower.
					await tx.query('reset role');
					const after = await tx.query(A_STATE_SQL, [x.w.a.id, x.w.users.committeeB]);
					return { value: row.v, changed: JSON.stringify(after) !== JSON.stringify(before) };
				} catch (e) {
					return { refused: (e as { message?: string }).message ?? String(e) };
				}
			});
			const want = c.expect === 'B' ? [x.w.b.id] : c.expect === 'community' ? [x.w.communityId] : c.expect;
			if (want === 'refused') {
				if (!('refused' in got)) failures.push(`${fn}: expected a refusal, got ${JSON.stringify(got)}`);
				else if (!/^errors\./.test(got.refused ?? '')) failures.push(`${fn}: refused with an unplanned error: ${got.refused}`);
			} else if ('refused' in got) {
				failures.push(`${fn}: expected ${JSON.stringify(want)}, refused with ${got.refused}`);
			} else {
				if (JSON.stringify(got.value) !== JSON.stringify(want)) failures.push(`${fn}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got.value)}`);
				if (got.changed) failures.push(`${fn}: changed estate A`);
			}
		}
		expect(failures).toEqual([]);
	});

	it('lets the caller ask to join for themself only: the request is theirs and pending', async () => {
		const rows = await asCaller(db, x.w.users.committeeB, async (tx) => {
			await tx.query(`select private.request_membership($1, $2, '1', '101', true)`, [x.w.a.id, x.w.a.buildings['1栋']]);
			return tx.query<{ user_id: string; status: string; roles: string[] }>(
				`select user_id::text, status, roles from public.memberships where estate_id = $1 and user_id = $2`,
				[x.w.a.id, x.w.users.committeeB]
			);
		});
		expect(rows).toEqual([{ user_id: x.w.users.committeeB, status: 'pending', roles: [] }]);
	});
});
