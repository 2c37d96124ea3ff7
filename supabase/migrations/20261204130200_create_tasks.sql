-- ============================================================================
-- Tasks (任务) claimed by party members and volunteers, carried out, reported
-- done, confirmed, and only then credited to the time bank (issue #15).
--
-- A task comes from an approved, publicized or in-progress issue, or stands
-- alone (敲门行动: visiting elders). It has a place (an area, optionally a
-- point), a window (starts_at → ends_at), slots, estimated hours, and who may
-- claim it: registered party members (在职党员进社区; the party capability
-- adds registration, until then the party_member role), the volunteers of one
-- team, or any verified resident of the estate. A person claims at most the
-- community's monthly cap (work_settings).
--
-- The lifecycle of a claim: claimed (or assigned by a moderator for someone
-- who asked in person) → started (on the day: checked in, by the task's QR
-- code when it asks for one) → reported (hours, note, optional photo) →
-- confirmed (by the task's owner or the estate's managers, never by the
-- claimer: hours credited here, once) or disputed (then the team's leaders
-- or the committee decide). A claim can be released by its claimer until the
-- cut-off before the start; a claim not started within no_show_minutes of
-- the start is released by the sweep, with a notice.
--
-- Races are the database's: a task's row lock orders its claims, so the last
-- slot goes to exactly one of many; a claim's row lock orders confirmations,
-- and the ledger's unique index credits a claim once whatever happens.
-- ============================================================================

create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  -- The issue whose decision the task carries out; null for a free-standing task.
  issue_id uuid references public.issues (id) on delete set null,
  -- The kind of work: what turns its hours into 时间币 (work_settings.coin_rates).
  kind text not null default 'other' check (kind in ('visit', 'repair', 'cleaning', 'escort', 'care', 'event', 'other')),
  title text not null check (char_length(title) between 1 and 80),
  needed text not null check (char_length(needed) between 1 and 1000),
  area_id uuid references public.areas (id) on delete set null,
  point_x numeric(10, 6),
  point_y numeric(10, 6),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  slots integer not null check (slots between 1 and 200),
  -- How many claims hold a slot (claimed through confirmed), kept under the task's row lock.
  taken integer not null default 0 check (taken >= 0 and taken <= slots),
  est_hours numeric(4, 1) not null check (est_hours > 0 and est_hours <= 24),
  -- party: registered party members; team: the volunteers of team_id; resident: any verified member of the estate.
  eligible text not null default 'resident' check (eligible in ('party', 'team', 'resident')),
  team_id uuid references public.teams (id) on delete restrict,
  -- When set, the claimer starts by scanning the QR code shown at the place, which carries this code.
  checkin_code text check (checkin_code ~ '^[0-9a-f]{16}$'),
  status text not null default 'open' check (status in ('open', 'closed', 'cancelled')),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  check (ends_at > starts_at and ends_at <= starts_at + interval '7 days'),
  check ((eligible = 'team') = (team_id is not null)),
  check ((point_x is null) = (point_y is null))
);
create index tasks_estate_open_idx on public.tasks (estate_id, starts_at) where status = 'open';
create index tasks_estate_idx on public.tasks (estate_id, created_at desc);
create index tasks_issue_id_idx on public.tasks (issue_id);
create index tasks_area_id_idx on public.tasks (area_id);
create index tasks_team_id_idx on public.tasks (team_id);
create index tasks_created_by_idx on public.tasks (created_by);

