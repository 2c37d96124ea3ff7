-- ============================================================================
-- What the meeting pages read (issue #13), each in one call: an estate's
-- meetings, a meeting's notice (会前公告) with its agenda and quorum, the
-- moderator's door list, and the quorum itself, counted for the kind of
-- meeting:
--   residents' meeting (居委会组织法 art. 9): present people against the
--     estate's verified residents in scope, and present households against
--     the households (units with a verified resident); valid with MORE than
--     half of either;
--   owners' meeting (Civil Code art. 278): the present owners' exclusive area
--     and the present owners against the units in scope, each at least ⅔
--     ("以上" includes the boundary); owners counted as the votes count them
--     (the developer's unsold units one owner, the same holders once);
--   council and hearing: present people against those who may attend, with
--     no legal threshold.
-- Present: checked in and not checked out; a live proxy counts as its absent
-- person while its holder is present. A present person brings their unit
-- (given at the door, or their membership's), and an owner linked to their
-- account brings every unit they own.
-- ============================================================================

/**
 * The quorum of a meeting, for whoever may read it (counts only, nobody's
 * name). Security definer: attendance, proxies and memberships are not
 * readable by everyone who reads a meeting.
 */
create function private.meeting_quorum(p_meeting_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  m public.meetings;
  v_people integer;
  v_proxies integer;
  v_units uuid[];
  v_electors integer;
  v_households integer;
  v_present_households integer;
  v_area numeric;
  v_area_total numeric;
  v_owners integer;
  v_owners_total integer;
  v_met boolean;
begin
  select * into m from public.meetings where id = p_meeting_id and estate_id = any(private.readable_estates());
  if m.id is null then
    return null;
  end if;
  with present as (
    select a.id, a.user_id, a.unit_id from public.meeting_attendance a
    where a.meeting_id = m.id and a.checked_in_at is not null and a.checked_out_at is null
  ), proxied as (
    select p.absent_user_id as user_id, p.absent_unit_id as unit_id from public.meeting_proxies p
    where p.meeting_id = m.id and p.revoked_at is null and p.holder_id in (select id from present)
  ), everyone as (
    select user_id, unit_id from present union all select user_id, unit_id from proxied
  ), units as (
    select e.unit_id as u from everyone e where e.unit_id is not null
    union select ms.unit_id from everyone e join public.memberships ms on ms.user_id = e.user_id and ms.estate_id = m.estate_id
      and ms.status = 'verified' where e.unit_id is null and ms.unit_id is not null
    union select uo.unit_id from everyone e join public.owners o on o.user_id = e.user_id and o.estate_id = m.estate_id
      join public.unit_owners uo on uo.owner_id = o.id
  )
  select (select count(*) from present), (select count(*) from proxied),
    array(select u.id from units x join public.units u on u.id = x.u join public.areas b on b.id = u.building_id
      where u.estate_id = m.estate_id and (m.scope_area_id is null or b.id = m.scope_area_id or b.parent_id = m.scope_area_id))
  into v_people, v_proxies, v_units;

  if m.kind = 'owners' then
    with scope as (
      select u.id, u.floor_area,
        case when u.developer_held then 'developer'
             when o.ids is null then 'unit:' || u.id
             else 'owners:' || array_to_string(o.ids, ',') end as owner_key
      from public.units u join public.areas b on b.id = u.building_id
      left join lateral (select array_agg(uo.owner_id order by uo.owner_id) as ids from public.unit_owners uo where uo.unit_id = u.id) o on true
      where u.estate_id = m.estate_id and (m.scope_area_id is null or b.id = m.scope_area_id or b.parent_id = m.scope_area_id)
    )
    select coalesce(sum(floor_area) filter (where id = any(v_units)), 0), coalesce(sum(floor_area), 0),
      count(distinct owner_key) filter (where id = any(v_units)), count(distinct owner_key)
    into v_area, v_area_total, v_owners, v_owners_total from scope;
    v_met := v_area_total > 0 and v_area * 3 >= v_area_total * 2 and v_owners * 3 >= v_owners_total * 2;
    return jsonb_build_object('kind', m.kind, 'rule', 'two_thirds', 'met', v_met, 'people', v_people, 'proxies', v_proxies,
      'area', v_area, 'area_total', v_area_total, 'owners', v_owners, 'owners_total', v_owners_total);
  end if;

  if m.kind = 'residents' then
    select count(*), count(distinct ms.unit_id) into v_electors, v_households
    from public.memberships ms left join public.units u on u.id = ms.unit_id left join public.areas b on b.id = u.building_id
    where ms.estate_id = m.estate_id and ms.status = 'verified'
      and (m.scope_area_id is null or b.id = m.scope_area_id or b.parent_id = m.scope_area_id);
    select count(distinct ms.unit_id) into v_present_households from public.memberships ms
    where ms.estate_id = m.estate_id and ms.status = 'verified' and ms.unit_id = any(v_units);
    v_met := (v_electors > 0 and v_people + v_proxies > v_electors / 2.0)
      or (v_households > 0 and v_present_households > v_households / 2.0);
    return jsonb_build_object('kind', m.kind, 'rule', 'more_than_half', 'met', v_met, 'people', v_people, 'proxies', v_proxies,
      'electors', v_electors, 'households', v_present_households, 'households_total', v_households);
  end if;

  select case when m.admission = 'open'
      then (select count(*) from public.memberships ms where ms.estate_id = m.estate_id and ms.status = 'verified')
      else (select count(*) from public.meeting_invitees i where i.meeting_id = m.id) end
  into v_electors;
  return jsonb_build_object('kind', m.kind, 'rule', 'none', 'met', null, 'people', v_people, 'proxies', v_proxies,
    'electors', v_electors);
end
$$;

/**
 * Who chairs and records a meeting, and who is invited, by name, for the
 * estate's members and administrators (chair_id, recorder_id and the
 * invitees are personal); for others only whether the caller is either.
 * Security definer: those columns have no grant.
 */
create function private.meeting_people(p_meeting_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'chair_id', case when v.members then m.chair_id end, 'recorder_id', case when v.members then m.recorder_id end,
    'chair', n ->> m.chair_id::text, 'recorder', n ->> m.recorder_id::text,
    'invitees', case when v.members then coalesce((select jsonb_agg(jsonb_build_object('id', i.user_id, 'name', n ->> i.user_id::text)
        order by n ->> i.user_id::text) from public.meeting_invitees i where i.meeting_id = m.id), '[]'::jsonb) else '[]'::jsonb end,
    'invited', exists (select 1 from public.meeting_invitees i where i.meeting_id = m.id and i.user_id = auth.uid()),
    'is_chair', m.chair_id = auth.uid(), 'is_recorder', m.recorder_id = auth.uid())
  from public.meetings m
  cross join lateral (select m.estate_id = any(private.member_estates()) or private.is_admin() as members) v
  cross join lateral (select private.people_names(m.estate_id,
    array[m.chair_id, m.recorder_id] || array(select i.user_id from public.meeting_invitees i where i.meeting_id = m.id)) as n) p
  where m.id = p_meeting_id and m.estate_id = any(private.readable_estates())
$$;

/**
 * The door list of a meeting, for its moderators: everyone registered or
 * present with their name and unit, the proxies with their holders, the
 * check-in code, and (with p_search) up to 20 verified members whose name or
 * unit matches, to check in from the list. Security definer: names, units
 * and the code are the moderators'; anyone else is refused.
 */
create function private.meeting_door_list(p_meeting_id uuid, p_search text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  m public.meetings;
  v_search text := nullif(trim(p_search), '');
begin
  perform private.require_user();
  select * into m from public.meetings where id = p_meeting_id and estate_id = any(private.readable_estates());
  if m.id is null then
    perform private.fail('P0002', 'errors.meeting_not_found');
  end if;
  perform private.require_meeting_moderator(m);
  if char_length(coalesce(v_search, '')) > 40 then
    perform private.fail('22023', 'errors.too_long', 'q');
  end if;
  return jsonb_build_object(
    'checkin_code', m.checkin_code,
    'attendance', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'user_id', a.user_id,
        'name', coalesce(p.display_name, a.name), 'has_account', a.user_id is not null,
        'unit', private.unit_label(coalesce(a.unit_id, ms.unit_id)), 'registered_at', a.registered_at,
        'checked_in_at', a.checked_in_at, 'checked_out_at', a.checked_out_at, 'by_moderator', a.checked_in_by is not null,
        'present', a.checked_in_at is not null and a.checked_out_at is null,
        'proxies', (select count(*) from public.meeting_proxies x where x.holder_id = a.id and x.revoked_at is null))
        order by coalesce(p.display_name, a.name), a.id)
      from public.meeting_attendance a
      left join public.profiles p on p.id = a.user_id
      left join public.memberships ms on ms.user_id = a.user_id and ms.estate_id = m.estate_id
      where a.meeting_id = m.id), '[]'::jsonb),
    'proxies', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'holder_id', x.holder_id,
        'holder', coalesce(hp.display_name, h.name), 'absent', coalesce(ap.display_name, x.absent_name),
        'absent_unit', private.unit_label(coalesce(x.absent_unit_id, ams.unit_id)), 'has_letter', x.letter_path is not null,
        'created_at', x.created_at, 'revoked_at', x.revoked_at,
        'counts', x.revoked_at is null and h.checked_in_at is not null and h.checked_out_at is null) order by x.created_at, x.id)
      from public.meeting_proxies x
      join public.meeting_attendance h on h.id = x.holder_id
      left join public.profiles hp on hp.id = h.user_id
      left join public.profiles ap on ap.id = x.absent_user_id
      left join public.memberships ams on ams.user_id = x.absent_user_id and ams.estate_id = m.estate_id
      where x.meeting_id = m.id), '[]'::jsonb),
    'members', case when v_search is null then '[]'::jsonb else coalesce((select jsonb_agg(jsonb_build_object('id', f.user_id,
        'name', f.display_name, 'unit', f.unit) order by f.display_name, f.user_id)
      from (select ms.user_id, p.display_name, private.unit_label(ms.unit_id) as unit
            from public.memberships ms join public.profiles p on p.id = ms.user_id
            where ms.estate_id = m.estate_id and ms.status = 'verified'
              and (strpos(p.display_name, v_search) > 0 or strpos(coalesce(private.unit_label(ms.unit_id), ''), v_search) > 0)
              and not exists (select 1 from public.meeting_attendance a where a.meeting_id = m.id and a.user_id = ms.user_id
                and a.checked_in_at is not null and a.checked_out_at is null)
            order by p.display_name, ms.user_id limit 20) f), '[]'::jsonb) end,
    'units', coalesce((select jsonb_agg(jsonb_build_object('id', u.id, 'label', private.unit_label(u.id))
        order by private.unit_label(u.id)) from public.units u where u.estate_id = m.estate_id), '[]'::jsonb));
