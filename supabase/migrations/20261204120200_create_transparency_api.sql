-- ============================================================================
-- The transparency API: the public pages of an estate and of a community (no
-- sign-in on public boards, no personal data: no author, actor, voter or
-- objector, only issues, areas, statuses, dates and aggregate numbers), the
-- street roll-up for street administrators, and the committee dashboard.
-- All security invoker: every row they read passes row level security as the
-- caller, and the figures come from the roll-ups of 20261204120100, never
-- from counting issues.
--
-- Where progress and satisfaction join later (the plans capability: plans,
-- milestones, verdicts), the results carry the keys already, as null:
-- figures.overdue, figures.satisfaction, and per listed item progress,
-- next_milestone, before_after and satisfaction. null means "not measured
-- yet", never zero.
-- ============================================================================

/**
 * The figures of groups of estates in one pass over the roll-ups: estate
 * p_estate_ids[i] counts in group p_group_keys[i] (an estate may be listed
 * under several keys, e.g. its community and 'all'). Returns { key: figures }
 * with every key given, also those whose estates have no issues.
 * plpgsql for its plan: prepared once per session, where a SQL function's
 * body would be planned at every call.
 */
create function public.transparency_figures_grouped(p_estate_ids uuid[], p_group_keys text[]) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  return (
  with g as (
    select u.estate_id, u.k from unnest(p_estate_ids, p_group_keys) as u (estate_id, k) where u.k is not null
  ), keys as (
    select distinct g.k from g
  ), counts as (
    select g.k, c.status, sum(c.n)::integer as n from g join public.issue_status_counts c on c.estate_id = g.estate_id
    where c.n > 0 group by g.k, c.status
  ), totals as (
    select keys.k, coalesce(sum(c.n), 0)::integer as issues,
      coalesce(sum(c.n) filter (where c.status in ('completed', 'evaluated')), 0)::integer as done,
      coalesce(sum(c.n) filter (where c.status not in ('declined', 'merged', 'withdrawn')), 0)::integer as taken,
      coalesce(jsonb_object_agg(c.status, c.n) filter (where c.status is not null), '{}'::jsonb) as by_status
    from keys left join counts c on c.k = keys.k group by keys.k
  ), hist as (
    select g.k, s.stage, s.days, sum(s.n) as n from g join public.estate_stage_days s on s.estate_id = g.estate_id
    group by g.k, s.stage, s.days having sum(s.n) > 0
  ), cum as (
    select h.k, h.stage, h.days, sum(h.n) over (partition by h.k, h.stage order by h.days) as below,
      sum(h.n) over (partition by h.k, h.stage) as total from hist h
  ), medians as (
    select c.k, jsonb_object_agg(c.stage, jsonb_build_object('median', c.median, 'n', c.n)) as stages from (
      select cum.k, cum.stage, min(cum.days) filter (where cum.below * 2 >= cum.total) as median, max(cum.total)::integer as n
      from cum group by cum.k, cum.stage) c group by c.k
  ), recent as (
    select g.k, coalesce(sum(d.proposed), 0)::integer as proposed, coalesce(sum(d.completed), 0)::integer as completed
    from g join public.estate_daily_stats d on d.estate_id = g.estate_id
    where d.day > (now() at time zone 'Asia/Shanghai')::date - 30 group by g.k
  )
  select coalesce(jsonb_object_agg(t.k, jsonb_build_object(
    'issues', t.issues,
    'by_status', t.by_status,
    'done', t.done,
    'completion_rate', case when t.taken > 0 then round(t.done::numeric / t.taken, 3) end,
    'stages', jsonb_build_object(
      'accept', coalesce(m.stages -> 'accept', jsonb_build_object('median', null, 'n', 0)),
      'decide', coalesce(m.stages -> 'decide', jsonb_build_object('median', null, 'n', 0)),
      'complete', coalesce(m.stages -> 'complete', jsonb_build_object('median', null, 'n', 0))),
    'last_30_days', jsonb_build_object('proposed', coalesce(r.proposed, 0), 'completed', coalesce(r.completed, 0)),
    -- Joined by the plans capability (milestones past their date; acceptance verdicts).
    'overdue', null,
    'satisfaction', null)), '{}'::jsonb)
  from totals t left join medians m on m.k = t.k left join recent r on r.k = t.k);
end
$$;

