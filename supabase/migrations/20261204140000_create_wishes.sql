-- ============================================================================
-- Micro-wishes (微心愿) and the public thanks wall (公益榜), issue #15.
--
-- A resident posts a small wish for themselves, or a volunteer posts it on a
-- resident's behalf (the guardian, e.g. the building's volunteer, who then
-- follows it for them: the resident may have no account). A moderator checks
-- it (a visit or a phone call) and approves it with a note or declines it
-- with a reason; only vetted wishes are published, with the wish and a first
-- name or "某阿姨"/"某叔叔" only. A party member or volunteer claims it (or a
-- moderator records a donor unit, named as text, that took it on), fulfils it
-- with an optional photo, and the resident, the guardian or a moderator
-- (after a visit) confirms; the confirmed wish and its thanks go on the
-- estate's wall.
--
-- Privacy: who the resident is (full name, unit, phone), who their guardian
-- is, and the vetting notes live in public.wish_details, a separate table
-- whose rows only the estate's moderators, the resident and guardian
-- themselves and, once they claim the wish, the claimer may read (RLS).
-- public.wishes holds only what is published (no column points at a
-- person); who vetted, claimed and confirmed it is in wish_details too.
--
-- Lifecycle: pending → open (approved) | declined; open → claimed (claim) →
-- open (release) | fulfilled (fulfil) → confirmed (confirm). Nobody writes the
-- tables directly: every write goes through the functions below, whose
-- private definer halves check who is asking; two claims at once are ordered
-- by the wish's row lock, so one wins.
--
-- Time bank: a confirmed wish will credit the claimer's hours once the time
-- bank (private.credit_hours) lands; see the HOOK in private.confirm_wish.
-- ============================================================================

-- ----------------------------------------------------------------------------
-- Tables.
-- ----------------------------------------------------------------------------

create table public.wishes (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  -- The building or area it is in, optional (shown: "3栋").
  area_id uuid references public.areas (id) on delete set null,
  -- What is wished, as published: no name, phone or ID number (the functions refuse them).
  title text not null check (char_length(title) between 1 and 60),
  body text check (char_length(body) <= 500),
  category text not null check (category in ('daily', 'health', 'repair', 'study', 'companionship', 'other')),
  -- Estimated cost in 元, optional.
  estimated_cost numeric(10, 2) check (estimated_cost between 0 and 100000),
  -- Who it is for, as published: a first name or 某阿姨 / 某叔叔.
  shown_name text not null check (char_length(shown_name) between 1 and 8),
  status text not null default 'pending' check (status in ('pending', 'declined', 'open', 'claimed', 'fulfilled', 'confirmed')),
  created_at timestamptz not null default now(),
  vetted_at timestamptz,
  -- The name the claim is thanked by on the wall, published by claiming: the claimer's display name or the donor unit.
  claimer_name text check (char_length(claimer_name) between 1 and 60),
  -- A donor unit (e.g. 晋源区供电公司) recorded by a moderator.
  donor_unit text check (char_length(donor_unit) between 1 and 60),
  claimed_at timestamptz,
  -- What was done, and its photo (public with the wish).
  fulfil_note text check (char_length(fulfil_note) <= 300),
  photo_path text check (char_length(photo_path) <= 200),
  photo_thumb_path text check (char_length(photo_thumb_path) <= 200),
  photo_width integer check (photo_width between 1 and 1600),
  photo_height integer check (photo_height between 1 and 1600),
  fulfilled_at timestamptz,
  -- The thanks published on the wall.
  thanks text check (char_length(thanks) <= 200),
  confirmed_at timestamptz,
  check ((status in ('pending')) = (vetted_at is null)),
  check ((status in ('claimed', 'fulfilled', 'confirmed')) = (claimed_at is not null)),
  check ((status in ('claimed', 'fulfilled', 'confirmed')) = (claimer_name is not null)),
  check ((status in ('fulfilled', 'confirmed')) = (fulfilled_at is not null)),
  check ((status = 'confirmed') = (confirmed_at is not null)),
  check ((photo_path is null) = (photo_thumb_path is null))
);
create index wishes_estate_idx on public.wishes (estate_id, status, created_at desc);
create index wishes_area_id_idx on public.wishes (area_id);
-- can_read_photo looks a fulfilment photo up by its path.
create index wishes_photo_path_idx on public.wishes (photo_path);
create index wishes_photo_thumb_path_idx on public.wishes (photo_thumb_path);

