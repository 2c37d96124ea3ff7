-- ============================================================================
-- Roll-ups for the transparency pages, the committee dashboard and the street
-- roll-up, kept by the database as the timeline grows, so that no page counts
-- every issue of a street per request.
--
-- Counts by status are issue_status_counts (20261201000600), kept by its own
-- trigger. This adds, per estate (a community's and a street's figures are
-- the sum of their estates', so that each estate keeps its own visibility):
--   * estate_stage_days: how many issues took how many whole days for each
--     stage — accept (proposed → accepted), decide (accepted → approved or
--     rejected) and complete (decided → completed) — a histogram, so that a
--     median over any set of estates is exact (to the whole day, durations
--     rounded down) and reads a few hundred rows, never the issues;
--   * estate_daily_stats: issues proposed and completed per China day;
--   * issue_stage_times: per issue, its first arrival at each stage and its
--     latest timeline entry (the dashboard's stale items, read by index).
-- Both are derived from each issue's first arrival at each stage in its
-- timeline (issue_events), kept per issue in issue_stage_times: whenever an
-- issue's timeline changes, private.restage_issue takes the issue's old
-- contribution out and puts its new one in. private.recount_transparency
-- rebuilds everything from the timeline (for the seed, bulk loads, and the
-- tests that compare the two).
--
-- Overdue items and satisfaction are not here: they need milestones and
-- acceptance verdicts, which the plans capability adds; the read functions
-- return null for them until it lands.
-- ============================================================================

create table public.issue_stage_times (
  -- No foreign key to issues: when an issue goes, its row must outlive the cascade long enough
  -- for restage_issue to take its contribution out of the histograms.
  issue_id uuid primary key,
  estate_id uuid not null references public.estates (id) on delete cascade,
  proposed_at timestamptz,
  accepted_at timestamptz,
  decided_at timestamptz,
  completed_at timestamptz,
  -- The issue's latest timeline entry of any kind: the dashboard's "no update for 30 days".
  last_event_at timestamptz
);
create index issue_stage_times_estate_last_idx on public.issue_stage_times (estate_id, last_event_at);

create table public.estate_stage_days (
  estate_id uuid not null references public.estates (id) on delete cascade,
  stage text not null check (stage in ('accept', 'decide', 'complete')),
  days integer not null check (days >= 0),
  -- Never below zero, but not checked: restage_issue writes a decrement as an insert … on conflict,
  -- whose candidate row is checked before the conflict is found.
  n integer not null,
  primary key (estate_id, stage, days)
);

create table public.estate_daily_stats (
  estate_id uuid not null references public.estates (id) on delete cascade,
  -- The China (Asia/Shanghai) calendar day.
  day date not null,
  -- Never below zero; unchecked for the reason given at estate_stage_days.n.
  proposed integer not null default 0,
  completed integer not null default 0,
  primary key (estate_id, day)
);

comment on table public.issue_stage_times is
  'When each issue first reached each stage and its latest timeline entry, from its timeline; kept by private.restage_issue; read like issue_status_counts, and by the estate''s street administrators.';
comment on table public.estate_stage_days is
  'Issues per estate, stage and whole days taken (a histogram for exact medians); kept by private.restage_issue; read like issue_status_counts, and by the estate''s street administrators.';
comment on table public.estate_daily_stats is
  'Issues proposed and completed per estate and China day; kept by private.restage_issue; read like issue_status_counts, and by the estate''s street administrators.';

alter table public.issue_stage_times enable row level security;
alter table public.estate_stage_days enable row level security;
alter table public.estate_daily_stats enable row level security;
revoke all on public.issue_stage_times, public.estate_stage_days, public.estate_daily_stats from anon, authenticated;
-- Read only: the triggers write them, nobody else.
grant select on public.issue_stage_times, public.estate_stage_days, public.estate_daily_stats to anon, authenticated;

/** An issue's stage times reveal no more than its timeline: anyone on a public board. */
create policy "Anyone can read stage times of public boards" on public.issue_stage_times for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
/** Readers of an estate's issues, and the administrators of its street, read its issues' stage times. */
create policy "Readers of an estate's issues and its street can read stage times" on public.issue_stage_times for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())) or estate_id in (select unnest(private.street_estates())));

/** The stage figures reveal no more than the issues' timelines: anyone on a public board. */
create policy "Anyone can read stage days of public boards" on public.estate_stage_days for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
/** Readers of an estate's issues, and the administrators of its street, read its stage figures. */
create policy "Readers of an estate's issues and its street can read stage days" on public.estate_stage_days for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())) or estate_id in (select unnest(private.street_estates())));
/** The daily figures reveal no more than the issues' timelines: anyone on a public board. */
create policy "Anyone can read daily figures of public boards" on public.estate_daily_stats for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
/** Readers of an estate's issues, and the administrators of its street, read its daily figures. */
create policy "Readers of an estate's issues and its street can read daily figures" on public.estate_daily_stats for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())) or estate_id in (select unnest(private.street_estates())));

