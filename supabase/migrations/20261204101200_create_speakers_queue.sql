-- ============================================================================
-- The meeting room, part 3: the speakers' queue, with the 南塘 rules enforced
-- here, each by the meeting's own settings:
--   * a hand goes up with its stance first: for / against / question, or
--     order (a point of order, 程序问题), which goes to the front;
--   * one waiting entry per person (a unique index), at most
--     speeches_per_motion speeches per person per motion (points of order
--     are not speeches on the motion and do not count);
--   * the chair does not queue while chairing (the chair is handed over first);
--   * the chair gives the floor to the next speaker as the rules order them:
--     a point of order first; then, with first_speakers_first, someone who
--     has not spoken on the motion before someone's next speech; then, with
--     alternate_stances and both for and against waiting, the stance opposite
--     to the last for-or-against speech; else in the order hands went up;
--   * a speech ends at floor + speech_seconds: the end time is stored, the
--     browsers draw the timer.
-- The meeting's row lock (private.room_meeting) orders every step, so two
-- "give the floor" at once cannot put two people on the floor (and the unique
-- index on the speaking speech would stop it anyway).
-- ============================================================================

/**
 * The waiting speeches of a motion in the order the chair will give them the
 * floor, as the rules above take them one after another (the last stance
 * changes as each is taken, so the order is walked, not sorted once): points
 * of order first, then the first-time speakers, then the others; within each,
 * the heads of the for, against and other lines in the order hands went up,
 * the opposite of the last stance first while both for and against wait.
 * Linear in the queue's length. Security invoker: the room functions call it
 * as the meeting's runner, meeting_room as a member who reads the queue
 * under row level security.
 */
create function private.queue_order(p_motion_id uuid, p_alternate boolean, p_first_first boolean) returns uuid[]
language plpgsql stable set search_path = '' as $$
declare
  v_ids uuid[];
  v_stances text[];
  v_times timestamptz[];
  v_tiers integer[];
  v_out uuid[];
  v_last text;
  -- For and against still waiting, in every tier: alternation applies while both are above zero.
  v_for integer;
  v_against integer;
  f uuid[]; f_at timestamptz[]; a uuid[]; a_at timestamptz[]; o uuid[]; o_at timestamptz[];
  pf integer; pa integer; po integer;
  v_pick text;
  v_at timestamptz;
  v_id uuid;
begin
  -- Each waiting speech in the order hands went up, with its tier: 0 a point of order, 1 a first-time
  -- speaker on the motion, 2 the others.
  select coalesce(array_agg(q.id order by q.queued_at, q.id), '{}'), coalesce(array_agg(q.stance order by q.queued_at, q.id), '{}'),
    coalesce(array_agg(q.queued_at order by q.queued_at, q.id), '{}'), coalesce(array_agg(q.tier order by q.queued_at, q.id), '{}')
  into v_ids, v_stances, v_times, v_tiers
  from (select s.id, s.stance, s.queued_at,
      case when s.stance = 'order' then 0
        when p_first_first and exists (select 1 from public.speeches d where d.motion_id = s.motion_id and d.attendance_id = s.attendance_id
          and d.status in ('speaking', 'done') and d.stance <> 'order') then 2
        else 1 end as tier
    from public.speeches s where s.motion_id = p_motion_id and s.status = 'waiting') q;
  v_out := '{}';
  v_for := 0;
  v_against := 0;
  for i in 1 .. cardinality(v_ids) loop
    if v_tiers[i] = 0 then
      v_out := v_out || v_ids[i];
    elsif v_stances[i] = 'for' then
      v_for := v_for + 1;
    elsif v_stances[i] = 'against' then
      v_against := v_against + 1;
    end if;
  end loop;
  select d.stance into v_last from public.speeches d
  where d.motion_id = p_motion_id and d.status in ('speaking', 'done') and d.stance in ('for', 'against')
  order by d.floor_at desc, d.id desc limit 1;
  for v_tier in 1 .. 2 loop
    f := '{}'; f_at := '{}'; a := '{}'; a_at := '{}'; o := '{}'; o_at := '{}';
    for i in 1 .. cardinality(v_ids) loop
      continue when v_tiers[i] <> v_tier;
      if v_stances[i] = 'for' then
        f := f || v_ids[i]; f_at := f_at || v_times[i];
      elsif v_stances[i] = 'against' then
        a := a || v_ids[i]; a_at := a_at || v_times[i];
      else
        o := o || v_ids[i]; o_at := o_at || v_times[i];
      end if;
    end loop;
    pf := 1; pa := 1; po := 1;
    while pf <= cardinality(f) or pa <= cardinality(a) or po <= cardinality(o) loop
      v_pick := null;
      if p_alternate and v_last is not null and v_for > 0 and v_against > 0 then
        if v_last = 'for' and pa <= cardinality(a) then
          v_pick := 'a';
        elsif v_last = 'against' and pf <= cardinality(f) then
          v_pick := 'f';
        end if;
      end if;
      if v_pick is null then
        -- The earliest hand among the lines' heads.
        if pf <= cardinality(f) then
          v_pick := 'f'; v_at := f_at[pf]; v_id := f[pf];
        end if;
        if pa <= cardinality(a) and (v_pick is null or (a_at[pa], a[pa]) < (v_at, v_id)) then
          v_pick := 'a'; v_at := a_at[pa]; v_id := a[pa];
        end if;
        if po <= cardinality(o) and (v_pick is null or (o_at[po], o[po]) < (v_at, v_id)) then
          v_pick := 'o';
        end if;
      end if;
      if v_pick = 'f' then
        v_out := v_out || f[pf]; pf := pf + 1; v_for := v_for - 1; v_last := 'for';
      elsif v_pick = 'a' then
        v_out := v_out || a[pa]; pa := pa + 1; v_against := v_against - 1; v_last := 'against';
      else
        v_out := v_out || o[po]; po := po + 1;
      end if;
    end loop;
  end loop;
  return v_out;
