-- ============================================================================
-- The meeting room, part 1: running the meeting. The chair, or a moderator of
-- the estate (moderators, the committee, administrators), opens the meeting,
-- takes the agenda item by item, hands the chair over, and closes it.
--
-- Every room function locks the meeting's row first (`for no key update`), so
-- the steps of one meeting take turns: two "give the floor" at once cannot
-- put two people on the floor, a hand raised while the floor is given is
-- either in the queue that was read or after it. Each step is a row of
-- meeting_events (private.log_meeting_event), with its time.
--
-- The room's tables (motions, motion_seconds, speeches) have no write grant:
-- every write is a private security definer function that checks who is
-- asking, called through a security invoker function of the same name in
-- schema public.
-- ============================================================================

-- What an agenda item ended with: the decision on its last decided motion.
alter table public.agenda_items add column outcome text check (outcome in ('carried', 'failed'));
grant select (outcome) on public.agenda_items to anon, authenticated;

/**
 * The meeting a room function acts on, locked for the rest of the call.
 * The caller must be able to read it (its estate's readers), and be a
 * verified member of its estate or an administrator: the room's rows name
 * people, so outsiders take no part. Security definer: it reads the meeting
 * whole (chair_id has no column grant).
 */
create function private.room_meeting(p_meeting_id uuid) returns public.meetings
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings;
begin
  perform private.require_user();
  select * into m from public.meetings
  where id = p_meeting_id and estate_id = any(private.readable_estates())
  for no key update;
  if m.id is null then
    perform private.fail('P0002', 'errors.meeting_not_found');
  end if;
  if not (m.estate_id = any(private.member_estates()) or private.is_admin()) then
    perform private.fail('42501', 'errors.not_member');
  end if;
  return m;
end
$$;

/** Whether the caller runs a meeting: its chair, or a moderator of its estate (moderator, committee, administrator). */
create function private.runs_meeting(p_meeting public.meetings) returns boolean
language sql stable security definer set search_path = '' as $$
  select p_meeting.chair_id = auth.uid() or private.moderates_estate(p_meeting.estate_id)
$$;

/** Refuses unless the caller runs the meeting. */
create function private.require_runs_meeting(p_meeting public.meetings) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.runs_meeting(p_meeting) then
    perform private.fail('42501', 'errors.not_meeting_runner');
  end if;
end
$$;

/** Refuses unless the meeting is in session. */
create function private.require_in_session(p_meeting public.meetings) returns void
language plpgsql stable set search_path = '' as $$
begin
  if p_meeting.status <> 'in_session' then
    perform private.fail('22023', 'errors.meeting_not_in_session');
  end if;
end
$$;

/**
 * Who is in the room: a checked-in attendance row of the meeting that has not
 * checked out. Null p_attendance_id: the caller's own row (refused when the
 * caller has not checked in). Security definer: attendance has no grant to
 * write, and the caller may be acting for someone without an account.
 */
create function private.in_room(p_meeting public.meetings, p_attendance_id uuid) returns public.meeting_attendance
language plpgsql stable security definer set search_path = '' as $$
declare
  a public.meeting_attendance;
begin
  if p_attendance_id is null then
    select * into a from public.meeting_attendance where meeting_id = p_meeting.id and user_id = auth.uid();
  else
    select * into a from public.meeting_attendance where meeting_id = p_meeting.id and id = p_attendance_id;
  end if;
  if a.id is null or a.checked_in_at is null or a.checked_out_at is not null then
    perform private.fail('22023', case when p_attendance_id is null then 'errors.not_checked_in' else 'errors.attendee_not_in_room' end,
      case when p_attendance_id is null then '' else 'attendance_id' end);
  end if;
  return a;
end
$$;

/**
 * Opens a scheduled meeting (in session from now), and takes its first
 * pending agenda item as the current one.
 */