-- Street administrators read the status counts of their street's estates too.
/** The administrators of an estate's street read its status counts (numbers only, no issue). */
create policy "Street administrators can read status counts" on public.issue_status_counts for select to authenticated
  using (estate_id in (select unnest(private.street_estates())));

-- ----------------------------------------------------------------------------
-- Keeping them.
-- ----------------------------------------------------------------------------

/** Whole days from a to b, rounded down, never below zero; null when either is missing. */
create function private.whole_days(a timestamptz, b timestamptz) returns integer
language sql immutable set search_path = '' as $$
  select case when a is null or b is null then null else greatest(0, floor(extract(epoch from (b - a)) / 86400))::integer end
$$;

/** The stage a timeline event can end: its first arrival is what the roll-ups count. */
create function private.stage_times_of(p_issue_id uuid) returns public.issue_stage_times
language sql stable set search_path = '' as $$
  select (p_issue_id, i.estate_id,
    (select min(e.created_at) from public.issue_events e where e.issue_id = i.id and e.kind = 'proposed'),
    (select min(e.created_at) from public.issue_events e where e.issue_id = i.id and e.kind = 'transition' and e.to_status = 'accepted'),
    (select min(e.created_at) from public.issue_events e where e.issue_id = i.id and e.kind = 'transition' and e.to_status in ('approved', 'rejected')),
    (select min(e.created_at) from public.issue_events e where e.issue_id = i.id and e.kind = 'transition' and e.to_status = 'completed'),
    (select max(e.created_at) from public.issue_events e where e.issue_id = i.id)
  )::public.issue_stage_times
  from public.issues i where i.id = p_issue_id
$$;

/**
 * Brings one issue's contribution to the roll-ups up to date with its
 * timeline: the old contribution out, the new one in. The histogram and daily
 * rows are written in key order in one statement each, so that two issues
 * changed at once take their row locks in the same order.
 * Security definer: nobody has a write grant on the roll-ups.
 */
create function private.restage_issue(p_issue_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  o public.issue_stage_times;
  n public.issue_stage_times;
begin
  select * into o from public.issue_stage_times where issue_id = p_issue_id for update;
  n := private.stage_times_of(p_issue_id);
  if (o.issue_id is null and n.issue_id is null) or (o is not distinct from n) then
    return;
  end if;
  insert into public.estate_stage_days as s (estate_id, stage, days, n)
  select d.estate_id, d.stage, d.days, sum(d.delta)::integer from (
    select o.estate_id, 'accept' as stage, private.whole_days(o.proposed_at, o.accepted_at) as days, -1 as delta
    union all select o.estate_id, 'decide', private.whole_days(o.accepted_at, o.decided_at), -1
    union all select o.estate_id, 'complete', private.whole_days(o.decided_at, o.completed_at), -1
    union all select n.estate_id, 'accept', private.whole_days(n.proposed_at, n.accepted_at), 1
    union all select n.estate_id, 'decide', private.whole_days(n.accepted_at, n.decided_at), 1
    union all select n.estate_id, 'complete', private.whole_days(n.decided_at, n.completed_at), 1
  ) d
  where d.estate_id is not null and d.days is not null
  group by d.estate_id, d.stage, d.days having sum(d.delta) <> 0
  order by d.estate_id, d.stage, d.days
  on conflict (estate_id, stage, days) do update set n = s.n + excluded.n;

  insert into public.estate_daily_stats as s (estate_id, day, proposed, completed)
  select d.estate_id, d.day, sum(d.proposed)::integer, sum(d.completed)::integer from (
    select o.estate_id, (o.proposed_at at time zone 'Asia/Shanghai')::date as day, -1 as proposed, 0 as completed
    union all select o.estate_id, (o.completed_at at time zone 'Asia/Shanghai')::date, 0, -1
    union all select n.estate_id, (n.proposed_at at time zone 'Asia/Shanghai')::date, 1, 0
    union all select n.estate_id, (n.completed_at at time zone 'Asia/Shanghai')::date, 0, 1
  ) d
  where d.estate_id is not null and d.day is not null
  group by d.estate_id, d.day having sum(d.proposed) <> 0 or sum(d.completed) <> 0
  order by d.estate_id, d.day
  on conflict (estate_id, day) do update set proposed = s.proposed + excluded.proposed, completed = s.completed + excluded.completed;

  if n.issue_id is null then
    delete from public.issue_stage_times where issue_id = p_issue_id;
  else
    insert into public.issue_stage_times values (n.*)
    on conflict (issue_id) do update set estate_id = excluded.estate_id, proposed_at = excluded.proposed_at,
      accepted_at = excluded.accepted_at, decided_at = excluded.decided_at, completed_at = excluded.completed_at,
      last_event_at = excluded.last_event_at;
  end if;
end
$$;

/** Restages an issue when an entry enters, changes or leaves its timeline (any kind: each is an update). */
create function private.on_issue_event_restage() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and (new.issue_id, new.kind, new.to_status, new.created_at) is not distinct from (old.issue_id, old.kind, old.to_status, old.created_at) then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    perform private.restage_issue(old.issue_id);
  end if;
  if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.issue_id <> old.issue_id) then
    perform private.restage_issue(new.issue_id);
  end if;
  return null;
