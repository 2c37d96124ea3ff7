-- ============================================================================
-- Tenancy: communities (社区) → estates (小区) → areas (courtyards, buildings,
-- spaces) → units (专有部分) ← owners. People: profiles and memberships.
-- ============================================================================

create table public.communities (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 60),
  district text check (char_length(district) <= 60),
  created_at timestamptz not null default now()
);

create table public.estates (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references public.communities (id) on delete restrict,
  name text not null check (char_length(name) between 1 and 60),
  address text check (char_length(address) <= 200),
  -- geographic: areas in WGS-84 [lng, lat]; site_plan: areas in plan pixels [x, y] over plan_image.
  map_mode text not null default 'geographic' check (map_mode in ('geographic', 'site_plan')),
  center_lat numeric(9, 6) check (center_lat between -90 and 90),
  center_lng numeric(9, 6) check (center_lng between -180 and 180),
  zoom smallint not null default 17 check (zoom between 1 and 20),
  plan_image text check (char_length(plan_image) <= 300),
  plan_width integer check (plan_width between 100 and 20000),
  plan_height integer check (plan_height between 100 and 20000),
  created_at timestamptz not null default now(),
  unique (community_id, name),
  check (map_mode <> 'geographic' or (center_lat is not null and center_lng is not null)),
  check (map_mode <> 'site_plan' or (plan_width is not null and plan_height is not null))
);
create index estates_community_id_idx on public.estates (community_id);

create table public.areas (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  parent_id uuid references public.areas (id) on delete set null,
  kind text not null check (kind in ('courtyard', 'building', 'space')),
  name text not null check (char_length(name) between 1 and 40),
  geometry jsonb check (geometry is null or private.is_polygon_geojson(geometry)),
  created_at timestamptz not null default now(),
  unique (estate_id, kind, name)
);
create index areas_estate_id_idx on public.areas (estate_id);
create index areas_parent_id_idx on public.areas (parent_id);

-- A parent is a courtyard of the same estate, which a foreign key alone cannot say.
create function private.check_area_parent() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.parent_id is not null and not exists (
    select 1 from public.areas p where p.id = new.parent_id and p.estate_id = new.estate_id and p.kind = 'courtyard' and p.id <> new.id
  ) then
    perform private.fail('23514', 'errors.parent_not_courtyard', 'parent_id');
  end if;
  return new;
end
$$;
create trigger areas_parent_in_estate before insert or update of parent_id, estate_id on public.areas
  for each row execute function private.check_area_parent();

create table public.units (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  building_id uuid not null references public.areas (id) on delete restrict,
  entrance text not null default '' check (char_length(entrance) <= 10),
  room text not null check (char_length(room) between 1 and 10),
  floor_area numeric(8, 2) not null check (floor_area > 0 and floor_area < 100000),
  -- The developer's units that are unsold or undelivered count together as one owner (法释〔2009〕7号 art. 9).
  developer_held boolean not null default false,
  created_at timestamptz not null default now(),
  unique (building_id, entrance, room)
);
create index units_estate_id_idx on public.units (estate_id);

-- Keeps a unit's building inside the unit's estate, which a foreign key alone cannot.
create function private.check_unit_building() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not exists (select 1 from public.areas a where a.id = new.building_id and a.estate_id = new.estate_id and a.kind = 'building') then
    perform private.fail('23514', 'errors.building_not_in_estate', 'building');
  end if;
  return new;
end
$$;
create trigger units_building_in_estate before insert or update of building_id, estate_id on public.units
  for each row execute function private.check_unit_building();

create table public.owners (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 40),
  user_id uuid references auth.users (id) on delete set null,
  is_developer boolean not null default false,
  created_at timestamptz not null default now(),
  unique (estate_id, name)
);
create index owners_user_id_idx on public.owners (user_id);

create table public.unit_owners (
  unit_id uuid not null references public.units (id) on delete cascade,
  owner_id uuid not null references public.owners (id) on delete cascade,
  primary key (unit_id, owner_id)
);
create index unit_owners_owner_id_idx on public.unit_owners (owner_id);

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text not null check (char_length(display_name) between 1 and 40),
  locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
  -- A social worker or platform administrator: sets up communities and estates, grants any role.
  is_admin boolean not null default false,
  created_at timestamptz not null default now()
);

