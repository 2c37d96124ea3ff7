-- ============================================================================
-- A fast issue board. The board page used to cost ~30 ms of serialized
-- database work (embedded): my_context scanned every profile, the layout read
-- the full estate home (outlines, numbers), and issue_board counted 5,000
-- issues twice and sorted them all to show 20. Now:
--   * my_context finds the caller's profile through its key;
--   * issue_board reads 21 rows along an index for each sort (keyset paging),
--     takes its status counts from a counter table kept by a trigger, and
--     brings the page header (estate name, area names) in the same call;
--   * the map popup reads a lean issue_summary instead of issue_detail.
-- Also: comment_count counts visible comments only, and the board's text
-- search matches %, _ and \ literally.
-- ============================================================================

-- ----------------------------------------------------------------------------
-- my_context: `p.id = auth.uid()` could not use the primary key, because
-- auth.uid() inlines to a non-leakproof expression and the profiles policy
-- must run first; a plpgsql variable is a plain parameter, so it can.
-- ----------------------------------------------------------------------------

/** Who the caller is: profile and memberships, for the navigation and the role checks of the app. Null for anon. */
create or replace function public.my_context() returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
begin
  -- anon may not even name schema private, so return before any statement does.
  if v_uid is null then
    return null;
  end if;
  return (select jsonb_build_object(
    'user_id', p.id,
    'display_name', p.display_name,
    'locale', p.locale,
    'is_admin', p.is_admin,
    'memberships', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', m.id, 'estate_id', m.estate_id, 'estate_name', e.name, 'status', m.status,
        'roles', to_jsonb(m.roles), 'reason', m.reason, 'unit', private.unit_label(m.unit_id),
        'unit_note', m.unit_note, 'decided_at', m.decided_at
      ) order by m.created_at)
      from public.memberships m join public.estates e on e.id = m.estate_id
      where m.user_id = v_uid), '[]'::jsonb)
  ) from public.profiles p where p.id = v_uid);
end
$$;

-- ----------------------------------------------------------------------------
-- Indexes the board pages along, one per sort, each ending in id so that a
-- keyset cursor (key, id) is an index condition, not a filter.
-- ----------------------------------------------------------------------------

create index issues_estate_created_idx on public.issues (estate_id, created_at desc, id desc);
drop index public.issues_estate_activity_idx;
create index issues_estate_activity_idx on public.issues (estate_id, last_activity_at desc, id desc);
drop index public.issues_estate_support_idx;
create index issues_estate_support_idx on public.issues (estate_id, support_count desc, created_at desc, id desc);
drop index public.issues_estate_status_idx;
create index issues_estate_status_idx on public.issues (estate_id, status, created_at desc, id desc);

-- ----------------------------------------------------------------------------
-- Issues per status and estate, for the board's tabs: kept by a trigger, so
-- the board reads a handful of rows instead of counting every issue.
-- ----------------------------------------------------------------------------

create table public.issue_status_counts (
  estate_id uuid not null references public.estates (id) on delete cascade,
  status text not null,
  n integer not null default 0 check (n >= 0),
  primary key (estate_id, status)
);
comment on table public.issue_status_counts is
  'Issues per estate and status, kept by private.on_issue_status_count; readable by whoever may read the estate''s issues.';

alter table public.issue_status_counts enable row level security;
revoke all on public.issue_status_counts from anon, authenticated;
-- Read only: the trigger writes it, nobody else.
grant select on public.issue_status_counts to anon, authenticated;

/** The counts reveal no more than the issues themselves: the same readers as issues. */
create policy "Anyone can read status counts of public boards" on public.issue_status_counts for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
create policy "Readers of an estate's issues can read its status counts" on public.issue_status_counts for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));

/**
 * Keeps issue_status_counts. Security definer: nobody has a write grant on it.
 * A status change touches two counter rows; they are written in (estate,
 * status) order, so that two opposite changes at once (a decline and a
 * reopening) take the row locks in the same order and cannot deadlock.
 */
create function private.on_issue_status_count() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v record;
begin
  if tg_op = 'UPDATE' and (new.estate_id, new.status) is not distinct from (old.estate_id, old.status) then
    return null;
  end if;
  for v in
    select d.estate_id, d.status, d.delta
    from (select old.estate_id, old.status, -1 where tg_op in ('UPDATE', 'DELETE')
          union all
          select new.estate_id, new.status, 1 where tg_op in ('INSERT', 'UPDATE')) d (estate_id, status, delta)
    order by d.estate_id, d.status
  loop
    if v.delta > 0 then
      insert into public.issue_status_counts as c (estate_id, status, n) values (v.estate_id, v.status, 1)
      on conflict (estate_id, status) do update set n = c.n + 1;
    else
      update public.issue_status_counts set n = n - 1 where estate_id = v.estate_id and status = v.status;
    end if;
  end loop;
  return null;
