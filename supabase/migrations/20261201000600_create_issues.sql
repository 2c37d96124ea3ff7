-- ============================================================================
-- Issues (议题): what residents raise, support (附议), discuss and the
-- committee takes up. Tables, the lifecycle as data, row level security, and
-- the counters the board reads (status counts, comment counts, photo marks).
-- Every change of status is an append-only event in issue_events.
-- ============================================================================

/**
 * The distinct character pairs of a text, ignoring spaces and punctuation.
 * Chinese has no spaces between words, and a two-character pair is the
 * typical word (长椅, 充电, 车棚), so shared pairs measure likeness far better
 * than trigrams do on short Chinese titles, and they index a search (see
 * issue_search_pairs). Public, not private: the board computes a search's
 * pairs as its reader, anon too on public boards, and anon may not name
 * schema private. Not security definer: it reads nothing.
 */
create function public.character_pairs(p_text text) returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select coalesce(array_agg(distinct substr(t, i, 2)), '{}')
  from (select lower(regexp_replace(coalesce(p_text, ''), '[[:space:][:punct:]，。！？、；：“”‘’（）《》【】…—·]+', '', 'g')) as t) c,
       generate_series(1, greatest(char_length(t) - 1, 0)) i
$$;
revoke execute on function public.character_pairs(text) from public;
grant execute on function public.character_pairs(text) to anon, authenticated, service_role;

/** The stored title pairs of similar_issues: one definition of a pair, character_pairs'. */
create function private.bigrams(p_text text) returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select public.character_pairs(p_text)
$$;
grant execute on function private.bigrams(text) to authenticated, service_role;

/** Likeness of two bigram sets: shared pairs over all pairs (Jaccard), 0 to 1. */
create function private.bigram_similarity(a text[], b text[]) returns numeric
language sql immutable parallel safe set search_path = '' as $$
  select case when cardinality(a) = 0 or cardinality(b) = 0 then 0
    else (select count(*) from (select unnest(a) intersect select unnest(b)) i)::numeric
       / (select count(*) from (select unnest(a) union select unnest(b)) u) end
$$;
grant execute on function private.bigram_similarity(text[], text[]) to authenticated, service_role;

/** Statuses that count as open: on the board's first tab, offered as similar issues, and open to supports. */
create function private.open_statuses() returns text[]
language sql immutable set search_path = '' as $$
  select array['proposed', 'accepted', 'deliberating', 'voting', 'approved', 'publicized', 'in_progress', 'following_up']
$$;
grant execute on function private.open_statuses() to authenticated, service_role;

-- Estate settings for issues.
alter table public.estates
  add column board_public boolean not null default false,
  add column support_threshold integer not null default 10 check (support_threshold between 1 and 10000);

create table public.issues (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  area_id uuid not null references public.areas (id) on delete restrict,
  -- An optional exact point inside the area: [lng, lat] or plan [x, y], as the estate's map mode says.
  point_x numeric(12, 7),
  point_y numeric(12, 7),
  category text not null check (category in ('facilities', 'greening', 'sanitation', 'parking', 'safety',
    'elderly_children', 'dogs', 'renovation', 'other')),
  title text not null check (char_length(title) between 1 and 60),
  body text not null default '' check (char_length(body) <= 5000),
  status text not null default 'proposed',
  channel text not null default 'app' check (channel in ('app', 'hotline', 'visit', 'meeting', 'paper')),
  -- Who typed it in: the resident, or the volunteer recording it for them.
  author_id uuid not null references public.profiles (id) on delete restrict,
  merged_into uuid references public.issues (id) on delete set null,
  title_bigrams text[] generated always as (private.bigrams(title)) stored,
  support_count integer not null default 0 check (support_count >= 0),
  comment_count integer not null default 0 check (comment_count >= 0),
  threshold_reached_at timestamptz,
  created_at timestamptz not null default now(),
  last_activity_at timestamptz not null default now(),
  -- Kept by private.on_issue_photo, so that a board row need not look up photos through their policy.
  has_photo boolean not null default false,
  check ((point_x is null) = (point_y is null)),
  check (merged_into is null or merged_into <> id)
);

