-- ============================================================================
-- Scheduling a meeting and its agenda (issue #13): the committee or a
-- moderator of the estate schedules a meeting (its kind, time, place, chair,
-- recorder, who may attend, and the rules of procedure with the 南塘
-- defaults), changes or cancels it, and sets its agenda from accepted or
-- deliberating issues (each moves to deliberating, and its timeline names the
-- meeting) or free topics. Scheduling is the notice (会前公告): the people
-- who may attend hear of it; those registered hear of a change of time or
-- place, and of a cancellation. Every step is a row of meeting_events.
--
-- Nobody writes the tables directly: each function below is a security
-- invoker wrapper of a private definer that checks who is asking.
-- ============================================================================

insert into public.notification_kinds (kind) values ('meeting_scheduled'), ('meeting_changed'), ('meeting_cancelled');
-- An issue's timeline says which meeting put it on its agenda.
insert into public.issue_event_kinds (kind) values ('on_agenda');
alter table public.issue_events add column if not exists meeting_id uuid references public.meetings (id) on delete set null;
create index if not exists issue_events_meeting_id_idx on public.issue_events (meeting_id);
grant select (meeting_id) on public.issue_events to anon, authenticated;

-- Putting an accepted issue on an agenda is a step a meeting takes, not one anybody takes by hand:
-- actor 'meeting', which the issue page's list of actions leaves out (as it leaves out 'vote').
alter table public.issue_transitions drop constraint issue_transitions_actor_check;
alter table public.issue_transitions add constraint issue_transitions_actor_check
  check (actor in ('committee', 'author', 'moderator', 'vote', 'meeting'));
insert into public.issue_transitions (action, from_status, to_status, actor, needs_reason) values
  ('put_on_agenda', 'accepted', 'deliberating', 'meeting', false);

-- ----------------------------------------------------------------------------
-- Private helpers.
-- ----------------------------------------------------------------------------

/** A meeting the caller may read (as the caller's policies allow), locked for the change; else not found. */
create function private.meeting_for_change(p_meeting_id uuid) returns public.meetings
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings;
begin
  select * into m from public.meetings where id = p_meeting_id and estate_id = any(private.readable_estates()) for update;
  if m.id is null then
    perform private.fail('P0002', 'errors.meeting_not_found');
  end if;
  return m;
end
$$;

/** Refuses unless the caller moderates (moderator, committee, administrator) the meeting's estate. */
create function private.require_meeting_moderator(p_meeting public.meetings) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.moderates_estate(p_meeting.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
end
$$;

/** Refuses a change to a meeting that has opened, closed or been cancelled. */
create function private.require_meeting_scheduled(p_meeting public.meetings) returns void
language plpgsql immutable set search_path = '' as $$
begin
  if p_meeting.status <> 'scheduled' then
    perform private.fail('22023', 'errors.meeting_not_scheduled');
  end if;
end
$$;

/** What a notification about a meeting carries: its text's parameters and the notice's path. */
create function private.meeting_payload(p_meeting public.meetings) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('meeting_id', p_meeting.id, 'estate_id', p_meeting.estate_id, 'title', p_meeting.title,
    'place', p_meeting.place, 'path', '/estates/' || p_meeting.estate_id || '/meetings/' || p_meeting.id)
$$;

/** Those registered for a meeting (with an account): who hears of a change or a cancellation. */
create function private.meeting_registered(p_meeting_id uuid) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(a.user_id), '{}') from public.meeting_attendance a
  where a.meeting_id = p_meeting_id and a.user_id is not null and a.registered_at is not null
$$;

/**
 * Who may attend: a verified member of the estate (open), or one on the
 * meeting's list (invited; representatives are the invited list too: the
 * residents' representatives the committee names).
 */
create function private.may_attend(p_meeting public.meetings, p_user_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.memberships m where m.estate_id = p_meeting.estate_id and m.user_id = p_user_id and m.status = 'verified')
    and (p_meeting.admission = 'open'
      or exists (select 1 from public.meeting_invitees i where i.meeting_id = p_meeting.id and i.user_id = p_user_id))
$$;

/** A random six-digit check-in code that no meeting still to come uses. */
create function private.new_checkin_code() returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_code text;
begin
  for i in 1 .. 50 loop
    v_code := lpad(((('x' || encode(extensions.gen_random_bytes(4), 'hex'))::bit(32)::bigint) % 1000000)::text, 6, '0');
    if not exists (select 1 from public.meetings where checkin_code = v_code and status in ('scheduled', 'in_session')) then
      return v_code;
    end if;
  end loop;
  perform private.fail('23505', 'errors.checkin_code_exhausted');
end
$$;

/**
 * Checks and writes a meeting's settings (new when p_meeting is null):
 * kind, title, description, time, place, link, scope, chair, recorder,
 * admission, the invited list, and the rules of procedure (p_rules, keys as
 * the columns; a missing key keeps the meeting's value or the 南塘 default).
 * Each refusal names its field. The caller has been checked.
 */
create function private.write_meeting(p_meeting public.meetings, p_estate_id uuid, p_kind text, p_title text, p_description text,
  p_starts_at timestamptz, p_ends_at timestamptz, p_place text, p_online_url text, p_scope_area_id uuid, p_chair_id uuid,
  p_recorder_id uuid, p_admission text, p_invitee_ids uuid[], p_rules jsonb) returns public.meetings
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings;
  r jsonb := coalesce(p_rules, '{}'::jsonb);
  v_key text;
  v_int integer;
  v_ok boolean;
  v_invitees uuid[] := array(select distinct x from unnest(coalesce(p_invitee_ids, '{}')) x where x is not null);
begin
  if p_kind is null or p_kind not in ('council', 'residents', 'hearing', 'owners') then
    perform private.fail('22023', 'errors.meeting_kind_unknown', 'kind');
  end if;
  if coalesce(trim(p_title), '') = '' or char_length(trim(p_title)) > 120 then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  if char_length(coalesce(p_description, '')) > 2000 then
    perform private.fail('22023', 'errors.too_long', 'description');
  end if;
  if p_starts_at is null then
    perform private.fail('22023', 'errors.datetime', 'starts_at');
  end if;
  if p_meeting.id is null and p_starts_at < now() then
    perform private.fail('22023', 'errors.meeting_in_past', 'starts_at');
  end if;
  if p_ends_at is null or p_ends_at <= p_starts_at or p_ends_at > p_starts_at + interval '12 hours' then
    perform private.fail('22023', 'errors.meeting_end_invalid', 'ends_at');
  end if;
  if coalesce(trim(p_place), '') = '' or char_length(trim(p_place)) > 120 then
    perform private.fail('22023', 'errors.meeting_place_required', 'place');
  end if;
  if nullif(trim(p_online_url), '') is not null
     and (trim(p_online_url) !~ '^https://[^\s/]+\.[^\s]+$' or char_length(trim(p_online_url)) > 300) then
    perform private.fail('22023', 'errors.meeting_url_invalid', 'online_url');
  end if;
  if p_scope_area_id is not null and not exists (select 1 from public.areas a where a.id = p_scope_area_id and a.estate_id = p_estate_id
      and a.kind in ('courtyard', 'building')) then
    perform private.fail('22023', 'errors.area_not_in_estate', 'scope_area_id');
  end if;
  if p_chair_id is not null and not exists (select 1 from public.memberships ms where ms.user_id = p_chair_id
      and ms.estate_id = p_estate_id and ms.status = 'verified') then
    perform private.fail('22023', 'errors.meeting_person_not_member', 'chair_id');
  end if;
  if p_recorder_id is not null and not exists (select 1 from public.memberships ms where ms.user_id = p_recorder_id
      and ms.estate_id = p_estate_id and ms.status = 'verified') then
    perform private.fail('22023', 'errors.meeting_person_not_member', 'recorder_id');
  end if;
  if p_admission is null or p_admission not in ('open', 'invited', 'representatives') then
    perform private.fail('22023', 'errors.invalid_choice', 'admission');
  end if;
  if cardinality(v_invitees) > 500 or exists (select 1 from unnest(v_invitees) x where not exists (select 1 from public.memberships ms
      where ms.user_id = x and ms.estate_id = p_estate_id and ms.status = 'verified')) then
    perform private.fail('22023', 'errors.meeting_person_not_member', 'invitee_ids');
  end if;
  if p_admission <> 'open' and cardinality(v_invitees) = 0 then
    perform private.fail('22023', 'errors.meeting_invitees_required', 'invitee_ids');
  end if;
  if jsonb_typeof(r) <> 'object' then
    perform private.fail('22023', 'errors.invalid_input', 'rules');
  end if;
  for v_key in select jsonb_object_keys(r) loop
    if v_key not in ('max_proxies', 'seconds_needed', 'speech_seconds', 'speeches_per_motion', 'alternate_stances',
        'first_speakers_first', 'hands_rule', 'anonymous') then
      perform private.fail('22023', 'errors.invalid_input', v_key);
    end if;
    if v_key in ('alternate_stances', 'first_speakers_first', 'anonymous') then
      if jsonb_typeof(r -> v_key) <> 'boolean' then
        perform private.fail('22023', 'errors.invalid_choice', v_key);
      end if;
    elsif v_key = 'hands_rule' then
      if coalesce(r ->> v_key, '') not in ('more_yes', 'majority_cast') then
        perform private.fail('22023', 'errors.invalid_choice', v_key);
      end if;
    else
      v_int := case when jsonb_typeof(r -> v_key) = 'number' and (r ->> v_key) ~ '^[0-9]{1,5}$' then (r ->> v_key)::integer end;
      -- Assigned first: in an IF condition, plpgsql would stop reading at the CASE's first THEN.
      v_ok := case v_key
          when 'max_proxies' then v_int between 0 and 10
          when 'seconds_needed' then v_int between 0 and 10
          when 'speech_seconds' then v_int between 30 and 1800
          else v_int between 1 and 10 end;
      if not coalesce(v_ok, false) then
        perform private.fail('22023', 'errors.out_of_range', v_key);
      end if;
    end if;
  end loop;

  if p_meeting.id is null then
    insert into public.meetings (estate_id, kind, title, description, starts_at, ends_at, place, online_url, scope_area_id,
      chair_id, recorder_id, admission, checkin_code, created_by)
    values (p_estate_id, p_kind, trim(p_title), coalesce(trim(p_description), ''), p_starts_at, p_ends_at, trim(p_place),
      nullif(trim(p_online_url), ''), p_scope_area_id, p_chair_id, p_recorder_id, p_admission, private.new_checkin_code(), auth.uid())
    returning * into m;
  else
    update public.meetings set kind = p_kind, title = trim(p_title), description = coalesce(trim(p_description), ''),
      starts_at = p_starts_at, ends_at = p_ends_at, place = trim(p_place), online_url = nullif(trim(p_online_url), ''),
      scope_area_id = p_scope_area_id, chair_id = p_chair_id, recorder_id = p_recorder_id, admission = p_admission,
      updated_at = now()
    where id = p_meeting.id returning * into m;
  end if;
  update public.meetings set
    max_proxies = coalesce((r ->> 'max_proxies')::integer, max_proxies),
    seconds_needed = coalesce((r ->> 'seconds_needed')::integer, seconds_needed),
    speech_seconds = coalesce((r ->> 'speech_seconds')::integer, speech_seconds),
    speeches_per_motion = coalesce((r ->> 'speeches_per_motion')::integer, speeches_per_motion),
    alternate_stances = coalesce((r ->> 'alternate_stances')::boolean, alternate_stances),
    first_speakers_first = coalesce((r ->> 'first_speakers_first')::boolean, first_speakers_first),
    hands_rule = coalesce(r ->> 'hands_rule', hands_rule),
    anonymous = coalesce((r ->> 'anonymous')::boolean, anonymous)
  where id = m.id returning * into m;
  delete from public.meeting_invitees where meeting_id = m.id and not (user_id = any(v_invitees));
  insert into public.meeting_invitees (meeting_id, user_id) select m.id, x from unnest(v_invitees) x on conflict do nothing;
  return m;
end
$$;

/**
 * Schedules a meeting of an estate (committee or moderator) and publishes
 * its notice: the estate's verified members are told, or the invitees (of
 * an invited meeting, and of a council that has them). Security definer:
 * nobody writes meetings directly.
 */
create function private.schedule_meeting(p_estate_id uuid, p_kind text, p_title text, p_description text,
  p_starts_at timestamptz, p_ends_at timestamptz, p_place text, p_online_url text, p_scope_area_id uuid, p_chair_id uuid,
  p_recorder_id uuid, p_admission text, p_invitee_ids uuid[], p_rules jsonb) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_told uuid[];
  m public.meetings;
begin
  if p_estate_id is null or not (p_estate_id = any(private.readable_estates())) then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  if not private.moderates_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  m := private.write_meeting(null, p_estate_id, p_kind, p_title, p_description, p_starts_at, p_ends_at, p_place, p_online_url,
    p_scope_area_id, p_chair_id, p_recorder_id, p_admission, p_invitee_ids, p_rules);
  perform private.log_meeting_event(m.id, 'scheduled', null, null,
    jsonb_build_object('starts_at', m.starts_at, 'ends_at', m.ends_at, 'place', m.place));
  -- The invited hear of it (a council's invitees too, when it is open to all); otherwise every verified member.
  v_told := array(select i.user_id from public.meeting_invitees i where i.meeting_id = m.id);
  if cardinality(v_told) = 0 or (m.admission = 'open' and m.kind <> 'council') then
    v_told := array(select ms.user_id from public.memberships ms where ms.estate_id = m.estate_id and ms.status = 'verified');
  end if;
  perform private.notify(array_remove(v_told, v_uid), 'meeting_scheduled', null, private.meeting_payload(m));
  return jsonb_build_object('id', m.id, 'checkin_code', m.checkin_code);
end
$$;

/**
 * Changes a scheduled meeting (committee or moderator). Those registered
 * hear of a change of time or place. Security definer: as scheduling.
 */
create function private.update_meeting(p_meeting_id uuid, p_kind text, p_title text, p_description text,
  p_starts_at timestamptz, p_ends_at timestamptz, p_place text, p_online_url text, p_scope_area_id uuid, p_chair_id uuid,
  p_recorder_id uuid, p_admission text, p_invitee_ids uuid[], p_rules jsonb) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  old public.meetings := private.meeting_for_change(p_meeting_id);
  m public.meetings;
  v_moved boolean;
begin
  perform private.require_meeting_moderator(old);
  perform private.require_meeting_scheduled(old);
  m := private.write_meeting(old, old.estate_id, p_kind, p_title, p_description, p_starts_at, p_ends_at, p_place, p_online_url,
    p_scope_area_id, p_chair_id, p_recorder_id, p_admission, p_invitee_ids, p_rules);
  v_moved := (m.starts_at, m.ends_at, m.place) is distinct from (old.starts_at, old.ends_at, old.place);
  perform private.log_meeting_event(m.id, 'updated', null, null, jsonb_build_object('moved', v_moved,
    'starts_at', m.starts_at, 'ends_at', m.ends_at, 'place', m.place));
  if v_moved then
    perform private.notify(array_remove(private.meeting_registered(m.id), v_uid), 'meeting_changed', null, private.meeting_payload(m));
  end if;
  return jsonb_build_object('id', m.id, 'moved', v_moved);
end
$$;

/** Cancels a scheduled meeting, with a reason; those registered are told. Security definer: as scheduling. */
create function private.cancel_meeting(p_meeting_id uuid, p_reason text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  m public.meetings := private.meeting_for_change(p_meeting_id);
begin
  perform private.require_meeting_moderator(m);
  perform private.require_meeting_scheduled(m);
  if coalesce(trim(p_reason), '') = '' then
    perform private.fail('22023', 'errors.reason_required', 'reason');
  end if;
  if char_length(trim(p_reason)) > 500 then
    perform private.fail('22023', 'errors.too_long', 'reason');
  end if;
  update public.meetings set status = 'cancelled', updated_at = now() where id = m.id returning * into m;
  perform private.log_meeting_event(m.id, 'cancelled', null, null, jsonb_build_object('reason', trim(p_reason)));
  perform private.notify(array_remove(private.meeting_registered(m.id), v_uid), 'meeting_cancelled', null,
    private.meeting_payload(m) || jsonb_build_object('reason', trim(p_reason)));
  return jsonb_build_object('id', m.id, 'status', m.status);
end
$$;

/**
 * Adds an item at the end of a scheduled meeting's agenda (committee or
 * moderator): an accepted or deliberating issue of the estate (an accepted
 * one moves to deliberating by the lifecycle's put_on_agenda step; its
 * timeline names the meeting either way), or a free topic with a title.
 * Security definer: agenda items, issue statuses and timelines have no
 * write grant.
 */
create function private.add_agenda_item(p_meeting_id uuid, p_issue_id uuid, p_title text, p_planned_minutes integer) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.meeting_for_change(p_meeting_id);
  v_issue public.issues;
  v_t public.issue_transitions;
  v_title text := nullif(trim(p_title), '');
  v_id uuid;
  v_position integer;
begin
  perform private.require_meeting_moderator(m);
  perform private.require_meeting_scheduled(m);
  if p_planned_minutes is null or p_planned_minutes not between 1 and 240 then
    perform private.fail('22023', 'errors.out_of_range', 'planned_minutes');
  end if;
  if char_length(coalesce(v_title, '')) > 120 then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  if p_issue_id is not null then
    perform private.lock_issues(array[p_issue_id]);
    select * into v_issue from public.issues where id = p_issue_id and estate_id = m.estate_id;
    if v_issue.id is null then
      perform private.fail('22023', 'errors.agenda_issue_invalid', 'issue_id');
    end if;
    if v_issue.status not in ('accepted', 'deliberating') then
      perform private.fail('22023', 'errors.agenda_issue_not_ready', 'issue_id');
    end if;
    if exists (select 1 from public.agenda_items a where a.meeting_id = m.id and a.issue_id = v_issue.id) then
      perform private.fail('23505', 'errors.agenda_issue_duplicate', 'issue_id');
    end if;
    v_title := coalesce(v_title, v_issue.title);
  elsif v_title is null then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  select coalesce(max(position), 0) + 1 into v_position from public.agenda_items where meeting_id = m.id;
  if v_position > 100 then
    perform private.fail('22023', 'errors.agenda_full', 'title');
  end if;
  insert into public.agenda_items (meeting_id, position, issue_id, title, planned_minutes)
  values (m.id, v_position, v_issue.id, v_title, p_planned_minutes) returning id into v_id;
  if v_issue.id is not null then
    select * into v_t from public.issue_transitions where action = 'put_on_agenda' and from_status = v_issue.status;
    if v_t.action is not null then
      perform private.set_issue_status(v_issue.id, v_t.to_status, null);
      perform private.log_issue_event(v_issue.id, 'transition', v_t.action, v_issue.status, v_t.to_status, null, null);
    end if;
    insert into public.issue_events (issue_id, actor_id, kind, action, reason, meeting_id)
    values (v_issue.id, auth.uid(), 'on_agenda', 'put_on_agenda', m.title, m.id);
  end if;
  perform private.log_meeting_event(m.id, 'agenda_added', v_id, null,
    jsonb_build_object('title', v_title, 'issue_id', v_issue.id, 'position', v_position));
  return jsonb_build_object('id', v_id, 'position', v_position);
end
$$;

/** Puts a scheduled meeting's agenda in a new order: p_item_ids is every item of it, once. Security definer: as adding. */
create function private.reorder_agenda(p_meeting_id uuid, p_item_ids uuid[]) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.meeting_for_change(p_meeting_id);
begin
  perform private.require_meeting_moderator(m);
  perform private.require_meeting_scheduled(m);
  if p_item_ids is null or array_position(p_item_ids, null) is not null
     or cardinality(p_item_ids) <> (select count(distinct x) from unnest(p_item_ids) x)
     or array(select x from unnest(p_item_ids) x order by x) is distinct from
        array(select a.id from public.agenda_items a where a.meeting_id = m.id order by a.id) then
    perform private.fail('22023', 'errors.agenda_order_invalid', 'item_ids');
  end if;
  update public.agenda_items a set position = o.n
  from unnest(p_item_ids) with ordinality o(id, n) where a.id = o.id and a.position <> o.n;
  perform private.log_meeting_event(m.id, 'agenda_reordered', null, null, jsonb_build_object('items', to_jsonb(p_item_ids)));
  return jsonb_build_object('id', m.id);
end
$$;

/**
 * Takes an item off a scheduled meeting's agenda; the later items move up.
 * Its issue stays deliberating (it is still being deliberated, at another
 * meeting or otherwise). Security definer: as adding.
 */
create function private.remove_agenda_item(p_item_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_item public.agenda_items;
  m public.meetings;
begin
  select * into v_item from public.agenda_items where id = p_item_id;
  m := private.meeting_for_change(v_item.meeting_id);
  perform private.require_meeting_moderator(m);
  perform private.require_meeting_scheduled(m);
  select * into v_item from public.agenda_items where id = p_item_id;
  if v_item.id is null then
    perform private.fail('P0002', 'errors.agenda_item_not_found');
  end if;
  delete from public.agenda_items where id = v_item.id;
  update public.agenda_items set position = position - 1 where meeting_id = m.id and position > v_item.position;
  perform private.log_meeting_event(m.id, 'agenda_removed', null, null,
    jsonb_build_object('title', v_item.title, 'issue_id', v_item.issue_id));
  return jsonb_build_object('id', v_item.id);
end
$$;

revoke all on function private.meeting_for_change(uuid), private.require_meeting_moderator(public.meetings),
  private.require_meeting_scheduled(public.meetings), private.meeting_payload(public.meetings), private.meeting_registered(uuid),
  private.may_attend(public.meetings, uuid), private.new_checkin_code(),
  private.write_meeting(public.meetings, uuid, text, text, text, timestamptz, timestamptz, text, text, uuid, uuid, uuid, text, uuid[], jsonb),
  private.schedule_meeting(uuid, text, text, text, timestamptz, timestamptz, text, text, uuid, uuid, uuid, text, uuid[], jsonb),
  private.update_meeting(uuid, text, text, text, timestamptz, timestamptz, text, text, uuid, uuid, uuid, text, uuid[], jsonb),
  private.cancel_meeting(uuid, text), private.add_agenda_item(uuid, uuid, text, integer), private.reorder_agenda(uuid, uuid[]),
  private.remove_agenda_item(uuid) from public;
grant execute on function
  private.schedule_meeting(uuid, text, text, text, timestamptz, timestamptz, text, text, uuid, uuid, uuid, text, uuid[], jsonb),
  private.update_meeting(uuid, text, text, text, timestamptz, timestamptz, text, text, uuid, uuid, uuid, text, uuid[], jsonb),
  private.cancel_meeting(uuid, text), private.add_agenda_item(uuid, uuid, text, integer), private.reorder_agenda(uuid, uuid[]),
  private.remove_agenda_item(uuid) to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- The API: security invoker, as the caller.
-- ----------------------------------------------------------------------------

/**
 * Schedules a meeting (committee or moderator of the estate) and publishes
 * its notice. p_rules: the rules of procedure that differ from the 南塘
 * defaults (max_proxies, seconds_needed, speech_seconds, speeches_per_motion,
 * alternate_stances, first_speakers_first, hands_rule, anonymous).
 */
create function public.schedule_meeting(p_estate_id uuid, p_kind text, p_title text, p_starts_at timestamptz,
  p_ends_at timestamptz, p_place text, p_description text default '', p_online_url text default null,
  p_scope_area_id uuid default null, p_chair_id uuid default null, p_recorder_id uuid default null,
  p_admission text default 'open', p_invitee_ids uuid[] default '{}', p_rules jsonb default '{}') returns jsonb
language sql set search_path = '' as $$
  select private.schedule_meeting(p_estate_id, p_kind, p_title, p_description, p_starts_at, p_ends_at, p_place, p_online_url,
    p_scope_area_id, p_chair_id, p_recorder_id, p_admission, p_invitee_ids, p_rules)
$$;

/** Changes a scheduled meeting; those registered hear of a new time or place. p_rules as in schedule_meeting. */
create function public.update_meeting(p_meeting_id uuid, p_kind text, p_title text, p_starts_at timestamptz,
  p_ends_at timestamptz, p_place text, p_description text default '', p_online_url text default null,
  p_scope_area_id uuid default null, p_chair_id uuid default null, p_recorder_id uuid default null,
  p_admission text default 'open', p_invitee_ids uuid[] default '{}', p_rules jsonb default '{}') returns jsonb
language sql set search_path = '' as $$
  select private.update_meeting(p_meeting_id, p_kind, p_title, p_description, p_starts_at, p_ends_at, p_place, p_online_url,
    p_scope_area_id, p_chair_id, p_recorder_id, p_admission, p_invitee_ids, p_rules)
$$;

/** Cancels a scheduled meeting with a reason; those registered are told. */
create function public.cancel_meeting(p_meeting_id uuid, p_reason text) returns jsonb
language sql set search_path = '' as $$
  select private.cancel_meeting(p_meeting_id, p_reason)
$$;

/** Adds an issue (accepted or deliberating) or a free topic at the end of a scheduled meeting's agenda. */
create function public.add_agenda_item(p_meeting_id uuid, p_issue_id uuid default null, p_title text default null,
  p_planned_minutes integer default 15) returns jsonb
language sql set search_path = '' as $$
  select private.add_agenda_item(p_meeting_id, p_issue_id, p_title, p_planned_minutes)
$$;

/** Puts a scheduled meeting's agenda in the order of p_item_ids (every item, once). */
create function public.reorder_agenda(p_meeting_id uuid, p_item_ids uuid[]) returns jsonb
language sql set search_path = '' as $$
  select private.reorder_agenda(p_meeting_id, p_item_ids)
$$;

/** Takes an item off a scheduled meeting's agenda. */
create function public.remove_agenda_item(p_item_id uuid) returns jsonb
language sql set search_path = '' as $$
  select private.remove_agenda_item(p_item_id)
$$;

revoke all on function
  public.schedule_meeting(uuid, text, text, timestamptz, timestamptz, text, text, text, uuid, uuid, uuid, text, uuid[], jsonb),
  public.update_meeting(uuid, text, text, timestamptz, timestamptz, text, text, text, uuid, uuid, uuid, text, uuid[], jsonb),
  public.cancel_meeting(uuid, text), public.add_agenda_item(uuid, uuid, text, integer), public.reorder_agenda(uuid, uuid[]),
  public.remove_agenda_item(uuid) from public, anon;
grant execute on function
  public.schedule_meeting(uuid, text, text, timestamptz, timestamptz, text, text, text, uuid, uuid, uuid, text, uuid[], jsonb),
  public.update_meeting(uuid, text, text, timestamptz, timestamptz, text, text, text, uuid, uuid, uuid, text, uuid[], jsonb),
  public.cancel_meeting(uuid, text), public.add_agenda_item(uuid, uuid, text, integer), public.reorder_agenda(uuid, uuid[]),
  public.remove_agenda_item(uuid) to authenticated;
