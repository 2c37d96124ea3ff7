-- ============================================================================
-- The unit register import lists every problem of a line. import_units named
-- the first problem it found on each line, so a committee member fixing a file
-- line by line met the next problem of the same line only on the next upload.
-- Now each line is checked for all of them: building, room, entrance, floor
-- area, developer flag, owner names, and (for a good room) a duplicate unit.
-- The checks live in private.import_units, the definer half that the
-- register guard (guard_register_during_votes) gave public.import_units.
-- ============================================================================

/**
 * Imports the unit register from CSV rows the server has split into fields:
 * [{line, building, entrance, room, floor_area, owners, developer_held}].
 * A unit already in the register (same building, entrance, room) is updated and
 * its owners replaced by the file's; owners are matched by name in the estate.
 * All-or-nothing: any bad line returns every problem of every line, in line
 * order and, within a line, in the order of the columns, and writes nothing.
 */
create or replace function private.import_units(p_estate_id uuid, p_rows jsonb) returns jsonb
language plpgsql security definer set search_path = '' as $$
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

  create temporary table if not exists pg_temp.unit_import_rows (
    line int, building text, entrance text, room text, floor_area numeric(8, 2), owners text[],
    developer_held boolean, building_id uuid, unit_id uuid, problems jsonb
  ) on commit drop;
  truncate pg_temp.unit_import_rows;

  insert into pg_temp.unit_import_rows (line, building, entrance, room, owners, developer_held, building_id, problems, floor_area)
  select c.line, c.building, c.entrance, c.room, c.owners, c.dev in ('是', 'yes', 'true', '1', 'y'), c.building_id, p.problems,
    case when p.problems = '[]'::jsonb then c.area end
  from (
    select r.*, a.id as building_id,
      case when r.fa ~ '^[0-9]{1,5}(\.[0-9]{1,2})?$' then r.fa::numeric end as area,
      coalesce(r.room, '') = '' or char_length(r.room) > 10 as bad_room,
      count(*) over (partition by r.building, r.entrance, upper(r.room)) as same_unit
    from (
      select (e ->> 'line')::int as line, trim(e ->> 'building') as building, coalesce(trim(e ->> 'entrance'), '') as entrance,
        trim(e ->> 'room') as room, coalesce(trim(e ->> 'floor_area'), '') as fa,
        lower(coalesce(trim(e ->> 'developer_held'), '')) as dev,
        array(select distinct trim(o) from regexp_split_to_table(coalesce(e ->> 'owners', ''), '[;；、]') o where trim(o) <> '') as owners
      from jsonb_array_elements(p_rows) e
    ) r
    left join public.areas a on a.estate_id = p_estate_id and a.kind = 'building' and a.name = r.building
  ) c
  cross join lateral (
    select coalesce(jsonb_agg(jsonb_build_object('field', v.field, 'key', v.key) order by v.n), '[]'::jsonb) as problems
    from (values
      (1, 'building', case when c.building_id is null then 'errors.import.unknown_building' end),
      (2, 'room', case when c.bad_room then 'errors.import.room' end),
      (3, 'entrance', case when char_length(c.entrance) > 10 then 'errors.import.entrance' end),
      -- A zero floor area passes the pattern but not the table's check.
      (4, 'floor_area', case when c.area is null or c.area <= 0 then 'errors.import.floor_area' end),
      (5, 'developer_held', case when c.dev not in ('', '是', '否', 'yes', 'no', 'true', 'false', '1', '0', 'y', 'n') then 'errors.import.developer_held' end),
      (6, 'owners', case when exists (select 1 from unnest(c.owners) o where char_length(o) > 40) then 'errors.import.owner_name' end),
      (7, 'room', case when not c.bad_room and c.same_unit > 1 then 'errors.import.duplicate_unit' end)
    ) v(n, field, key)
    where v.key is not null
  ) p;

  select count(*) into v_total from pg_temp.unit_import_rows;
  select coalesce(jsonb_agg(jsonb_build_object('line', i.line) || p.e order by i.line, p.n), '[]'::jsonb) into v_errors
  from pg_temp.unit_import_rows i, jsonb_array_elements(i.problems) with ordinality p(e, n);
  if jsonb_array_length(v_errors) > 0 then
    return jsonb_build_object('ok', false, 'errors', v_errors, 'total', v_total);
  end if;

  update pg_temp.unit_import_rows i set unit_id = u.id
  from public.units u where u.building_id = i.building_id and u.entrance = i.entrance and upper(u.room) = upper(i.room);
  select count(*) into v_updated from pg_temp.unit_import_rows where unit_id is not null;

  update public.units u set floor_area = i.floor_area, developer_held = i.developer_held
  from pg_temp.unit_import_rows i
  where u.id = i.unit_id and (u.floor_area, u.developer_held) is distinct from (i.floor_area, i.developer_held);

  with added as (
    insert into public.units (estate_id, building_id, entrance, room, floor_area, developer_held)
    select p_estate_id, building_id, entrance, room, floor_area, developer_held from pg_temp.unit_import_rows where unit_id is null
    returning id, building_id, entrance, room
  )
  update pg_temp.unit_import_rows i set unit_id = a.id from added a
  where i.unit_id is null and a.building_id = i.building_id and a.entrance = i.entrance and a.room = i.room;
  v_inserted := v_total - v_updated;

  insert into public.owners (estate_id, name)
  select distinct p_estate_id, o from pg_temp.unit_import_rows, unnest(owners) o
  on conflict (estate_id, name) do nothing;

  -- A unit's owners become the file's: links the file does not name go, the missing ones come.
  delete from public.unit_owners uo using pg_temp.unit_import_rows i, public.owners o
  where uo.unit_id = i.unit_id and o.id = uo.owner_id and not (o.name = any(i.owners));
  insert into public.unit_owners (unit_id, owner_id)
  select distinct i.unit_id, o.id from pg_temp.unit_import_rows i, unnest(i.owners) n
  join public.owners o on o.estate_id = p_estate_id and o.name = n
  where not exists (select 1 from public.unit_owners uo where uo.unit_id = i.unit_id and uo.owner_id = o.id);

  return jsonb_build_object('ok', true, 'inserted', v_inserted, 'updated', v_updated, 'total', v_total);
end
$$;