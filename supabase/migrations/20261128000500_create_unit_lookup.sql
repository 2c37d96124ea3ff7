-- ============================================================================
-- Unit lookup: finds a registered unit by building, entrance and room, for
-- the committee's "create an account for a resident" form.
-- ============================================================================

/** The unit of an estate at building/entrance/room; raises 22023 errors.unit_not_found (field room) when there is none. */
create function public.find_unit(p_estate_id uuid, p_building_id uuid, p_entrance text, p_room text) returns uuid
language plpgsql stable set search_path = '' as $$
declare
  v_id uuid;
begin
  perform private.require_user();
  select u.id into v_id from public.units u
  where u.estate_id = p_estate_id and u.building_id = p_building_id
    and u.entrance = coalesce(trim(p_entrance), '') and upper(u.room) = upper(trim(p_room));
  if v_id is null then
    perform private.fail('22023', 'errors.unit_not_found', 'room');
  end if;
  return v_id;
end
$$;

revoke execute on function public.find_unit(uuid, uuid, text, text) from public, anon;
grant execute on function public.find_unit(uuid, uuid, text, text) to authenticated;