create table public.memberships (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'verified', 'rejected')),
  unit_id uuid references public.units (id) on delete set null,
  -- What the applicant wrote about their unit when it is not in the register.
  unit_note text check (char_length(unit_note) <= 100),
  claims_owner boolean not null default false,
  roles text[] not null default '{}' check (roles <@ array['owner', 'volunteer', 'moderator', 'committee', 'party_member']),
  reason text check (char_length(reason) <= 200),
  decided_by uuid references public.profiles (id) on delete set null,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  unique (estate_id, user_id),
  check (status <> 'rejected' or reason is not null)
);
create index memberships_user_id_idx on public.memberships (user_id);
create index memberships_unit_id_idx on public.memberships (unit_id);
create index memberships_decided_by_idx on public.memberships (decided_by);
create index memberships_estate_status_idx on public.memberships (estate_id, status);

-- ----------------------------------------------------------------------------
-- Who the caller is, for policies. Security definer (in schema private, see
-- create_private_helpers): a policy on memberships cannot read memberships
-- under RLS without recursing.
-- ----------------------------------------------------------------------------

/** Whether the caller is a platform administrator. */
create function private.is_admin() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select p.is_admin from public.profiles p where p.id = (select auth.uid())), false)
$$;

/** The estates where the caller is a verified member. */
create function private.member_estates() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(m.estate_id), '{}') from public.memberships m
  where m.user_id = (select auth.uid()) and m.status = 'verified'
$$;

/** The estates where the caller holds any of the given roles (verified members only). */
create function private.estates_with_role(p_roles text[]) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(m.estate_id), '{}') from public.memberships m
  where m.user_id = (select auth.uid()) and m.status = 'verified' and m.roles && p_roles
$$;

/** Whether the caller may manage an estate: its committee, or an administrator. */
create function private.manages_estate(p_estate_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.is_admin() or p_estate_id = any(private.estates_with_role(array['committee']))
$$;

/**
 * The estates the caller manages, as one array. Policies compare estate_id
 * with it, so it runs once per query; manages_estate(estate_id) in a policy
 * would run two lookups for every row the query touches.
 */
create function private.managed_estates() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select case when private.is_admin() then (select coalesce(array_agg(id), '{}') from public.estates)
    else private.estates_with_role(array['committee']) end
$$;

revoke all on function private.is_admin(), private.member_estates(), private.estates_with_role(text[]),
  private.manages_estate(uuid), private.managed_estates() from public;
grant execute on function private.is_admin(), private.member_estates(), private.estates_with_role(text[]),
  private.manages_estate(uuid), private.managed_estates() to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- Profiles are created with the account.
-- ----------------------------------------------------------------------------

/** Creates the profile of a new account. Security definer: it runs as the auth service, which cannot write public tables. */
create function private.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, display_name, locale)
  values (
    new.id,
    left(coalesce(nullif(trim(new.raw_user_meta_data ->> 'display_name'), ''), '邻居'), 40),
    case when new.raw_user_meta_data ->> 'locale' = 'en' then 'en' else 'zh-CN' end
  );
  return new;
end
$$;
revoke all on function private.handle_new_user() from public;
create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();

-- ----------------------------------------------------------------------------
-- Membership rules no policy can express: which role changes a committee
-- member may make, that applicants start empty-handed, and that a membership
-- stays with its person, its estate and a unit of that estate.
-- ----------------------------------------------------------------------------

