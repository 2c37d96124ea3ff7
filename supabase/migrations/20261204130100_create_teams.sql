-- ============================================================================
-- Volunteer teams (志愿分队), e.g. 晋源水岸花苑's 晋邻: a team of an estate,
-- its leaders and members, each member's skills and availability, and the
-- name each member chooses to show. The estate's committee creates a team
-- and names its leaders; verified members of the estate join and leave
-- themselves. Tasks may be open to a team's volunteers only, and a disputed
-- report of a team task goes to the team's leaders (create_tasks).
-- ============================================================================

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 40),
  about text check (char_length(about) <= 500),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (estate_id, name)
);
create index teams_created_by_idx on public.teams (created_by);

create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role text not null default 'member' check (role in ('leader', 'member')),
  -- The name the member shows on the team page: null shows their display name.
  shown_name text check (char_length(shown_name) between 1 and 20),
  skills text[] not null default '{}' check (cardinality(skills) <= 10 and array_position(skills, null) is null),
  availability text check (char_length(availability) <= 100),
  joined_at timestamptz not null default now(),
  primary key (team_id, user_id)
);
create index team_members_user_id_idx on public.team_members (user_id);

comment on table public.teams is 'Volunteer teams of an estate: read by its verified members; written by the team functions only.';
comment on table public.team_members is 'Members of a team: read by the estate''s verified members; written by the team functions only.';

alter table public.teams enable row level security;
alter table public.team_members enable row level security;
revoke all on public.teams, public.team_members from anon, authenticated;
grant select on public.teams, public.team_members to authenticated;

/** A team is known to the estate it serves: its verified members, its managers. */
create policy "Members of the estate can read its teams" on public.teams for select to authenticated
  using (estate_id = any(private.member_estates()) or estate_id = any(private.managed_estates()));
/** Who is in a team is seen by whoever sees the team. */
create policy "Readers of a team can read its members" on public.team_members for select to authenticated
  using (team_id in (select t.id from public.teams t));

-- ----------------------------------------------------------------------------
-- Definer halves: they check who is asking.
-- ----------------------------------------------------------------------------

/** Whether a person is a verified member of an estate. */
create function private.is_member_of(p_estate_id uuid, p_user_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.memberships where estate_id = p_estate_id and user_id = p_user_id and status = 'verified')
$$;
revoke all on function private.is_member_of(uuid, uuid) from public;

/** Skills as given: trimmed, empty ones dropped, at most 10 of at most 20 characters. */
create function private.check_skills(p_skills text[]) returns text[]
language plpgsql immutable set search_path = '' as $$
declare
  v text[] := array(select distinct trim(x) from unnest(coalesce(p_skills, '{}')) x where coalesce(trim(x), '') <> '');
begin
  if cardinality(v) > 10 or exists (select 1 from unnest(v) x where char_length(x) > 20) then
    perform private.fail('22023', 'errors.skills_invalid', 'skills');
  end if;
  return v;
end
$$;