-- The board pages along one index per sort, each ending in id, so that a
-- keyset cursor (key, id) is an index condition, not a filter; one status
-- tab walks that status's own index for each sort.
create index issues_estate_created_idx on public.issues (estate_id, created_at desc, id desc);
create index issues_estate_activity_idx on public.issues (estate_id, last_activity_at desc, id desc);
create index issues_estate_support_idx on public.issues (estate_id, support_count desc, created_at desc, id desc);
create index issues_estate_status_idx on public.issues (estate_id, status, created_at desc, id desc);
create index issues_estate_status_support_idx on public.issues (estate_id, status, support_count desc, created_at desc, id desc);
create index issues_estate_status_activity_idx on public.issues (estate_id, status, last_activity_at desc, id desc);

create index issues_area_id_idx on public.issues (area_id);
create index issues_author_id_idx on public.issues (author_id);
create index issues_merged_into_idx on public.issues (merged_into);
create index issues_title_bigrams_idx on public.issues using gin (title_bigrams);

-- The resident an issue was recorded for. Separate from issues so that only
-- moderators and the committee can read it.
create table public.issue_behalf (
  issue_id uuid primary key references public.issues (id) on delete cascade,
  estate_id uuid not null references public.estates (id) on delete cascade,
  resident_name text not null check (char_length(resident_name) between 1 and 40),
  resident_contact text check (char_length(resident_contact) <= 60),
  resident_user_id uuid references public.profiles (id) on delete set null
);
create index issue_behalf_estate_id_idx on public.issue_behalf (estate_id);
create index issue_behalf_resident_user_id_idx on public.issue_behalf (resident_user_id);

create table public.issue_photos (
  id uuid primary key default gen_random_uuid(),
  issue_id uuid not null references public.issues (id) on delete cascade,
  position smallint not null check (position between 0 and 5),
  path text not null check (char_length(path) <= 200),
  thumb_path text not null check (char_length(thumb_path) <= 200),
  width integer not null check (width between 1 and 1600),
  height integer not null check (height between 1 and 1600),
  created_at timestamptz not null default now(),
  unique (issue_id, position)
);

