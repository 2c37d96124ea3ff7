-- ============================================================================
-- The board reads less on every page. Measured on the benchmark estate in
-- the embedded database, issue_board spent a quarter of its time building the
-- area filter's list (56 courtyards and buildings, sorted and turned into
-- JSON on every page), a tenth looking up each row's photos through their
-- policy, and much of the rest turning jsonb into text for the server.
--   * estate_area_lists keeps each estate's list of courtyards and buildings,
--     ready as JSON, written by a trigger when areas change;
--   * issues.has_photo, written by a trigger when photos are added or removed;
--   * issue_board returns json, built as text, in place of jsonb, and reads
--     the page and its rows in one query (one pass of the issues' policy,
--     the next page's cursor from the 20th row's key alone); one status tab,
--     newest first, gets a static query along the status index;
--   * private.readable_estates, which the issues' policies run once per query,
--     in plpgsql: its queries are planned once per session, and the member's
--     estates and the admin flag are read once, not once per estate.
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

select private.write_area_list(e.id) from public.estates e;

/** Whether the issue has a photo: the board shows a mark for it on every row. */
alter table public.issues add column has_photo boolean not null default false;

create function private.on_issue_photo() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_issue_id uuid := case tg_op when 'DELETE' then old.issue_id else new.issue_id end;
  v_has boolean;
begin
  v_has := exists (select 1 from public.issue_photos ph where ph.issue_id = v_issue_id);
  -- Only when it changes: every update of an issue row leaves a dead row behind.
  update public.issues i set has_photo = v_has where i.id = v_issue_id and i.has_photo <> v_has;
  return null;
end
$$;
revoke all on function private.on_issue_photo() from public;
create trigger issue_photos_has_photo after insert or delete on public.issue_photos
  for each row execute function private.on_issue_photo();

update public.issues i set has_photo = true where exists (select 1 from public.issue_photos ph where ph.issue_id = i.id);

/**
 * The estates whose issues the caller may read (see 20261128001000): public
 * boards, the caller's verified memberships, every estate for an admin.
 */
create or replace function private.readable_estates() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is not null and (select p.is_admin from public.profiles p where p.id = v_uid) then
    return array(select e.id from public.estates e);
  end if;
  return array(select e.id from public.estates e where e.board_public
    union select m.estate_id from public.memberships m where m.user_id = v_uid and m.status = 'verified');
end
$$;

-- A new result type: the function is dropped and made again, with its grants.
drop function public.issue_board(uuid, text, text, uuid, boolean, boolean, text, text, text);

/**
 * One page of an estate's board (see 20261128002400), as json: each sort and
 * filter reads the page's rows, with their area's name, in one query along
 * its index; the rows' photo mark comes from issues.has_photo, the area
 * filter's list from estate_area_lists.
 */
create function public.issue_board(p_estate_id uuid, p_status text default null, p_category text default null,
  p_area_id uuid default null, p_mine boolean default false, p_supported boolean default false, p_q text default null,
  p_sort text default 'newest', p_cursor text default null) returns json
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
  -- No filter but the status tab: the static queries below serve these.
  v_status_only boolean := p_category is null and p_area_id is null and not coalesce(p_mine, false)
    and not coalesce(p_supported, false) and v_q is null;
  v_areas uuid[];
  v_supported uuid[];
  v_pattern text;
  v_pairs text[];
  v_matching uuid[];
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

  if v_status_only and (p_status is null or p_status = 'open') then
    -- The landing tabs (all, open), in any sort: most board views. Static queries, planned once per
    -- session and kept (plpgsql's plan cache, generic plans: see above), where EXECUTE would plan
    -- every call, which costs more than running the query. The cursor is always a condition (from the top when there is
    -- none), so that the cached plan always uses it in the index scan.
    v_after_key := coalesce(v_after_key, 2147483647);
    v_after_ts := coalesce(v_after_ts, 'infinity');
    v_after_id := coalesce(v_after_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff');
    case v_sort
      when 'newest' then
        select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
          max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
        into v_rows, v_found, v_last_key, v_last_ts, v_last_id
        from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.created_at as key_ts,
                row_number() over (order by i.created_at desc, i.id desc) as ord
              from public.issues i
              where i.estate_id = p_estate_id and (v_statuses is null or i.status = any(v_statuses))
                and (i.created_at, i.id) < (v_after_ts, v_after_id)
              order by i.created_at desc, i.id desc limit 21) x;
      when 'active' then
        select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
          max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
        into v_rows, v_found, v_last_key, v_last_ts, v_last_id
        from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.last_activity_at as key_ts,
                row_number() over (order by i.last_activity_at desc, i.id desc) as ord
              from public.issues i
              where i.estate_id = p_estate_id and (v_statuses is null or i.status = any(v_statuses))
                and (i.last_activity_at, i.id) < (v_after_ts, v_after_id)
              order by i.last_activity_at desc, i.id desc limit 21) x;
      else
        select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
          max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
        into v_rows, v_found, v_last_key, v_last_ts, v_last_id
        from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, i.support_count as key_n, i.created_at as key_ts,
                row_number() over (order by i.support_count desc, i.created_at desc, i.id desc) as ord
              from public.issues i
              where i.estate_id = p_estate_id and (v_statuses is null or i.status = any(v_statuses))
                and (i.support_count, i.created_at, i.id) < (v_after_key, v_after_ts, v_after_id)
              order by i.support_count desc, i.created_at desc, i.id desc limit 21) x;
    end case;
  elsif v_status_only and v_sort = 'newest' then
    -- One status tab, newest first (a tab as it opens): a static query along the status index,
    -- whose order is the page's, so one kept plan serves every status, rare or common.
    v_after_ts := coalesce(v_after_ts, 'infinity');
    v_after_id := coalesce(v_after_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff');
    select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
      max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
    into v_rows, v_found, v_last_key, v_last_ts, v_last_id
    from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
              i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.created_at as key_ts,
            row_number() over (order by i.created_at desc, i.id desc) as ord
          from public.issues i
          where i.estate_id = p_estate_id and i.status = p_status and (i.created_at, i.id) < (v_after_ts, v_after_id)
          order by i.created_at desc, i.id desc limit 21) x;
  else
    -- Any other filter: only the filters given become query text, and EXECUTE plans it for them
    -- (a rare status by its index, mine by author, an area by area...), where one cached plan
    -- for every combination would walk the sort index through the whole board. Values are
    -- always parameters ($1 … $11).
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
      -- The issues holding every pair of the words, from the index of issue_search_pairs (under its
      -- policies, like the issues'); the ILIKE above keeps the literal matches among them. As an
      -- array, so that the page query can walk its sort index and stop after a page, where a join
      -- would fetch every candidate first. A single character has no pair: that search reads the
      -- board in order until it has a page.
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

  -- The counts are those of the whole board, whatever the filters; RLS shows them to the issues' readers only.
  select coalesce(json_object_agg(c.status, c.n), '{}'::json), coalesce(sum(c.n) filter (where c.status = any(v_open)), 0)
  into v_counts, v_open_count
  from public.issue_status_counts c where c.estate_id = p_estate_id and c.n > 0;

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
