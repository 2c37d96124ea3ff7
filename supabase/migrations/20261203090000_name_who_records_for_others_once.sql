-- Who may record an issue for a resident from another channel (hotline, visit,
-- meeting, paper) was written out in the issues policy, in propose_issue and
-- again in the new-issue page. One function now answers it for all three, so
-- the page asks the database instead of repeating the rule.

/** Volunteers, moderators and the committee of an estate record issues for residents who are not in the app. */
create function public.can_record_for_others(p_estate_id uuid) returns boolean
language sql stable set search_path = '' as $$
  select coalesce(p_estate_id = any(private.estates_with_role(array['volunteer', 'moderator', 'committee'])), false)
$$;
revoke all on function public.can_record_for_others(uuid) from public;
grant execute on function public.can_record_for_others(uuid) to authenticated, service_role;

drop policy "Members can raise issues" on public.issues;
/**
 * Verified members raise issues, as themselves, in a courtyard or building of
 * the estate; only those who record for others may use another channel.
 */
create policy "Members can raise issues" on public.issues for insert to authenticated
  with check (author_id = (select auth.uid()) and estate_id = any(private.member_estates())
    and exists (select 1 from public.areas a where a.id = area_id and a.estate_id = issues.estate_id and a.kind in ('courtyard', 'building'))
    and (channel = 'app' or public.can_record_for_others(estate_id)));

create or replace function public.propose_issue(p_estate_id uuid, p_area_id uuid, p_category text, p_title text, p_body text,
  p_point_x numeric default null, p_point_y numeric default null, p_photos jsonb default '[]',
  p_channel text default 'app', p_resident_name text default null, p_resident_contact text default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_area public.areas;
  v_id uuid;
  v_photo jsonb;
  v_pos int := 0;
begin
  if not (p_estate_id = any(private.member_estates())) then
    perform private.fail('42501', 'errors.not_member');
  end if;
  select * into v_area from public.areas where id = p_area_id and estate_id = p_estate_id and kind in ('courtyard', 'building');
  if v_area.id is null then
    perform private.fail('22023', 'errors.area_not_in_estate', 'area_id');
  end if;
  if coalesce(trim(p_title), '') = '' or char_length(trim(p_title)) > 60 then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  if char_length(coalesce(p_body, '')) > 5000 then
    perform private.fail('22023', 'errors.too_long', 'body');
  end if;
  if p_category is null or p_category not in ('facilities', 'greening', 'sanitation', 'parking', 'safety', 'elderly_children', 'dogs', 'renovation', 'other') then
    perform private.fail('22023', 'errors.invalid_choice', 'category');
  end if;
  if (p_point_x is null) <> (p_point_y is null) then
    perform private.fail('22023', 'errors.point_outside_area', 'point');
  end if;
  if p_point_x is not null and (v_area.geometry is null or not private.point_in_geometry(p_point_x, p_point_y, v_area.geometry)) then
    perform private.fail('22023', 'errors.point_outside_area', 'point');
  end if;
  if coalesce(p_channel, 'app') not in ('app', 'hotline', 'visit', 'meeting', 'paper') then
    perform private.fail('22023', 'errors.invalid_choice', 'channel');
  end if;
  if coalesce(p_channel, 'app') <> 'app' then
    if not public.can_record_for_others(p_estate_id) then
      perform private.fail('42501', 'errors.forbidden', 'channel');
    end if;
    if coalesce(trim(p_resident_name), '') = '' or char_length(trim(p_resident_name)) > 40 then
      perform private.fail('22023', 'errors.resident_name_required', 'resident_name');
    end if;
  end if;
  if jsonb_typeof(coalesce(p_photos, '[]')) <> 'array' or jsonb_array_length(coalesce(p_photos, '[]')) > 6 then
    perform private.fail('22023', 'errors.photos_too_many', 'photos');
  end if;

  insert into public.issues (estate_id, area_id, point_x, point_y, category, title, body, channel, author_id)
  values (p_estate_id, p_area_id, p_point_x, p_point_y, p_category, trim(p_title), coalesce(trim(p_body), ''),
    coalesce(p_channel, 'app'), v_uid)
  returning id into v_id;
  if coalesce(p_channel, 'app') <> 'app' then
    insert into public.issue_behalf (issue_id, estate_id, resident_name, resident_contact)
    values (v_id, p_estate_id, trim(p_resident_name), nullif(trim(p_resident_contact), ''));
  end if;
  for v_photo in select * from jsonb_array_elements(coalesce(p_photos, '[]')) loop
    insert into public.issue_photos (issue_id, position, path, thumb_path, width, height)
    values (v_id, v_pos, v_photo ->> 'path', v_photo ->> 'thumb_path', (v_photo ->> 'width')::int, (v_photo ->> 'height')::int);
    v_pos := v_pos + 1;
  end loop;
  return jsonb_build_object('id', v_id);
end
$$;
