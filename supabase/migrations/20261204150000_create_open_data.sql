-- ============================================================================
-- Open data: an estate's or a community's issues, their timelines and the
-- results of their votes, page by page, for the server to stream as a ZIP of
-- CSV and JSON files (docs/open-data.md says what each column means).
--
-- Every function is security invoker: the caller gets exactly what row level
-- security lets them read (anyone: the issues and timelines of public boards;
-- members: their estate's, votes included), so an export can never hold more
-- than the pages already show. No personal data: no author, actor, voter,
-- name or unit; an issue's body is left out too, since residents write
-- addresses and phone numbers into it (and the columns that name a person
-- have no select grant, so naming columns here is also what lets it run). Pages are keyset-ordered (by id), so a
-- long export never re-reads what it sent. The scope's estates are asked
-- once per page, `(select open_data_estates(…))`, not once per row, and the
-- functions are plpgsql so that a long export plans each query once, not once
-- per page.
-- ============================================================================

/**
 * The estates of a scope ('estate' or 'community') that the caller may read; refuses an unknown scope.
 * In schema public, since anyone signed out calls it too (and has no use of schema private).
 */
create function public.open_data_estates(p_scope text, p_scope_id uuid) returns uuid[]
language plpgsql stable set search_path = '' as $$
declare
  v_estates uuid[];
begin
  if p_scope is null or p_scope not in ('estate', 'community') then
    raise exception using errcode = '22023', message = 'errors.invalid_input', detail = 'scope';
  end if;
  -- Anyone signed out reads the public boards; readable_estates() is for signed-in callers only (and
  -- execute permission is checked when a statement starts, so it cannot sit in a branch of the same query).
  if auth.uid() is null then
    select coalesce(array_agg(e.id order by e.name), '{}') into v_estates
    from public.estates e
    where (case p_scope when 'estate' then e.id = p_scope_id else e.community_id = p_scope_id end) and e.board_public;
  else
    select coalesce(array_agg(e.id order by e.name), '{}') into v_estates
    from public.estates e
    where (case p_scope when 'estate' then e.id = p_scope_id else e.community_id = p_scope_id end)
      and e.id in (select unnest(private.readable_estates()));
  end if;
  return v_estates;
end
$$;
revoke all on function public.open_data_estates(text, uuid) from public;
grant execute on function public.open_data_estates(text, uuid) to anon, authenticated, service_role;

/**
 * What an export of the scope holds: its name, its estates and how many rows
 * each file will have (the download page shows them, and the browser's
 * progress bar counts against them). Not found when the caller may read none of it.
 */
create function public.open_data_summary(p_scope text, p_scope_id uuid) returns jsonb
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
    else (select c.name from public.communities c where c.id = p_scope_id) end;
  return jsonb_build_object(
    'scope', p_scope, 'id', p_scope_id, 'name', v_name,
    'estates', (select jsonb_agg(jsonb_build_object('id', e.id, 'name', e.name) order by e.name)
      from public.estates e where e.id = any(v_estates)),
    'counts', jsonb_build_object(
      'issues', (select count(*) from public.issues i where i.estate_id = any(v_estates)),
      'events', (select count(*) from public.issue_events ev join public.issues i on i.id = ev.issue_id
        where i.estate_id = any(v_estates)),
      'votes', v_votes, 'vote_options', v_options));
end
$$;

/** China time with its offset, as every open-data file writes times (unambiguous, and what residents read). Public, as above. */
create function public.open_data_time(p_at timestamptz) returns text
language sql immutable set search_path = '' as $$
  select to_char(p_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')
$$;
revoke all on function public.open_data_time(timestamptz) from public;
grant execute on function public.open_data_time(timestamptz) to anon, authenticated, service_role;

/** One page of the scope's issues after `p_after` (by id): what the board shows, without the body or the author. */
create function public.open_data_issues(p_scope text, p_scope_id uuid, p_after uuid default null, p_limit integer default 1000)
returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
        'id', i.id, 'estate_id', i.estate_id, 'estate', e.name, 'area_id', i.area_id, 'area', a.name, 'area_kind', a.kind,
        'category', i.category, 'title', i.title, 'status', i.status, 'channel', i.channel,
        'longitude', i.point_x, 'latitude', i.point_y, 'supports', i.support_count, 'comments', i.comment_count,
        'merged_into', i.merged_into, 'created_at', public.open_data_time(i.created_at),
        'threshold_reached_at', public.open_data_time(i.threshold_reached_at),
        'last_activity_at', public.open_data_time(i.last_activity_at)) order by i.id), '[]'::jsonb)
    from (select id, estate_id, area_id, category, title, status, channel, point_x, point_y, support_count, comment_count,
        merged_into, created_at, threshold_reached_at, last_activity_at
      from public.issues
      where estate_id = any((select public.open_data_estates(p_scope, p_scope_id))::uuid[]) and (p_after is null or id > p_after)
      order by id limit least(greatest(coalesce(p_limit, 1000), 1), 5000)) i
    join public.estates e on e.id = i.estate_id
    left join public.areas a on a.id = i.area_id
  );
