-- ============================================================================
-- Board search through an index. A search matches literally anywhere in an
-- issue's title or body (ILIKE), and that read the whole board: trigram
-- indexes need three characters, most Chinese words are two (长椅, 充电, 漏水),
-- and under row level security no index serves a condition that is not
-- leakproof (ILIKE, array containment), because such a condition may only run
-- on rows the policy has let through. So every issue's distinct character
-- pairs (title and body, as private.bigrams splits them) are kept as rows of
-- issue_search_pairs, keyed (estate, pair, issue): equality is leakproof, so
-- the index serves a search under the table's policies, anon's on public
-- boards included, and the board keeps the literal ILIKE check for the few
-- issues that hold every pair of the words.
-- ============================================================================

/**
 * The distinct character pairs of a text, ignoring spaces and punctuation:
 * private.bigrams' definition, now public (private.bigrams uses it), because
 * the board computes a search's pairs as its reader, anon too on public
 * boards, and anon may not name schema private. Not security definer: it
 * reads nothing.
 */
create function public.character_pairs(p_text text) returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select coalesce(array_agg(distinct substr(t, i, 2)), '{}')
  from (select lower(regexp_replace(coalesce(p_text, ''), '[[:space:][:punct:]，。！？、；：“”‘’（）《》【】…—·]+', '', 'g')) as t) c,
       generate_series(1, greatest(char_length(t) - 1, 0)) i
$$;
revoke execute on function public.character_pairs(text) from public;
grant execute on function public.character_pairs(text) to anon, authenticated, service_role;

-- One definition of a pair: similar_issues' stored title pairs are the same.
create or replace function private.bigrams(p_text text) returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select public.character_pairs(p_text)
$$;

create table public.issue_search_pairs (
  estate_id uuid not null references public.estates (id) on delete cascade,
  pair text not null,
  issue_id uuid not null references public.issues (id) on delete cascade,
  primary key (estate_id, pair, issue_id)
);
create index issue_search_pairs_issue_id_idx on public.issue_search_pairs (issue_id);
comment on table public.issue_search_pairs is
  'The distinct character pairs of each issue''s title and body, kept by private.on_issue_search_pairs, for the board''s search; readable by whoever may read the estate''s issues.';

alter table public.issue_search_pairs enable row level security;
revoke all on public.issue_search_pairs from anon, authenticated;
-- Read only: the trigger writes it, nobody else.
grant select on public.issue_search_pairs to anon, authenticated;

/** The pairs reveal no more than the issues themselves: the same readers as issues. */
create policy "Anyone can read search pairs of public boards" on public.issue_search_pairs for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
create policy "Readers of an estate's issues can read its search pairs" on public.issue_search_pairs for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));

/** Keeps issue_search_pairs as titles and bodies are written. Security definer: nobody has a write grant on it. */
create function private.on_issue_search_pairs() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' then
    if (new.title, new.body, new.estate_id) is not distinct from (old.title, old.body, old.estate_id) then
      return null;
    end if;
    delete from public.issue_search_pairs where issue_id = new.id;
  end if;
  insert into public.issue_search_pairs (estate_id, pair, issue_id)
  select distinct new.estate_id, p, new.id
  from unnest(public.character_pairs(new.title) || public.character_pairs(new.body)) p;
  return null;
end
$$;
revoke all on function private.on_issue_search_pairs() from public;
create trigger issues_search_pairs after insert or update of title, body, estate_id on public.issues
  for each row execute function private.on_issue_search_pairs();

insert into public.issue_search_pairs (estate_id, pair, issue_id)
select distinct i.estate_id, p, i.id
from public.issues i, unnest(public.character_pairs(i.title) || public.character_pairs(i.body)) p;

-- The trigram indexes served only this search, and could not for two-character words.
drop index public.issues_title_trgm_idx;
drop index public.issues_body_trgm_idx;

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
      v_where := v_where || ' and (i.title ilike $7 or i.body ilike $7)';
      -- The issues holding every pair of the words, from the index of issue_search_pairs (under its
      -- policies, like the issues'); the ILIKE above keeps the literal matches among them. As an
      -- array, so that the page query can walk its sort index and stop after a page, where a join
      -- would fetch every candidate first. A single character has no pair: that search reads the
      -- board in order until it has a page.
      v_pairs := public.character_pairs(v_q);
      if cardinality(v_pairs) > 0 then
        select coalesce(array_agg(m.issue_id), '{}') into v_matching
        from (select p.issue_id from public.issue_search_pairs p
              where p.estate_id = p_estate_id and p.pair = any(v_pairs)
              group by p.issue_id having count(*) = cardinality(v_pairs)) m;
        v_where := v_where || ' and i.id = any($11)';
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