end
$$;

/**
 * The path of a proxy letter's photo, for the meeting's moderators only
 * (null for anyone else): the server streams it from storage.
 */
create function private.proxy_letter_path(p_proxy_id uuid) returns text
language sql stable security definer set search_path = '' as $$
  select x.letter_path from public.meeting_proxies x join public.meetings m on m.id = x.meeting_id
  where x.id = p_proxy_id and m.estate_id = any(private.readable_estates()) and private.moderates_estate(m.estate_id)
$$;

/**
 * Who may chair, record or be invited, for the scheduling form: the estate's
 * verified members who hold a role (volunteers, moderators, committee, party
 * members), by name; for the estate's moderators only (empty for anyone
 * else). Security definer: memberships are not readable by members.
 */
create function private.meeting_candidates(p_estate_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'name', p.display_name, 'roles', to_jsonb(ms.roles))
      order by p.display_name, p.id), '[]'::jsonb)
  from public.memberships ms join public.profiles p on p.id = ms.user_id
  where ms.estate_id = p_estate_id and ms.status = 'verified' and cardinality(ms.roles) > 0
    and private.moderates_estate(p_estate_id)
$$;

revoke all on function private.meeting_quorum(uuid), private.meeting_people(uuid), private.meeting_door_list(uuid, text),
  private.proxy_letter_path(uuid), private.meeting_candidates(uuid) from public;
