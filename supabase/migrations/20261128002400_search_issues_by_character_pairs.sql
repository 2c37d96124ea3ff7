-- ============================================================================
-- Board search through an index. A search matches literally anywhere in an
-- issue's title or body (ILIKE), which read the whole board: trigram indexes
-- need three characters, most Chinese words are two (长椅, 充电, 漏水), and
-- under row level security no index serves a condition that is not leakproof
-- (ILIKE, array containment), because such a condition may only run after the
-- policy has let a row through. Now every issue keeps the character pairs of
-- its title and body in a GIN index, and a member's search asks
-- private.issues_matching for the ids that have all the pairs of the words
-- and match literally; the board then reads those ids under its policies as
-- before. Anon searches of public boards keep the plain scan (no definer
-- function is callable by anon).
-- ============================================================================

-- Title and body apart, so that no pair spans the two: a literal match lies within one of them.
alter table public.issues
  add column search_pairs text[] generated always as (private.bigrams(title) || private.bigrams(body)) stored;
create index issues_search_pairs_idx on public.issues using gin (search_pairs);

-- The trigram indexes served only this search, and could not for two-character words.
drop index public.issues_title_trgm_idx;
drop index public.issues_body_trgm_idx;

/**
 * The ids of an estate's issues whose title or body contains p_pattern (an
 * ILIKE pattern) and that hold every pair in p_pairs (the pattern's character
 * pairs, which narrow the search to a few rows through the GIN index).
 * Security definer so that the index can serve the containment; it answers
 * only for an estate whose board the caller may read (the issues' own policy,
 * private.readable_estates) and gives ids only: the board reads the rows under
 * their policies.
 */
create function private.issues_matching(p_estate_id uuid, p_pairs text[], p_pattern text) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(i.id), '{}') from public.issues i
  where p_estate_id = any(private.readable_estates()) and i.estate_id = p_estate_id
    and i.search_pairs @> p_pairs and (i.title ilike p_pattern or i.body ilike p_pattern)
$$;
revoke all on function private.issues_matching(uuid, text[], text) from public;
grant execute on function private.issues_matching(uuid, text[], text) to authenticated, service_role;

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
  v_pairs text[];
  v_matching uuid[];
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
      if v_uid is not null then
        v_pairs := private.bigrams(v_q);
      end if;
      if cardinality(v_pairs) > 0 then
        -- Through the index (see private.issues_matching); a single character has no pair.
        v_matching := private.issues_matching(p_estate_id, v_pairs, v_pattern);
        v_where := v_where || ' and i.id = any($11)';
      else
        v_where := v_where || ' and (i.title ilike $7 or i.body ilike $7)';
      end if;
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
      using p_estate_id, v_statuses, p_category, v_areas, v_uid, v_supported, v_pattern, v_after_key, v_after_ts, v_after_id, v_matching;
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
