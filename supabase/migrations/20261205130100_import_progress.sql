-- ============================================================================
-- Progress imported from CSV (issue #14): a contractor's weekly report, in
-- the columns of the open-data milestones file (docs/open-data.md), so the
-- committee downloads milestones.csv, the contractor fills in what was done,
-- and the committee uploads it on the plan page.
--
-- open_data_milestones adds that file to the export (no personal data: not
-- who marked a milestone, only whether and when). import_progress reads the
-- rows back: a dry run lists, line by line, what would change (a milestone
-- done and on which day, a planned date, a title, a weight, a progress note);
-- applying does all of it in this one call or nothing: any bad line (an
-- unknown milestone, one of another estate, a bad date, a bad weight, a done
-- milestone undone) returns every problem of every line and writes nothing.
-- It takes the same steps and keeps the same rules as the plan page's forms
-- (complete_milestone, edit_milestone), so the timeline, the notifications
-- and the lifecycle ('finish' when the last milestone is done) follow.
-- ============================================================================

/** One page of the scope's milestones after `p_after` (by id): what the plan shows, never who marked them. */
create function public.open_data_milestones(p_scope text, p_scope_id uuid, p_after uuid default null, p_limit integer default 1000)
returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
        'id', m.id, 'issue_id', m.issue_id, 'item_id', m.item_id, 'item', i.title, 'title', m.title,
        'planned_on', m.planned_on, 'weight', m.weight, 'done', m.done_at is not null,
        'done_on', (m.done_at at time zone 'Asia/Shanghai')::date) order by m.id), '[]'::jsonb)
    from (select id, issue_id, item_id, title, planned_on, weight, done_at
      from public.milestones
      where estate_id = any((select public.open_data_estates(p_scope, p_scope_id))::uuid[]) and (p_after is null or id > p_after)
      order by id limit least(greatest(coalesce(p_limit, 1000), 1), 5000)) m
    join public.work_items i on i.id = m.item_id
  );
end
$$;
revoke execute on function public.open_data_milestones(text, uuid, uuid, integer) from public;
grant execute on function public.open_data_milestones(text, uuid, uuid, integer) to anon, authenticated, service_role;

