-- ============================================================================
-- Streets (街道 / 社工站) above communities. A street office such as 亭林 looks
-- after tens of communities; its administrators see the roll-up across them
-- (street_rollup) and open any of their communities' transparency pages.
-- Platform administrators set up streets, put communities in them and grant
-- the street administrator role, through functions; nobody writes
-- street_admins directly.
-- ============================================================================

create table public.streets (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 60),
  district text check (char_length(district) <= 60),
  created_at timestamptz not null default now(),
  unique (name, district)
);

alter table public.communities add column street_id uuid references public.streets (id) on delete set null;
create index communities_street_id_idx on public.communities (street_id);

create table public.street_admins (
  street_id uuid not null references public.streets (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  granted_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (street_id, user_id)
);
create index street_admins_user_id_idx on public.street_admins (user_id);
create index street_admins_granted_by_idx on public.street_admins (granted_by);

comment on table public.street_admins is
  'Street administrators (街道 / 社工站): read by the person and platform administrators; written by grant_street_admin / revoke_street_admin only.';

-- ----------------------------------------------------------------------------
-- Who the caller is, for policies and the read functions. Security definer:
-- a policy cannot read street_admins under RLS for anyone but the caller.
-- ----------------------------------------------------------------------------

/** The streets the caller administers (empty for everyone else). */
create function private.administered_streets() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(s.street_id), '{}') from public.street_admins s where s.user_id = (select auth.uid())
$$;

/**
 * The estates of the communities of the streets the caller administers, as
 * one array (policies compare estate_id with it once per query).
 */
create function private.street_estates() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(e.id), '{}') from public.estates e
  join public.communities c on c.id = e.community_id
  join public.street_admins s on s.street_id = c.street_id and s.user_id = (select auth.uid())
$$;

revoke all on function private.administered_streets(), private.street_estates() from public;
grant execute on function private.administered_streets(), private.street_estates() to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- Row level security.
-- ----------------------------------------------------------------------------

alter table public.streets enable row level security;
alter table public.street_admins enable row level security;

revoke all on public.streets, public.street_admins from anon, authenticated;
grant select on public.streets to anon, authenticated;
grant insert, update, delete on public.streets to authenticated;
grant select on public.street_admins to authenticated;

/** Streets are public, as communities are: anyone can see which streets use Linyi. */
create policy "Anyone can read streets" on public.streets for select to anon, authenticated using (true);
/** Administrators set up streets. */
create policy "Administrators can add streets" on public.streets for insert to authenticated with check ((select private.is_admin()));
/** Administrators rename streets. */
create policy "Administrators can change streets" on public.streets for update to authenticated using ((select private.is_admin()));
/** Administrators remove streets (their communities stay, outside any street). */
create policy "Administrators can remove streets" on public.streets for delete to authenticated using ((select private.is_admin()));

/** Who administers a street is seen by that person and platform administrators. */
create policy "People and administrators can read street administrators" on public.street_admins for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

-- ----------------------------------------------------------------------------
-- Granting the role: platform administrators only.
-- ----------------------------------------------------------------------------

/**
 * Makes a person an administrator of a street (again: no change).
 * Security definer: street_admins has no write grant.
 */
create function private.grant_street_admin(p_street_id uuid, p_user_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
begin
  if not private.is_admin() then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if not exists (select 1 from public.streets s where s.id = p_street_id) then
    perform private.fail('P0002', 'errors.street_not_found', 'street_id');
  end if;
  if not exists (select 1 from public.profiles p where p.id = p_user_id) then
    perform private.fail('P0002', 'errors.user_not_found', 'user_id');
  end if;
  insert into public.street_admins (street_id, user_id, granted_by) values (p_street_id, p_user_id, v_uid)
  on conflict (street_id, user_id) do nothing;
  return jsonb_build_object('street_id', p_street_id, 'user_id', p_user_id);
end
$$;

/** Takes the street administrator role away. Security definer: street_admins has no write grant. */
create function private.revoke_street_admin(p_street_id uuid, p_user_id uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  v_count integer;
begin
  perform private.require_user();
  if not private.is_admin() then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  delete from public.street_admins where street_id = p_street_id and user_id = p_user_id;
  get diagnostics v_count = row_count;
  return v_count > 0;
end
$$;

revoke all on function private.grant_street_admin(uuid, uuid), private.revoke_street_admin(uuid, uuid) from public;
grant execute on function private.grant_street_admin(uuid, uuid), private.revoke_street_admin(uuid, uuid) to authenticated, service_role;

/** A platform administrator makes a person an administrator of a street. */
create function public.grant_street_admin(p_street_id uuid, p_user_id uuid) returns jsonb
language sql set search_path = '' as $$
  select private.grant_street_admin(p_street_id, p_user_id)
$$;

/** A platform administrator takes the street administrator role away; true when there was one. */
create function public.revoke_street_admin(p_street_id uuid, p_user_id uuid) returns boolean
language sql set search_path = '' as $$
  select private.revoke_street_admin(p_street_id, p_user_id)
$$;

revoke execute on function public.grant_street_admin(uuid, uuid), public.revoke_street_admin(uuid, uuid) from public, anon;
grant execute on function public.grant_street_admin(uuid, uuid), public.revoke_street_admin(uuid, uuid) to authenticated;

/** The streets the caller administers (every street, for a platform administrator), by name: the links on their own page. */
create function public.my_streets() returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'district', s.district) order by s.name), '[]'::jsonb)
  from public.streets s
  where s.id = any(private.administered_streets()) or private.is_admin()
$$;

revoke execute on function public.my_streets() from public, anon;
grant execute on function public.my_streets() to authenticated;
