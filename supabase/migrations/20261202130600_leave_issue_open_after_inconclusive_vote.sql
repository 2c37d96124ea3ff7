-- ============================================================================
-- Only a vote that fails rejects its issue. Until now every vote that did not
-- pass moved the issue to rejected: also one that was invalid (participation
-- or quorum not reached: nothing was decided) and one that ended in a tie.
-- Those now leave the issue undecided (未形成决定), open, with a timeline
-- entry saying why (vote_invalid, vote_tied), and a new vote may be opened on
-- it; rejected stays for a vote that failed. The steps a vote takes are rows
-- of the lifecycle table (actor 'vote'), which close_vote_now follows.
-- ============================================================================

alter table public.issues drop constraint issues_status_check;
alter table public.issues add constraint issues_status_check check (status in ('proposed', 'accepted', 'declined',
  'merged', 'withdrawn', 'deliberating', 'voting', 'approved', 'rejected', 'undecided', 'publicized', 'in_progress',
  'completed', 'evaluated', 'following_up'));

insert into public.issue_transitions (action, from_status, to_status, actor, needs_reason) values
  ('open_vote', 'undecided', 'voting', 'vote', false),
  ('vote_passed', 'voting', 'approved', 'vote', false),
  ('vote_failed', 'voting', 'rejected', 'vote', false),
  ('vote_invalid', 'voting', 'undecided', 'vote', false),
  ('vote_tied', 'voting', 'undecided', 'vote', false),
  ('deliberate', 'undecided', 'deliberating', 'committee', false),
  ('follow_up', 'undecided', 'following_up', 'committee', false);

/** The statuses that count as open (see 20261202130500): an undecided issue is still open. */
create or replace function public.open_issue_statuses() returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select array['proposed', 'accepted', 'deliberating', 'voting', 'approved', 'undecided', 'publicized', 'in_progress', 'following_up']
$$;

/**
 * Closes a vote (see create_vote_api): tallies its current ballots, writes
 * the frozen result, and takes the issue the step of the lifecycle table
 * that the outcome names -- vote_passed (passed, or an option won) to
 * approved, vote_failed to rejected, vote_invalid and vote_tied to undecided
 * -- recorded in the timeline; tells the author and the committee. The
 * caller holds the vote's row lock.
 */
create or replace function private.close_vote_now(p_vote_id uuid, p_closed_by uuid, p_early boolean default false) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v public.votes;
  v_tally jsonb;
  v_action text;
  v_t public.issue_transitions;
  v_issue public.issues;
begin
  select * into v from public.votes where id = p_vote_id for update;
  if v.status <> 'open' then
    return;
  end if;
  -- By the clock, or early by the committee.
  if not p_early and v.closes_at > now() or p_early and not private.manages_estate(v.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  -- Early, only once every elector has a ballot; checked under the lock, which waits for ballots in flight.
  if p_early and (v.electors = 0 or (select count(*) from public.ballots b
      where b.vote_id = v.id and b.superseded_at is null) < v.electors) then
    perform private.fail('22023', 'errors.vote_not_all_voted');
  end if;
  v_tally := private.tally(v.id);
  insert into public.vote_results (vote_id, outcome, winners, options, turnout, checks, receipts)
  select v.id, v_tally ->> 'outcome', array(select jsonb_array_elements_text(v_tally -> 'winners')::smallint),
    v_tally -> 'options', v_tally -> 'turnout', v_tally -> 'checks',
    array(select b.receipt from public.ballots b where b.vote_id = v.id and b.superseded_at is null order by b.receipt);
  update public.votes set status = 'closed', closed_at = now(), closed_by = p_closed_by where id = v.id;

  v_action := case v_tally ->> 'outcome' when 'passed' then 'vote_passed' when 'winner' then 'vote_passed'
    when 'failed' then 'vote_failed' when 'tie' then 'vote_tied' else 'vote_invalid' end;
  select * into v_issue from public.issues where id = v.issue_id for update;
  select * into v_t from public.issue_transitions where action = v_action and from_status = v_issue.status;
  if v_t.action is not null then
    update public.issues set status = v_t.to_status, last_activity_at = now() where id = v.issue_id;
    insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status)
    values (v.issue_id, p_closed_by, 'transition', v_action, v_issue.status, v_t.to_status);
  end if;
  insert into public.notifications (user_id, kind, issue_id, payload)
  select distinct u, 'vote_closed', v.issue_id,
    jsonb_build_object('vote_id', v.id, 'question', v.question, 'outcome', v_tally ->> 'outcome')
  from unnest(array[v_issue.author_id] || private.committee_of(v.estate_id)) u where u is not null;
end
$$;

/**
 * What the map page draws (see create_issue_api): areas with their number of
 * open issues, and one small pin per issue with a point. Open statuses come
 * from public.open_issue_statuses.
 */
create or replace function public.estate_map(p_estate_id uuid, p_status text default null, p_category text default null) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_open text[] := public.open_issue_statuses();
begin
  if not exists (select 1 from public.estates where id = p_estate_id) then
    raise exception using errcode = 'P0002', message = 'errors.estate_not_found', detail = '';
  end if;
  return jsonb_build_object(
    'areas', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'kind', a.kind, 'name', a.name, 'parent_id', a.parent_id,
        'geometry', a.geometry, 'open', (select count(*) from public.issues i where i.area_id = a.id and i.status = any(v_open))))
      from public.areas a where a.estate_id = p_estate_id), '[]'::jsonb),
    'pins', coalesce((select jsonb_agg(jsonb_build_array(i.id, i.point_x, i.point_y, i.status, i.category))
      from public.issues i
      where i.estate_id = p_estate_id and i.point_x is not null
        and (p_status is null or (p_status = 'open' and i.status = any(v_open)) or i.status = p_status)
        and (p_category is null or i.category = p_category)), '[]'::jsonb)
  );
end
$$;
