-- ============================================================================
-- Vote API. Public functions are security invoker: they find the vote through
-- its RLS policy (so a caller who may not read it gets "not found") and check
-- the caller's role; the writes and the aggregates over ballots, which nobody
-- may read row by row, are private security definer helpers. Schema private
-- is not exposed over the API, but a helper that signed-in users may execute
-- still checks for itself who is asking, so that no path around the public
-- functions forges a ballot or reads a choice; helpers only other definer
-- functions call are not executable by signed-in users at all.
-- ============================================================================

-- ----------------------------------------------------------------------------
-- Opening: the electorate snapshot.
-- ----------------------------------------------------------------------------

/**
 * Freezes the electorate of a vote and opens it: units in scope with their
 * floor areas and owners (owners' decisions), verified residents (one per
 * person), or units with at least one verified resident (one per household).
 * Moves the issue to voting and tells the electors.
 */
create function private.open_vote_now(p_vote_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v public.votes;
  v_issue_status text;
begin
  select * into v from public.votes where id = p_vote_id for update;
  if v.status <> 'scheduled' then
    return;
  end if;
  if v.electorate_kind in ('units', 'households') then
    -- One row per unit in scope (households: only units with a verified resident).
    insert into public.vote_electorate (vote_id, unit_id, label, floor_area, owner_key, owner_ids)
    select v.id, u.id, b.name || case when u.entrance <> '' then ' ' || u.entrance || '单元' else '' end || ' ' || u.room,
      u.floor_area,
      -- Who counts as one owner: the developer's unsold units together; otherwise the same holder(s) once.
      case when v.electorate_kind = 'households' then 'unit:' || u.id
           when u.developer_held then 'developer'
           when o.ids is null then 'unit:' || u.id
           else 'owners:' || array_to_string(o.ids, ',') end,
      coalesce(o.ids, '{}')
    from public.units u
    join public.areas b on b.id = u.building_id
    left join lateral (select array_agg(uo.owner_id order by uo.owner_id) as ids
                       from public.unit_owners uo where uo.unit_id = u.id and v.electorate_kind = 'units') o on true
    where u.estate_id = v.estate_id
      and (v.scope_area_id is null or b.id = v.scope_area_id or b.parent_id = v.scope_area_id)
      and (v.electorate_kind = 'units' or exists (select 1 from public.memberships m
            where m.unit_id = u.id and m.estate_id = v.estate_id and m.status = 'verified'));
  else
    insert into public.vote_electorate (vote_id, user_id, label, owner_key)
    select v.id, m.user_id, p.display_name, 'user:' || m.user_id
    from public.memberships m
    join public.profiles p on p.id = m.user_id
    left join public.units u on u.id = m.unit_id
    left join public.areas b on b.id = u.building_id
    where m.estate_id = v.estate_id and m.status = 'verified'
      and (v.scope_area_id is null or b.id = v.scope_area_id or b.parent_id = v.scope_area_id);
  end if;

  update public.votes set status = 'open', opened_at = now(),
    electors = (select count(*) from public.vote_electorate where vote_id = v.id),
    owners = (select count(distinct owner_key) from public.vote_electorate where vote_id = v.id),
    total_area = (select coalesce(sum(floor_area), 0) from public.vote_electorate where vote_id = v.id)
  where id = v.id;

  select status into v_issue_status from public.issues where id = v.issue_id for update;
  if v_issue_status <> 'voting' then
    update public.issues set status = 'voting', last_activity_at = now() where id = v.issue_id;
    insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status)
    values (v.issue_id, v.created_by, 'transition', 'open_vote', v_issue_status, 'voting');
  end if;

  insert into public.notifications (user_id, kind, issue_id, payload)
  select distinct voter, 'vote_opened', v.issue_id, jsonb_build_object('vote_id', v.id, 'question', v.question)
  from (
    select o.user_id as voter from public.vote_electorate e
    join public.owners o on o.id = any(e.owner_ids)
    where e.vote_id = v.id and o.user_id is not null
    union all
    select e.user_id from public.vote_electorate e where e.vote_id = v.id and e.user_id is not null
    union all
    select m.user_id from public.vote_electorate e
    join public.memberships m on m.unit_id = e.unit_id and m.estate_id = v.estate_id and m.status = 'verified'
    where e.vote_id = v.id and v.electorate_kind = 'households'
  ) voters
  where voter is not null;
end
$$;

-- ----------------------------------------------------------------------------
-- The tally. Exact arithmetic only: areas are numeric, counts integers, and
-- every threshold is compared by cross-multiplying (a·3 ≥ b·2, never a/b ≥ 0.667).
-- ----------------------------------------------------------------------------

/** One checked rule: num op need·den, e.g. participation area ≥ 2/3 of the total. */
create function private.vote_check(p_key text, p_num numeric, p_den numeric, p_need text, p_op text) returns jsonb
language sql immutable set search_path = '' as $$
  select jsonb_build_object('key', p_key, 'num', p_num, 'den', p_den, 'need', p_need, 'op', p_op,
    'ok', case
      -- Nothing to compare with (an empty electorate, no ballots) never passes.
      when p_den <= 0 and p_op <> 'more' then false
      when p_op = 'more' then p_num > p_den
      when p_op = '>=' then p_num * split_part(p_need, '/', 2)::numeric >= p_den * split_part(p_need, '/', 1)::numeric
      else p_num * split_part(p_need, '/', 2)::numeric > p_den * split_part(p_need, '/', 1)::numeric
    end)
$$;

/** The current ballots of a vote with their elector's area and owner key. */
create function private.current_ballots(p_vote_id uuid) returns table (owner_key text, floor_area numeric, choice smallint[])
language sql stable security definer set search_path = '' as $$
  select e.owner_key, e.floor_area, b.choice
  from public.ballots b join public.vote_electorate e on e.id = b.elector_id and e.vote_id = p_vote_id
  where b.vote_id = p_vote_id and b.superseded_at is null
$$;
revoke all on function private.current_ballots(uuid) from public;