/**
 * The figures of a set of estates, from the roll-ups, as far as the caller
 * may read them: issues by status, done (completed or evaluated), the
 * completion rate (done ÷ issues that were not declined, merged or
 * withdrawn), the median whole days of each stage (the lower median, exact:
 * read from the histogram), the last 30 China days' proposed and completed,
 * and null placeholders for overdue items and satisfaction.
 */
create function public.transparency_figures(p_estate_ids uuid[]) returns jsonb
language sql stable set search_path = '' as $$
  -- The null estate makes the group exist when the set is empty: zero figures, not none.
  select public.transparency_figures_grouped(coalesce(p_estate_ids, '{}') || null::uuid, array_fill('all'::text, array[coalesce(cardinality(p_estate_ids), 0) + 1])) -> 'all'
$$;

revoke execute on function public.transparency_figures(uuid[]), public.transparency_figures_grouped(uuid[], text[]) from public;
grant execute on function public.transparency_figures(uuid[]), public.transparency_figures_grouped(uuid[], text[]) to anon, authenticated, service_role;

/**
 * The transparency page of an estate: its figures, decisions with their vote
 * results (for readers of the estate's votes: signed-in readers; on a public
 * board anon sees the decision and its publication, not the vote) and
 * publications, work in progress, completed work and matters followed up.
 * Anyone on a public board; otherwise the estate's members, administrators,
 * and its street's administrators (they see the figures; the lists only
 * where they may read the issues).
 */
