-- ============================================================================
-- Search by the words people use. The board's search box suggests 长椅, and
-- found nothing in the demo, whose issue says 座椅: neighbours name the same
-- thing in several ways (长椅 / 座椅 / 椅子, 充电桩 / 充电棚 / 充电车棚, 垃圾分类 /
-- 垃圾桶 …). A small vocabulary of estate words is kept as data, in groups of
-- words that mean the same thing (search_synonyms); a search for a word of a
-- group also finds the issues that use another word of it (search_words). The
-- board looks each way of saying it up through issue_search_pairs as before,
-- so a search stays an index lookup, and keeps the literal check for each.
-- ============================================================================

create table public.search_synonyms (
  word text primary key check (char_length(word) between 2 and 20),
  group_no smallint not null
);
create index search_synonyms_group_no_idx on public.search_synonyms (group_no);
comment on table public.search_synonyms is
  'Words of estate life that mean the same thing, in numbered groups (长椅, 座椅, 椅子 …), for the board''s search; public vocabulary, changed by migrations only.';

alter table public.search_synonyms enable row level security;
revoke all on public.search_synonyms from anon, authenticated;
grant select on public.search_synonyms to anon, authenticated;

/** A vocabulary, not data about anyone: everyone may read it (the board searches with it as its reader). */
create policy "Anyone can read the search vocabulary" on public.search_synonyms for select to anon, authenticated using (true);

-- Words of two characters or more only: a single character (灯, 狗) would stand in for far too much.
insert into public.search_synonyms (group_no, word) values
  (1, '长椅'), (1, '座椅'), (1, '椅子'), (1, '凳子'), (1, '休息椅'), (1, '石凳'),
  (2, '充电桩'), (2, '充电棚'), (2, '充电车棚'), (2, '充电站'), (2, '充电口'), (2, '电瓶车充电'),
  (3, '垃圾分类'), (3, '垃圾桶'), (3, '垃圾箱'), (3, '垃圾房'), (3, '垃圾站'), (3, '分类投放'),
  (4, '电梯'), (4, '加装电梯'), (4, '增设电梯'), (4, '装电梯'),
  (5, '停车'), (5, '车位'), (5, '停车位'), (5, '停车场'), (5, '乱停车'),
  (6, '路灯'), (6, '照明'), (6, '楼道灯'), (6, '灯光'),
  (7, '健身器材'), (7, '健身设施'), (7, '运动器材'), (7, '健身区'),
  (8, '漏水'), (8, '渗水'), (8, '漏雨'), (8, '积水'),
  (9, '遛狗'), (9, '养狗'), (9, '宠物'), (9, '犬只'), (9, '狗狗'),
  (10, '绿化'), (10, '草坪'), (10, '树木'), (10, '花坛'),
  (11, '快递柜'), (11, '快递'), (11, '丰巢'),
  (12, '监控'), (12, '摄像头'), (12, '探头'),
  (13, '电动车'), (13, '电瓶车'), (13, '电动自行车'),
  (14, '噪音'), (14, '噪声'), (14, '扰民'),
  (15, '儿童乐园'), (15, '游乐设施'), (15, '滑梯'), (15, '儿童游乐');

/**
 * The ways of saying a search: the words as typed first, then the same words
 * with a word of the vocabulary replaced by each other word of its group
 * (东门长椅 → 东门座椅, 东门椅子 …), at most 16. Security invoker, readable by
 * anyone: the board calls it as its reader, anon included.
 */
create function public.search_words(p_q text) returns text[]
language sql stable set search_path = '' as $$
  select array(
    select x.w from (
      select trim(p_q) as w, 0 as o
      union all
      select replace(trim(p_q), s.word, other.word), 1
      from public.search_synonyms s
      join public.search_synonyms other on other.group_no = s.group_no and other.word <> s.word
      where position(s.word in trim(p_q)) > 0
    ) x
    where x.w <> ''
    group by x.w order by min(x.o), x.w limit 16)
$$;
revoke execute on function public.search_words(text) from public;
grant execute on function public.search_words(text) to anon, authenticated, service_role;

/**
 * One page of an estate's board (see 20261128002400, 20261129000100 and
 * 20261129010000), as json; a search also finds the everyday words for the
 * same thing (search_words). The page's rows come from one of two kinds of query:
 *   - status, category and search filters that keep a good share of the
 *     board: walking the sort's index (one status: that status's index) and
 *     checking the filters row by row; static, planned once per session;
 *   - otherwise: a query written for the filters given, planned for them.
 */