/**
 * The result of a vote from its current ballots, without writing anything:
 * {outcome, winners, options, turnout, checks}. The rules (DESIGN §4, docs/api.md):
 * owners' decisions need participation ≥ 2/3 of the area and ≥ 2/3 of the
 * owners, then approval by > 1/2 (ordinary) or ≥ 3/4 (matters 6–8) of the
 * participating area and of the participating owners. An owner of several
 * units counts once: as taking part if any of their units voted, as
 * approving only if every unit of theirs that voted approved. Abstentions
 * take part and do not approve.
 */
create function private.tally(p_vote_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v public.votes;
  v_yes smallint;
  v_no smallint;
  v_ballots integer;
  v_area numeric;
  v_owners integer;
  v_yes_ballots integer;
  v_no_ballots integer;
  v_yes_area numeric;
  v_yes_owners integer;
  v_options jsonb;
  v_checks jsonb := '[]'::jsonb;
  v_participation_ok boolean := true;
  v_outcome text;
  v_winners smallint[] := '{}';
  v_top integer;
begin
  select * into v from public.votes where id = p_vote_id;
  select position into v_yes from public.vote_options where vote_id = v.id and role = 'yes';
  select position into v_no from public.vote_options where vote_id = v.id and role = 'no';

  -- One pass over the current ballots: per owner (for the head counts), then totals and per option.
  with b as materialized (
    select owner_key, floor_area, choice from private.current_ballots(v.id)
  ), per_owner as (
    select owner_key, bool_and(v_yes = any(choice)) as all_yes from b group by owner_key
  )
  select (select count(*) from b), (select coalesce(sum(floor_area), 0) from b), (select count(*) from per_owner),
    (select count(*) from b where v_yes = any(choice)), (select count(*) from b where v_no = any(choice)),
    (select coalesce(sum(floor_area), 0) from b where v_yes = any(choice)),
    (select count(*) from per_owner where all_yes),
    (select jsonb_agg(jsonb_build_object('position', o.position, 'role', o.role, 'label', o.label,
        'ballots', (select count(*) from b where o.position = any(b.choice)),
        'area', (select coalesce(sum(b.floor_area), 0) from b where o.position = any(b.choice)),
        -- An owner counts for an option only if every unit of theirs that voted chose it.
        'owners', (select count(*) from (select b.owner_key from b group by b.owner_key having bool_and(o.position = any(b.choice))) k)
      ) order by o.position) from public.vote_options o where o.vote_id = v.id)
  into v_ballots, v_area, v_owners, v_yes_ballots, v_no_ballots, v_yes_area, v_yes_owners, v_options;

  if v.kind = 'owners' then
    v_checks := jsonb_build_array(
      private.vote_check('participation_area', v_area, v.total_area, '2/3', '>='),
      private.vote_check('participation_owners', v_owners, v.owners, '2/3', '>='));
    v_participation_ok := (v_checks -> 0 ->> 'ok')::boolean and (v_checks -> 1 ->> 'ok')::boolean;
    if v.rule = 'owners_special' then
      v_checks := v_checks || jsonb_build_array(
        private.vote_check('approval_area', v_yes_area, v_area, '3/4', '>='),
        private.vote_check('approval_owners', v_yes_owners, v_owners, '3/4', '>='));
    else
      v_checks := v_checks || jsonb_build_array(
        private.vote_check('approval_area', v_yes_area, v_area, '1/2', '>'),
        private.vote_check('approval_owners', v_yes_owners, v_owners, '1/2', '>'));
    end if;
  else
    if v.quorum_percent is not null then
      v_checks := jsonb_build_array(private.vote_check('quorum', v_ballots, v.electors, v.quorum_percent || '/100', '>='));
      v_participation_ok := (v_checks -> 0 ->> 'ok')::boolean;
    end if;
    if v.rule = 'more_yes' then
      v_checks := v_checks || jsonb_build_array(private.vote_check('yes_over_no', v_yes_ballots, v_no_ballots, null, 'more'));
    elsif v.rule = 'majority_cast' then
      v_checks := v_checks || jsonb_build_array(private.vote_check('approval_ballots', v_yes_ballots, v_ballots, '1/2', '>'));
    elsif v.rule = 'residents_meeting' then
      v_checks := jsonb_build_array(
        private.vote_check('participation_electors', v_ballots, v.electors, '1/2', '>'),
        private.vote_check('approval_ballots', v_yes_ballots, v_ballots, '1/2', '>'));
      v_participation_ok := (v_checks -> 0 ->> 'ok')::boolean;
    end if;
  end if;

  if not v_participation_ok or v_ballots = 0 then
    v_outcome := 'invalid';
  elsif v.rule = 'plurality' then
    select max((o ->> 'ballots')::integer) into v_top from jsonb_array_elements(v_options) o;
    select coalesce(array_agg((o ->> 'position')::smallint order by (o ->> 'position')::smallint), '{}') into v_winners
    from jsonb_array_elements(v_options) o where (o ->> 'ballots')::integer = v_top;
    -- A tie is reported as a tie, never broken silently.
    v_outcome := case when cardinality(v_winners) = 1 then 'winner' else 'tie' end;
  elsif (select bool_and((c ->> 'ok')::boolean) from jsonb_array_elements(v_checks) c) then
    v_outcome := 'passed';
  else
    v_outcome := 'failed';
  end if;

  return jsonb_build_object('outcome', v_outcome, 'winners', to_jsonb(v_winners), 'options', v_options, 'checks', v_checks,
    'turnout', jsonb_build_object('electors', v.electors, 'ballots', v_ballots, 'area', v_area, 'area_total', v.total_area,
      'owners', v_owners, 'owners_total', v.owners));
end
$$;

/**
 * The count as the vote pages show it: the frozen result's numbers are
 * written by close; before close only votes that show results live may be
 * counted, and only by those who may read the vote.
 */
create function private.compute_tally(p_vote_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v public.votes;
begin
  select * into v from public.votes where id = p_vote_id;
  if not (v.estate_id = any(private.readable_estates())) or (v.status <> 'closed' and not (v.live_results and not v.secret)) then
    perform private.fail('42501', 'errors.vote_results_hidden');
  end if;
  return private.tally(p_vote_id);
end
$$;

/**
 * Closes a vote: tallies its current ballots in this transaction, writes the
 * frozen result, moves the issue to approved or rejected and tells the
 * author and the committee. The caller holds the vote's row lock.
 */
create function private.close_vote_now(p_vote_id uuid, p_closed_by uuid, p_early boolean default false) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v public.votes;
  v_tally jsonb;
  v_to text;
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

  v_to := case when v_tally ->> 'outcome' in ('passed', 'winner') then 'approved' else 'rejected' end;
  select * into v_issue from public.issues where id = v.issue_id for update;
  if v_issue.status = 'voting' then
    update public.issues set status = v_to, last_activity_at = now() where id = v.issue_id;
    insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status)
    values (v.issue_id, p_closed_by, 'transition', 'close_vote', 'voting', v_to);
  end if;
  insert into public.notifications (user_id, kind, issue_id, payload)
  select distinct u, 'vote_closed', v.issue_id,
    jsonb_build_object('vote_id', v.id, 'question', v.question, 'outcome', v_tally ->> 'outcome')
  from unnest(array[v_issue.author_id] || private.committee_of(v.estate_id)) u where u is not null;
end
$$;

/**
 * Brings a vote up to date with the clock: opens it when its time has come,
 * closes and tallies it when its closing time has passed. Called on every
 * access (lazily) and by the periodic sweep. Returns the vote as it now is.
 */
create function private.advance_vote(p_vote_id uuid) returns public.votes
language plpgsql security definer set search_path = '' as $$
declare
  v public.votes;
begin
  select * into v from public.votes where id = p_vote_id;
  if v.status = 'scheduled' and v.opens_at <= now() then
    perform private.open_vote_now(v.id);
    select * into v from public.votes where id = p_vote_id;
  end if;
  if v.status = 'open' and v.closes_at <= now() then
    perform private.close_vote_now(v.id, null);
    select * into v from public.votes where id = p_vote_id;
  end if;
  return v;
end
$$;

/** Opens and closes the votes the clock has moved on, of one estate or (null) of all. Returns how many. */
create function private.advance_due_votes(p_estate_id uuid) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid;
  v_count integer := 0;
begin
  for v_id in select id from public.votes
    where (p_estate_id is null or estate_id = p_estate_id)
      and ((status = 'scheduled' and opens_at <= now()) or (status = 'open' and closes_at <= now()))
  loop
    perform private.advance_vote(v_id);
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;

/** Opens and closes every vote the clock has moved on, in all estates. For the periodic sweep: the service role or the database owner. */
create function public.close_due_votes() returns integer
language sql security definer set search_path = '' as $$
  select private.advance_due_votes(null)
$$;

-- ----------------------------------------------------------------------------
-- Casting.
-- ----------------------------------------------------------------------------

/** The caller's places in a vote's electorate: units they own (owners), themselves (residents) or their household. */
create function private.my_electors(p_vote_id uuid) returns setof public.vote_electorate
language sql stable security definer set search_path = '' as $$
  select e.* from public.vote_electorate e join public.votes v on v.id = e.vote_id
  where e.vote_id = p_vote_id
    and exists (select 1 from public.memberships m where m.estate_id = v.estate_id and m.user_id = (select auth.uid()) and m.status = 'verified')
    and case v.electorate_kind
      when 'units' then exists (select 1 from public.owners o where o.id = any(e.owner_ids) and o.user_id = (select auth.uid()))
      when 'residents' then e.user_id = (select auth.uid())
      else exists (select 1 from public.memberships m where m.estate_id = v.estate_id and m.user_id = (select auth.uid())
                   and m.status = 'verified' and m.unit_id = e.unit_id)
    end
  order by e.label
$$;

/** Refuses a choice that is empty, names an option twice, names too many, or names an option the vote does not have. */
create function private.check_choice(p_vote public.votes, p_choice smallint[]) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if p_choice is null or cardinality(p_choice) = 0 or array_position(p_choice, null) is not null then
    perform private.fail('22023', 'errors.choice_required', 'choice');
  end if;
  if (select count(distinct c) from unnest(p_choice) c) <> cardinality(p_choice) then
    perform private.fail('22023', 'errors.choice_twice', 'choice');
  end if;
  if cardinality(p_choice) > p_vote.max_choices then
    perform private.fail('22023', 'errors.too_many_choices', 'choice');
  end if;
  if exists (select 1 from unnest(p_choice) c where not exists (
      select 1 from public.vote_options o where o.vote_id = p_vote.id and o.position = c)) then
    perform private.fail('22023', 'errors.option_unknown', 'choice');
  end if;
end
$$;

/**
 * Records a ballot as the elector's current one and keeps the one it
 * replaces. The elector's row is locked first, so ballots for one unit take
 * turns: 100 at once leave one current ballot and 99 kept versions. The vote
 * is share-locked, so a close waits for ballots in flight and counts them.
 * A ballot replacing one from another person or another channel (a paper
 * ballot over an online one, a co-owner's over the other's) is flagged for
 * the committee.
 */
create function private.write_ballot(p_vote_id uuid, p_elector_id bigint, p_choice smallint[], p_channel text,
  p_paper_ref text, p_proxy_name text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_prev public.ballots;
  v_conflict boolean := false;
  v_hex text := upper(replace(gen_random_uuid()::text, '-', ''));
  v_receipt text;
  v_id bigint;
  v_allowed boolean;
  v public.votes;
begin
  select * into v from public.votes where id = p_vote_id for share;
  -- Online, only for the caller's own place in the electorate; on paper, only by the estate's moderators.
  -- (Assigned first: in an IF condition, plpgsql would stop reading at the CASE's first THEN.)
  v_allowed := case p_channel
      when 'online' then p_elector_id in (select e.id from private.my_electors(p_vote_id) e)
      when 'paper' then private.moderates_estate(v.estate_id)
      else false end;
  if not coalesce(v_allowed, false) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  perform private.require_open(v);
  perform 1 from public.vote_electorate where id = p_elector_id for update;
  update public.ballots set superseded_at = clock_timestamp()
  where elector_id = p_elector_id and superseded_at is null
  returning * into v_prev;
  if v_prev.id is not null then
    v_conflict := v_prev.channel <> p_channel or v_prev.cast_by is distinct from v_uid;
  end if;
  -- 64 random bits of a version 4 UUID: its 13th hex digit (the version) and the 17th (the variant) are fixed, so skipped.
  v_receipt := substr(v_hex, 1, 4) || '-' || substr(v_hex, 5, 4) || '-' || substr(v_hex, 9, 4) || '-' || substr(v_hex, 18, 4);
  insert into public.ballots (vote_id, elector_id, choice, cast_by, channel, paper_ref, proxy_name, receipt, conflict, created_at)
  values (p_vote_id, p_elector_id, p_choice, v_uid, p_channel, p_paper_ref, p_proxy_name, v_receipt, v_conflict, clock_timestamp())
  returning id into v_id;
  if v_conflict then
    insert into public.notifications (user_id, kind, issue_id, payload)
    select u, 'ballot_conflict', v.issue_id, jsonb_build_object('vote_id', v.id, 'question', v.question,
      'unit', (select label from public.vote_electorate where id = p_elector_id))
    from unnest(private.committee_of(v.estate_id)) u;
  end if;
  return jsonb_build_object('ballot_id', v_id, 'receipt', v_receipt, 'replaced', v_prev.id is not null, 'conflict', v_conflict);
end
$$;

/** Refuses unless the vote takes ballots now: not before it opens, not after it closes. */
create function private.require_open(p_vote public.votes) returns void
language plpgsql stable set search_path = '' as $$
begin
  if p_vote.status = 'scheduled' then
    perform private.fail('22023', 'errors.vote_not_open');
  elsif p_vote.status = 'closed' or p_vote.closes_at <= now() then
    perform private.fail('22023', 'errors.vote_closed');
  end if;
end
$$;

/** The caller's vote, found through its RLS policy, brought up to date. Refuses with not found otherwise. */
create function private.find_vote(p_vote_id uuid) returns public.votes
language plpgsql set search_path = '' as $$
declare
  v public.votes;
begin
  -- Invoker: the select runs under the votes policy, so a vote the caller may not read is not found.
  if not exists (select 1 from public.votes where id = p_vote_id) then
    perform private.fail('P0002', 'errors.vote_not_found');
  end if;
  v := private.advance_vote(p_vote_id);
  return v;
end
$$;

-- Only other definer functions open a vote, count it, or read its ballots' choices.
revoke all on function private.open_vote_now(uuid), private.tally(uuid) from public;
revoke all on function private.vote_check(text, numeric, numeric, text, text),
  private.compute_tally(uuid), private.close_vote_now(uuid, uuid, boolean), private.advance_vote(uuid),
  private.my_electors(uuid), private.check_choice(public.votes, smallint[]),
  private.write_ballot(uuid, bigint, smallint[], text, text, text), private.find_vote(uuid),
  private.refuse_result_change() from public;
grant execute on function private.vote_check(text, numeric, numeric, text, text),
  private.compute_tally(uuid), private.close_vote_now(uuid, uuid, boolean), private.advance_vote(uuid),
  private.my_electors(uuid), private.check_choice(public.votes, smallint[]),
  private.write_ballot(uuid, bigint, smallint[], text, text, text), private.find_vote(uuid) to authenticated, service_role;

/** Writes a new vote and its options (yes / no / abstain unless custom ones are given). open_vote has checked everything. */
create function private.create_vote(p_vote public.votes, p_options text[]) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not private.manages_estate(p_vote.estate_id) or p_vote.created_by is distinct from auth.uid() or p_vote.status <> 'scheduled' then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  insert into public.votes select p_vote.*;
  if cardinality(p_options) > 0 then
    insert into public.vote_options (vote_id, position, role, label)
    select p_vote.id, n, 'custom', o from unnest(p_options) with ordinality as x(o, n);
  else
    insert into public.vote_options (vote_id, position, role) values (p_vote.id, 1, 'yes'), (p_vote.id, 2, 'no'), (p_vote.id, 3, 'abstain');
  end if;
end
$$;
revoke all on function private.create_vote(public.votes, text[]) from public;
grant execute on function private.create_vote(public.votes, text[]) to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- Public API.
-- ----------------------------------------------------------------------------

/**
 * Sets up a vote on an accepted or deliberating issue (committee). Owners'
 * decisions take the art. 278 matter (1–9); matters 6–8 need three quarters,
 * the others more than half; their options are yes / no / abstain and they
 * are secret unless p_secret is false. Consultative votes take a rule
 * (more_yes, majority_cast, residents_meeting) for yes / no / abstain, or
 * custom options (2–20, decided by the most votes) with up to p_max_choices
 * choices. Opens now when p_opens_at is null or past, else at p_opens_at.
 */
create function public.open_vote(p_issue_id uuid, p_question text, p_kind text, p_closes_at timestamptz,
  p_description text default '', p_matter smallint default null, p_rule text default null,
  p_electorate_kind text default null, p_scope_area_id uuid default null, p_options text[] default null,
  p_max_choices smallint default 1, p_opens_at timestamptz default null, p_secret boolean default null,
  p_live_results boolean default false, p_quorum_percent smallint default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_issue public.issues;
  v_id uuid := gen_random_uuid();
  v_opens timestamptz := coalesce(p_opens_at, now());
  v_rule text;
  v_options text[] := array(select trim(o) from unnest(coalesce(p_options, '{}')) o where trim(o) <> '');
  v_secret boolean;
  v_new public.votes;
  v public.votes;
begin
  select * into v_issue from public.issues where id = p_issue_id;
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  if not private.manages_estate(v_issue.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  -- Two committee members opening a vote at once take turns; the second sees the first's vote.
  perform private.lock_issues(array[p_issue_id]);
  select * into v_issue from public.issues where id = p_issue_id;
  if v_issue.status not in ('accepted', 'deliberating') then
    perform private.fail('22023', 'errors.issue_not_ready_for_vote');
  end if;
  if exists (select 1 from public.votes where issue_id = p_issue_id and status <> 'closed') then
    perform private.fail('22023', 'errors.vote_already_open');
  end if;
  if coalesce(trim(p_question), '') = '' then
    perform private.fail('22023', 'errors.required', 'question');
  end if;
  if char_length(trim(p_question)) > 200 then
    perform private.fail('22023', 'errors.too_long', 'question');
  end if;
  if char_length(coalesce(p_description, '')) > 2000 then
    perform private.fail('22023', 'errors.too_long', 'description');
  end if;
  if p_kind is null or p_kind not in ('consultative', 'owners') then
    perform private.fail('22023', 'errors.vote_kind_unknown', 'kind');
  end if;
  if p_scope_area_id is not null and not exists (select 1 from public.areas a where a.id = p_scope_area_id
      and a.estate_id = v_issue.estate_id and a.kind in ('courtyard', 'building')) then
    perform private.fail('22023', 'errors.area_not_in_estate', 'scope_area_id');
  end if;
  if p_closes_at is null then
    perform private.fail('22023', 'errors.required', 'closes_at');
  end if;
  if v_opens < now() - interval '5 minutes' then
    perform private.fail('22023', 'errors.vote_opens_in_past', 'opens_at');
  end if;
  if p_closes_at < v_opens + interval '1 hour' then
    perform private.fail('22023', 'errors.vote_too_short', 'closes_at');
  end if;
  if p_closes_at > v_opens + interval '90 days' then
    perform private.fail('22023', 'errors.vote_too_long', 'closes_at');
  end if;

  if p_kind = 'owners' then
    if p_matter is null or p_matter not between 1 and 9 then
      perform private.fail('22023', 'errors.vote_matter_required', 'matter');
    end if;
    if cardinality(v_options) > 0 then
      perform private.fail('22023', 'errors.vote_owners_options', 'options');
    end if;
    if coalesce(p_live_results, false) then
      perform private.fail('22023', 'errors.vote_live_consultative_only', 'live_results');
    end if;
    v_rule := case when p_matter in (6, 7, 8) then 'owners_special' else 'owners_ordinary' end;
    v_secret := coalesce(p_secret, true);
  else
    if p_matter is not null then
      perform private.fail('22023', 'errors.vote_matter_owners_only', 'matter');
    end if;
    if coalesce(p_electorate_kind, 'residents') not in ('residents', 'households') then
      perform private.fail('22023', 'errors.vote_electorate_unknown', 'electorate_kind');
    end if;
    if cardinality(v_options) > 0 then
      if cardinality(v_options) not between 2 and 20 then
        perform private.fail('22023', 'errors.vote_options_count', 'options');
      end if;
      if exists (select 1 from unnest(v_options) o where char_length(o) > 100) then
        perform private.fail('22023', 'errors.too_long', 'options');
      end if;
      if (select count(distinct o) from unnest(v_options) o) <> cardinality(v_options) then
        perform private.fail('22023', 'errors.vote_options_repeated', 'options');
      end if;
      v_rule := 'plurality';
    else
      v_rule := coalesce(p_rule, 'more_yes');
      if v_rule not in ('more_yes', 'majority_cast', 'residents_meeting') then
        perform private.fail('22023', 'errors.vote_rule_unknown', 'rule');
      end if;
    end if;
    v_secret := coalesce(p_secret, false);
    if coalesce(p_live_results, false) and v_secret then
      perform private.fail('22023', 'errors.vote_live_not_secret', 'live_results');
    end if;
  end if;
  if coalesce(p_max_choices, 1) < 1 or coalesce(p_max_choices, 1) > greatest(cardinality(v_options), 1)
     or (coalesce(p_max_choices, 1) > 1 and v_rule <> 'plurality') then
    perform private.fail('22023', 'errors.vote_max_choices', 'max_choices');
  end if;
  if p_quorum_percent is not null and (p_quorum_percent not between 1 and 100
     or v_rule not in ('more_yes', 'majority_cast', 'plurality')) then
    perform private.fail('22023', 'errors.vote_quorum', 'quorum_percent');
  end if;

  v_new := row(v_id, v_issue.estate_id, p_issue_id, trim(p_question), coalesce(trim(p_description), ''), p_kind, p_matter, v_rule,
    case when p_kind = 'owners' then 'units' else coalesce(p_electorate_kind, 'residents') end,
    p_scope_area_id, coalesce(p_max_choices, 1), p_quorum_percent, v_secret, coalesce(p_live_results, false),
    v_opens, p_closes_at, 'scheduled', null, null, null, v_uid, now(), null, null, null)::public.votes;
  perform private.create_vote(v_new, v_options);
  v := private.advance_vote(v_id);
  return jsonb_build_object('id', v_id, 'status', v.status);
end
$$;

/**
 * Casts or changes the caller's ballot. For an owners' decision the caller
 * must be a verified member linked to an owner of the unit in the frozen
 * electorate; when they own several units there, p_unit_id says which.
 * Returns {ballot_id, receipt, replaced, conflict}.
 */
create function public.cast_ballot(p_vote_id uuid, p_choice smallint[], p_unit_id uuid default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v public.votes;
  v_electors bigint[];
begin
  perform private.require_user();
  v := private.find_vote(p_vote_id);
  perform private.require_open(v);
  perform private.check_choice(v, p_choice);
  select coalesce(array_agg(e.id), '{}') into v_electors from private.my_electors(p_vote_id) e
  where p_unit_id is null or e.unit_id = p_unit_id;
  if cardinality(v_electors) = 0 then
    if p_unit_id is not null then
      perform private.fail('42501', 'errors.not_your_unit', 'unit_id');
    end if;
    perform private.fail('42501', 'errors.not_in_electorate');
  end if;
  if cardinality(v_electors) > 1 then
    perform private.fail('22023', 'errors.choose_unit', 'unit_id');
  end if;
  return private.write_ballot(p_vote_id, v_electors[1], p_choice, 'online', null, null);
end
$$;

/**
 * Enters a paper ballot (纸质票) for a unit (units, households) or a
 * resident (residents), with the paper's reference number and, when a proxy
 * (委托) voted, the proxy's name. Moderators and the committee.
 */
create function public.record_paper_ballot(p_vote_id uuid, p_choice smallint[], p_paper_ref text,
  p_unit_id uuid default null, p_user_id uuid default null, p_proxy_name text default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v public.votes;
  v_elector bigint;
begin
  perform private.require_user();
  v := private.find_vote(p_vote_id);
  if not private.moderates_estate(v.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  perform private.require_open(v);
  if coalesce(trim(p_paper_ref), '') = '' then
    perform private.fail('22023', 'errors.required', 'paper_ref');
  end if;
  if char_length(trim(p_paper_ref)) > 40 then
    perform private.fail('22023', 'errors.too_long', 'paper_ref');
  end if;
  if char_length(trim(coalesce(p_proxy_name, ''))) > 40 then
    perform private.fail('22023', 'errors.too_long', 'proxy_name');
  end if;
  perform private.check_choice(v, p_choice);
  select id into v_elector from private.electorate_entry(p_vote_id, p_unit_id, p_user_id);
  if v_elector is null then
    perform private.fail('22023', 'errors.not_in_electorate', case when p_user_id is not null then 'user_id' else 'unit_id' end);
  end if;
  return private.write_ballot(p_vote_id, v_elector, p_choice, 'paper', trim(p_paper_ref), nullif(trim(p_proxy_name), ''));
end
$$;

/** The electorate row of a unit or a resident in a vote, for the estate's moderators. */
create function private.electorate_entry(p_vote_id uuid, p_unit_id uuid, p_user_id uuid) returns setof public.vote_electorate
language sql stable security definer set search_path = '' as $$
  select e.* from public.vote_electorate e join public.votes v on v.id = e.vote_id
  where e.vote_id = p_vote_id and ((p_unit_id is not null and e.unit_id = p_unit_id) or (p_user_id is not null and e.user_id = p_user_id))
    and private.moderates_estate(v.estate_id)
  limit 1
$$;
revoke all on function private.electorate_entry(uuid, uuid, uuid) from public;
grant execute on function private.electorate_entry(uuid, uuid, uuid) to authenticated, service_role;

/** Participation so far, by count and by area: never a choice. Security definer: ballots are not readable row by row. */
create function private.turnout(p_vote_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('status', v.status, 'electors', v.electors, 'owners_total', v.owners, 'area_total', v.total_area,
    'ballots', count(b.id), 'area', coalesce(sum(e.floor_area), 0), 'owners', count(distinct e.owner_key),
    'closes_at', v.closes_at)
  from public.votes v
  left join public.ballots b on b.vote_id = v.id and b.superseded_at is null
  left join public.vote_electorate e on e.id = b.elector_id and e.vote_id = p_vote_id
  where v.id = p_vote_id and v.estate_id = any(private.readable_estates())
  group by v.id
$$;
revoke all on function private.turnout(uuid) from public;
grant execute on function private.turnout(uuid) to authenticated, service_role;

/** Turnout of a vote, for the live bar: electors, ballots, area and owners so far and in total. */
create function public.vote_turnout(p_vote_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
begin
  perform private.require_user();
  perform private.find_vote(p_vote_id);
  return private.turnout(p_vote_id);
end
$$;

/** The electorate entries without a ballot yet, for door-to-door reminders (扫楼). Moderators; never how anyone voted. */
create function public.vote_not_voted(p_vote_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v public.votes;
begin
  perform private.require_user();
  v := private.find_vote(p_vote_id);
  if not private.moderates_estate(v.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  -- The electorate's policy lets moderators read it; which entries have voted comes from
  -- private.voted_electors, as the ballots themselves are not theirs to read.
  return coalesce((select jsonb_agg(jsonb_build_object('unit_id', e.unit_id, 'user_id', e.user_id, 'label', e.label,
      'floor_area', e.floor_area) order by e.label)
    from public.vote_electorate e
    where e.vote_id = p_vote_id and e.id not in (select unnest(private.voted_electors(p_vote_id)))), '[]'::jsonb);
end
$$;

/** The electorate entries of a vote that have a current ballot, for the estate's moderators. Security definer: ballots are not readable row by row. */
create function private.voted_electors(p_vote_id uuid) returns bigint[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(b.elector_id), '{}') from public.ballots b join public.votes v on v.id = b.vote_id
  where b.vote_id = p_vote_id and b.superseded_at is null and private.moderates_estate(v.estate_id)
$$;
revoke all on function private.voted_electors(uuid) from public;
grant execute on function private.voted_electors(uuid) to authenticated, service_role;

/**
 * Closes a vote before its closing time (committee), allowed once every
 * elector has voted. After the closing time anyone's access closes it.
 */
create function public.close_vote(p_vote_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v public.votes;
begin
  v := private.find_vote(p_vote_id);
  if not private.manages_estate(v.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  perform private.require_open(v);
  perform private.close_vote_now(p_vote_id, v_uid, true);
  return jsonb_build_object('id', p_vote_id, 'status', 'closed',
    'outcome', (select outcome from public.vote_results where vote_id = p_vote_id));
end
$$;

/**
 * The result a vote shows now: the frozen one once closed; the provisional
 * count, marked so, while a vote that shows live results (consultative, not
 * secret) is open; otherwise null.
 */
create function private.result_of(p_vote public.votes) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  if p_vote.status = 'closed' then
    return (select jsonb_build_object('outcome', r.outcome, 'winners', to_jsonb(r.winners), 'options', r.options,
      'turnout', r.turnout, 'checks', r.checks, 'tallied_at', r.tallied_at, 'provisional', false)
      from public.vote_results r where r.vote_id = p_vote.id);
  end if;
  if p_vote.live_results and not p_vote.secret and p_vote.status = 'open' then
    return private.compute_tally(p_vote.id) || jsonb_build_object('provisional', true);
  end if;
  return null;
end
$$;

/**
 * The result of a closed vote: {outcome, winners, options, turnout, checks,
 * tallied_at}. Before close it is refused, unless the vote shows live
 * results (consultative, not secret): then the provisional count, marked so.
 */
create function public.vote_result(p_vote_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_result jsonb;
begin
  perform private.require_user();
  v_result := private.result_of(private.find_vote(p_vote_id));
  if v_result is null then
    perform private.fail('42501', 'errors.vote_results_hidden');
  end if;
  return v_result;
end
$$;

/** The receipt codes counted in a closed vote, sorted, so that voters can find theirs. */
create function public.vote_receipts(p_vote_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v public.votes;
begin
  perform private.require_user();
  v := private.find_vote(p_vote_id);
  if v.status <> 'closed' then
    perform private.fail('42501', 'errors.vote_results_hidden');
  end if;
  return (select to_jsonb(r.receipts) from public.vote_results r where r.vote_id = p_vote_id);
end
$$;

/** Where a receipt code stands: counted / not_counted (closed), current / replaced (open), unknown. Reveals no choice. */
create function private.receipt_status(p_vote_id uuid, p_code text) returns text
language sql stable security definer set search_path = '' as $$
  select case
    when v.status = 'closed' then case when p_code = any(r.receipts) then 'counted'
      when exists (select 1 from public.ballots b where b.vote_id = v.id and b.receipt = p_code) then 'not_counted'
      else 'unknown' end
    else coalesce((select case when b.superseded_at is null then 'current' else 'replaced' end
                   from public.ballots b where b.vote_id = v.id and b.receipt = p_code), 'unknown')
  end
  from public.votes v left join public.vote_results r on r.vote_id = v.id
  where v.id = p_vote_id and v.estate_id = any(private.readable_estates())
$$;
revoke all on function private.receipt_status(uuid, text) from public;
grant execute on function private.receipt_status(uuid, text) to authenticated, service_role;

/** Checks a receipt code (spaces, dashes and case do not matter): {code, status}. */
create function public.verify_receipt(p_vote_id uuid, p_code text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_hex text := upper(regexp_replace(coalesce(p_code, ''), '[^0-9A-Za-z]', '', 'g'));
  v_code text;
begin
  perform private.require_user();
  perform private.find_vote(p_vote_id);
  if v_hex !~ '^[0-9A-F]{16}$' then
    perform private.fail('22023', 'errors.receipt_format', 'code');
  end if;
  v_code := substr(v_hex, 1, 4) || '-' || substr(v_hex, 5, 4) || '-' || substr(v_hex, 9, 4) || '-' || substr(v_hex, 13, 4);
  return jsonb_build_object('code', v_code, 'status', private.receipt_status(p_vote_id, v_code));
end
$$;

/**
 * The caller's electorate entries in a vote with their current ballot: the
 * choice and receipt when the caller cast it, else only that someone else
 * (a paper entry, a co-owner) did. Security definer: ballots of one's unit
 * cast by others are not readable row by row.
 */
create function private.my_ballots(p_vote_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('unit_id', e.unit_id, 'label', e.label, 'floor_area', e.floor_area,
    'ballot', case when b.id is null then null
      when b.cast_by = (select auth.uid()) and b.channel = 'online'
        then jsonb_build_object('mine', true, 'choice', to_jsonb(b.choice), 'receipt', b.receipt, 'at', b.created_at)
      else jsonb_build_object('mine', false, 'channel', b.channel, 'at', b.created_at) end,
    'history', (select count(*) from public.ballots h where h.elector_id = e.id)) order by e.label), '[]'::jsonb)
  from private.my_electors(p_vote_id) e
  left join public.ballots b on b.elector_id = e.id and b.superseded_at is null
$$;
revoke all on function private.my_ballots(uuid) from public;
grant execute on function private.my_ballots(uuid) to authenticated, service_role;

/** The ballots that replaced another person's or another channel's, for the committee: unit, channels, when; no choice. */
create function private.ballot_conflicts(p_vote_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('label', e.label, 'channel', b.channel, 'paper_ref', b.paper_ref,
      'at', b.created_at, 'current', b.superseded_at is null) order by b.created_at desc), '[]'::jsonb)
  from public.ballots b join public.vote_electorate e on e.id = b.elector_id join public.votes v on v.id = b.vote_id
  where b.vote_id = p_vote_id and b.conflict and private.manages_estate(v.estate_id)
$$;
revoke all on function private.ballot_conflicts(uuid) from public;
grant execute on function private.ballot_conflicts(uuid) to authenticated, service_role;

/**
 * Everything the vote page shows, in one call: the vote and its options, the
 * electorate's totals, turnout, the caller's ballots, what the caller may do,
 * the result once closed (or live, when the vote shows live results) and,
 * for the committee, the flagged conflicts.
 */
create function public.vote_detail(p_vote_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v public.votes;
  v_moderates boolean;
  v_manages boolean;
  v_turnout jsonb;
begin
  v := private.find_vote(p_vote_id);
  v_moderates := private.moderates_estate(v.estate_id);
  v_manages := private.manages_estate(v.estate_id);
  v_turnout := case when v.status <> 'scheduled' then private.turnout(v.id) end;
  return jsonb_build_object(
    'vote', jsonb_build_object('id', v.id, 'estate_id', v.estate_id, 'issue_id', v.issue_id,
      'issue_title', (select title from public.issues where id = v.issue_id),
      'question', v.question, 'description', v.description, 'kind', v.kind, 'matter', v.matter, 'rule', v.rule,
      'electorate_kind', v.electorate_kind, 'scope', (select jsonb_build_object('id', a.id, 'name', a.name, 'kind', a.kind)
        from public.areas a where a.id = v.scope_area_id),
      'max_choices', v.max_choices, 'quorum_percent', v.quorum_percent, 'secret', v.secret, 'live_results', v.live_results,
      'opens_at', v.opens_at, 'closes_at', v.closes_at, 'status', v.status, 'opened_at', v.opened_at, 'closed_at', v.closed_at,
      'options', (select jsonb_agg(jsonb_build_object('position', o.position, 'role', o.role, 'label', o.label) order by o.position)
        from public.vote_options o where o.vote_id = v.id)),
    'electorate', jsonb_build_object('electors', v.electors, 'owners', v.owners, 'area', v.total_area),
    'turnout', v_turnout,
    'mine', case when v.status <> 'scheduled' then private.my_ballots(v.id) else '[]'::jsonb end,
    'actions', jsonb_build_object(
      'paper', v_moderates and v.status = 'open',
      'not_voted', v_moderates and v.status = 'open',
      'close_early', v_manages and v.status = 'open'
        and (v_turnout ->> 'ballots')::integer >= v.electors and v.electors > 0),
    'result', private.result_of(v),
    'conflicts', case when v_manages then private.ballot_conflicts(v.id) end
  );
end
$$;

/** The votes of an estate, newest first, with their outcome once closed. */
create function public.estate_votes(p_estate_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
begin
  perform private.require_user();
  -- Bring the estate's due votes up to date first, so the list shows what the clock says.
  perform private.advance_due_votes(p_estate_id);
  return coalesce((select jsonb_agg(jsonb_build_object('id', v.id, 'question', v.question, 'kind', v.kind,
      'status', v.status, 'opens_at', v.opens_at, 'closes_at', v.closes_at, 'issue_id', v.issue_id, 'issue_title', i.title,
      'outcome', r.outcome) order by v.created_at desc)
    from public.votes v join public.issues i on i.id = v.issue_id
    left join public.vote_results r on r.vote_id = v.id
    where v.estate_id = p_estate_id), '[]'::jsonb);
end
$$;

/**
 * What the vote set-up form needs for an issue: the issue, whether the
 * caller may open a vote on it now, and the estate's courtyards and buildings
 * for the scope.
 */
create function public.vote_setup(p_issue_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_issue public.issues;
begin
  perform private.require_user();
  select * into v_issue from public.issues where id = p_issue_id;
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  if not private.manages_estate(v_issue.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return jsonb_build_object(
    'issue', jsonb_build_object('id', v_issue.id, 'estate_id', v_issue.estate_id, 'title', v_issue.title, 'status', v_issue.status),
    'allowed', v_issue.status in ('accepted', 'deliberating')
      and not exists (select 1 from public.votes where issue_id = p_issue_id and status <> 'closed'),
    'areas', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'name', a.name, 'kind', a.kind,
        'units', (select count(*) from public.units u join public.areas b on b.id = u.building_id
                  where b.id = a.id or b.parent_id = a.id))
      order by a.kind desc, length(a.name), a.name)
      from public.areas a where a.estate_id = v_issue.estate_id and a.kind in ('courtyard', 'building')), '[]'::jsonb),
    'units', (select count(*) from public.units where estate_id = v_issue.estate_id)
  );
end
$$;

/**
 * Links a verified member to an owner in the register of their estate
 * (committee), after checking their papers; the member becomes an owner and
 * may cast the ballots of that owner's units. p_owner_id null removes the link.
 */
create function public.link_owner(p_membership_id uuid, p_owner_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_m public.memberships;
begin
  perform private.require_user();
  select * into v_m from public.memberships where id = p_membership_id for update;
  if v_m.id is null or not private.manages_estate(v_m.estate_id) then
    perform private.fail('P0002', 'errors.membership_not_found');
  end if;
  if v_m.status <> 'verified' then
    perform private.fail('22023', 'errors.membership_not_verified');
  end if;
  if p_owner_id is not null and not exists (select 1 from public.owners o where o.id = p_owner_id and o.estate_id = v_m.estate_id) then
    perform private.fail('22023', 'errors.owner_not_found', 'owner_id');
  end if;
  if p_owner_id is not null and exists (select 1 from public.owners o where o.id = p_owner_id and o.user_id is not null
      and o.user_id <> v_m.user_id) then
    perform private.fail('22023', 'errors.owner_already_linked', 'owner_id');
  end if;
  update public.owners set user_id = null where estate_id = v_m.estate_id and user_id = v_m.user_id
    and id is distinct from p_owner_id;
  if p_owner_id is not null then
    update public.owners set user_id = v_m.user_id where id = p_owner_id;
    update public.memberships set roles = array(select distinct r from unnest(roles || array['owner']) r order by r)
    where id = p_membership_id;
  else
    update public.memberships set roles = array_remove(roles, 'owner') where id = p_membership_id;
  end if;
  return jsonb_build_object('id', p_membership_id, 'owner_id', p_owner_id);
end
$$;

/** The owners in the register of a unit, with whether each is linked to a member. Committee. */
create function public.unit_owner_list(p_unit_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_estate uuid;
begin
  perform private.require_user();
  select estate_id into v_estate from public.units where id = p_unit_id;
  if v_estate is null or not private.manages_estate(v_estate) then
    perform private.fail('P0002', 'errors.unit_not_found');
  end if;
  return coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name, 'linked', o.user_id is not null,
      'user_id', o.user_id, 'is_developer', o.is_developer) order by o.name)
    from public.unit_owners uo join public.owners o on o.id = uo.owner_id where uo.unit_id = p_unit_id), '[]'::jsonb);
end
$$;

revoke all on function private.advance_due_votes(uuid), private.require_open(public.votes), private.result_of(public.votes) from public;
grant execute on function private.advance_due_votes(uuid), private.require_open(public.votes), private.result_of(public.votes)
  to authenticated, service_role;

-- Votes are for signed-in people: anon may not call these. The sweep is the service's.
revoke execute on function public.open_vote(uuid, text, text, timestamptz, text, smallint, text, text, uuid, text[], smallint,
    timestamptz, boolean, boolean, smallint), public.cast_ballot(uuid, smallint[], uuid),
  public.record_paper_ballot(uuid, smallint[], text, uuid, uuid, text), public.vote_turnout(uuid), public.vote_not_voted(uuid),
  public.close_vote(uuid), public.vote_result(uuid), public.vote_receipts(uuid), public.verify_receipt(uuid, text),
  public.vote_detail(uuid), public.estate_votes(uuid), public.vote_setup(uuid), public.link_owner(uuid, uuid),
  public.unit_owner_list(uuid), public.close_due_votes() from public, anon;
grant execute on function public.open_vote(uuid, text, text, timestamptz, text, smallint, text, text, uuid, text[], smallint,
    timestamptz, boolean, boolean, smallint), public.cast_ballot(uuid, smallint[], uuid),
  public.record_paper_ballot(uuid, smallint[], text, uuid, uuid, text), public.vote_turnout(uuid), public.vote_not_voted(uuid),
  public.close_vote(uuid), public.vote_result(uuid), public.vote_receipts(uuid), public.verify_receipt(uuid, text),
  public.vote_detail(uuid), public.estate_votes(uuid), public.vote_setup(uuid), public.link_owner(uuid, uuid),
  public.unit_owner_list(uuid) to authenticated, service_role;
grant execute on function public.close_due_votes() to service_role;
