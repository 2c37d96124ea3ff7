-- ============================================================================
-- A vote with nobody in it. open_vote accepted a scope with no units (an
-- owners' decision on a building not yet in the register) or no verified
-- residents, and opened a vote nobody could cast, which then closed as
-- invalid. A vote is now refused when it is set up, with a message saying
-- who is missing, if its scope holds nobody it would count: the same rule
-- open_vote_now freezes the electorate by.
-- ============================================================================

/**
 * Whether a vote's scope holds anybody to vote: units (owners' decisions),
 * units with a verified resident (households), or verified residents living
 * in the scope (residents; the whole estate counts members without a unit).
 * Security definer: it counts memberships, which the committee may read but
 * not every caller of a trigger.
 */
create function private.scope_has_electors(p_estate_id uuid, p_electorate_kind text, p_scope_area_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select case p_electorate_kind
    when 'residents' then exists (
      select 1 from public.memberships m
      left join public.units u on u.id = m.unit_id
      left join public.areas b on b.id = u.building_id
      where m.estate_id = p_estate_id and m.status = 'verified'
        and (p_scope_area_id is null or b.id = p_scope_area_id or b.parent_id = p_scope_area_id))
    else exists (
      select 1 from public.units u join public.areas b on b.id = u.building_id
      where u.estate_id = p_estate_id
        and (p_scope_area_id is null or b.id = p_scope_area_id or b.parent_id = p_scope_area_id)
        and (p_electorate_kind = 'units' or exists (select 1 from public.memberships m
              where m.unit_id = u.id and m.estate_id = p_estate_id and m.status = 'verified')))
  end
$$;
revoke all on function private.scope_has_electors(uuid, text, uuid) from public;

/** Refuses a new vote whose scope holds nobody to vote. */
create function private.refuse_empty_vote() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not private.scope_has_electors(new.estate_id, new.electorate_kind, new.scope_area_id) then
    perform private.fail('22023', case new.electorate_kind
        when 'units' then 'errors.vote_scope_no_units'
        when 'households' then 'errors.vote_scope_no_households'
        else 'errors.vote_scope_no_residents' end, 'scope_area_id');
  end if;
  return new;
end
$$;
revoke all on function private.refuse_empty_vote() from public;
create trigger votes_not_empty before insert on public.votes
  for each row execute function private.refuse_empty_vote();
