-- ============================================================================
-- Micro-wishes (微心愿) on the claim board (issue #15): the one page for the
-- people who claim shows the open vetted wishes near them beside the open
-- tasks, filtered by the same place filter, and by kind (a kind of task shows
-- tasks only; 'wish' shows wishes only), with the wishes they claimed and
-- have still to fulfil. Only a wish's published fields are on the board; who
-- it is for stays in wish_details. Everything claim_board returned before is
-- returned as it was.
-- ============================================================================

/**
 * The claim board: the open tasks of an estate the caller may see, soonest
 * first, with slots left and whether the caller may claim each, and the open
 * vetted wishes, nearest first, with whether the caller may claim each;
 * filtered by place (an area: a building, or a courtyard with its
 * buildings), kind ('wish' for wishes only), and what the caller may claim;
 * the caller's building and courtyard first. Also the caller's claims in
 * progress, their claimed wishes to fulfil, and reports waiting for their
 * confirmation.
 */
create or replace function private.claim_board(p_estate_id uuid, p_area_id uuid, p_kind text, p_mine boolean) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_building uuid;
  v_courtyard uuid;
  -- Party members and volunteers claim wishes (as claim_wish decides); a kind of task filters wishes out, 'wish' tasks.
  v_helper boolean := p_estate_id = any(private.estates_with_role(array['party_member', 'volunteer']));
  v_tasks boolean := p_kind is null or p_kind <> 'wish';
  v_wishes boolean := p_kind is null or p_kind = 'wish';
begin
  if not (p_estate_id = any(private.member_estates() || private.managed_estates())) then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  select u.building_id, a.parent_id into v_building, v_courtyard
  from public.memberships m join public.units u on u.id = m.unit_id join public.areas a on a.id = u.building_id
  where m.estate_id = p_estate_id and m.user_id = v_uid;
  return jsonb_build_object(
    'building_id', v_building, 'courtyard_id', v_courtyard,
    'tasks', coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'title', t.title, 'kind', t.kind, 'needed', left(t.needed, 140),
        'area_id', t.area_id, 'area_name', a.name, 'starts_at', t.starts_at, 'ends_at', t.ends_at, 'slots', t.slots,
        'left', t.slots - t.taken, 'est_hours', t.est_hours, 'eligible', t.eligible, 'team_name', tm.name,
        'issue_title', i.title,
        'near', case when t.area_id = v_building then 'building' when t.area_id = v_courtyard or a.parent_id = v_courtyard then 'courtyard'
          else 'estate' end,
        'claimed', mine.id is not null, 'may_claim', mine.id is null and t.taken < t.slots and private.may_claim(t, v_uid))
      order by case when t.area_id = v_building then 0 when t.area_id = v_courtyard or a.parent_id = v_courtyard then 1 else 2 end,
        t.starts_at, t.id)
      from (select * from public.tasks x where x.estate_id = p_estate_id and x.status = 'open' and x.starts_at > now()
              and (p_kind is null or x.kind = p_kind)
              and v_tasks
            order by x.starts_at limit 200) t
      left join public.areas a on a.id = t.area_id
      left join public.teams tm on tm.id = t.team_id
      left join public.issues i on i.id = t.issue_id
      left join public.task_claims mine on mine.task_id = t.id and mine.user_id = v_uid and mine.status <> 'released'
      where (p_area_id is null or t.area_id = p_area_id or a.parent_id = p_area_id)
        and (not coalesce(p_mine, false) or mine.id is not null or private.may_claim(t, v_uid))), '[]'::jsonb),
    -- Open vetted wishes, nearest first, then oldest (waiting longest) first; published fields only.
    'wishes', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'title', x.title, 'category', x.category,
        'body', left(x.body, 140), 'shown_name', x.shown_name, 'area_id', x.area_id, 'area_name', a.name,
        'est_hours', x.est_hours, 'estimated_cost', x.estimated_cost, 'vetted_at', x.vetted_at,
        'near', case when x.area_id = v_building then 'building' when x.area_id = v_courtyard or a.parent_id = v_courtyard then 'courtyard'
          else 'estate' end,
        'may_claim', v_helper and not (x.id = any(private.my_wishes())))
      order by case when x.area_id = v_building then 0 when x.area_id = v_courtyard or a.parent_id = v_courtyard then 1 else 2 end,
        x.vetted_at, x.id)
      from (select * from public.wishes y where y.estate_id = p_estate_id and y.status = 'open' and v_wishes
            order by y.vetted_at limit 200) x
      left join public.areas a on a.id = x.area_id
      where (p_area_id is null or x.area_id = p_area_id or a.parent_id = p_area_id)
        and (not coalesce(p_mine, false) or (v_helper and not (x.id = any(private.my_wishes()))))), '[]'::jsonb),
    -- The wishes the caller claimed and has still to fulfil.
    'my_wishes', coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'title', x.title, 'status', x.status,
        'claimed_at', x.claimed_at, 'est_hours', x.est_hours) order by x.claimed_at, x.id)
      from public.wishes x join public.wish_details d on d.wish_id = x.id
      where x.estate_id = p_estate_id and x.status = 'claimed' and x.donor_unit is null and d.claimed_by = v_uid), '[]'::jsonb),
    'may_claim_wishes', v_helper,
    -- The caller's own claims in progress, to start, report or release.
    'my_claims', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'task_id', t.id, 'title', t.title, 'status', c.status,
        'starts_at', t.starts_at, 'ends_at', t.ends_at, 'hours', c.hours) order by t.starts_at)
      from public.task_claims c join public.tasks t on t.id = c.task_id
      where c.user_id = v_uid and t.estate_id = p_estate_id and c.status in ('claimed', 'started', 'reported', 'disputed')), '[]'::jsonb),
    -- Reports waiting for the caller's confirmation (tasks they posted, or all for the committee).
    'to_confirm', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'task_id', t.id, 'title', t.title, 'status', c.status,
        'name', p.display_name, 'hours', c.hours, 'report', c.report) order by c.reported_at)
      from public.task_claims c join public.tasks t on t.id = c.task_id join public.profiles p on p.id = c.user_id
      where t.estate_id = p_estate_id and c.user_id <> v_uid
        and ((c.status = 'reported' and (t.created_by = v_uid or private.manages_estate(t.estate_id)))
          or (c.status = 'disputed' and (v_uid = any(private.task_deciders(t)) or private.manages_estate(t.estate_id))))), '[]'::jsonb));
end
$$;

