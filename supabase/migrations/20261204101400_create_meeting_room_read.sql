-- ============================================================================
-- The meeting room, part 5: the one read behind the room's pages (moderator,
-- attendee and projector views): the meeting and its rules, the agenda, the
-- current item's motions with their seconds by name, the queue in the order
-- give_floor will take it, the speaker with the end of their time, and the
-- server's clock, so that browsers draw the timer on the server's time.
-- Verified members of the estate and administrators read it (the room's rows
-- name people); a constant number of statements, however long the queue.
-- ============================================================================

/**
 * What the caller is to a meeting they may read: its chair, one who runs it,
 * and the chair's name. Security definer: chair_id has no column grant.
 */
create function private.room_roles(p_meeting_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('is_chair', m.chair_id is not distinct from auth.uid() and auth.uid() is not null,
    'runs', private.runs_meeting(m), 'chair_id', m.chair_id,
    'chair_name', (private.people_names(m.estate_id, array[m.chair_id])) ->> m.chair_id::text)
  from public.meetings m
  where m.id = p_meeting_id and m.estate_id = any(private.readable_estates())
    and (m.estate_id = any(private.member_estates()) or private.is_admin())
$$;
revoke all on function private.room_roles(uuid) from public;
grant execute on function private.room_roles(uuid) to authenticated, service_role;

/** The meeting room as the caller sees it: see docs/api.md "Meeting room". */
create function public.meeting_room(p_meeting_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  m record;
  v_roles jsonb;
  v_names jsonb;
  -- Everyone of the meeting, read once: attendance id → { name, user_id, in_room }.
  v_people jsonb;
  v_rows jsonb;
  v_present integer;
  v_attendees jsonb;
  v_me public.meeting_attendance;
  v_debating uuid;
  v_order uuid[] := '{}';
  v_runs boolean;
begin
  select x.id, x.estate_id, x.kind, x.title, x.status, x.place, x.starts_at, x.ends_at, x.opened_at, x.closed_at, x.current_item_id,
    x.seconds_needed, x.speech_seconds, x.speeches_per_motion, x.alternate_stances, x.first_speakers_first, x.hands_rule
  into m from public.meetings x where x.id = p_meeting_id;
  if m.id is null then
    perform private.fail('P0002', 'errors.meeting_not_found');
  end if;
  v_roles := private.room_roles(m.id);
  if v_roles is null then
    perform private.fail('42501', 'errors.not_member');
  end if;
  v_runs := (v_roles ->> 'runs')::boolean;
  -- The meeting's people, read once (each row of attendance is checked by its policy).
  select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'user_id', a.user_id, 'name', a.name,
      'in_room', a.checked_in_at is not null and a.checked_out_at is null) order by a.checked_in_at, a.id), '[]')
  into v_rows from public.meeting_attendance a where a.meeting_id = m.id;
  v_names := private.people_names(m.estate_id, array(select (e ->> 'user_id')::uuid from jsonb_array_elements(v_rows) e
    where e ->> 'user_id' is not null));
  select coalesce(jsonb_object_agg(e ->> 'id', jsonb_build_object('name', coalesce(e ->> 'name', v_names ->> (e ->> 'user_id')))), '{}'),
    count(*) filter (where (e ->> 'in_room')::boolean),
    coalesce(jsonb_agg(jsonb_build_object('id', e -> 'id', 'user_id', e -> 'user_id', 'name', coalesce(e ->> 'name', v_names ->> (e ->> 'user_id'))))
      filter (where (e ->> 'in_room')::boolean), '[]')
  into v_people, v_present, v_attendees
  from jsonb_array_elements(v_rows) e;
  select * into v_me from public.meeting_attendance a where a.meeting_id = m.id and a.user_id = (select auth.uid());
  select mo.id into v_debating from public.motions mo where mo.agenda_item_id = m.current_item_id and mo.status = 'debating';
  if v_debating is not null then
    v_order := private.queue_order(v_debating, m.alternate_stances, m.first_speakers_first);
  end if;
  return jsonb_build_object(
    'server_now', now(),
    'meeting', jsonb_build_object('id', m.id, 'estate_id', m.estate_id, 'kind', m.kind, 'title', m.title, 'status', m.status,
      'place', m.place, 'starts_at', m.starts_at, 'ends_at', m.ends_at, 'opened_at', m.opened_at, 'closed_at', m.closed_at,
      'current_item_id', m.current_item_id, 'seconds_needed', m.seconds_needed, 'speech_seconds', m.speech_seconds,
      'speeches_per_motion', m.speeches_per_motion, 'alternate_stances', m.alternate_stances,
      'first_speakers_first', m.first_speakers_first, 'hands_rule', m.hands_rule, 'chair_name', v_roles ->> 'chair_name'),
    'me', jsonb_build_object('attendance_id', v_me.id,
      'in_room', v_me.checked_in_at is not null and v_me.checked_out_at is null,
      'is_chair', (v_roles ->> 'is_chair')::boolean, 'runs', v_runs,
      'waiting_speech_id', (select s.id from public.speeches s where s.meeting_id = m.id and s.attendance_id = v_me.id and s.status = 'waiting'),
      'speeches_used', (select count(*) from public.speeches s where s.motion_id = v_debating and s.attendance_id = v_me.id
        and s.status in ('speaking', 'done') and s.stance <> 'order')),
    'items', coalesce((select jsonb_agg(jsonb_build_object('id', i.id, 'position', i.position, 'title', i.title, 'status', i.status,
        'outcome', i.outcome, 'issue_id', i.issue_id, 'planned_minutes', i.planned_minutes) order by i.position)
      from public.agenda_items i where i.meeting_id = m.id), '[]'::jsonb),
    'motions', coalesce((select jsonb_agg(jsonb_build_object('id', mo.id, 'body', mo.body, 'status', mo.status,
        'mover_id', mo.mover_id, 'mover_name', v_people -> mo.mover_id::text ->> 'name',
        'mine', v_me.id is not null and mo.mover_id = v_me.id,
        'moved_at', mo.moved_at, 'debate_opened_at', mo.debate_opened_at, 'decided_at', mo.decided_at,
        'method', mo.method, 'yes', mo.yes, 'no', mo.no, 'abstain', mo.abstain,
        'seconds', coalesce((select jsonb_agg(jsonb_build_object('attendance_id', ms.attendance_id, 'name', v_people -> ms.attendance_id::text ->> 'name')
            order by ms.created_at, ms.attendance_id)
          from public.motion_seconds ms where ms.motion_id = mo.id), '[]'::jsonb),
        'seconded_by_me', exists (select 1 from public.motion_seconds ms where ms.motion_id = mo.id and ms.attendance_id = v_me.id))
        order by mo.moved_at, mo.id)
      from public.motions mo where mo.agenda_item_id = m.current_item_id), '[]'::jsonb),
    'queue', coalesce((select jsonb_agg(jsonb_build_object('id', s.id, 'attendance_id', s.attendance_id,
        'name', v_people -> s.attendance_id::text ->> 'name', 'stance', s.stance, 'queued_at', s.queued_at,
        'mine', v_me.id is not null and s.attendance_id = v_me.id,
        'first_time', not exists (select 1 from public.speeches d where d.motion_id = s.motion_id and d.attendance_id = s.attendance_id
          and d.status in ('speaking', 'done') and d.stance <> 'order')) order by o.n)
      from unnest(v_order) with ordinality o(id, n) join public.speeches s on s.id = o.id), '[]'::jsonb),
    'speaker', (select jsonb_build_object('id', s.id, 'attendance_id', s.attendance_id, 'motion_id', s.motion_id,
        'name', v_people -> s.attendance_id::text ->> 'name', 'stance', s.stance, 'floor_at', s.floor_at, 'ends_at', s.ends_at,
        'mine', v_me.id is not null and s.attendance_id = v_me.id)
      from public.speeches s where s.meeting_id = m.id and s.status = 'speaking'),
    'present', v_present,
    -- For those who run the meeting: who is in the room, to queue, move or second for them.
    'attendees', case when v_runs then v_attendees else '[]'::jsonb end);
end
$$;
revoke execute on function public.meeting_room(uuid) from public, anon;
grant execute on function public.meeting_room(uuid) to authenticated;
