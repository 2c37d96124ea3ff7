-- ============================================================================
-- Open data (开放数据): what the open-data archive of an estate, a community
-- or a street holds, read page by page so that the server streams the archive
-- instead of building it in memory (docs/open-data.md, column by column).
-- Security invoker throughout: only rows the caller may read under row level
-- security, and no personal data — no author, actor, voter or objector, no
-- issue text (only titles, which the public board shows too), no reasons.
-- ============================================================================

/**
 * Which estates an archive covers and what it is called: an estate whose
 * issues the caller may read; a community's estates the caller may read; a
 * street's estates the caller may read (street administrators and platform
 * administrators only). figure_estates also counts, for the figures, the
 * estates whose numbers only the caller may see (a street administrator's
 * members-only estates).
 */
create function public.open_data_scope(p_kind text, p_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_name text;
  v_all uuid[];
  v_readable uuid[];
  v_street uuid[] := '{}';
begin
  if p_kind = 'estate' then
    select e.name, array[e.id] into v_name, v_all from public.estates e where e.id = p_id;
    if v_name is null then
      raise exception using errcode = 'P0002', message = 'errors.estate_not_found', detail = '';
    end if;
  elsif p_kind = 'community' then
    select c.name, array(select e.id from public.estates e where e.community_id = c.id order by e.id) into v_name, v_all
    from public.communities c where c.id = p_id;
    if v_name is null then
      raise exception using errcode = 'P0002', message = 'errors.community_not_found', detail = '';
    end if;
  elsif p_kind = 'street' then
    if v_uid is null then
      raise exception using errcode = '42501', message = 'errors.sign_in_required', detail = '';
    end if;
    select s.name, array(select e.id from public.estates e join public.communities c on c.id = e.community_id where c.street_id = s.id order by e.id)
    into v_name, v_all from public.streets s where s.id = p_id;
    if v_name is null then
      raise exception using errcode = 'P0002', message = 'errors.street_not_found', detail = '';
    end if;
    if not (private.is_admin() or p_id = any(private.administered_streets())) then
      raise exception using errcode = '42501', message = 'errors.forbidden', detail = '';
    end if;
  else
    raise exception using errcode = '22023', message = 'errors.invalid_choice', detail = 'kind';
  end if;
  if v_uid is null then
    v_readable := array(select e.id from public.estates e where e.id = any(v_all) and e.board_public order by e.id);
  else
    v_readable := array(select x from unnest(v_all) x where x = any(private.readable_estates()) order by x);
    v_street := array(select x from unnest(v_all) x where x = any(private.street_estates()) order by x);
  end if;
  if p_kind = 'estate' and cardinality(v_readable) = 0 and cardinality(v_street) = 0 then
    raise exception using errcode = '42501', message = case when v_uid is null then 'errors.sign_in_to_see' else 'errors.forbidden' end, detail = '';
  end if;
  return jsonb_build_object('kind', p_kind, 'id', p_id, 'name', v_name, 'estate_ids', to_jsonb(v_readable),
    'figure_estates', to_jsonb(array(select distinct x from unnest(v_readable || v_street) x order by x)));
end
$$;

/** One page of the issues of the given estates, in id order after p_after: no author, no text but the title. */
create function public.open_data_issues(p_estate_ids uuid[], p_after uuid default null, p_limit integer default 500) returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'estate_id', x.estate_id, 'estate', x.estate, 'area', x.area, 'area_kind', x.area_kind,
      'category', x.category, 'title', x.title, 'status', x.status, 'channel', x.channel, 'support_count', x.support_count,
      'comment_count', x.comment_count, 'created_at', x.created_at, 'last_activity_at', x.last_activity_at) order by x.id), '[]'::jsonb)
  from (select i.id, i.estate_id, e.name as estate, a.name as area, a.kind as area_kind, i.category, i.title, i.status, i.channel,
          i.support_count, i.comment_count, i.created_at, i.last_activity_at
        from public.issues i join public.estates e on e.id = i.estate_id join public.areas a on a.id = i.area_id
        where i.estate_id = any(p_estate_ids) and (p_after is null or i.id > p_after)
        order by i.id limit least(greatest(coalesce(p_limit, 500), 1), 2000)) x
$$;

/** One page of the timeline steps of the given estates' issues, in id order after p_after: no actor, no reason. */
create function public.open_data_events(p_estate_ids uuid[], p_after bigint default null, p_limit integer default 2000) returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'issue_id', x.issue_id, 'kind', x.kind, 'action', x.action,
      'from_status', x.from_status, 'to_status', x.to_status, 'publication_id', x.publication_id, 'created_at', x.created_at) order by x.id), '[]'::jsonb)
  from (select ev.id, ev.issue_id, ev.kind, ev.action, ev.from_status, ev.to_status, ev.publication_id, ev.created_at
        from public.issue_events ev join public.issues i on i.id = ev.issue_id
        where i.estate_id = any(p_estate_ids) and (p_after is null or ev.id > p_after)
        order by ev.id limit least(greatest(coalesce(p_limit, 2000), 1), 5000)) x
$$;

/**
 * The closed votes of the given estates with their frozen results (per option:
 * ballots, floor area, owners). Signed-in readers only: votes are not anon's
 * to read, so the archive of a signed-out reader has no votes file content.
 */
create function public.open_data_votes(p_estate_ids uuid[]) returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('vote_id', v.id, 'estate_id', v.estate_id, 'issue_id', v.issue_id, 'question', v.question,
      'kind', v.kind, 'rule', v.rule, 'electorate_kind', v.electorate_kind, 'opens_at', v.opens_at, 'closes_at', v.closes_at,
      'outcome', r.outcome, 'electors', (r.turnout ->> 'electors')::integer, 'ballots', (r.turnout ->> 'ballots')::integer,
      'options', coalesce((select jsonb_agg(jsonb_build_object('position', o.position, 'role', o.role, 'label', o.label,
          'ballots', (x ->> 'ballots')::integer, 'area', (x ->> 'area')::numeric, 'owners', (x ->> 'owners')::integer,
          'winner', o.position = any(r.winners)) order by o.position)
        from public.vote_options o left join lateral (select x from jsonb_array_elements(r.options) x where (x ->> 'position')::integer = o.position) xo on true
        where o.vote_id = v.id), '[]'::jsonb),
      'tallied_at', r.tallied_at) order by v.closes_at, v.id), '[]'::jsonb)
  from public.votes v join public.vote_results r on r.vote_id = v.id
  where v.estate_id = any(p_estate_ids)
$$;

revoke execute on function public.open_data_scope(text, uuid), public.open_data_issues(uuid[], uuid, integer),
  public.open_data_events(uuid[], bigint, integer), public.open_data_votes(uuid[]) from public;
grant execute on function public.open_data_scope(text, uuid), public.open_data_issues(uuid[], uuid, integer),
  public.open_data_events(uuid[], bigint, integer) to anon, authenticated, service_role;
grant execute on function public.open_data_votes(uuid[]) to authenticated, service_role;