create table public.wish_details (
  wish_id uuid primary key references public.wishes (id) on delete cascade,
  -- The wish's estate again, for the policy (moderators of the estate).
  estate_id uuid not null references public.estates (id) on delete cascade,
  -- The resident, when they posted it themselves (with an account).
  resident_id uuid references public.profiles (id) on delete set null,
  -- The guardian: the volunteer who posted it on the resident's behalf and follows it for them.
  guardian_id uuid references public.profiles (id) on delete set null,
  resident_name text check (char_length(resident_name) <= 40),
  unit_text text check (char_length(unit_text) <= 60),
  phone text check (char_length(phone) <= 20),
  -- The moderator's note on approving (after a visit or call), or the reason for declining.
  vet_note text check (char_length(vet_note) <= 300),
  vetted_by uuid references public.profiles (id) on delete set null,
  -- Who claimed it (the moderator who recorded it, for a donor unit); null while open.
  claimed_by uuid references public.profiles (id) on delete set null,
  confirmed_by uuid references public.profiles (id) on delete set null,
  check (resident_id is not null or guardian_id is not null or resident_name is not null)
);
create index wish_details_estate_idx on public.wish_details (estate_id);
create index wish_details_resident_id_idx on public.wish_details (resident_id);
create index wish_details_guardian_id_idx on public.wish_details (guardian_id);
create index wish_details_vetted_by_idx on public.wish_details (vetted_by);
create index wish_details_claimed_by_idx on public.wish_details (claimed_by);
create index wish_details_confirmed_by_idx on public.wish_details (confirmed_by);

comment on table public.wishes is
  'Micro-wishes (微心愿): published (open and after) where the estate''s issues are read; pending and declined ones by the estate''s moderators and the resident or guardian. No column names a person. Written by the wish functions only.';
comment on table public.wish_details is
  'Who a wish is for (full name, unit, phone), their guardian, the vetting note, who vetted, claimed and confirmed it: read by the estate''s moderators, the resident and guardian, and the claimer once claimed. Written by the wish functions only.';

insert into public.notification_kinds (kind) values ('wish_vetted'), ('wish_declined'), ('wish_claimed'), ('wish_fulfilled'), ('wish_confirmed');

-- ----------------------------------------------------------------------------
-- Who may read: helpers the policies call once per query.
-- ----------------------------------------------------------------------------

/** The estates whose wishes the caller vets: moderator or committee there; every estate for an administrator. */
create function private.wish_staff_estates() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select case when private.is_admin() then array(select e.id from public.estates e)
    else private.estates_with_role(array['moderator', 'committee']) end
$$;

/** The wishes the caller posted for themselves or follows as guardian. */
create function private.my_wishes() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(d.wish_id), '{}') from public.wish_details d
  where (select auth.uid()) is not null and (d.resident_id = (select auth.uid()) or d.guardian_id = (select auth.uid()))
$$;

revoke all on function private.wish_staff_estates(), private.my_wishes() from public;
grant execute on function private.wish_staff_estates(), private.my_wishes() to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- Row level security: no writes; reads as above.
-- ----------------------------------------------------------------------------

alter table public.wishes enable row level security;
alter table public.wish_details enable row level security;
revoke all on public.wishes, public.wish_details from anon, authenticated;
-- Every column of a wish is as published; its people are in wish_details, whose rows its policy keeps.
grant select on public.wishes to anon, authenticated;
grant select on public.wish_details to authenticated;

