-- ============================================================================
-- The time bank (时间银行) as a double-entry ledger (DESIGN §4 "Work",
-- issue #15). Hours served and 时间币 are two units on one ledger; every
-- movement is two rows, one taken from an account and one given to another,
-- that sum to zero: earned (the community's account → a person's), spent (to
-- a provider), donated (to the community's fund for 孤寡/失独 elders),
-- transferred (to a relative over 60), over the cap (the part of an earning
-- above a limit goes to the elders' fund), and reversals, which undo a
-- movement by a new one. Nothing is ever edited: no update or delete grant
-- for anyone, and a trigger refuses update, delete and truncate even to the
-- table's owner. Each row carries its account's balance after it, written
-- under the account's row lock, so a balance is one index lookup however
-- long the ledger grows. The community's own account issues what is earned
-- and so runs negative; the sum over the whole community is always zero.
--
-- Accounts belong to a community (社区), not an estate: hours go with the
-- person across the estates of a community. The limits are the community's
-- work settings (public.work_settings), which the task capability reads too.
--
-- Hours are credited through one private definer, private.credit_hours,
-- called by confirm_work for tasks and, later, by the micro-wishes for a
-- fulfilled wish: it takes a category, the source (kind and id) and the kind
-- of work whose rate turns hours into 时间币, and credits each source once.
-- ============================================================================

-- ----------------------------------------------------------------------------
-- The community's work settings: the limits local practice sets.
-- ----------------------------------------------------------------------------

/** A community's rules for tasks and the time bank; a community without a row uses the defaults. */
create table public.work_settings (
  community_id uuid primary key references public.communities (id) on delete cascade,
  -- What the community asks of each registered party member per year (在职党员进社区), in hours.
  party_yearly_hours numeric(6, 1) not null default 12 check (party_yearly_hours between 0 and 1000),
  -- Claims per person per calendar month (China time), across the community's tasks.
  monthly_claim_cap integer not null default 8 check (monthly_claim_cap between 1 and 100),
  -- 时间币 for one hour, by kind of work ({"visit": 1.5}); a kind not named earns default_coin_rate.
  coin_rates jsonb not null default '{}'::jsonb check (jsonb_typeof(coin_rates) = 'object'),
  default_coin_rate numeric(5, 2) not null default 1 check (default_coin_rate between 0 and 100),
  -- At most this many 时间币 earned by a person in a day (China time); the rest goes to the elders' fund.
  daily_coin_cap numeric(8, 2) not null default 24 check (daily_coin_cap between 0 and 10000),
  -- At most this many hours credited to a person in a calendar year; the rest goes to the elders' fund.
  yearly_hour_cap numeric(8, 2) not null default 500 check (yearly_hour_cap between 0 and 100000),
  -- A claim may be released by its claimer until this many hours before the task starts.
  release_cutoff_hours integer not null default 2 check (release_cutoff_hours between 0 and 168),
  -- A claim not started this many minutes after the task's start is released by the sweep.
  no_show_minutes integer not null default 30 check (no_show_minutes between 5 and 1440),
  updated_at timestamptz not null default now()
);

/** The settings of a community, the defaults filled in when it has set none (keep them equal to the table's). */
create function private.work_settings_of(p_community_id uuid) returns public.work_settings
language plpgsql stable security definer set search_path = '' as $$
declare
  s public.work_settings;
begin
  select * into s from public.work_settings where community_id = p_community_id;
  if s.community_id is null then
    s := row(p_community_id, 12, 8, '{}'::jsonb, 1, 24, 500, 2, 30, now())::public.work_settings;
  end if;
  return s;
end
$$;

-- ----------------------------------------------------------------------------
-- Accounts and entries.
-- ----------------------------------------------------------------------------

create table public.time_accounts (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references public.communities (id) on delete cascade,
  -- community: the issuer of what is earned; elder_fund: the fund for 孤寡/失独 elders; person: one person's.
  kind text not null check (kind in ('community', 'elder_fund', 'person')),
  user_id uuid references public.profiles (id) on delete restrict,
  -- A person over 60 registered by the committee: relatives may transfer to them.
  elder boolean not null default false,
  created_at timestamptz not null default now(),
  check ((kind = 'person') = (user_id is not null)),
  check (kind = 'person' or not elder)
);
create unique index time_accounts_community_kind_idx on public.time_accounts (community_id, kind) where kind <> 'person';
create unique index time_accounts_person_idx on public.time_accounts (community_id, user_id) where kind = 'person';
create index time_accounts_user_id_idx on public.time_accounts (user_id);

create table public.time_entries (
  id bigint generated always as identity primary key,
  -- The two rows of one movement share it.
  movement_id uuid not null,
  community_id uuid not null references public.communities (id) on delete cascade,
  account_id uuid not null references public.time_accounts (id) on delete restrict,
  unit text not null check (unit in ('hour', 'coin')),
  amount numeric(10, 2) not null check (amount <> 0),
  -- The account's balance in this unit after this row: the balance is the newest row's.
  balance_after numeric(12, 2) not null,
  category text not null check (category in ('earned', 'over_cap', 'spent', 'donated', 'transferred', 'reversal')),
  -- What the movement is for: a task claim ('task_claim'), later a wish; null for a person's own transfer.
  source_kind text check (source_kind ~ '^[a-z_]{2,30}$'),
  source_id uuid,
  -- The person whose service an earning records (also when its excess went to the elders' fund).
  earner_id uuid references public.profiles (id) on delete restrict,
  -- For a reversal: the movement it undoes.
  reverses uuid,
  note text check (char_length(note) <= 200),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  check ((source_kind is null) = (source_id is null))
);
create index time_entries_account_idx on public.time_entries (account_id, unit, id desc);
create index time_entries_movement_idx on public.time_entries (movement_id);
create index time_entries_community_idx on public.time_entries (community_id, unit);
create index time_entries_earner_idx on public.time_entries (earner_id, unit, created_at) where earner_id is not null;
create index time_entries_created_by_idx on public.time_entries (created_by);
-- A source is credited once (20 confirmations at once → one credit): the given row of its earning.
create unique index time_entries_credited_once_idx on public.time_entries (source_kind, source_id, unit, category)
  where amount > 0 and category in ('earned', 'over_cap');
-- A movement is reversed once: the row taken back from.
create unique index time_entries_reversed_once_idx on public.time_entries (reverses) where reverses is not null and amount < 0;

comment on table public.time_accounts is
  'Time bank accounts of a community: read by their person and the committees of the community; written by the ledger functions only.';
comment on table public.time_entries is
  'The time bank ledger: append-only, two rows per movement summing to zero; read by the account''s person and the committees of the community.';

/** The ledger is never edited, not even by its owner: a correction is a reversing movement. */
create function private.refuse_ledger_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = '42501', message = 'errors.ledger_append_only', detail = '';
end
$$;
revoke all on function private.refuse_ledger_change() from public;
create trigger time_entries_append_only before update or delete on public.time_entries
  for each row execute function private.refuse_ledger_change();
create trigger time_entries_no_truncate before truncate on public.time_entries
  for each statement execute function private.refuse_ledger_change();

/**
 * Every movement is two rows that sum to zero, checked when the transaction commits.
 * Security definer: at commit the trigger runs as the caller, whose row level security
 * would hide the other person's row of the movement.
 */
create function private.check_movement_balanced() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if (select count(*) <> 2 or sum(amount) <> 0 or count(distinct unit) <> 1
      from public.time_entries where movement_id = new.movement_id) then
    raise exception using errcode = '23514', message = 'errors.ledger_unbalanced', detail = '';
  end if;
  return null;
end
$$;
revoke all on function private.check_movement_balanced() from public;
create constraint trigger time_entries_balanced after insert on public.time_entries
  deferrable initially deferred for each row execute function private.check_movement_balanced();

-- ----------------------------------------------------------------------------
-- Row level security: a person reads their own account and entries, the
-- committees of the community read all of it; nobody writes.
-- ----------------------------------------------------------------------------

/** The communities in which the caller sits on an estate's committee (all, for an administrator). */
create function private.managed_communities() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(distinct e.community_id), '{}') from public.estates e where e.id = any(private.managed_estates())
$$;
/** The communities where the caller is a verified member of an estate. */
create function private.member_communities() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(distinct e.community_id), '{}') from public.estates e where e.id = any(private.member_estates())
$$;
revoke all on function private.managed_communities(), private.member_communities(), private.work_settings_of(uuid) from public;
grant execute on function private.managed_communities(), private.member_communities() to authenticated, service_role;

alter table public.work_settings enable row level security;
alter table public.time_accounts enable row level security;
alter table public.time_entries enable row level security;
revoke all on public.work_settings, public.time_accounts, public.time_entries from anon, authenticated;
grant select on public.work_settings, public.time_accounts, public.time_entries to authenticated;

/** The rules are read by the community's members, who claim under them. */
create policy "Members of the community can read its work settings" on public.work_settings for select to authenticated
  using (community_id = any(private.member_communities()) or community_id = any(private.managed_communities()));
/** A person sees their own account; the community's committees see every account of the community. */
create policy "People can read their own time account and committees their community's" on public.time_accounts for select to authenticated
  using (user_id = (select auth.uid()) or community_id = any(private.managed_communities()));
/** A person sees the entries of their own account; the community's committees see the whole ledger. */
create policy "People can read their own ledger entries and committees their community's" on public.time_entries for select to authenticated
  using (account_id in (select a.id from public.time_accounts a where a.user_id = (select auth.uid()))
    or community_id = any(private.managed_communities()));

-- ----------------------------------------------------------------------------
-- The ledger's writers: private definers, no grant to authenticated.
-- ----------------------------------------------------------------------------

/** The community's account of a kind ('community', 'elder_fund'), or a person's, created on first use. */
create function private.time_account(p_community_id uuid, p_kind text, p_user_id uuid) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid;
begin
  if p_kind = 'person' then
    select id into v_id from public.time_accounts where community_id = p_community_id and kind = 'person' and user_id = p_user_id;
  else
    select id into v_id from public.time_accounts where community_id = p_community_id and kind = p_kind;
  end if;
  if v_id is null then
    insert into public.time_accounts (community_id, kind, user_id)
    values (p_community_id, p_kind, case when p_kind = 'person' then p_user_id end)
    on conflict do nothing returning id into v_id;
    if v_id is null then
      return private.time_account(p_community_id, p_kind, p_user_id);
    end if;
  end if;
  return v_id;
end
$$;

/** An account's balance in a unit: its newest row's balance_after (one index lookup). */
create function private.time_balance(p_account_id uuid, p_unit text) returns numeric
language sql stable security definer set search_path = '' as $$
  select coalesce((select balance_after from public.time_entries where account_id = p_account_id and unit = p_unit order by id desc limit 1), 0)
$$;

/**
 * Posts one movement: p_amount of p_unit taken from one account and given to
 * another, as two rows that sum to zero, under both accounts' row locks
 * (taken in id order, so two movements between the same accounts cannot
 * deadlock). Only the community's own account may go below zero.
 */
create function private.post_movement(p_from uuid, p_to uuid, p_unit text, p_amount numeric, p_category text,
  p_source_kind text, p_source_id uuid, p_earner uuid, p_reverses uuid, p_note text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_movement uuid := gen_random_uuid();
  v_from public.time_accounts;
  v_to public.time_accounts;
  v_from_balance numeric;
begin
  if p_amount is null or p_amount <= 0 or p_from = p_to then
    perform private.fail('22023', 'errors.amount_invalid', 'amount');
  end if;
  perform 1 from public.time_accounts where id in (p_from, p_to) order by id for update;
  select * into v_from from public.time_accounts where id = p_from;
  select * into v_to from public.time_accounts where id = p_to;
  if v_from.community_id is distinct from v_to.community_id then
    perform private.fail('22023', 'errors.transfer_outside_community', 'to');
  end if;
  v_from_balance := private.time_balance(p_from, p_unit);
  if v_from.kind <> 'community' and v_from_balance < p_amount then
    perform private.fail('22023', 'errors.balance_too_low', 'amount');
  end if;
  insert into public.time_entries (movement_id, community_id, account_id, unit, amount, balance_after, category,
    source_kind, source_id, earner_id, reverses, note, created_by)
  values
    (v_movement, v_from.community_id, p_from, p_unit, -p_amount, v_from_balance - p_amount, p_category,
      p_source_kind, p_source_id, p_earner, p_reverses, p_note, auth.uid()),
    (v_movement, v_from.community_id, p_to, p_unit, p_amount, private.time_balance(p_to, p_unit) + p_amount, p_category,
      p_source_kind, p_source_id, p_earner, p_reverses, p_note, auth.uid());
  return v_movement;
end
$$;

/**
 * Credits served hours to a person, and 时间币 at the rate of the kind of
 * work: the generic earning every capability uses (tasks through
 * confirm_work; micro-wishes for a fulfilled wish). The part above the
 * person's yearly hour cap, and the 时间币 above the daily cap, go to the
 * community's elders' fund (category over_cap), still recorded as the
 * person's service. Each source (p_source_kind, p_source_id) is credited
 * once: a second credit of the same source is refused by a unique index,
 * whoever races. Trusts its callers (no grant to authenticated) to have
 * checked that the work was confirmed.
 */
create function private.credit_hours(p_community_id uuid, p_user_id uuid, p_hours numeric, p_work_kind text,
  p_source_kind text, p_source_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  s public.work_settings := private.work_settings_of(p_community_id);
  v_community uuid := private.time_account(p_community_id, 'community', null);
  v_fund uuid := private.time_account(p_community_id, 'elder_fund', null);
  v_person uuid := private.time_account(p_community_id, 'person', p_user_id);
  v_rate numeric := coalesce((s.coin_rates ->> p_work_kind)::numeric, s.default_coin_rate);
  v_coins numeric := round(p_hours * v_rate, 2);
  v_year_hours numeric;
  v_day_coins numeric;
  v_hours_in numeric;
  v_coins_in numeric;
begin
  if p_hours is null or p_hours <= 0 or p_hours > 24 then
    perform private.fail('22023', 'errors.hours_invalid', 'hours');
  end if;
  -- Under the person's account lock, two credits at once count each other.
  perform 1 from public.time_accounts where id = v_person for update;
  select coalesce(sum(-amount), 0) into v_year_hours from public.time_entries
  where earner_id = p_user_id and account_id = v_community and unit = 'hour' and category in ('earned', 'reversal')
    and created_at >= date_trunc('year', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai';
  select coalesce(sum(amount), 0) into v_day_coins from public.time_entries
  where account_id = v_person and unit = 'coin' and category in ('earned', 'reversal')
    and created_at >= date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai';
  v_hours_in := least(p_hours, greatest(s.yearly_hour_cap - v_year_hours, 0));
  v_coins_in := least(v_coins, greatest(s.daily_coin_cap - v_day_coins, 0));
  begin
    if v_hours_in > 0 then
      perform private.post_movement(v_community, v_person, 'hour', v_hours_in, 'earned', p_source_kind, p_source_id, p_user_id, null, null);
    end if;
    if p_hours - v_hours_in > 0 then
      perform private.post_movement(v_community, v_fund, 'hour', p_hours - v_hours_in, 'over_cap', p_source_kind, p_source_id, p_user_id, null, null);
    end if;
    if v_coins_in > 0 then
      perform private.post_movement(v_community, v_person, 'coin', v_coins_in, 'earned', p_source_kind, p_source_id, p_user_id, null, null);
    end if;
    if v_coins - v_coins_in > 0 then
      perform private.post_movement(v_community, v_fund, 'coin', v_coins - v_coins_in, 'over_cap', p_source_kind, p_source_id, p_user_id, null, null);
    end if;
  exception when unique_violation then
    perform private.fail('23505', 'errors.already_credited');
  end;
  return jsonb_build_object('hours', p_hours, 'hours_credited', v_hours_in, 'hours_donated', p_hours - v_hours_in,
    'coins', v_coins, 'coins_credited', v_coins_in, 'coins_donated', v_coins - v_coins_in);
end
$$;

revoke all on function private.time_account(uuid, text, uuid), private.time_balance(uuid, text),
  private.post_movement(uuid, uuid, text, numeric, text, text, uuid, uuid, uuid, text),
  private.credit_hours(uuid, uuid, numeric, text, text, uuid) from public;

-- ----------------------------------------------------------------------------
-- Definer halves of the API: they check who is asking.
-- ----------------------------------------------------------------------------

/** The community of an estate the caller is a verified member of (or manages); refuses otherwise. */
create function private.my_community(p_estate_id uuid) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  v_community uuid;
begin
  perform private.require_user();
  select e.community_id into v_community from public.estates e
  where e.id = p_estate_id and (e.id = any(private.member_estates()) or private.manages_estate(e.id));
  if v_community is null then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  return v_community;
end
$$;

/** Whether a person is a verified member of an estate of a community. */
create function private.in_community(p_community_id uuid, p_user_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.memberships m join public.estates e on e.id = m.estate_id
                 where m.user_id = p_user_id and m.status = 'verified' and e.community_id = p_community_id)
$$;
revoke all on function private.in_community(uuid, uuid) from public;

/**
 * A person moves 时间币 or hours from their own account: spent to a provider
 * (any member of the community), given to a relative whose account the
 * committee registered as over 60, or donated (no recipient) to the
 * community's fund for 孤寡/失独 elders. Never more than the balance.
 */
create function private.transfer_hours(p_estate_id uuid, p_to_user uuid, p_amount numeric, p_unit text, p_purpose text, p_note text)
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_community uuid := private.my_community(p_estate_id);
  v_to uuid;
  v_from uuid;
  v_movement uuid;
begin
  if p_unit is null or p_unit not in ('hour', 'coin') then
    perform private.fail('22023', 'errors.unit_invalid', 'unit');
  end if;
  if p_amount is null or p_amount <= 0 or p_amount > 10000 or p_amount <> round(p_amount, 2) then
    perform private.fail('22023', 'errors.amount_invalid', 'amount');
  end if;
  if p_purpose is null or p_purpose not in ('spent', 'transferred', 'donated') then
    perform private.fail('22023', 'errors.purpose_invalid', 'purpose');
  end if;
  if char_length(p_note) > 200 then
    perform private.fail('22023', 'errors.note_too_long', 'note');
  end if;
  if p_purpose = 'donated' then
    v_to := private.time_account(v_community, 'elder_fund', null);
  else
    if p_to_user is null or p_to_user = v_uid then
      perform private.fail('22023', 'errors.transfer_recipient_required', 'to');
    end if;
    if not private.in_community(v_community, p_to_user) then
      perform private.fail('22023', 'errors.transfer_outside_community', 'to');
    end if;
    v_to := private.time_account(v_community, 'person', p_to_user);
    if p_purpose = 'transferred' and not (select elder from public.time_accounts where id = v_to) then
      perform private.fail('22023', 'errors.transfer_not_elder', 'to');
    end if;
  end if;
  v_from := private.time_account(v_community, 'person', v_uid);
  v_movement := private.post_movement(v_from, v_to, p_unit, p_amount, p_purpose, null, null, null, null, nullif(trim(p_note), ''));
  return jsonb_build_object('movement_id', v_movement, 'balance', private.time_balance(v_from, p_unit));
end
$$;

/**
 * The committee undoes a movement of its community by the reverse movement
 * (never by editing it), once, with a reason: an earning for a task, the
 * committee of the task's estate. A reversal that would take a
 * person below zero is refused: they have spent it.
 */
create function private.reverse_movement(p_movement_id uuid, p_reason text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_taken public.time_entries;
  v_given public.time_entries;
  v_movement uuid;
begin
  perform private.require_user();
  select * into v_taken from public.time_entries where movement_id = p_movement_id and amount < 0;
  select * into v_given from public.time_entries where movement_id = p_movement_id and amount > 0;
  -- An earning for a task is corrected by the committee of the task's estate; any other movement by a committee of the community.
  if v_taken.id is null or not (v_taken.community_id = any(private.managed_communities()))
     or (v_taken.source_kind = 'task_claim' and not exists (select 1 from public.task_claims c join public.tasks t on t.id = c.task_id
       where c.id = v_taken.source_id and private.manages_estate(t.estate_id))) then
    perform private.fail('P0002', 'errors.movement_not_found');
  end if;
  if v_taken.category = 'reversal' then
    perform private.fail('22023', 'errors.movement_is_reversal');
  end if;
  if coalesce(trim(p_reason), '') = '' or char_length(trim(p_reason)) > 200 then
    perform private.fail('22023', 'errors.reason_required', 'reason');
  end if;
  -- Said first, before the balance check a second reversal would also fail; the unique index settles a race.
  if exists (select 1 from public.time_entries where reverses = p_movement_id) then
    perform private.fail('23505', 'errors.already_reversed');
  end if;
  begin
    v_movement := private.post_movement(v_given.account_id, v_taken.account_id, v_taken.unit, v_given.amount, 'reversal',
      v_taken.source_kind, v_taken.source_id, v_taken.earner_id, p_movement_id, trim(p_reason));
  exception when unique_violation then
    perform private.fail('23505', 'errors.already_reversed');
  end;
  return jsonb_build_object('movement_id', v_movement);
end
$$;

/** The committee registers (or unregisters) a person of the community as over 60, so that relatives may transfer to them. */
create function private.mark_elder(p_estate_id uuid, p_user_id uuid, p_elder boolean) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_community uuid;
  v_account uuid;
begin
  perform private.require_user();
  select community_id into v_community from public.estates where id = p_estate_id and private.manages_estate(id);
  if v_community is null then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if not private.in_community(v_community, p_user_id) then
    perform private.fail('P0002', 'errors.member_not_found', 'user');
  end if;
  v_account := private.time_account(v_community, 'person', p_user_id);
  update public.time_accounts set elder = coalesce(p_elder, false) where id = v_account;
  return jsonb_build_object('account_id', v_account, 'elder', coalesce(p_elder, false));
end
$$;

/**
 * A person's statement in the community of an estate: balances in hours and
 * 时间币, hours served this year, and the entries of their account, newest
 * first, 50 a page before the cursor. The committee may read anyone's of its
 * community (p_user_id); others read their own.
 */
create function private.time_statement(p_estate_id uuid, p_user_id uuid, p_before bigint) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_community uuid := private.my_community(p_estate_id);
  v_who uuid := coalesce(p_user_id, v_uid);
  v_account public.time_accounts;
  v_community_account uuid;
  v_entries jsonb;
begin
  if v_who <> v_uid and not (v_community = any(private.managed_communities())) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  select * into v_account from public.time_accounts where community_id = v_community and kind = 'person' and user_id = v_who;
  select id into v_community_account from public.time_accounts where community_id = v_community and kind = 'community';
  select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'movement_id', x.movement_id, 'unit', x.unit, 'amount', x.amount,
      'balance_after', x.balance_after, 'category', x.category, 'source_kind', x.source_kind, 'source_id', x.source_id,
      'note', x.note, 'created_at', x.created_at, 'reverses', x.reverses,
      'counterparty', (select case o.kind when 'person' then (select display_name from public.profiles where id = o.user_id) else o.kind end
        from public.time_entries c join public.time_accounts o on o.id = c.account_id
        where c.movement_id = x.movement_id and c.id <> x.id),
      'task_title', (select t.title from public.task_claims tc join public.tasks t on t.id = tc.task_id
        where x.source_kind = 'task_claim' and tc.id = x.source_id)) order by x.id desc), '[]'::jsonb)
  into v_entries
  from (select * from public.time_entries e where e.account_id = v_account.id and (p_before is null or e.id < p_before)
        order by e.id desc limit 50) x;
  return jsonb_build_object(
    'community_id', v_community,
    'user_id', v_who,
    'name', (select display_name from public.profiles where id = v_who),
    'elder', coalesce(v_account.elder, false),
    'hours', case when v_account.id is null then 0 else private.time_balance(v_account.id, 'hour') end,
    'coins', case when v_account.id is null then 0 else private.time_balance(v_account.id, 'coin') end,
    'served_this_year', (select coalesce(sum(-amount), 0) from public.time_entries
      where earner_id = v_who and account_id = v_community_account and unit = 'hour'
        and created_at >= date_trunc('year', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'),
    'entries', v_entries,
    'more_before', case when jsonb_array_length(v_entries) = 50 then (v_entries -> 49 ->> 'id')::bigint end);
end
$$;

/** The committee sets its community's work settings (for the estate it manages). */
create function private.save_work_settings(p_estate_id uuid, p_settings jsonb) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_community uuid;
  s public.work_settings;
begin
  perform private.require_user();
  select community_id into v_community from public.estates where id = p_estate_id and private.manages_estate(id);
  if v_community is null then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  s := private.work_settings_of(v_community);
  begin
    s := jsonb_populate_record(s, coalesce(p_settings, '{}'::jsonb) - 'community_id' - 'updated_at');
  exception when others then
    perform private.fail('22023', 'errors.settings_invalid', 'settings');
  end;
  begin
    insert into public.work_settings values (s.*)
    on conflict (community_id) do update set party_yearly_hours = excluded.party_yearly_hours,
      monthly_claim_cap = excluded.monthly_claim_cap, coin_rates = excluded.coin_rates,
      default_coin_rate = excluded.default_coin_rate, daily_coin_cap = excluded.daily_coin_cap,
      yearly_hour_cap = excluded.yearly_hour_cap, release_cutoff_hours = excluded.release_cutoff_hours,
      no_show_minutes = excluded.no_show_minutes, updated_at = now();
  exception when check_violation or not_null_violation then
    perform private.fail('22023', 'errors.settings_invalid', 'settings');
  end;
  return to_jsonb(private.work_settings_of(v_community)) - 'updated_at';
end
$$;

/** The work settings of an estate's community, for the caller who belongs to it. */
create function private.work_settings(p_estate_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select to_jsonb(private.work_settings_of(private.my_community(p_estate_id))) - 'updated_at'
$$;

revoke all on function private.my_community(uuid), private.transfer_hours(uuid, uuid, numeric, text, text, text),
  private.reverse_movement(uuid, text), private.mark_elder(uuid, uuid, boolean), private.time_statement(uuid, uuid, bigint),
  private.save_work_settings(uuid, jsonb), private.work_settings(uuid) from public;
grant execute on function private.my_community(uuid), private.transfer_hours(uuid, uuid, numeric, text, text, text),
  private.reverse_movement(uuid, text), private.mark_elder(uuid, uuid, boolean), private.time_statement(uuid, uuid, bigint),
  private.save_work_settings(uuid, jsonb), private.work_settings(uuid) to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- The API: security invoker.
-- ----------------------------------------------------------------------------

/** Spends, gives (to a registered elder relative) or donates (to the elders' fund) from the caller's own account. */
create function public.transfer_hours(p_estate_id uuid, p_to_user uuid, p_amount numeric, p_unit text default 'coin',
  p_purpose text default 'transferred', p_note text default null) returns jsonb
language sql set search_path = '' as $$
  select private.transfer_hours(p_estate_id, p_to_user, p_amount, p_unit, p_purpose, p_note)
$$;
/** The committee reverses a movement of its community's ledger, with a reason. */
create function public.reverse_movement(p_movement_id uuid, p_reason text) returns jsonb
language sql set search_path = '' as $$
  select private.reverse_movement(p_movement_id, p_reason)
$$;
/** The committee registers a member as over 60 (may receive transfers from relatives). */
create function public.mark_elder(p_estate_id uuid, p_user_id uuid, p_elder boolean) returns jsonb
language sql set search_path = '' as $$
  select private.mark_elder(p_estate_id, p_user_id, p_elder)
$$;
/** Balances, hours served this year and the entries of the caller's account (or, for the committee, anyone's). */
create function public.time_statement(p_estate_id uuid, p_user_id uuid default null, p_before bigint default null) returns jsonb
language sql set search_path = '' as $$
  select private.time_statement(p_estate_id, p_user_id, p_before)
$$;
/** The committee changes its community's work settings (a partial object: the keys it names). */
create function public.save_work_settings(p_estate_id uuid, p_settings jsonb) returns jsonb
language sql set search_path = '' as $$
  select private.save_work_settings(p_estate_id, p_settings)
$$;
/** The work settings of an estate's community. */
create function public.work_settings(p_estate_id uuid) returns jsonb
language sql set search_path = '' as $$
  select private.work_settings(p_estate_id)
$$;
revoke execute on function public.transfer_hours(uuid, uuid, numeric, text, text, text), public.reverse_movement(uuid, text),
  public.mark_elder(uuid, uuid, boolean), public.time_statement(uuid, uuid, bigint), public.save_work_settings(uuid, jsonb),
  public.work_settings(uuid) from public, anon;
grant execute on function public.transfer_hours(uuid, uuid, numeric, text, text, text), public.reverse_movement(uuid, text),
  public.mark_elder(uuid, uuid, boolean), public.time_statement(uuid, uuid, bigint), public.save_work_settings(uuid, jsonb),
  public.work_settings(uuid) to authenticated;
