-- ============================================================================
-- Editing a plan's milestones (issue #14): change a milestone's title,
-- planned date or weight, remove it, and move it up or down among its item's
-- milestones, with the progress recomputed (item_progress computes it on
-- every read, so nothing is stored to go stale) and the lifecycle taking the
-- step the new progress calls for.
--
-- The rules:
-- * Only the committee of the issue's estate, while the plan is open
--   (approved, publicized, in_progress, following_up), as for adding one.
-- * A weight is a number from 0 to 10,000; a planned date is not before the
--   item's (or its nearest planned ancestor's) start.
-- * A milestone that is done is history: it cannot be removed and its weight
--   cannot change (either would rewrite the progress residents already saw
--   reached); its title and planned date may still be corrected.
-- * Removing the last milestone still open, or setting its weight to 0, can
--   leave everything that counts done: an in_progress issue then completes,
--   exactly as when that milestone is marked done (the lifecycle's 'finish').
-- Every change is on the issue's timeline (plan_changed), as adding is.
-- ============================================================================

/**
 * Completes an in_progress issue whose plan is all done (the lifecycle's
 * 'finish', as complete_milestone takes it) and tells its followers; returns
 * the issue's status afterwards. Trusts its callers (no grant to anyone):
 * they hold the issue's lock and have checked who is asking.
 */
create function private.finish_if_done(p_issue_id uuid) returns text
language plpgsql security definer set search_path = '' as $$
declare
  v_issue public.issues;
  v_t public.issue_transitions;
  v_progress numeric;
begin
  select * into v_issue from public.issues where id = p_issue_id;
  select * into v_t from public.issue_transitions where action = 'finish' and from_status = v_issue.status;
  if v_t.action is null then
    return v_issue.status;
  end if;
  v_progress := (public.item_progress(v_issue.id) ->> 'progress')::numeric;
  -- Done is exact, not a rounded 1: no milestone of positive weight left undone on a counted path from the plan.
  if v_progress is null or exists (
    with recursive r (id) as (
      select id from public.work_items where issue_id = v_issue.id and parent_id is null
      union all select w.id from public.work_items w join r on w.parent_id = r.id where not w.excluded and w.weight > 0)
    select 1 from r join public.milestones m on m.item_id = r.id where m.weight > 0 and m.done_at is null) then
    return v_issue.status;
  end if;
  perform private.set_issue_status(v_issue.id, v_t.to_status, null);
  perform private.log_issue_event(v_issue.id, 'transition', 'finish', v_issue.status, v_t.to_status, null, null);
  perform private.notify(private.issue_followers(v_issue.id), 'work_completed', v_issue.id,
    jsonb_build_object('title', v_issue.title, 'path', '/estates/' || v_issue.estate_id || '/issues/' || v_issue.id));
  return v_t.to_status;
end
$$;

/**
 * The earliest date a milestone of this item may be planned on: the item's
 * start, or its nearest planned ancestor's; null when none is planned.
 */
create function private.milestone_earliest(p_item_id uuid) returns date
language sql stable security definer set search_path = '' as $$
  with recursive up (id, parent_id, planned_start, n) as (
    select id, parent_id, planned_start, 0 from public.work_items where id = p_item_id
    union all select w.id, w.parent_id, w.planned_start, up.n + 1 from public.work_items w join up on w.id = up.parent_id
    where up.planned_start is null)
  select planned_start from up where planned_start is not null order by n limit 1
$$;

/**
 * A milestone the caller may change, locked with its issue, after checking
 * that the caller manages the estate and that the plan is open.
 */
create function private.editable_milestone(p_milestone_id uuid) returns public.milestones
language plpgsql security definer set search_path = '' as $$
declare
  v_m public.milestones;
  v_issue public.issues;
begin
  perform private.require_user();
  select * into v_m from public.milestones where id = p_milestone_id and estate_id = any(private.readable_estates());
  if v_m.id is null then
    perform private.fail('P0002', 'errors.milestone_not_found', 'milestone_id');
  end if;
  v_issue := private.progress_issue(v_m.issue_id);
  if not (v_issue.status = any(private.plan_statuses())) then
    perform private.fail('22023', 'errors.plan_not_open');
  end if;
  select * into v_m from public.milestones where id = p_milestone_id for update;
  return v_m;
end
$$;

/**
 * Changes a milestone's title, planned date and weight. Security definer:
 * milestones have no update grant; the rules are in this file's header.
 */
create function private.edit_milestone(p_milestone_id uuid, p_title text, p_planned_on date, p_weight numeric) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_m public.milestones := private.editable_milestone(p_milestone_id);
  v_start date;
begin
  if coalesce(trim(p_title), '') = '' or char_length(trim(p_title)) > 120 then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  perform private.check_weight(p_weight, 'weight');
  if v_m.done_at is not null and p_weight <> v_m.weight then
    perform private.fail('22023', 'errors.milestone_done_locked', 'weight');
  end if;
  v_start := private.milestone_earliest(v_m.item_id);
  if p_planned_on is not null and v_start is not null and p_planned_on < v_start then
    perform private.fail('22023', 'errors.milestone_before_start', 'planned_on');
  end if;
  update public.milestones set title = trim(p_title), planned_on = p_planned_on, weight = p_weight where id = v_m.id;
  perform private.log_issue_event(v_m.issue_id, 'plan_changed', 'milestone_changed', null, null, trim(p_title), null);
  return jsonb_build_object('id', v_m.id, 'status', private.finish_if_done(v_m.issue_id));
end
$$;

/** Removes a milestone not yet done. Security definer: milestones have no delete grant. */
create function private.remove_milestone(p_milestone_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_m public.milestones := private.editable_milestone(p_milestone_id);
begin
  if v_m.done_at is not null then
    perform private.fail('22023', 'errors.milestone_done_locked', 'milestone_id');
  end if;
  delete from public.milestones where id = v_m.id;
  perform private.log_issue_event(v_m.issue_id, 'plan_changed', 'milestone_removed', null, null, v_m.title, null);
  return jsonb_build_object('id', v_m.id, 'status', private.finish_if_done(v_m.issue_id));
end
$$;

/**
 * Moves a milestone one place up or down among its item's milestones, in
 * the order the plan shows them (position, then when added). The item's
 * milestones are renumbered 0, 1, 2… first, so that old equal positions
 * cannot make a move do nothing. Security definer: no update grant.
 */
create function private.move_milestone(p_milestone_id uuid, p_direction text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_m public.milestones := private.editable_milestone(p_milestone_id);
  v_pos integer;
  v_other uuid;
begin
  if p_direction is null or p_direction not in ('up', 'down') then
    perform private.fail('22023', 'errors.invalid_choice', 'direction');
  end if;
  update public.milestones m set position = o.n
  from (select id, (row_number() over (order by position, created_at, id) - 1)::int as n
        from public.milestones where item_id = v_m.item_id) o
  where m.id = o.id and m.position is distinct from o.n;
  select position into v_pos from public.milestones where id = v_m.id;
  select id into v_other from public.milestones
  where item_id = v_m.item_id and position = v_pos + case p_direction when 'up' then -1 else 1 end;
  if v_other is not null then
    update public.milestones set position = v_pos where id = v_other;
    update public.milestones set position = v_pos + case p_direction when 'up' then -1 else 1 end where id = v_m.id;
    perform private.log_issue_event(v_m.issue_id, 'plan_changed', 'milestone_moved', null, null, v_m.title, null);
  end if;
  return jsonb_build_object('id', v_m.id, 'moved', v_other is not null);
end
$$;

revoke all on function private.finish_if_done(uuid), private.milestone_earliest(uuid), private.editable_milestone(uuid),
  private.edit_milestone(uuid, text, date, numeric), private.remove_milestone(uuid), private.move_milestone(uuid, text) from public;
grant execute on function private.edit_milestone(uuid, text, date, numeric), private.remove_milestone(uuid),
  private.move_milestone(uuid, text) to authenticated, service_role;

/** Changes a milestone's title, planned date and weight (a done one keeps its weight). The committee only. */
create function public.edit_milestone(p_milestone_id uuid, p_title text, p_planned_on date default null, p_weight numeric default 1)
returns jsonb
language sql set search_path = '' as $$
  select private.edit_milestone(p_milestone_id, p_title, p_planned_on, p_weight)
$$;

/** Removes a milestone that is not done. The committee only. */
create function public.remove_milestone(p_milestone_id uuid) returns jsonb
language sql set search_path = '' as $$
  select private.remove_milestone(p_milestone_id)
$$;

/** Moves a milestone one place 'up' or 'down' among its item's milestones. The committee only. */
create function public.move_milestone(p_milestone_id uuid, p_direction text) returns jsonb
language sql set search_path = '' as $$
  select private.move_milestone(p_milestone_id, p_direction)
$$;

revoke execute on function public.edit_milestone(uuid, text, date, numeric), public.remove_milestone(uuid),
  public.move_milestone(uuid, text) from public, anon;
grant execute on function public.edit_milestone(uuid, text, date, numeric), public.remove_milestone(uuid),
  public.move_milestone(uuid, text) to authenticated;
