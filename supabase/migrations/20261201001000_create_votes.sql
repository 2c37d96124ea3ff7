-- ============================================================================
-- Votes (表决): consultative polls (居民协商) and binding owners' decisions
-- under Civil Code art. 278 (业主共同决定). See docs/api.md "Votes" for the
-- rules in plain words.
--
-- Nobody writes these tables directly: every write goes through the vote
-- functions (create_vote_api), whose private helpers are security definer.
-- Reads: a vote and its options are readable wherever the estate's issues are
-- (signed in); the electorate by the estate's moderators (for door-to-door
-- reminders, 扫楼); ballots by the person who cast or entered them, and by
-- the committee after a non-secret vote closed; results by the estate's
-- readers once they exist (they are written at close).
-- ============================================================================

create table public.votes (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  issue_id uuid not null references public.issues (id) on delete cascade,
  question text not null check (char_length(question) between 1 and 200),
  description text not null default '' check (char_length(description) <= 2000),
  -- consultative: residents' consultation; owners: owners' decision under art. 278.
  kind text not null check (kind in ('consultative', 'owners')),
  -- The art. 278 matter (1–9) an owners' decision is about; 6–8 need three quarters.
  matter smallint check (matter between 1 and 9),
  -- How the result is decided; see private.tally_vote.
  rule text not null check (rule in ('owners_ordinary', 'owners_special', 'more_yes', 'majority_cast', 'residents_meeting', 'plurality')),
  -- Who votes: one ballot per unit (owners), per verified resident, or per household (a unit with residents).
  electorate_kind text not null check (electorate_kind in ('units', 'residents', 'households')),
  -- Null: the whole estate; else a courtyard or a building.
  scope_area_id uuid references public.areas (id) on delete restrict,
  -- Custom options allow several choices up to this number (consultative only).
  max_choices smallint not null default 1 check (max_choices between 1 and 10),
  -- An optional turnout quorum, in percent of the electorate (consultative, more_yes / majority_cast / plurality).
  quorum_percent smallint check (quorum_percent between 1 and 100),
  secret boolean not null default true,
  live_results boolean not null default false,
  opens_at timestamptz not null,
  closes_at timestamptz not null,
  status text not null default 'scheduled' check (status in ('scheduled', 'open', 'closed')),
  -- The electorate's totals, written with the snapshot when the vote opens.
  electors integer,
  owners integer,
  total_area numeric(12, 2),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  opened_at timestamptz,
  closed_at timestamptz,
  closed_by uuid references public.profiles (id) on delete set null,
  check (closes_at > opens_at),
  check ((kind = 'owners') = (rule in ('owners_ordinary', 'owners_special'))),
  check (kind <> 'owners' or (electorate_kind = 'units' and matter is not null and max_choices = 1 and not live_results)),
  check (kind <> 'consultative' or (electorate_kind <> 'units' and matter is null)),
  check (rule <> 'owners_special' or matter in (6, 7, 8)),
  check (rule <> 'owners_ordinary' or matter not in (6, 7, 8)),
  check (not (live_results and secret) or kind = 'consultative'),
  check (quorum_percent is null or rule in ('more_yes', 'majority_cast', 'plurality'))
);
create index votes_estate_id_idx on public.votes (estate_id, created_at desc);
create index votes_issue_id_idx on public.votes (issue_id);
create index votes_scope_area_id_idx on public.votes (scope_area_id);
create index votes_created_by_idx on public.votes (created_by);
create index votes_closed_by_idx on public.votes (closed_by);
-- The sweep looks for votes that are due to open or close.
create index votes_due_idx on public.votes (status, closes_at) where status <> 'closed';
-- One vote at a time per issue.
create unique index votes_one_active_per_issue on public.votes (issue_id) where status <> 'closed';

-- The options, in order. yes / no / abstain are the default options; their
-- labels are translated by the app. Custom options carry their own label.
create table public.vote_options (
  vote_id uuid not null references public.votes (id) on delete cascade,
  position smallint not null check (position between 1 and 20),
  role text not null check (role in ('yes', 'no', 'abstain', 'custom')),
  label text check (char_length(label) between 1 and 100),
  primary key (vote_id, position),
  check ((role = 'custom') = (label is not null))
);

-- The electorate, frozen when the vote opens: one row per unit (with its
-- floor area and its owners then) or per resident. owner_key says who counts
-- as one owner (法释〔2009〕7号 art. 9): the developer's unsold units share one
-- key; units held by the same owner(s) share one; every other unit has its own.
create table public.vote_electorate (
  id bigint generated always as identity primary key,
  vote_id uuid not null references public.votes (id) on delete cascade,
  unit_id uuid references public.units (id) on delete set null,
  user_id uuid references public.profiles (id) on delete set null,
  label text not null check (char_length(label) between 1 and 80),
  floor_area numeric(8, 2) not null default 0 check (floor_area >= 0),
  owner_key text not null,
  owner_ids uuid[] not null default '{}',
  unique (vote_id, unit_id),
  unique (vote_id, user_id)
);
create index vote_electorate_unit_id_idx on public.vote_electorate (unit_id);
create index vote_electorate_user_id_idx on public.vote_electorate (user_id);
create index vote_electorate_owner_ids_idx on public.vote_electorate using gin (owner_ids);

