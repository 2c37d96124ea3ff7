-- ============================================================================
-- The meeting room, part 2: motions (动议) and seconds (附议). Someone in the
-- room moves a specific, actionable proposal on the current agenda item (or
-- a moderator moves it for someone in the room without a phone); it needs
-- the meeting's seconds_needed seconds, by name, from others in the room
-- (the mover's own does not count) before debate opens. The mover may
-- withdraw it until the vote.
--
-- One motion at a time per agenda item is open (moved, in debate or being
-- voted on): a unique index, so two motions moved at once → one.
-- ============================================================================

create unique index motions_open_idx on public.motions (agenda_item_id) where status in ('moved', 'debating', 'voting');

/**
 * Moves a motion on the meeting's current item: by the caller, who is in the
 * room, or (p_attendance_id) by a moderator for someone in the room. With no
 * seconds needed, debate opens at once.
 */
create function private.move_motion(p_meeting_id uuid, p_body text, p_attendance_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.room_meeting(p_meeting_id);
  a public.meeting_attendance;
  v_body text := trim(coalesce(p_body, ''));
  v_id uuid;
  v_status text;
begin
  perform private.require_in_session(m);
  if p_attendance_id is not null then
    perform private.require_runs_meeting(m);
  end if;
  a := private.in_room(m, p_attendance_id);
  if m.current_item_id is null then
    perform private.fail('22023', 'errors.no_current_item');
  end if;
  if char_length(v_body) not between 1 and 1000 then
    perform private.fail('22023', 'errors.motion_body_invalid', 'body');
  end if;
  v_status := case when m.seconds_needed = 0 then 'debating' else 'moved' end;
  begin
    insert into public.motions (meeting_id, agenda_item_id, mover_id, body, status, debate_opened_at)
    values (m.id, m.current_item_id, a.id, v_body, v_status, case when v_status = 'debating' then now() end)
    returning id into v_id;
  exception when unique_violation then
    perform private.fail('23505', 'errors.motion_pending', 'body');
  end;
  perform private.log_meeting_event(m.id, 'motion_moved', m.current_item_id, v_id, jsonb_build_object('mover', a.id));
  if v_status = 'debating' then
    perform private.log_meeting_event(m.id, 'debate_opened', m.current_item_id, v_id, '{}');
  end if;
  return jsonb_build_object('id', v_id, 'status', v_status);
end
$$;

/** The meeting of a motion, locked and checked as every room function takes it (the meeting first, then its rows). */
create function private.motion_meeting(p_motion_id uuid) returns public.meetings
language plpgsql security definer set search_path = '' as $$
declare
  v_meeting uuid;
begin
  select meeting_id into v_meeting from public.motions where id = p_motion_id;
  if v_meeting is null then
    perform private.fail('P0002', 'errors.motion_not_found');
  end if;
  return private.room_meeting(v_meeting);
end
$$;

/**
 * Seconds a motion, by name: the caller (in the room), or a moderator for
 * someone in the room. The mover's own second is refused; a second twice is
 * refused. When the seconds reach the meeting's seconds_needed, debate opens.
 */
create function private.second_motion(p_motion_id uuid, p_attendance_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.motion_meeting(p_motion_id);
  mo public.motions;
  a public.meeting_attendance;
  v_count integer;
begin
  select * into mo from public.motions where id = p_motion_id;
  perform private.require_in_session(m);
  if p_attendance_id is not null then
    perform private.require_runs_meeting(m);
  end if;
  a := private.in_room(m, p_attendance_id);
  if mo.status not in ('moved', 'debating') then
    perform private.fail('22023', 'errors.motion_not_open');
  end if;
  if a.id = mo.mover_id then
    perform private.fail('22023', 'errors.second_own_motion');
  end if;
  begin
    insert into public.motion_seconds (motion_id, attendance_id) values (mo.id, a.id);
  exception when unique_violation then
    perform private.fail('23505', 'errors.already_seconded');
  end;
  perform private.log_meeting_event(m.id, 'motion_seconded', mo.agenda_item_id, mo.id, jsonb_build_object('by', a.id));
  select count(*) into v_count from public.motion_seconds s where s.motion_id = mo.id and s.attendance_id <> mo.mover_id;
  if mo.status = 'moved' and v_count >= m.seconds_needed then
    update public.motions set status = 'debating', debate_opened_at = now() where id = mo.id;
    perform private.log_meeting_event(m.id, 'debate_opened', mo.agenda_item_id, mo.id, '{}');
    return jsonb_build_object('id', mo.id, 'status', 'debating', 'seconds', v_count);
  end if;
  return jsonb_build_object('id', mo.id, 'status', mo.status, 'seconds', v_count);
end
$$;

/**
 * The mover withdraws their motion before the vote (a moderator may, for a
 * mover without a phone). Hands up on it are lowered; a speech on it ends.
 */
create function private.withdraw_motion(p_motion_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.motion_meeting(p_motion_id);
  mo public.motions;
begin
  select * into mo from public.motions where id = p_motion_id;
  perform private.require_in_session(m);
  if not (exists (select 1 from public.meeting_attendance a where a.id = mo.mover_id and a.user_id = auth.uid())
      or private.runs_meeting(m)) then
    perform private.fail('42501', 'errors.not_mover');
  end if;
  if mo.status not in ('moved', 'debating') then
    perform private.fail('22023', 'errors.motion_not_open');
  end if;
  update public.speeches set status = 'done', ended_at = now() where motion_id = mo.id and status = 'speaking';
  update public.speeches set status = 'withdrawn', ended_at = now() where motion_id = mo.id and status = 'waiting';
  update public.motions set status = 'withdrawn', decided_at = now() where id = mo.id;
  perform private.log_meeting_event(m.id, 'motion_withdrawn', mo.agenda_item_id, mo.id, '{}');
  return jsonb_build_object('id', mo.id, 'status', 'withdrawn');
end
$$;

revoke all on function private.move_motion(uuid, text, uuid), private.motion_meeting(uuid), private.second_motion(uuid, uuid),
  private.withdraw_motion(uuid) from public;
grant execute on function private.move_motion(uuid, text, uuid), private.second_motion(uuid, uuid), private.withdraw_motion(uuid)
  to authenticated, service_role;

/** Moves a motion on the current agenda item: someone in the room, or a moderator for someone in the room (p_attendance_id). */
create function public.move_motion(p_meeting_id uuid, p_body text, p_attendance_id uuid default null) returns jsonb
language sql set search_path = '' as $$ select private.move_motion(p_meeting_id, p_body, p_attendance_id) $$;

/** Seconds a motion by name (not the mover's own): someone in the room, or a moderator for someone in the room. */
create function public.second_motion(p_motion_id uuid, p_attendance_id uuid default null) returns jsonb
language sql set search_path = '' as $$ select private.second_motion(p_motion_id, p_attendance_id) $$;

/** The mover (or a moderator) withdraws a motion before the vote. */
create function public.withdraw_motion(p_motion_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.withdraw_motion(p_motion_id) $$;

revoke execute on function public.move_motion(uuid, text, uuid), public.second_motion(uuid, uuid), public.withdraw_motion(uuid)
  from public, anon;
grant execute on function public.move_motion(uuid, text, uuid), public.second_motion(uuid, uuid), public.withdraw_motion(uuid)
  to authenticated;
