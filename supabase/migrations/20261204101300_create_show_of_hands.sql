-- ============================================================================
-- The meeting room, part 4: closing debate and deciding by a show of hands.
-- Debate closes when nobody waits to speak, or when the meeting votes to end
-- it (罗伯特 rules: two thirds of those voting). Then the moderator enters
-- the hands as counts, yes, then no, then abstain, and the chair's own vote
-- last; the meeting's hands_rule decides: more_yes (the 南塘 default: more
-- yes than no, a tie fails) or majority_cast (yes more than half of all who
-- voted, abstentions included). The motion is carried or failed, and the
-- agenda item has that outcome.
-- ============================================================================

/**
 * Closes debate on a motion: with nobody waiting, or, when hands are still
 * up, by the meeting's vote to end debate (p_yes, p_no: two thirds of those
 * voting). Nobody may have the floor. The hands still up come down.
 */
create function private.close_debate(p_motion_id uuid, p_yes integer, p_no integer) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.motion_meeting(p_motion_id);
  mo public.motions;
  v_waiting integer;
begin
  select * into mo from public.motions where id = p_motion_id;
  perform private.require_runs_meeting(m);
  perform private.require_in_session(m);
  if mo.status <> 'debating' then
    perform private.fail('22023', 'errors.motion_not_in_debate');
  end if;
  if exists (select 1 from public.speeches s where s.meeting_id = m.id and s.status = 'speaking') then
    perform private.fail('22023', 'errors.someone_speaking');
  end if;
  select count(*) into v_waiting from public.speeches s where s.motion_id = mo.id and s.status = 'waiting';
  if p_yes is not null or p_no is not null then
    if p_yes is null or p_no is null or p_yes < 0 or p_no < 0 or p_yes > 100000 or p_no > 100000 then
      perform private.fail('22023', 'errors.count_invalid', case when p_yes is null or p_yes < 0 or p_yes > 100000 then 'yes' else 'no' end);
    end if;
    if p_yes + p_no = 0 or p_yes * 3 < (p_yes + p_no) * 2 then
      perform private.fail('22023', 'errors.end_debate_not_carried', 'yes');
    end if;
  elsif v_waiting > 0 then
    perform private.fail('22023', 'errors.queue_not_empty');
  end if;
  update public.speeches set status = 'withdrawn', ended_at = now() where motion_id = mo.id and status = 'waiting';
  update public.motions set status = 'voting', debate_closed_at = now() where id = mo.id;
  perform private.log_meeting_event(m.id, 'debate_closed', mo.agenda_item_id, mo.id,
    jsonb_build_object('by_vote', p_yes is not null, 'yes', p_yes, 'no', p_no, 'waiting', v_waiting));
  return jsonb_build_object('id', mo.id, 'status', 'voting');
end
$$;

/**
 * Records the show of hands on a motion whose debate has closed: yes, no and
 * abstain as counted in the room, then the chair's vote (yes / no / abstain,
 * or null: the chair did not vote), counted last. The meeting's hands_rule
 * decides; the motion is carried or failed, and so is its agenda item.
 */
create function private.record_hands(p_motion_id uuid, p_yes integer, p_no integer, p_abstain integer, p_chair_vote text)
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

revoke all on function private.close_debate(uuid, integer, integer), private.record_hands(uuid, integer, integer, integer, text) from public;
grant execute on function private.close_debate(uuid, integer, integer), private.record_hands(uuid, integer, integer, integer, text)
  to authenticated, service_role;

/** Closes debate: with nobody waiting, or by the meeting's vote to end it (two thirds of p_yes + p_no). The chair or a moderator. */
create function public.close_debate(p_motion_id uuid, p_yes integer default null, p_no integer default null) returns jsonb
language sql set search_path = '' as $$ select private.close_debate(p_motion_id, p_yes, p_no) $$;

/** Records a show of hands (yes, no, abstain, then the chair's vote) on a motion whose debate closed; the meeting's rule decides. */
create function public.record_hands(p_motion_id uuid, p_yes integer, p_no integer, p_abstain integer, p_chair_vote text default null)
returns jsonb
language sql set search_path = '' as $$ select private.record_hands(p_motion_id, p_yes, p_no, p_abstain, p_chair_vote) $$;

revoke execute on function public.close_debate(uuid, integer, integer), public.record_hands(uuid, integer, integer, integer, text)
  from public, anon;
grant execute on function public.close_debate(uuid, integer, integer), public.record_hands(uuid, integer, integer, integer, text)
  to authenticated;