create table public.issue_supports (
  issue_id uuid not null references public.issues (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (issue_id, user_id)
);
create index issue_supports_user_id_idx on public.issue_supports (user_id);

-- The lifecycle as data: which action moves which status to which, who may
-- take it, and whether it needs a reason. The UI asks, it does not repeat it.
create table public.issue_transitions (
  action text not null,
  from_status text not null,
  to_status text not null,
  actor text not null check (actor in ('committee', 'author', 'moderator')),
  needs_reason boolean not null default false,
  primary key (action, from_status)
);

insert into public.issue_transitions (action, from_status, to_status, actor, needs_reason) values
  ('accept', 'proposed', 'accepted', 'committee', false),
  ('decline', 'proposed', 'declined', 'committee', true),
  ('merge', 'proposed', 'merged', 'committee', false),
  ('merge', 'accepted', 'merged', 'committee', false),
  ('withdraw', 'proposed', 'withdrawn', 'author', false),
  ('deliberate', 'accepted', 'deliberating', 'committee', false),
  ('follow_up', 'accepted', 'following_up', 'committee', false),
  ('start_work', 'approved', 'publicized', 'committee', false),
  ('start_work', 'publicized', 'in_progress', 'committee', false),
  ('complete', 'in_progress', 'completed', 'committee', false),
  ('reopen', 'declined', 'proposed', 'committee', true);

alter table public.issues add constraint issues_status_check check (status in ('proposed', 'accepted', 'declined',
  'merged', 'withdrawn', 'deliberating', 'voting', 'approved', 'rejected', 'publicized', 'in_progress', 'completed',
  'evaluated', 'following_up'));

create table public.issue_events (
  id bigint generated always as identity primary key,
  issue_id uuid not null references public.issues (id) on delete cascade,
  actor_id uuid references public.profiles (id) on delete set null,
  kind text not null check (kind in ('proposed', 'transition', 'merged_from', 'threshold_reached')),
  action text,
  from_status text,
  to_status text,
  reason text check (char_length(reason) <= 500),
  related_issue_id uuid references public.issues (id) on delete set null,
  created_at timestamptz not null default now()
);
create index issue_events_issue_id_idx on public.issue_events (issue_id, id);
create index issue_events_actor_id_idx on public.issue_events (actor_id);
create index issue_events_related_issue_id_idx on public.issue_events (related_issue_id);

create table public.comments (
  id uuid primary key default gen_random_uuid(),
  issue_id uuid not null references public.issues (id) on delete cascade,
  parent_id uuid references public.comments (id) on delete cascade,
  author_id uuid not null references public.profiles (id) on delete restrict,
  stance text not null check (stance in ('support', 'oppose', 'concern', 'suggestion', 'question')),
  -- Null once its author deleted it (the text is kept in comment_revisions for the author and moderators).
  body text check (char_length(body) between 1 and 2000),
  -- visible; reported (hidden by 3 reports, pending review); hidden (by a moderator); deleted (by its author).
  state text not null default 'visible' check (state in ('visible', 'reported', 'hidden', 'deleted')),
  moderation_reason text check (char_length(moderation_reason) <= 300),
  moderated_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  edited_at timestamptz,
  check (body is not null or state = 'deleted')
);
create index comments_issue_id_idx on public.comments (issue_id, created_at);
create index comments_parent_id_idx on public.comments (parent_id);
create index comments_author_id_idx on public.comments (author_id);
create index comments_moderated_by_idx on public.comments (moderated_by);

create table public.comment_revisions (
  id bigint generated always as identity primary key,
  comment_id uuid not null references public.comments (id) on delete cascade,
  body text not null,
  replaced_at timestamptz not null default now()
);
create index comment_revisions_comment_id_idx on public.comment_revisions (comment_id);

create table public.comment_reports (
  comment_id uuid not null references public.comments (id) on delete cascade,
  reporter_id uuid not null references public.profiles (id) on delete cascade,
  reason text not null check (char_length(reason) between 1 and 300),
  created_at timestamptz not null default now(),
  primary key (comment_id, reporter_id)
);
create index comment_reports_reporter_id_idx on public.comment_reports (reporter_id);

create table public.notifications (
  id bigint generated always as identity primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  kind text not null check (kind in ('threshold_reached', 'issue_status', 'comment_moderated', 'membership_decided',
    'vote_opened', 'vote_closed', 'ballot_conflict')),
  issue_id uuid references public.issues (id) on delete cascade,
  payload jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_user_id_idx on public.notifications (user_id, id desc);
create index notifications_issue_id_idx on public.notifications (issue_id);

-- ----------------------------------------------------------------------------
-- Who may read an estate's issues: its verified members and administrators,
-- and anyone when the estate opened its board to the public.
-- ----------------------------------------------------------------------------

/** Whether the caller may read the issues of an estate. Security definer: reads memberships for the caller only. */
create function private.can_read_issues(p_estate_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.estates e where e.id = p_estate_id and e.board_public)
    or p_estate_id = any(private.member_estates()) or private.is_admin()
$$;
revoke all on function private.can_read_issues(uuid) from public;
grant execute on function private.can_read_issues(uuid) to authenticated, service_role;

/**
 * The estates whose issues the caller may read, as one array: public boards,
 * the caller's verified memberships, every estate for an administrator. A
 * policy that compares estate_id with it runs this once per query, where a
 * per-row can_read_issues(estate_id) would run three lookups for every issue.
 * plpgsql: its queries are planned once per session, and the member's estates
 * and the admin flag are read once, not once per estate.
 */
create function private.readable_estates() returns uuid[]
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is not null and (select p.is_admin from public.profiles p where p.id = v_uid) then
    return array(select e.id from public.estates e);
  end if;
  return array(select e.id from public.estates e where e.board_public
    union select m.estate_id from public.memberships m where m.user_id = v_uid and m.status = 'verified');
end
$$;
revoke all on function private.readable_estates() from public;
grant execute on function private.readable_estates() to authenticated, service_role;

/** Moderators, committee members and administrators of an estate moderate its discussion. */
create function private.moderates_estate(p_estate_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select private.is_admin() or p_estate_id = any(private.estates_with_role(array['moderator', 'committee']))
$$;
revoke all on function private.moderates_estate(uuid) from public;
grant execute on function private.moderates_estate(uuid) to authenticated, service_role;

/** The estate of an issue, for policies on tables that hang off issues. */
create function private.issue_estate(p_issue_id uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select estate_id from public.issues where id = p_issue_id
$$;
revoke all on function private.issue_estate(uuid) from public;
grant execute on function private.issue_estate(uuid) to authenticated, service_role;

/**
 * Whether a comment is a top-level comment of the issue, for the replies policy.
 * Security definer: a policy on comments that read comments would recurse; it answers yes or no about structure only.
 */
create function private.is_top_comment(p_comment_id uuid, p_issue_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.comments where id = p_comment_id and issue_id = p_issue_id and parent_id is null)
$$;
revoke all on function private.is_top_comment(uuid, uuid) from public;
grant execute on function private.is_top_comment(uuid, uuid) to authenticated, service_role;

alter table public.issues enable row level security;
alter table public.issue_behalf enable row level security;
alter table public.issue_photos enable row level security;
alter table public.issue_supports enable row level security;
alter table public.issue_transitions enable row level security;
alter table public.issue_events enable row level security;
alter table public.comments enable row level security;
alter table public.comment_revisions enable row level security;
alter table public.comment_reports enable row level security;
alter table public.notifications enable row level security;

revoke all on public.issues, public.issue_behalf, public.issue_photos, public.issue_supports, public.issue_transitions,
  public.issue_events, public.comments, public.comment_revisions, public.comment_reports, public.notifications
  from anon, authenticated;
grant select on public.issues, public.issue_photos, public.issue_transitions, public.issue_events, public.comments to anon;
grant select on public.issues, public.issue_behalf, public.issue_photos, public.issue_supports, public.issue_transitions,
  public.issue_events, public.comments, public.comment_revisions, public.comment_reports, public.notifications to authenticated;
-- New rows may be written directly under the policies below. Changes to issues
-- (status, counters) and comments (edits, moderation), and every timeline
-- event, go through the functions only: no update grant exists for them.
-- Inserts name their columns, so that a new issue cannot start accepted or
-- with supports, nor a comment hidden, moderated or dated; the rest take their defaults.
grant insert (id, estate_id, area_id, point_x, point_y, category, title, body, channel, author_id) on public.issues to authenticated;
grant insert (id, issue_id, parent_id, author_id, stance, body) on public.comments to authenticated;
grant insert (issue_id, user_id) on public.issue_supports to authenticated;
grant insert (comment_id, reporter_id, reason) on public.comment_reports to authenticated;
grant insert on public.issue_behalf, public.issue_photos to authenticated;
grant delete on public.issue_supports to authenticated;
grant update (read_at) on public.notifications to authenticated;

/** Public boards are readable by anyone: issues only, personal data lives elsewhere. */
create policy "Anyone can read issues of public boards" on public.issues for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
/** Members read their estate's issues; others only when the board is public. */
create policy "Members can read their estate's issues" on public.issues for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));
/**
 * Verified members raise issues, as themselves, in a courtyard or building of
 * the estate; only volunteers, moderators and the committee record them from
 * another channel (hotline, visit, meeting, paper) for a resident.
 */
create policy "Members can raise issues" on public.issues for insert to authenticated
  with check (author_id = (select auth.uid()) and estate_id = any(private.member_estates())
    and exists (select 1 from public.areas a where a.id = area_id and a.estate_id = issues.estate_id and a.kind in ('courtyard', 'building'))
    and (channel = 'app' or estate_id = any(private.estates_with_role(array['volunteer', 'moderator', 'committee']))));
/** The resident an issue was recorded for: moderators and the committee, and the recorder. */
create policy "Moderators and the recorder can read on-behalf residents" on public.issue_behalf for select to authenticated
  using ((select private.moderates_estate(estate_id))
    or exists (select 1 from public.issues i where i.id = issue_id and i.author_id = (select auth.uid())));
/** The recorder names the resident when recording the issue (not one raised in the app). */
create policy "Recorders can name the resident" on public.issue_behalf for insert to authenticated
  with check (exists (select 1 from public.issues i where i.id = issue_id and i.author_id = (select auth.uid())
                      and i.estate_id = issue_behalf.estate_id and i.channel <> 'app'));

/** Photos, events and comments are seen by whoever sees their issue. */
create policy "Anyone who sees the issue can see its photos" on public.issue_photos for select to anon, authenticated
  using (exists (select 1 from public.issues i where i.id = issue_id));
create policy "Authors can add photos to their issues" on public.issue_photos for insert to authenticated
  with check (exists (select 1 from public.issues i where i.id = issue_id and i.author_id = (select auth.uid())));

/** Supports are counted publicly on the issue; who supported is the supporter's own business and the committee's. */
create policy "Supporters and the committee can read supports" on public.issue_supports for select to authenticated
  using (user_id = (select auth.uid()) or (select private.manages_estate(private.issue_estate(issue_id))));
create policy "Members can support open issues of their estate" on public.issue_supports for insert to authenticated
  with check (user_id = (select auth.uid()) and exists (select 1 from public.issues i where i.id = issue_id
    and i.estate_id = any(private.member_estates()) and i.status = any(private.open_statuses())));
create policy "Supporters can withdraw their support" on public.issue_supports for delete to authenticated
  using (user_id = (select auth.uid()));

/** The lifecycle is public knowledge. */
create policy "Anyone can read the issue lifecycle" on public.issue_transitions for select to anon, authenticated using (true);

create policy "Anyone who sees the issue can see its timeline" on public.issue_events for select to anon, authenticated
  using (exists (select 1 from public.issues i where i.id = issue_id));

/** Comments: visible ones to whoever sees the issue; hidden ones to their author and the moderators. */
create policy "Anyone who sees the issue can read its visible comments" on public.comments for select to anon
  using (state in ('visible', 'deleted') and exists (select 1 from public.issues i where i.id = issue_id));
create policy "Readers see visible comments, moderators all" on public.comments for select to authenticated
  using (exists (select 1 from public.issues i where i.id = issue_id)
    and (state in ('visible', 'deleted') or author_id = (select auth.uid())
         or (select private.moderates_estate(private.issue_estate(issue_id)))));
/** A reply answers a top-level comment of the same issue: one level deep. */
create policy "Members can comment on their estate's issues" on public.comments for insert to authenticated
  with check (author_id = (select auth.uid()) and private.issue_estate(issue_id) = any(private.member_estates())
    and (parent_id is null or private.is_top_comment(parent_id, issue_id)));
create policy "Authors and moderators can read comment history" on public.comment_revisions for select to authenticated
  using (exists (select 1 from public.comments c where c.id = comment_id
                 and (c.author_id = (select auth.uid()) or (select private.moderates_estate(private.issue_estate(c.issue_id))))));

create policy "Reporters and moderators can read reports" on public.comment_reports for select to authenticated
  using (reporter_id = (select auth.uid())
    or exists (select 1 from public.comments c where c.id = comment_id and (select private.moderates_estate(private.issue_estate(c.issue_id)))));
create policy "Members can report comments they see" on public.comment_reports for insert to authenticated
  with check (reporter_id = (select auth.uid()) and exists (select 1 from public.comments c where c.id = comment_id
    and c.author_id <> (select auth.uid()) and private.issue_estate(c.issue_id) = any(private.member_estates())));

create policy "People read their own notifications" on public.notifications for select to authenticated
  using (user_id = (select auth.uid()));
create policy "People mark their own notifications read" on public.notifications for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

-- ----------------------------------------------------------------------------
-- Issues per status and estate, for the board's tabs: kept by a trigger, so
-- the board reads a handful of rows instead of counting every issue.
-- ----------------------------------------------------------------------------

-- ----------------------------------------------------------------------------
-- Issues per status and estate, for the board's tabs: kept by a trigger, so
-- the board reads a handful of rows instead of counting every issue.
-- ----------------------------------------------------------------------------

create table public.issue_status_counts (
  estate_id uuid not null references public.estates (id) on delete cascade,
  status text not null,
  n integer not null default 0 check (n >= 0),
  primary key (estate_id, status)
);
comment on table public.issue_status_counts is
  'Issues per estate and status, kept by private.on_issue_status_count; readable by whoever may read the estate''s issues.';

alter table public.issue_status_counts enable row level security;
revoke all on public.issue_status_counts from anon, authenticated;
-- Read only: the trigger writes it, nobody else.
grant select on public.issue_status_counts to anon, authenticated;

/** The counts reveal no more than the issues themselves: the same readers as issues. */
create policy "Anyone can read status counts of public boards" on public.issue_status_counts for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
create policy "Readers of an estate's issues can read its status counts" on public.issue_status_counts for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));

