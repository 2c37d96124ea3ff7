-- The new-issue page asked can_record_for_others in a call of its own, beside
-- the estate layout's estate_home. The layout's answer now carries it, so the
-- page makes no extra trip to the database.

create or replace function public.estate_home(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_estate jsonb;
  v_home jsonb;
  v_member boolean := false;
  v_records boolean := false;
begin
  -- anon may not name schema private, so only signed-in callers reach the check.
  if auth.uid() is not null then
    v_member := p_estate_id = any(private.member_estates()) or private.is_admin();
    v_records := public.can_record_for_others(p_estate_id);
  end if;
  select jsonb_build_object(
    'id', e.id, 'name', e.name, 'address', e.address, 'community', c.name, 'community_id', c.id,
    'map_mode', e.map_mode, 'center', case when e.center_lat is null then null else jsonb_build_array(e.center_lat, e.center_lng) end,
    'zoom', e.zoom, 'plan_image', e.plan_image, 'plan_size',
    case when e.plan_width is null then null else jsonb_build_array(e.plan_width, e.plan_height) end
  ) into v_estate
  from public.estates e join public.communities c on c.id = e.community_id where e.id = p_estate_id;
  if v_estate is null then
    raise exception using errcode = 'P0002', message = 'errors.estate_not_found', detail = '';
  end if;
  v_home := jsonb_build_object(
    'estate', v_estate,
    'areas', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'kind', a.kind, 'name', a.name,
        'parent_id', a.parent_id, 'geometry', a.geometry) order by a.kind, a.name)
      from public.areas a where a.estate_id = p_estate_id), '[]'::jsonb),
    'is_member', v_member,
    -- Whether the caller may record an issue for a resident from another channel (hotline, visit, meeting, paper).
    'records_for_others', v_records,
    'numbers', null
  );
  if v_member then
    v_home := v_home || jsonb_build_object('numbers', private.estate_numbers(p_estate_id));
  end if;
  return v_home;
end
$$;
