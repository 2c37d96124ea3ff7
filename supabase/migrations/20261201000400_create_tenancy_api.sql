-- ============================================================================
-- Tenancy API: the SQL functions the app (and supabase-js) call for estates,
-- memberships, roles and the unit lookup of the join form. Security invoker:
-- the tables' policies decide.
-- ============================================================================

/** A readable label for a unit: 3栋 2单元 501. */
create function private.unit_label(p_unit_id uuid) returns text
language sql stable set search_path = '' as $$
  select a.name || case when u.entrance <> '' then ' ' || u.entrance || '单元' else '' end || ' ' || u.room
  from public.units u join public.areas a on a.id = u.building_id where u.id = p_unit_id
$$;
grant execute on function private.unit_label(uuid) to authenticated, service_role;

/**
 * Aggregate numbers of an estate for its members' home page. Security definer:
 * members may not read each other's memberships, but may know how many there
 * are; anyone else gets null.
 */
create function private.estate_numbers(p_estate_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case when p_estate_id = any(private.member_estates()) or private.is_admin() then jsonb_build_object(
    'courtyards', (select count(*) from public.areas where estate_id = p_estate_id and kind = 'courtyard'),
    'buildings', (select count(*) from public.areas where estate_id = p_estate_id and kind = 'building'),
    'units', (select count(*) from public.units where estate_id = p_estate_id),
    'floor_area', (select coalesce(sum(floor_area), 0) from public.units where estate_id = p_estate_id),
    'members', (select count(*) from public.memberships where estate_id = p_estate_id and status = 'verified'),
    'pending', (select count(*) from public.memberships where estate_id = p_estate_id and status = 'pending')
  ) end
$$;
revoke all on function private.estate_numbers(uuid) from public;
grant execute on function private.estate_numbers(uuid) to authenticated, service_role;

/**
 * Who the caller is: profile and memberships, for the navigation and the role
 * checks of the app. Null for anon. plpgsql on purpose: `p.id = auth.uid()`
 * could not use the primary key, because auth.uid() inlines to a
 * non-leakproof expression and the profiles policy must run first; a
 * variable is a plain parameter, so it can.
 */
create or replace function public.my_context() returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
begin
  -- anon may not even name schema private, so return before any statement does.
  if v_uid is null then
    return null;
  end if;
  return (select jsonb_build_object(
    'user_id', p.id,
    'display_name', p.display_name,
    'locale', p.locale,
    'is_admin', p.is_admin,
    'memberships', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', m.id, 'estate_id', m.estate_id, 'estate_name', e.name, 'status', m.status,
        'roles', to_jsonb(m.roles), 'reason', m.reason, 'unit', private.unit_label(m.unit_id),
        'unit_note', m.unit_note, 'decided_at', m.decided_at
      ) order by m.created_at)
      from public.memberships m join public.estates e on e.id = m.estate_id
      where m.user_id = v_uid), '[]'::jsonb)
  ) from public.profiles p where p.id = v_uid);
end
$$;

/** Every estate with its community, for the estate finder. Public. */
create function public.list_estates() returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
    'id', e.id, 'name', e.name, 'address', e.address, 'community', c.name, 'community_id', c.id,
    'district', c.district, 'map_mode', e.map_mode
  ) order by c.name, e.name), '[]'::jsonb)
  from public.estates e join public.communities c on c.id = e.community_id
$$;

/**
 * The estate home: the estate, its map outline, and — for its verified members
 * and administrators — its numbers. Raises P0002 for an unknown estate.
 */
create function public.estate_home(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_estate jsonb;
  v_home jsonb;
  v_member boolean := false;
begin
  -- anon may not name schema private, so only signed-in callers reach the check.
  if auth.uid() is not null then
    v_member := p_estate_id = any(private.member_estates()) or private.is_admin();
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
    'numbers', null
  );
  if v_member then
    v_home := v_home || jsonb_build_object('numbers', private.estate_numbers(p_estate_id));
  end if;
  return v_home;
end
$$;

/** The buildings of an estate, for the "which unit is yours" form. Public. */
create function public.estate_buildings(p_estate_id uuid) returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'name', a.name) order by length(a.name), a.name), '[]'::jsonb)
  from public.areas a where a.estate_id = p_estate_id and a.kind = 'building'
$$;

/**
 * Asks to join an estate, naming the unit by building, entrance and room. A
 * unit missing from the register is kept as a note for the committee. A
 * rejected person may ask again; a pending or verified one may not.
 */
create function public.request_membership(p_estate_id uuid, p_building_id uuid, p_entrance text, p_room text,
  p_claims_owner boolean default false) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_unit uuid;
  v_existing public.memberships;
  v_id uuid;