end
$$;
create trigger issue_events_restage after insert or update or delete on public.issue_events
  for each row execute function private.on_issue_event_restage();

/** An issue that goes takes its contribution along (its events' cascade may run before or after). */
create function private.on_issue_delete_restage() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.restage_issue(old.id);
  return null;
end
$$;
create trigger issues_restage after delete on public.issues
  for each row execute function private.on_issue_delete_restage();

/**
 * Rebuilds every roll-up of this migration (and issue_status_counts) from the
 * issues and their timelines, for one estate or all (null). For the seed,
 * bulk loads and tests; the triggers keep them afterwards. Service role only.
 */
create function private.recount_transparency(p_estate_id uuid default null) returns void
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.issue_stage_times where p_estate_id is null or estate_id = p_estate_id;
  delete from public.estate_stage_days where p_estate_id is null or estate_id = p_estate_id;
  delete from public.estate_daily_stats where p_estate_id is null or estate_id = p_estate_id;
  delete from public.issue_status_counts where p_estate_id is null or estate_id = p_estate_id;

  insert into public.issue_status_counts (estate_id, status, n)
  select i.estate_id, i.status, count(*) from public.issues i
  where p_estate_id is null or i.estate_id = p_estate_id group by 1, 2;

  insert into public.issue_stage_times (issue_id, estate_id, proposed_at, accepted_at, decided_at, completed_at, last_event_at)
  select i.id, i.estate_id,
    min(e.created_at) filter (where e.kind = 'proposed'),
    min(e.created_at) filter (where e.kind = 'transition' and e.to_status = 'accepted'),
    min(e.created_at) filter (where e.kind = 'transition' and e.to_status in ('approved', 'rejected')),
    min(e.created_at) filter (where e.kind = 'transition' and e.to_status = 'completed'),
    max(e.created_at)
  from public.issues i left join public.issue_events e on e.issue_id = i.id
  where p_estate_id is null or i.estate_id = p_estate_id
  group by i.id, i.estate_id;

  insert into public.estate_stage_days (estate_id, stage, days, n)
  select t.estate_id, s.stage, s.days, count(*) from public.issue_stage_times t
  cross join lateral (values ('accept', private.whole_days(t.proposed_at, t.accepted_at)),
    ('decide', private.whole_days(t.accepted_at, t.decided_at)), ('complete', private.whole_days(t.decided_at, t.completed_at))) s (stage, days)
  where s.days is not null and (p_estate_id is null or t.estate_id = p_estate_id)
  group by 1, 2, 3;

  insert into public.estate_daily_stats (estate_id, day, proposed, completed)
  select d.estate_id, d.day, count(*) filter (where d.what = 'p'), count(*) filter (where d.what = 'c') from (
    select t.estate_id, (t.proposed_at at time zone 'Asia/Shanghai')::date as day, 'p' as what from public.issue_stage_times t where t.proposed_at is not null
    union all select t.estate_id, (t.completed_at at time zone 'Asia/Shanghai')::date, 'c' from public.issue_stage_times t where t.completed_at is not null
  ) d where p_estate_id is null or d.estate_id = p_estate_id
  group by 1, 2;
end
$$;

revoke all on function private.whole_days(timestamptz, timestamptz), private.stage_times_of(uuid), private.restage_issue(uuid),
  private.on_issue_event_restage(), private.on_issue_delete_restage(), private.recount_transparency(uuid) from public;
grant execute on function private.whole_days(timestamptz, timestamptz) to service_role;
grant execute on function private.recount_transparency(uuid) to service_role;

-- What is there already (the migrations run on existing data too).
select private.recount_transparency(null);
