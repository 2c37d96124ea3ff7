-- ============================================================================
-- Estate administration: communities and estates (administrators), the
-- courtyards and buildings of an estate one at a time (the area editor) or as
-- a GeoJSON file, and the unit register from CSV (estate managers).
-- ============================================================================

/** The administrator's list of communities and estates with their sizes. */
create function public.admin_overview() returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  perform private.require_user();
  if not private.is_admin() and cardinality(private.estates_with_role(array['committee'])) = 0 then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return jsonb_build_object(
    'is_admin', private.is_admin(),
    'communities', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name, 'district', c.district) order by c.name)
      from public.communities c), '[]'::jsonb),
    'estates', coalesce((select jsonb_agg(jsonb_build_object(
        'id', e.id, 'name', e.name, 'community', c.name, 'address', e.address, 'map_mode', e.map_mode,
        'areas', (select count(*) from public.areas a where a.estate_id = e.id),
        'units', (select count(*) from public.units u where u.estate_id = e.id),
        'pending', (select count(*) from public.memberships m where m.estate_id = e.id and m.status = 'pending')
      ) order by c.name, e.name)
      from public.estates e join public.communities c on c.id = e.community_id
      where private.manages_estate(e.id)), '[]'::jsonb)
  );
end
$$;

/** Creates a community. Administrators only. */
create function public.create_community(p_name text, p_district text default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_id uuid;
begin
  perform private.require_user();
  if not private.is_admin() then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if coalesce(trim(p_name), '') = '' or char_length(p_name) > 60 then
    perform private.fail('22023', 'errors.name_invalid', 'name');
  end if;
  insert into public.communities (name, district) values (trim(p_name), nullif(trim(p_district), '')) returning id into v_id;
  return jsonb_build_object('id', v_id);
end
$$;

/**
 * Creates or updates an estate (p_estate_id null creates). Administrators only.
 * A geographic estate needs a centre; a site-plan estate needs the plan's size.
 */
create function public.save_estate(p_estate_id uuid, p_community_id uuid, p_name text, p_address text,
  p_map_mode text, p_center_lat numeric, p_center_lng numeric, p_zoom integer,
  p_plan_width integer, p_plan_height integer) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_id uuid;
begin
  perform private.require_user();
  if not private.is_admin() then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if not exists (select 1 from public.communities where id = p_community_id) then
    perform private.fail('22023', 'errors.community_not_found', 'community_id');
  end if;
  if coalesce(trim(p_name), '') = '' or char_length(p_name) > 60 then
    perform private.fail('22023', 'errors.name_invalid', 'name');
  end if;
  if p_map_mode = 'geographic' and (p_center_lat is null or p_center_lng is null) then
    perform private.fail('22023', 'errors.center_required', 'center_lat');
  end if;
  if p_map_mode = 'site_plan' and (p_plan_width is null or p_plan_height is null) then
    perform private.fail('22023', 'errors.plan_size_required', 'plan_width');
  end if;
  if exists (select 1 from public.estates where community_id = p_community_id and name = trim(p_name)
             and id is distinct from p_estate_id) then
    perform private.fail('23505', 'errors.estate_name_taken', 'name');
  end if;
  if p_estate_id is null then
    insert into public.estates (community_id, name, address, map_mode, center_lat, center_lng, zoom, plan_width, plan_height)
    values (p_community_id, trim(p_name), nullif(trim(p_address), ''), p_map_mode, p_center_lat, p_center_lng,
      coalesce(p_zoom, 17), p_plan_width, p_plan_height)
    returning id into v_id;
  else
    update public.estates set community_id = p_community_id, name = trim(p_name), address = nullif(trim(p_address), ''),
      map_mode = p_map_mode, center_lat = p_center_lat, center_lng = p_center_lng, zoom = coalesce(p_zoom, 17),
      plan_width = p_plan_width, plan_height = p_plan_height
    where id = p_estate_id returning id into v_id;
    if v_id is null then
      perform private.fail('P0002', 'errors.estate_not_found');
    end if;
  end if;
  return jsonb_build_object('id', v_id);
end
$$;

/** The bounding box of a polygon GeoJSON geometry: [minx, miny, maxx, maxy]. */
create function private.geometry_bounds(g jsonb) returns numeric[]
language sql immutable set search_path = '' as $$
  select array[min((p ->> 0)::numeric), min((p ->> 1)::numeric), max((p ->> 0)::numeric), max((p ->> 1)::numeric)]
  from jsonb_path_query(g, case when g ->> 'type' = 'Polygon' then '$.coordinates[*][*]' else '$.coordinates[*][*][*]' end::jsonpath) p
$$;
grant execute on function private.geometry_bounds(jsonb) to authenticated, service_role;

/**
 * Whether a polygon lies inside the estate's coordinate space: WGS-84 for a
 * geographic estate, the plan's pixels for a site plan. Shared by the import
 * and the area editor.
 */
create function private.geometry_fits_estate(p_estate public.estates, g jsonb) returns boolean
language plpgsql immutable set search_path = '' as $$
declare
  b numeric[] := private.geometry_bounds(g);
begin
  if p_estate.map_mode = 'site_plan' then
    return b[1] >= 0 and b[2] >= 0 and b[3] <= p_estate.plan_width and b[4] <= p_estate.plan_height;
  end if;
  return b[1] >= -180 and b[3] <= 180 and b[2] >= -90 and b[4] <= 90;
end
$$;
grant execute on function private.geometry_fits_estate(public.estates, jsonb) to authenticated, service_role;

/**
 * Imports a GeoJSON FeatureCollection of courtyards, buildings and spaces.
 * Each feature needs properties.name and properties.kind; properties.parent
 * may name a courtyard of the same file or estate. An area with the same kind
 * and name is updated, others are added. Geographic estates take WGS-84
 * [lng, lat]; site-plan estates take plan pixels inside the plan.
 */
create function public.import_areas(p_estate_id uuid, p_collection jsonb) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_estate public.estates;
  v_errors jsonb := '[]'::jsonb;
  v_feature jsonb;
  v_index int := 0;
  v_name text;
  v_kind text;
  v_geom jsonb;
  v_names text[] := '{}';
  v_inserted int := 0;
  v_updated int := 0;
begin
  perform private.require_user();
  select * into v_estate from public.estates where id = p_estate_id;
  if v_estate.id is null or not private.manages_estate(p_estate_id) then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  -- "is distinct from" so that a null collection is refused too, not waved through.
  if jsonb_typeof(p_collection) is distinct from 'object' or (p_collection ->> 'type') is distinct from 'FeatureCollection'
     or jsonb_typeof(p_collection -> 'features') is distinct from 'array' then
    perform private.fail('22023', 'errors.import.not_feature_collection', 'file');
  end if;
  if jsonb_array_length(p_collection -> 'features') = 0 then
    perform private.fail('22023', 'errors.import.empty', 'file');
  end if;

  for v_feature in select * from jsonb_array_elements(p_collection -> 'features') loop
    v_index := v_index + 1;
    v_name := trim(v_feature -> 'properties' ->> 'name');
    v_kind := v_feature -> 'properties' ->> 'kind';
    v_geom := v_feature -> 'geometry';
    if coalesce(v_name, '') = '' or char_length(v_name) > 40 then
      v_errors := v_errors || jsonb_build_object('line', v_index, 'field', 'name', 'key', 'errors.import.area_name');
    elsif v_kind is null or v_kind not in ('courtyard', 'building', 'space') then
      v_errors := v_errors || jsonb_build_object('line', v_index, 'field', 'kind', 'key', 'errors.import.area_kind');
    elsif (v_kind || ':' || v_name) = any(v_names) then
      v_errors := v_errors || jsonb_build_object('line', v_index, 'field', 'name', 'key', 'errors.import.area_duplicate');
    elsif not private.is_polygon_geojson(v_geom) then
      v_errors := v_errors || jsonb_build_object('line', v_index, 'field', 'geometry', 'key', 'errors.import.area_geometry');
    else
      if not private.geometry_fits_estate(v_estate, v_geom) then
        v_errors := v_errors || jsonb_build_object('line', v_index, 'field', 'geometry', 'key', 'errors.import.area_out_of_bounds');
      elsif v_feature -> 'properties' ? 'parent' and v_feature -> 'properties' ->> 'parent' is not null
         and not exists (select 1 from jsonb_array_elements(p_collection -> 'features') f
                         where f -> 'properties' ->> 'kind' = 'courtyard' and trim(f -> 'properties' ->> 'name') = trim(v_feature -> 'properties' ->> 'parent'))
         and not exists (select 1 from public.areas a where a.estate_id = p_estate_id and a.kind = 'courtyard'
                         and a.name = trim(v_feature -> 'properties' ->> 'parent')) then
        v_errors := v_errors || jsonb_build_object('line', v_index, 'field', 'parent', 'key', 'errors.import.area_parent');
      end if;
    end if;
    v_names := v_names || (coalesce(v_kind, '') || ':' || coalesce(v_name, ''));
  end loop;

  if jsonb_array_length(v_errors) > 0 then
    return jsonb_build_object('ok', false, 'errors', v_errors, 'total', v_index);
  end if;

  with incoming as (
    select trim(f -> 'properties' ->> 'name') as name, f -> 'properties' ->> 'kind' as kind, f -> 'geometry' as geometry
    from jsonb_array_elements(p_collection -> 'features') f
  ), updated as (
    update public.areas a set geometry = i.geometry
    from incoming i where a.estate_id = p_estate_id and a.kind = i.kind and a.name = i.name
    returning a.id
  )
  select count(*) into v_updated from updated;

  insert into public.areas (estate_id, kind, name, geometry)
  select p_estate_id, f -> 'properties' ->> 'kind', trim(f -> 'properties' ->> 'name'), f -> 'geometry'
  from jsonb_array_elements(p_collection -> 'features') f
  where not exists (select 1 from public.areas a where a.estate_id = p_estate_id
                    and a.kind = f -> 'properties' ->> 'kind' and a.name = trim(f -> 'properties' ->> 'name'));
  get diagnostics v_inserted = row_count;

  update public.areas a set parent_id = parent.id
  from jsonb_array_elements(p_collection -> 'features') f
  join public.areas parent on parent.estate_id = p_estate_id and parent.kind = 'courtyard'
    and parent.name = trim(f -> 'properties' ->> 'parent')
  where a.estate_id = p_estate_id and a.kind = f -> 'properties' ->> 'kind' and a.name = trim(f -> 'properties' ->> 'name');

  return jsonb_build_object('ok', true, 'inserted', v_inserted, 'updated', v_updated, 'total', v_index);
end
$$;

/** The estate's areas as a GeoJSON FeatureCollection, the format import_areas takes. */
create function public.export_areas(p_estate_id uuid) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('type', 'FeatureCollection', 'features', coalesce(jsonb_agg(jsonb_build_object(
    'type', 'Feature',
    'properties', jsonb_strip_nulls(jsonb_build_object('name', a.name, 'kind', a.kind, 'parent', p.name)),
    'geometry', a.geometry) order by a.kind, a.name), '[]'::jsonb))
  from public.areas a left join public.areas p on p.id = a.parent_id
  where a.estate_id = p_estate_id and a.geometry is not null
$$;

/**
 * Imports the unit register from CSV rows the server has split into fields:
 * [{line, building, entrance, room, floor_area, owners, developer_held}].
 * A unit already in the register (same building, entrance, room) is updated and
 * its owners replaced by the file's; owners are matched by name in the estate.
 * All-or-nothing: any bad line returns every error and writes nothing.
 */
create function public.import_units(p_estate_id uuid, p_rows jsonb) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_errors jsonb;
  v_total int;
  v_inserted int;
  v_updated int;
begin
  perform private.require_user();
  if not exists (select 1 from public.estates where id = p_estate_id) or not private.manages_estate(p_estate_id) then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  if jsonb_typeof(p_rows) is distinct from 'array' or jsonb_array_length(p_rows) = 0 then
    perform private.fail('22023', 'errors.import.empty', 'file');
  end if;
  if jsonb_array_length(p_rows) > 20000 then
    perform private.fail('22023', 'errors.import.too_many_rows', 'file');
  end if;

  create temporary table if not exists pg_temp.unit_import (
    line int, building text, entrance text, room text, floor_area numeric(8, 2), owners text[],
    developer_held boolean, building_id uuid, unit_id uuid, field text, key text
  ) on commit drop;
  truncate pg_temp.unit_import;

  insert into pg_temp.unit_import (line, building, entrance, room, owners, developer_held, building_id, field, key, floor_area)
  select line, building, entrance, room, owners, dev in ('是', 'yes', 'true', '1', 'y'), building_id, field, key,
    case when key is null then fa::numeric end
  from (
    select r.*, a.id as building_id,
      case
        when a.id is null then 'building'
        when coalesce(r.room, '') = '' or char_length(r.room) > 10 then 'room'
        when char_length(r.entrance) > 10 then 'entrance'
        when r.fa !~ '^[0-9]{1,5}(\.[0-9]{1,2})?$' then 'floor_area'
        when r.dev not in ('', '是', '否', 'yes', 'no', 'true', 'false', '1', '0', 'y', 'n') then 'developer_held'
        when exists (select 1 from unnest(r.owners) o where char_length(o) > 40) then 'owners'
        when count(*) over (partition by r.building, r.entrance, upper(r.room)) > 1 then 'room'
      end as field,
      case
        when a.id is null then 'errors.import.unknown_building'
        when coalesce(r.room, '') = '' or char_length(r.room) > 10 then 'errors.import.room'
        when char_length(r.entrance) > 10 then 'errors.import.entrance'
        when r.fa !~ '^[0-9]{1,5}(\.[0-9]{1,2})?$' then 'errors.import.floor_area'
        when r.dev not in ('', '是', '否', 'yes', 'no', 'true', 'false', '1', '0', 'y', 'n') then 'errors.import.developer_held'
        when exists (select 1 from unnest(r.owners) o where char_length(o) > 40) then 'errors.import.owner_name'
        when count(*) over (partition by r.building, r.entrance, upper(r.room)) > 1 then 'errors.import.duplicate_unit'
      end as key
    from (
      select (e ->> 'line')::int as line, trim(e ->> 'building') as building, coalesce(trim(e ->> 'entrance'), '') as entrance,
        trim(e ->> 'room') as room, coalesce(trim(e ->> 'floor_area'), '') as fa,
        lower(coalesce(trim(e ->> 'developer_held'), '')) as dev,
        array(select trim(o) from regexp_split_to_table(coalesce(e ->> 'owners', ''), '[;；、]') o where trim(o) <> '') as owners
      from jsonb_array_elements(p_rows) e
    ) r
    left join public.areas a on a.estate_id = p_estate_id and a.kind = 'building' and a.name = r.building
  ) checked;
  -- A zero floor area passes the pattern but not the table's check.
  update pg_temp.unit_import set field = 'floor_area', key = 'errors.import.floor_area', floor_area = null
  where key is null and floor_area <= 0;

  select count(*), coalesce(jsonb_agg(jsonb_build_object('line', line, 'field', field, 'key', key) order by line)
           filter (where key is not null), '[]'::jsonb)
  into v_total, v_errors from pg_temp.unit_import;
  if jsonb_array_length(v_errors) > 0 then
    return jsonb_build_object('ok', false, 'errors', v_errors, 'total', v_total);
  end if;

  update pg_temp.unit_import i set unit_id = u.id
  from public.units u where u.building_id = i.building_id and u.entrance = i.entrance and upper(u.room) = upper(i.room);
  select count(*) into v_updated from pg_temp.unit_import where unit_id is not null;

  update public.units u set floor_area = i.floor_area, developer_held = i.developer_held
  from pg_temp.unit_import i where u.id = i.unit_id;

  with added as (
    insert into public.units (estate_id, building_id, entrance, room, floor_area, developer_held)
    select p_estate_id, building_id, entrance, room, floor_area, developer_held from pg_temp.unit_import where unit_id is null
    returning id, building_id, entrance, room
  )
  update pg_temp.unit_import i set unit_id = a.id from added a
  where i.unit_id is null and a.building_id = i.building_id and a.entrance = i.entrance and a.room = i.room;
  v_inserted := v_total - v_updated;

  insert into public.owners (estate_id, name)
  select distinct p_estate_id, o from pg_temp.unit_import, unnest(owners) o
  on conflict (estate_id, name) do nothing;

  delete from public.unit_owners uo using pg_temp.unit_import i where uo.unit_id = i.unit_id;
  insert into public.unit_owners (unit_id, owner_id)
  select distinct i.unit_id, o.id from pg_temp.unit_import i, unnest(i.owners) n
  join public.owners o on o.estate_id = p_estate_id and o.name = n;

  return jsonb_build_object('ok', true, 'inserted', v_inserted, 'updated', v_updated, 'total', v_total);
end
$$;

/** The unit register of an estate, paged, for the committee's units page. */
create function public.estate_units(p_estate_id uuid, p_offset integer default 0) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  perform private.require_user();
  if not private.manages_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return jsonb_build_object(
    'total', (select count(*) from public.units where estate_id = p_estate_id),
    'floor_area', (select coalesce(sum(floor_area), 0) from public.units where estate_id = p_estate_id),
    'units', coalesce((select jsonb_agg(x) from (
      select jsonb_build_object('id', u.id, 'building', a.name, 'entrance', u.entrance, 'room', u.room,
        'floor_area', u.floor_area, 'developer_held', u.developer_held,
        'owners', coalesce((select jsonb_agg(o.name order by o.name) from public.unit_owners uo
                            join public.owners o on o.id = uo.owner_id where uo.unit_id = u.id), '[]'::jsonb)) as x
      from public.units u join public.areas a on a.id = u.building_id
      where u.estate_id = p_estate_id
      order by length(a.name), a.name, u.entrance, length(u.room), u.room
      offset greatest(coalesce(p_offset, 0), 0) limit 100) page), '[]'::jsonb)
  );
end
$$;

revoke execute on function public.admin_overview(), public.create_community(text, text),
  public.save_estate(uuid, uuid, text, text, text, numeric, numeric, integer, integer, integer),
  public.import_areas(uuid, jsonb), public.export_areas(uuid), public.import_units(uuid, jsonb),
  public.estate_units(uuid, integer) from public, anon;
grant execute on function public.admin_overview(), public.create_community(text, text),
  public.save_estate(uuid, uuid, text, text, text, numeric, numeric, integer, integer, integer),
  public.import_areas(uuid, jsonb), public.export_areas(uuid), public.import_units(uuid, jsonb),
  public.estate_units(uuid, integer) to authenticated;

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

revoke execute on function public.save_area(uuid, uuid, text, text, uuid, jsonb), public.delete_area(uuid, uuid) from public, anon;
grant execute on function public.save_area(uuid, uuid, text, text, uuid, jsonb), public.delete_area(uuid, uuid) to authenticated;