grant execute on function private.meeting_quorum(uuid), private.meeting_people(uuid), private.meeting_door_list(uuid, text),
  private.proxy_letter_path(uuid), private.meeting_candidates(uuid) to authenticated, service_role;

/** A meeting's quorum for its kind (counts only): whoever signed in may read the meeting (null for anon, who may not reach schema private). */
create function public.meeting_quorum(p_meeting_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  if auth.uid() is null then
    return null;
  end if;
  return private.meeting_quorum(p_meeting_id);
end
$$;

/**
 * An estate's meetings: those to come (scheduled or in session) soonest
 * first, then the past and cancelled ones, newest first, each with its
 * agenda's length, how many registered (for members) and the caller's own
 * registration, and whether the caller may schedule (then also who may
 * chair, record or be invited).
 */
create function public.estate_meetings(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_can boolean := false;
  v_candidates jsonb := '[]'::jsonb;
begin
  if auth.uid() is not null then
    v_can := private.moderates_estate(p_estate_id);
    v_candidates := private.meeting_candidates(p_estate_id);
  end if;
  return jsonb_build_object(
    'can_schedule', v_can,
    'candidates', v_candidates,
    'meetings', coalesce((select jsonb_agg(jsonb_build_object('id', m.id, 'kind', m.kind, 'title', m.title, 'status', m.status,
        'starts_at', m.starts_at, 'ends_at', m.ends_at, 'place', m.place, 'admission', m.admission,
        'items', (select count(*) from public.agenda_items a where a.meeting_id = m.id),
        'registered', (select count(*) from public.meeting_attendance a where a.meeting_id = m.id and a.registered_at is not null),
        'mine', exists (select 1 from public.meeting_attendance a where a.meeting_id = m.id and a.user_id = auth.uid()))
      order by (m.status in ('scheduled', 'in_session')) desc,
        case when m.status in ('scheduled', 'in_session') then m.starts_at end asc, m.starts_at desc)
      from public.meetings m where m.estate_id = p_estate_id), '[]'::jsonb));
end
$$;

/**
 * A meeting's notice (会前公告): the meeting, its agenda (with each issue's
 * title and status), the chair and recorder (named for members), the
 * quorum, the caller's own attendance and what the caller may do.
 */
create function public.meeting_notice(p_meeting_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  m record;
  v_people jsonb;
  v_quorum jsonb;
  v_candidates jsonb := '[]'::jsonb;
  v_mine jsonb;
  v_member boolean := false;
  v_moderates boolean := false;
begin
  select x.id, x.estate_id, x.kind, x.title, x.description, x.starts_at, x.ends_at, x.place, x.online_url, x.scope_area_id,
    x.admission, x.status, x.max_proxies, x.seconds_needed, x.speech_seconds, x.speeches_per_motion, x.alternate_stances,
    x.first_speakers_first, x.hands_rule, x.anonymous, x.created_at, x.updated_at, x.opened_at, x.closed_at
  into m from public.meetings x where x.id = p_meeting_id;
  if m.id is null then
    raise exception using errcode = 'P0002', message = 'errors.meeting_not_found', detail = '';
  end if;
  if v_uid is not null then
    v_people := private.meeting_people(m.id);
    v_quorum := private.meeting_quorum(m.id);
    v_member := m.estate_id = any(private.member_estates());
    v_moderates := private.moderates_estate(m.estate_id);
    if v_moderates then
      v_candidates := private.meeting_candidates(m.estate_id);
    end if;
    select jsonb_build_object('id', a.id, 'registered', a.registered_at is not null,
        'checked_in', a.checked_in_at is not null and a.checked_out_at is null, 'checked_out', a.checked_out_at is not null)
    into v_mine from public.meeting_attendance a where a.meeting_id = m.id and a.user_id = v_uid;
  end if;
  return jsonb_build_object(
    'meeting', to_jsonb(m) || jsonb_build_object(
      'estate_name', (select e.name from public.estates e where e.id = m.estate_id),
      'scope_name', (select a.name from public.areas a where a.id = m.scope_area_id),
      'chair', v_people ->> 'chair', 'recorder', v_people ->> 'recorder',
      'chair_id', v_people -> 'chair_id', 'recorder_id', v_people -> 'recorder_id'),
    'invitees', coalesce(v_people -> 'invitees', '[]'::jsonb),
    'agenda', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'position', a.position, 'title', a.title,
        'planned_minutes', a.planned_minutes, 'status', a.status, 'issue_id', a.issue_id,
        'issue_title', i.title, 'issue_status', i.status) order by a.position)
      from public.agenda_items a left join public.issues i on i.id = a.issue_id where a.meeting_id = m.id), '[]'::jsonb),
    'quorum', v_quorum,
    'mine', v_mine,
    'is_member', v_member,
    'can_manage', v_moderates,
    -- For the form that changes the meeting: who may chair, record or be invited.
    'candidates', v_candidates,
    -- For the agenda form: the estate's accepted and deliberating issues not yet on this agenda.
    'candidate_issues', case when v_moderates and m.status = 'scheduled' then coalesce((select jsonb_agg(jsonb_build_object('id', i.id,
        'title', i.title, 'status', i.status) order by i.created_at desc)
      from (select i.id, i.title, i.status, i.created_at from public.issues i where i.estate_id = m.estate_id and i.status in ('accepted', 'deliberating')
              and not exists (select 1 from public.agenda_items a where a.meeting_id = m.id and a.issue_id = i.id)
            order by i.created_at desc limit 100) i), '[]'::jsonb) else '[]'::jsonb end,
    'can_register', v_uid is not null and m.status = 'scheduled' and v_member
      and (m.admission = 'open' or coalesce((v_people ->> 'invited')::boolean, false))
      and not coalesce((v_mine ->> 'registered')::boolean, false),
    'can_check_in', v_uid is not null and v_member and m.status in ('scheduled', 'in_session')
      and now() >= m.starts_at - interval '2 hours' and now() < m.ends_at
      and (m.admission = 'open' or coalesce((v_people ->> 'invited')::boolean, false)));
end
$$;

/** The door list for the meeting's moderators: attendance, proxies, the check-in code, members matching p_search. */
create function public.meeting_door_list(p_meeting_id uuid, p_search text default null) returns jsonb
language sql stable set search_path = '' as $$ select private.meeting_door_list(p_meeting_id, p_search) $$;

/** The storage path of a proxy letter's photo, for the meeting's moderators (null for anyone else). */
create function public.proxy_letter_path(p_proxy_id uuid) returns text
language sql stable set search_path = '' as $$ select private.proxy_letter_path(p_proxy_id) $$;

revoke all on function public.meeting_quorum(uuid), public.estate_meetings(uuid), public.meeting_notice(uuid),
  public.meeting_door_list(uuid, text), public.proxy_letter_path(uuid) from public, anon;
grant execute on function public.meeting_quorum(uuid), public.estate_meetings(uuid), public.meeting_notice(uuid) to anon;
grant execute on function public.meeting_quorum(uuid), public.estate_meetings(uuid), public.meeting_notice(uuid),
  public.meeting_door_list(uuid, text), public.proxy_letter_path(uuid) to authenticated;