create table public.task_claims (
  id uuid primary key default gen_random_uuid(),
  task_id uuid not null references public.tasks (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  status text not null default 'claimed' check (status in ('claimed', 'started', 'reported', 'confirmed', 'disputed', 'released')),
  -- A moderator who assigned the claim for someone who asked in person.
  assigned_by uuid references public.profiles (id) on delete set null,
  claimed_at timestamptz not null default now(),
  started_at timestamptz,
  hours numeric(4, 1) check (hours > 0 and hours <= 24),
  report text check (char_length(report) <= 500),
  photo_path text check (char_length(photo_path) <= 300),
  reported_at timestamptz,
  decided_by uuid references public.profiles (id) on delete set null,
  decided_at timestamptz,
  dispute_reason text check (char_length(dispute_reason) <= 300),
  released_at timestamptz,
  -- self: the claimer let it go; no_show: the sweep; moderator: the estate's moderators.
  release_reason text check (release_reason in ('self', 'no_show', 'moderator')),
  check ((status = 'released') = (released_at is not null)),
  check (status not in ('reported', 'confirmed', 'disputed') or (hours is not null and reported_at is not null))
);
-- One live claim per person per task: claiming twice at once → one.
create unique index task_claims_once_idx on public.task_claims (task_id, user_id) where status <> 'released';
create index task_claims_task_idx on public.task_claims (task_id, status);
create index task_claims_user_idx on public.task_claims (user_id, claimed_at);
create index task_claims_assigned_by_idx on public.task_claims (assigned_by);
create index task_claims_decided_by_idx on public.task_claims (decided_by);

comment on table public.tasks is 'Tasks of an estate: read by its verified members and managers; written by the task functions only.';
comment on table public.task_claims is
  'Claims of tasks: read by the claimer, the task''s poster and the estate''s moderators (the staff); written by the task functions only.';

insert into public.notification_kinds (kind) values ('task_assigned'), ('claim_released'), ('work_reported'), ('work_confirmed'), ('work_disputed');
insert into public.issue_event_kinds (kind) values ('task_posted');

alter table public.tasks enable row level security;
alter table public.task_claims enable row level security;
revoke all on public.tasks, public.task_claims from anon, authenticated;
grant select on public.tasks, public.task_claims to authenticated;

/** Tasks are seen by the estate's verified members, who may claim them, and by its managers. */
create policy "Members of the estate can read its tasks" on public.tasks for select to authenticated
  using (estate_id = any(private.member_estates()) or estate_id = any(private.managed_estates()));
/** A claim is seen by its claimer, by the estate's moderators and managers. */
create policy "Claimers, moderators and managers can read claims" on public.task_claims for select to authenticated
  using (user_id = (select auth.uid())
    or task_id in (select t.id from public.tasks t where t.estate_id = any(private.estates_with_role(array['moderator', 'committee']))
                     or t.estate_id = any(private.managed_estates())));

-- ----------------------------------------------------------------------------
-- Helpers.
-- ----------------------------------------------------------------------------

/** Whether a person may claim a task: the task's eligibility, for a verified member of its estate. */
create function private.may_claim(p_task public.tasks, p_user_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.memberships m where m.estate_id = p_task.estate_id and m.user_id = p_user_id and m.status = 'verified'
      and case p_task.eligible
        when 'resident' then true
        when 'party' then 'party_member' = any(m.roles) or exists (select 1 from public.party_members pm
          join public.estates e on e.community_id = pm.community_id where e.id = p_task.estate_id and pm.user_id = p_user_id)
        when 'team' then exists (select 1 from public.team_members tm where tm.team_id = p_task.team_id and tm.user_id = p_user_id)
        else false end)
$$;

/** The people who decide a disputed report: the leaders of the task's team, else the estate's committee. */
create function private.task_deciders(p_task public.tasks) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select case when p_task.team_id is not null and exists (select 1 from public.team_members where team_id = p_task.team_id and role = 'leader')
    then (select array_agg(user_id) from public.team_members where team_id = p_task.team_id and role = 'leader')
    else private.committee_of(p_task.estate_id) end
$$;

/** What a notification about a task carries: its title and the page to open. */
create function private.task_payload(p_task public.tasks) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('task_id', p_task.id, 'title', p_task.title, 'starts_at', p_task.starts_at,
    'path', '/estates/' || p_task.estate_id || '/tasks/' || p_task.id)
$$;

/**
 * Takes a slot of a task for a person, under the task's row lock: the task
 * must be open, not started, not full; the person eligible, not already on it,
 * and under the community's monthly cap (counted under their account's lock).
 */
create function private.take_slot(p_task_id uuid, p_user_id uuid, p_assigned_by uuid) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  t public.tasks;
  v_community uuid;
  v_cap integer;
  v_count integer;
  v_account uuid;
  v_id uuid;
begin
  select * into t from public.tasks where id = p_task_id for update;
  select community_id into v_community from public.estates where id = t.estate_id;
  if t.status <> 'open' or t.starts_at <= now() then
    perform private.fail('22023', 'errors.task_closed');
  end if;
  if not private.may_claim(t, p_user_id) then
    perform private.fail('42501', case t.eligible when 'party' then 'errors.task_party_only' when 'team' then 'errors.task_team_only'
      else 'errors.not_member' end);
  end if;
  if exists (select 1 from public.task_claims where task_id = t.id and user_id = p_user_id and status <> 'released') then
    perform private.fail('23505', 'errors.task_claimed_already');
  end if;
  if t.taken >= t.slots then
    perform private.fail('22023', 'errors.task_full');
  end if;
  -- The monthly cap, per calendar month of the task's start in China time, across the community.
  v_account := private.time_account(v_community, 'person', p_user_id);
  perform 1 from public.time_accounts where id = v_account for update;
  v_cap := (private.work_settings_of(v_community)).monthly_claim_cap;
  select count(*) into v_count from public.task_claims c join public.tasks x on x.id = c.task_id
    join public.estates e on e.id = x.estate_id
  where c.user_id = p_user_id and c.status <> 'released' and e.community_id = v_community
    and date_trunc('month', x.starts_at at time zone 'Asia/Shanghai') = date_trunc('month', t.starts_at at time zone 'Asia/Shanghai');
  if v_count >= v_cap then
    perform private.fail('22023', 'errors.task_monthly_cap');
  end if;
  insert into public.task_claims (task_id, user_id, assigned_by) values (t.id, p_user_id, p_assigned_by) returning id into v_id;
  update public.tasks set taken = taken + 1 where id = t.id;
  return v_id;
end
$$;

/** Gives a claim's slot back (under the task's row lock) and records why. */
create function private.release_slot(p_claim public.task_claims, p_reason text) returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform 1 from public.tasks where id = p_claim.task_id for update;
  update public.task_claims set status = 'released', released_at = now(), release_reason = p_reason where id = p_claim.id;
  update public.tasks set taken = taken - 1 where id = p_claim.task_id;
end
$$;

revoke all on function private.may_claim(public.tasks, uuid), private.task_deciders(public.tasks), private.task_payload(public.tasks),
  private.take_slot(uuid, uuid, uuid), private.release_slot(public.task_claims, text) from public;

-- ----------------------------------------------------------------------------
-- Definer halves of the API: they check who is asking.
-- ----------------------------------------------------------------------------

/**
 * The estate's moderators or committee post a task: from an issue of the
 * estate that is approved, publicized or in progress, or free-standing.
 * A team task names a team of the estate.
 */
create function private.post_task(p_estate_id uuid, p_issue_id uuid, p_kind text, p_title text, p_needed text, p_area_id uuid,
  p_point_x numeric, p_point_y numeric, p_starts_at timestamptz, p_ends_at timestamptz, p_slots integer, p_est_hours numeric,
  p_eligible text, p_team_id uuid, p_checkin boolean) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_id uuid;
begin
  if not private.moderates_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if p_issue_id is not null and not exists (select 1 from public.issues where id = p_issue_id and estate_id = p_estate_id
      and status in ('approved', 'publicized', 'in_progress')) then
    perform private.fail('22023', 'errors.task_issue_not_approved', 'issue_id');
  end if;
  if p_kind is null or p_kind not in ('visit', 'repair', 'cleaning', 'escort', 'care', 'event', 'other') then
    perform private.fail('22023', 'errors.task_kind_invalid', 'kind');
  end if;
  if coalesce(trim(p_title), '') = '' or char_length(trim(p_title)) > 80 then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  if coalesce(trim(p_needed), '') = '' or char_length(trim(p_needed)) > 1000 then
    perform private.fail('22023', 'errors.task_needed_invalid', 'needed');
  end if;
  if p_area_id is not null and not exists (select 1 from public.areas where id = p_area_id and estate_id = p_estate_id) then
    perform private.fail('22023', 'errors.area_not_in_estate', 'area_id');
  end if;
  if (p_point_x is null) <> (p_point_y is null) then
    perform private.fail('22023', 'errors.point_invalid', 'point');
  end if;
  if p_starts_at is null or p_starts_at <= now() then
    perform private.fail('22023', 'errors.task_start_past', 'starts_at');
  end if;
  if p_ends_at is null or p_ends_at <= p_starts_at or p_ends_at > p_starts_at + interval '7 days' then
    perform private.fail('22023', 'errors.task_window_invalid', 'ends_at');
  end if;
  if p_slots is null or p_slots not between 1 and 200 then
    perform private.fail('22023', 'errors.task_slots_invalid', 'slots');
  end if;
  if p_est_hours is null or p_est_hours <= 0 or p_est_hours > 24
     or p_est_hours * interval '1 hour' > p_ends_at - p_starts_at then
    perform private.fail('22023', 'errors.task_hours_invalid', 'est_hours');
  end if;
  if p_eligible is null or p_eligible not in ('party', 'team', 'resident') then
    perform private.fail('22023', 'errors.task_eligible_invalid', 'eligible');
  end if;
  if (p_eligible = 'team') <> (p_team_id is not null)
     or (p_team_id is not null and not exists (select 1 from public.teams where id = p_team_id and estate_id = p_estate_id)) then
    perform private.fail('22023', 'errors.task_team_required', 'team_id');
  end if;
  insert into public.tasks (estate_id, issue_id, kind, title, needed, area_id, point_x, point_y, starts_at, ends_at, slots,
    est_hours, eligible, team_id, checkin_code, created_by)
  values (p_estate_id, p_issue_id, p_kind, trim(p_title), trim(p_needed), p_area_id, p_point_x, p_point_y, p_starts_at, p_ends_at,
    p_slots, round(p_est_hours, 1), p_eligible, p_team_id,
    case when p_checkin then left(replace(gen_random_uuid()::text, '-', ''), 16) end, v_uid)
  returning id into v_id;
  if p_issue_id is not null then
    perform private.log_issue_event(p_issue_id, 'task_posted', null, null, null, trim(p_title), null);
  end if;
  return jsonb_build_object('id', v_id);
end
$$;

/** The caller claims a slot of a task. */
create function private.claim_task(p_task_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_claim uuid;
begin
  if not exists (select 1 from public.tasks where id = p_task_id and estate_id = any(private.member_estates())) then
    perform private.fail('P0002', 'errors.task_not_found');
  end if;
  v_claim := private.take_slot(p_task_id, v_uid, null);
  -- A statement of its own: the slot just taken is seen.
  return jsonb_build_object('claim_id', v_claim, 'left', (select slots - taken from public.tasks where id = p_task_id));
end
$$;

/** A moderator of the estate claims a slot for a member who asked in person; the member is told. */
create function private.assign_task(p_task_id uuid, p_user_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  t public.tasks;
  v_claim uuid;
begin
  select * into t from public.tasks where id = p_task_id;
  if t.id is null or not private.moderates_estate(t.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if p_user_id is null or not private.is_member_of(t.estate_id, p_user_id) then
    perform private.fail('P0002', 'errors.member_not_found', 'user_id');
  end if;
  v_claim := private.take_slot(p_task_id, p_user_id, v_uid);
  perform private.notify(array[p_user_id], 'task_assigned', t.issue_id, private.task_payload(t));
  return jsonb_build_object('claim_id', v_claim);
end
$$;

/** The claimer lets a claim go, until the community's cut-off before the task starts. */
create function private.release_claim(p_claim_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  c public.task_claims;
  t public.tasks;
begin
  select * into c from public.task_claims where id = p_claim_id and user_id = v_uid for update;
  if c.id is null then
    perform private.fail('P0002', 'errors.claim_not_found');
  end if;
  if c.status <> 'claimed' then
    perform private.fail('22023', 'errors.claim_not_releasable');
  end if;
  select * into t from public.tasks where id = c.task_id;
  if now() > t.starts_at - make_interval(hours => (private.work_settings_of(
      (select community_id from public.estates where id = t.estate_id))).release_cutoff_hours) then
    perform private.fail('22023', 'errors.claim_past_cutoff');
  end if;
  perform private.release_slot(c, 'self');
  return jsonb_build_object('claim_id', c.id, 'status', 'released');
end
$$;

/**
 * The claimer starts on the day (from an hour before the start until the end):
 * with the code of the task's QR code at the place when the task asks for one.
 */
create function private.start_work(p_claim_id uuid, p_code text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  c public.task_claims;
  t public.tasks;
begin
  select * into c from public.task_claims where id = p_claim_id and user_id = v_uid for update;
  if c.id is null then
    perform private.fail('P0002', 'errors.claim_not_found');
  end if;
  if c.status <> 'claimed' then
    perform private.fail('22023', 'errors.claim_not_startable');
  end if;
  select * into t from public.tasks where id = c.task_id;
  if now() < t.starts_at - interval '1 hour' or now() > t.ends_at then
    perform private.fail('22023', 'errors.claim_not_now');
  end if;
  if t.checkin_code is not null and lower(trim(coalesce(p_code, ''))) <> t.checkin_code then
    perform private.fail('22023', 'errors.checkin_code_wrong', 'code');
  end if;
  update public.task_claims set status = 'started', started_at = now() where id = c.id;
  return jsonb_build_object('claim_id', c.id, 'status', 'started');
end
$$;

/**
 * The claimer reports the work done: hours (more than zero, no more than the
 * task's window), a note, optionally a photo already stored by the photo
 * pipeline. A claim not started (no check-in asked) may be reported after
 * the start.
 */
create function private.report_done(p_claim_id uuid, p_hours numeric, p_report text, p_photo_path text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  c public.task_claims;
  t public.tasks;
begin
  select * into c from public.task_claims where id = p_claim_id and user_id = v_uid for update;
  if c.id is null then
    perform private.fail('P0002', 'errors.claim_not_found');
  end if;
  select * into t from public.tasks where id = c.task_id;
  if not (c.status = 'started' or (c.status = 'claimed' and t.checkin_code is null and now() >= t.starts_at)) then
    perform private.fail('22023', 'errors.claim_not_reportable');
  end if;
  if p_hours is null or p_hours <= 0 or p_hours <> round(p_hours, 1)
     or p_hours * interval '1 hour' > t.ends_at - t.starts_at then
    perform private.fail('22023', 'errors.hours_invalid', 'hours');
  end if;
  if char_length(p_report) > 500 then
    perform private.fail('22023', 'errors.report_too_long', 'report');
  end if;
  if p_photo_path is not null and p_photo_path !~ '^tasks/[0-9a-f-]{36}/[A-Za-z0-9_.-]{1,80}$' then
    perform private.fail('22023', 'errors.photo_invalid', 'photo');
  end if;
  update public.task_claims set status = 'reported', hours = p_hours, report = nullif(trim(p_report), ''),
    photo_path = p_photo_path, reported_at = now(), started_at = coalesce(started_at, now())
  where id = c.id;
  perform private.notify(array_remove(array[t.created_by], v_uid), 'work_reported', t.issue_id,
    private.task_payload(t) || jsonb_build_object('hours', p_hours));
  return jsonb_build_object('claim_id', c.id, 'status', 'reported');
end
$$;

/**
 * The task's owner (who posted it) or the estate's committee confirms a
 * reported claim, and the hours are credited, or disputes it with a reason,
 * and the decision goes to the team's leaders (else the committee), who then
 * confirm or dispute for good. Never the claimer. Under the claim's row lock,
 * many confirmations at once credit once.
 */
create function private.confirm_work(p_claim_id uuid, p_accept boolean, p_reason text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  c public.task_claims;
  t public.tasks;
  v_credit jsonb;
begin
  select * into c from public.task_claims where id = p_claim_id for update;
  select * into t from public.tasks where id = c.task_id;
  if c.id is null or not (t.estate_id = any(private.member_estates() || private.managed_estates())) then
    perform private.fail('P0002', 'errors.claim_not_found');
  end if;
  if c.user_id = v_uid then
    perform private.fail('42501', 'errors.confirm_own_work');
  end if;
  if c.status = 'reported' then
    if not (t.created_by = v_uid or private.manages_estate(t.estate_id)) then
      perform private.fail('42501', 'errors.forbidden');
    end if;
  elsif c.status = 'disputed' then
    if not (v_uid = any(private.task_deciders(t)) or private.manages_estate(t.estate_id)) then
      perform private.fail('42501', 'errors.forbidden');
    end if;
  elsif c.status = 'confirmed' then
    perform private.fail('23505', 'errors.already_credited');
  else
    perform private.fail('22023', 'errors.claim_not_reported');
  end if;
  if p_accept is null then
    perform private.fail('22023', 'errors.decision_required', 'accept');
  end if;
  if not p_accept then
    if coalesce(trim(p_reason), '') = '' or char_length(trim(p_reason)) > 300 then
      perform private.fail('22023', 'errors.reason_required', 'reason');
    end if;
    if c.status = 'disputed' then
      -- The second decision, against: the claim is released and its hours never credited.
      update public.task_claims set decided_by = v_uid, decided_at = now(), dispute_reason = trim(p_reason) where id = c.id;
      perform private.release_slot(c, 'moderator');
    else
      update public.task_claims set status = 'disputed', decided_by = v_uid, decided_at = now(), dispute_reason = trim(p_reason) where id = c.id;
      perform private.notify(array_remove(private.task_deciders(t), v_uid), 'work_disputed', t.issue_id,
        private.task_payload(t) || jsonb_build_object('reason', trim(p_reason)));
    end if;
    perform private.notify(array[c.user_id], 'work_disputed', t.issue_id, private.task_payload(t) || jsonb_build_object('reason', trim(p_reason)));
    return jsonb_build_object('claim_id', c.id, 'status', case when c.status = 'disputed' then 'released' else 'disputed' end);
  end if;
  update public.task_claims set status = 'confirmed', decided_by = v_uid, decided_at = now() where id = c.id;
  v_credit := private.credit_hours((select community_id from public.estates where id = t.estate_id), c.user_id, c.hours, t.kind,
    'task_claim', c.id);
  perform private.notify(array[c.user_id], 'work_confirmed', t.issue_id, private.task_payload(t) || jsonb_build_object('hours', c.hours));
  return jsonb_build_object('claim_id', c.id, 'status', 'confirmed') || v_credit;
end
$$;

/**
 * The sweep: releases claims not started within no_show_minutes of their
 * task's start, with a notice, and closes tasks whose window has ended. A
 * signed-in caller sweeps only estates they belong to; it reveals a count.
 */
create function private.release_no_shows(p_estate_id uuid) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  c public.task_claims;
  t public.tasks;
  v_count integer := 0;
begin
  if auth.uid() is not null and (p_estate_id is null or not (p_estate_id = any(private.member_estates()))) then
    return 0;
  end if;
  for c in select cl.* from public.task_claims cl join public.tasks x on x.id = cl.task_id
    join public.estates e on e.id = x.estate_id
    left join public.work_settings s on s.community_id = e.community_id
    where cl.status = 'claimed' and x.checkin_code is not null
      and now() > x.starts_at + make_interval(mins => coalesce(s.no_show_minutes, 30))
      and (p_estate_id is null or x.estate_id = p_estate_id)
    order by cl.id for update of cl skip locked
  loop
    select * into t from public.tasks where id = c.task_id;
    perform private.release_slot(c, 'no_show');
    perform private.notify(array[c.user_id], 'claim_released', t.issue_id, private.task_payload(t));
    v_count := v_count + 1;
  end loop;
  update public.tasks set status = 'closed' where status = 'open' and ends_at < now() and (p_estate_id is null or estate_id = p_estate_id);
  return v_count;
end
$$;

/** The estate's moderators close (no more claims) or cancel a task; its live claimers are told when it is cancelled. */
create function private.close_task(p_task_id uuid, p_cancel boolean) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  t public.tasks;
  c public.task_claims;
begin
  perform private.require_user();
  select * into t from public.tasks where id = p_task_id for update;
  if t.id is null or not private.moderates_estate(t.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if t.status <> 'open' then
    perform private.fail('22023', 'errors.task_closed');
  end if;
  update public.tasks set status = case when p_cancel then 'cancelled' else 'closed' end where id = t.id;
  if p_cancel then
    for c in select * from public.task_claims where task_id = t.id and status in ('claimed', 'started') loop
      perform private.release_slot(c, 'moderator');
      perform private.notify(array[c.user_id], 'claim_released', t.issue_id, private.task_payload(t));
    end loop;
  end if;
  return jsonb_build_object('id', t.id, 'status', case when p_cancel then 'cancelled' else 'closed' end);
end
$$;

/**
 * A task's page: the task, slots left, the caller's claim and what they may
 * do; for its owner and the estate's moderators, every claim with the
 * claimer's name, and the check-in code for the QR code.
 */
create function private.task_detail(p_task_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  t public.tasks;
  v_staff boolean;
  v_mine public.task_claims;
begin
  select * into t from public.tasks where id = p_task_id and estate_id = any(private.member_estates() || private.managed_estates());
  if t.id is null then
    perform private.fail('P0002', 'errors.task_not_found');
  end if;
  v_staff := t.created_by = v_uid or private.moderates_estate(t.estate_id);
  select * into v_mine from public.task_claims where task_id = t.id and user_id = v_uid and status <> 'released';
  return jsonb_build_object(
    'task', jsonb_build_object('id', t.id, 'estate_id', t.estate_id, 'issue_id', t.issue_id,
      'issue_title', (select title from public.issues where id = t.issue_id), 'kind', t.kind, 'title', t.title, 'needed', t.needed,
      'area_id', t.area_id, 'area_name', (select name from public.areas where id = t.area_id), 'point_x', t.point_x, 'point_y', t.point_y,
      'starts_at', t.starts_at, 'ends_at', t.ends_at, 'slots', t.slots, 'left', t.slots - t.taken, 'est_hours', t.est_hours,
      'eligible', t.eligible, 'team_id', t.team_id, 'team_name', (select name from public.teams where id = t.team_id),
      'checkin', t.checkin_code is not null, 'status', t.status, 'created_at', t.created_at),
    'mine', case when v_mine.id is null then null else jsonb_build_object('id', v_mine.id, 'status', v_mine.status,
      'hours', v_mine.hours, 'report', v_mine.report, 'dispute_reason', v_mine.dispute_reason, 'assigned', v_mine.assigned_by is not null) end,
    'may_claim', v_mine.id is null and t.status = 'open' and t.starts_at > now() and t.taken < t.slots and private.may_claim(t, v_uid),
    'is_staff', v_staff,
    'may_decide', v_uid = any(private.task_deciders(t)) or private.manages_estate(t.estate_id),
    'checkin_code', case when v_staff then t.checkin_code end,
    'claims', case when v_staff then coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'user_id', c.user_id,
        'name', p.display_name, 'status', c.status, 'hours', c.hours, 'report', c.report, 'photo_path', c.photo_path,
        'reported_at', c.reported_at, 'dispute_reason', c.dispute_reason, 'assigned', c.assigned_by is not null)
        order by c.claimed_at, c.id)
      from public.task_claims c join public.profiles p on p.id = c.user_id where c.task_id = t.id and c.status <> 'released'), '[]'::jsonb)
      else '[]'::jsonb end);
end
$$;

/**
 * The claim board: the open tasks of an estate the caller may see, soonest
 * first, with slots left and whether the caller may claim each; filtered by
 * place (an area: a building, or a courtyard with its buildings), kind, and
 * eligibility; "near me" puts the caller's building and courtyard first.
 * Micro-wishes join this board when they land (see docs/api.md).
 */
create function private.claim_board(p_estate_id uuid, p_area_id uuid, p_kind text, p_mine boolean) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_building uuid;
  v_courtyard uuid;
begin
  if not (p_estate_id = any(private.member_estates() || private.managed_estates())) then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  select u.building_id, a.parent_id into v_building, v_courtyard
  from public.memberships m join public.units u on u.id = m.unit_id join public.areas a on a.id = u.building_id
  where m.estate_id = p_estate_id and m.user_id = v_uid;
  return jsonb_build_object(
    'building_id', v_building, 'courtyard_id', v_courtyard,
    'tasks', coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'title', t.title, 'kind', t.kind, 'needed', left(t.needed, 140),
        'area_id', t.area_id, 'area_name', a.name, 'starts_at', t.starts_at, 'ends_at', t.ends_at, 'slots', t.slots,
        'left', t.slots - t.taken, 'est_hours', t.est_hours, 'eligible', t.eligible, 'team_name', tm.name,
        'issue_title', i.title,
        'near', case when t.area_id = v_building then 'building' when t.area_id = v_courtyard or a.parent_id = v_courtyard then 'courtyard'
          else 'estate' end,
        'claimed', mine.id is not null, 'may_claim', mine.id is null and t.taken < t.slots and private.may_claim(t, v_uid))
      order by case when t.area_id = v_building then 0 when t.area_id = v_courtyard or a.parent_id = v_courtyard then 1 else 2 end,
        t.starts_at, t.id)
      from (select * from public.tasks x where x.estate_id = p_estate_id and x.status = 'open' and x.starts_at > now()
              and (p_kind is null or x.kind = p_kind)
            order by x.starts_at limit 200) t
      left join public.areas a on a.id = t.area_id
      left join public.teams tm on tm.id = t.team_id
      left join public.issues i on i.id = t.issue_id
      left join public.task_claims mine on mine.task_id = t.id and mine.user_id = v_uid and mine.status <> 'released'
      where (p_area_id is null or t.area_id = p_area_id or a.parent_id = p_area_id)
        and (not coalesce(p_mine, false) or mine.id is not null or private.may_claim(t, v_uid))), '[]'::jsonb),
    -- The caller's own claims in progress, to start, report or release.
    'my_claims', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'task_id', t.id, 'title', t.title, 'status', c.status,
        'starts_at', t.starts_at, 'ends_at', t.ends_at, 'hours', c.hours) order by t.starts_at)
      from public.task_claims c join public.tasks t on t.id = c.task_id
      where c.user_id = v_uid and t.estate_id = p_estate_id and c.status in ('claimed', 'started', 'reported', 'disputed')), '[]'::jsonb),
    -- Reports waiting for the caller's confirmation (tasks they posted, or all for the committee).
    'to_confirm', coalesce((select jsonb_agg(jsonb_build_object('id', c.id, 'task_id', t.id, 'title', t.title, 'status', c.status,
        'name', p.display_name, 'hours', c.hours, 'report', c.report) order by c.reported_at)
      from public.task_claims c join public.tasks t on t.id = c.task_id join public.profiles p on p.id = c.user_id
      where t.estate_id = p_estate_id and c.user_id <> v_uid
        and ((c.status = 'reported' and (t.created_by = v_uid or private.manages_estate(t.estate_id)))
          or (c.status = 'disputed' and (v_uid = any(private.task_deciders(t)) or private.manages_estate(t.estate_id))))), '[]'::jsonb));