/**
 * Keeps issue_status_counts. Security definer: nobody has a write grant on it.
 * A status change touches two counter rows; they are written in (estate,
 * status) order, so that two opposite changes at once (a decline and a
 * reopening) take the row locks in the same order and cannot deadlock.
 */
create function private.on_issue_status_count() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v record;
begin
  if tg_op = 'UPDATE' and (new.estate_id, new.status) is not distinct from (old.estate_id, old.status) then
    return null;
  end if;
  for v in
    select d.estate_id, d.status, d.delta
    from (select old.estate_id, old.status, -1 where tg_op in ('UPDATE', 'DELETE')
          union all
          select new.estate_id, new.status, 1 where tg_op in ('INSERT', 'UPDATE')) d (estate_id, status, delta)
    order by d.estate_id, d.status
  loop
    if v.delta > 0 then
      insert into public.issue_status_counts as c (estate_id, status, n) values (v.estate_id, v.status, 1)
      on conflict (estate_id, status) do update set n = c.n + 1;
    else
      update public.issue_status_counts set n = n - 1 where estate_id = v.estate_id and status = v.status;
    end if;
  end loop;
  return null;
end
$$;
revoke all on function private.on_issue_status_count() from public;
create trigger issues_status_count after insert or delete or update of status, estate_id on public.issues
  for each row execute function private.on_issue_status_count();

create function private.on_issue_photo() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_issue_id uuid := case tg_op when 'DELETE' then old.issue_id else new.issue_id end;
  v_has boolean;
begin
  v_has := exists (select 1 from public.issue_photos ph where ph.issue_id = v_issue_id);
  -- Only when it changes: every update of an issue row leaves a dead row behind.
  update public.issues i set has_photo = v_has where i.id = v_issue_id and i.has_photo <> v_has;
  return null;
end
$$;
revoke all on function private.on_issue_photo() from public;
create trigger issue_photos_has_photo after insert or delete on public.issue_photos
  for each row execute function private.on_issue_photo();