/** A vetted wish is published where the estate's issues are read: anyone on a public board. */
create policy "Anyone can read vetted wishes of public boards" on public.wishes for select to anon
  using (status in ('open', 'claimed', 'fulfilled', 'confirmed') and exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
/** Readers of the estate see its vetted wishes; its moderators and the wish's own resident or guardian see it from the start. */
create policy "Readers of the estate can read its vetted wishes, moderators and guardians every one" on public.wishes for select to authenticated
  using ((status in ('open', 'claimed', 'fulfilled', 'confirmed') and estate_id = any(private.readable_estates()))
    or estate_id = any(private.wish_staff_estates()) or id = any(private.my_wishes()));

/** Personal details: the estate's moderators, the resident and guardian themselves, and the claimer once claimed. */
create policy "Moderators, the resident, the guardian and the claimer can read a wish's personal details" on public.wish_details
  for select to authenticated
  using (estate_id = any(private.wish_staff_estates()) or resident_id = (select auth.uid()) or guardian_id = (select auth.uid())
    or claimed_by = (select auth.uid()));

-- ----------------------------------------------------------------------------
-- Checks shared by the functions.
-- ----------------------------------------------------------------------------

/**
 * Whether a published text holds what looks like a phone or ID number: seven
 * digits or more in a row (full-width digits, spaces and dashes counted as
 * digits and ignored). A cost such as 1200 元 is not one.
 */
create function private.has_contact_number(p_text text) returns boolean
language sql immutable set search_path = '' as $$
  select coalesce(regexp_replace(translate(p_text, '０１２３４５６７８９', '0123456789'), '[\s\-－]', '', 'g') ~ '[0-9]{7,}', false)
$$;

/** Refuses a published field that holds a phone or ID number: it belongs in the private fields. */
create function private.check_public_text(p_text text, p_field text) returns void
language plpgsql immutable set search_path = '' as $$
begin
  if private.has_contact_number(p_text) then
    perform private.fail('22023', 'errors.wish_contact_in_public_text', p_field);
  end if;
end
$$;

/** Who hears about a wish for the resident: the resident (with an account) and the guardian. */
create function private.wish_followers(p_wish_id uuid) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select array_remove(array[d.resident_id, d.guardian_id], null) from public.wish_details d where d.wish_id = p_wish_id
$$;

/** Who claimed a wish (the moderator who recorded it, for a donor unit); null while open. */
create function private.wish_claimer(p_wish_id uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select d.claimed_by from public.wish_details d where d.wish_id = p_wish_id
$$;

/** What a notification about a wish carries: its page and title. */
create function private.wish_payload(p_wish public.wishes) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('path', '/estates/' || p_wish.estate_id || '/wishes/' || p_wish.id, 'estate_id', p_wish.estate_id,
    'wish_id', p_wish.id, 'title', p_wish.title)
$$;

/** A wish the caller may see, locked for the change they ask for; not found otherwise. */
create function private.lock_wish(p_wish_id uuid) returns public.wishes
language plpgsql security definer set search_path = '' as $$
declare
  w public.wishes;
begin
  select * into w from public.wishes where id = p_wish_id for update;
  if w.id is null or not (
      (w.status in ('open', 'claimed', 'fulfilled', 'confirmed') and w.estate_id = any(private.readable_estates()))
      or w.estate_id = any(private.wish_staff_estates()) or w.id = any(private.my_wishes())) then
    perform private.fail('P0002', 'errors.wish_not_found');
  end if;
  return w;
end
$$;

-- ----------------------------------------------------------------------------
-- Writes: security definer halves (nobody writes the tables directly).
-- ----------------------------------------------------------------------------

/**
 * Posts a wish, pending until a moderator vets it. A verified member posts
 * for themselves; a volunteer, moderator or committee member may post on a
 * resident's behalf (p_for_other) and becomes its guardian, with the
 * resident's name (required), unit and phone held privately.
 */
create function private.post_wish(p_estate_id uuid, p_title text, p_category text, p_shown_name text, p_body text,
  p_estimated_cost numeric, p_area_id uuid, p_for_other boolean, p_resident_name text, p_unit text, p_phone text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_title text := trim(coalesce(p_title, ''));
  v_body text := nullif(trim(coalesce(p_body, '')), '');
  v_shown text := trim(coalesce(p_shown_name, ''));
  v_name text := nullif(trim(coalesce(p_resident_name, '')), '');
  v_unit text := nullif(trim(coalesce(p_unit, '')), '');
  v_phone text := nullif(regexp_replace(coalesce(p_phone, ''), '\s', '', 'g'), '');
  v_id uuid;
begin
  if not exists (select 1 from public.estates e where e.id = p_estate_id) then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  if not (p_estate_id = any(private.member_estates())) then
    perform private.fail('42501', 'errors.not_member');
  end if;
  if coalesce(p_for_other, false) and not (p_estate_id = any(private.estates_with_role(array['volunteer', 'moderator', 'committee']))) then
    perform private.fail('42501', 'errors.wish_for_other_forbidden', 'for_other');
  end if;
  if v_title = '' or char_length(v_title) > 60 then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  perform private.check_public_text(v_title, 'title');
  if char_length(coalesce(v_body, '')) > 500 then
    perform private.fail('22023', 'errors.too_long', 'body');
  end if;
  perform private.check_public_text(v_body, 'body');
  if p_category is null or p_category not in ('daily', 'health', 'repair', 'study', 'companionship', 'other') then
    perform private.fail('22023', 'errors.invalid_choice', 'category');
  end if;
  if p_estimated_cost is not null and (p_estimated_cost < 0 or p_estimated_cost > 100000) then
    perform private.fail('22023', 'errors.wish_cost_invalid', 'estimated_cost');
  end if;
  if v_shown = '' or char_length(v_shown) > 8 or v_shown ~ '[0-9０-９]' then
    perform private.fail('22023', 'errors.wish_shown_name_invalid', 'shown_name');
  end if;
  if p_area_id is not null and not exists (select 1 from public.areas a where a.id = p_area_id and a.estate_id = p_estate_id) then
    perform private.fail('22023', 'errors.area_not_found', 'area_id');
  end if;
  if coalesce(p_for_other, false) and v_name is null then
    perform private.fail('22023', 'errors.wish_resident_name_required', 'resident_name');
  end if;
  if char_length(coalesce(v_name, '')) > 40 then
    perform private.fail('22023', 'errors.too_long', 'resident_name');
  end if;
  if char_length(coalesce(v_unit, '')) > 60 then
    perform private.fail('22023', 'errors.too_long', 'unit');
  end if;
  if v_phone is not null and v_phone !~ '^\+?[0-9][0-9\-]{4,18}[0-9]$' then
    perform private.fail('22023', 'errors.phone_invalid', 'phone');
  end if;
  insert into public.wishes (estate_id, area_id, title, body, category, estimated_cost, shown_name)
  values (p_estate_id, p_area_id, v_title, v_body, p_category, p_estimated_cost, v_shown)
  returning id into v_id;
  insert into public.wish_details (wish_id, estate_id, resident_id, guardian_id, resident_name, unit_text, phone)
  values (v_id, p_estate_id, case when coalesce(p_for_other, false) then null else v_uid end,
    case when coalesce(p_for_other, false) then v_uid end, v_name, v_unit, v_phone);
  return jsonb_build_object('id', v_id, 'status', 'pending');
end
$$;

/**
 * A moderator vets a pending wish after a visit or a call: approved (with an
 * optional note) it is published for claiming; declined, with a reason, it
 * stays unpublished. The resident and guardian hear of it.
 */
create function private.vet_wish(p_wish_id uuid, p_approve boolean, p_note text) returns jsonb
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
  if w.status <> 'pending' then
    perform private.fail('22023', 'errors.wish_already_vetted');
  end if;
  update public.wishes set status = case when p_approve then 'open' else 'declined' end, vetted_at = now()
  where id = w.id returning * into w;
  update public.wish_details set vet_note = v_note, vetted_by = v_uid where wish_id = w.id;
  perform private.notify(array_remove(private.wish_followers(w.id), v_uid), case when p_approve then 'wish_vetted' else 'wish_declined' end,
    null, private.wish_payload(w) || case when p_approve then '{}'::jsonb else jsonb_build_object('reason', v_note) end);
  return jsonb_build_object('id', w.id, 'status', w.status);
end
$$;

/**
 * Claims an open wish: a verified party member or volunteer of the estate
 * for themselves, or a moderator for a donor unit named as text. The row
 * lock orders two claims at once: the second finds it claimed. The poster
 * (resident or guardian) does not claim their own wish.
 */
create function private.claim_wish(p_wish_id uuid, p_donor_unit text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  w public.wishes;
  v_donor text := nullif(trim(coalesce(p_donor_unit, '')), '');
  v_name text;
begin
  w := private.lock_wish(p_wish_id);
  if v_donor is not null then
    if not (w.estate_id = any(private.wish_staff_estates())) then
      perform private.fail('42501', 'errors.forbidden', 'donor_unit');
    end if;
    if char_length(v_donor) > 60 then
      perform private.fail('22023', 'errors.too_long', 'donor_unit');
    end if;
    perform private.check_public_text(v_donor, 'donor_unit');
  elsif not (w.estate_id = any(private.estates_with_role(array['party_member', 'volunteer']))) then
    perform private.fail('42501', 'errors.wish_claim_role');
  end if;
  if v_donor is null and w.id = any(private.my_wishes()) then
    perform private.fail('42501', 'errors.wish_claim_own');
  end if;
  if w.status in ('claimed', 'fulfilled', 'confirmed') then
    perform private.fail('23505', 'errors.wish_already_claimed');
  end if;
  if w.status <> 'open' then
    perform private.fail('22023', 'errors.wish_not_open');
  end if;
  v_name := coalesce(v_donor, (select left(p.display_name, 60) from public.profiles p where p.id = v_uid));
  update public.wishes set status = 'claimed', claimer_name = v_name, donor_unit = v_donor, claimed_at = now()
  where id = w.id returning * into w;
  update public.wish_details set claimed_by = v_uid where wish_id = w.id;
  perform private.notify(array_remove(private.wish_followers(w.id), v_uid), 'wish_claimed', null,
    private.wish_payload(w) || jsonb_build_object('claimer', v_name));
  return jsonb_build_object('id', w.id, 'status', w.status);
end
$$;

/** The claimer (or a moderator) lets a claimed wish go before fulfilling it: it is open again. */
create function private.release_wish(p_wish_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  w public.wishes;
begin
  w := private.lock_wish(p_wish_id);
  if w.status <> 'claimed' then
    perform private.fail('22023', 'errors.wish_not_claimed');
  end if;
  if private.wish_claimer(w.id) is distinct from v_uid and not (w.estate_id = any(private.wish_staff_estates())) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  update public.wishes set status = 'open', claimer_name = null, donor_unit = null, claimed_at = null
  where id = w.id returning * into w;
  update public.wish_details set claimed_by = null where wish_id = w.id;
  return jsonb_build_object('id', w.id, 'status', w.status);
end
$$;

/**
 * The claimer (or a moderator, e.g. for a donor unit) reports a claimed wish
 * fulfilled, with what was done and optionally a photo already stored
 * through the photo pipeline ({path, thumb_path, width, height}). The
 * resident and guardian are asked to confirm.
 */
create function private.fulfil_wish(p_wish_id uuid, p_note text, p_photo jsonb) returns jsonb
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
  update public.wishes set status = 'fulfilled', fulfilled_at = now(), fulfil_note = v_note,
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
 * confirms their own work. The claimer hears of it.
 */
create function private.confirm_wish(p_wish_id uuid, p_thanks text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  w public.wishes;
  v_thanks text := nullif(trim(coalesce(p_thanks, '')), '');
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
  -- HOOK(time bank): once the time bank lands, credit the claimer here, in this transaction and under
  -- this row lock (so a wish is credited once), when the claim is a person's (donor_unit is null):
  --   perform private.credit_hours(private.wish_claimer(w.id), ..., 'wish', w.id);
  -- with the hours the claimer reported; confirmed_by (never the claimer, checked above) is the confirmer.
  perform private.notify(array_remove(array[private.wish_claimer(w.id)], v_uid), 'wish_confirmed', null, private.wish_payload(w));
  return jsonb_build_object('id', w.id, 'status', w.status);
end
$$;

revoke all on function private.has_contact_number(text), private.check_public_text(text, text), private.wish_followers(uuid),
  private.wish_claimer(uuid), private.wish_payload(public.wishes), private.lock_wish(uuid),
  private.post_wish(uuid, text, text, text, text, numeric, uuid, boolean, text, text, text),
  private.vet_wish(uuid, boolean, text), private.claim_wish(uuid, text), private.release_wish(uuid),
  private.fulfil_wish(uuid, text, jsonb), private.confirm_wish(uuid, text) from public;
grant execute on function private.post_wish(uuid, text, text, text, text, numeric, uuid, boolean, text, text, text),
  private.vet_wish(uuid, boolean, text), private.claim_wish(uuid, text), private.release_wish(uuid),
  private.fulfil_wish(uuid, text, jsonb), private.confirm_wish(uuid, text) to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- The API: security invoker, as the caller under row level security.
-- ----------------------------------------------------------------------------

/** Posts a wish (pending until vetted), for oneself or, as a volunteer, on a resident's behalf. */
create function public.post_wish(p_estate_id uuid, p_title text, p_category text, p_shown_name text, p_body text default null,
  p_estimated_cost numeric default null, p_area_id uuid default null, p_for_other boolean default false,
  p_resident_name text default null, p_unit text default null, p_phone text default null) returns jsonb
language sql set search_path = '' as $$
  select private.post_wish(p_estate_id, p_title, p_category, p_shown_name, p_body, p_estimated_cost, p_area_id, p_for_other,
    p_resident_name, p_unit, p_phone)
$$;

/** A moderator approves a pending wish (note optional) or declines it (reason required). */
create function public.vet_wish(p_wish_id uuid, p_approve boolean, p_note text default null) returns jsonb
language sql set search_path = '' as $$
  select private.vet_wish(p_wish_id, p_approve, p_note)
$$;

/** Claims an open wish (party member or volunteer), or records a donor unit's claim (a moderator). */
create function public.claim_wish(p_wish_id uuid, p_donor_unit text default null) returns jsonb
language sql set search_path = '' as $$
  select private.claim_wish(p_wish_id, p_donor_unit)
$$;

/** The claimer (or a moderator) releases a claimed wish before fulfilling it. */
create function public.release_wish(p_wish_id uuid) returns jsonb
language sql set search_path = '' as $$
  select private.release_wish(p_wish_id)
$$;

/** The claimer reports a claimed wish fulfilled, with a note and optionally a stored photo. */
create function public.fulfil_wish(p_wish_id uuid, p_note text default null, p_photo jsonb default null) returns jsonb
language sql set search_path = '' as $$
  select private.fulfil_wish(p_wish_id, p_note, p_photo)
$$;

/** The resident, the guardian or a moderator confirms a fulfilled wish, with thanks for the wall. */
create function public.confirm_wish(p_wish_id uuid, p_thanks text default null) returns jsonb
language sql set search_path = '' as $$
  select private.confirm_wish(p_wish_id, p_thanks)
$$;

/** One wish as published: the fields every reader of it may see (no person, no private detail). */
create function public.wish_json(w public.wishes) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('id', w.id, 'estate_id', w.estate_id, 'area_id', w.area_id,
    'area', (select a.name from public.areas a where a.id = w.area_id), 'title', w.title, 'body', w.body,
    'category', w.category, 'estimated_cost', w.estimated_cost, 'shown_name', w.shown_name, 'status', w.status,
    'created_at', w.created_at, 'vetted_at', w.vetted_at, 'claimer_name', w.claimer_name, 'donor_unit', w.donor_unit,
    'claimed_at', w.claimed_at, 'fulfil_note', w.fulfil_note, 'fulfilled_at', w.fulfilled_at,
    'photo', case when w.photo_path is not null then jsonb_build_object('path', w.photo_path, 'thumb_path', w.photo_thumb_path,
      'width', w.photo_width, 'height', w.photo_height) end,
    'thanks', w.thanks, 'confirmed_at', w.confirmed_at)
$$;

/**
 * An estate's wishes as the caller may see them: the published ones (open
 * first, then claimed, fulfilled, confirmed; newest first), the caller's own
 * pending or declined ones, and what the caller may do (post, post for a
 * resident, vet, claim) with the number waiting to be vetted.
 */
create function public.estate_wishes(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_member boolean := false;
  v_staff boolean := false;
  v_helper boolean := false;
  v_volunteer boolean := false;
  v_mine jsonb := '[]'::jsonb;
begin
  if not exists (select 1 from public.estates e where e.id = p_estate_id) then
    raise exception using errcode = 'P0002', message = 'errors.estate_not_found', detail = '';
  end if;
  -- Anon may not name schema private, not even in a branch not taken: every private call is in here.
  if v_uid is not null then
    v_member := p_estate_id = any(private.member_estates());
    v_staff := p_estate_id = any(private.wish_staff_estates());
    v_helper := p_estate_id = any(private.estates_with_role(array['party_member', 'volunteer']));
    v_volunteer := p_estate_id = any(private.estates_with_role(array['volunteer', 'moderator', 'committee']));
    v_mine := coalesce((select jsonb_agg(public.wish_json(w) order by w.created_at desc, w.id)
      from public.wishes w where w.estate_id = p_estate_id and w.status in ('pending', 'declined')
        and w.id = any(private.my_wishes())), '[]'::jsonb);
  end if;
  return jsonb_build_object(
    'wishes', coalesce((select jsonb_agg(public.wish_json(w) order by
        case w.status when 'open' then 0 when 'claimed' then 1 when 'fulfilled' then 2 else 3 end, w.created_at desc, w.id)
      from public.wishes w where w.estate_id = p_estate_id and w.status in ('open', 'claimed', 'fulfilled', 'confirmed')), '[]'::jsonb),
    'mine', v_mine,
    'pending', case when v_staff then (select count(*) from public.wishes w where w.estate_id = p_estate_id and w.status = 'pending') end,
    'can_post', v_member,
    'can_post_for_other', v_member and v_volunteer,
    'can_vet', v_staff,
    'can_claim', v_helper);
end
$$;

/**
 * One wish: what is published, its private details when the caller may read
 * them (moderators, the resident and guardian, the claimer once claimed —
 * the table's own policy decides), whether the caller claimed it, and what
 * the caller may do with it.
 */
create function public.wish_detail(p_wish_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  w public.wishes;
  d public.wish_details;
  v_private jsonb;
  v_staff boolean := false;
  v_mine boolean := false;
  v_claimer boolean := false;
  v_helper boolean := false;
begin
  select * into w from public.wishes wi where wi.id = p_wish_id;
  if w.id is null then
    raise exception using errcode = 'P0002', message = 'errors.wish_not_found', detail = '';
  end if;
  if v_uid is not null then
    v_staff := w.estate_id = any(private.wish_staff_estates());
    v_mine := w.id = any(private.my_wishes());
    v_helper := w.estate_id = any(private.estates_with_role(array['party_member', 'volunteer']));
    -- The row only when its policy lets the caller read it.
    select * into d from public.wish_details wd where wd.wish_id = w.id;
    if d.wish_id is not null then
      v_claimer := d.claimed_by = v_uid;
      v_private := jsonb_build_object('resident_name', d.resident_name, 'unit', d.unit_text, 'phone', d.phone,
        'vet_note', d.vet_note, 'has_account', d.resident_id is not null,
        'guardian', private.people_names(w.estate_id, array[d.guardian_id]) ->> d.guardian_id::text);
    end if;
  end if;
  return jsonb_build_object(
    'wish', public.wish_json(w),
    'private', v_private,
    'mine', v_mine,
    'claimed_by_me', v_claimer and w.donor_unit is null,
    'can_vet', v_staff and w.status = 'pending',
    'can_claim', w.status = 'open' and v_helper and not v_mine,
    'can_record_donor', w.status = 'open' and v_staff,
    'can_release', w.status = 'claimed' and (v_claimer or v_staff),
    'can_fulfil', w.status = 'claimed' and (v_claimer or v_staff),
    'can_confirm', w.status = 'fulfilled' and (v_mine or v_staff) and not (v_claimer and w.donor_unit is null));
end
$$;

/** The moderators' queue: an estate's pending wishes, oldest first, with their private details. */
create function public.wish_queue(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  perform private.require_user();
  if not (p_estate_id = any(private.wish_staff_estates())) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return coalesce((select jsonb_agg(public.wish_json(w) || jsonb_build_object('private', jsonb_build_object(
        'resident_name', d.resident_name, 'unit', d.unit_text, 'phone', d.phone, 'has_account', d.resident_id is not null,
        'guardian', private.people_names(p_estate_id, array[d.guardian_id]) ->> d.guardian_id::text))
      order by w.created_at, w.id)
    from public.wishes w left join public.wish_details d on d.wish_id = w.id
    where w.estate_id = p_estate_id and w.status = 'pending'), '[]'::jsonb);
end
$$;

/**
 * The thanks wall (公益榜): an estate's confirmed wishes, newest first, with
 * the wish, who it was for (first name or 某阿姨 only), who fulfilled it (the
 * claimer's shown name or the donor unit) and the thanks. Public where the
 * board is public.
 */
create function public.wish_wall(p_estate_id uuid) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object(
    'count', count(*),
    'entries', coalesce(jsonb_agg(jsonb_build_object('id', w.id, 'title', w.title, 'category', w.category,
        'shown_name', w.shown_name, 'claimer_name', w.claimer_name, 'donor_unit', w.donor_unit, 'thanks', w.thanks,
        'fulfil_note', w.fulfil_note, 'confirmed_at', w.confirmed_at,
        'photo', case when w.photo_thumb_path is not null then jsonb_build_object('path', w.photo_path, 'thumb_path', w.photo_thumb_path,
          'width', w.photo_width, 'height', w.photo_height) end)
      order by w.confirmed_at desc, w.id), '[]'::jsonb))
  from public.wishes w where w.estate_id = p_estate_id and w.status = 'confirmed'
$$;

revoke execute on function public.post_wish(uuid, text, text, text, text, numeric, uuid, boolean, text, text, text),
  public.vet_wish(uuid, boolean, text), public.claim_wish(uuid, text), public.release_wish(uuid),
  public.fulfil_wish(uuid, text, jsonb), public.confirm_wish(uuid, text), public.wish_json(public.wishes),
  public.estate_wishes(uuid), public.wish_detail(uuid), public.wish_queue(uuid), public.wish_wall(uuid) from public, anon;
grant execute on function public.wish_json(public.wishes), public.estate_wishes(uuid), public.wish_detail(uuid),
  public.wish_wall(uuid) to anon;
grant execute on function public.post_wish(uuid, text, text, text, text, numeric, uuid, boolean, text, text, text),
  public.vet_wish(uuid, boolean, text), public.claim_wish(uuid, text), public.release_wish(uuid),
  public.fulfil_wish(uuid, text, jsonb), public.confirm_wish(uuid, text), public.wish_json(public.wishes),
  public.estate_wishes(uuid), public.wish_detail(uuid), public.wish_queue(uuid), public.wish_wall(uuid) to authenticated;
