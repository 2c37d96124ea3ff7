-- ============================================================================
-- Attendance at a meeting (issue #13): residents register ahead and check
-- themselves in at the door with the meeting's six-digit code (typed, or
-- scanned from the door poster's QR code); a moderator checks in people from
-- the list, including someone without an account (a name and a unit), and
-- checks people out. A proxy (委托) is recorded by a moderator with the
-- absent person, its holder (someone of the meeting's attendance) and the
-- photo of the signed letter; a holder holds at most the meeting's
-- max_proxies live proxies (the holder's row lock orders two recordings at
-- once), and a proxy counts only while its holder is checked in and has not
-- checked out (meeting_quorum, in the next migration).
--
-- Nobody writes the tables directly: the definers below check who is asking.
-- ============================================================================

/** Check-in by code is open from two hours before the start until the end of a meeting that is neither closed nor cancelled. */
create function private.check_in_open(p_meeting public.meetings) returns boolean
language sql stable set search_path = '' as $$
  select p_meeting.status in ('scheduled', 'in_session')
    and now() >= p_meeting.starts_at - interval '2 hours' and now() < p_meeting.ends_at
$$;

/** A unit of the estate, or null when none was given; refuses a unit of another estate. */
create function private.estate_unit(p_estate_id uuid, p_unit_id uuid, p_field text) returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  if p_unit_id is not null and not exists (select 1 from public.units u where u.id = p_unit_id and u.estate_id = p_estate_id) then
    perform private.fail('22023', 'errors.unit_not_in_estate', p_field);
  end if;
  return p_unit_id;
end
$$;

/**
 * Registers the caller for a scheduled meeting they may attend (open: a
 * verified member; invited or representatives: on the list). Registering
 * twice is one registration. Security definer: attendance has no insert grant.
 */
create function private.register_for_meeting(p_meeting_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  m public.meetings := private.meeting_for_change(p_meeting_id);
  v_id uuid;
begin
  if m.status <> 'scheduled' then
    perform private.fail('22023', 'errors.meeting_not_scheduled');
  end if;
  if not private.may_attend(m, v_uid) then
    perform private.fail('42501', case when m.estate_id = any(private.member_estates()) then 'errors.meeting_not_invited' else 'errors.not_member' end);
  end if;
  insert into public.meeting_attendance as a (meeting_id, user_id, registered_at)
  values (m.id, v_uid, now())
  on conflict (meeting_id, user_id) where user_id is not null do update set registered_at = coalesce(a.registered_at, excluded.registered_at)
  returning id into v_id;
  perform private.log_meeting_event(m.id, 'registered', null, null, jsonb_build_object('attendance_id', v_id));
  return jsonb_build_object('id', v_id);
end
$$;

/** Withdraws the caller's registration for a scheduled meeting (not a check-in). Security definer: as registering. */
create function private.unregister_from_meeting(p_meeting_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  m public.meetings := private.meeting_for_change(p_meeting_id);
  a public.meeting_attendance;
begin
  select * into a from public.meeting_attendance where meeting_id = m.id and user_id = v_uid for update;
  if a.id is null or a.registered_at is null then
    perform private.fail('P0002', 'errors.meeting_not_registered');
  end if;
  if a.checked_in_at is not null or exists (select 1 from public.meeting_proxies p where p.holder_id = a.id) then
    update public.meeting_attendance set registered_at = null where id = a.id;
  else
    delete from public.meeting_attendance where id = a.id;
  end if;
  perform private.log_meeting_event(m.id, 'unregistered', null, null, jsonb_build_object('attendance_id', a.id));
  return jsonb_build_object('id', a.id);
end
$$;

/**
 * Writes a check-in of an attendance row, or of a person (with an account,
 * or a name and unit), under the meeting's lock: a check-in twice is one,
 * and someone who checked out and comes back is checked in again.
 */
create function private.write_check_in(m public.meetings, p_user_id uuid, p_name text, p_unit_id uuid, p_by uuid) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid;
begin
  if p_user_id is not null then
    insert into public.meeting_attendance as a (meeting_id, user_id, unit_id, checked_in_at, checked_in_by)
    values (m.id, p_user_id, p_unit_id, now(), p_by)
    on conflict (meeting_id, user_id) where user_id is not null do update
      set checked_in_at = case when a.checked_in_at is null or a.checked_out_at is not null then now() else a.checked_in_at end,
          checked_in_by = case when a.checked_in_at is null or a.checked_out_at is not null then excluded.checked_in_by else a.checked_in_by end,
          checked_out_at = null, unit_id = coalesce(excluded.unit_id, a.unit_id)
    returning id into v_id;
  else
    insert into public.meeting_attendance (meeting_id, name, unit_id, checked_in_at, checked_in_by)
    values (m.id, p_name, p_unit_id, now(), p_by) returning id into v_id;
  end if;
  perform private.log_meeting_event(m.id, 'checked_in', null, null, jsonb_build_object('attendance_id', v_id, 'by_moderator', p_by is not null));
  return v_id;
end
$$;

/**
 * The caller checks themself in with the meeting's code, at the door, from
 * two hours before the start until the end; they must be allowed to attend.
 * (The server limits wrong guesses: a refusal here rolls back whatever it wrote.)
 * Security definer: attendance has no write grant.
 */
create function private.check_in_by_code(p_meeting_id uuid, p_code text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  m public.meetings := private.meeting_for_change(p_meeting_id);
begin
  if not private.may_attend(m, v_uid) then
    perform private.fail('42501', case when m.estate_id = any(private.member_estates()) then 'errors.meeting_not_invited' else 'errors.not_member' end);
  end if;
  if not private.check_in_open(m) then
    perform private.fail('22023', 'errors.check_in_closed', 'code');
  end if;
  if coalesce(trim(p_code), '') !~ '^[0-9]{6}$' or trim(p_code) <> m.checkin_code then
    perform private.fail('22023', 'errors.checkin_code_wrong', 'code');
  end if;
  return jsonb_build_object('id', private.write_check_in(m, v_uid, null, null, null));
end
$$;

/**
 * A moderator checks someone in at the door: an attendance row of the
 * meeting (someone registered, or back after checking out), a verified
 * member of the estate, or a person without an account by name and unit.
 * While the meeting is scheduled or in session. Security definer: as above.
 */
create function private.check_in_attendee(p_meeting_id uuid, p_attendance_id uuid, p_user_id uuid, p_name text, p_unit_id uuid)
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  m public.meetings := private.meeting_for_change(p_meeting_id);
  a public.meeting_attendance;
  v_unit uuid;
begin
  perform private.require_meeting_moderator(m);
  if m.status not in ('scheduled', 'in_session') then
    perform private.fail('22023', 'errors.meeting_not_scheduled');
  end if;
  -- One person at a time: someone on the list, a member, or a name; never a mix the door form does not send.
  if (p_attendance_id is not null)::int + (p_user_id is not null)::int + (nullif(trim(p_name), '') is not null)::int > 1 then
    perform private.fail('22023', 'errors.checkin_one_person', 'name');
  end if;
  v_unit := private.estate_unit(m.estate_id, p_unit_id, 'unit_id');
  if p_attendance_id is not null then
    select * into a from public.meeting_attendance where id = p_attendance_id and meeting_id = m.id;
    if a.id is null then
      perform private.fail('P0002', 'errors.attendance_not_found', 'attendance_id');
    end if;
    if a.user_id is null then
      update public.meeting_attendance set checked_in_at = now(), checked_in_by = v_uid, checked_out_at = null,
        unit_id = coalesce(v_unit, unit_id)
      where id = a.id and (checked_in_at is null or checked_out_at is not null);
      perform private.log_meeting_event(m.id, 'checked_in', null, null, jsonb_build_object('attendance_id', a.id, 'by_moderator', true));
      return jsonb_build_object('id', a.id);
    end if;
    return jsonb_build_object('id', private.write_check_in(m, a.user_id, null, v_unit, v_uid));
  end if;
  if p_user_id is not null then
    if not exists (select 1 from public.memberships ms where ms.user_id = p_user_id and ms.estate_id = m.estate_id and ms.status = 'verified') then
      perform private.fail('22023', 'errors.meeting_person_not_member', 'user_id');
    end if;
    return jsonb_build_object('id', private.write_check_in(m, p_user_id, null, v_unit, v_uid));
  end if;
  if coalesce(trim(p_name), '') = '' or char_length(trim(p_name)) > 40 then
    perform private.fail('22023', 'errors.name_invalid', 'name');
  end if;
  return jsonb_build_object('id', private.write_check_in(m, null, trim(p_name), v_unit, v_uid));
end
$$;

/**
 * Checks someone out (they left): a moderator, or the person themself. Their
 * proxies stop counting until they check in again. Security definer: as above.
 */
create function private.check_out(p_attendance_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  a public.meeting_attendance;
  m public.meetings;
begin
  select * into a from public.meeting_attendance where id = p_attendance_id;
  m := private.meeting_for_change(a.meeting_id);
  select * into a from public.meeting_attendance where id = p_attendance_id for update;
  if a.user_id is distinct from v_uid then
    perform private.require_meeting_moderator(m);
  end if;
  if a.checked_in_at is null or a.checked_out_at is not null then
    perform private.fail('22023', 'errors.not_checked_in');
  end if;
  update public.meeting_attendance set checked_out_at = now() where id = a.id;
  perform private.log_meeting_event(m.id, 'checked_out', null, null, jsonb_build_object('attendance_id', a.id));
  return jsonb_build_object('id', a.id);
end
$$;

/**
 * A moderator records a proxy (委托): the absent person (a verified member,
 * or a name and unit), its holder (an attendance row of the meeting), and
 * the stored photo of the signed letter (a path the photo pipeline wrote).
 * The holder's row lock makes two recordings for one holder take turns, so
 * the cap of max_proxies live proxies holds; one live proxy per absent
 * member (a unique index). Security definer: proxies have no write grant.
 */
create function private.record_proxy(p_meeting_id uuid, p_holder_id uuid, p_absent_user_id uuid, p_absent_name text,
  p_absent_unit_id uuid, p_letter_path text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  m public.meetings := private.meeting_for_change(p_meeting_id);
  h public.meeting_attendance;
  v_unit uuid;
  v_id uuid;
begin
  perform private.require_meeting_moderator(m);
  if m.status not in ('scheduled', 'in_session') then
    perform private.fail('22023', 'errors.meeting_not_scheduled');
  end if;
  select * into h from public.meeting_attendance where id = p_holder_id and meeting_id = m.id for update;
  if h.id is null then
    perform private.fail('22023', 'errors.proxy_holder_not_attending', 'holder_id');
  end if;
  v_unit := private.estate_unit(m.estate_id, p_absent_unit_id, 'absent_unit_id');
  if p_absent_user_id is not null then
    if not exists (select 1 from public.memberships ms where ms.user_id = p_absent_user_id and ms.estate_id = m.estate_id and ms.status = 'verified') then
      perform private.fail('22023', 'errors.meeting_person_not_member', 'absent_user_id');
    end if;
    if p_absent_user_id = h.user_id then
      perform private.fail('22023', 'errors.proxy_own', 'absent_user_id');
    end if;
    if exists (select 1 from public.meeting_attendance a where a.meeting_id = m.id and a.user_id = p_absent_user_id
        and a.checked_in_at is not null and a.checked_out_at is null) then
      perform private.fail('22023', 'errors.proxy_absent_present', 'absent_user_id');
    end if;
  elsif coalesce(trim(p_absent_name), '') = '' or char_length(trim(p_absent_name)) > 40 then
    perform private.fail('22023', 'errors.name_invalid', 'absent_name');
  end if;
  if coalesce(p_letter_path, '') !~ '^proxies/[A-Za-z0-9_-]{1,80}\.(jpg|webp)$' then
    perform private.fail('22023', 'errors.proxy_letter_required', 'letter');
  end if;
  if (select count(*) from public.meeting_proxies p where p.holder_id = h.id and p.revoked_at is null) >= m.max_proxies then
    perform private.fail('22023', 'errors.proxy_cap', 'holder_id');
  end if;
  begin
    insert into public.meeting_proxies (meeting_id, holder_id, absent_user_id, absent_name, absent_unit_id, letter_path, recorded_by)
    values (m.id, h.id, p_absent_user_id, case when p_absent_user_id is null then trim(p_absent_name) end, v_unit, p_letter_path, v_uid)
    returning id into v_id;
  exception when unique_violation then
    perform private.fail('23505', 'errors.proxy_duplicate', 'absent_user_id');
  end;
  perform private.log_meeting_event(m.id, 'proxy_recorded', null, null, jsonb_build_object('proxy_id', v_id, 'holder_id', h.id));
  return jsonb_build_object('id', v_id);
end
$$;

/** A moderator revokes a live proxy (the absent person came, or withdrew it). Security definer: as recording. */
create function private.revoke_proxy(p_proxy_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  p public.meeting_proxies;
  m public.meetings;
begin
  perform private.require_user();
  select * into p from public.meeting_proxies where id = p_proxy_id;
  m := private.meeting_for_change(p.meeting_id);
  perform private.require_meeting_moderator(m);
  select * into p from public.meeting_proxies where id = p_proxy_id for update;
  if p.revoked_at is not null then
    perform private.fail('22023', 'errors.proxy_revoked');
  end if;
  update public.meeting_proxies set revoked_at = now() where id = p.id;
  perform private.log_meeting_event(m.id, 'proxy_revoked', null, null, jsonb_build_object('proxy_id', p.id));
  return jsonb_build_object('id', p.id);
end
$$;

revoke all on function private.check_in_open(public.meetings), private.estate_unit(uuid, uuid, text),
  private.register_for_meeting(uuid), private.unregister_from_meeting(uuid),
  private.write_check_in(public.meetings, uuid, text, uuid, uuid), private.check_in_by_code(uuid, text),
  private.check_in_attendee(uuid, uuid, uuid, text, uuid), private.check_out(uuid),
  private.record_proxy(uuid, uuid, uuid, text, uuid, text), private.revoke_proxy(uuid) from public;
grant execute on function private.register_for_meeting(uuid), private.unregister_from_meeting(uuid),
  private.check_in_by_code(uuid, text), private.check_in_attendee(uuid, uuid, uuid, text, uuid), private.check_out(uuid),
  private.record_proxy(uuid, uuid, uuid, text, uuid, text), private.revoke_proxy(uuid) to authenticated, service_role;

/** Registers the caller for a scheduled meeting they may attend. */
create function public.register_for_meeting(p_meeting_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.register_for_meeting(p_meeting_id) $$;

/** Withdraws the caller's registration. */
create function public.unregister_from_meeting(p_meeting_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.unregister_from_meeting(p_meeting_id) $$;

/** The caller checks themself in with the meeting's six-digit code, around the meeting's time. */
create function public.check_in_by_code(p_meeting_id uuid, p_code text) returns jsonb
language sql set search_path = '' as $$ select private.check_in_by_code(p_meeting_id, p_code) $$;

/** A moderator checks in an attendance row, a member, or a person without an account (name and unit). */
create function public.check_in_attendee(p_meeting_id uuid, p_attendance_id uuid default null, p_user_id uuid default null,
  p_name text default null, p_unit_id uuid default null) returns jsonb
language sql set search_path = '' as $$ select private.check_in_attendee(p_meeting_id, p_attendance_id, p_user_id, p_name, p_unit_id) $$;

/** Checks someone out: a moderator, or the person themself. */
create function public.check_out(p_attendance_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.check_out(p_attendance_id) $$;

/** A moderator records a proxy with the photo of its signed letter. */
create function public.record_proxy(p_meeting_id uuid, p_holder_id uuid, p_letter_path text, p_absent_user_id uuid default null,
  p_absent_name text default null, p_absent_unit_id uuid default null) returns jsonb
language sql set search_path = '' as $$
  select private.record_proxy(p_meeting_id, p_holder_id, p_absent_user_id, p_absent_name, p_absent_unit_id, p_letter_path)
$$;

/** A moderator revokes a proxy. */
create function public.revoke_proxy(p_proxy_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.revoke_proxy(p_proxy_id) $$;

revoke all on function public.register_for_meeting(uuid), public.unregister_from_meeting(uuid), public.check_in_by_code(uuid, text),
  public.check_in_attendee(uuid, uuid, uuid, text, uuid), public.check_out(uuid),
  public.record_proxy(uuid, uuid, text, uuid, text, uuid), public.revoke_proxy(uuid) from public, anon;
grant execute on function public.register_for_meeting(uuid), public.unregister_from_meeting(uuid), public.check_in_by_code(uuid, text),
  public.check_in_attendee(uuid, uuid, uuid, text, uuid), public.check_out(uuid),
  public.record_proxy(uuid, uuid, text, uuid, text, uuid), public.revoke_proxy(uuid) to authenticated;