create or replace function public.issue_board(p_estate_id uuid, p_status text default null, p_category text default null,
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
  v_open text[] := public.open_issue_statuses();
  v_mine uuid[];
  v_estate public.estates;
  v_after_key integer;
  v_after_ts timestamptz;
  v_after_id uuid;
  v_statuses text[];
  v_areas uuid[];
  v_supported uuid[];
  v_words text[];
  v_word text;
  v_patterns text[];
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
    -- The words as typed, and as neighbours also say the same thing (search_words: 座椅 for 长椅,
    -- 充电棚 for 充电桩 …); an issue matches any of them. Each is matched literally: backslash
    -- (LIKE's escape character), % and _ are escaped. Inline, not a private helper, because anon
    -- reads public boards and may not name schema private.
    v_words := public.search_words(v_q);
    v_patterns := array(select '%' || replace(replace(replace(w, '\', '\\'), '%', '\%'), '_', '\_') || '%' from unnest(v_words) w);
    -- The issues holding every pair of a word, from the index of issue_search_pairs (under its
    -- policies, like the issues'); the ILIKE keeps the literal matches among them. A single
    -- character has no pair: that search checks the board's rows in order until it has a page.
    if cardinality(v_words) = 1 then
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
    else
      -- Several ways of saying it: the issues holding every pair of any one of them, one index
      -- lookup per way. Each way's pairs are computed first: a condition calling a function that
      -- is not leakproof cannot use the index under the table's policies. A way with no pair (one
      -- character) leaves the search to the literal check alone.
      v_matching := '{}';
      foreach v_word in array v_words loop
        v_pairs := public.character_pairs(v_word);
        if cardinality(v_pairs) = 0 then
          v_matching := null;
          exit;
        end if;
        v_matching := v_matching || array(select p.issue_id from public.issue_search_pairs p
          where p.estate_id = p_estate_id and p.pair = any(v_pairs)
          group by p.issue_id having count(*) = cardinality(v_pairs));
      end loop;
      if v_matching is not null then
        v_matching := array(select distinct m from unnest(v_matching) m);
      end if;
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
                  from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                        where i.estate_id = p_estate_id and i.status = p_status and (i.created_at, i.id) < (v_after_ts, v_after_id)
                        order by i.created_at desc, i.id desc limit v_walk) i
                  where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                    and (v_matching is null or i.id in (select unnest(v_matching)))
                    and (v_patterns is null or i.title ilike any(v_patterns) or i.body ilike any(v_patterns))
                  order by i.created_at desc, i.id desc limit 21) x;
          when 'active' then
            select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
              max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
            into v_rows, v_found, v_last_key, v_last_ts, v_last_id
            from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                    i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.last_activity_at as key_ts,
                    row_number() over (order by i.last_activity_at desc, i.id desc) as ord
                  from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                        where i.estate_id = p_estate_id and i.status = p_status and (i.last_activity_at, i.id) < (v_after_ts, v_after_id)
                        order by i.last_activity_at desc, i.id desc limit v_walk) i
                  where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                    and (v_matching is null or i.id in (select unnest(v_matching)))
                    and (v_patterns is null or i.title ilike any(v_patterns) or i.body ilike any(v_patterns))
                  order by i.last_activity_at desc, i.id desc limit 21) x;
          else
            select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
              max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
            into v_rows, v_found, v_last_key, v_last_ts, v_last_id
            from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                    i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, i.support_count as key_n, i.created_at as key_ts,
                    row_number() over (order by i.support_count desc, i.created_at desc, i.id desc) as ord
                  from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                        where i.estate_id = p_estate_id and i.status = p_status and (i.support_count, i.created_at, i.id) < (v_after_key, v_after_ts, v_after_id)
                        order by i.support_count desc, i.created_at desc, i.id desc limit v_walk) i
                  where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                    and (v_matching is null or i.id in (select unnest(v_matching)))
                    and (v_patterns is null or i.title ilike any(v_patterns) or i.body ilike any(v_patterns))
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
                from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                      where i.estate_id = p_estate_id and (i.created_at, i.id) < (v_after_ts, v_after_id)
                      order by i.created_at desc, i.id desc limit v_walk) i
                where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                  and (v_matching is null or i.id in (select unnest(v_matching)))
                  and (v_patterns is null or i.title ilike any(v_patterns) or i.body ilike any(v_patterns))
                order by i.created_at desc, i.id desc limit 21) x;
        when 'active' then
          select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
            max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
          into v_rows, v_found, v_last_key, v_last_ts, v_last_id
          from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.last_activity_at as key_ts,
                  row_number() over (order by i.last_activity_at desc, i.id desc) as ord
                from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                      where i.estate_id = p_estate_id and (i.last_activity_at, i.id) < (v_after_ts, v_after_id)
                      order by i.last_activity_at desc, i.id desc limit v_walk) i
                where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                  and (v_matching is null or i.id in (select unnest(v_matching)))
                  and (v_patterns is null or i.title ilike any(v_patterns) or i.body ilike any(v_patterns))
                order by i.last_activity_at desc, i.id desc limit 21) x;
        else
          select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
            max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
          into v_rows, v_found, v_last_key, v_last_ts, v_last_id
          from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, i.support_count as key_n, i.created_at as key_ts,
                  row_number() over (order by i.support_count desc, i.created_at desc, i.id desc) as ord
                from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                      where i.estate_id = p_estate_id and (i.support_count, i.created_at, i.id) < (v_after_key, v_after_ts, v_after_id)
                      order by i.support_count desc, i.created_at desc, i.id desc limit v_walk) i
                where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                  and (v_matching is null or i.id in (select unnest(v_matching)))
                  and (v_patterns is null or i.title ilike any(v_patterns) or i.body ilike any(v_patterns))
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
      -- author_id is nobody's to read: the caller's own issues come from a helper (anon has none,
      -- and may not name schema private).
      v_mine := '{}';
      if v_uid is not null then
        v_mine := private.my_issue_ids(p_estate_id);
      end if;
      v_where := v_where || ' and i.id = any($5)';
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
      v_where := v_where || ' and (i.title ilike any($7) or i.body ilike any($7))';
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
      using p_estate_id, v_statuses, p_category, v_areas, v_mine, v_supported, v_patterns, v_after_key, v_after_ts, v_after_id, v_matching;
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