-- ============================================================================
-- The meeting room on the live port: topic `meeting:<id>`. Every change of
-- the room (the meeting's status or current item, a motion, a second, a hand
-- up or down, the floor given or ended, someone checking in or out) announces
-- the topic once per statement. Its payload is a signal with no personal
-- data — the meeting's status and current item, the latest step of its record,
-- how many are waiting and present, when the current speech ends — and each
-- browser, on a change, reloads the room through the page's load, as itself.
-- live_topic lets in the verified members of the estate and administrators:
-- those who may read the room.
-- ============================================================================

/**
 * The room's live signal: counts and times only. Security invoker: live_topic
 * runs it as the viewer (a member, who reads these rows), live_payload as the
 * server.
 */
create function private.meeting_signal(p_meeting_id uuid) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('status', m.status, 'current_item_id', m.current_item_id,
    'version', (select max(e.id) from public.meeting_events e where e.meeting_id = m.id),
    'waiting', (select count(*) from public.speeches s where s.meeting_id = m.id and s.status = 'waiting'),
    'speaking_ends_at', (select s.ends_at from public.speeches s where s.meeting_id = m.id and s.status = 'speaking'),
    'present', (select count(*) from public.meeting_attendance a where a.meeting_id = m.id and a.checked_in_at is not null
      and a.checked_out_at is null))
  from public.meetings m where m.id = p_meeting_id
$$;
revoke all on function private.meeting_signal(uuid) from public;
grant execute on function private.meeting_signal(uuid) to authenticated, service_role;

/** The topic's payload, for the server: now with the meeting room. */
create or replace function private.live_payload(p_topic text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_kind text := split_part(p_topic, ':', 1);
  v_id uuid;
begin
  if p_topic !~ '^[a-z_]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return null;
  end if;
  v_id := substr(p_topic, length(v_kind) + 2)::uuid;
  return case v_kind
    when 'vote' then private.vote_participation(v_id)
    when 'meeting' then private.meeting_signal(v_id)
  end;
end
$$;

/** Lets a viewer follow a topic: now also a meeting's room, for its estate's verified members and administrators. */
create or replace function public.live_topic(p_topic text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_kind text := split_part(p_topic, ':', 1);
  v_id uuid;
begin
  if p_topic is null or p_topic !~ '^[a-z_]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    perform private.fail('22023', 'errors.live_topic_unknown', 'topic');
  end if;
  v_id := substr(p_topic, length(v_kind) + 2)::uuid;
  case v_kind
    when 'vote' then return public.vote_turnout(v_id);
    when 'meeting' then
      if private.room_roles(v_id) is null then
        perform private.fail('P0002', 'errors.meeting_not_found');
      end if;
      return private.meeting_signal(v_id);
    else perform private.fail('22023', 'errors.live_topic_unknown', 'topic');
  end case;
  return null;
end
$$;

/** Announces the meetings of the rows a statement wrote (tables with a meeting_id): once per meeting. */
create function private.announce_meeting_rows() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_meeting uuid;
begin
  for v_meeting in select distinct meeting_id from changed_rows loop
    perform private.live_changed('meeting:' || v_meeting);
  end loop;
  return null;
end
$$;

/** Announces the meetings a statement changed. */
create function private.announce_meetings() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_meeting uuid;
begin
  for v_meeting in select id from changed_rows loop
    perform private.live_changed('meeting:' || v_meeting);
  end loop;
  return null;
end
$$;

/** Announces the meetings of the motions a statement seconded. */
create function private.announce_motion_seconds() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_meeting uuid;
begin
  for v_meeting in select distinct mo.meeting_id from changed_rows c join public.motions mo on mo.id = c.motion_id loop
    perform private.live_changed('meeting:' || v_meeting);
  end loop;
  return null;
end
$$;
revoke all on function private.announce_meeting_rows(), private.announce_meetings(), private.announce_motion_seconds() from public;

create trigger meetings_announce after update on public.meetings
  referencing new table as changed_rows for each statement execute function private.announce_meetings();
create trigger agenda_items_announce after update on public.agenda_items
  referencing new table as changed_rows for each statement execute function private.announce_meeting_rows();
create trigger motions_announce_insert after insert on public.motions
  referencing new table as changed_rows for each statement execute function private.announce_meeting_rows();
create trigger motions_announce_update after update on public.motions
  referencing new table as changed_rows for each statement execute function private.announce_meeting_rows();
create trigger motion_seconds_announce after insert on public.motion_seconds
  referencing new table as changed_rows for each statement execute function private.announce_motion_seconds();
create trigger speeches_announce_insert after insert on public.speeches
  referencing new table as changed_rows for each statement execute function private.announce_meeting_rows();
create trigger speeches_announce_update after update on public.speeches
  referencing new table as changed_rows for each statement execute function private.announce_meeting_rows();
create trigger meeting_attendance_announce_insert after insert on public.meeting_attendance
  referencing new table as changed_rows for each statement execute function private.announce_meeting_rows();
create trigger meeting_attendance_announce_update after update on public.meeting_attendance
  referencing new table as changed_rows for each statement execute function private.announce_meeting_rows();