/** Enforces who may set which roles and statuses on a membership, and who may remove one. */
create function private.check_membership_change() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_changed text[];
begin
  if current_user not in ('authenticated', 'anon') then
    return coalesce(new, old);
  end if;
  -- Handing a membership to another person or estate would hand over its roles and standing with it.
  if tg_op = 'UPDATE' and (new.user_id <> old.user_id or new.estate_id <> old.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if tg_op <> 'DELETE' and new.unit_id is not null and new.unit_id is distinct from old.unit_id
     and not exists (select 1 from public.units u where u.id = new.unit_id and u.estate_id = new.estate_id) then
    perform private.fail('23514', 'errors.unit_not_in_estate', 'unit_id');
  end if;
  if private.is_admin() then
    return coalesce(new, old);
  end if;
  -- Rejecting or removing a holder of a role only administrators grant would take that role away;
  -- the holder may still leave.
  if tg_op <> 'INSERT' and old.roles && array['committee', 'party_member']
     and ((tg_op = 'DELETE' and old.user_id <> auth.uid()) or (tg_op = 'UPDATE' and new.status <> old.status)) then
    perform private.fail('42501', 'errors.role_not_grantable', 'roles');
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  if tg_op = 'INSERT' and new.user_id = auth.uid() and not private.manages_estate(new.estate_id) then
    if new.status <> 'pending' or new.roles <> '{}' or new.decided_by is not null then
      perform private.fail('42501', 'errors.forbidden');
    end if;
    return new;
  end if;
  v_changed := array(
    select r from unnest(new.roles) r where r <> all(coalesce(old.roles, '{}'))
    union
    select r from unnest(coalesce(old.roles, '{}')) r where r <> all(new.roles)
  );
  -- Committee members verify households (owner) and grant volunteer and moderator; other roles are the administrators'.
  if not v_changed <@ array['volunteer', 'moderator', 'owner'] then
    perform private.fail('42501', 'errors.role_not_grantable', 'roles');
  end if;
  if tg_op = 'UPDATE' and new.user_id = auth.uid() and v_changed <> '{}' then
    perform private.fail('42501', 'errors.role_not_grantable', 'roles');
  end if;
  return new;
end
$$;
create trigger memberships_check_change before insert or update or delete on public.memberships
  for each row execute function private.check_membership_change();

-- ----------------------------------------------------------------------------
-- Row level security. Reads that are public go to anon and authenticated;
-- everything else only to authenticated, through the private helpers.
-- ----------------------------------------------------------------------------

alter table public.communities enable row level security;
alter table public.estates enable row level security;
alter table public.areas enable row level security;
alter table public.units enable row level security;
alter table public.owners enable row level security;
alter table public.unit_owners enable row level security;
alter table public.profiles enable row level security;
alter table public.memberships enable row level security;

revoke all on public.communities, public.estates, public.areas, public.units, public.owners,
  public.unit_owners, public.profiles, public.memberships from anon, authenticated;
grant select on public.communities, public.estates, public.areas to anon;
grant select, insert, update, delete on public.communities, public.estates, public.areas, public.units,
  public.owners, public.unit_owners, public.memberships to authenticated;
grant select on public.profiles to authenticated;
-- Only these profile columns are the user's to change; is_admin is not.
grant update (display_name, locale) on public.profiles to authenticated;

/** Communities are public: anyone can see which communities use Linyi. */
create policy "Anyone can read communities" on public.communities for select to anon, authenticated using (true);
/** Administrators set up communities. */
create policy "Administrators can add communities" on public.communities for insert to authenticated with check ((select private.is_admin()));
create policy "Administrators can change communities" on public.communities for update to authenticated using ((select private.is_admin()));
create policy "Administrators can remove communities" on public.communities for delete to authenticated using ((select private.is_admin()));

/** Estates are public so that people can find theirs and ask to join. */
create policy "Anyone can read estates" on public.estates for select to anon, authenticated using (true);
create policy "Administrators can add estates" on public.estates for insert to authenticated with check ((select private.is_admin()));
create policy "Administrators can change estates" on public.estates for update to authenticated using ((select private.is_admin()));
create policy "Administrators can remove estates" on public.estates for delete to authenticated using ((select private.is_admin()));

/** Courtyards and buildings are public: the estate outline carries no personal data. */
create policy "Anyone can read areas" on public.areas for select to anon, authenticated using (true);
create policy "Estate managers can add areas" on public.areas for insert to authenticated with check (estate_id in (select unnest(private.managed_estates())));
create policy "Estate managers can change areas" on public.areas for update to authenticated
  using (estate_id in (select unnest(private.managed_estates()))) with check (estate_id in (select unnest(private.managed_estates())));
create policy "Estate managers can remove areas" on public.areas for delete to authenticated using (estate_id in (select unnest(private.managed_estates())));

/** Signed-in people can read the unit register (room numbers and floor areas) to name their own unit. */
create policy "Signed-in people can read units" on public.units for select to authenticated using (true);
create policy "Estate managers can add units" on public.units for insert to authenticated with check (estate_id in (select unnest(private.managed_estates())));
create policy "Estate managers can change units" on public.units for update to authenticated
  using (estate_id in (select unnest(private.managed_estates()))) with check (estate_id in (select unnest(private.managed_estates())));
create policy "Estate managers can remove units" on public.units for delete to authenticated using (estate_id in (select unnest(private.managed_estates())));

/** Owners' names are personal data: the estate's managers and the owner themself. */
create policy "Managers and the owner can read owners" on public.owners for select to authenticated
  using (user_id = (select auth.uid()) or estate_id in (select unnest(private.managed_estates())));
create policy "Estate managers can add owners" on public.owners for insert to authenticated with check (estate_id in (select unnest(private.managed_estates())));
create policy "Estate managers can change owners" on public.owners for update to authenticated
  using (estate_id in (select unnest(private.managed_estates()))) with check (estate_id in (select unnest(private.managed_estates())));
create policy "Estate managers can remove owners" on public.owners for delete to authenticated using (estate_id in (select unnest(private.managed_estates())));

/** Who owns which unit follows the owners' visibility. */
create policy "Managers and the owner can read unit owners" on public.unit_owners for select to authenticated
  using (exists (select 1 from public.owners o where o.id = owner_id));
/** Managers link owners to units of the owner's own estate, never of another. */
create policy "Estate managers can add unit owners" on public.unit_owners for insert to authenticated
  with check (exists (select 1 from public.owners o join public.units u on u.id = unit_id and u.estate_id = o.estate_id
                      where o.id = owner_id and o.estate_id in (select unnest(private.managed_estates()))));
create policy "Estate managers can change unit owners" on public.unit_owners for update to authenticated
  using (exists (select 1 from public.owners o where o.id = owner_id and o.estate_id in (select unnest(private.managed_estates()))))
  with check (exists (select 1 from public.owners o join public.units u on u.id = unit_id and u.estate_id = o.estate_id
                      where o.id = owner_id and o.estate_id in (select unnest(private.managed_estates()))));
create policy "Estate managers can remove unit owners" on public.unit_owners for delete to authenticated
  using (exists (select 1 from public.owners o where o.id = owner_id and o.estate_id in (select unnest(private.managed_estates()))));

/** A profile is seen by its person, administrators, and the committees of estates the person asked to join. */
create policy "People can read their own and their applicants' profiles" on public.profiles for select to authenticated
  using (
    id = (select auth.uid()) or (select private.is_admin())
    or exists (select 1 from public.memberships m where m.user_id = profiles.id
               and m.estate_id in (select unnest(private.managed_estates())))
  );
/** People change their own name and language; the column grant keeps is_admin out of reach. */
create policy "People can change their own profile" on public.profiles for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));

/** A membership is seen by its person and the estate's managers. */
create policy "People and estate managers can read memberships" on public.memberships for select to authenticated
  using (user_id = (select auth.uid()) or estate_id in (select unnest(private.managed_estates())));
/** People ask to join (a pending request, checked by trigger); managers enrol residents directly. */
create policy "People can ask to join and managers can enrol" on public.memberships for insert to authenticated
  with check (user_id = (select auth.uid()) or estate_id in (select unnest(private.managed_estates())));
/** Managers verify, reject and grant roles; a person may not edit their own membership. */
create policy "Estate managers can change memberships" on public.memberships for update to authenticated
  using (estate_id in (select unnest(private.managed_estates()))) with check (estate_id in (select unnest(private.managed_estates())));
/** People leave or withdraw a request; managers remove members. */
create policy "People can leave and managers can remove" on public.memberships for delete to authenticated
  using (user_id = (select auth.uid()) or estate_id in (select unnest(private.managed_estates())));
