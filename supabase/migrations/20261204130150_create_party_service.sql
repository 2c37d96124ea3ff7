-- ============================================================================
-- Party members in the community (在职党员进社区 / 双报到): a party member who
-- is a verified resident of an estate registers with its community, naming
-- their branch or employer as text; tasks for party members are theirs to
-- claim. The community asks a number of hours a year of each
-- (work_settings.party_yearly_hours); the service record shows the hours
-- credited by quarter against it, and can be printed as a service card for
-- the branch or employer. A card is a snapshot of the record, with a code:
-- the QR code on the printed card opens a public page that shows what the
-- card claims, and only that, to whoever holds the code (a capability URL:
-- the code is 122 random bits, and the policy lets a reader see the one card
-- whose code they present, nothing else).
-- ============================================================================

create table public.party_members (
  community_id uuid not null references public.communities (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  -- The party branch or the employer (在职单位), as the member writes it.
  branch text not null check (char_length(branch) between 1 and 60),
  registered_at timestamptz not null default now(),
  primary key (community_id, user_id)
);
create index party_members_user_id_idx on public.party_members (user_id);

create table public.service_cards (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[0-9a-f]{32}$'),
  community_id uuid not null references public.communities (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  -- What the card claims, as printed.
  name text not null check (char_length(name) between 1 and 40),
  branch text not null check (char_length(branch) between 1 and 60),
  community_name text not null,
  year integer not null check (year between 2000 and 2100),
  quarters numeric(7, 1)[] not null check (cardinality(quarters) = 4),
  total numeric(7, 1) not null,
  asked numeric(6, 1) not null,
  issued_at timestamptz not null default now()
);
create index service_cards_user_idx on public.service_cards (user_id, year);
create index service_cards_community_id_idx on public.service_cards (community_id);

comment on table public.party_members is
  'Party members registered with a community: read by the member and the community''s committees (the staff); written by the functions only.';
comment on table public.service_cards is
  'Printed service cards: read by their member, the community''s committees, and whoever presents the card''s code; written by the functions only.';

alter table public.party_members enable row level security;
alter table public.service_cards enable row level security;
revoke all on public.party_members, public.service_cards from anon, authenticated;
grant select on public.party_members to authenticated;
-- Who the card is of, as an account, is not for the holder of the code: they read what is printed.
grant select (id, code, community_id, name, branch, community_name, year, quarters, total, asked, issued_at) on public.service_cards to anon, authenticated;

/** A member sees their own registration; the community's committees see every registration of it. */
create policy "Party members and committees can read registrations" on public.party_members for select to authenticated
  using (user_id = (select auth.uid()) or community_id = any(private.managed_communities()));
/** A card is read by its member, the committees of its community, and by whoever presents its code (the QR code). */
create policy "Holders of a card's code can read the card" on public.service_cards for select to anon, authenticated
  using (code = nullif(current_setting('linyi.card_code', true), ''));
create policy "Members and committees can read their cards" on public.service_cards for select to authenticated
  using (user_id = (select auth.uid()) or community_id = any(private.managed_communities()));

-- ----------------------------------------------------------------------------
-- Definer halves.
-- ----------------------------------------------------------------------------

/** A verified resident registers (or updates the branch of) their party membership with the community of an estate. */
create function private.register_party_member(p_estate_id uuid, p_branch text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_community uuid;
begin
  select community_id into v_community from public.estates where id = p_estate_id and private.is_member_of(id, v_uid);
  if v_community is null then
    perform private.fail('42501', 'errors.not_member');
  end if;
  if coalesce(trim(p_branch), '') = '' or char_length(trim(p_branch)) > 60 then
    perform private.fail('22023', 'errors.branch_invalid', 'branch');
  end if;
  insert into public.party_members (community_id, user_id, branch) values (v_community, v_uid, trim(p_branch))
  on conflict (community_id, user_id) do update set branch = excluded.branch;
  return jsonb_build_object('community_id', v_community, 'branch', trim(p_branch));
end
$$;

/** A person's hours served in a year, by quarter (China time): what the ledger records as their service. */
create function private.served_by_quarter(p_community_id uuid, p_user_id uuid, p_year integer) returns numeric[]
language sql stable security definer set search_path = '' as $$
  select array(select coalesce(sum(-e.amount), 0)::numeric(7, 1) from generate_series(1, 4) q
    left join public.time_entries e on e.earner_id = p_user_id and e.unit = 'hour'
      and e.account_id = (select a.id from public.time_accounts a where a.community_id = p_community_id and a.kind = 'community')
      and extract(year from e.created_at at time zone 'Asia/Shanghai') = p_year
      and extract(quarter from e.created_at at time zone 'Asia/Shanghai') = q
    group by q order by q)
$$;
revoke all on function private.served_by_quarter(uuid, uuid, integer) from public;

/**
 * A person's service record in the community of an estate for a year: the
 * registration, the hours by quarter against what the community asks, and
 * the confirmed tasks. Their own, or anyone's for the committee.
 */
create function private.service_record(p_estate_id uuid, p_year integer, p_user_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_community uuid := private.my_community(p_estate_id);
  v_who uuid := coalesce(p_user_id, v_uid);
  v_year integer := coalesce(p_year, extract(year from now() at time zone 'Asia/Shanghai')::integer);
  v_quarters numeric[];
begin
  if v_who <> v_uid and not (v_community = any(private.managed_communities())) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if v_year not between 2000 and 2100 then
    perform private.fail('22023', 'errors.year_invalid', 'year');
  end if;
  v_quarters := private.served_by_quarter(v_community, v_who, v_year);
  return jsonb_build_object(
    'user_id', v_who,
    'name', (select display_name from public.profiles where id = v_who),
    'community_name', (select name from public.communities where id = v_community),
    'branch', (select branch from public.party_members where community_id = v_community and user_id = v_who),
    'year', v_year,
    'quarters', to_jsonb(v_quarters),
    'total', (select sum(x) from unnest(v_quarters) x),
    'asked', (private.work_settings_of(v_community)).party_yearly_hours,
    'tasks', coalesce((select jsonb_agg(jsonb_build_object('title', t.title, 'starts_at', t.starts_at, 'hours', c.hours,
        'confirmed_at', c.decided_at) order by c.decided_at)
      from public.task_claims c join public.tasks t on t.id = c.task_id join public.estates e on e.id = t.estate_id
      where c.user_id = v_who and c.status = 'confirmed' and e.community_id = v_community
        and extract(year from c.decided_at at time zone 'Asia/Shanghai') = v_year), '[]'::jsonb),
    'card', (select jsonb_build_object('code', s.code, 'issued_at', s.issued_at, 'total', s.total) from public.service_cards s
      where s.user_id = v_who and s.community_id = v_community and s.year = v_year order by s.issued_at desc limit 1));
end
$$;

/**
 * A registered party member issues the service card of a year: a snapshot
 * of the record with a fresh code; the same figures reuse the latest card.
 */
create function private.issue_service_card(p_estate_id uuid, p_year integer) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_community uuid := private.my_community(p_estate_id);
  v_year integer := coalesce(p_year, extract(year from now() at time zone 'Asia/Shanghai')::integer);
  v_branch text;
  v_quarters numeric[];
  v_card public.service_cards;
begin
  select branch into v_branch from public.party_members where community_id = v_community and user_id = v_uid;
  if v_branch is null then
    perform private.fail('42501', 'errors.party_not_registered');
  end if;
  if v_year not between 2000 and 2100 then
    perform private.fail('22023', 'errors.year_invalid', 'year');
  end if;
  v_quarters := private.served_by_quarter(v_community, v_uid, v_year);
  select * into v_card from public.service_cards where user_id = v_uid and community_id = v_community and year = v_year
  order by issued_at desc limit 1;
  if v_card.id is null or v_card.quarters <> v_quarters::numeric(7, 1)[] or v_card.branch <> v_branch then
    insert into public.service_cards (code, community_id, user_id, name, branch, community_name, year, quarters, total, asked)
    values (replace(gen_random_uuid()::text, '-', ''), v_community, v_uid, (select display_name from public.profiles where id = v_uid),
      v_branch, (select name from public.communities where id = v_community), v_year, v_quarters,
      (select sum(x) from unnest(v_quarters) x), (private.work_settings_of(v_community)).party_yearly_hours)
    returning * into v_card;
  end if;
  return jsonb_build_object('code', v_card.code, 'issued_at', v_card.issued_at);
end
$$;

revoke all on function private.register_party_member(uuid, text), private.service_record(uuid, integer, uuid),
  private.issue_service_card(uuid, integer) from public;
grant execute on function private.register_party_member(uuid, text), private.service_record(uuid, integer, uuid),
  private.issue_service_card(uuid, integer) to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- The API.
-- ----------------------------------------------------------------------------

/** Registers the caller as a party member with the community of an estate (双报到), with their branch or employer. */
create function public.register_party_member(p_estate_id uuid, p_branch text) returns jsonb
language sql set search_path = '' as $$ select private.register_party_member(p_estate_id, p_branch) $$;
/** A service record by quarter for a year (the caller's, or for the committee anyone's in its community). */
create function public.service_record(p_estate_id uuid, p_year integer default null, p_user_id uuid default null) returns jsonb
language sql set search_path = '' as $$ select private.service_record(p_estate_id, p_year, p_user_id) $$;
/** Issues the caller's printable service card for a year; its code goes in the QR code. */
create function public.issue_service_card(p_estate_id uuid, p_year integer default null) returns jsonb
language sql set search_path = '' as $$ select private.issue_service_card(p_estate_id, p_year) $$;
/** What a service card claims, for whoever presents its code (the public verification page); null for an unknown code. */
create function public.verify_service_card(p_code text) returns jsonb
language plpgsql set search_path = '' as $$
begin
  if coalesce(p_code, '') !~ '^[0-9a-f]{32}$' then
    return null;
  end if;
  perform set_config('linyi.card_code', p_code, true);
  return (select jsonb_build_object('name', s.name, 'branch', s.branch, 'community_name', s.community_name, 'year', s.year,
      'quarters', to_jsonb(s.quarters), 'total', s.total, 'asked', s.asked, 'issued_at', s.issued_at)
    from public.service_cards s where s.code = p_code);
end
$$;
revoke execute on function public.register_party_member(uuid, text), public.service_record(uuid, integer, uuid),
  public.issue_service_card(uuid, integer), public.verify_service_card(text) from public, anon;
grant execute on function public.verify_service_card(text) to anon;
grant execute on function public.register_party_member(uuid, text), public.service_record(uuid, integer, uuid),
  public.issue_service_card(uuid, integer), public.verify_service_card(text) to authenticated;
