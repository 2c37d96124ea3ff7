-- ============================================================================
-- Open data for a whole street (街道), now that streets exist: the scope
-- 'street' covers the estates of the street's communities, as far as the
-- caller may read their issues (a street administrator reads the public
-- boards there and their own estate's; a platform administrator all). The
-- figures a street administrator sees of members-only estates stay on the
-- street's roll-up page: open data holds rows, and rows are read as the pages read them.
-- ============================================================================

/** The estates of a scope ('estate', 'community' or 'street') that the caller may read; refuses an unknown scope. */
create or replace function public.open_data_estates(p_scope text, p_scope_id uuid) returns uuid[]
language plpgsql stable set search_path = '' as $$
declare
  v_in_scope uuid[];
  v_estates uuid[];
begin
  if p_scope is null or p_scope not in ('estate', 'community', 'street') then
    raise exception using errcode = '22023', message = 'errors.invalid_input', detail = 'scope';
  end if;
  v_in_scope := case p_scope
    when 'estate' then array[p_scope_id]
    when 'community' then array(select e.id from public.estates e where e.community_id = p_scope_id)
    else array(select e.id from public.estates e join public.communities c on c.id = e.community_id where c.street_id = p_scope_id) end;
  -- Anyone signed out reads the public boards; readable_estates() is for signed-in callers only (and
  -- execute permission is checked when a statement starts, so it cannot sit in a branch of the same query).
  if auth.uid() is null then
    select coalesce(array_agg(e.id order by e.name), '{}') into v_estates
    from public.estates e where e.id = any(v_in_scope) and e.board_public;
  else
    select coalesce(array_agg(e.id order by e.name), '{}') into v_estates
    from public.estates e where e.id = any(v_in_scope) and e.id in (select unnest(private.readable_estates()));
  end if;
  return v_estates;
end
$$;

/** What an export of the scope holds (see 20261204150000); the name of a street scope is the street's. */
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
      'votes', v_votes, 'vote_options', v_options));
end
$$;