end
$$;

/** A team's page: the team, its members as they choose to show, its open tasks and the confirmed hours of its tasks. */
create function private.team_page(p_team_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_team public.teams;
begin
  select * into v_team from public.teams where id = p_team_id and estate_id = any(private.member_estates() || private.managed_estates());
  if v_team.id is null then
    perform private.fail('P0002', 'errors.team_not_found');
  end if;
  return jsonb_build_object(
    'team', jsonb_build_object('id', v_team.id, 'estate_id', v_team.estate_id, 'name', v_team.name, 'about', v_team.about,
      'created_at', v_team.created_at),
    'members', private.team_roster(p_team_id),
    'mine', (select jsonb_build_object('role', role, 'shown_name', shown_name, 'skills', to_jsonb(skills), 'availability', availability)
      from public.team_members where team_id = p_team_id and user_id = v_uid),
    'may_manage', private.manages_estate(v_team.estate_id),
    'open_tasks', coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'title', t.title, 'starts_at', t.starts_at,
        'left', t.slots - t.taken, 'est_hours', t.est_hours) order by t.starts_at)
      from public.tasks t where t.team_id = p_team_id and t.status = 'open' and t.starts_at > now()), '[]'::jsonb),
    'hours', (select coalesce(sum(c.hours), 0) from public.task_claims c join public.tasks t on t.id = c.task_id
      where c.status = 'confirmed' and t.team_id = p_team_id));
