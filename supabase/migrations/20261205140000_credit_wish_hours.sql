-- ============================================================================
-- Micro-wishes earn time bank hours (issue #15): the HOOK left in
-- private.confirm_wish is filled.
--
-- A wish carries estimated hours (est_hours, 1 by default: most micro-wishes
-- are an hour's errand), which the moderator may set when vetting it after
-- the visit or call. The claimer may report the hours it really took when
-- fulfilling it, bounded (more than zero, at most twice the estimate, never
-- above 8). When the resident, the guardian or a moderator confirms, the
-- claimer is credited the reported hours, else the estimate, through
-- private.credit_hours (kind of work 'wish' for the 时间币 rate, source
-- ('wish', id)), in the confirming transaction and under the wish's row lock:
-- a wish is credited once, however many confirm at once. A donor unit's
-- claim (recorded by a moderator) earns no hours.
--
-- vet_wish and fulfil_wish gain a trailing parameter; their old signatures
-- are dropped (so that a call by name resolves to one function) and every
-- check they made is kept.
-- ============================================================================

alter table public.wishes
  add column est_hours numeric(4, 1) not null default 1 check (est_hours > 0 and est_hours <= 8),
  -- What the claimer reported when fulfilling; null: the estimate is credited.
  add column hours numeric(4, 1) check (hours > 0 and hours <= 8);

drop function public.vet_wish(uuid, boolean, text);
drop function public.fulfil_wish(uuid, text, jsonb);
drop function private.vet_wish(uuid, boolean, text);
drop function private.fulfil_wish(uuid, text, jsonb);

/**
 * A moderator vets a pending wish after a visit or a call: approved (with an
 * optional note and the hours it should take) it is published for claiming;
 * declined, with a reason, it stays unpublished. The resident and guardian
 * hear of it.
 */
create function private.vet_wish(p_wish_id uuid, p_approve boolean, p_note text, p_est_hours numeric) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  w public.wishes;
  v_note text := nullif(trim(coalesce(p_note, '')), '');
begin
  w := private.lock_wish(p_wish_id);
  if not (w.estate_id = any(private.wish_staff_estates())) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if p_approve is null then
    perform private.fail('22023', 'errors.invalid_choice', 'approve');
  end if;
  if not p_approve and v_note is null then
    perform private.fail('22023', 'errors.reason_required', 'note');
  end if;
  if char_length(coalesce(v_note, '')) > 300 then
    perform private.fail('22023', 'errors.too_long', 'note');
  end if;
  if p_est_hours is not null and (p_est_hours <= 0 or p_est_hours > 8 or p_est_hours <> round(p_est_hours, 1)) then
    perform private.fail('22023', 'errors.wish_hours_invalid', 'est_hours');
  end if;
  if w.status <> 'pending' then
    perform private.fail('22023', 'errors.wish_already_vetted');
  end if;
  update public.wishes set status = case when p_approve then 'open' else 'declined' end, vetted_at = now(),
    est_hours = coalesce(p_est_hours, est_hours)
  where id = w.id returning * into w;
  update public.wish_details set vet_note = v_note, vetted_by = v_uid where wish_id = w.id;
  perform private.notify(array_remove(private.wish_followers(w.id), v_uid), case when p_approve then 'wish_vetted' else 'wish_declined' end,
    null, private.wish_payload(w) || case when p_approve then '{}'::jsonb else jsonb_build_object('reason', v_note) end);
  return jsonb_build_object('id', w.id, 'status', w.status);
end
$$;

/**
 * The claimer (or a moderator, e.g. for a donor unit) reports a claimed wish
 * fulfilled, with what was done, the hours it took (optional, bounded by the
 * estimate) and optionally a photo already stored through the photo pipeline
 * ({path, thumb_path, width, height}). The resident and guardian are asked
 * to confirm.
 */
create function private.fulfil_wish(p_wish_id uuid, p_note text, p_photo jsonb, p_hours numeric) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  w public.wishes;
  v_note text := nullif(trim(coalesce(p_note, '')), '');
  v_path text := p_photo ->> 'path';
  v_thumb text := p_photo ->> 'thumb_path';
  v_width integer;
  v_height integer;
begin
  w := private.lock_wish(p_wish_id);
  if private.wish_claimer(w.id) is distinct from v_uid and not (w.estate_id = any(private.wish_staff_estates())) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if w.status <> 'claimed' then
    perform private.fail('22023', 'errors.wish_not_claimed');
  end if;
  if char_length(coalesce(v_note, '')) > 300 then
    perform private.fail('22023', 'errors.too_long', 'note');
  end if;
  perform private.check_public_text(v_note, 'note');
  -- A person's hours, as they report them: more than zero, in tenths, at most twice the estimate and
  -- never above 8 (a micro-wish is a small service; anything longer is a task). A donor unit's claim earns none.
  if p_hours is not null and (w.donor_unit is not null or p_hours <= 0 or p_hours <> round(p_hours, 1)
      or p_hours > least(8, 2 * w.est_hours)) then
    perform private.fail('22023', 'errors.wish_hours_invalid', 'hours');
  end if;
  if p_photo is not null and jsonb_typeof(p_photo) <> 'null' then
    begin
      v_width := (p_photo ->> 'width')::integer;
      v_height := (p_photo ->> 'height')::integer;
    exception when others then
      perform private.fail('22023', 'errors.photo_not_image', 'photos');
    end;
    if v_path is null or v_thumb is null or v_path !~ '^issues/[0-9a-f-]{36}\.jpg$' or v_thumb !~ '^issues/[0-9a-f-]{36}_thumb\.jpg$'
        or v_width not between 1 and 1600 or v_height not between 1 and 1600 then
      perform private.fail('22023', 'errors.photo_not_image', 'photos');
    end if;
  else
    v_path := null;
    v_thumb := null;
  end if;
  update public.wishes set status = 'fulfilled', fulfilled_at = now(), fulfil_note = v_note, hours = p_hours,
    photo_path = v_path, photo_thumb_path = v_thumb, photo_width = v_width, photo_height = v_height
  where id = w.id returning * into w;
  perform private.notify(array_remove(private.wish_followers(w.id), v_uid), 'wish_fulfilled', null,
    private.wish_payload(w) || jsonb_build_object('claimer', w.claimer_name));
  return jsonb_build_object('id', w.id, 'status', w.status);
end
$$;

/**
 * The resident, the guardian, or a moderator after a visit confirms a
 * fulfilled wish, with optional thanks for the wall. The claimer never
 * confirms their own work. The claimer is credited the wish's hours (once)
 * and hears of it.
 */
create or replace function private.confirm_wish(p_wish_id uuid, p_thanks text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  w public.wishes;
  v_thanks text := nullif(trim(coalesce(p_thanks, '')), '');
  v_credit jsonb := '{}'::jsonb;
begin
  w := private.lock_wish(p_wish_id);
  if private.wish_claimer(w.id) = v_uid and w.donor_unit is null then
    perform private.fail('42501', 'errors.wish_confirm_own');
  end if;
  if not (w.id = any(private.my_wishes()) or w.estate_id = any(private.wish_staff_estates())) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if w.status <> 'fulfilled' then
    perform private.fail('22023', 'errors.wish_not_fulfilled');
  end if;
  if char_length(coalesce(v_thanks, '')) > 200 then
    perform private.fail('22023', 'errors.too_long', 'thanks');
  end if;
  perform private.check_public_text(v_thanks, 'thanks');
  update public.wishes set status = 'confirmed', confirmed_at = now(), thanks = v_thanks
  where id = w.id returning * into w;
  update public.wish_details set confirmed_by = v_uid where wish_id = w.id;
  -- Credited here, in this transaction and under the wish's row lock: a second confirmation finds the
  -- wish confirmed and is refused above, and the ledger's unique index credits a source once whatever
  -- happens. A person's claim earns the hours they reported, else the estimate; a donor unit's none.
  -- confirmed_by (never the claimer, checked above) is the confirmer, recorded as the entries' created_by.
  if w.donor_unit is null and private.wish_claimer(w.id) is not null then
    v_credit := private.credit_hours((select e.community_id from public.estates e where e.id = w.estate_id),
      private.wish_claimer(w.id), coalesce(w.hours, w.est_hours), 'wish', 'wish', w.id);
  end if;
  perform private.notify(array_remove(array[private.wish_claimer(w.id)], v_uid), 'wish_confirmed', null, private.wish_payload(w));
  return jsonb_build_object('id', w.id, 'status', w.status) || v_credit;
end
$$;

revoke all on function private.vet_wish(uuid, boolean, text, numeric), private.fulfil_wish(uuid, text, jsonb, numeric) from public;
grant execute on function private.vet_wish(uuid, boolean, text, numeric), private.fulfil_wish(uuid, text, jsonb, numeric)
  to authenticated, service_role;

/** A moderator approves a pending wish (note and estimated hours optional) or declines it (reason required). */
create function public.vet_wish(p_wish_id uuid, p_approve boolean, p_note text default null, p_est_hours numeric default null) returns jsonb
language sql set search_path = '' as $$
  select private.vet_wish(p_wish_id, p_approve, p_note, p_est_hours)
$$;

/** The claimer reports a claimed wish fulfilled, with a note, the hours it took and optionally a stored photo. */
create function public.fulfil_wish(p_wish_id uuid, p_note text default null, p_photo jsonb default null, p_hours numeric default null)
returns jsonb
language sql set search_path = '' as $$
  select private.fulfil_wish(p_wish_id, p_note, p_photo, p_hours)
$$;

revoke execute on function public.vet_wish(uuid, boolean, text, numeric), public.fulfil_wish(uuid, text, jsonb, numeric) from public, anon;
grant execute on function public.vet_wish(uuid, boolean, text, numeric), public.fulfil_wish(uuid, text, jsonb, numeric) to authenticated;

/** One wish as published: the fields every reader of it may see (no person, no private detail), with its hours. */
create or replace function public.wish_json(w public.wishes) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('id', w.id, 'estate_id', w.estate_id, 'area_id', w.area_id,
    'area', (select a.name from public.areas a where a.id = w.area_id), 'title', w.title, 'body', w.body,
    'category', w.category, 'estimated_cost', w.estimated_cost, 'shown_name', w.shown_name, 'status', w.status,
    'created_at', w.created_at, 'vetted_at', w.vetted_at, 'claimer_name', w.claimer_name, 'donor_unit', w.donor_unit,
    'claimed_at', w.claimed_at, 'fulfil_note', w.fulfil_note, 'fulfilled_at', w.fulfilled_at,
    'photo', case when w.photo_path is not null then jsonb_build_object('path', w.photo_path, 'thumb_path', w.photo_thumb_path,
      'width', w.photo_width, 'height', w.photo_height) end,
    'thanks', w.thanks, 'confirmed_at', w.confirmed_at, 'est_hours', w.est_hours, 'hours', w.hours)
$$;