end
$$;
revoke all on function private.on_issue_status_count() from public;
create trigger issues_status_count after insert or delete or update of status, estate_id on public.issues
  for each row execute function private.on_issue_status_count();

insert into public.issue_status_counts (estate_id, status, n)
select estate_id, status, count(*) from public.issues group by estate_id, status;

-- ----------------------------------------------------------------------------
-- comment_count counts what readers can read: visible comments. Hidden,
-- reported (pending review) and deleted ones keep their place in the thread
-- for their author and the moderators, but are not "comments" on the board.
-- ----------------------------------------------------------------------------

/** Keeps comment_count (visible comments) and the issue's last activity. */
create or replace function private.on_comment_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.issues set comment_count = comment_count + case when new.state = 'visible' then 1 else 0 end,
    last_activity_at = now()
  where id = new.issue_id;
  return null;
end
$$;

/** A comment hidden, reported, deleted or restored leaves or re-enters comment_count. */
create function private.on_comment_state_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_delta int := (new.state = 'visible')::int - (old.state = 'visible')::int;
begin
  if v_delta <> 0 then
    update public.issues set comment_count = comment_count + v_delta where id = new.issue_id;
  end if;
  return null;
end
$$;
create trigger comments_state_count after update of state on public.comments
  for each row execute function private.on_comment_state_change();

/** A visible comment removed with its thread (its parent or issue deleted) leaves comment_count. */
create function private.on_comment_delete() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.state = 'visible' then
    update public.issues set comment_count = comment_count - 1 where id = old.issue_id;
  end if;
  return null;
end
$$;
create trigger comments_delete_count after delete on public.comments
  for each row execute function private.on_comment_delete();

revoke all on function private.on_comment_state_change(), private.on_comment_delete() from public;

update public.issues i set comment_count = v.n
from (select i2.id, (select count(*) from public.comments c where c.issue_id = i2.id and c.state = 'visible')::int as n
      from public.issues i2) v
where v.id = i.id and i.comment_count <> v.n;

-- ----------------------------------------------------------------------------
-- The board.
-- ----------------------------------------------------------------------------

/**
 * One page of an estate's board: 20 issues, filtered (status tab, category,
 * area, mine, supported by me, text), sorted (newest, most supported,
 * recently active), with a cursor for the next page, the count per status,
 * and the page header (the estate's name, its courtyards and buildings for
 * the area filter), so that the board page needs no other call.
 * Each sort reads along its own index from the cursor (keyset paging) and
 * stops after 21 rows; the 20 shown are the only ones described. The landing
 * tabs run static queries whose plans are kept; other filters run a query
 * made of those filters only, planned for them (EXECUTE). Text search
 * matches the words literally (%, _ and \ included) in the title or the body.
 */
create or replace function public.issue_board(p_estate_id uuid, p_status text default null, p_category text default null,
  p_area_id uuid default null, p_mine boolean default false, p_supported boolean default false, p_q text default null,
  p_sort text default 'newest', p_cursor text default null) returns jsonb
-- Generic plans for the static queries: each one's best plan does not depend on the values (the
-- landing tabs walk a sort index; the rest are key lookups), and the plan cache would otherwise keep
-- re-planning the landing queries, whose custom plans it estimates cheaper. EXECUTE is unaffected.
language plpgsql stable set search_path = '' set plan_cache_mode = force_generic_plan as $$
declare
  v_uid uuid := auth.uid();
  v_q text := nullif(trim(coalesce(p_q, '')), '');
  v_sort text := coalesce(p_sort, 'newest');
  v_open text[] := array['proposed', 'accepted', 'deliberating', 'voting', 'approved', 'publicized', 'in_progress', 'following_up'];
  v_estate public.estates;
  v_after_key integer;
  v_after_ts timestamptz;
  v_after_id uuid;
  v_statuses text[];
  v_areas uuid[];
  v_supported uuid[];
  v_pattern text;
  v_where text := '';
  v_order text;
  v_cursor text;
  v_page uuid[];
  v_next text;
  v_rows jsonb;
  v_counts jsonb;
  v_open_count bigint;
