-- ============================================================================
-- The meeting room's one read, again (it is the page behind every browser in
-- the room, read again by each of them on every change): now with the live
-- quorum bar, the resolution of each motion and its ballot, and when the
-- rules last changed; and in fewer statements. The earlier read took each
-- table several times (a correlated subquery per queue entry for "first
-- time", two per motion for its seconds, one per field of the caller), and
-- every one of those statements asked row level security who the caller is
-- again (private.room_meetings() once per table of each statement). Now each
-- table is read once: attendance with the names, the current item's motions
-- with their seconds, the meeting's speeches; the queue and "first time" are
-- assembled from what was read, without reading the tables again.
--
-- A proxy recorded or revoked changes the quorum: it now announces the
-- meeting's topic too, as a check-in does.
-- ============================================================================

/** The meeting room as the caller sees it: see docs/api.md "Meeting room". */
create or replace function public.meeting_room(p_meeting_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  m record;
  v_roles jsonb;
  v_runs boolean;
  -- attendance id → the name shown; the caller's own row; who is in the room.
  v_people jsonb;
  v_present integer;
  v_attendees jsonb;
  v_me_id uuid;
  v_me_in boolean;
  v_motions jsonb;
  v_debating uuid;
  -- From the meeting's speeches, read once: attendance id → speeches given on the motion in debate;
  -- the waiting ones by id; the speaker; the caller's waiting hand.
  v_spoken jsonb;
  v_waiting jsonb;
  v_speaker jsonb;
  v_my_wait uuid;
  v_order uuid[] := '{}';
  v_queue jsonb;
  v_items jsonb;
begin
  select x.id, x.estate_id, x.kind, x.title, x.status, x.place, x.starts_at, x.ends_at, x.opened_at, x.closed_at, x.current_item_id,
    x.seconds_needed, x.speech_seconds, x.speeches_per_motion, x.alternate_stances, x.first_speakers_first, x.hands_rule, x.rules_changed_at
  into m from public.meetings x where x.id = p_meeting_id;
  if m.id is null then
    perform private.fail('P0002', 'errors.meeting_not_found');
  end if;
  v_roles := private.room_roles(m.id);
  if v_roles is null then
    perform private.fail('42501', 'errors.not_member');
  end if;
  v_runs := (v_roles ->> 'runs')::boolean;

  -- The meeting's people with their names, read once (each row of attendance is checked by its policy).
  with a as (
    select a.id, a.user_id, a.name, a.checked_in_at, a.checked_in_at is not null and a.checked_out_at is null as in_room
    from public.meeting_attendance a where a.meeting_id = m.id
  ), n as (
    select private.people_names(m.estate_id, array(select a.user_id from a where a.user_id is not null)) as names
  ), p as (
    select a.*, coalesce(a.name, n.names ->> a.user_id::text) as shown from a cross join n
  )
  select coalesce(jsonb_object_agg(p.id, p.shown), '{}'), count(*) filter (where p.in_room),
    coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'user_id', p.user_id, 'name', p.shown) order by p.checked_in_at, p.id)
      filter (where p.in_room), '[]'),
    (array_agg(p.id) filter (where p.user_id = v_uid))[1], coalesce(bool_or(p.in_room) filter (where p.user_id = v_uid), false)
  into v_people, v_present, v_attendees, v_me_id, v_me_in
  from p;

  -- The current item's motions with their seconds by name, in one statement.
  select coalesce(jsonb_agg(jsonb_build_object('id', mo.id, 'body', mo.body, 'status', mo.status,
      'mover_id', mo.mover_id, 'mover_name', v_people ->> mo.mover_id::text,
      'mine', v_me_id is not null and mo.mover_id = v_me_id,
      'moved_at', mo.moved_at, 'debate_opened_at', mo.debate_opened_at, 'decided_at', mo.decided_at,
      'method', mo.method, 'yes', mo.yes, 'no', mo.no, 'abstain', mo.abstain, 'vote_id', mo.vote_id,
      'resolution', mo.resolution, 'resolved_at', mo.resolved_at,
      'seconds', coalesce(s.seconds, '[]'::jsonb), 'seconded_by_me', coalesce(s.mine, false)) order by mo.moved_at, mo.id), '[]'),
    (array_agg(mo.id) filter (where mo.status = 'debating'))[1]
  into v_motions, v_debating
  from public.motions mo
  left join (
    select ms.motion_id, jsonb_agg(jsonb_build_object('attendance_id', ms.attendance_id, 'name', v_people ->> ms.attendance_id::text)
        order by ms.created_at, ms.attendance_id) as seconds,
      bool_or(ms.attendance_id = v_me_id) as mine
    from public.motion_seconds ms join public.motions sm on sm.id = ms.motion_id
    where sm.agenda_item_id = m.current_item_id group by ms.motion_id
  ) s on s.motion_id = mo.id
  where mo.agenda_item_id = m.current_item_id;

  -- The meeting's speeches that matter now, read once: the speaker, the hands up, and what each person said on the motion in debate.
  with sp as (
    select s.id, s.motion_id, s.attendance_id, s.stance, s.status, s.queued_at, s.floor_at, s.ends_at
    from public.speeches s
    where s.meeting_id = m.id and (s.status in ('waiting', 'speaking') or s.motion_id = v_debating)
  )
  select
    (select coalesce(jsonb_object_agg(x.attendance_id, x.n), '{}') from (select sp.attendance_id, count(*) as n from sp
      where sp.motion_id = v_debating and sp.status in ('speaking', 'done') and sp.stance <> 'order' group by sp.attendance_id) x),
    (select coalesce(jsonb_object_agg(sp.id, jsonb_build_object('attendance_id', sp.attendance_id, 'stance', sp.stance, 'queued_at', sp.queued_at)), '{}')
      from sp where sp.status = 'waiting' and sp.motion_id = v_debating),
    (select jsonb_build_object('id', sp.id, 'attendance_id', sp.attendance_id, 'motion_id', sp.motion_id,
        'name', v_people ->> sp.attendance_id::text, 'stance', sp.stance, 'floor_at', sp.floor_at, 'ends_at', sp.ends_at,
        'mine', v_me_id is not null and sp.attendance_id = v_me_id)
      from sp where sp.status = 'speaking'),
    (select sp.id from sp where sp.status = 'waiting' and sp.attendance_id = v_me_id)
  into v_spoken, v_waiting, v_speaker, v_my_wait;

  if v_debating is not null then
    v_order := private.queue_order(v_debating, m.alternate_stances, m.first_speakers_first);
  end if;
  -- The queue in the order the chair will take it, from what was read above (no table read).
  select coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'attendance_id', w ->> 'attendance_id',
      'name', v_people ->> (w ->> 'attendance_id'), 'stance', w ->> 'stance', 'queued_at', w -> 'queued_at',
      'mine', v_me_id is not null and (w ->> 'attendance_id')::uuid = v_me_id,
      'first_time', not (v_spoken ? (w ->> 'attendance_id'))) order by o.n), '[]')
  into v_queue
  from unnest(v_order) with ordinality o(id, n) cross join lateral (select v_waiting -> o.id::text as w) x
  where w is not null;

  select coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'position', i.position, 'title', i.title, 'status', i.status,
      'outcome', i.outcome, 'issue_id', i.issue_id, 'planned_minutes', i.planned_minutes) order by i.position), '[]')
  into v_items from public.agenda_items i where i.meeting_id = m.id;

  return jsonb_build_object(
    'server_now', now(),
    'meeting', jsonb_build_object('id', m.id, 'estate_id', m.estate_id, 'kind', m.kind, 'title', m.title, 'status', m.status,
      'place', m.place, 'starts_at', m.starts_at, 'ends_at', m.ends_at, 'opened_at', m.opened_at, 'closed_at', m.closed_at,
      'current_item_id', m.current_item_id, 'seconds_needed', m.seconds_needed, 'speech_seconds', m.speech_seconds,
      'speeches_per_motion', m.speeches_per_motion, 'alternate_stances', m.alternate_stances,
      'first_speakers_first', m.first_speakers_first, 'hands_rule', m.hands_rule, 'chair_name', v_roles ->> 'chair_name',
      'rules_changed_at', m.rules_changed_at),
    'me', jsonb_build_object('attendance_id', v_me_id, 'in_room', v_me_in,
      'is_chair', (v_roles ->> 'is_chair')::boolean, 'runs', v_runs,
      'waiting_speech_id', v_my_wait,
      'speeches_used', coalesce((v_spoken ->> v_me_id::text)::integer, 0)),
    'items', v_items,
    'motions', v_motions,
    'queue', v_queue,
    'speaker', v_speaker,
    'present', v_present,
    -- The live quorum bar: counts for the kind of meeting, proxies of present holders included.
    'quorum', private.meeting_quorum(m.id),
    -- For those who run the meeting: who is in the room, to queue, move or second for them.
    'attendees', case when v_runs then v_attendees else '[]'::jsonb end);
end
$$;

create trigger meeting_proxies_announce_insert after insert on public.meeting_proxies
  referencing new table as changed_rows for each statement execute function private.announce_meeting_rows();
create trigger meeting_proxies_announce_update after update on public.meeting_proxies
  referencing new table as changed_rows for each statement execute function private.announce_meeting_rows();