-- Every ballot ever cast; the current one of an elector has no superseded_at.
-- choice holds option positions. A paper ballot records who entered it
-- (cast_by), the paper's reference and, for a proxy (委托), the proxy's name.
create table public.ballots (
  id bigint generated always as identity primary key,
  vote_id uuid not null references public.votes (id) on delete cascade,
  elector_id bigint not null references public.vote_electorate (id) on delete cascade,
  choice smallint[] not null check (cardinality(choice) between 1 and 10),
  cast_by uuid references public.profiles (id) on delete set null,
  channel text not null check (channel in ('online', 'paper')),
  paper_ref text check (char_length(paper_ref) between 1 and 40),
  proxy_name text check (char_length(proxy_name) between 1 and 40),
  -- What the voter keeps to check that the ballot was counted; reveals no choice.
  receipt text not null unique check (receipt ~ '^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$'),
  -- Set when this ballot replaced one cast by someone else or by another channel: the committee looks at it.
  conflict boolean not null default false,
  created_at timestamptz not null default now(),
  superseded_at timestamptz,
  check ((channel = 'paper') = (paper_ref is not null)),
  check (proxy_name is null or channel = 'paper')
);
create unique index ballots_one_current on public.ballots (elector_id) where superseded_at is null;
-- Every version of an elector's ballots (history), and of a vote's (conflicts, cascades).
create index ballots_elector_id_idx on public.ballots (elector_id);
create index ballots_vote_id_idx on public.ballots (vote_id);
-- The current ballots of a vote: turnout and the tally.
create index ballots_current_idx on public.ballots (vote_id, elector_id) where superseded_at is null;
create index ballots_cast_by_idx on public.ballots (cast_by);

-- Written once, at close, by the tally; nobody may change it afterwards.
create table public.vote_results (
  vote_id uuid primary key references public.votes (id) on delete cascade,
  -- passed / failed (a yes/no question), winner / tie (options), invalid (quorum or participation unmet, or nobody to vote).
  outcome text not null check (outcome in ('passed', 'failed', 'winner', 'tie', 'invalid')),
  winners smallint[] not null default '{}',
  -- Per option: {position, ballots, area, owners}.
  options jsonb not null,
  -- Participation and the electorate: {electors, ballots, area, area_total, owners, owners_total}.
  turnout jsonb not null,
  -- Each rule checked, in order: {key, num, den, need, ok}; need is a fraction text like '2/3' with op '>=' or '>'.
  checks jsonb not null,
  -- The receipt codes of the counted ballots, sorted: published so that each voter can find theirs.
  receipts text[] not null,
  tallied_at timestamptz not null default now()
);

/**
 * Refuses any change to a frozen result, whoever asks (the table owner
 * included). Only removing the vote itself (with its estate or issue) takes
 * its result along: the cascade runs after the vote row is gone.
 */
create function private.refuse_result_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'DELETE' and not exists (select 1 from public.votes where id = old.vote_id) then
    return old;
  end if;
  perform private.fail('42501', 'errors.vote_result_frozen');
  return null;
end
$$;
create trigger vote_results_frozen before update or delete on public.vote_results
  for each row execute function private.refuse_result_change();

alter table public.votes enable row level security;
alter table public.vote_options enable row level security;
alter table public.vote_electorate enable row level security;
alter table public.ballots enable row level security;
alter table public.vote_results enable row level security;

revoke all on public.votes, public.vote_options, public.vote_electorate, public.ballots, public.vote_results from anon, authenticated;
grant select on public.votes, public.vote_options, public.vote_electorate, public.ballots, public.vote_results to authenticated;

create policy "Readers of an estate's issues can read its votes" on public.votes for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));
create policy "Readers of an estate's issues can read vote options" on public.vote_options for select to authenticated
  using (exists (select 1 from public.votes v where v.id = vote_id));
create policy "Moderators can read the electorate" on public.vote_electorate for select to authenticated
  using (exists (select 1 from public.votes v where v.id = vote_id
    and v.estate_id in (select unnest(private.estates_with_role(array['moderator', 'committee']))))
    or private.is_admin());
create policy "People read the ballots they cast or entered" on public.ballots for select to authenticated
  using (cast_by = (select auth.uid()));
create policy "The committee reads the ballots of a closed open-ballot vote" on public.ballots for select to authenticated
  using (exists (select 1 from public.votes v where v.id = vote_id and v.status = 'closed' and not v.secret
    and v.estate_id in (select unnest(private.managed_estates()))));
create policy "Readers of an estate's issues can read its results" on public.vote_results for select to authenticated
  using (exists (select 1 from public.votes v where v.id = vote_id));