begin
  if not exists (select 1 from public.estates where id = p_estate_id) then
    perform private.fail('P0002', 'errors.estate_not_found', 'estate_id');
  end if;
  if not exists (select 1 from public.areas where id = p_building_id and estate_id = p_estate_id and kind = 'building') then
    perform private.fail('22023', 'errors.building_not_in_estate', 'building_id');
  end if;
  if coalesce(trim(p_room), '') = '' or char_length(p_room) > 10 or char_length(coalesce(p_entrance, '')) > 10 then
    perform private.fail('22023', 'errors.room_invalid', 'room');
  end if;
  select id into v_unit from public.units
  where building_id = p_building_id and entrance = coalesce(trim(p_entrance), '') and upper(room) = upper(trim(p_room));

  select * into v_existing from public.memberships where estate_id = p_estate_id and user_id = v_uid;
  if v_existing.status in ('pending', 'verified') then
    perform private.fail('23505', 'errors.membership_exists');
  end if;
  if v_existing.id is not null then
    delete from public.memberships where id = v_existing.id;
  end if;
  insert into public.memberships (estate_id, user_id, unit_id, unit_note, claims_owner)
  values (p_estate_id, v_uid, v_unit,
    case when v_unit is null then
      (select name from public.areas where id = p_building_id) || ' ' || coalesce(nullif(trim(p_entrance), '') || '单元 ', '') || trim(p_room)
    end,
    coalesce(p_claims_owner, false))
  returning id into v_id;
  return jsonb_build_object('id', v_id, 'status', 'pending', 'unit_found', v_unit is not null);
end
$$;

/** Leaves an estate or withdraws a pending request. */
create function public.leave_estate(p_estate_id uuid) returns void
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
begin
  delete from public.memberships where estate_id = p_estate_id and user_id = v_uid;
  if not found then
    perform private.fail('P0002', 'errors.membership_not_found');
  end if;
end
$$;

/** The committee's members page: the pending queue and the verified members with their roles. */
/* Beside each verified member with a unit: the owners the unit register names
 * for it, so that the committee can link the member to their owner record
 * (link_owner) after checking their papers. */
create function public.estate_members(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  if not private.manages_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return jsonb_build_object(
    'pending', coalesce((select jsonb_agg(jsonb_build_object(
        'id', m.id, 'name', p.display_name, 'unit', private.unit_label(m.unit_id), 'unit_note', m.unit_note,
        'claims_owner', m.claims_owner, 'created_at', m.created_at) order by m.created_at)
      from public.memberships m join public.profiles p on p.id = m.user_id
      where m.estate_id = p_estate_id and m.status = 'pending'), '[]'::jsonb),
    'members', coalesce((select jsonb_agg(jsonb_build_object(
        'id', m.id, 'user_id', m.user_id, 'name', p.display_name, 'unit', private.unit_label(m.unit_id),
        'roles', to_jsonb(m.roles), 'decided_at', m.decided_at,
        -- The owner record this member is linked to, wherever its units are.
        'owner', (select jsonb_build_object('id', o.id, 'name', o.name) from public.owners o
                  where o.estate_id = p_estate_id and o.user_id = m.user_id limit 1),
        -- The owners the register names for the member's own unit, to choose from.
        'unit_owners', coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name,
              'taken', o.user_id is not null and o.user_id <> m.user_id) order by o.name)
            from public.unit_owners uo join public.owners o on o.id = uo.owner_id
            where uo.unit_id = m.unit_id and not o.is_developer), '[]'::jsonb)
      ) order by p.display_name)
      from public.memberships m join public.profiles p on p.id = m.user_id
      where m.estate_id = p_estate_id and m.status = 'verified'), '[]'::jsonb),
    'units', (select count(*) from public.units where estate_id = p_estate_id),
    'can_grant', case when private.is_admin()
      then '["owner","volunteer","moderator","committee","party_member"]'::jsonb
      else '["owner","volunteer","moderator"]'::jsonb end
  );
end
$$;

/**
 * Verifies or rejects a pending request. Rejection needs a reason, which the
 * person sees. Verifying an applicant who says they own a registered unit
 * does not make them an owner: the committee grants that after checking.
 */
