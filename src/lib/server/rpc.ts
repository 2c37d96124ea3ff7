import type { AuditPage } from '$lib/domain/audit';
import type { AdminOverview, EstateHome, EstateListing, EstateMapData } from '$lib/domain/estate';
import type { ImportResult } from '$lib/domain/imports';
import type { Board, HeldPhoto, IssueDetail, IssueSummary, ModerationQueue, SimilarIssue } from '$lib/domain/issues';
import type { MeetingRoom } from '$lib/domain/meeting-room';
import type { Me } from '$lib/domain/me';
import type { MeetingMinutes } from '$lib/domain/minutes';
import type { DoorList, EstateMeetings, MeetingNotice, MeetingRules, Quorum } from '$lib/domain/meetings';
import type { EstateMembers, UnitPage } from '$lib/domain/members';
import type { Notifications } from '$lib/domain/notifications';
import type { OpenDataRow, OpenDataSummary } from '$lib/domain/open-data';
import type { PlanProgress, ProgressImportResult } from '$lib/domain/progress';
import type { PublicationDetail, PublicationListItem } from '$lib/domain/publications';
import type { ClaimBoard, ServiceCard, ServiceRecord, TaskDetail, TeamListItem, TeamPage, TimeStatement, WorkSettings } from '$lib/domain/work';
import type { CommitteeDashboard, CommunityTransparency, EstateTransparency, Figures, StreetRollup } from '$lib/domain/transparency';
import type { VoteDetail, VoteListItem, VoteResult, VoteSetupData, Turnout } from '$lib/domain/votes';
import type { EstateWishes, QueuedWish, WishDetail, WishWall } from '$lib/domain/wishes';
import { fn, sqlType as t, type ArgsOf, type RpcFunction, type Spec } from './rpc-spec';

type Id = { id: string };
type Named = { id: string; name: string };

/**
 * Every SQL function of the API the app calls, with its named arguments (their
 * SQL types; `.opt` where the function has a default) and what it returns.
 * `locals.call(name, args)` takes its types from here, so a call with a wrong
 * argument or a misread result does not compile, and tests/db/rpc.test.ts
 * checks every entry against the function in the database. docs/api.md says
 * what each does and who may call it.
 */