end
$$;

/** One page of the timelines of the scope's issues after event `p_after`: what happened when, never who did it. */
create function public.open_data_events(p_scope text, p_scope_id uuid, p_after bigint default null, p_limit integer default 1000)
returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
        'id', ev.id, 'issue_id', ev.issue_id, 'kind', ev.kind, 'action', ev.action, 'from_status', ev.from_status,
        'to_status', ev.to_status, 'reason', ev.reason, 'related_issue_id', ev.related_issue_id,
        'at', public.open_data_time(ev.created_at)) order by ev.id), '[]'::jsonb)
    from (select ev.id, ev.issue_id, ev.kind, ev.action, ev.from_status, ev.to_status, ev.reason, ev.related_issue_id, ev.created_at
      from public.issue_events ev join public.issues i on i.id = ev.issue_id
      where i.estate_id = any((select public.open_data_estates(p_scope, p_scope_id))::uuid[]) and (p_after is null or ev.id > p_after)
      order by ev.id limit least(greatest(coalesce(p_limit, 1000), 1), 5000)) ev
  );
end
$$;

/**
 * One page of the scope's votes after `p_after`, with their results once
 * closed (turnout and outcome; the receipts are left out, since each voter
 * checks theirs on the vote page).
 */
create function public.open_data_votes(p_scope text, p_scope_id uuid, p_after uuid default null, p_limit integer default 1000)
returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  -- Votes are read by signed-in readers only, as on the votes pages (anon has no grant on them).
  if auth.uid() is null then
    return '[]'::jsonb;
  end if;
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
        'id', v.id, 'estate_id', v.estate_id, 'issue_id', v.issue_id, 'question', v.question, 'kind', v.kind,
        'matter', v.matter, 'rule', v.rule, 'electorate', v.electorate_kind, 'scope_area_id', v.scope_area_id,
        'secret', v.secret, 'status', v.status, 'opens_at', public.open_data_time(v.opens_at),
        'closes_at', public.open_data_time(v.closes_at), 'closed_at', public.open_data_time(v.closed_at),
        'outcome', r.outcome, 'electors', r.turnout -> 'electors', 'ballots', r.turnout -> 'ballots',
        'area', r.turnout -> 'area', 'area_total', r.turnout -> 'area_total',
        'owners', r.turnout -> 'owners', 'owners_total', r.turnout -> 'owners_total') order by v.id), '[]'::jsonb)
    from (select id, estate_id, issue_id, question, kind, matter, rule, electorate_kind, scope_area_id, secret, status,
        opens_at, closes_at, closed_at
      from public.votes
      where estate_id = any((select public.open_data_estates(p_scope, p_scope_id))::uuid[]) and (p_after is null or id > p_after)
      order by id limit least(greatest(coalesce(p_limit, 1000), 1), 5000)) v
    left join public.vote_results r on r.vote_id = v.id
  );
end
$$;

/** One page of the options of the scope's votes (after vote `p_after`, whole votes at a time), with their counts once closed. */
create function public.open_data_vote_options(p_scope text, p_scope_id uuid, p_after uuid default null, p_limit integer default 1000)
returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  -- Votes are read by signed-in readers only, as on the votes pages (anon has no grant on them).
  if auth.uid() is null then
    return '[]'::jsonb;
  end if;
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
        'vote_id', o.vote_id, 'position', o.position, 'role', o.role, 'label', o.label,
        'ballots', x -> 'ballots', 'area', x -> 'area', 'owners', x -> 'owners') order by o.vote_id, o.position), '[]'::jsonb)
    from (select id from public.votes
      where estate_id = any((select public.open_data_estates(p_scope, p_scope_id))::uuid[]) and (p_after is null or id > p_after)
      order by id limit least(greatest(coalesce(p_limit, 1000), 1), 5000)) v
    join public.vote_options o on o.vote_id = v.id
    left join public.vote_results r on r.vote_id = v.id
    left join lateral (select x from jsonb_array_elements(r.options) x where (x ->> 'position')::int = o.position limit 1) opt on true
  );
end
$$;

revoke execute on function public.open_data_summary(text, uuid), public.open_data_issues(text, uuid, uuid, integer),
  public.open_data_events(text, uuid, bigint, integer), public.open_data_votes(text, uuid, uuid, integer),
  public.open_data_vote_options(text, uuid, uuid, integer) from public;
grant execute on function public.open_data_summary(text, uuid), public.open_data_issues(text, uuid, uuid, integer),
  public.open_data_events(text, uuid, bigint, integer), public.open_data_votes(text, uuid, uuid, integer),
  public.open_data_vote_options(text, uuid, uuid, integer) to anon, authenticated, service_role;
