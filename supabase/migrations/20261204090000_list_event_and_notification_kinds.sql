-- ============================================================================
-- Timeline events and notifications name their kind from a table, not from a
-- check constraint: every capability (meetings, progress, tasks, the fund)
-- adds its kinds with one insert in its own migration, where a constraint
-- would be redefined by each of them in turn, and the last one to land would
-- silently drop the kinds the others added. Every capability writes its
-- notifications through private.notify (20261201000700), so that the later
-- fan-out to followers and email digests changes one function; a payload's
-- `path` names the page a notification links to, so a new kind needs a
-- message `notify.<kind>`, not new code in the notifications page.
-- ============================================================================

/** What an issue's timeline can record: each capability inserts its kinds. */
create table public.issue_event_kinds (
  kind text primary key check (kind ~ '^[a-z_]{2,40}$')
);
insert into public.issue_event_kinds (kind) values ('proposed'), ('transition'), ('merged_from'),
  ('threshold_reached'), ('published'), ('objection_raised'), ('objection_answered'), ('amended'), ('publication_final');

/** What a person can be notified of: each capability inserts its kinds. */
create table public.notification_kinds (
  kind text primary key check (kind ~ '^[a-z_]{2,40}$')
);
insert into public.notification_kinds (kind) values ('threshold_reached'), ('issue_status'), ('comment_moderated'),
  ('membership_decided'), ('vote_opened'), ('vote_closed'), ('ballot_conflict'),
  ('publication_opened'), ('objection_raised'), ('objection_answered'), ('publication_final');

alter table public.issue_events drop constraint issue_events_kind_check;
alter table public.issue_events add constraint issue_events_kind_fkey foreign key (kind) references public.issue_event_kinds (kind);
alter table public.notifications drop constraint notifications_kind_check;
alter table public.notifications add constraint notifications_kind_fkey foreign key (kind) references public.notification_kinds (kind);
-- The foreign keys are checked on every insert; the kinds tables are tiny and their primary keys serve them.

alter table public.issue_event_kinds enable row level security;
alter table public.notification_kinds enable row level security;
revoke all on public.issue_event_kinds, public.notification_kinds from anon, authenticated;
grant select on public.issue_event_kinds, public.notification_kinds to anon, authenticated;
/** The kinds are no secret; they change with migrations only. */
create policy "Anyone can read the timeline kinds" on public.issue_event_kinds for select to anon, authenticated using (true);
/** The kinds are no secret; they change with migrations only. */
create policy "Anyone can read the notification kinds" on public.notification_kinds for select to anon, authenticated using (true);