/** The committee creates a team of its estate with a first leader (by default the caller, who must then be a member). */
create function private.create_team(p_estate_id uuid, p_name text, p_about text, p_leader_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_leader uuid := coalesce(p_leader_id, v_uid);
  v_id uuid;
begin
  if not private.manages_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if coalesce(trim(p_name), '') = '' or char_length(trim(p_name)) > 40 then
    perform private.fail('22023', 'errors.team_name_invalid', 'name');
  end if;
  if char_length(p_about) > 500 then
    perform private.fail('22023', 'errors.team_about_invalid', 'about');
  end if;
  if not private.is_member_of(p_estate_id, v_leader) then
    perform private.fail('22023', 'errors.leader_not_member', 'leader');
  end if;
  begin
    insert into public.teams (estate_id, name, about, created_by) values (p_estate_id, trim(p_name), nullif(trim(p_about), ''), v_uid)
    returning id into v_id;
  exception when unique_violation then
    perform private.fail('23505', 'errors.team_exists', 'name');
  end;
  insert into public.team_members (team_id, user_id, role) values (v_id, v_leader, 'leader');
  return jsonb_build_object('id', v_id);
end
$$;

/**
 * A verified member of the team's estate joins it, or (already a member)
 * updates the name they show, their skills and availability.
 */
create function private.join_team(p_team_id uuid, p_shown_name text, p_skills text[], p_availability text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_team public.teams;
  v_skills text[] := private.check_skills(p_skills);
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
  insert into public.team_members (team_id, user_id, shown_name, skills, availability)
  values (p_team_id, v_uid, nullif(trim(p_shown_name), ''), v_skills, nullif(trim(p_availability), ''))
  on conflict (team_id, user_id) do update set shown_name = excluded.shown_name, skills = excluded.skills,
    availability = excluded.availability;
  return jsonb_build_object('team_id', p_team_id, 'role', (select role from public.team_members where team_id = p_team_id and user_id = v_uid));
end
$$;

/** A member leaves a team; its last leader cannot while others remain (the committee names another first). */
create function private.leave_team(p_team_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_role text;
begin
  perform 1 from public.teams where id = p_team_id for update;
  select role into v_role from public.team_members where team_id = p_team_id and user_id = v_uid;
  if v_role is null then
    perform private.fail('P0002', 'errors.not_team_member');
  end if;
  if v_role = 'leader' and not exists (select 1 from public.team_members where team_id = p_team_id and role = 'leader' and user_id <> v_uid)
     and exists (select 1 from public.team_members where team_id = p_team_id and user_id <> v_uid) then
    perform private.fail('22023', 'errors.team_last_leader');
  end if;
  delete from public.team_members where team_id = p_team_id and user_id = v_uid;
  return jsonb_build_object('team_id', p_team_id);
end
$$;

/** The committee makes a member of the team a leader, or a leader a member again. */
create function private.set_team_leader(p_team_id uuid, p_user_id uuid, p_leader boolean) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_estate uuid;
begin
  perform private.require_user();
  select estate_id into v_estate from public.teams where id = p_team_id;
  if v_estate is null or not private.manages_estate(v_estate) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  update public.team_members set role = case when p_leader then 'leader' else 'member' end
  where team_id = p_team_id and user_id = p_user_id;
  if not found then
    perform private.fail('P0002', 'errors.not_team_member', 'user');
  end if;
  return jsonb_build_object('team_id', p_team_id, 'user_id', p_user_id, 'leader', coalesce(p_leader, false));
end
$$;

/** The names members show on a team page: their chosen name, else their display name. */
create function private.team_roster(p_team_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('user_id', m.user_id, 'name', coalesce(m.shown_name, p.display_name),
      'role', m.role, 'skills', to_jsonb(m.skills), 'availability', m.availability, 'joined_at', m.joined_at)
    order by m.role = 'leader' desc, m.joined_at, m.user_id), '[]'::jsonb)
  from public.team_members m join public.profiles p on p.id = m.user_id
  where m.team_id = p_team_id and exists (select 1 from public.teams t where t.id = p_team_id
    and t.estate_id = any(private.member_estates() || private.managed_estates()))
$$;

revoke all on function private.check_skills(text[]), private.create_team(uuid, text, text, uuid), private.join_team(uuid, text, text[], text),
  private.leave_team(uuid), private.set_team_leader(uuid, uuid, boolean), private.team_roster(uuid) from public;
grant execute on function private.check_skills(text[]), private.create_team(uuid, text, text, uuid), private.join_team(uuid, text, text[], text),
  private.leave_team(uuid), private.set_team_leader(uuid, uuid, boolean), private.team_roster(uuid) to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- The API: security invoker.
-- ----------------------------------------------------------------------------

/** The committee creates a volunteer team of its estate, with its first leader. */
create function public.create_team(p_estate_id uuid, p_name text, p_about text default null, p_leader_id uuid default null) returns jsonb
language sql set search_path = '' as $$
  select private.create_team(p_estate_id, p_name, p_about, p_leader_id)
$$;
/** Joins a team (or updates one's shown name, skills and availability in it). */
create function public.join_team(p_team_id uuid, p_shown_name text default null, p_skills text[] default '{}', p_availability text default null)
returns jsonb
language sql set search_path = '' as $$
  select private.join_team(p_team_id, p_shown_name, p_skills, p_availability)
$$;
/** Leaves a team. */
create function public.leave_team(p_team_id uuid) returns jsonb
language sql set search_path = '' as $$
  select private.leave_team(p_team_id)
$$;
/** The committee makes a member a leader of the team, or not. */
create function public.set_team_leader(p_team_id uuid, p_user_id uuid, p_leader boolean) returns jsonb
language sql set search_path = '' as $$
  select private.set_team_leader(p_team_id, p_user_id, p_leader)
$$;
/** The teams of an estate with their numbers, and whether the caller is in each. */
create function public.estate_teams(p_estate_id uuid) returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'about', t.about,
      'members', (select count(*) from public.team_members m where m.team_id = t.id),
      'mine', exists (select 1 from public.team_members m where m.team_id = t.id and m.user_id = (select auth.uid())))
    order by t.name), '[]'::jsonb)
  from public.teams t where t.estate_id = p_estate_id
$$;
revoke execute on function public.create_team(uuid, text, text, uuid), public.join_team(uuid, text, text[], text),
  public.leave_team(uuid), public.set_team_leader(uuid, uuid, boolean), public.estate_teams(uuid) from public, anon;
grant execute on function public.create_team(uuid, text, text, uuid), public.join_team(uuid, text, text[], text),
  public.leave_team(uuid), public.set_team_leader(uuid, uuid, boolean), public.estate_teams(uuid) to authenticated;
