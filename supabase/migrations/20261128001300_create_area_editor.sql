-- ============================================================================
-- Area editor: the committee draws, renames, re-parents and removes
-- courtyards, buildings and spaces one at a time (GeoJSON import and export
-- handle whole files). Security invoker: the areas policies decide.
-- ============================================================================

/**
 * Adds (p_area_id null) or changes one area. The geometry is a GeoJSON
 * Polygon or MultiPolygon in the estate's coordinates (WGS-84, or plan
 * pixels inside the plan); a parent must be a courtyard of the same estate.
 */
create function public.save_area(p_estate_id uuid, p_area_id uuid, p_kind text, p_name text, p_parent_id uuid, p_geometry jsonb)
returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_estate public.estates;
  v_id uuid;
begin
  perform private.require_user();
  select * into v_estate from public.estates where id = p_estate_id;
  if v_estate.id is null or not private.manages_estate(p_estate_id) then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  if p_kind is null or p_kind not in ('courtyard', 'building', 'space') then
    perform private.fail('22023', 'errors.invalid_choice', 'kind');
  end if;
  if coalesce(trim(p_name), '') = '' or char_length(trim(p_name)) > 40 then
    perform private.fail('22023', 'errors.name_invalid', 'name');
  end if;
  if p_geometry is not null then
    if not private.is_polygon_geojson(p_geometry) then
      perform private.fail('22023', 'errors.import.area_geometry', 'geometry');
    end if;
    if not private.geometry_fits_estate(v_estate, p_geometry) then
      perform private.fail('22023', 'errors.import.area_out_of_bounds', 'geometry');
    end if;
  end if;
  if exists (select 1 from public.areas where estate_id = p_estate_id and kind = p_kind and name = trim(p_name)
             and id is distinct from p_area_id) then
    perform private.fail('23505', 'errors.area_name_taken', 'name');
  end if;
  if p_area_id is null then
    insert into public.areas (estate_id, kind, name, parent_id, geometry)
    values (p_estate_id, p_kind, trim(p_name), p_parent_id, p_geometry)
    returning id into v_id;
  else
    update public.areas set kind = p_kind, name = trim(p_name), parent_id = p_parent_id,
      geometry = coalesce(p_geometry, geometry)
    where id = p_area_id and estate_id = p_estate_id
    returning id into v_id;
    if v_id is null then
      perform private.fail('P0002', 'errors.area_not_found');
    end if;
  end if;
  return jsonb_build_object('id', v_id);
end
$$;

/** Removes an area that no unit and no issue refers to; its buildings lose their parent. */
create function public.delete_area(p_area_id uuid) returns void
language plpgsql set search_path = '' as $$
declare
  v_area public.areas;
begin
  perform private.require_user();
  select * into v_area from public.areas where id = p_area_id;
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

revoke execute on function public.save_area(uuid, uuid, text, text, uuid, jsonb), public.delete_area(uuid) from public, anon;
grant execute on function public.save_area(uuid, uuid, text, text, uuid, jsonb), public.delete_area(uuid) to authenticated;