end
$$;

revoke all on function private.post_task(uuid, uuid, text, text, text, uuid, numeric, numeric, timestamptz, timestamptz, integer, numeric, text, uuid, boolean),
  private.claim_task(uuid), private.assign_task(uuid, uuid), private.release_claim(uuid), private.start_work(uuid, text),
  private.report_done(uuid, numeric, text, text), private.confirm_work(uuid, boolean, text), private.release_no_shows(uuid),
  private.close_task(uuid, boolean), private.task_detail(uuid), private.claim_board(uuid, uuid, text, boolean), private.team_page(uuid) from public;
grant execute on function private.post_task(uuid, uuid, text, text, text, uuid, numeric, numeric, timestamptz, timestamptz, integer, numeric, text, uuid, boolean),
  private.claim_task(uuid), private.assign_task(uuid, uuid), private.release_claim(uuid), private.start_work(uuid, text),
  private.report_done(uuid, numeric, text, text), private.confirm_work(uuid, boolean, text), private.release_no_shows(uuid),
  private.close_task(uuid, boolean), private.task_detail(uuid), private.claim_board(uuid, uuid, text, boolean), private.team_page(uuid)
  to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- The API: security invoker.
-- ----------------------------------------------------------------------------

/** Moderators or the committee post a task, from an approved issue or free-standing. */
create function public.post_task(p_estate_id uuid, p_title text, p_needed text, p_starts_at timestamptz, p_ends_at timestamptz,
  p_slots integer, p_est_hours numeric, p_eligible text default 'resident', p_kind text default 'other', p_issue_id uuid default null,
  p_area_id uuid default null, p_point_x numeric default null, p_point_y numeric default null, p_team_id uuid default null,
  p_checkin boolean default false) returns jsonb
