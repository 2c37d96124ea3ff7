-- ============================================================================
-- delete_area names the estate too: a committee member of two estates could
-- otherwise remove one estate's area from the other's editor page (their own
-- right either way, but not what the page they were on showed them).
-- ============================================================================

drop function public.delete_area(uuid);

/** Removes an area of the estate that nothing refers to (no units, no issues). Estate managers. */
create function public.delete_area(p_estate_id uuid, p_area_id uuid) returns void
language plpgsql set search_path = '' as $$
declare
  v_area public.areas;
begin
  perform private.require_user();
  select * into v_area from public.areas where id = p_area_id and estate_id = p_estate_id;
  if v_area.id is null or not private.manages_estate(v_area.estate_id) then
    perform private.fail('P0002', 'errors.area_not_found');
  end if;
  if exists (select 1 from public.units where building_id = p_area_id)
     or exists (select 1 from public.issues where area_id = p_area_id) then
    perform private.fail('22023', 'errors.area_in_use');
  end if;
  delete from public.areas where id = p_area_id;
end
$$;
revoke execute on function public.delete_area(uuid, uuid) from public, anon;
grant execute on function public.delete_area(uuid, uuid) to authenticated;
