-- ============================================================================
-- Residents ask to join a volunteer team and its leaders approve (issue #15).
--
-- Until now join_team made any verified member of the estate a member at
-- once. A team is people its leaders answer for: a task open to a team's
-- volunteers trusts them, and a team's leaders decide its disputed reports.
-- So a member of the estate who is not in the team now asks (their shown
-- name, skills and availability held with the request), and a leader of the
-- team or the estate's committee approves (they become a member) or declines
-- (the request is dropped). The committee still joins directly, as it
-- creates the teams and names their leaders. A member updating their name,
-- skills and availability does so as before.
-- ============================================================================

create table public.team_requests (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  shown_name text check (char_length(shown_name) between 1 and 20),
  skills text[] not null default '{}' check (cardinality(skills) <= 10 and array_position(skills, null) is null),
  availability text check (char_length(availability) <= 100),
  asked_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
create index team_requests_user_id_idx on public.team_requests (user_id);

comment on table public.team_requests is
  'Requests to join a team: read by the person asking, the team''s leaders and the estate''s managers; written by the team functions only.';

insert into public.notification_kinds (kind) values ('team_request'), ('team_request_decided');

/** The teams the caller leads. */
create function private.led_teams() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(m.team_id), '{}') from public.team_members m
  where (select auth.uid()) is not null and m.user_id = (select auth.uid()) and m.role = 'leader'
$$;

/** Whether the caller decides who joins a team: one of its leaders, or a manager of its estate. */
create function private.decides_for_team(p_team_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select p_team_id = any(private.led_teams())
    or exists (select 1 from public.teams t where t.id = p_team_id and private.manages_estate(t.estate_id))
$$;

revoke all on function private.led_teams(), private.decides_for_team(uuid) from public;
grant execute on function private.led_teams(), private.decides_for_team(uuid) to authenticated, service_role;

alter table public.team_requests enable row level security;
revoke all on public.team_requests from anon, authenticated;
grant select on public.team_requests to authenticated;

/** A request is seen by the person asking, the team's leaders and the managers of its estate. */
create policy "Askers, the team's leaders and the estate's managers can read requests to join" on public.team_requests
  for select to authenticated
  using (user_id = (select auth.uid()) or team_id = any(private.led_teams())
    or team_id in (select t.id from public.teams t where t.estate_id = any(private.managed_estates())));

/**
 * A verified member of the team's estate asks to join it (their shown name,
 * skills and availability kept with the request; asking again updates it),
 * and the team's leaders hear of it; a manager of the estate joins at once;
 * a member of the team updates the name they show, skills and availability.
 */
create or replace function private.join_team(p_team_id uuid, p_shown_name text, p_skills text[], p_availability text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_team public.teams;
  v_skills text[] := private.check_skills(p_skills);
  v_shown text := nullif(trim(p_shown_name), '');
  v_avail text := nullif(trim(p_availability), '');
begin
  select * into v_team from public.teams where id = p_team_id;
  if v_team.id is null or not (v_team.estate_id = any(private.member_estates() || private.managed_estates())) then
    perform private.fail('P0002', 'errors.team_not_found');
  end if;
  if not private.is_member_of(v_team.estate_id, v_uid) then
    perform private.fail('42501', 'errors.not_member');
  end if;
  if char_length(trim(p_shown_name)) > 20 then
    perform private.fail('22023', 'errors.shown_name_invalid', 'shown_name');
  end if;
  if char_length(p_availability) > 100 then
    perform private.fail('22023', 'errors.availability_invalid', 'availability');
  end if;
  if exists (select 1 from public.team_members where team_id = p_team_id and user_id = v_uid)
     or private.manages_estate(v_team.estate_id) then
    insert into public.team_members (team_id, user_id, shown_name, skills, availability)
    values (p_team_id, v_uid, v_shown, v_skills, v_avail)
    on conflict (team_id, user_id) do update set shown_name = excluded.shown_name, skills = excluded.skills,
      availability = excluded.availability;
    delete from public.team_requests where team_id = p_team_id and user_id = v_uid;
    return jsonb_build_object('team_id', p_team_id, 'role', (select role from public.team_members where team_id = p_team_id and user_id = v_uid));
  end if;
  insert into public.team_requests (team_id, user_id, shown_name, skills, availability)
  values (p_team_id, v_uid, v_shown, v_skills, v_avail)
  on conflict (team_id, user_id) do update set shown_name = excluded.shown_name, skills = excluded.skills,
    availability = excluded.availability;
  perform private.notify(array(select m.user_id from public.team_members m where m.team_id = p_team_id and m.role = 'leader'),
    'team_request', null, jsonb_build_object('path', '/estates/' || v_team.estate_id || '/teams/' || p_team_id,
      'estate_id', v_team.estate_id, 'team_id', p_team_id, 'title', v_team.name));
  return jsonb_build_object('team_id', p_team_id, 'role', null, 'asked', true);
end
$$;

/**
 * A leader of the team or a manager of its estate approves a request to join
 * (the person becomes a member, with the name, skills and availability they
 * gave, if still a verified member of the estate) or declines it; either way
 * the request is gone and the person hears of it. The request's row lock
 * orders two decisions at once: the second finds none.
 */
create function private.decide_team_request(p_team_id uuid, p_user_id uuid, p_approve boolean) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_team public.teams;
  r public.team_requests;
begin
  select * into v_team from public.teams where id = p_team_id and estate_id = any(private.member_estates() || private.managed_estates());
  if v_team.id is null then
    perform private.fail('P0002', 'errors.team_not_found');
  end if;
  if not private.decides_for_team(p_team_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if p_approve is null then
    perform private.fail('22023', 'errors.decision_required', 'decision');
  end if;
  select * into r from public.team_requests where team_id = p_team_id and user_id = p_user_id for update;
  if r.team_id is null then
    perform private.fail('P0002', 'errors.team_request_not_found', 'user_id');
  end if;
  delete from public.team_requests where team_id = p_team_id and user_id = p_user_id;
  if p_approve then
    if not private.is_member_of(v_team.estate_id, p_user_id) then
      perform private.fail('22023', 'errors.not_member', 'user_id');
    end if;
    insert into public.team_members (team_id, user_id, shown_name, skills, availability)
    values (p_team_id, p_user_id, r.shown_name, r.skills, r.availability)
    on conflict (team_id, user_id) do nothing;
  end if;
  perform private.notify(array_remove(array[p_user_id], v_uid), 'team_request_decided', null,
    jsonb_build_object('path', '/estates/' || v_team.estate_id || '/teams/' || p_team_id, 'estate_id', v_team.estate_id,
      'team_id', p_team_id, 'title', v_team.name, 'approved', p_approve));
  return jsonb_build_object('team_id', p_team_id, 'user_id', p_user_id, 'approved', p_approve);
end
$$;

revoke all on function private.decide_team_request(uuid, uuid, boolean) from public;
grant execute on function private.decide_team_request(uuid, uuid, boolean) to authenticated, service_role;

/** A team's page: the team, its members as they choose to show, its open tasks, hours, and the requests to join it. */
create or replace function private.team_page(p_team_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_team public.teams;
  v_decides boolean;
begin
  select * into v_team from public.teams where id = p_team_id and estate_id = any(private.member_estates() || private.managed_estates());
  if v_team.id is null then
    perform private.fail('P0002', 'errors.team_not_found');
  end if;
  v_decides := private.decides_for_team(p_team_id);
  return jsonb_build_object(
    'team', jsonb_build_object('id', v_team.id, 'estate_id', v_team.estate_id, 'name', v_team.name, 'about', v_team.about,
      'created_at', v_team.created_at),
    'members', private.team_roster(p_team_id),
    'mine', (select jsonb_build_object('role', role, 'shown_name', shown_name, 'skills', to_jsonb(skills), 'availability', availability)
      from public.team_members where team_id = p_team_id and user_id = v_uid),
    'may_manage', private.manages_estate(v_team.estate_id),
    -- Asking to join: the caller's own request waiting, and for the team's leaders and the committee every one.
    'my_request', (select jsonb_build_object('asked_at', r.asked_at) from public.team_requests r
      where r.team_id = p_team_id and r.user_id = v_uid),
    'may_decide', v_decides,
    'requests', case when v_decides then coalesce((select jsonb_agg(jsonb_build_object('user_id', r.user_id,
        'name', coalesce(r.shown_name, p.display_name), 'skills', to_jsonb(r.skills), 'availability', r.availability,
        'asked_at', r.asked_at) order by r.asked_at, r.user_id)
      from public.team_requests r join public.profiles p on p.id = r.user_id where r.team_id = p_team_id), '[]'::jsonb)
      else '[]'::jsonb end,
    'open_tasks', coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'title', t.title, 'starts_at', t.starts_at,
        'left', t.slots - t.taken, 'est_hours', t.est_hours) order by t.starts_at)
      from public.tasks t where t.team_id = p_team_id and t.status = 'open' and t.starts_at > now()), '[]'::jsonb),
    'hours', (select coalesce(sum(c.hours), 0) from public.task_claims c join public.tasks t on t.id = c.task_id
      where c.status = 'confirmed' and t.team_id = p_team_id));
end
$$;

revoke all on function private.team_page(uuid) from public;
grant execute on function private.team_page(uuid) to authenticated, service_role;

/** A leader of the team or the committee approves or declines a request to join it. */
create function public.decide_team_request(p_team_id uuid, p_user_id uuid, p_approve boolean) returns jsonb
language sql set search_path = '' as $$ select private.decide_team_request(p_team_id, p_user_id, p_approve) $$;
revoke execute on function public.decide_team_request(uuid, uuid, boolean) from public, anon;
grant execute on function public.decide_team_request(uuid, uuid, boolean) to authenticated;