end
$$;

/**
 * Puts someone in the room in the queue of a motion in debate, with their
 * stance, under the rules above. Security definer: speeches have no insert
 * grant; the callers checked who is asking.
 */
create function private.queue_speaker(p_meeting public.meetings, p_motion public.motions, p_attendance public.meeting_attendance,
  p_stance text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid;
  v_spoken integer;
begin
  perform private.require_in_session(p_meeting);
  if p_stance is null or p_stance not in ('for', 'against', 'question', 'order') then
    perform private.fail('22023', 'errors.stance_invalid', 'stance');
  end if;
  if p_motion.id is null or p_motion.meeting_id <> p_meeting.id then
    perform private.fail('P0002', 'errors.motion_not_found');
  end if;
  if p_motion.status <> 'debating' then
    perform private.fail('22023', 'errors.motion_not_in_debate');
  end if;
  if p_attendance.user_id is not null and p_attendance.user_id = p_meeting.chair_id then
    perform private.fail('22023', 'errors.chair_cannot_queue');
  end if;
  if exists (select 1 from public.speeches s where s.meeting_id = p_meeting.id and s.attendance_id = p_attendance.id and s.status = 'waiting') then
    perform private.fail('23505', 'errors.already_in_queue');
  end if;
  if p_stance <> 'order' then
    select count(*) into v_spoken from public.speeches s
    where s.motion_id = p_motion.id and s.attendance_id = p_attendance.id and s.status in ('speaking', 'done') and s.stance <> 'order';
    if v_spoken >= p_meeting.speeches_per_motion then
      perform private.fail('22023', 'errors.speech_limit_reached', 'stance');
    end if;
  end if;
  begin
    insert into public.speeches (meeting_id, motion_id, attendance_id, stance, queued_by)
    values (p_meeting.id, p_motion.id, p_attendance.id, p_stance, auth.uid()) returning id into v_id;
  exception when unique_violation then
    perform private.fail('23505', 'errors.already_in_queue');
  end;
  perform private.log_meeting_event(p_meeting.id, 'hand_raised', p_motion.agenda_item_id, p_motion.id,
    jsonb_build_object('speech', v_id, 'attendance', p_attendance.id, 'stance', p_stance));
  return jsonb_build_object('id', v_id, 'stance', p_stance);
end
$$;

/** The caller, in the room, raises a hand on a motion in debate, stance first. */
create function private.raise_hand(p_motion_id uuid, p_stance text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.motion_meeting(p_motion_id);
  mo public.motions;
begin
  select * into mo from public.motions where id = p_motion_id;
  return private.queue_speaker(m, mo, private.in_room(m, null), p_stance);
end
$$;

/** A moderator puts someone in the room (a member, or someone without an account) in the queue. */
create function private.add_speaker(p_motion_id uuid, p_attendance_id uuid, p_stance text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.motion_meeting(p_motion_id);
  mo public.motions;
begin
  perform private.require_runs_meeting(m);
  if p_attendance_id is null then
    perform private.fail('22023', 'errors.attendee_not_in_room', 'attendance_id');
  end if;
  select * into mo from public.motions where id = p_motion_id;
  return private.queue_speaker(m, mo, private.in_room(m, p_attendance_id), p_stance);
end
$$;

/** A waiting hand comes down: by its person, or by the meeting's runner. */
create function private.lower_hand(p_speech_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_meeting uuid := (select s.meeting_id from public.speeches s where s.id = p_speech_id);
  m public.meetings;
  s public.speeches;
begin
  if v_meeting is null then
    perform private.fail('P0002', 'errors.speech_not_found');
  end if;
  m := private.room_meeting(v_meeting);
  select * into s from public.speeches where id = p_speech_id;
  if not (exists (select 1 from public.meeting_attendance a where a.id = s.attendance_id and a.user_id = auth.uid())
      or private.runs_meeting(m)) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if s.status <> 'waiting' then
    perform private.fail('22023', 'errors.speech_not_waiting');
  end if;
  update public.speeches set status = 'withdrawn', ended_at = now() where id = s.id;
  perform private.log_meeting_event(m.id, 'hand_lowered', null, s.motion_id, jsonb_build_object('speech', s.id));
  return jsonb_build_object('id', s.id, 'status', 'withdrawn');
end
$$;

/** The motion in debate on the meeting's current item, if any. */
create function private.debating_motion(p_meeting public.meetings) returns public.motions
language sql stable security definer set search_path = '' as $$
  select * from public.motions mo
  where mo.agenda_item_id = p_meeting.current_item_id and mo.status = 'debating'
$$;

/**
 * The chair (or a moderator) gives the floor to the next speaker on the
 * motion in debate, as the rules order them; the speech ends at now +
 * speech_seconds. Refused while someone has the floor, or with nobody waiting.
 */
create function private.give_floor(p_meeting_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.room_meeting(p_meeting_id);
  mo public.motions;
  v_next uuid;
  s public.speeches;
begin
  perform private.require_runs_meeting(m);
  perform private.require_in_session(m);
  mo := private.debating_motion(m);
  if mo.id is null then
    perform private.fail('22023', 'errors.no_motion_in_debate');
  end if;
  if exists (select 1 from public.speeches x where x.meeting_id = m.id and x.status = 'speaking') then
    perform private.fail('22023', 'errors.someone_speaking');
  end if;
  v_next := (private.queue_order(mo.id, m.alternate_stances, m.first_speakers_first))[1];
  if v_next is null then
    perform private.fail('22023', 'errors.queue_empty');
  end if;
  update public.speeches set status = 'speaking', floor_at = now(), ends_at = now() + make_interval(secs => m.speech_seconds)
  where id = v_next returning * into s;
  perform private.log_meeting_event(m.id, 'floor_given', mo.agenda_item_id, mo.id,
    jsonb_build_object('speech', s.id, 'attendance', s.attendance_id, 'stance', s.stance));
  return jsonb_build_object('id', s.id, 'attendance_id', s.attendance_id, 'stance', s.stance, 'floor_at', s.floor_at, 'ends_at', s.ends_at);
end
$$;

/** The speech on the floor ends: by the chair (or a moderator), or by the speaker. */
create function private.end_speech(p_meeting_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.room_meeting(p_meeting_id);
  s public.speeches;
begin
  select * into s from public.speeches where meeting_id = m.id and status = 'speaking';
  if s.id is null then
    perform private.fail('22023', 'errors.nobody_speaking');
  end if;
  if not (private.runs_meeting(m) or exists (select 1 from public.meeting_attendance a where a.id = s.attendance_id and a.user_id = auth.uid())) then
    perform private.fail('42501', 'errors.not_meeting_runner');
  end if;
  update public.speeches set status = 'done', ended_at = now() where id = s.id;
  perform private.log_meeting_event(m.id, 'speech_ended', null, s.motion_id,
    jsonb_build_object('speech', s.id, 'seconds', round(extract(epoch from now() - s.floor_at))::integer,
      'overtime', now() > s.ends_at));
  return jsonb_build_object('id', s.id, 'status', 'done');
end
$$;

/**
 * The chair (or a moderator) gives the speaker more time: the speech's end
 * moves p_seconds (10 up to the meeting's speech_seconds, each time) past
 * its end, or past now when the time is already up. Without it, a speech
 * past its end is shown as overtime and recorded so when it ends.
 */
create function private.extend_speech(p_meeting_id uuid, p_seconds integer) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.room_meeting(p_meeting_id);
  s public.speeches;
begin
  perform private.require_runs_meeting(m);
  perform private.require_in_session(m);
  if p_seconds is null or p_seconds < 10 or p_seconds > m.speech_seconds then
    perform private.fail('22023', 'errors.extension_invalid', 'seconds');
  end if;
  update public.speeches set ends_at = greatest(ends_at, now()) + make_interval(secs => p_seconds)
  where meeting_id = m.id and status = 'speaking' returning * into s;
  if s.id is null then
    perform private.fail('22023', 'errors.nobody_speaking');
  end if;
  perform private.log_meeting_event(m.id, 'speech_extended', null, s.motion_id, jsonb_build_object('speech', s.id, 'seconds', p_seconds));
  return jsonb_build_object('id', s.id, 'ends_at', s.ends_at);
end
$$;

revoke all on function private.queue_order(uuid, boolean, boolean), private.queue_speaker(public.meetings, public.motions, public.meeting_attendance, text),
  private.raise_hand(uuid, text), private.add_speaker(uuid, uuid, text), private.lower_hand(uuid),
  private.debating_motion(public.meetings), private.give_floor(uuid), private.end_speech(uuid), private.extend_speech(uuid, integer) from public;
grant execute on function private.queue_order(uuid, boolean, boolean) to authenticated, service_role;
grant execute on function private.raise_hand(uuid, text), private.add_speaker(uuid, uuid, text), private.lower_hand(uuid),
  private.give_floor(uuid), private.end_speech(uuid), private.extend_speech(uuid, integer) to authenticated, service_role;

/** Raises the caller's hand on a motion in debate, stance first: for, against, question, or order (a point of order). */
create function public.raise_hand(p_motion_id uuid, p_stance text) returns jsonb
language sql set search_path = '' as $$ select private.raise_hand(p_motion_id, p_stance) $$;

/** A moderator puts someone in the room in the queue, stance first. */
create function public.add_speaker(p_motion_id uuid, p_attendance_id uuid, p_stance text) returns jsonb
language sql set search_path = '' as $$ select private.add_speaker(p_motion_id, p_attendance_id, p_stance) $$;

/** A waiting hand comes down: its person, or the chair or a moderator. */
create function public.lower_hand(p_speech_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.lower_hand(p_speech_id) $$;

/** The chair (or a moderator) gives the floor to the next speaker as the rules order them. */
create function public.give_floor(p_meeting_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.give_floor(p_meeting_id) $$;

/** The speech on the floor ends: the chair, a moderator, or the speaker. */
create function public.end_speech(p_meeting_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.end_speech(p_meeting_id) $$;

/** The chair (or a moderator) gives the speaker p_seconds more (10 up to the meeting's speech_seconds). */
create function public.extend_speech(p_meeting_id uuid, p_seconds integer) returns jsonb
language sql set search_path = '' as $$ select private.extend_speech(p_meeting_id, p_seconds) $$;

revoke execute on function public.raise_hand(uuid, text), public.add_speaker(uuid, uuid, text), public.lower_hand(uuid),
  public.give_floor(uuid), public.end_speech(uuid), public.extend_speech(uuid, integer) from public, anon;
grant execute on function public.raise_hand(uuid, text), public.add_speaker(uuid, uuid, text), public.lower_hand(uuid),
  public.give_floor(uuid), public.end_speech(uuid), public.extend_speech(uuid, integer) to authenticated;
