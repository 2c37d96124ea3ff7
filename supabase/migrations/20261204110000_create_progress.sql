-- ============================================================================
-- Progress tracking: from a decision to done (issue #14, first part).
-- An approved issue (or one the committee follows up) gets a plan: a tree of
-- work items of any depth (采莲新村's renovation → façades, roofs, rain/sewage
-- separation, roads, parking), each with its responsible party, planned
-- dates, budget and weight, and milestones (title, planned date, weight) that
-- are done or not, with their date and evidence.
--
-- Progress is computed, never typed in, and anyone can recompute it: an
-- item's progress is Σ(weight × done) ÷ Σ(weight) over its milestones and its
-- counted sub-items (a sub-item contributes its own progress × its weight),
-- the weights normalised by their sum. A sub-item with nothing to count (no
-- milestone of positive weight below it) is left out instead of dragging the
-- average to zero, and an item marked "not counted" is left out with its
-- reason; the read returns the formula's inputs so the page shows them.
-- It is one statement for the whole tree (recursive CTEs over the
-- (issue_id) and (parent_id) indexes), whatever its depth or size.
--
-- Updates with evidence: progress notes with photos, on the issue's timeline;
-- a milestone may be marked done with an update (its evidence) or without
-- (shown as 无照片). The lifecycle stays data in issue_transitions: the last
-- milestone done moves an in_progress issue to completed (the step 'finish',
-- taken by the progress itself), and the committee may complete it by hand
-- with a reason. The author and supporters are told.
--
-- Nobody writes these tables directly: every write goes through the
-- functions below, whose private definer halves check who is asking.
-- ============================================================================

-- ----------------------------------------------------------------------------
-- Tables.
-- ----------------------------------------------------------------------------

create table public.work_items (
  id uuid primary key default gen_random_uuid(),
  issue_id uuid not null references public.issues (id) on delete cascade,
  -- The issue's estate, kept by the functions: what the read policies check.
  estate_id uuid not null references public.estates (id) on delete cascade,
  -- The plan itself is the issue's one root item (parent_id null); every other item hangs below it.
  parent_id uuid references public.work_items (id) on delete cascade,
  position integer not null default 0,
  title text not null check (char_length(title) between 1 and 120),
  -- Who does it: a contractor (施工单位), a committee member or a volunteer team, named as text for now.
  responsible_kind text check (responsible_kind in ('contractor', 'committee_member', 'team')),
  responsible text check (char_length(responsible) <= 120),
  planned_start date,
  planned_end date,
  -- 元; linked to the community fund when that capability lands.
  budget numeric(14, 2) check (budget >= 0),
  weight numeric(12, 4) not null default 1 check (weight >= 0),
  excluded boolean not null default false,
  exclusion_reason text check (char_length(exclusion_reason) <= 300),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (planned_end is null or planned_start is null or planned_end >= planned_start),
  check (not excluded or char_length(trim(exclusion_reason)) > 0),
  check (parent_id is distinct from id)
);
create unique index work_items_one_plan_idx on public.work_items (issue_id) where parent_id is null;
create index work_items_issue_idx on public.work_items (issue_id, position);
create index work_items_parent_idx on public.work_items (parent_id, position);
create index work_items_estate_idx on public.work_items (estate_id);
create index work_items_created_by_idx on public.work_items (created_by);

create table public.progress_updates (
  id uuid primary key default gen_random_uuid(),
  issue_id uuid not null references public.issues (id) on delete cascade,
  estate_id uuid not null references public.estates (id) on delete cascade,
  item_id uuid references public.work_items (id) on delete set null,
  note text not null check (char_length(note) between 1 and 2000),
  author_id uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now()
);
create index progress_updates_issue_idx on public.progress_updates (issue_id, created_at);
create index progress_updates_estate_idx on public.progress_updates (estate_id);
create index progress_updates_item_idx on public.progress_updates (item_id);
create index progress_updates_author_idx on public.progress_updates (author_id);

create table public.progress_photos (
  update_id uuid not null references public.progress_updates (id) on delete cascade,
  position integer not null check (position between 0 and 5),
  -- The update's issue and estate, for the read policy and the before/after pairs.
  issue_id uuid not null references public.issues (id) on delete cascade,
  estate_id uuid not null references public.estates (id) on delete cascade,
  path text not null unique check (char_length(path) <= 200),
  thumb_path text not null unique check (char_length(thumb_path) <= 200),
  width integer not null check (width between 1 and 1600),
  height integer not null check (height between 1 and 1600),
  primary key (update_id, position)
);
create index progress_photos_issue_idx on public.progress_photos (issue_id);
create index progress_photos_estate_idx on public.progress_photos (estate_id);

create table public.milestones (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references public.work_items (id) on delete cascade,
  issue_id uuid not null references public.issues (id) on delete cascade,
  estate_id uuid not null references public.estates (id) on delete cascade,
  position integer not null default 0,
  title text not null check (char_length(title) between 1 and 120),
  planned_on date,
  weight numeric(12, 4) not null default 1 check (weight >= 0),
  done_at timestamptz,
  done_by uuid references public.profiles (id) on delete set null,
  -- The update that is its evidence (a note, perhaps photos); none: shown as 无照片.
  evidence_id uuid references public.progress_updates (id) on delete set null,
  created_at timestamptz not null default now(),
  check (done_at is not null or evidence_id is null)
);
create index milestones_item_idx on public.milestones (item_id, position);
create index milestones_issue_idx on public.milestones (issue_id);
create index milestones_estate_idx on public.milestones (estate_id);
create index milestones_done_by_idx on public.milestones (done_by);
create index milestones_evidence_idx on public.milestones (evidence_id);

comment on table public.work_items is
  'A plan''s work items (the root is the plan): read where the estate''s issues are read; written by the progress functions only.';
comment on table public.milestones is
  'Milestones of work items, done or not: read with their item (who marked them is personal); written by the progress functions only.';
comment on table public.progress_updates is
  'Progress notes with evidence, on the issue''s timeline: read with the issue (the author is personal); written by post_progress only.';
comment on table public.progress_photos is
  'Photos of progress notes: read with the issue; written by post_progress only.';

-- The timeline links a progress note; the kinds are rows (20261204090000).
alter table public.issue_events add column progress_update_id uuid references public.progress_updates (id) on delete set null;
create index issue_events_progress_update_idx on public.issue_events (progress_update_id);
grant select (progress_update_id) on public.issue_events to anon, authenticated;
insert into public.issue_event_kinds (kind) values ('progress'), ('milestone_done'), ('plan_changed');
insert into public.notification_kinds (kind) values ('progress_posted'), ('work_completed');

-- The lifecycle: the progress itself finishes the work when the last milestone is done ('finish', actor
-- 'progress': nobody takes it by hand); the committee may still complete it, with a reason. The actors
-- keep the meetings' 'meeting' (20261204100100: an issue put on an agenda).
alter table public.issue_transitions drop constraint issue_transitions_actor_check;
alter table public.issue_transitions add constraint issue_transitions_actor_check
  check (actor in ('committee', 'author', 'moderator', 'vote', 'meeting', 'progress'));
insert into public.issue_transitions (action, from_status, to_status, actor, needs_reason) values
  ('finish', 'in_progress', 'completed', 'progress', false);
update public.issue_transitions set needs_reason = true where action = 'complete' and from_status = 'in_progress';

-- ----------------------------------------------------------------------------
-- Row level security: read where the estate's issues are read; no writes.
-- ----------------------------------------------------------------------------

alter table public.work_items enable row level security;
alter table public.milestones enable row level security;
alter table public.progress_updates enable row level security;
alter table public.progress_photos enable row level security;

revoke all on public.work_items, public.milestones, public.progress_updates, public.progress_photos from anon, authenticated;
grant select on public.progress_photos to anon, authenticated;
-- Who planned, marked or wrote is not for every reader: those columns are read by the definers below only.
grant select (id, issue_id, estate_id, parent_id, position, title, responsible_kind, responsible, planned_start, planned_end,
  budget, weight, excluded, exclusion_reason, created_at, updated_at) on public.work_items to anon, authenticated;
grant select (id, item_id, issue_id, estate_id, position, title, planned_on, weight, done_at, evidence_id, created_at)
  on public.milestones to anon, authenticated;
grant select (id, issue_id, estate_id, item_id, note, created_at) on public.progress_updates to anon, authenticated;

/** A plan is read by whoever reads the estate's issues: anyone on a public board. */
create policy "Anyone can read work items of public boards" on public.work_items for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
/** A plan is read by whoever reads the estate's issues. */
create policy "Readers of the estate's issues can read its work items" on public.work_items for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));
/** Milestones are read with their plan: anyone on a public board. */
create policy "Anyone can read milestones of public boards" on public.milestones for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
/** Milestones are read with their plan. */
create policy "Readers of the estate's issues can read its milestones" on public.milestones for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));
/** Progress notes are read with the issue: anyone on a public board. */
create policy "Anyone can read progress notes of public boards" on public.progress_updates for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
/** Progress notes are read with the issue. */
create policy "Readers of the estate's issues can read its progress notes" on public.progress_updates for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));
/** Progress photos are read with the issue: anyone on a public board. */
create policy "Anyone can read progress photos of public boards" on public.progress_photos for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
/** Progress photos are read with the issue. */
create policy "Readers of the estate's issues can read its progress photos" on public.progress_photos for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));