create function public.decide_membership(p_membership_id uuid, p_verify boolean, p_reason text default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_m public.memberships;
begin
  select * into v_m from public.memberships where id = p_membership_id for update;
  if v_m.id is null or not private.manages_estate(v_m.estate_id) then
    perform private.fail('P0002', 'errors.membership_not_found');
  end if;
  if v_m.status <> 'pending' then
    perform private.fail('22023', 'errors.membership_not_pending');
  end if;
  if not p_verify and coalesce(trim(p_reason), '') = '' then
    perform private.fail('22023', 'errors.reason_required', 'reason');
  end if;
  update public.memberships
  set status = case when p_verify then 'verified' else 'rejected' end,
      reason = nullif(trim(p_reason), ''), decided_by = v_uid, decided_at = now()
  where id = p_membership_id;
  return jsonb_build_object('id', p_membership_id, 'status', case when p_verify then 'verified' else 'rejected' end);
end
$$;

/** Replaces a verified member's roles. The trigger on memberships limits what a committee member may grant. */
create function public.set_member_roles(p_membership_id uuid, p_roles text[]) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_m public.memberships;
begin
  perform private.require_user();
  select * into v_m from public.memberships where id = p_membership_id for update;
  if v_m.id is null or not private.manages_estate(v_m.estate_id) then
    perform private.fail('P0002', 'errors.membership_not_found');
  end if;
  if v_m.status <> 'verified' then
    perform private.fail('22023', 'errors.membership_not_verified');
  end if;
  if not coalesce(p_roles, '{}') <@ array['owner', 'volunteer', 'moderator', 'committee', 'party_member'] then
    perform private.fail('22023', 'errors.role_unknown', 'roles');
  end if;
  update public.memberships set roles = array(select distinct r from unnest(coalesce(p_roles, '{}')) r order by r)
  where id = p_membership_id;
  return jsonb_build_object('id', p_membership_id, 'roles', (select to_jsonb(roles) from public.memberships where id = p_membership_id));
end
$$;

/**
 * Whether an account was created by a committee member (an assisted account)
 * and belongs to no estate yet. Security definer: auth.users is not readable
 * by signed-in users, and this answers yes/no about one account only.
 */
create function private.is_unenrolled_assisted_account(p_user_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from auth.users u where u.id = p_user_id and u.raw_app_meta_data ->> 'provider' = 'assisted')
    and not exists (select 1 from public.memberships m where m.user_id = p_user_id)
$$;
revoke all on function private.is_unenrolled_assisted_account(uuid) from public;
grant execute on function private.is_unenrolled_assisted_account(uuid) to authenticated, service_role;

/**
 * Enrols a person the committee created an account for, as a verified member
 * of a unit. Only a fresh assisted account: anyone else asks to join themself.
 */
create function public.enrol_member(p_estate_id uuid, p_user_id uuid, p_unit_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_id uuid;
begin
  if not private.manages_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if not private.is_unenrolled_assisted_account(p_user_id) then
    perform private.fail('42501', 'errors.not_assisted_account');
  end if;
  if p_unit_id is not null and not exists (select 1 from public.units where id = p_unit_id and estate_id = p_estate_id) then
    perform private.fail('22023', 'errors.unit_not_in_estate', 'unit_id');
  end if;
  insert into public.memberships (estate_id, user_id, unit_id, status, decided_by, decided_at)
  values (p_estate_id, p_user_id, p_unit_id, 'verified', v_uid, now())
  returning id into v_id;
  return jsonb_build_object('id', v_id);
end
$$;

/** Changes the caller's display name and language. */
create function public.update_my_profile(p_display_name text, p_locale text) returns void
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
begin
  if coalesce(trim(p_display_name), '') = '' or char_length(p_display_name) > 40 then
    perform private.fail('22023', 'errors.name_invalid', 'display_name');
  end if;
  if p_locale not in ('zh-CN', 'en') then
    perform private.fail('22023', 'errors.locale_invalid', 'locale');
  end if;
  update public.profiles set display_name = trim(p_display_name), locale = p_locale where id = v_uid;
end
$$;

revoke execute on function public.my_context(), public.list_estates(), public.estate_home(uuid),
  public.estate_buildings(uuid), public.request_membership(uuid, uuid, text, text, boolean),
  public.leave_estate(uuid), public.estate_members(uuid), public.decide_membership(uuid, boolean, text),
  public.set_member_roles(uuid, text[]), public.enrol_member(uuid, uuid, uuid),
  public.update_my_profile(text, text) from public, anon;
grant execute on function public.my_context(), public.list_estates(), public.estate_home(uuid),
  public.estate_buildings(uuid) to anon;
grant execute on function public.my_context(), public.list_estates(), public.estate_home(uuid),
  public.estate_buildings(uuid), public.request_membership(uuid, uuid, text, text, boolean),
  public.leave_estate(uuid), public.estate_members(uuid), public.decide_membership(uuid, boolean, text),
  public.set_member_roles(uuid, text[]), public.enrol_member(uuid, uuid, uuid),
  public.update_my_profile(text, text) to authenticated;

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
