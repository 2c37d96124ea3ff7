-- ============================================================================
-- The issue board: what residents open first, on cheap phones, so it is read
-- in one call that reads along an index. Each estate's list of courtyards and
-- buildings for the area filter is kept ready as JSON (estate_area_lists,
-- written by a trigger when areas change), and issue_board returns json built
-- as text, not jsonb.
-- ============================================================================

/** Every estate's courtyards and buildings for the board's area filter, in its order (kind, name). */
create table public.estate_area_lists (
  estate_id uuid primary key references public.estates (id) on delete cascade,
  areas json not null
);
comment on table public.estate_area_lists is
  'Each estate''s courtyards and buildings ([{ id, kind, name, parent_id }], by kind and name) for the board''s area filter, kept by private.on_area_list; readable like areas.';

alter table public.estate_area_lists enable row level security;
revoke all on public.estate_area_lists from anon, authenticated;
-- Read only: the trigger writes it, nobody else.
grant select on public.estate_area_lists to anon, authenticated;
/** The same readers as areas: the names of courtyards and buildings are no secret. */
create policy "Anyone can read area lists" on public.estate_area_lists for select to anon, authenticated using (true);

/** Writes one estate's list as its areas are now. */
create function private.write_area_list(p_estate_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if p_estate_id is null or not exists (select 1 from public.estates e where e.id = p_estate_id) then
    return;
  end if;
  -- Two transactions changing one estate's areas at once: the second waits here for the first,
  -- then reads its areas in the next statement, with a snapshot that holds the first's.
  insert into public.estate_area_lists (estate_id, areas) values (p_estate_id, '[]') on conflict (estate_id) do nothing;
  perform 1 from public.estate_area_lists l where l.estate_id = p_estate_id for update;
  update public.estate_area_lists l set areas = coalesce((
      select json_agg(json_build_object('id', a.id, 'kind', a.kind, 'name', a.name, 'parent_id', a.parent_id) order by a.kind, a.name)
      from public.areas a where a.estate_id = p_estate_id and a.kind in ('courtyard', 'building')), '[]')
  where l.estate_id = p_estate_id;
end
$$;
revoke all on function private.write_area_list(uuid) from public;

/** Keeps estate_area_lists as areas are added, renamed, moved or removed. */
create function private.on_area_list() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op <> 'INSERT' then
    perform private.write_area_list(old.estate_id);
  end if;
  if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.estate_id is distinct from old.estate_id) then
    perform private.write_area_list(new.estate_id);
  end if;
  return null;
end
$$;
revoke all on function private.on_area_list() from public;
create trigger areas_list after insert or delete or update of estate_id, kind, name, parent_id on public.areas
  for each row execute function private.on_area_list();

/**
 * One page of an estate's board, as json: 20 issues, filtered (status tab,
 * category, area, mine, supported by me, text), sorted (newest, most
 * supported, recently active), with a cursor for the next page (keyset: the
 * 20th row's key and id), the count per status (issue_status_counts), and the
 * page header (the estate's name, its courtyards and buildings for the area
 * filter from estate_area_lists), so that the board page needs no other call.
 * The page and its rows, with their area's name and photo mark, come from one
 * query, of one of two kinds:
 *   - status, category and search filters that keep a good share of the
 *     board: walking the sort's index (one status: that status's index) and
 *     checking the filters row by row; static, planned once per session;
 *   - otherwise (a rare word; area, mine, supported, which pick few issues by
 *     their own index): a query written for the filters given, planned for them.
 * A search matches the words literally (%, _ and \ included) in the title or
 * the body; its candidates come from issue_search_pairs.
 */
create function public.issue_board(p_estate_id uuid, p_status text default null, p_category text default null,
  p_area_id uuid default null, p_mine boolean default false, p_supported boolean default false, p_q text default null,
  p_sort text default 'newest', p_cursor text default null) returns json