-- ----------------------------------------------------------------------------
-- The formula: one statement for a whole tree.
-- ----------------------------------------------------------------------------

/**
 * The plan of an issue with its progress and the formula's inputs: every
 * item (depth first, with its depth and plan fields), its milestones (done or
 * not, with evidence or 无照片), and for each item its counted weight sum
 * (Σ weight of its milestones and its counted sub-items), the weight of its
 * milestones done, whether it counts (a milestone of positive weight is
 * reached from it through counted items: not excluded, weight > 0), and its
 * progress (null: nothing to count). Null when the issue has no plan.
 * Security invoker: the caller's row level security. One statement:
 * recursive CTEs walk the tree once for what counts and once for each
 * item's share in its ancestors (the product of weight ÷ the parent's weight
 * sum along the path), so a plan of 1,000 items at depth 5 is one query, with
 * no function called per item.
 */
create function public.item_progress(p_issue_id uuid) returns jsonb
language sql stable set search_path = '' as $$
  with recursive items as materialized (
    select i.id, i.parent_id, i.weight, i.excluded from public.work_items i where i.issue_id = p_issue_id
  ),
  ms as materialized (
    select m.item_id, sum(m.weight) filter (where m.weight > 0) as w,
      coalesce(sum(m.weight) filter (where m.weight > 0 and m.done_at is not null), 0) as wdone
    from public.milestones m where m.issue_id = p_issue_id group by m.item_id
  ),
  -- Every (ancestor, descendant) pair joined by items that count toward their parent (not excluded, weight > 0).
  reach (anc, node) as (
    select id, id from items
    union all
    select r.anc, c.id from reach r join items c on c.parent_id = r.node where not c.excluded and c.weight > 0
  ),
  -- The items that count: a milestone of positive weight is reached from them (as one jsonb object, looked up by key,
  -- so that what follows never joins a CTE row by row, whatever the planner guesses of their sizes).
  cm as materialized (
    select coalesce(jsonb_object_agg(x.anc, true), '{}'::jsonb) as counts
    from (select distinct r.anc from reach r join ms on ms.item_id = r.node where ms.w > 0) x
  ),
  -- Each item's weight sum: its milestones of positive weight and its counted sub-items; and its milestones' share done.
  wsum as materialized (
    select i.id, coalesce(ms.w, 0) + coalesce(ch.w, 0) as w, coalesce(ms.wdone, 0) as wdone
    from items i
    left join ms on ms.item_id = i.id
    left join (select c.parent_id, sum(c.weight) as w from items c
               where not c.excluded and c.weight > 0 and (select cm.counts from cm) ? c.id::text group by c.parent_id) ch on ch.parent_id = i.id
  ),
  wm as materialized (
    select coalesce(jsonb_object_agg(ws.id, ws.w) filter (where ws.w > 0), '{}'::jsonb) as w,
      coalesce(jsonb_object_agg(ws.id, ws.wdone / ws.w) filter (where ws.w > 0), '{}'::jsonb) as own,
      coalesce(jsonb_object_agg(ws.id, ws.wdone) filter (where ws.wdone > 0), '{}'::jsonb) as done
    from wsum ws
  ),
  -- Each counted descendant's share in an ancestor: the product of weight ÷ parent's weight sum along the path.
  share (anc, node, f) as (
    select id, id, 1::numeric from items
    union all
    select s.anc, c.id, s.f * c.weight / ((select wm.w from wm) ->> s.node::text)::numeric
    from share s join items c on c.parent_id = s.node
    where not c.excluded and c.weight > 0 and (select cm.counts from cm) ? c.id::text
  ),
  -- An item's progress: Σ over its counted subtree of share × (weight of milestones done ÷ weight sum) of each node.
  pm as materialized (
    select coalesce(jsonb_object_agg(x.anc, x.v), '{}'::jsonb) as progress
    from (select s.anc, sum(s.f * coalesce(((select wm.own from wm) ->> s.node::text)::numeric, 0)) as v from share s group by s.anc) x
  ),
  tree as (
    -- Depth first by position: one text key compared byte by byte (collation "C"), each level 6 digits and the id.
    select i.id, 0 as depth, (lpad(i.position::text, 6, '0') || i.id::text) collate "C" as sort, array[i.id] as path
    from public.work_items i where i.issue_id = p_issue_id and i.parent_id is null
    union all
    select c.id, t.depth + 1, (t.sort || '/' || lpad(c.position::text, 6, '0') || c.id::text) collate "C", t.path || c.id
    from tree t join public.work_items c on c.parent_id = t.id
    where not c.id = any(t.path)
  ),
  photos as materialized (
    select ph.update_id, count(*) as n from public.progress_photos ph where ph.issue_id = p_issue_id group by ph.update_id
  ),
  mlist as materialized (
    select coalesce(jsonb_object_agg(x.item_id, x.list), '{}'::jsonb) as lists from (
      select m.item_id, jsonb_agg(jsonb_build_object('id', m.id, 'title', m.title, 'planned_on', m.planned_on, 'weight', m.weight,
          'done', m.done_at is not null, 'done_at', m.done_at, 'evidence_id', m.evidence_id, 'photos', coalesce(ph.n, 0))
        order by m.position, m.created_at, m.id) as list
      from public.milestones m left join photos ph on ph.update_id = m.evidence_id
      where m.issue_id = p_issue_id group by m.item_id) x
  ),
  -- Each item's row built first, so that the ordering below sorts small rows; the lookup objects are read once each
  -- (scalar subqueries: evaluated once per statement, never copied into the rows).
  item_rows as materialized (
    select t.sort, t.depth, t.id, x.counted and t.depth = 0 as is_root, x.progress,
      jsonb_build_object('id', i.id, 'parent_id', i.parent_id, 'depth', t.depth, 'title', i.title,
        'responsible_kind', i.responsible_kind, 'responsible', i.responsible, 'planned_start', i.planned_start,
        'planned_end', i.planned_end, 'budget', i.budget, 'weight', i.weight, 'excluded', i.excluded,
        'exclusion_reason', i.exclusion_reason, 'counted', x.counted,
        'weight_sum', coalesce(((select wm.w from wm) ->> t.id::text)::numeric, 0),
        'done_weight', coalesce(((select wm.done from wm) ->> t.id::text)::numeric, 0),
        'progress', x.progress,
        'milestones', coalesce((select mlist.lists from mlist) -> t.id::text, '[]'::jsonb)) as item
    from tree t join public.work_items i on i.id = t.id,
      lateral (select (select cm.counts from cm) ? t.id::text as counted) c0,
      lateral (select c0.counted, case when c0.counted then coalesce(((select pm.progress from pm) ->> t.id::text)::numeric, 0) end as progress) x
  )
  select case when count(*) = 0 then null else jsonb_build_object(
    'root', min(r.id::text) filter (where r.depth = 0),
    'progress', min(r.progress) filter (where r.depth = 0),
    'items', jsonb_agg(r.item order by r.sort)) end
  from item_rows r