create function public.estate_transparency(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  e record;
  v_lists boolean;
  v_street boolean := false;
  v_decided uuid[] := '{}';
  v_votes jsonb := '{}';
begin
  select es.id, es.name, es.board_public, c.id as community_id, c.name as community_name, s.id as street_id, s.name as street_name
  into e from public.estates es join public.communities c on c.id = es.community_id left join public.streets s on s.id = c.street_id
  where es.id = p_estate_id;
  if e.id is null then
    raise exception using errcode = 'P0002', message = 'errors.estate_not_found', detail = '';
  end if;
  -- Schema private is not anon's to name: asked for signed-in callers only.
  v_lists := e.board_public;
  if v_uid is not null then
    v_lists := v_lists or e.id = any(private.readable_estates());
    v_street := e.id = any(private.street_estates());
  end if;
  if not v_lists and not v_street then
    raise exception using errcode = '42501', message = case when v_uid is null then 'errors.sign_in_to_see' else 'errors.forbidden' end, detail = '';
  end if;
  if v_lists then
    v_decided := array(select i.id from public.issues i
      where i.estate_id = e.id and i.status in ('approved', 'rejected', 'publicized', 'in_progress', 'completed', 'evaluated')
      order by i.last_activity_at desc, i.id limit 30);
  end if;
  -- Votes are read by signed-in readers only (anon has no grant on them): asked apart, for them only.
  if v_uid is not null and v_lists then
    v_votes := coalesce((select jsonb_object_agg(x.issue_id, x.vote) from (
      select distinct on (v.issue_id) v.issue_id, jsonb_build_object('id', v.id, 'question', v.question, 'kind', v.kind,
        'closes_at', v.closes_at, 'outcome', r.outcome,
        'electors', (r.turnout ->> 'electors')::integer, 'ballots', (r.turnout ->> 'ballots')::integer,
        'options', coalesce((select jsonb_agg(jsonb_build_object('position', o.position, 'role', o.role, 'label', o.label,
            'ballots', (select (x2 ->> 'ballots')::integer from jsonb_array_elements(r.options) x2 where (x2 ->> 'position')::integer = o.position),
            'winner', o.position = any(r.winners)) order by o.position)
          from public.vote_options o where o.vote_id = v.id), '[]'::jsonb)) as vote
      from public.votes v join public.vote_results r on r.vote_id = v.id
      where v.estate_id = e.id and v.issue_id = any(v_decided)
      order by v.issue_id, r.tallied_at desc) x), '{}'::jsonb);
  end if;
  return jsonb_build_object(
    'estate', jsonb_build_object('id', e.id, 'name', e.name, 'board_public', e.board_public,
      'community', jsonb_build_object('id', e.community_id, 'name', e.community_name),
      'street', case when e.street_id is not null then jsonb_build_object('id', e.street_id, 'name', e.street_name) end),
    'figures', public.transparency_figures(array[e.id]),
    'lists_visible', v_lists,
    'decisions', coalesce((select jsonb_agg(jsonb_build_object('id', i.id, 'title', i.title, 'status', i.status,
        'category', i.category, 'area', a.name,
        'decided_at', (select min(ev.created_at) from public.issue_events ev where ev.issue_id = i.id and ev.kind = 'transition' and ev.to_status in ('approved', 'rejected')),
        'vote', v_votes -> i.id::text,
        'publication', (select jsonb_build_object('id', p.id, 'title', p.title, 'status', p.status, 'closes_at', p.closes_at, 'final_at', p.final_at)
          from public.publications p where p.kind = 'decision' and p.subject_id = i.id and p.status <> 'withdrawn'))
        order by i.last_activity_at desc, i.id)
      from public.issues i join public.areas a on a.id = i.area_id where i.id = any(v_decided)), '[]'::jsonb),
    'in_progress', coalesce((select jsonb_agg(jsonb_build_object('id', i.id, 'title', i.title, 'status', i.status, 'category', i.category,
        'area', a.name, 'since', (select max(ev.created_at) from public.issue_events ev where ev.issue_id = i.id and ev.kind = 'transition' and ev.to_status = i.status),
        -- Joined by the plans capability.
        'progress', null, 'next_milestone', null) order by i.last_activity_at desc, i.id)
      from (select i.id, i.title, i.status, i.category, i.area_id, i.last_activity_at from public.issues i where v_lists and i.estate_id = e.id and i.status in ('publicized', 'in_progress')
            order by i.last_activity_at desc, i.id limit 50) i join public.areas a on a.id = i.area_id), '[]'::jsonb),
    'completed', coalesce((select jsonb_agg(jsonb_build_object('id', i.id, 'title', i.title, 'status', i.status, 'category', i.category,
        'area', a.name, 'completed_at', (select min(ev.created_at) from public.issue_events ev where ev.issue_id = i.id and ev.kind = 'transition' and ev.to_status = 'completed'),
        -- Joined by the plans capability (before/after photos, acceptance verdicts).
        'before_after', null, 'satisfaction', null) order by i.last_activity_at desc, i.id)
      from (select i.id, i.title, i.status, i.category, i.area_id, i.last_activity_at from public.issues i where v_lists and i.estate_id = e.id and i.status in ('completed', 'evaluated')
            order by i.last_activity_at desc, i.id limit 50) i join public.areas a on a.id = i.area_id), '[]'::jsonb),
    'following_up', coalesce((select jsonb_agg(jsonb_build_object('id', i.id, 'title', i.title, 'category', i.category, 'area', a.name,
        'since', (select max(ev.created_at) from public.issue_events ev where ev.issue_id = i.id and ev.kind = 'transition' and ev.to_status = 'following_up'))
        order by i.last_activity_at desc, i.id)
      from (select i.id, i.title, i.status, i.category, i.area_id, i.last_activity_at from public.issues i where v_lists and i.estate_id = e.id and i.status = 'following_up'
            order by i.last_activity_at desc, i.id limit 50) i join public.areas a on a.id = i.area_id), '[]'::jsonb));
end
$$;

/**
 * The transparency page of a community: its figures in all and per estate,
 * over the estates the caller may see (public boards; for members, their
 * estates; for street administrators, every estate of their street).
 */
create function public.community_transparency(p_community_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  c record;
  v_visible uuid[];
  v_figures jsonb;
begin
  select co.id, co.name, co.district, s.id as street_id, s.name as street_name into c
  from public.communities co left join public.streets s on s.id = co.street_id where co.id = p_community_id;
  if c.id is null then
    raise exception using errcode = 'P0002', message = 'errors.community_not_found', detail = '';
  end if;
  if v_uid is null then
    v_visible := array(select e.id from public.estates e where e.community_id = c.id and e.board_public);
  else
    v_visible := array(select e.id from public.estates e where e.community_id = c.id
      and (e.id = any(private.readable_estates()) or e.id = any(private.street_estates())));
  end if;
  v_figures := public.transparency_figures_grouped(v_visible || v_visible,
    array(select x::text from unnest(v_visible) x) || array_fill('all'::text, array[cardinality(v_visible)]));
  return jsonb_build_object(
    'community', jsonb_build_object('id', c.id, 'name', c.name, 'district', c.district,
      'street', case when c.street_id is not null then jsonb_build_object('id', c.street_id, 'name', c.street_name) end),
    'figures', coalesce(v_figures -> 'all', public.transparency_figures('{}')),
    'estates', coalesce((select jsonb_agg(jsonb_build_object('id', e.id, 'name', e.name, 'board_public', e.board_public,
        'figures', v_figures -> e.id::text) order by e.name)
      from public.estates e where e.id = any(v_visible)), '[]'::jsonb),
    'hidden_estates', (select count(*) from public.estates e where e.community_id = c.id and not e.id = any(v_visible)));
end
$$;

/**
 * The street roll-up: figures per community and in all, over every estate of
 * the street. Its street administrators and platform administrators only.
 */
create function public.street_rollup(p_street_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  s record;
  v_ids uuid[];
  v_keys text[];
  v_figures jsonb;
begin
  perform private.require_user();
  select st.id, st.name, st.district into s from public.streets st where st.id = p_street_id;
  if s.id is null then
    raise exception using errcode = 'P0002', message = 'errors.street_not_found', detail = '';
  end if;
  if not (private.is_admin() or s.id = any(private.administered_streets())) then
    raise exception using errcode = '42501', message = 'errors.forbidden', detail = '';
  end if;
  -- One pass over the roll-ups: each estate counts in its community and in 'all'.
  select array_agg(x.estate_id), array_agg(x.k) into v_ids, v_keys from (
    select e.id as estate_id, e.community_id::text as k from public.estates e join public.communities c on c.id = e.community_id where c.street_id = s.id
    union all
    select e.id, 'all' from public.estates e join public.communities c on c.id = e.community_id where c.street_id = s.id) x;
  v_figures := public.transparency_figures_grouped(coalesce(v_ids, '{}'), coalesce(v_keys, '{}'));
  return jsonb_build_object(
    'street', jsonb_build_object('id', s.id, 'name', s.name, 'district', s.district),
    'figures', coalesce(v_figures -> 'all', public.transparency_figures('{}')),
    'communities', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name, 'district', c.district,
        'estates', (select count(*) from public.estates e where e.community_id = c.id),
        'figures', coalesce(v_figures -> c.id::text, public.transparency_figures('{}'))) order by c.name)
      from public.communities c where c.street_id = s.id), '[]'::jsonb));