export const RPC = {
	// Tenancy
	my_context: fn({}).returns<Me | null>(),
	list_estates: fn({}).returns<EstateListing[]>(),
	estate_home: fn({ p_estate_id: t.uuid }).returns<EstateHome>(),
	estate_buildings: fn({ p_estate_id: t.uuid }).returns<Named[]>(),
	find_unit: fn({ p_estate_id: t.uuid, p_building_id: t.uuid, p_entrance: t.text, p_room: t.text }).returns<string>(),
	request_membership: fn({
		p_estate_id: t.uuid,
		p_building_id: t.uuid,
		p_entrance: t.text,
		p_room: t.text,
		p_claims_owner: t.boolean.opt
	}).returns<Id>(),
	leave_estate: fn({ p_estate_id: t.uuid }).returns<void>(),
	estate_members: fn({ p_estate_id: t.uuid }).returns<EstateMembers>(),
	decide_membership: fn({ p_membership_id: t.uuid, p_verify: t.boolean, p_reason: t.text.opt }).returns<unknown>(),
	set_member_roles: fn({ p_membership_id: t.uuid, p_roles: t.texts }).returns<unknown>(),
	link_owner: fn({ p_membership_id: t.uuid, p_owner_id: t.uuid }).returns<unknown>(),
	unit_owner_list: fn({ p_unit_id: t.uuid }).returns<Named[]>(),
	enrol_member: fn({ p_estate_id: t.uuid, p_user_id: t.uuid, p_unit_id: t.uuid }).returns<Id>(),
	update_my_profile: fn({ p_display_name: t.text, p_locale: t.text }).returns<void>(),
	estate_audit_log: fn({ p_estate_id: t.uuid, p_before: t.bigint.opt }).returns<AuditPage>(),

	// Estate administration
	admin_overview: fn({}).returns<AdminOverview>(),
	create_community: fn({ p_name: t.text, p_district: t.text.opt }).returns<Id>(),
	save_estate: fn({
		p_estate_id: t.uuid,
		p_community_id: t.uuid,
		p_name: t.text,
		p_address: t.text,
		p_map_mode: t.text,
		p_center_lat: t.numeric,
		p_center_lng: t.numeric,
		p_zoom: t.integer,
		p_plan_width: t.integer,
		p_plan_height: t.integer
	}).returns<Id>(),
	import_areas: fn({ p_estate_id: t.uuid, p_collection: t.jsonb }).returns<ImportResult>(),
	export_areas: fn({ p_estate_id: t.uuid }).returns<unknown>(),
	save_area: fn({
		p_estate_id: t.uuid,
		p_area_id: t.uuid,
		p_kind: t.text,
		p_name: t.text,
		p_parent_id: t.uuid,
		p_geometry: t.jsonb
	}).returns<Id>(),
	delete_area: fn({ p_estate_id: t.uuid, p_area_id: t.uuid }).returns<void>(),
	import_units: fn({ p_estate_id: t.uuid, p_rows: t.jsonb }).returns<ImportResult>(),
	estate_units: fn({ p_estate_id: t.uuid, p_offset: t.integer.opt }).returns<UnitPage>(),

	// Issues
	propose_issue: fn({
		p_estate_id: t.uuid,
		p_area_id: t.uuid,
		p_category: t.text,
		p_title: t.text,
		p_body: t.text,
		p_point_x: t.numeric.opt,
		p_point_y: t.numeric.opt,
		p_photos: t.jsonb.opt,
		p_channel: t.text.opt,
		p_resident_name: t.text.opt,
		p_resident_contact: t.text.opt
	}).returns<Id>(),
	can_record_for_others: fn({ p_estate_id: t.uuid }).returns<boolean>(),
	similar_issues: fn({ p_estate_id: t.uuid, p_title: t.text, p_area_id: t.uuid.opt }).returns<SimilarIssue[]>(),
	support_issue: fn({ p_issue_id: t.uuid }).returns<{ support_count: number; supported: boolean }>(),
	withdraw_support: fn({ p_issue_id: t.uuid }).returns<{ support_count: number; supported: boolean }>(),
	issue_board: fn({
		p_estate_id: t.uuid,
		p_status: t.text.opt,
		p_category: t.text.opt,
		p_area_id: t.uuid.opt,
		p_mine: t.boolean.opt,
		p_supported: t.boolean.opt,
		p_q: t.text.opt,
		p_sort: t.text.opt,
		p_cursor: t.text.opt
	}).returns<Board>(),
	issue_detail: fn({ p_issue_id: t.uuid }).returns<IssueDetail>(),
	issue_actions: fn({ p_issue_id: t.uuid }).returns<IssueDetail['actions']>(),
	issue_comments: fn({ p_issue_id: t.uuid, p_after: t.text.opt }).returns<IssueDetail['comments']>(),
	issue_summary: fn({ p_issue_id: t.uuid }).returns<IssueSummary & { estate_id: string }>(),
	can_read_photo: fn({ p_path: t.text }).returns<boolean>(),
	hold_photos: fn({ p_photos: t.jsonb }).returns<HeldPhoto[]>(),
	held_photos: fn({ p_tokens: t.uuids }).returns<HeldPhoto[]>(),
	estate_board_public: fn({ p_estate_id: t.uuid }).returns<boolean | null>(),
	comment_on_issue: fn({ p_issue_id: t.uuid, p_stance: t.text, p_body: t.text, p_parent_id: t.uuid.opt }).returns<Id>(),
	edit_comment: fn({ p_comment_id: t.uuid, p_body: t.text }).returns<unknown>(),
	delete_comment: fn({ p_comment_id: t.uuid }).returns<unknown>(),
	report_comment: fn({ p_comment_id: t.uuid, p_reason: t.text }).returns<unknown>(),
	moderation_queue: fn({ p_estate_id: t.uuid }).returns<ModerationQueue>(),
	search_words: fn({ p_q: t.text }).returns<string[]>(),
	moderate_comment: fn({ p_comment_id: t.uuid, p_hide: t.boolean, p_reason: t.text }).returns<unknown>(),
	transition_issue: fn({ p_issue_id: t.uuid, p_action: t.text, p_reason: t.text.opt, p_merge_into: t.uuid.opt }).returns<unknown>(),
	estate_map: fn({ p_estate_id: t.uuid, p_status: t.text.opt, p_category: t.text.opt }).returns<EstateMapData>(),
	my_notifications: fn({}).returns<Notifications>(),
	mark_notifications_read: fn({}).returns<void>(),
	issue_settings: fn({ p_estate_id: t.uuid }).returns<{ board_public: boolean; support_threshold: number }>(),
	save_issue_settings: fn({ p_estate_id: t.uuid, p_board_public: t.boolean, p_support_threshold: t.integer }).returns<void>(),

	// Votes
	vote_setup: fn({ p_issue_id: t.uuid }).returns<VoteSetupData>(),
	open_vote: fn({
		p_issue_id: t.uuid,
		p_question: t.text,
		p_kind: t.text,
		p_closes_at: t.timestamptz,
		p_description: t.text.opt,
		p_matter: t.smallint.opt,
		p_rule: t.text.opt,
		p_electorate_kind: t.text.opt,
		p_scope_area_id: t.uuid.opt,
		p_options: t.texts.opt,
		p_max_choices: t.smallint.opt,
		p_opens_at: t.timestamptz.opt,
		p_secret: t.boolean.opt,
		p_live_results: t.boolean.opt,
		p_quorum_percent: t.smallint.opt
	}).returns<Id>(),
	estate_votes: fn({ p_estate_id: t.uuid }).returns<VoteListItem[]>(),
	vote_detail: fn({ p_vote_id: t.uuid }).returns<VoteDetail>(),
	vote_turnout: fn({ p_vote_id: t.uuid }).returns<Turnout>(),
	vote_not_voted: fn({ p_vote_id: t.uuid }).returns<
		{ unit_id: string | null; user_id: string | null; label: string; floor_area: number }[]
	>(),
	cast_ballot: fn({ p_vote_id: t.uuid, p_choice: t.smallints, p_unit_id: t.uuid.opt }).returns<{ receipt: string }>(),
	record_paper_ballot: fn({
		p_vote_id: t.uuid,
		p_choice: t.smallints,
		p_paper_ref: t.text,
		p_unit_id: t.uuid.opt,
		p_user_id: t.uuid.opt,
		p_proxy_name: t.text.opt
	}).returns<{ receipt: string }>(),
	close_vote: fn({ p_vote_id: t.uuid }).returns<unknown>(),
	vote_result: fn({ p_vote_id: t.uuid }).returns<VoteResult | null>(),
	vote_receipts: fn({ p_vote_id: t.uuid }).returns<string[]>(),
	verify_receipt: fn({ p_vote_id: t.uuid, p_code: t.text }).returns<{ code: string; status: string }>(),

	// Publications (公示) with objections
	publish_decision: fn({ p_issue_id: t.uuid, p_title: t.text, p_paragraphs: t.texts, p_window_days: t.integer.opt }).returns<
		{ id: string; status: string; closes_at: string }
	>(),
	object_to_publication: fn({ p_publication_id: t.uuid, p_paragraph: t.integer, p_reason: t.text }).returns<Id>(),
	answer_objection: fn({ p_objection_id: t.uuid, p_upheld: t.boolean, p_reason: t.text.opt }).returns<{ id: string; answer: string; status: string }>(),
	amend_publication: fn({ p_publication_id: t.uuid, p_paragraphs: t.texts, p_note: t.text.opt }).returns<{ id: string; revision: number; closes_at: string }>(),
	estate_publications: fn({ p_estate_id: t.uuid }).returns<PublicationListItem[]>(),
	publication_detail: fn({ p_publication_id: t.uuid }).returns<PublicationDetail>(),

	// Open data: what the caller may read, page by page (docs/open-data.md)
	open_data_summary: fn({ p_scope: t.text, p_scope_id: t.uuid }).returns<OpenDataSummary>(),
	open_data_issues: fn({ p_scope: t.text, p_scope_id: t.uuid, p_after: t.uuid.opt, p_limit: t.integer.opt }).returns<OpenDataRow[]>(),
	open_data_events: fn({ p_scope: t.text, p_scope_id: t.uuid, p_after: t.bigint.opt, p_limit: t.integer.opt }).returns<OpenDataRow[]>(),
	open_data_votes: fn({ p_scope: t.text, p_scope_id: t.uuid, p_after: t.uuid.opt, p_limit: t.integer.opt }).returns<OpenDataRow[]>(),
	open_data_milestones: fn({ p_scope: t.text, p_scope_id: t.uuid, p_after: t.uuid.opt, p_limit: t.integer.opt }).returns<OpenDataRow[]>(),
	open_data_vote_options: fn({ p_scope: t.text, p_scope_id: t.uuid, p_after: t.uuid.opt, p_limit: t.integer.opt }).returns<OpenDataRow[]>(),

	// Micro-wishes (微心愿) and the thanks wall (公益榜)
	post_wish: fn({
		p_estate_id: t.uuid,
		p_title: t.text,
		p_category: t.text,
		p_shown_name: t.text,
		p_body: t.text.opt,
		p_estimated_cost: t.numeric.opt,
		p_area_id: t.uuid.opt,
		p_for_other: t.boolean.opt,
		p_resident_name: t.text.opt,
		p_unit: t.text.opt,
		p_phone: t.text.opt
	}).returns<{ id: string; status: string }>(),
	vet_wish: fn({ p_wish_id: t.uuid, p_approve: t.boolean, p_note: t.text.opt, p_est_hours: t.numeric.opt }).returns<{ id: string; status: string }>(),
	claim_wish: fn({ p_wish_id: t.uuid, p_donor_unit: t.text.opt }).returns<{ id: string; status: string }>(),
	release_wish: fn({ p_wish_id: t.uuid }).returns<{ id: string; status: string }>(),
	fulfil_wish: fn({ p_wish_id: t.uuid, p_note: t.text.opt, p_photo: t.jsonb.opt, p_hours: t.numeric.opt }).returns<{ id: string; status: string }>(),
	confirm_wish: fn({ p_wish_id: t.uuid, p_thanks: t.text.opt }).returns<{ id: string; status: string }>(),
	estate_wishes: fn({ p_estate_id: t.uuid }).returns<EstateWishes>(),
	wish_detail: fn({ p_wish_id: t.uuid }).returns<WishDetail>(),
	wish_queue: fn({ p_estate_id: t.uuid }).returns<QueuedWish[]>(),
	wish_wall: fn({ p_estate_id: t.uuid }).returns<WishWall>(),
	// Tasks, teams, party members' service and the time bank (docs/api.md "Tasks and the time bank")
	create_team: fn({ p_estate_id: t.uuid, p_name: t.text, p_about: t.text.opt, p_leader_id: t.uuid.opt }).returns<Id>(),
	join_team: fn({ p_team_id: t.uuid, p_shown_name: t.text.opt, p_skills: t.texts.opt, p_availability: t.text.opt }).returns<{
		team_id: string;
		role: string | null;
		asked?: boolean;
	}>(),
	decide_team_request: fn({ p_team_id: t.uuid, p_user_id: t.uuid, p_approve: t.boolean }).returns<{ team_id: string; user_id: string; approved: boolean }>(),
	leave_team: fn({ p_team_id: t.uuid }).returns<{ team_id: string }>(),
	set_team_leader: fn({ p_team_id: t.uuid, p_user_id: t.uuid, p_leader: t.boolean }).returns<unknown>(),
	estate_teams: fn({ p_estate_id: t.uuid }).returns<TeamListItem[]>(),
	team_page: fn({ p_team_id: t.uuid }).returns<TeamPage>(),
	post_task: fn({
		p_estate_id: t.uuid,
		p_title: t.text,
		p_needed: t.text,
		p_starts_at: t.timestamptz,
		p_ends_at: t.timestamptz,
		p_slots: t.integer,
		p_est_hours: t.numeric,
		p_eligible: t.text.opt,
		p_kind: t.text.opt,
		p_issue_id: t.uuid.opt,
		p_area_id: t.uuid.opt,
		p_point_x: t.numeric.opt,
		p_point_y: t.numeric.opt,
		p_team_id: t.uuid.opt,
		p_checkin: t.boolean.opt
	}).returns<Id>(),
	claim_task: fn({ p_task_id: t.uuid }).returns<{ claim_id: string; left: number }>(),
	assign_task: fn({ p_task_id: t.uuid, p_user_id: t.uuid }).returns<{ claim_id: string }>(),
	release_claim: fn({ p_claim_id: t.uuid }).returns<{ claim_id: string; status: string }>(),
	start_work: fn({ p_claim_id: t.uuid, p_code: t.text.opt }).returns<{ claim_id: string; status: string }>(),
	report_done: fn({ p_claim_id: t.uuid, p_hours: t.numeric, p_report: t.text.opt, p_photo_path: t.text.opt }).returns<{ claim_id: string; status: string }>(),
	confirm_work: fn({ p_claim_id: t.uuid, p_accept: t.boolean.opt, p_reason: t.text.opt }).returns<{ claim_id: string; status: string }>(),
	close_task: fn({ p_task_id: t.uuid, p_cancel: t.boolean.opt }).returns<{ id: string; status: string }>(),
	task_detail: fn({ p_task_id: t.uuid }).returns<TaskDetail>(),
	claim_board: fn({ p_estate_id: t.uuid, p_area_id: t.uuid.opt, p_kind: t.text.opt, p_mine: t.boolean.opt }).returns<ClaimBoard>(),
	time_statement: fn({ p_estate_id: t.uuid, p_user_id: t.uuid.opt, p_before: t.bigint.opt }).returns<TimeStatement>(),
	transfer_hours: fn({
		p_estate_id: t.uuid,
		p_to_user: t.uuid,
		p_amount: t.numeric,
		p_unit: t.text.opt,
		p_purpose: t.text.opt,
		p_note: t.text.opt
	}).returns<{ movement_id: string; balance: number }>(),
	reverse_movement: fn({ p_movement_id: t.uuid, p_reason: t.text }).returns<{ movement_id: string }>(),
	mark_elder: fn({ p_estate_id: t.uuid, p_user_id: t.uuid, p_elder: t.boolean }).returns<unknown>(),
	work_settings: fn({ p_estate_id: t.uuid }).returns<WorkSettings>(),
	save_work_settings: fn({ p_estate_id: t.uuid, p_settings: t.jsonb }).returns<WorkSettings>(),
	register_party_member: fn({ p_estate_id: t.uuid, p_branch: t.text }).returns<{ community_id: string; branch: string }>(),
	service_record: fn({ p_estate_id: t.uuid, p_year: t.integer.opt, p_user_id: t.uuid.opt }).returns<ServiceRecord>(),
	issue_service_card: fn({ p_estate_id: t.uuid, p_year: t.integer.opt }).returns<{ code: string; issued_at: string }>(),
	verify_service_card: fn({ p_code: t.text }).returns<ServiceCard | null>(),

	// Transparency: streets, roll-ups, public pages, the committee dashboard
	grant_street_admin: fn({ p_street_id: t.uuid, p_user_id: t.uuid }).returns<{ street_id: string; user_id: string }>(),
	revoke_street_admin: fn({ p_street_id: t.uuid, p_user_id: t.uuid }).returns<boolean>(),
	my_streets: fn({}).returns<Array<{ id: string; name: string; district: string | null }>>(),
	transparency_figures: fn({ p_estate_ids: t.uuids }).returns<Figures>(),
	transparency_figures_grouped: fn({ p_estate_ids: t.uuids, p_group_keys: t.texts }).returns<Record<string, Figures>>(),
	estate_transparency: fn({ p_estate_id: t.uuid }).returns<EstateTransparency>(),
	transparency_version: fn({ p_estate_id: t.uuid }).returns<number | string>(),
	community_transparency: fn({ p_community_id: t.uuid }).returns<CommunityTransparency>(),
	street_rollup: fn({ p_street_id: t.uuid }).returns<StreetRollup>(),
	committee_dashboard: fn({ p_estate_id: t.uuid }).returns<CommitteeDashboard>(),

	// Progress: plans, work items, milestones, updates with evidence
	plan_item: fn({
		p_issue_id: t.uuid,
		p_title: t.text,
		p_item_id: t.uuid.opt,
		p_parent_id: t.uuid.opt,
		p_responsible_kind: t.text.opt,
		p_responsible: t.text.opt,
		p_planned_start: t.date.opt,
		p_planned_end: t.date.opt,
		p_budget: t.numeric.opt,
		p_weight: t.numeric.opt,
		p_excluded: t.boolean.opt,
		p_exclusion_reason: t.text.opt
	}).returns<{ id: string; parent_id: string | null }>(),
	add_milestone: fn({ p_item_id: t.uuid, p_title: t.text, p_planned_on: t.date.opt, p_weight: t.numeric.opt }).returns<Id>(),
	post_progress: fn({ p_issue_id: t.uuid, p_note: t.text, p_photos: t.jsonb.opt, p_item_id: t.uuid.opt }).returns<Id>(),
	complete_milestone: fn({ p_milestone_id: t.uuid, p_note: t.text.opt, p_photos: t.jsonb.opt }).returns<
		{ id: string; progress: number | null; status: string }
	>(),
	item_progress: fn({ p_issue_id: t.uuid }).returns<PlanProgress | null>(),
	edit_milestone: fn({ p_milestone_id: t.uuid, p_title: t.text, p_planned_on: t.date.opt, p_weight: t.numeric.opt }).returns<{ id: string; status: string }>(),
	remove_milestone: fn({ p_milestone_id: t.uuid }).returns<{ id: string; status: string }>(),
	move_milestone: fn({ p_milestone_id: t.uuid, p_direction: t.text }).returns<{ id: string; moved: boolean }>(),
	import_progress: fn({ p_estate_id: t.uuid, p_rows: t.jsonb, p_dry_run: t.boolean.opt }).returns<ProgressImportResult>(),
	// Meetings: scheduling, the agenda, attendance, proxies, the quorum
	schedule_meeting: fn({
		p_estate_id: t.uuid,
		p_kind: t.text,
		p_title: t.text,
		p_starts_at: t.timestamptz,
		p_ends_at: t.timestamptz,
		p_place: t.text,
		p_description: t.text.opt,
		p_online_url: t.text.opt,
		p_scope_area_id: t.uuid.opt,
		p_chair_id: t.uuid.opt,
		p_recorder_id: t.uuid.opt,
		p_admission: t.text.opt,
		p_invitee_ids: t.uuids.opt,
		p_rules: t.jsonb.opt
	}).returns<{ id: string; checkin_code: string }>(),
	update_meeting: fn({
		p_meeting_id: t.uuid,
		p_kind: t.text,
		p_title: t.text,
		p_starts_at: t.timestamptz,
		p_ends_at: t.timestamptz,
		p_place: t.text,
		p_description: t.text.opt,
		p_online_url: t.text.opt,
		p_scope_area_id: t.uuid.opt,
		p_chair_id: t.uuid.opt,
		p_recorder_id: t.uuid.opt,
		p_admission: t.text.opt,
		p_invitee_ids: t.uuids.opt,
		p_rules: t.jsonb.opt
	}).returns<{ id: string; moved: boolean }>(),
	cancel_meeting: fn({ p_meeting_id: t.uuid, p_reason: t.text }).returns<{ id: string; status: string }>(),
	add_agenda_item: fn({ p_meeting_id: t.uuid, p_issue_id: t.uuid.opt, p_title: t.text.opt, p_planned_minutes: t.integer.opt }).returns<{ id: string; position: number }>(),
	reorder_agenda: fn({ p_meeting_id: t.uuid, p_item_ids: t.uuids }).returns<Id>(),
	remove_agenda_item: fn({ p_item_id: t.uuid }).returns<Id>(),
	register_for_meeting: fn({ p_meeting_id: t.uuid }).returns<Id>(),
	unregister_from_meeting: fn({ p_meeting_id: t.uuid }).returns<Id>(),
	check_in_by_code: fn({ p_meeting_id: t.uuid, p_code: t.text }).returns<Id>(),
	check_in_attendee: fn({ p_meeting_id: t.uuid, p_attendance_id: t.uuid.opt, p_user_id: t.uuid.opt, p_name: t.text.opt, p_unit_id: t.uuid.opt }).returns<Id>(),
	check_out: fn({ p_attendance_id: t.uuid }).returns<Id>(),
	record_proxy: fn({
		p_meeting_id: t.uuid,
		p_holder_id: t.uuid,
		p_letter_path: t.text,
		p_absent_user_id: t.uuid.opt,
		p_absent_name: t.text.opt,
		p_absent_unit_id: t.uuid.opt
	}).returns<Id>(),
	revoke_proxy: fn({ p_proxy_id: t.uuid }).returns<Id>(),
	meeting_quorum: fn({ p_meeting_id: t.uuid }).returns<Quorum | null>(),
	estate_meetings: fn({ p_estate_id: t.uuid }).returns<EstateMeetings>(),
	meeting_notice: fn({ p_meeting_id: t.uuid }).returns<MeetingNotice>(),
	meeting_door_list: fn({ p_meeting_id: t.uuid, p_search: t.text.opt }).returns<DoorList>(),
	proxy_letter_path: fn({ p_proxy_id: t.uuid }).returns<string | null>(),
	// The meeting room (docs/api.md "Meeting room")
	open_meeting: fn({ p_meeting_id: t.uuid }).returns<{ id: string; status: string; current_item_id: string | null }>(),
	close_meeting: fn({ p_meeting_id: t.uuid }).returns<{ id: string; status: string }>(),
	set_current_item: fn({ p_meeting_id: t.uuid, p_item_id: t.uuid }).returns<{ id: string; current_item_id: string }>(),
	hand_over_chair: fn({ p_meeting_id: t.uuid, p_user_id: t.uuid }).returns<{ id: string; chair_id: string }>(),
	move_motion: fn({ p_meeting_id: t.uuid, p_body: t.text, p_attendance_id: t.uuid.opt }).returns<{ id: string; status: string }>(),
	second_motion: fn({ p_motion_id: t.uuid, p_attendance_id: t.uuid.opt }).returns<{ id: string; status: string; seconds: number }>(),
	withdraw_motion: fn({ p_motion_id: t.uuid }).returns<{ id: string; status: string }>(),
	raise_hand: fn({ p_motion_id: t.uuid, p_stance: t.text }).returns<{ id: string; stance: string }>(),
	add_speaker: fn({ p_motion_id: t.uuid, p_attendance_id: t.uuid, p_stance: t.text }).returns<{ id: string; stance: string }>(),
	lower_hand: fn({ p_speech_id: t.uuid }).returns<{ id: string; status: string }>(),
	give_floor: fn({ p_meeting_id: t.uuid }).returns<{ id: string; attendance_id: string; stance: string; floor_at: string; ends_at: string }>(),
	end_speech: fn({ p_meeting_id: t.uuid }).returns<{ id: string; status: string }>(),
	extend_speech: fn({ p_meeting_id: t.uuid, p_seconds: t.integer }).returns<{ id: string; ends_at: string }>(),
	close_debate: fn({ p_motion_id: t.uuid, p_yes: t.integer.opt, p_no: t.integer.opt }).returns<{ id: string; status: string }>(),
	record_hands: fn({ p_motion_id: t.uuid, p_yes: t.integer, p_no: t.integer, p_abstain: t.integer, p_chair_vote: t.text.opt }).returns<
		{ id: string; status: string; yes: number; no: number; abstain: number }
	>(),
	meeting_room: fn({ p_meeting_id: t.uuid }).returns<MeetingRoom>(),
	record_resolution: fn({ p_motion_id: t.uuid, p_text: t.text }).returns<{ id: string; status: string; issue_id: string | null; issue_status: string | null }>(),
	put_to_ballot: fn({ p_motion_id: t.uuid, p_matter: t.smallint, p_closes_at: t.timestamptz }).returns<{ id: string; vote_id: string; vote_status: string }>(),
	change_meeting_rules: fn({
		p_meeting_id: t.uuid,
		p_speech_seconds: t.integer.opt,
		p_speeches_per_motion: t.integer.opt,
		p_seconds_needed: t.integer.opt,
		p_alternate_stances: t.boolean.opt,
		p_first_speakers_first: t.boolean.opt
	}).returns<Pick<MeetingRules, 'speech_seconds' | 'speeches_per_motion' | 'seconds_needed' | 'alternate_stances' | 'first_speakers_first'>>(),

	// Minutes (docs/api.md "Minutes")
	draft_minutes: fn({ p_meeting_id: t.uuid }).returns<{ meeting_id: string; paragraphs: number }>(),
	edit_minutes: fn({ p_meeting_id: t.uuid, p_paragraphs: t.texts }).returns<{ meeting_id: string; paragraphs: number }>(),
	publish_minutes: fn({ p_meeting_id: t.uuid, p_window_days: t.integer.opt }).returns<{ id: string; status: string; closes_at: string }>(),
	meeting_minutes: fn({ p_meeting_id: t.uuid }).returns<MeetingMinutes>(),

	// Live topics: the payload as the caller may see it (docs/api.md "Live topics")
	live_topic: fn({ p_topic: t.text }).returns<unknown>()
} satisfies Record<string, RpcFunction<Spec, unknown>>;

export type RpcName = keyof typeof RPC;
type SpecOf<F extends RpcName> = (typeof RPC)[F]['args'];
export type RpcArgs<F extends RpcName> = ArgsOf<SpecOf<F>>;
export type RpcResult<F extends RpcName> = (typeof RPC)[F]['__result'];

/** A typed call of the API as one caller (locals.call). */
export type RpcCall = <F extends RpcName>(name: F, ...args: keyof RpcArgs<F> extends never ? [args?: RpcArgs<F>] : [args: RpcArgs<F>]) => Promise<RpcResult<F>>;