create function private.open_meeting(p_meeting_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.room_meeting(p_meeting_id);
  v_item uuid;
begin
  perform private.require_runs_meeting(m);
  if m.status <> 'scheduled' then
    perform private.fail('22023', 'errors.meeting_not_scheduled');
  end if;
  select id into v_item from public.agenda_items where meeting_id = m.id and status = 'pending' order by position limit 1;
  update public.agenda_items set status = 'current', started_at = now() where id = v_item;
  update public.meetings set status = 'in_session', opened_at = now(), current_item_id = v_item, updated_at = now() where id = m.id;
  perform private.log_meeting_event(m.id, 'meeting_opened', v_item, null, '{}');
  if v_item is not null then
    perform private.log_meeting_event(m.id, 'item_started', v_item, null, '{}');
  end if;
  return jsonb_build_object('id', m.id, 'status', 'in_session', 'current_item_id', v_item);
end
$$;

/**
 * Closes a meeting in session: the current item is done, whoever speaks has
 * finished, hands still up are lowered. Undecided motions stay as they are,
 * in the record.
 */
create function private.close_meeting(p_meeting_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.room_meeting(p_meeting_id);
begin
  perform private.require_runs_meeting(m);
  perform private.require_in_session(m);
  update public.speeches set status = 'done', ended_at = now() where meeting_id = m.id and status = 'speaking';
  update public.speeches set status = 'withdrawn', ended_at = now() where meeting_id = m.id and status = 'waiting';
  update public.agenda_items set status = 'done', ended_at = now() where meeting_id = m.id and status = 'current';
  update public.meetings set status = 'closed', closed_at = now(), current_item_id = null, updated_at = now() where id = m.id;
  perform private.log_meeting_event(m.id, 'meeting_closed', m.current_item_id, null, '{}');
  return jsonb_build_object('id', m.id, 'status', 'closed');
end
$$;

/**
 * Takes an agenda item of the meeting as the current one (the previous one is
 * done, its hands still up lowered). Not while someone has the floor: the
 * speech ends first.
 */
create function private.set_current_item(p_meeting_id uuid, p_item_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.room_meeting(p_meeting_id);
  i public.agenda_items;
begin
  perform private.require_runs_meeting(m);
  perform private.require_in_session(m);
  select * into i from public.agenda_items where id = p_item_id and meeting_id = m.id;
  if i.id is null then
    perform private.fail('P0002', 'errors.agenda_item_not_found', 'item_id');
  end if;
  if i.id = m.current_item_id then
    return jsonb_build_object('id', m.id, 'current_item_id', i.id);
  end if;
  if exists (select 1 from public.speeches s where s.meeting_id = m.id and s.status = 'speaking') then
    perform private.fail('22023', 'errors.someone_speaking');
  end if;
  -- Hands up on the previous item come down: the queue is the current item's (and one waiting entry per person).
  update public.speeches set status = 'withdrawn', ended_at = now() where meeting_id = m.id and status = 'waiting';
  update public.agenda_items set status = 'done', ended_at = now() where id = m.current_item_id and status = 'current';
  update public.agenda_items set status = 'current', started_at = coalesce(started_at, now()), ended_at = null where id = i.id;
  update public.meetings set current_item_id = i.id, updated_at = now() where id = m.id;
  perform private.log_meeting_event(m.id, 'item_started', i.id, null, '{}');
  return jsonb_build_object('id', m.id, 'current_item_id', i.id);
end
$$;

/**
 * Hands the chair to a verified member of the estate (an administrator too).
 * The new chair may not have a hand up: the chair is neutral and does not
 * queue while chairing, so they lower it first.
 */
create function private.hand_over_chair(p_meeting_id uuid, p_user_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.room_meeting(p_meeting_id);
begin
  perform private.require_runs_meeting(m);
  if m.status not in ('scheduled', 'in_session') then
    perform private.fail('22023', 'errors.meeting_not_in_session');
  end if;
  if p_user_id is null or not (exists (select 1 from public.memberships ms where ms.user_id = p_user_id and ms.estate_id = m.estate_id
      and ms.status = 'verified') or exists (select 1 from public.profiles p where p.id = p_user_id and p.is_admin)) then
    perform private.fail('22023', 'errors.chair_not_member', 'user_id');
  end if;
  if exists (select 1 from public.speeches s join public.meeting_attendance a on a.id = s.attendance_id
      where s.meeting_id = m.id and s.status in ('waiting', 'speaking') and a.user_id = p_user_id) then
    perform private.fail('22023', 'errors.chair_in_queue', 'user_id');
  end if;
  update public.meetings set chair_id = p_user_id, updated_at = now() where id = m.id;
  perform private.log_meeting_event(m.id, 'chair_handed_over', m.current_item_id, null,
    jsonb_build_object('from', m.chair_id, 'to', p_user_id));
  return jsonb_build_object('id', m.id, 'chair_id', p_user_id);
end
$$;

revoke all on function private.room_meeting(uuid), private.runs_meeting(public.meetings), private.require_runs_meeting(public.meetings),
  private.require_in_session(public.meetings), private.in_room(public.meetings, uuid), private.open_meeting(uuid),
  private.close_meeting(uuid), private.set_current_item(uuid, uuid), private.hand_over_chair(uuid, uuid) from public;
grant execute on function private.open_meeting(uuid), private.close_meeting(uuid), private.set_current_item(uuid, uuid),
  private.hand_over_chair(uuid, uuid) to authenticated, service_role;

/** Opens a scheduled meeting; its first agenda item becomes the current one. The chair or a moderator of the estate. */
create function public.open_meeting(p_meeting_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.open_meeting(p_meeting_id) $$;

/** Closes a meeting in session. The chair or a moderator of the estate. */
create function public.close_meeting(p_meeting_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.close_meeting(p_meeting_id) $$;

/** Takes an agenda item as the current one. The chair or a moderator of the estate; not while someone has the floor. */
create function public.set_current_item(p_meeting_id uuid, p_item_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.set_current_item(p_meeting_id, p_item_id) $$;

/** Hands the chair to a verified member of the estate who has no hand up. The chair or a moderator of the estate. */
create function public.hand_over_chair(p_meeting_id uuid, p_user_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.hand_over_chair(p_meeting_id, p_user_id) $$;

revoke execute on function public.open_meeting(uuid), public.close_meeting(uuid), public.set_current_item(uuid, uuid),
  public.hand_over_chair(uuid, uuid) from public, anon;
grant execute on function public.open_meeting(uuid), public.close_meeting(uuid), public.set_current_item(uuid, uuid),
  public.hand_over_chair(uuid, uuid) to authenticated;