language sql set search_path = '' as $$
  select private.post_task(p_estate_id, p_issue_id, p_kind, p_title, p_needed, p_area_id, p_point_x, p_point_y, p_starts_at, p_ends_at,
    p_slots, p_est_hours, p_eligible, p_team_id, p_checkin)
$$;
/** Claims a slot of a task. */
create function public.claim_task(p_task_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.claim_task(p_task_id) $$;
/** A moderator claims a slot for a member who asked in person. */
create function public.assign_task(p_task_id uuid, p_user_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.assign_task(p_task_id, p_user_id) $$;
/** Lets one's claim go, until the cut-off before the start. */
create function public.release_claim(p_claim_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.release_claim(p_claim_id) $$;
/** Starts on the day (with the check-in QR code's code when the task asks for one). */
create function public.start_work(p_claim_id uuid, p_code text default null) returns jsonb
language sql set search_path = '' as $$ select private.start_work(p_claim_id, p_code) $$;
/** Reports one's claim done, with the hours, a note and optionally a photo. */
create function public.report_done(p_claim_id uuid, p_hours numeric, p_report text default null, p_photo_path text default null) returns jsonb
language sql set search_path = '' as $$ select private.report_done(p_claim_id, p_hours, p_report, p_photo_path) $$;
/** The task's owner or the committee confirms a report (hours credited) or disputes it; disputes go to the team's leaders. */
create function public.confirm_work(p_claim_id uuid, p_accept boolean default true, p_reason text default null) returns jsonb
language sql set search_path = '' as $$ select private.confirm_work(p_claim_id, p_accept, p_reason) $$;
/** Moderators close a task to claims, or cancel it (its claimers are told). */
create function public.close_task(p_task_id uuid, p_cancel boolean default false) returns jsonb
language sql set search_path = '' as $$ select private.close_task(p_task_id, p_cancel) $$;
/** A task's page. */
create function public.task_detail(p_task_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.task_detail(p_task_id) $$;
/** The claim board of an estate: open tasks near the caller, filterable, with slots left. */
create function public.claim_board(p_estate_id uuid, p_area_id uuid default null, p_kind text default null, p_mine boolean default false)
returns jsonb
language sql set search_path = '' as $$ select private.claim_board(p_estate_id, p_area_id, p_kind, p_mine) $$;
/** A team's page: members, open tasks, hours. */
create function public.team_page(p_team_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.team_page(p_team_id) $$;
/** The sweep: releases no-show claims and closes ended tasks (the server runs it each minute, pg_cron on Supabase). */
create function public.release_no_shows() returns integer
language sql security definer set search_path = '' as $$ select private.release_no_shows(null) $$;

revoke execute on function public.post_task(uuid, text, text, timestamptz, timestamptz, integer, numeric, text, text, uuid, uuid, numeric, numeric, uuid, boolean),
  public.claim_task(uuid), public.assign_task(uuid, uuid), public.release_claim(uuid), public.start_work(uuid, text),
  public.report_done(uuid, numeric, text, text), public.confirm_work(uuid, boolean, text), public.close_task(uuid, boolean),
  public.task_detail(uuid), public.claim_board(uuid, uuid, text, boolean), public.team_page(uuid), public.release_no_shows() from public, anon;
grant execute on function public.post_task(uuid, text, text, timestamptz, timestamptz, integer, numeric, text, text, uuid, uuid, numeric, numeric, uuid, boolean),
  public.claim_task(uuid), public.assign_task(uuid, uuid), public.release_claim(uuid), public.start_work(uuid, text),
  public.report_done(uuid, numeric, text, text), public.confirm_work(uuid, boolean, text), public.close_task(uuid, boolean),
  public.task_detail(uuid), public.claim_board(uuid, uuid, text, boolean), public.team_page(uuid) to authenticated;
grant execute on function public.release_no_shows() to service_role;
