-- ============================================================================
-- The meeting room, part 6: the resolution (决议) of a motion, a ballot
-- through the votes capability for an owners' meeting, and rule changes in
-- the middle of a meeting.
--
-- * record_resolution: once a motion is decided (carried or failed by the
--   show of hands — a tie fails under the 南塘 rules — or by its ballot), the
--   chair or a moderator records the resolution's wording. Deciding while
--   people wait to speak is refused unless debate was closed (close_debate,
--   which ends debate by the meeting's own vote). When the agenda item is an
--   issue, the issue's timeline gets the meeting's decision (kind
--   meeting_decision, naming the meeting), and a motion carried by the room's
--   hands moves a deliberating issue to approved (the lifecycle's
--   meeting_carried transition, actor 'meeting'). A failed motion leaves the
--   issue deliberating: another motion, or a vote, may follow. A ballot moves
--   the issue itself, as every vote does (voting → approved / rejected).
-- * put_to_ballot (and record_hands refuses a motion on a ballot): in an owners' meeting (业主大会现场会议) a motion whose
--   debate closed may go to a ballot instead of hands: a vote of the votes
--   capability (public.open_vote, so the committee opens it, art. 278 is the
--   vote's job, and it may stay open after the meeting for owners not
--   present), linked by motions.vote_id. When the vote closes, its result
--   decides the motion (a trigger on vote_results).
-- * change_meeting_rules: the meeting changes its own limits (minutes per
--   speech, speeches per person, alternation, first-timers first, seconds
--   needed); the next queue decision takes them, a speech on the floor keeps
--   the end it was given. Every change is a step of the record.
-- ============================================================================

alter table public.motions add column resolution text check (char_length(resolution) between 1 and 500);
alter table public.motions add column resolved_at timestamptz;
alter table public.motions add constraint motions_resolution_check2 check ((resolution is null) = (resolved_at is null));

-- When the rules of procedure last changed, for the room to say so.
alter table public.meetings add column rules_changed_at timestamptz;
grant select (rules_changed_at) on public.meetings to anon, authenticated;

insert into public.issue_event_kinds (kind) values ('meeting_decision');
insert into public.issue_transitions (action, from_status, to_status, actor, needs_reason) values
  ('meeting_carried', 'deliberating', 'approved', 'meeting', false);

/**
 * Records the resolution of a decided motion: its wording, by the chair or a
 * moderator, once. Refused while the motion is still in debate (with people
 * waiting: the queue must be empty or debate closed by vote first), while its
 * hands are not counted or its ballot is open, and for a withdrawn motion.
 * The meeting may have closed since (a ballot may end after it). The issue of
 * the agenda item gets the decision on its timeline, and a motion carried by
 * hands moves it the way the lifecycle allows.
 */
create function private.record_resolution(p_motion_id uuid, p_text text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.motion_meeting(p_motion_id);
  mo public.motions;
  v_text text := trim(coalesce(p_text, ''));
  v_issue public.issues;
  v_t public.issue_transitions;
  v_to text;
begin
  select * into mo from public.motions where id = p_motion_id for update;
  perform private.require_runs_meeting(m);
  if m.status not in ('in_session', 'closed') then
    perform private.fail('22023', 'errors.meeting_not_in_session');
  end if;
  if mo.status in ('moved', 'debating') then
    perform private.fail('22023', case when exists (select 1 from public.speeches s where s.motion_id = mo.id and s.status = 'waiting')
      then 'errors.queue_not_empty' else 'errors.debate_not_closed' end);
  end if;
  if mo.status = 'voting' then
    perform private.fail('22023', case when mo.method = 'ballot' then 'errors.ballot_open' else 'errors.not_counted' end);
  end if;
  if mo.status = 'withdrawn' then
    perform private.fail('22023', 'errors.motion_not_open');
  end if;
  if mo.resolved_at is not null then
    perform private.fail('23505', 'errors.resolution_recorded', 'text');
  end if;
  if char_length(v_text) not between 1 and 500 then
    perform private.fail('22023', 'errors.resolution_invalid', 'text');
  end if;
  update public.motions set resolution = v_text, resolved_at = now() where id = mo.id;
  perform private.log_meeting_event(m.id, 'resolution_recorded', mo.agenda_item_id, mo.id,
    jsonb_build_object('status', mo.status, 'method', mo.method));

  select i.* into v_issue from public.agenda_items a join public.issues i on i.id = a.issue_id where a.id = mo.agenda_item_id;
  if v_issue.id is not null then
    perform private.lock_issues(array[v_issue.id]);
    select * into v_issue from public.issues where id = v_issue.id;
    v_to := v_issue.status;
    if mo.status = 'carried' and mo.method = 'hands' then
      select * into v_t from public.issue_transitions where action = 'meeting_carried' and from_status = v_issue.status;
      if v_t.action is not null then
        perform private.set_issue_status(v_issue.id, v_t.to_status, null);
        v_to := v_t.to_status;
      end if;
    end if;
    insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, reason, meeting_id)
    values (v_issue.id, auth.uid(), 'meeting_decision', 'meeting_' || mo.status, v_issue.status, v_to, v_text, m.id);
  end if;
  return jsonb_build_object('id', mo.id, 'status', mo.status, 'issue_id', v_issue.id, 'issue_status', v_to);
end
$$;

/**
 * Puts a motion whose debate has closed to a ballot of the votes capability,
 * in an owners' meeting whose agenda item is an issue: an owners' decision
 * (art. 278 matter p_matter) over the meeting's scope, closing at
 * p_closes_at. public.open_vote checks everything a vote needs (the caller
 * is of the committee, the matter, the closing time) and moves the issue to
 * voting. Security definer: motions have no write grant.
 */
create function private.put_to_ballot(p_motion_id uuid, p_matter smallint, p_closes_at timestamptz) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.motion_meeting(p_motion_id);
  mo public.motions;
  v_issue uuid;
  v jsonb;
begin
  select * into mo from public.motions where id = p_motion_id;
  perform private.require_runs_meeting(m);
  perform private.require_in_session(m);
  if m.kind <> 'owners' then
    perform private.fail('22023', 'errors.ballot_owners_meeting_only');
  end if;
  if mo.status in ('moved', 'debating') then
    perform private.fail('22023', 'errors.debate_not_closed');
  end if;
  if mo.status <> 'voting' or mo.method is not null then
    perform private.fail('22023', 'errors.motion_decided');
  end if;
  select a.issue_id into v_issue from public.agenda_items a where a.id = mo.agenda_item_id;
  if v_issue is null then
    perform private.fail('22023', 'errors.ballot_needs_issue');
  end if;
  v := public.open_vote(v_issue, left(mo.body, 200), 'owners', p_closes_at, m.title, p_matter, null, null, m.scope_area_id);
  update public.motions set method = 'ballot', vote_id = (v ->> 'id')::uuid where id = mo.id;
  perform private.log_meeting_event(m.id, 'ballot_opened', mo.agenda_item_id, mo.id, jsonb_build_object('vote_id', v ->> 'id'));
  return jsonb_build_object('id', mo.id, 'vote_id', v ->> 'id', 'vote_status', v ->> 'status');
end
$$;

/**
 * A closed vote decides the motions put to it: carried when it passed, else
 * failed (an invalid or tied ballot does not carry a motion), and so their
 * agenda items; a step of each meeting's record. Security definer: run by
 * the vote's closing, whoever closes it (the clock's sweep, or the committee).
 */
create function private.decide_motions_by_vote() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  mo public.motions;
  v_status text := case when new.outcome in ('passed', 'winner') then 'carried' else 'failed' end;
begin
  for mo in update public.motions set status = v_status, decided_at = now()
      where vote_id = new.vote_id and status = 'voting' returning * loop
    update public.agenda_items set outcome = v_status where id = mo.agenda_item_id;
    perform private.log_meeting_event(mo.meeting_id, 'motion_' || v_status, mo.agenda_item_id, mo.id,
      jsonb_build_object('vote_id', new.vote_id, 'outcome', new.outcome));
  end loop;
  return null;
end
$$;
create trigger vote_results_decide_motions after insert on public.vote_results
  for each row execute function private.decide_motions_by_vote();

/**
 * Changes a meeting's rules of procedure while it is scheduled or in
 * session: each argument given replaces the rule, null keeps it. The next
 * queue decision (a hand up, the floor given) follows the new rules; a
 * speech on the floor keeps its end. The record keeps the rules before and
 * after, and the meeting when they changed, for the room to say so.
 */
create function private.change_meeting_rules(p_meeting_id uuid, p_speech_seconds integer, p_speeches_per_motion integer,
  p_seconds_needed integer, p_alternate_stances boolean, p_first_speakers_first boolean) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.room_meeting(p_meeting_id);
  v_before jsonb;
  v_after jsonb;
begin
  perform private.require_runs_meeting(m);
  if m.status not in ('scheduled', 'in_session') then
    perform private.fail('22023', 'errors.meeting_not_in_session');
  end if;
  if p_speech_seconds is not null and p_speech_seconds not between 30 and 1800 then
    perform private.fail('22023', 'errors.out_of_range', 'speech_seconds');
  end if;
  if p_speeches_per_motion is not null and p_speeches_per_motion not between 1 and 10 then
    perform private.fail('22023', 'errors.out_of_range', 'speeches_per_motion');
  end if;
  if p_seconds_needed is not null and p_seconds_needed not between 0 and 10 then
    perform private.fail('22023', 'errors.out_of_range', 'seconds_needed');
  end if;
  v_before := jsonb_build_object('speech_seconds', m.speech_seconds, 'speeches_per_motion', m.speeches_per_motion,
    'seconds_needed', m.seconds_needed, 'alternate_stances', m.alternate_stances, 'first_speakers_first', m.first_speakers_first);
  v_after := jsonb_build_object('speech_seconds', coalesce(p_speech_seconds, m.speech_seconds),
    'speeches_per_motion', coalesce(p_speeches_per_motion, m.speeches_per_motion), 'seconds_needed', coalesce(p_seconds_needed, m.seconds_needed),
    'alternate_stances', coalesce(p_alternate_stances, m.alternate_stances),
    'first_speakers_first', coalesce(p_first_speakers_first, m.first_speakers_first));
  if v_after <> v_before then
    update public.meetings set speech_seconds = (v_after ->> 'speech_seconds')::integer,
      speeches_per_motion = (v_after ->> 'speeches_per_motion')::integer, seconds_needed = (v_after ->> 'seconds_needed')::integer,
      alternate_stances = (v_after ->> 'alternate_stances')::boolean, first_speakers_first = (v_after ->> 'first_speakers_first')::boolean,
      rules_changed_at = now(), updated_at = now()
    where id = m.id;
    perform private.log_meeting_event(m.id, 'rules_changed', m.current_item_id, null, jsonb_build_object('from', v_before, 'to', v_after));
  end if;
  return v_after;
end
$$;

/**
 * Records the show of hands on a motion whose debate has closed (as in
 * 20261204101300; now refused for a motion put to a ballot, which its vote
 * decides): yes, no and abstain as counted in the room, then the chair's vote (yes / no / abstain,
 * or null: the chair did not vote), counted last. The meeting's hands_rule
 * decides; the motion is carried or failed, and so is its agenda item.
 */
create or replace function private.record_hands(p_motion_id uuid, p_yes integer, p_no integer, p_abstain integer, p_chair_vote text)
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.motion_meeting(p_motion_id);
  mo public.motions;
  v_yes integer;
  v_no integer;
  v_abstain integer;
  v_status text;
begin
  select * into mo from public.motions where id = p_motion_id;
  perform private.require_runs_meeting(m);
  perform private.require_in_session(m);
  if mo.status in ('moved', 'debating') then
    perform private.fail('22023', 'errors.debate_not_closed');
  end if;
  if mo.status <> 'voting' then
    perform private.fail('22023', 'errors.motion_decided');
  end if;
  if mo.method = 'ballot' then
    perform private.fail('22023', 'errors.ballot_open');
  end if;
  if p_yes is null or p_yes not between 0 and 100000 then
    perform private.fail('22023', 'errors.count_invalid', 'yes');
  end if;
  if p_no is null or p_no not between 0 and 100000 then
    perform private.fail('22023', 'errors.count_invalid', 'no');
  end if;
  if p_abstain is null or p_abstain not between 0 and 100000 then
    perform private.fail('22023', 'errors.count_invalid', 'abstain');
  end if;
  if p_chair_vote is not null and p_chair_vote not in ('yes', 'no', 'abstain') then
    perform private.fail('22023', 'errors.invalid_choice', 'chair_vote');
  end if;
  v_yes := p_yes + case when p_chair_vote = 'yes' then 1 else 0 end;
  v_no := p_no + case when p_chair_vote = 'no' then 1 else 0 end;
  v_abstain := p_abstain + case when p_chair_vote = 'abstain' then 1 else 0 end;
  v_status := case
    when m.hands_rule = 'majority_cast' then case when v_yes * 2 > v_yes + v_no + v_abstain then 'carried' else 'failed' end
    else case when v_yes > v_no then 'carried' else 'failed' end end;
  update public.motions set status = v_status, decided_at = now(), method = 'hands', yes = v_yes, no = v_no, abstain = v_abstain
  where id = mo.id;
  update public.agenda_items set outcome = v_status where id = mo.agenda_item_id;
  perform private.log_meeting_event(m.id, 'hands_recorded', mo.agenda_item_id, mo.id,
    jsonb_build_object('yes', p_yes, 'no', p_no, 'abstain', p_abstain, 'chair_vote', p_chair_vote, 'rule', m.hands_rule));
  perform private.log_meeting_event(m.id, 'motion_' || v_status, mo.agenda_item_id, mo.id,
    jsonb_build_object('yes', v_yes, 'no', v_no, 'abstain', v_abstain));
  return jsonb_build_object('id', mo.id, 'status', v_status, 'yes', v_yes, 'no', v_no, 'abstain', v_abstain);
end
$$;

revoke all on function private.record_resolution(uuid, text), private.put_to_ballot(uuid, smallint, timestamptz),
  private.decide_motions_by_vote(), private.change_meeting_rules(uuid, integer, integer, integer, boolean, boolean) from public;
grant execute on function private.record_resolution(uuid, text), private.put_to_ballot(uuid, smallint, timestamptz),
  private.change_meeting_rules(uuid, integer, integer, integer, boolean, boolean) to authenticated, service_role;

/** Records the wording of a decided motion's resolution (the chair or a moderator, once); the issue's timeline gets the decision. */
create function public.record_resolution(p_motion_id uuid, p_text text) returns jsonb
language sql set search_path = '' as $$ select private.record_resolution(p_motion_id, p_text) $$;

/** Puts a motion whose debate closed to an owners' ballot (the votes capability), in an owners' meeting; the vote's result decides it. */
create function public.put_to_ballot(p_motion_id uuid, p_matter smallint, p_closes_at timestamptz) returns jsonb
language sql set search_path = '' as $$ select private.put_to_ballot(p_motion_id, p_matter, p_closes_at) $$;

/** Changes a meeting's rules of procedure (null keeps a rule); the next queue decision follows them. */
create function public.change_meeting_rules(p_meeting_id uuid, p_speech_seconds integer default null,
  p_speeches_per_motion integer default null, p_seconds_needed integer default null, p_alternate_stances boolean default null,
  p_first_speakers_first boolean default null) returns jsonb
language sql set search_path = '' as $$
  select private.change_meeting_rules(p_meeting_id, p_speech_seconds, p_speeches_per_motion, p_seconds_needed, p_alternate_stances,
    p_first_speakers_first)
$$;

revoke execute on function public.record_resolution(uuid, text), public.put_to_ballot(uuid, smallint, timestamptz),
  public.change_meeting_rules(uuid, integer, integer, integer, boolean, boolean) from public, anon;
grant execute on function public.record_resolution(uuid, text), public.put_to_ballot(uuid, smallint, timestamptz),
  public.change_meeting_rules(uuid, integer, integer, integer, boolean, boolean) to authenticated;