begin
  if v_sort not in ('newest', 'supported', 'active') then
    raise exception using errcode = '22023', message = 'errors.invalid_choice', detail = 'sort';
  end if;
  select * into v_estate from public.estates where id = p_estate_id;
  if v_estate.id is null then
    raise exception using errcode = 'P0002', message = 'errors.estate_not_found', detail = '';
  end if;
  -- RLS hides the issues of a closed board; say so rather than show an empty board.
  if not v_estate.board_public and v_uid is null then
    raise exception using errcode = '42501', message = 'errors.sign_in_required', detail = '';
  end if;
  if p_cursor is not null then
    begin
      v_after_key := split_part(p_cursor, '|', 1)::integer;
      v_after_ts := split_part(p_cursor, '|', 2)::timestamptz;
      v_after_id := split_part(p_cursor, '|', 3)::uuid;
    exception when others then
      raise exception using errcode = '22023', message = 'errors.invalid_input', detail = 'cursor';
    end;
  end if;

  if p_status = 'open' then
    v_statuses := v_open;
  elsif p_status is not null then
    v_statuses := array[p_status];
  end if;

  if p_category is null and p_area_id is null and not coalesce(p_mine, false) and not coalesce(p_supported, false)
     and v_q is null and (p_status is null or p_status = 'open') then
    -- The landing tabs (all, open), in any sort: most board views. Static queries, planned once per
    -- session and kept (plpgsql's plan cache, generic plans: see above), where EXECUTE would plan
    -- every call, which costs more than running the query. The cursor is always a condition (from the top when there is
    -- none), so that the cached plan always uses it in the index scan.
    v_after_key := coalesce(v_after_key, 2147483647);
    v_after_ts := coalesce(v_after_ts, 'infinity');
    v_after_id := coalesce(v_after_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff');
    case v_sort
      when 'newest' then
        select coalesce(array_agg(x.id order by x.ord), '{}'), (array_agg(x.cur order by x.ord))[20] into v_page, v_next
        from (select i.id, '0|' || i.created_at::text || '|' || i.id::text as cur,
                row_number() over (order by i.created_at desc, i.id desc) as ord
              from public.issues i
              where i.estate_id = p_estate_id and (v_statuses is null or i.status = any(v_statuses))
                and (i.created_at, i.id) < (v_after_ts, v_after_id)
              order by i.created_at desc, i.id desc limit 21) x;
      when 'active' then
        select coalesce(array_agg(x.id order by x.ord), '{}'), (array_agg(x.cur order by x.ord))[20] into v_page, v_next
        from (select i.id, '0|' || i.last_activity_at::text || '|' || i.id::text as cur,
                row_number() over (order by i.last_activity_at desc, i.id desc) as ord
              from public.issues i
              where i.estate_id = p_estate_id and (v_statuses is null or i.status = any(v_statuses))
                and (i.last_activity_at, i.id) < (v_after_ts, v_after_id)
              order by i.last_activity_at desc, i.id desc limit 21) x;
      else
        select coalesce(array_agg(x.id order by x.ord), '{}'), (array_agg(x.cur order by x.ord))[20] into v_page, v_next
        from (select i.id, i.support_count::text || '|' || i.created_at::text || '|' || i.id::text as cur,
                row_number() over (order by i.support_count desc, i.created_at desc, i.id desc) as ord
              from public.issues i
              where i.estate_id = p_estate_id and (v_statuses is null or i.status = any(v_statuses))
                and (i.support_count, i.created_at, i.id) < (v_after_key, v_after_ts, v_after_id)
              order by i.support_count desc, i.created_at desc, i.id desc limit 21) x;
    end case;
  else
    -- Any other filter: only the filters given become query text, and EXECUTE plans it for them
    -- (a rare status by its index, mine by author, an area by area...), where one cached plan
    -- for every combination would walk the sort index through the whole board. Values are
    -- always parameters ($1 … $10).
    if v_statuses is not null then
      v_where := v_where || ' and i.status = any($2)';
    end if;
    if p_category is not null then
      v_where := v_where || ' and i.category = $3';
    end if;
    if p_area_id is not null then
      -- A courtyard covers its buildings.
      v_areas := array(select p_area_id union all select a.id from public.areas a where a.parent_id = p_area_id);
      v_where := v_where || ' and i.area_id = any($4)';
    end if;
    if coalesce(p_mine, false) then
      -- anon has no issues of its own: $5 is null, and so is the match.
      v_where := v_where || ' and i.author_id = $5';
    end if;
    if coalesce(p_supported, false) then
      -- Read apart from the page query: anon has no grant on issue_supports.
      v_supported := '{}';
      if v_uid is not null then
        select coalesce(array_agg(s.issue_id), '{}') into v_supported from public.issue_supports s where s.user_id = v_uid;
      end if;
      v_where := v_where || ' and i.id = any($6)';
    end if;
    if v_q is not null then
      -- Literally: backslash (LIKE's escape character), % and _ are escaped. Inline, not a private
      -- helper, because anon reads public boards and may not name schema private.
      v_pattern := '%' || replace(replace(replace(v_q, '\', '\\'), '%', '\%'), '_', '\_') || '%';
      v_where := v_where || ' and (i.title ilike $7 or i.body ilike $7)';
    end if;
    -- The order, the cursor condition and the cursor text follow one index each (see above).
    case v_sort
      when 'newest' then
        v_order := 'i.created_at desc, i.id desc';
        v_cursor := $c$'0|' || i.created_at::text || '|' || i.id::text$c$;
        if p_cursor is not null then v_where := v_where || ' and (i.created_at, i.id) < ($9, $10)'; end if;
      when 'active' then
        v_order := 'i.last_activity_at desc, i.id desc';
        v_cursor := $c$'0|' || i.last_activity_at::text || '|' || i.id::text$c$;
        if p_cursor is not null then v_where := v_where || ' and (i.last_activity_at, i.id) < ($9, $10)'; end if;
      else
        v_order := 'i.support_count desc, i.created_at desc, i.id desc';
        v_cursor := $c$i.support_count::text || '|' || i.created_at::text || '|' || i.id::text$c$;
        if p_cursor is not null then v_where := v_where || ' and (i.support_count, i.created_at, i.id) < ($8, $9, $10)'; end if;
    end case;
    -- 21 rows: the 21st only says whether there is a next page, whose cursor is the 20th's.
    execute 'select coalesce(array_agg(x.id order by x.ord), ''{}''), (array_agg(x.cur order by x.ord))[20]'
        || ' from (select i.id, ' || v_cursor || ' as cur, row_number() over (order by ' || v_order || ') as ord'
        || ' from public.issues i where i.estate_id = $1' || v_where
        || ' order by ' || v_order || ' limit 21) x'
      into v_page, v_next
      using p_estate_id, v_statuses, p_category, v_areas, v_uid, v_supported, v_pattern, v_after_key, v_after_ts, v_after_id;
  end if;
  if cardinality(v_page) <= 20 then
    v_next := null;
  end if;
  v_page := v_page[1:20];

  select coalesce(jsonb_agg(jsonb_build_object(
      'id', i.id, 'title', i.title, 'status', i.status, 'category', i.category, 'area', a.name, 'area_id', i.area_id,
      'support_count', i.support_count, 'comment_count', i.comment_count, 'created_at', i.created_at,
      'last_activity_at', i.last_activity_at, 'has_photo', exists (select 1 from public.issue_photos ph where ph.issue_id = i.id)
    ) order by array_position(v_page, i.id)), '[]'::jsonb)
  into v_rows
  from public.issues i join public.areas a on a.id = i.area_id
  where i.id = any(v_page);

  -- The counts are those of the whole board, whatever the filters; RLS shows them to the issues' readers only.
  select coalesce(jsonb_object_agg(c.status, c.n), '{}'::jsonb), coalesce(sum(c.n) filter (where c.status = any(v_open)), 0)
  into v_counts, v_open_count
  from public.issue_status_counts c where c.estate_id = p_estate_id and c.n > 0;

  return jsonb_build_object(
    'issues', v_rows,
    'next_cursor', v_next,
    'counts', v_counts,
    'open_count', v_open_count,
    'estate', jsonb_build_object('id', v_estate.id, 'name', v_estate.name),
    'areas', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'kind', a.kind, 'name', a.name, 'parent_id', a.parent_id)
        order by a.kind, a.name)
      from public.areas a where a.estate_id = p_estate_id and a.kind in ('courtyard', 'building')), '[]'::jsonb)
  );
end
$$;

-- ----------------------------------------------------------------------------
-- The map popup.
-- ----------------------------------------------------------------------------

/**
 * What a map pin's popup shows: title, status, category, area and supports of
 * one issue, and its estate (for the address check), instead of issue_detail's
 * timeline, photos and first page of discussion.
 */
create function public.issue_summary(p_issue_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_summary jsonb;
begin
  select jsonb_build_object('id', i.id, 'estate_id', i.estate_id, 'title', i.title, 'status', i.status, 'category', i.category,
      'area', a.name, 'support_count', i.support_count)
  into v_summary
  from public.issues i join public.areas a on a.id = i.area_id
  where i.id = p_issue_id;
  if v_summary is null then
    raise exception using errcode = 'P0002', message = 'errors.issue_not_found', detail = '';
  end if;
  return v_summary;
end
$$;

-- Anyone who may read the issue: anon too, on public boards (RLS decides).
revoke execute on function public.issue_summary(uuid) from public;
grant execute on function public.issue_summary(uuid) to anon, authenticated;