/** What an export of the scope holds (see 20261204150100), now with its milestones counted. */
create or replace function public.open_data_summary(p_scope text, p_scope_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_estates uuid[] := public.open_data_estates(p_scope, p_scope_id);
  v_name text;
  v_votes bigint := 0;
  v_options bigint := 0;
begin
  if cardinality(v_estates) = 0 then
    raise exception using errcode = 'P0002', message = 'errors.open_data_not_found';
  end if;
  -- Votes are for signed-in readers (see open_data_votes).
  if auth.uid() is not null then
    select count(*) into v_votes from public.votes v where v.estate_id = any(v_estates);
    select count(*) into v_options from public.vote_options o join public.votes v on v.id = o.vote_id where v.estate_id = any(v_estates);
  end if;
  v_name := case p_scope
    when 'estate' then (select e.name from public.estates e where e.id = p_scope_id)
    when 'community' then (select c.name from public.communities c where c.id = p_scope_id)
    else (select s.name from public.streets s where s.id = p_scope_id) end;
  return jsonb_build_object(
    'scope', p_scope, 'id', p_scope_id, 'name', v_name,
    'estates', (select jsonb_agg(jsonb_build_object('id', e.id, 'name', e.name) order by e.name)
      from public.estates e where e.id = any(v_estates)),
    'counts', jsonb_build_object(
      'issues', (select count(*) from public.issues i where i.estate_id = any(v_estates)),
      'events', (select count(*) from public.issue_events ev join public.issues i on i.id = ev.issue_id
        where i.estate_id = any(v_estates)),
      'votes', v_votes, 'vote_options', v_options,
      'milestones', (select count(*) from public.milestones m where m.estate_id = any(v_estates))));
end
$$;

/** A text as a date, or null when it is not one (2026-02-30 included), for messages per line instead of an error. */
create function private.try_date(p_text text) returns date
language plpgsql immutable set search_path = '' as $$
begin
  if p_text is null or p_text !~ '^\d{4}-\d{2}-\d{2}$' then
    return null;
  end if;
  return p_text::date;
exception when others then
  return null;
end
$$;
revoke all on function private.try_date(text) from public;

/**
 * Imports progress from CSV rows the server has split into fields:
 * [{line, id, title, planned_on, weight, done, done_on, note}], every value
 * text; an empty value keeps what is there. Checks every line (see the
 * header) and returns {ok: false, errors: [{line, field, key}]} with every
 * problem, writing nothing; otherwise {ok: true, dry_run, total, changed,
 * lines: [{line, id, issue_id, issue, item, title, changes: [{field, from, to}]}]}
 * and, unless p_dry_run, makes every change. Security definer: milestones
 * have no write grant; the caller must manage the estate.
 */
create function private.import_progress(p_estate_id uuid, p_rows jsonb, p_dry_run boolean) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_errors jsonb;
  v_lines jsonb;
  v_total int;
  v_changed int;
  v_today date := (now() at time zone 'Asia/Shanghai')::date;
  v_row record;
  v_issue public.issues;
  v_update uuid;
begin
  perform private.require_user();
  if not exists (select 1 from public.estates where id = p_estate_id) or not private.manages_estate(p_estate_id) then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  if jsonb_typeof(p_rows) is distinct from 'array' or jsonb_array_length(p_rows) = 0 then
    perform private.fail('22023', 'errors.import.empty', 'file');
  end if;
  if jsonb_array_length(p_rows) > 5000 then
    perform private.fail('22023', 'errors.import.too_many_progress_rows', 'file');
  end if;
  -- The issues of the estate that have milestones, locked in id order (as lock_issues does), so that two imports
  -- or an import and the plan page's forms take turns, and what is checked below is what is written.
  perform private.lock_issues(array(select distinct m.issue_id from public.milestones m where m.estate_id = p_estate_id));

  create temporary table if not exists pg_temp.progress_import_rows (
    line int, milestone_id uuid, issue_id uuid, item_id uuid, status text, was_done boolean, old_title text, old_planned_on date,
    old_weight numeric, old_done_on date, title text, planned_on date, weight numeric, done boolean, done_on date, note text,
    problems jsonb
  ) on commit drop;
  truncate pg_temp.progress_import_rows;

  insert into pg_temp.progress_import_rows
  select c.line, c.mid, m.issue_id, m.item_id, i.status, m.done_at is not null, m.title, m.planned_on, m.weight,
    (m.done_at at time zone 'Asia/Shanghai')::date,
    nullif(c.title, ''), c.pdate, c.w, c.d, c.ddate, nullif(c.note, ''), p.problems
  from (
    select r.*,
      case when r.id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then r.id::uuid end as mid,
      private.try_date(nullif(r.planned_on_text, '')) as pdate,
      private.try_date(nullif(r.done_on_text, '')) as ddate,
      case when r.weight_text ~ '^[0-9]{1,5}(\.[0-9]{1,4})?$' and r.weight_text::numeric <= 10000 then r.weight_text::numeric end as w,
      case when r.done_text in ('true', '1', 'yes', 'y', '是', '已完成', '完成') then true
           when r.done_text in ('false', '0', 'no', 'n', '否', '未完成') then false end as d,
      count(*) over (partition by lower(r.id)) as same_id
    from (
      select (e ->> 'line')::int as line, coalesce(trim(e ->> 'id'), '') as id, coalesce(trim(e ->> 'title'), '') as title,
        coalesce(trim(e ->> 'planned_on'), '') as planned_on_text, coalesce(trim(e ->> 'weight'), '') as weight_text,
        lower(coalesce(trim(e ->> 'done'), '')) as done_text, coalesce(trim(e ->> 'done_on'), '') as done_on_text,
        coalesce(trim(e ->> 'note'), '') as note
      from jsonb_array_elements(p_rows) e
    ) r
  ) c
  left join public.milestones m on m.id = c.mid and m.estate_id = p_estate_id
  left join public.issues i on i.id = m.issue_id
  cross join lateral (
    select coalesce(jsonb_agg(jsonb_build_object('field', v.field, 'key', v.key) order by v.n), '[]'::jsonb) as problems
    from (values
      (1, 'id', case
        when c.mid is null then 'errors.import.milestone_id'
        when m.id is null and exists (select 1 from public.milestones o where o.id = c.mid) then 'errors.import.other_estate'
        when m.id is null then 'errors.import.unknown_milestone'
        when c.same_id > 1 then 'errors.import.duplicate_milestone' end),
      (2, 'title', case when char_length(c.title) > 120 then 'errors.import.title' end),
      (3, 'planned_on', case
        when c.planned_on_text <> '' and c.pdate is null then 'errors.import.date'
        when m.id is not null and c.pdate is not null and c.pdate < private.milestone_earliest(m.item_id)
          then 'errors.import.before_start' end),
      (4, 'weight', case
        when c.weight_text <> '' and c.w is null then 'errors.import.weight'
        when m.done_at is not null and c.w is not null and c.w <> m.weight then 'errors.import.done_locked' end),
      (5, 'done', case
        when c.done_text <> '' and c.d is null then 'errors.import.done'
        when m.done_at is not null and c.d = false then 'errors.import.cannot_undo'
        when m.done_at is null and c.d is not true and c.done_on_text <> '' then 'errors.import.done_on_without_done' end),
      (6, 'done_on', case
        when c.done_on_text <> '' and c.ddate is null then 'errors.import.date'
        when m.done_at is null and c.d and c.ddate > v_today then 'errors.import.done_in_future' end),
      (7, 'note', case when char_length(c.note) > 2000 then 'errors.import.note' end),
      -- What the lifecycle allows: plan changes while the plan is open; marking done and notes once work has started.
      (8, 'id', case
        when m.id is null then null
        when m.done_at is null and c.d and i.status not in ('in_progress', 'following_up') then 'errors.import.work_not_started'
        when c.note <> '' and i.status not in ('in_progress', 'following_up', 'completed') then 'errors.import.work_not_started'
        when (c.title <> '' and c.title <> m.title) or (c.pdate is not null and c.pdate is distinct from m.planned_on)
          or (c.w is not null and c.w <> m.weight) then
          case when not (i.status = any(private.plan_statuses())) then 'errors.import.plan_not_open' end end)
    ) v(n, field, key)
    where v.key is not null
  ) p;

  select count(*) into v_total from pg_temp.progress_import_rows;
  select coalesce(jsonb_agg(jsonb_build_object('line', r.line) || p.e order by r.line, p.n), '[]'::jsonb) into v_errors
  from pg_temp.progress_import_rows r, jsonb_array_elements(r.problems) with ordinality p(e, n);
  if jsonb_array_length(v_errors) > 0 then
    return jsonb_build_object('ok', false, 'errors', v_errors, 'total', v_total);
  end if;

  -- What each line changes, as the dry run shows it and as it is then applied.
  select coalesce(jsonb_agg(jsonb_build_object('line', x.line, 'id', x.milestone_id, 'issue_id', x.issue_id,
      'issue', x.issue, 'item', x.item, 'title', x.old_title, 'changes', x.changes) order by x.line), '[]'::jsonb),
    count(*) filter (where jsonb_array_length(x.changes) > 0)
  into v_lines, v_changed
  from (
    select r.line, r.milestone_id, r.issue_id, iss.title as issue, wi.title as item, r.old_title,
      (select coalesce(jsonb_agg(jsonb_build_object('field', ch.field, 'from', ch.f, 'to', ch.t) order by ch.n), '[]'::jsonb)
       from (values
         (1, 'title', to_jsonb(r.old_title), to_jsonb(r.title), r.title is not null and r.title <> r.old_title),
         (2, 'planned_on', to_jsonb(r.old_planned_on), to_jsonb(r.planned_on),
           r.planned_on is not null and r.planned_on is distinct from r.old_planned_on),
         (3, 'weight', to_jsonb(r.old_weight), to_jsonb(r.weight), r.weight is not null and r.weight <> r.old_weight),
         (4, 'done', 'null'::jsonb, to_jsonb(coalesce(r.done_on, v_today)), not r.was_done and coalesce(r.done, false)),
         (5, 'note', 'null'::jsonb, to_jsonb(r.note), r.note is not null)
       ) ch(n, field, f, t, changed) where ch.changed) as changes
    from pg_temp.progress_import_rows r
    join public.issues iss on iss.id = r.issue_id
    join public.work_items wi on wi.id = r.item_id
  ) x;

  if p_dry_run then
    return jsonb_build_object('ok', true, 'dry_run', true, 'total', v_total, 'changed', v_changed, 'lines', v_lines);
  end if;

  -- Plan changes first (a weight set to 0 counts before a completion is judged), then notes and completions, line by line.
  for v_row in select * from pg_temp.progress_import_rows order by line loop
    if (v_row.title is not null and v_row.title <> v_row.old_title)
       or (v_row.planned_on is not null and v_row.planned_on is distinct from v_row.old_planned_on)
       or (v_row.weight is not null and v_row.weight <> v_row.old_weight) then
      update public.milestones set title = coalesce(v_row.title, title), planned_on = coalesce(v_row.planned_on, planned_on),
        weight = coalesce(v_row.weight, weight)
      where id = v_row.milestone_id;
      perform private.log_issue_event(v_row.issue_id, 'plan_changed', 'milestone_changed', null, null,
        coalesce(v_row.title, v_row.old_title), null);
    end if;
  end loop;
  for v_row in select * from pg_temp.progress_import_rows order by line loop
    v_update := null;
    if v_row.note is not null or (not v_row.was_done and coalesce(v_row.done, false)) then
      select * into v_issue from public.issues where id = v_row.issue_id;
    end if;
    if v_row.note is not null then
      v_update := private.write_progress(v_issue, v_row.item_id, v_row.note, '[]'::jsonb);
    end if;
    if not v_row.was_done and coalesce(v_row.done, false) then
      -- A day in the past is recorded at noon China time, so it reads as that day in every time zone of China's.
      update public.milestones set done_by = auth.uid(), evidence_id = v_update,
        done_at = case when v_row.done_on is null or v_row.done_on = v_today then now()
                       else (v_row.done_on + time '12:00') at time zone 'Asia/Shanghai' end
      where id = v_row.milestone_id;
      insert into public.issue_events (issue_id, actor_id, kind, action, reason, progress_update_id)
      values (v_row.issue_id, auth.uid(), 'milestone_done', case when v_update is null then 'no_evidence' end,
        coalesce(v_row.title, v_row.old_title), v_update);
    end if;
  end loop;
  perform private.finish_if_done(d.issue_id) from (select distinct issue_id from pg_temp.progress_import_rows order by issue_id) d;
  return jsonb_build_object('ok', true, 'dry_run', false, 'total', v_total, 'changed', v_changed, 'lines', v_lines);
end
$$;
revoke all on function private.import_progress(uuid, jsonb, boolean) from public;
grant execute on function private.import_progress(uuid, jsonb, boolean) to authenticated, service_role;

/** Imports progress from a CSV's rows: a dry run lists the changes per line; applying is all or nothing. The committee only. */
create function public.import_progress(p_estate_id uuid, p_rows jsonb, p_dry_run boolean default true) returns jsonb
language sql set search_path = '' as $$
  select private.import_progress(p_estate_id, p_rows, p_dry_run)
$$;
revoke execute on function public.import_progress(uuid, jsonb, boolean) from public, anon;
grant execute on function public.import_progress(uuid, jsonb, boolean) to authenticated;