-- Generic plans for the static queries: each one's best plan does not depend on the values (each
-- walks one index in its order), and the plan cache would otherwise keep re-planning them, whose
-- custom plans it estimates cheaper. EXECUTE is unaffected.
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
  v_pairs text[];
  v_matching uuid[];
  v_total bigint;
  v_in_statuses bigint;
  v_pass float8;
  v_walk integer;
  v_done boolean := false;
  v_where text := '';
  v_order text;
  v_keys text;
  v_found bigint;
  v_last_key integer;
  v_last_ts timestamptz;
  v_last_id uuid;
  v_next text;
  v_rows json;
  v_counts json;
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

  -- The counts are those of the whole board, whatever the filters; RLS shows them to the issues'
  -- readers only. They also tell what share of the board the status filter keeps.
  select coalesce(json_object_agg(c.status, c.n), '{}'::json), coalesce(sum(c.n) filter (where c.status = any(v_open)), 0),
    coalesce(sum(c.n), 0), coalesce(sum(c.n) filter (where v_statuses is null or c.status = any(v_statuses)), 0)
  into v_counts, v_open_count, v_total, v_in_statuses
  from public.issue_status_counts c where c.estate_id = p_estate_id and c.n > 0;

  if v_q is not null then
    -- Literally: backslash (LIKE's escape character), % and _ are escaped. Inline, not a private
    -- helper, because anon reads public boards and may not name schema private.
    v_pattern := '%' || replace(replace(replace(v_q, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    -- The issues holding every pair of the words, from the index of issue_search_pairs (under its
    -- policies, like the issues'); the ILIKE keeps the literal matches among them. A single
    -- character has no pair: that search checks the board's rows in order until it has a page.
    v_pairs := public.character_pairs(v_q);
    if cardinality(v_pairs) = 1 then
      -- One pair (a two-character word, what most Chinese searches are): its rows are the
      -- matches, with no grouping (half the time of the general case below).
      v_matching := array(select p.issue_id from public.issue_search_pairs p where p.estate_id = p_estate_id and p.pair = v_pairs[1]);
    elsif cardinality(v_pairs) > 1 then
      select coalesce(array_agg(m.issue_id), '{}') into v_matching
      from (select p.issue_id from public.issue_search_pairs p
            where p.estate_id = p_estate_id and p.pair = any(v_pairs)
            group by p.issue_id having count(*) = cardinality(v_pairs)) m;
    end if;
  end if;

  if v_matching = '{}' then
    -- No issue holds every pair of the words: nothing to read.
    v_rows := '[]';
    v_found := 0;
    v_done := true;
  elsif p_area_id is null and not coalesce(p_mine, false) and not coalesce(p_supported, false)
     and (v_q is null or v_matching is not null) then
    -- Status, category and search filters are checked while walking the sort's index, where that
    -- reaches a page soon: one static query per sort, planned once per session and kept, where a
    -- query written for the filters (below) is planned on every call and costs more to plan than
    -- the walk to run. Of the rows walked, a category is taken to keep one in nine (there are
    -- nine), a search its candidates' share of the board.
    v_pass := case when p_category is null then 1 else 1.0 / 9 end
      * case when v_matching is null then 1 else cardinality(v_matching)::float8 / greatest(v_total, 1) end;
    v_after_key := coalesce(v_after_key, 2147483647);
    v_after_ts := coalesce(v_after_ts, 'infinity');
    v_after_id := coalesce(v_after_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff');
    if p_status is not null and p_status <> 'open' then
      -- One status: along that status's index for the sort, which holds v_in_statuses rows. Up to
      -- 2,000 of them the walk may read them all; beyond, only where a page is near.
      if v_in_statuses <= 2000 or v_pass * 1000 >= 21 then
        v_walk := case when (p_category is null and v_q is null) or v_in_statuses <= 2000 then null else 2000 end;
        case v_sort
          when 'newest' then
            select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
              max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
            into v_rows, v_found, v_last_key, v_last_ts, v_last_id
            from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                    i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.created_at as key_ts,
                    row_number() over (order by i.created_at desc, i.id desc) as ord
                  from (select i.* from public.issues i
                        where i.estate_id = p_estate_id and i.status = p_status and (i.created_at, i.id) < (v_after_ts, v_after_id)
                        order by i.created_at desc, i.id desc limit v_walk) i
                  where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                    and (v_matching is null or i.id in (select unnest(v_matching)))
                    and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                  order by i.created_at desc, i.id desc limit 21) x;
          when 'active' then
            select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
              max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
            into v_rows, v_found, v_last_key, v_last_ts, v_last_id
            from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                    i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.last_activity_at as key_ts,
                    row_number() over (order by i.last_activity_at desc, i.id desc) as ord
                  from (select i.* from public.issues i
                        where i.estate_id = p_estate_id and i.status = p_status and (i.last_activity_at, i.id) < (v_after_ts, v_after_id)
                        order by i.last_activity_at desc, i.id desc limit v_walk) i
                  where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                    and (v_matching is null or i.id in (select unnest(v_matching)))
                    and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                  order by i.last_activity_at desc, i.id desc limit 21) x;
          else
            select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
              max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
            into v_rows, v_found, v_last_key, v_last_ts, v_last_id
            from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                    i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, i.support_count as key_n, i.created_at as key_ts,
                    row_number() over (order by i.support_count desc, i.created_at desc, i.id desc) as ord
                  from (select i.* from public.issues i
                        where i.estate_id = p_estate_id and i.status = p_status and (i.support_count, i.created_at, i.id) < (v_after_key, v_after_ts, v_after_id)
                        order by i.support_count desc, i.created_at desc, i.id desc limit v_walk) i
                  where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                    and (v_matching is null or i.id in (select unnest(v_matching)))
                    and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                  order by i.support_count desc, i.created_at desc, i.id desc limit 21) x;
        end case;
        v_done := true;
      end if;
    elsif v_total <= 2000 or v_pass * v_in_statuses * 1000 >= 21 * v_total then
      -- The whole board or the open tab: along the sort's own index, every status on it.
      v_walk := case when (p_category is null and v_q is null) or v_total <= 2000 then null else 2000 end;
      case v_sort
        when 'newest' then
          select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
            max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
          into v_rows, v_found, v_last_key, v_last_ts, v_last_id
          from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.created_at as key_ts,
                  row_number() over (order by i.created_at desc, i.id desc) as ord
                from (select i.* from public.issues i
                      where i.estate_id = p_estate_id and (i.created_at, i.id) < (v_after_ts, v_after_id)
                      order by i.created_at desc, i.id desc limit v_walk) i
                where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                  and (v_matching is null or i.id in (select unnest(v_matching)))
                  and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                order by i.created_at desc, i.id desc limit 21) x;
        when 'active' then
          select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
            max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
          into v_rows, v_found, v_last_key, v_last_ts, v_last_id
          from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.last_activity_at as key_ts,
                  row_number() over (order by i.last_activity_at desc, i.id desc) as ord
                from (select i.* from public.issues i
                      where i.estate_id = p_estate_id and (i.last_activity_at, i.id) < (v_after_ts, v_after_id)
                      order by i.last_activity_at desc, i.id desc limit v_walk) i
                where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                  and (v_matching is null or i.id in (select unnest(v_matching)))
                  and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                order by i.last_activity_at desc, i.id desc limit 21) x;
        else
          select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
            max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
          into v_rows, v_found, v_last_key, v_last_ts, v_last_id
          from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, i.support_count as key_n, i.created_at as key_ts,
                  row_number() over (order by i.support_count desc, i.created_at desc, i.id desc) as ord
                from (select i.* from public.issues i
                      where i.estate_id = p_estate_id and (i.support_count, i.created_at, i.id) < (v_after_key, v_after_ts, v_after_id)
                      order by i.support_count desc, i.created_at desc, i.id desc limit v_walk) i
                where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                  and (v_matching is null or i.id in (select unnest(v_matching)))
                  and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                order by i.support_count desc, i.created_at desc, i.id desc limit 21) x;
      end case;
      v_done := true;
    end if;
    -- A walk stopped at its limit with less than a page (a category rarer than guessed, or the
    -- last page) leaves the page to the planned query below.
    v_done := v_done and (v_found > 20 or v_walk is null);
  end if;

  if not v_done then
    -- Filters that pick few issues: only the filters given become query text, and EXECUTE plans
    -- it for them (a rare word by its candidates, mine by author, an area by area...), where one
    -- cached plan for every combination would walk the sort index through the whole board.
    -- Values are always parameters ($1 … $11).
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
      v_where := v_where || ' and (i.title ilike $7 or i.body ilike $7)';
      -- The candidates as an array, so that the page query can walk its sort index and stop after
      -- a page, where a join would fetch every candidate first.
      if v_matching is not null then
        v_where := v_where || ' and i.id = any($11)';
      end if;
    end if;
    -- The order and the cursor condition follow one index each (see above); the cursor is the 20th
    -- row's sort key.
    case v_sort
      when 'newest' then
        v_order := 'i.created_at desc, i.id desc';
        v_keys := '0 as key_n, i.created_at as key_ts';
        if p_cursor is not null then v_where := v_where || ' and (i.created_at, i.id) < ($9, $10)'; end if;
      when 'active' then
        v_order := 'i.last_activity_at desc, i.id desc';
        v_keys := '0 as key_n, i.last_activity_at as key_ts';
        if p_cursor is not null then v_where := v_where || ' and (i.last_activity_at, i.id) < ($9, $10)'; end if;
      else
        v_order := 'i.support_count desc, i.created_at desc, i.id desc';
        v_keys := 'i.support_count as key_n, i.created_at as key_ts';
        if p_cursor is not null then v_where := v_where || ' and (i.support_count, i.created_at, i.id) < ($8, $9, $10)'; end if;
    end case;
    -- 21 rows: the 21st only says whether there is a next page, whose cursor is the 20th's key.
    execute 'select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), ''[]''), count(*),'
        || ' max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]'
        || ' from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count,'
        || ' i.comment_count, i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, ' || v_keys || ','
        || ' row_number() over (order by ' || v_order || ') as ord'
        || ' from public.issues i where i.estate_id = $1' || v_where
        || ' order by ' || v_order || ' limit 21) x'
      into v_rows, v_found, v_last_key, v_last_ts, v_last_id
      using p_estate_id, v_statuses, p_category, v_areas, v_uid, v_supported, v_pattern, v_after_key, v_after_ts, v_after_id, v_matching;
  end if;
  -- The cursor of the next page is the 20th row's sort key, when there is a 21st.
  if v_found > 20 then
    v_next := v_last_key::text || '|' || v_last_ts::text || '|' || v_last_id::text;
  end if;

  return json_build_object(
    'issues', v_rows,
    'next_cursor', v_next,
    'counts', v_counts,
    'open_count', v_open_count,
    'estate', json_build_object('id', v_estate.id, 'name', v_estate.name),
    'areas', coalesce((select l.areas from public.estate_area_lists l where l.estate_id = p_estate_id), '[]'::json)
  );
end
$$;
revoke execute on function public.issue_board(uuid, text, text, uuid, boolean, boolean, text, text, text) from public;
grant execute on function public.issue_board(uuid, text, text, uuid, boolean, boolean, text, text, text) to anon, authenticated;
