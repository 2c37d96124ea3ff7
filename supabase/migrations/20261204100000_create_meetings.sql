-- ============================================================================
-- Meetings (居民议事会 and the other kinds): the tables. A meeting has an
-- agenda of items (an accepted or deliberating issue, or a free topic), the
-- people present (attendance: a member with an account, or a name and unit
-- for someone without one) and the proxies they hold, and, in the room,
-- motions on an item, their seconds (附议), the speakers' queue and the
-- decision. Every step is also a row of meeting_events, with its time: the
-- minutes are assembled from that record.
--
-- This file only creates the tables, with row level security on and no grant
-- to anyone: the scheduling and attendance functions, and the room's
-- functions, add their policies, grants and rules in their own migrations.
-- Nobody writes these tables directly; every write goes through functions.
-- ============================================================================

create table public.meetings (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  -- council: 议事会 (the volunteer team and residents' representatives); residents: 居民会议
  -- (居委会组织法 art. 9, valid only with more than half of the electorate present); hearing: 听证会;
  -- owners: 业主大会现场会议 (Civil Code art. 278, participation by area and by owners).
  kind text not null check (kind in ('council', 'residents', 'hearing', 'owners')),
  title text not null check (char_length(title) between 1 and 120),
  description text not null default '' check (char_length(description) <= 2000),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  place text not null check (char_length(place) between 1 and 120),
  online_url text check (online_url ~ '^https://' and char_length(online_url) <= 300),
  -- Null: the whole estate; else the courtyard or building whose residents or owners it concerns.
  scope_area_id uuid references public.areas (id) on delete restrict,
  chair_id uuid references public.profiles (id) on delete set null,
  recorder_id uuid references public.profiles (id) on delete set null,
  -- open: any verified resident; invited: the invitees only; representatives: residents' representatives.
  admission text not null default 'open' check (admission in ('open', 'invited', 'representatives')),
  status text not null default 'scheduled' check (status in ('scheduled', 'in_session', 'closed', 'cancelled')),
  -- The short code residents type (or scan, as a QR code on the notice) to check in at the door.
  checkin_code text not null check (checkin_code ~ '^[0-9]{6}$'),
  -- Rules of procedure, with the 南塘 defaults; each one a setting of the meeting.
  max_proxies integer not null default 2 check (max_proxies between 0 and 10),
  seconds_needed integer not null default 1 check (seconds_needed between 0 and 10),
  speech_seconds integer not null default 120 check (speech_seconds between 30 and 1800),
  speeches_per_motion integer not null default 2 check (speeches_per_motion between 1 and 10),
  alternate_stances boolean not null default true,
  first_speakers_first boolean not null default true,
  -- How a show of hands is decided: more yes than no (a tie fails), or a majority of those voting.
  hands_rule text not null default 'more_yes' check (hands_rule in ('more_yes', 'majority_cast')),
  -- Minutes name nobody when the meeting is anonymous (counts only).
  anonymous boolean not null default false,
  current_item_id uuid,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  opened_at timestamptz,
  closed_at timestamptz,
  check (ends_at > starts_at)
);
create index meetings_estate_id_idx on public.meetings (estate_id, starts_at desc);
create index meetings_scope_area_id_idx on public.meetings (scope_area_id);
create index meetings_chair_id_idx on public.meetings (chair_id);
create index meetings_recorder_id_idx on public.meetings (recorder_id);
create index meetings_created_by_idx on public.meetings (created_by);
-- A code opens one meeting that has not ended.
create unique index meetings_checkin_code_idx on public.meetings (checkin_code) where status in ('scheduled', 'in_session');

/** Who may attend a meeting whose admission is `invited` (or its representatives). */
create table public.meeting_invitees (
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  primary key (meeting_id, user_id)
);
create index meeting_invitees_user_id_idx on public.meeting_invitees (user_id);

create table public.agenda_items (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  position integer not null check (position between 1 and 100),
  -- An accepted or deliberating issue of the estate; null for a free topic.
  issue_id uuid references public.issues (id) on delete restrict,
  title text not null check (char_length(title) between 1 and 120),
  planned_minutes integer not null default 15 check (planned_minutes between 1 and 240),
  status text not null default 'pending' check (status in ('pending', 'current', 'done', 'skipped')),
  started_at timestamptz,
  ended_at timestamptz,
  unique (meeting_id, position) deferrable initially deferred
);
create index agenda_items_issue_id_idx on public.agenda_items (issue_id);
alter table public.meetings add constraint meetings_current_item_id_fkey
  foreign key (current_item_id) references public.agenda_items (id) on delete set null;
create index meetings_current_item_id_idx on public.meetings (current_item_id);

/**
 * The people of a meeting: registered ahead, checked in at the door (by
 * themselves with the code, or by a moderator from the list), checked out
 * when they leave. Someone without an account is a name and a unit, entered
 * by a moderator. Speakers, movers and seconders are attendance rows, so a
 * person without a phone can move, second and speak.
 */
create table public.meeting_attendance (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  user_id uuid references public.profiles (id) on delete set null,
  -- For someone without an account (and kept for the minutes when an account is deleted).
  name text check (char_length(name) between 1 and 40),
  unit_id uuid references public.units (id) on delete set null,
  registered_at timestamptz,
  checked_in_at timestamptz,
  -- Null: checked in by themselves with the code; else the moderator who did it.
  checked_in_by uuid references public.profiles (id) on delete set null,
  checked_out_at timestamptz,
  check (user_id is not null or name is not null),
  check (checked_out_at is null or checked_in_at is not null)
);
create unique index meeting_attendance_user_idx on public.meeting_attendance (meeting_id, user_id) where user_id is not null;
create index meeting_attendance_user_id_idx on public.meeting_attendance (user_id);
create index meeting_attendance_unit_id_idx on public.meeting_attendance (unit_id);
create index meeting_attendance_checked_in_by_idx on public.meeting_attendance (checked_in_by);

/**
 * A proxy (委托): an absent person's voice carried by someone present, with a
 * photo of the signed letter. It counts only while its holder is checked in.
 */
create table public.meeting_proxies (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  holder_id uuid not null references public.meeting_attendance (id) on delete cascade,
  -- The absent person: a member, or a name and unit.
  absent_user_id uuid references public.profiles (id) on delete set null,
  absent_name text check (char_length(absent_name) between 1 and 40),
  absent_unit_id uuid references public.units (id) on delete set null,
  letter_path text check (char_length(letter_path) <= 200),
  recorded_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  check (absent_user_id is not null or absent_name is not null)
);
create index meeting_proxies_meeting_id_idx on public.meeting_proxies (meeting_id);
create index meeting_proxies_holder_id_idx on public.meeting_proxies (holder_id);
create index meeting_proxies_absent_user_id_idx on public.meeting_proxies (absent_user_id);
create index meeting_proxies_absent_unit_id_idx on public.meeting_proxies (absent_unit_id);
create index meeting_proxies_recorded_by_idx on public.meeting_proxies (recorded_by);
-- One live proxy per absent member of a meeting.
create unique index meeting_proxies_absent_idx on public.meeting_proxies (meeting_id, absent_user_id)
  where absent_user_id is not null and revoked_at is null;

/** A motion (动议): a specific, actionable proposal on an agenda item. */
create table public.motions (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  agenda_item_id uuid not null references public.agenda_items (id) on delete cascade,
  mover_id uuid not null references public.meeting_attendance (id) on delete restrict,
  body text not null check (char_length(body) between 1 and 1000),
  -- moved: waiting for seconds; debating: seconded, the floor is open; voting: debate closed;
  -- carried / failed: decided; withdrawn by the mover before the vote.
  status text not null default 'moved' check (status in ('moved', 'debating', 'voting', 'carried', 'failed', 'withdrawn')),
  moved_at timestamptz not null default now(),
  debate_opened_at timestamptz,
  debate_closed_at timestamptz,
  decided_at timestamptz,
  -- A show of hands, as the moderator counted it (the chair's own vote is counted last, in these).
  method text check (method in ('hands', 'ballot')),
  yes integer check (yes >= 0),
  no integer check (no >= 0),
  abstain integer check (abstain >= 0),
  -- A ballot through the votes capability instead.
  vote_id uuid references public.votes (id) on delete set null
);
create index motions_meeting_id_idx on public.motions (meeting_id);
create index motions_agenda_item_id_idx on public.motions (agenda_item_id);
create index motions_mover_id_idx on public.motions (mover_id);
create index motions_vote_id_idx on public.motions (vote_id);

/** A second (附议) of a motion, by name; the mover's own does not count. */
create table public.motion_seconds (
  motion_id uuid not null references public.motions (id) on delete cascade,
  attendance_id uuid not null references public.meeting_attendance (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (motion_id, attendance_id)
);
create index motion_seconds_attendance_id_idx on public.motion_seconds (attendance_id);

/**
 * The speakers' queue and what was said: a hand up (from a phone, or added by
 * the moderator), the stance stated first, the floor given by the chair. The
 * speech stores when it must end, not a ticking counter.
 */
create table public.speeches (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  motion_id uuid not null references public.motions (id) on delete cascade,
  attendance_id uuid not null references public.meeting_attendance (id) on delete cascade,
  -- for / against / question; order: a point of order (程序问题), which goes to the front.
  stance text not null check (stance in ('for', 'against', 'question', 'order')),
  status text not null default 'waiting' check (status in ('waiting', 'speaking', 'done', 'withdrawn')),
  queued_at timestamptz not null default now(),
  queued_by uuid references public.profiles (id) on delete set null,
  floor_at timestamptz,
  ends_at timestamptz,
  ended_at timestamptz,
  check ((status in ('speaking', 'done')) = (floor_at is not null)),
  check (floor_at is null or ends_at > floor_at)
);
create index speeches_meeting_id_idx on public.speeches (meeting_id);
create index speeches_motion_id_idx on public.speeches (motion_id, status, queued_at);
create index speeches_attendance_id_idx on public.speeches (attendance_id);
create index speeches_queued_by_idx on public.speeches (queued_by);
-- One waiting entry per person, and one speaker at a time, per meeting.
create unique index speeches_waiting_idx on public.speeches (meeting_id, attendance_id) where status = 'waiting';
create unique index speeches_speaking_idx on public.speeches (meeting_id) where status = 'speaking';

/** The record of a meeting, step by step with its time; the minutes are built from it. Append-only. */
create table public.meeting_events (
  id bigint generated always as identity primary key,
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  at timestamptz not null default now(),
  actor_id uuid references public.profiles (id) on delete set null,
  kind text not null check (kind ~ '^[a-z_]{2,40}$'),
  agenda_item_id uuid references public.agenda_items (id) on delete set null,
  motion_id uuid references public.motions (id) on delete set null,
  payload jsonb not null default '{}'::jsonb
);
create index meeting_events_meeting_id_idx on public.meeting_events (meeting_id, id);
create index meeting_events_actor_id_idx on public.meeting_events (actor_id);
create index meeting_events_agenda_item_id_idx on public.meeting_events (agenda_item_id);
create index meeting_events_motion_id_idx on public.meeting_events (motion_id);

alter table public.meetings enable row level security;
alter table public.meeting_invitees enable row level security;
alter table public.agenda_items enable row level security;
alter table public.meeting_attendance enable row level security;
alter table public.meeting_proxies enable row level security;
alter table public.motions enable row level security;
alter table public.motion_seconds enable row level security;
alter table public.speeches enable row level security;
alter table public.meeting_events enable row level security;
revoke all on public.meetings, public.meeting_invitees, public.agenda_items, public.meeting_attendance, public.meeting_proxies,
  public.motions, public.motion_seconds, public.speeches, public.meeting_events from anon, authenticated;

/**
 * Appends one step to a meeting's record. Every meeting function (scheduling,
 * attendance, the room) writes its steps through it, so the record has one
 * shape. Security definer: nobody writes the record directly; not executable
 * by signed-in users, only by the functions that checked who is asking.
 */
create function private.log_meeting_event(p_meeting_id uuid, p_kind text, p_agenda_item_id uuid, p_motion_id uuid,
  p_payload jsonb) returns bigint
language sql security definer set search_path = '' as $$
  insert into public.meeting_events (meeting_id, actor_id, kind, agenda_item_id, motion_id, payload)
  values (p_meeting_id, auth.uid(), p_kind, p_agenda_item_id, p_motion_id, coalesce(p_payload, '{}'::jsonb))
  returning id
$$;
revoke all on function private.log_meeting_event(uuid, text, uuid, uuid, jsonb) from public;
grant execute on function private.log_meeting_event(uuid, text, uuid, uuid, jsonb) to service_role;

-- ----------------------------------------------------------------------------
-- Who reads what. Writes are granted by the functions' migrations only.
-- ----------------------------------------------------------------------------

grant select on public.meetings, public.agenda_items, public.meeting_events to anon, authenticated;
grant select on public.meeting_attendance, public.meeting_proxies, public.meeting_invitees,
  public.motions, public.motion_seconds, public.speeches to authenticated;

/** A meeting is read where its estate's issues are: by members, administrators, and anyone for a public board. */
create policy "Readers of the estate can read its meetings" on public.meetings for select to anon, authenticated
  using (estate_id in (select unnest(private.readable_estates())));
/** The agenda is as public as its meeting. */
create policy "Readers of the estate can read agendas" on public.agenda_items for select to anon, authenticated
  using (exists (select 1 from public.meetings m where m.id = meeting_id));
/** The record is as public as its meeting; who acted (actor_id) has no column grant to anyone (see below). */
create policy "Readers of the estate can read meeting records" on public.meeting_events for select to anon, authenticated
  using (exists (select 1 from public.meetings m where m.id = meeting_id));
/** Who came, who holds whose proxy, who moved, seconded and spoke: the estate's verified members and administrators only. */
create policy "Members can read who attends" on public.meeting_attendance for select to authenticated
  using (exists (select 1 from public.meetings m where m.id = meeting_id
    and (m.estate_id = any(private.member_estates()) or private.is_admin())));
/** Proxies are read like attendance. */
create policy "Members can read proxies" on public.meeting_proxies for select to authenticated
  using (exists (select 1 from public.meetings m where m.id = meeting_id
    and (m.estate_id = any(private.member_estates()) or private.is_admin())));
/** Invitees are read like attendance. */
create policy "Members can read invitees" on public.meeting_invitees for select to authenticated
  using (exists (select 1 from public.meetings m where m.id = meeting_id
    and (m.estate_id = any(private.member_estates()) or private.is_admin())));
/** Motions name their mover (an attendance row): read like attendance. */
create policy "Members can read motions" on public.motions for select to authenticated
  using (exists (select 1 from public.meetings m where m.id = meeting_id
    and (m.estate_id = any(private.member_estates()) or private.is_admin())));
/** Seconds are read like motions. */
create policy "Members can read seconds" on public.motion_seconds for select to authenticated
  using (exists (select 1 from public.motions mo join public.meetings m on m.id = mo.meeting_id where mo.id = motion_id
    and (m.estate_id = any(private.member_estates()) or private.is_admin())));
/** The speakers' queue is read like attendance. */
create policy "Members can read speeches" on public.speeches for select to authenticated
  using (exists (select 1 from public.meetings m where m.id = meeting_id
    and (m.estate_id = any(private.member_estates()) or private.is_admin())));
-- Who created or acted is personal: those columns are read through the functions only.
revoke select on public.meetings, public.meeting_events from anon, authenticated;
grant select (id, estate_id, kind, title, description, starts_at, ends_at, place, online_url, scope_area_id, admission, status,
  max_proxies, seconds_needed, speech_seconds, speeches_per_motion, alternate_stances, first_speakers_first, hands_rule,
  anonymous, current_item_id, created_at, updated_at, opened_at, closed_at) on public.meetings to anon, authenticated;
grant select (id, meeting_id, at, kind, agenda_item_id, motion_id) on public.meeting_events to anon, authenticated;