$$;

-- ----------------------------------------------------------------------------
-- Private halves: definers that check who is asking.
-- ----------------------------------------------------------------------------

/** Statuses in which the committee may plan. */
create function private.plan_statuses() returns text[]
language sql immutable set search_path = '' as $$ select array['approved', 'publicized', 'in_progress', 'following_up'] $$;

/**
 * The issue for a progress step, locked, after checking that the caller
 * manages its estate. Security definer: the lock needs an update grant.
 */
create function private.progress_issue(p_issue_id uuid) returns public.issues
language plpgsql security definer set search_path = '' as $$
declare
  v_issue public.issues;
begin
  perform private.require_user();
  perform private.lock_issues(array[p_issue_id]);
  select * into v_issue from public.issues where id = p_issue_id and estate_id = any(private.readable_estates());
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  if not private.manages_estate(v_issue.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return v_issue;
end
$$;

/** A weight: a number of at least zero (the form's field is named p_field). */
create function private.check_weight(p_weight numeric, p_field text) returns numeric
language plpgsql immutable set search_path = '' as $$
begin
  if p_weight is null or p_weight < 0 or p_weight > 10000 or p_weight = 'NaN'::numeric then
    perform private.fail('22023', 'errors.weight_invalid', p_field);
  end if;
  return p_weight;
end
$$;

/**
 * Adds a work item to an issue's plan, or changes one (p_item_id): the first
 * item without a parent is the plan itself; later ones without a parent go
 * under it. Security definer: work_items has no write grant; it checks that
 * the caller manages the estate, the issue's status, the weight, the dates,
 * the budget, the parent (same plan, no cycle) and the exclusion's reason.
 */
create function private.plan_item(p_issue_id uuid, p_item_id uuid, p_parent_id uuid, p_title text, p_responsible_kind text,
  p_responsible text, p_planned_start date, p_planned_end date, p_budget numeric, p_weight numeric, p_excluded boolean,
  p_exclusion_reason text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_issue public.issues := private.progress_issue(p_issue_id);
  v_root uuid;
  v_parent uuid := p_parent_id;
  v_item public.work_items;
  v_id uuid;
begin
  if not (v_issue.status = any(private.plan_statuses())) then
    perform private.fail('22023', 'errors.plan_not_open');
  end if;
  if coalesce(trim(p_title), '') = '' or char_length(trim(p_title)) > 120 then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  if p_responsible_kind is not null and p_responsible_kind not in ('contractor', 'committee_member', 'team') then
    perform private.fail('22023', 'errors.invalid_choice', 'responsible_kind');
  end if;
  if char_length(coalesce(trim(p_responsible), '')) > 120 then
    perform private.fail('22023', 'errors.too_long', 'responsible');
  end if;
  if p_planned_start is not null and p_planned_end is not null and p_planned_end < p_planned_start then
    perform private.fail('22023', 'errors.plan_dates_invalid', 'planned_end');
  end if;
  if p_budget is not null and (p_budget < 0 or p_budget >= 1e12 or p_budget = 'NaN'::numeric) then
    perform private.fail('22023', 'errors.budget_invalid', 'budget');
  end if;
  perform private.check_weight(p_weight, 'weight');
  if coalesce(p_excluded, false) and coalesce(trim(p_exclusion_reason), '') = '' then
    perform private.fail('22023', 'errors.reason_required', 'exclusion_reason');
  end if;
  if char_length(coalesce(trim(p_exclusion_reason), '')) > 300 then
    perform private.fail('22023', 'errors.too_long', 'exclusion_reason');
  end if;
  select id into v_root from public.work_items where issue_id = v_issue.id and parent_id is null;
  if p_item_id is not null then
    select * into v_item from public.work_items where id = p_item_id and issue_id = v_issue.id for update;
    if v_item.id is null then
      perform private.fail('P0002', 'errors.item_not_found', 'item_id');
    end if;
    if v_item.parent_id is null then
      v_parent := null;
    else
      v_parent := coalesce(p_parent_id, v_item.parent_id);
    end if;
  elsif v_parent is null then
    v_parent := v_root;
  end if;
  if v_parent is not null then
    if not exists (select 1 from public.work_items where id = v_parent and issue_id = v_issue.id) then
      perform private.fail('22023', 'errors.parent_invalid', 'parent_id');
    end if;
    -- No cycle: the new parent may not be the item or below it.
    if p_item_id is not null and exists (
      with recursive up (id, parent_id) as (
        select id, parent_id from public.work_items where id = v_parent
        union all select w.id, w.parent_id from public.work_items w join up on w.id = up.parent_id)
      select 1 from up where id = p_item_id) then
      perform private.fail('22023', 'errors.parent_invalid', 'parent_id');
    end if;
  end if;
  if p_item_id is null then
    insert into public.work_items (issue_id, estate_id, parent_id, position, title, responsible_kind, responsible, planned_start,
      planned_end, budget, weight, excluded, exclusion_reason, created_by)
    values (v_issue.id, v_issue.estate_id, v_parent,
      coalesce((select max(position) + 1 from public.work_items where parent_id = v_parent), 0),
      trim(p_title), p_responsible_kind, nullif(trim(p_responsible), ''), p_planned_start, p_planned_end, p_budget, p_weight,
      coalesce(p_excluded, false), case when coalesce(p_excluded, false) then trim(p_exclusion_reason) end, auth.uid())
    returning id into v_id;
  else
    update public.work_items set parent_id = v_parent, title = trim(p_title), responsible_kind = p_responsible_kind,
      responsible = nullif(trim(p_responsible), ''), planned_start = p_planned_start, planned_end = p_planned_end,
      budget = p_budget, weight = p_weight, excluded = coalesce(p_excluded, false),
      exclusion_reason = case when coalesce(p_excluded, false) then trim(p_exclusion_reason) end, updated_at = now()
    where id = p_item_id returning id into v_id;
  end if;
  perform private.log_issue_event(v_issue.id, 'plan_changed', case when p_item_id is null then 'item_added' else 'item_changed' end,
    null, null, trim(p_title), null);
  return jsonb_build_object('id', v_id, 'parent_id', v_parent);
end
$$;

/**
 * Adds a milestone to a work item. Security definer: milestones have no
 * insert grant; it checks the caller, the status, the weight and that the
 * date is not before the item's (or its nearest planned ancestor's) start.
 */
create function private.add_milestone(p_item_id uuid, p_title text, p_planned_on date, p_weight numeric) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_item public.work_items;
  v_issue public.issues;
  v_start date;
  v_id uuid;
begin
  perform private.require_user();
  select * into v_item from public.work_items where id = p_item_id and estate_id = any(private.readable_estates());
  if v_item.id is null then
    perform private.fail('P0002', 'errors.item_not_found', 'item_id');
  end if;
  v_issue := private.progress_issue(v_item.issue_id);
  if not (v_issue.status = any(private.plan_statuses())) then
    perform private.fail('22023', 'errors.plan_not_open');
  end if;
  if coalesce(trim(p_title), '') = '' or char_length(trim(p_title)) > 120 then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  perform private.check_weight(p_weight, 'weight');
  with recursive up (id, parent_id, planned_start, n) as (
    select id, parent_id, planned_start, 0 from public.work_items where id = v_item.id
    union all select w.id, w.parent_id, w.planned_start, up.n + 1 from public.work_items w join up on w.id = up.parent_id
    where up.planned_start is null)
  select planned_start into v_start from up where planned_start is not null order by n limit 1;
  if p_planned_on is not null and v_start is not null and p_planned_on < v_start then
    perform private.fail('22023', 'errors.milestone_before_start', 'planned_on');
  end if;
  insert into public.milestones (item_id, issue_id, estate_id, position, title, planned_on, weight)
  values (v_item.id, v_item.issue_id, v_item.estate_id,
    coalesce((select max(position) + 1 from public.milestones where item_id = v_item.id), 0), trim(p_title), p_planned_on, p_weight)
  returning id into v_id;
  perform private.log_issue_event(v_item.issue_id, 'plan_changed', 'milestone_added', null, null, trim(p_title), null);
  return jsonb_build_object('id', v_id);
end
$$;

/**
 * Writes a progress note with its photos ([{path, thumb_path, width,
 * height}], at most 6, already stored by the server) on the issue's
 * timeline, and tells the author and supporters. Trusts its callers (no
 * grant): they have checked who is asking.
 */
create function private.write_progress(p_issue public.issues, p_item_id uuid, p_note text, p_photos jsonb) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid;
  v_photo jsonb;
  v_pos integer := 0;
begin
  if coalesce(trim(p_note), '') = '' or char_length(trim(p_note)) > 2000 then
    perform private.fail('22023', 'errors.note_invalid', 'note');
  end if;
  if jsonb_typeof(coalesce(p_photos, '[]')) <> 'array' or jsonb_array_length(coalesce(p_photos, '[]')) > 6 then
    perform private.fail('22023', 'errors.photos_too_many', 'photos');
  end if;
  if p_item_id is not null and not exists (select 1 from public.work_items where id = p_item_id and issue_id = p_issue.id) then
    perform private.fail('22023', 'errors.item_not_found', 'item_id');
  end if;
  insert into public.progress_updates (issue_id, estate_id, item_id, note, author_id)
  values (p_issue.id, p_issue.estate_id, p_item_id, trim(p_note), auth.uid()) returning id into v_id;
  for v_photo in select * from jsonb_array_elements(coalesce(p_photos, '[]')) loop
    insert into public.progress_photos (update_id, position, issue_id, estate_id, path, thumb_path, width, height)
    values (v_id, v_pos, p_issue.id, p_issue.estate_id, v_photo ->> 'path', v_photo ->> 'thumb_path',
      (v_photo ->> 'width')::int, (v_photo ->> 'height')::int);
    v_pos := v_pos + 1;
  end loop;
  insert into public.issue_events (issue_id, actor_id, kind, progress_update_id) values (p_issue.id, auth.uid(), 'progress', v_id);
  update public.issues set last_activity_at = now() where id = p_issue.id;
  perform private.notify(array_remove(private.issue_followers(p_issue.id), auth.uid()), 'progress_posted', p_issue.id,
    jsonb_build_object('title', p_issue.title, 'path', '/estates/' || p_issue.estate_id || '/issues/' || p_issue.id));
  return v_id;
end
$$;

/**
 * Posts a progress note with photos. Security definer: progress notes have
 * no insert grant; the committee of the issue's estate posts, once work has
 * started (in_progress), while following up, or after completion.
 */
create function private.post_progress(p_issue_id uuid, p_item_id uuid, p_note text, p_photos jsonb) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_issue public.issues := private.progress_issue(p_issue_id);
begin
  if v_issue.status not in ('in_progress', 'following_up', 'completed') then
    perform private.fail('22023', 'errors.work_not_started');
  end if;
  return jsonb_build_object('id', private.write_progress(v_issue, p_item_id, p_note, p_photos));
end
$$;

/**
 * Marks a milestone done, today, with an optional note and photos as its
 * evidence (none: the page says 无照片). When it was the last one to count
 * (the plan's progress reaches 1), an in_progress issue becomes completed
 * (the lifecycle's 'finish'). Security definer: milestones have no update
 * grant; it checks the caller, that work has started, and that it is not done.
 */
create function private.complete_milestone(p_milestone_id uuid, p_note text, p_photos jsonb) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_m public.milestones;
  v_issue public.issues;
  v_update uuid;
  v_progress numeric;
  v_finished boolean;
  v_t public.issue_transitions;
begin
  perform private.require_user();
  select * into v_m from public.milestones where id = p_milestone_id and estate_id = any(private.readable_estates());
  if v_m.id is null then
    perform private.fail('P0002', 'errors.milestone_not_found', 'milestone_id');
  end if;
  v_issue := private.progress_issue(v_m.issue_id);
  if v_issue.status not in ('in_progress', 'following_up') then
    perform private.fail('22023', 'errors.work_not_started', 'milestone_id');
  end if;
  -- Under the issue's lock: two people marking at once take turns, the second is told.
  select * into v_m from public.milestones where id = p_milestone_id for update;
  if v_m.done_at is not null then
    perform private.fail('23505', 'errors.milestone_already_done', 'milestone_id');
  end if;
  if coalesce(trim(p_note), '') <> '' or coalesce(p_photos, '[]'::jsonb) <> '[]'::jsonb then
    v_update := private.write_progress(v_issue, v_m.item_id, coalesce(nullif(trim(p_note), ''), v_m.title), p_photos);
  end if;
  update public.milestones set done_at = now(), done_by = auth.uid(), evidence_id = v_update where id = v_m.id;
  insert into public.issue_events (issue_id, actor_id, kind, action, reason, progress_update_id)
  values (v_issue.id, auth.uid(), 'milestone_done', case when v_update is null then 'no_evidence' end, v_m.title, v_update);
  v_progress := (public.item_progress(v_issue.id) ->> 'progress')::numeric;
  -- Done is exact, not a rounded 1: no milestone of positive weight left undone on a counted path from the plan.
  v_finished := v_progress is not null and not exists (
    with recursive r (id) as (
      select id from public.work_items where issue_id = v_issue.id and parent_id is null
      union all select w.id from public.work_items w join r on w.parent_id = r.id where not w.excluded and w.weight > 0)
    select 1 from r join public.milestones m on m.item_id = r.id where m.weight > 0 and m.done_at is null);
  select * into v_t from public.issue_transitions where action = 'finish' and from_status = v_issue.status;
  if v_finished and v_t.action is not null then
    perform private.set_issue_status(v_issue.id, v_t.to_status, null);
    perform private.log_issue_event(v_issue.id, 'transition', 'finish', v_issue.status, v_t.to_status, null, null);
    perform private.notify(private.issue_followers(v_issue.id), 'work_completed', v_issue.id,
      jsonb_build_object('title', v_issue.title, 'path', '/estates/' || v_issue.estate_id || '/issues/' || v_issue.id));
    return jsonb_build_object('id', v_m.id, 'progress', v_progress, 'status', v_t.to_status);
  end if;
  return jsonb_build_object('id', v_m.id, 'progress', v_progress, 'status', v_issue.status);
end
$$;

revoke all on function private.plan_statuses(), private.progress_issue(uuid),
  private.check_weight(numeric, text),
  private.plan_item(uuid, uuid, uuid, text, text, text, date, date, numeric, numeric, boolean, text),
  private.add_milestone(uuid, text, date, numeric), private.write_progress(public.issues, uuid, text, jsonb),
  private.post_progress(uuid, uuid, text, jsonb), private.complete_milestone(uuid, text, jsonb) from public;
grant execute on function private.plan_statuses(), private.check_weight(numeric, text) to authenticated, service_role;
grant execute on function private.plan_item(uuid, uuid, uuid, text, text, text, date, date, numeric, numeric, boolean, text),
  private.add_milestone(uuid, text, date, numeric), private.post_progress(uuid, uuid, text, jsonb),
  private.complete_milestone(uuid, text, jsonb) to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- The API: security invoker, as the caller under row level security.
-- ----------------------------------------------------------------------------

/** Adds a work item to an issue's plan (the first is the plan itself), or changes one (p_item_id). The committee only. */
create function public.plan_item(p_issue_id uuid, p_title text, p_item_id uuid default null, p_parent_id uuid default null,
  p_responsible_kind text default null, p_responsible text default null, p_planned_start date default null,
  p_planned_end date default null, p_budget numeric default null, p_weight numeric default 1, p_excluded boolean default false,
  p_exclusion_reason text default null) returns jsonb
language sql set search_path = '' as $$
  select private.plan_item(p_issue_id, p_item_id, p_parent_id, p_title, p_responsible_kind, p_responsible, p_planned_start,
    p_planned_end, p_budget, p_weight, p_excluded, p_exclusion_reason)
$$;

/** Adds a milestone (title, planned date, weight) to a work item. The committee only. */
create function public.add_milestone(p_item_id uuid, p_title text, p_planned_on date default null, p_weight numeric default 1) returns jsonb
language sql set search_path = '' as $$
  select private.add_milestone(p_item_id, p_title, p_planned_on, p_weight)
$$;

/** Posts a progress note with photos on the issue's timeline. The committee only, once work has started. */
create function public.post_progress(p_issue_id uuid, p_note text, p_photos jsonb default '[]', p_item_id uuid default null) returns jsonb
language sql set search_path = '' as $$
  select private.post_progress(p_issue_id, p_item_id, p_note, p_photos)
$$;

/** Marks a milestone done with an optional note and photos; the last one completes the issue. The committee only. */
create function public.complete_milestone(p_milestone_id uuid, p_note text default null, p_photos jsonb default '[]') returns jsonb
language sql set search_path = '' as $$
  select private.complete_milestone(p_milestone_id, p_note, p_photos)
$$;

/**
 * Whether the caller may see the stored photo at this path (see
 * keep_pending_photos): also a photo of a progress note they may read.
 */
create or replace function public.can_read_photo(p_path text) returns boolean
  language sql stable security invoker set search_path = ''
as $$
  select exists (select 1 from public.issue_photos ph where ph.path = p_path or ph.thumb_path = p_path)
    or exists (select 1 from public.pending_photos pp where pp.path = p_path or pp.thumb_path = p_path)
    or exists (select 1 from public.progress_photos pr where pr.path = p_path or pr.thumb_path = p_path);
$$;

revoke execute on function public.plan_item(uuid, text, uuid, uuid, text, text, date, date, numeric, numeric, boolean, text),
  public.add_milestone(uuid, text, date, numeric), public.post_progress(uuid, text, jsonb, uuid),
  public.complete_milestone(uuid, text, jsonb), public.item_progress(uuid) from public, anon;
grant execute on function public.item_progress(uuid) to anon, authenticated;
grant execute on function public.plan_item(uuid, text, uuid, uuid, text, text, date, date, numeric, numeric, boolean, text),
  public.add_milestone(uuid, text, date, numeric), public.post_progress(uuid, text, jsonb, uuid),
  public.complete_milestone(uuid, text, jsonb) to authenticated;