end
$$;

/**
 * The committee dashboard of an estate (moderators, committee, administrators):
 * its figures, open items with no timeline entry for 30 days (how many, and
 * the 50 oldest),
 * open and all items per area, and null placeholders for overdue milestones
 * and satisfaction until the plans capability lands.
 */
create function public.committee_dashboard(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  e record;
  v_open text[] := public.open_issue_statuses();
begin
  perform private.require_user();
  select es.id, es.name into e from public.estates es where es.id = p_estate_id;
  if e.id is null then
    raise exception using errcode = 'P0002', message = 'errors.estate_not_found', detail = '';
  end if;
  if not private.moderates_estate(e.id) then
    raise exception using errcode = '42501', message = 'errors.forbidden', detail = '';
  end if;
  return jsonb_build_object(
    'estate', jsonb_build_object('id', e.id, 'name', e.name),
    'figures', public.transparency_figures(array[e.id]),
    'stale_days', 30,
    -- The 50 oldest, from the stage times' (estate, latest entry) index, and how many there are in all.
    'stale_count', (select count(*) from public.issue_stage_times t join public.issues i on i.id = t.issue_id
      where t.estate_id = e.id and t.last_event_at < now() - interval '30 days' and i.status = any(v_open)),
    'stale', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'title', x.title, 'status', x.status, 'area', x.area,
        'last_event_at', x.last_at) order by x.last_at, x.id)
      from (select i.id, i.title, i.status, a.name as area, t.last_event_at as last_at from public.issue_stage_times t
        join public.issues i on i.id = t.issue_id join public.areas a on a.id = i.area_id
        where t.estate_id = e.id and t.last_event_at < now() - interval '30 days' and i.status = any(v_open)
        order by t.last_event_at, i.id limit 50) x), '[]'::jsonb),
    'per_area', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'name', a.name, 'kind', a.kind, 'open', x.open, 'total', x.total)
        order by x.open desc, x.total desc, a.name)
      from (select i.area_id, count(*) filter (where i.status = any(v_open))::integer as open, count(*)::integer as total
            from public.issues i where i.estate_id = e.id group by i.area_id) x
      join public.areas a on a.id = x.area_id), '[]'::jsonb),
    -- Joined by the plans capability.
    'overdue', null,
    'satisfaction', null);
end
$$;

revoke execute on function public.estate_transparency(uuid), public.community_transparency(uuid), public.street_rollup(uuid),
  public.committee_dashboard(uuid) from public;
grant execute on function public.estate_transparency(uuid), public.community_transparency(uuid) to anon, authenticated, service_role;
grant execute on function public.street_rollup(uuid), public.committee_dashboard(uuid) to authenticated, service_role;
