-- ============================================================================
-- Memberships change only through the functions. A committee member could
-- insert into memberships directly and make anyone a verified member of the
-- estate, bypassing enrol_member's rule that only fresh assisted accounts may
-- be enrolled; the table now has no write grant, and each membership function
-- writes through a private definer half that checks who is asking (the same
-- checks as before), under the trigger that limits which roles a committee
-- member may grant -- which now runs for every signed-in caller, not only
-- for direct table writes.
-- Also: two requests to join sent at once answer errors.membership_exists,
-- not the unique constraint's raw message.
-- ============================================================================

revoke insert, update, delete on public.memberships from authenticated;
drop policy "People can ask to join and managers can enrol" on public.memberships;
drop policy "Estate managers can change memberships" on public.memberships;
drop policy "People can leave and managers can remove" on public.memberships;

/**
 * Enforces who may set which roles and statuses on a membership, and who may
 * remove one (see create_tenancy). It applies to every change a signed-in
 * person makes, through whichever function; only writes with no user behind
 * them (the demo seed, maintenance) pass unchecked.
 */
create or replace function private.check_membership_change() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_changed text[];
begin
  if auth.uid() is null and current_user not in ('authenticated', 'anon') then
    return coalesce(new, old);
  end if;
  -- Handing a membership to another person or estate would hand over its roles and standing with it.
  if tg_op = 'UPDATE' and (new.user_id <> old.user_id or new.estate_id <> old.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if tg_op <> 'DELETE' and new.unit_id is not null and new.unit_id is distinct from old.unit_id
     and not exists (select 1 from public.units u where u.id = new.unit_id and u.estate_id = new.estate_id) then
    perform private.fail('23514', 'errors.unit_not_in_estate', 'unit_id');
  end if;
  if private.is_admin() then
    return coalesce(new, old);
  end if;
  -- Rejecting or removing a holder of a role only administrators grant would take that role away;
  -- the holder may still leave.
  if tg_op <> 'INSERT' and old.roles && array['committee', 'party_member']
     and ((tg_op = 'DELETE' and old.user_id <> auth.uid()) or (tg_op = 'UPDATE' and new.status <> old.status)) then
    perform private.fail('42501', 'errors.role_not_grantable', 'roles');
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  if tg_op = 'INSERT' and new.user_id = auth.uid() and not private.manages_estate(new.estate_id) then
    if new.status <> 'pending' or new.roles <> '{}' or new.decided_by is not null then
      perform private.fail('42501', 'errors.forbidden');
    end if;
    return new;
  end if;
  v_changed := array(
    select r from unnest(new.roles) r where r <> all(coalesce(old.roles, '{}'))
    union
    select r from unnest(coalesce(old.roles, '{}')) r where r <> all(new.roles)
  );
  -- Committee members verify households (owner) and grant volunteer and moderator; other roles are the administrators'.
  if not v_changed <@ array['volunteer', 'moderator', 'owner'] then
    perform private.fail('42501', 'errors.role_not_grantable', 'roles');
  end if;
  if tg_op = 'UPDATE' and new.user_id = auth.uid() and v_changed <> '{}' then
    perform private.fail('42501', 'errors.role_not_grantable', 'roles');
  end if;
  return new;
end
$$;

-- The functions below are the bodies of create_tenancy_api's, moved into schema
-- private as security definer (memberships have no write grant) and checking
-- the caller exactly as before; the public functions call them.

/** Asks to join an estate for the caller (see public.request_membership). */
create function private.request_membership(p_estate_id uuid, p_building_id uuid, p_entrance text, p_room text,
  p_claims_owner boolean) returns jsonb
language plpgsql security definer set search_path = '' as $$
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

  select * into v_existing from public.memberships where estate_id = p_estate_id and user_id = v_uid for update;
  if v_existing.status in ('pending', 'verified') then
    perform private.fail('23505', 'errors.membership_exists');
  end if;
  if v_existing.id is not null then
    delete from public.memberships where id = v_existing.id;
  end if;
  begin
    insert into public.memberships (estate_id, user_id, unit_id, unit_note, claims_owner)
    values (p_estate_id, v_uid, v_unit,
      case when v_unit is null then
        (select name from public.areas where id = p_building_id) || ' ' || coalesce(nullif(trim(p_entrance), '') || '单元 ', '') || trim(p_room)
      end,
      coalesce(p_claims_owner, false))
    returning id into v_id;
  exception when unique_violation then
    -- Another request of the same person got in first (two taps, two tabs): it is the one that counts.
    perform private.fail('23505', 'errors.membership_exists');
  end;
  return jsonb_build_object('id', v_id, 'status', 'pending', 'unit_found', v_unit is not null);
end
$$;

/** Leaves an estate or withdraws a pending request, for the caller. */
create function private.leave_estate(p_estate_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
begin
  delete from public.memberships where estate_id = p_estate_id and user_id = v_uid;
  if not found then
    perform private.fail('P0002', 'errors.membership_not_found');
  end if;
end
$$;

/** Verifies or rejects a pending request; the caller must manage its estate (see public.decide_membership). */
create function private.decide_membership(p_membership_id uuid, p_verify boolean, p_reason text) returns jsonb
language plpgsql security definer set search_path = '' as $$
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
  if char_length(coalesce(trim(p_reason), '')) > 200 then
    perform private.fail('22023', 'errors.too_long', 'reason');
  end if;
  update public.memberships
  set status = case when p_verify then 'verified' else 'rejected' end,
      reason = nullif(trim(p_reason), ''), decided_by = v_uid, decided_at = now()
  where id = p_membership_id;
  return jsonb_build_object('id', p_membership_id, 'status', case when p_verify then 'verified' else 'rejected' end);
end
$$;

/** Replaces a verified member's roles; the caller must manage its estate, the trigger limits what they may grant. */
create function private.set_member_roles(p_membership_id uuid, p_roles text[]) returns jsonb
language plpgsql security definer set search_path = '' as $$
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

/** Enrols a fresh assisted account as a verified member; the caller must manage the estate (see public.enrol_member). */
create function private.enrol_member(p_estate_id uuid, p_user_id uuid, p_unit_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
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

revoke all on function private.request_membership(uuid, uuid, text, text, boolean), private.leave_estate(uuid),
  private.decide_membership(uuid, boolean, text), private.set_member_roles(uuid, text[]),
  private.enrol_member(uuid, uuid, uuid) from public;
grant execute on function private.request_membership(uuid, uuid, text, text, boolean), private.leave_estate(uuid),
  private.decide_membership(uuid, boolean, text), private.set_member_roles(uuid, text[]),
  private.enrol_member(uuid, uuid, uuid) to authenticated, service_role;
-- Only enrol_member asks this now, from inside a definer function.
revoke execute on function private.is_unenrolled_assisted_account(uuid) from authenticated;

/**
 * Asks to join an estate, naming the unit by building, entrance and room. A
 * unit missing from the register is kept as a note for the committee. A
 * rejected person may ask again; a pending or verified one may not.
 */
create or replace function public.request_membership(p_estate_id uuid, p_building_id uuid, p_entrance text, p_room text,
  p_claims_owner boolean default false) returns jsonb
language sql set search_path = '' as $$
  select private.request_membership(p_estate_id, p_building_id, p_entrance, p_room, p_claims_owner)
$$;

/** Leaves an estate or withdraws a pending request. */
create or replace function public.leave_estate(p_estate_id uuid) returns void
language sql set search_path = '' as $$
  select private.leave_estate(p_estate_id)
$$;

/**
 * Verifies or rejects a pending request. Rejection needs a reason, which the
 * person sees. Verifying an applicant who says they own a registered unit
 * does not make them an owner: the committee grants that after checking.
 */
create or replace function public.decide_membership(p_membership_id uuid, p_verify boolean, p_reason text default null) returns jsonb
language sql set search_path = '' as $$
  select private.decide_membership(p_membership_id, p_verify, p_reason)
$$;

/** Replaces a verified member's roles. The trigger on memberships limits what a committee member may grant. */
create or replace function public.set_member_roles(p_membership_id uuid, p_roles text[]) returns jsonb
language sql set search_path = '' as $$
  select private.set_member_roles(p_membership_id, p_roles)
$$;

/**
 * Enrols a person the committee created an account for, as a verified member
 * of a unit. Only a fresh assisted account: anyone else asks to join themself.
 */
create or replace function public.enrol_member(p_estate_id uuid, p_user_id uuid, p_unit_id uuid) returns jsonb
language sql set search_path = '' as $$
  select private.enrol_member(p_estate_id, p_user_id, p_unit_id)
$$;
