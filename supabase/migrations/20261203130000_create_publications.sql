-- ============================================================================
-- Publication windows (公示) with objections: ONE mechanism for anything
-- Linyi publishes for a period (DESIGN §4, Cross-cutting). A publication has
-- a kind (a decision now; minutes and fund reports insert their own kind
-- later), a subject (for a decision: the issue), and its text as ordered
-- paragraphs in revisions that are never edited: an upheld objection is
-- answered by a new revision, which opens a new window. Verified members of
-- the estate object to one paragraph with a reason while the window is open;
-- the committee answers every objection (upheld or rejected with a reason).
-- A publication is final once its window has closed, every objection is
-- answered and no upheld objection waits for its amended revision.
--
-- Its first user is decision publicity: an approved issue is published
-- (approved → publicized, "公示决定"), and it may start work
-- (publicized → in_progress, "开始实施") only once that publication is final;
-- a trigger on issues refuses otherwise, whoever asks.
--
-- Nobody writes these tables directly: every write goes through the
-- functions below, whose private definer halves check who is asking.
-- ============================================================================

-- ----------------------------------------------------------------------------
-- Tables.
-- ----------------------------------------------------------------------------

/** What can be published: later capabilities insert their kind (minutes, fund_report). */
create table public.publication_kinds (
  kind text primary key check (kind ~ '^[a-z_]{2,30}$'),
  -- What a publication's subject_id names, in words for operators: 'issue', 'meeting', 'fund'.
  subject text not null check (char_length(subject) between 1 and 30)
);
insert into public.publication_kinds (kind, subject) values ('decision', 'issue');

create table public.publications (
  id uuid primary key default gen_random_uuid(),
  estate_id uuid not null references public.estates (id) on delete cascade,
  kind text not null references public.publication_kinds (kind),
  -- What is published: for a decision, the issue decided.
  subject_id uuid not null,
  -- The issue whose timeline and followers hear of it (for a decision, the subject itself).
  issue_id uuid references public.issues (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 120),
  window_days integer not null default 7 check (window_days between 1 and 30),
  -- The current revision and its window (each amendment opens a new one).
  revision integer not null default 1 check (revision >= 1),
  opens_at timestamptz not null default now(),
  closes_at timestamptz not null,
  -- open: the window runs; amending: an upheld objection waits for its amended revision;
  -- answering: the window closed with objections unanswered; final; withdrawn.
  status text not null default 'open' check (status in ('open', 'amending', 'answering', 'final', 'withdrawn')),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  final_at timestamptz,
  check (closes_at > opens_at),
  check ((status = 'final') = (final_at is not null))
);
-- One live publication per subject and kind; a withdrawn one may be published again.
create unique index publications_subject_idx on public.publications (kind, subject_id) where status <> 'withdrawn';
create index publications_estate_idx on public.publications (estate_id, created_at desc);
-- The sweep looks for open windows past their end.
create index publications_due_idx on public.publications (closes_at) where status = 'open';
create index publications_issue_id_idx on public.publications (issue_id);
create index publications_created_by_idx on public.publications (created_by);

create table public.publication_revisions (
  publication_id uuid not null references public.publications (id) on delete cascade,
  revision integer not null check (revision >= 1),
  paragraphs text[] not null check (cardinality(paragraphs) between 1 and 50 and array_position(paragraphs, null) is null),
  -- What changed, for an amendment ("按第 2 段异议修改").
  note text check (char_length(note) <= 500),
  opens_at timestamptz not null,
  closes_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (publication_id, revision),
  check (closes_at > opens_at)
);

create table public.objections (
  id uuid primary key default gen_random_uuid(),
  publication_id uuid not null references public.publications (id) on delete cascade,
  revision integer not null,
  paragraph integer not null check (paragraph >= 1),
  reason text not null check (char_length(reason) between 1 and 500),
  objector_id uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  answer text check (answer in ('upheld', 'rejected')),
  answer_reason text check (char_length(answer_reason) <= 500),
  answered_by uuid references public.profiles (id) on delete set null,
  answered_at timestamptz,
  -- For an upheld objection: the revision that amended the text.
  amended_in integer,
  foreign key (publication_id, revision) references public.publication_revisions (publication_id, revision) on delete cascade,
  check ((answer is null) = (answered_at is null)),
  check (answer <> 'rejected' or char_length(trim(answer_reason)) > 0),
  check (amended_in is null or answer = 'upheld')
);
-- One open (unanswered) objection per person per paragraph of a revision: two at once → one.
create unique index objections_open_once_idx on public.objections (publication_id, revision, paragraph, objector_id) where answer is null;
create index objections_publication_idx on public.objections (publication_id, created_at);
create index objections_objector_id_idx on public.objections (objector_id);
create index objections_answered_by_idx on public.objections (answered_by);

comment on table public.publications is
  'Publication windows (公示): read where the estate''s issues are read; written by the publication functions only.';
comment on table public.objections is
  'Objections to one paragraph of a publication: read with the publication (who objected is not: objector_id is personal); written by the functions only.';

/**
 * A revision's text is as published: never edited in place (amendments are
 * new revisions), not even by the tables' owner. Only its window's times may
 * move (the test harness's clock does; nobody else has an update grant).
 */
create function private.refuse_revision_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (new.publication_id, new.revision, new.paragraphs, new.note) is distinct from (old.publication_id, old.revision, old.paragraphs, old.note) then
    raise exception using errcode = '42501', message = 'errors.forbidden', detail = '';
  end if;
  return new;
end
$$;
revoke all on function private.refuse_revision_change() from public;
create trigger publication_revisions_frozen before update on public.publication_revisions
  for each row execute function private.refuse_revision_change();

-- The timeline of an issue says what happened to its publication, and links to it.
alter table public.issue_events drop constraint issue_events_kind_check;
alter table public.issue_events add constraint issue_events_kind_check check (kind in ('proposed', 'transition',
  'merged_from', 'threshold_reached', 'published', 'objection_raised', 'objection_answered', 'amended', 'publication_final'));
alter table public.issue_events add column publication_id uuid references public.publications (id) on delete set null;
create index issue_events_publication_id_idx on public.issue_events (publication_id);
grant select (publication_id) on public.issue_events to anon, authenticated;

alter table public.notifications drop constraint notifications_kind_check;
alter table public.notifications add constraint notifications_kind_check check (kind in ('threshold_reached', 'issue_status',
  'comment_moderated', 'membership_decided', 'vote_opened', 'vote_closed', 'ballot_conflict',
  'publication_opened', 'objection_raised', 'objection_answered', 'publication_final'));

-- The lifecycle: the committee publishes the decision (a step of its own, "公示决定"), and starts the work
-- once the publication is final ("开始实施"); the first step was called start_work too.
delete from public.issue_transitions where action = 'start_work' and from_status = 'approved';
insert into public.issue_transitions (action, from_status, to_status, actor, needs_reason) values
  ('publicize', 'approved', 'publicized', 'committee', false);

-- ----------------------------------------------------------------------------
-- Row level security: read where the estate's issues are read; no writes.
-- ----------------------------------------------------------------------------

alter table public.publication_kinds enable row level security;
alter table public.publications enable row level security;
alter table public.publication_revisions enable row level security;
alter table public.objections enable row level security;

revoke all on public.publication_kinds, public.publications, public.publication_revisions, public.objections from anon, authenticated;
grant select on public.publication_kinds, public.publication_revisions to anon, authenticated;
-- Who published, objected or answered is not for every reader: those columns are read by the definers below only.
grant select (id, estate_id, kind, subject_id, issue_id, title, window_days, revision, opens_at, closes_at, status, created_at, final_at)
  on public.publications to anon, authenticated;
grant select (id, publication_id, revision, paragraph, reason, created_at, answer, answer_reason, answered_at, amended_in)
  on public.objections to anon, authenticated;

/** What can be published is public knowledge. */
create policy "Anyone can read the publication kinds" on public.publication_kinds for select to anon, authenticated using (true);

/** A publication is read by whoever reads the estate's issues: anyone on a public board. */
create policy "Anyone can read publications of public boards" on public.publications for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
create policy "Readers of the estate's issues can read its publications" on public.publications for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));

/** Revisions and objections are seen by whoever sees their publication. */
create policy "Readers of a publication can read its revisions" on public.publication_revisions for select to anon, authenticated
  using (exists (select 1 from public.publications p where p.id = publication_id));
create policy "Readers of a publication can read its objections" on public.objections for select to anon, authenticated
  using (exists (select 1 from public.publications p where p.id = publication_id));

-- ----------------------------------------------------------------------------
-- Private helpers: definers, reachable from the functions below only unless granted.
-- ----------------------------------------------------------------------------

/** The author and supporters of an issue: who hears that its decision is published and final. */
create function private.issue_followers(p_issue_id uuid) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(distinct u), '{}') from (
    select author_id as u from public.issues where id = p_issue_id
    union all select user_id from public.issue_supports where issue_id = p_issue_id) f
  where u is not null
$$;

/** Appends a publication's step to its issue's timeline (when it has one). */
create function private.log_publication_event(p_publication public.publications, p_kind text, p_action text, p_reason text)
returns void
language sql security definer set search_path = '' as $$
  insert into public.issue_events (issue_id, actor_id, kind, action, reason, publication_id)
  select p_publication.issue_id, auth.uid(), p_kind, p_action, nullif(trim(p_reason), ''), p_publication.id
  where p_publication.issue_id is not null;
$$;

/** What a notification about a publication carries, for its text and link. */
create function private.publication_payload(p_publication public.publications) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('publication_id', p_publication.id, 'estate_id', p_publication.estate_id,
    'title', p_publication.title, 'closes_at', p_publication.closes_at, 'revision', p_publication.revision)
$$;

/**
 * Brings a publication's status up to date with the clock and its objections,
 * under its row lock, and makes it final when its window has closed, every
 * objection is answered and no upheld objection waits for its amendment.
 * Security definer: status has no update grant; called by the functions,
 * the sweep and the issue guard only (no grant to authenticated).
 */
create function private.settle_publication(p_publication_id uuid) returns public.publications
language plpgsql security definer set search_path = '' as $$
declare
  p public.publications;
  v_status text;
begin
  select * into p from public.publications where id = p_publication_id for update;
  if p.id is null or p.status in ('final', 'withdrawn') then
    return p;
  end if;
  v_status := case
    when exists (select 1 from public.objections o where o.publication_id = p.id and o.answer = 'upheld' and o.amended_in is null) then 'amending'
    when now() < p.closes_at then 'open'
    when exists (select 1 from public.objections o where o.publication_id = p.id and o.answer is null) then 'answering'
    else 'final' end;
  if v_status <> p.status then
    update public.publications set status = v_status, final_at = case when v_status = 'final' then now() end
    where id = p.id returning * into p;
    if v_status = 'final' then
      perform private.log_publication_event(p, 'publication_final', null, null);
      perform private.notify(private.issue_followers(p.issue_id) || private.committee_of(p.estate_id), 'publication_final', p.issue_id,
        private.publication_payload(p));
    end if;
  end if;
  return p;
end
$$;

/**
 * Settles the publications of an estate (all, for the sweep) whose window has
 * passed. A signed-in caller settles only estates they may read; it reveals
 * nothing but a count.
 */
create function private.settle_due_publications(p_estate_id uuid) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid;
  v_count integer := 0;
begin
  if auth.uid() is not null and (p_estate_id is null or not (p_estate_id = any(private.readable_estates()))) then
    return 0;
  end if;
  for v_id in select id from public.publications
    where status = 'open' and closes_at <= now() and (p_estate_id is null or estate_id = p_estate_id)
    order by id
  loop
    perform private.settle_publication(v_id);
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;

/** Paragraphs as published: each trimmed, 1 to 50 of them, each 1 to 2000 characters. */
create function private.check_paragraphs(p_paragraphs text[]) returns text[]
language plpgsql immutable set search_path = '' as $$
declare
  v text[] := array(select trim(x) from unnest(coalesce(p_paragraphs, '{}')) x);
begin
  if cardinality(v) = 0 or cardinality(v) > 50 or exists (select 1 from unnest(v) x where x is null or x = '' or char_length(x) > 2000) then
    perform private.fail('22023', 'errors.paragraphs_invalid', 'paragraphs');
  end if;
  return v;
end
$$;

/**
 * Publishes a text for a window (the one mechanism every kind uses):
 * revision 1, window of p_window_days from now. Security definer: nobody
 * writes publications directly. Trusts its callers (no grant) for who may
 * publish what; it checks the input.
 */
create function private.publish(p_estate_id uuid, p_kind text, p_subject_id uuid, p_issue_id uuid, p_title text,
  p_paragraphs text[], p_window_days integer) returns public.publications
language plpgsql security definer set search_path = '' as $$
declare
  v_paragraphs text[] := private.check_paragraphs(p_paragraphs);
  p public.publications;
begin
  if coalesce(trim(p_title), '') = '' or char_length(trim(p_title)) > 120 then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  if p_window_days is null or p_window_days not between 1 and 30 then
    perform private.fail('22023', 'errors.window_days_invalid', 'window_days');
  end if;
  begin
    insert into public.publications (estate_id, kind, subject_id, issue_id, title, window_days, opens_at, closes_at, created_by)
    values (p_estate_id, p_kind, p_subject_id, p_issue_id, trim(p_title), p_window_days, now(),
      now() + make_interval(days => p_window_days), auth.uid())
    returning * into p;
  exception when unique_violation then
    perform private.fail('23505', 'errors.already_published');
  end;
  insert into public.publication_revisions (publication_id, revision, paragraphs, opens_at, closes_at)
  values (p.id, 1, v_paragraphs, p.opens_at, p.closes_at);
  perform private.log_publication_event(p, 'published', null, null);
  return p;
end
$$;

/**
 * Decision publicity: the committee of the issue's estate publishes its
 * approved decision, and the issue becomes publicized. Security definer:
 * it writes the publication, the status and the timeline; it checks that the
 * caller manages the estate and that the issue is approved.
 */
create function private.publish_decision(p_issue_id uuid, p_title text, p_paragraphs text[], p_window_days integer) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_issue public.issues;
  p public.publications;
begin
  perform private.lock_issues(array[p_issue_id]);
  select * into v_issue from public.issues where id = p_issue_id and estate_id = any(private.readable_estates());
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  if not private.manages_estate(v_issue.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if not exists (select 1 from public.issue_transitions t where t.action = 'publicize' and t.from_status = v_issue.status) then
    perform private.fail('22023', 'errors.decision_not_approved');
  end if;
  p := private.publish(v_issue.estate_id, 'decision', v_issue.id, v_issue.id, p_title, p_paragraphs, p_window_days);
  perform private.set_issue_status(v_issue.id, 'publicized', null);
  perform private.log_issue_event(v_issue.id, 'transition', 'publicize', v_issue.status, 'publicized', null, null);
  perform private.notify(array_remove(private.issue_followers(v_issue.id), v_uid), 'publication_opened', v_issue.id,
    private.publication_payload(p));
  return jsonb_build_object('id', p.id, 'status', p.status, 'closes_at', p.closes_at);
end
$$;

/**
 * A verified member of the estate objects to one paragraph of the current
 * revision, with a reason, while the window is open; once per paragraph
 * until answered. Security definer: objections have no insert grant, and
 * the row lock orders the objection against the window closing.
 */
create function private.object_to_publication(p_publication_id uuid, p_paragraph integer, p_reason text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  p public.publications;
  v_count integer;
  v_id uuid;
begin
  select * into p from public.publications where id = p_publication_id and estate_id = any(private.readable_estates());
  if p.id is null then
    perform private.fail('P0002', 'errors.publication_not_found');
  end if;
  if not (p.estate_id = any(private.member_estates())) then
    perform private.fail('42501', 'errors.not_member');
  end if;
  -- Under the row lock, the window cannot close (and the publication turn final) between the check and the insert.
  p := private.settle_publication(p.id);
  if p.status in ('final', 'withdrawn', 'answering') or now() >= p.closes_at then
    perform private.fail('22023', 'errors.publication_window_closed');
  end if;
  select cardinality(r.paragraphs) into v_count from public.publication_revisions r
  where r.publication_id = p.id and r.revision = p.revision;
  if p_paragraph is null or p_paragraph < 1 or p_paragraph > v_count then
    perform private.fail('22023', 'errors.paragraph_not_found', 'paragraph');
  end if;
  if coalesce(trim(p_reason), '') = '' or char_length(trim(p_reason)) > 500 then
    perform private.fail('22023', 'errors.reason_required', 'reason');
  end if;
  begin
    insert into public.objections (publication_id, revision, paragraph, reason, objector_id)
    values (p.id, p.revision, p_paragraph, trim(p_reason), v_uid) returning id into v_id;
  exception when unique_violation then
    perform private.fail('23505', 'errors.objection_duplicate', 'paragraph');
  end;
  perform private.log_publication_event(p, 'objection_raised', null, null);
  perform private.notify(array_remove(private.committee_of(p.estate_id), v_uid), 'objection_raised', p.issue_id,
    private.publication_payload(p) || jsonb_build_object('paragraph', p_paragraph));
  return jsonb_build_object('id', v_id);
end
$$;

/**
 * The committee answers an objection: upheld (the text is then amended in a
 * new revision) or rejected with a reason. The objector hears the answer.
 * Security definer: objections have no update grant.
 */
create function private.answer_objection(p_objection_id uuid, p_upheld boolean, p_reason text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  o public.objections;
  p public.publications;
begin
  select * into o from public.objections where id = p_objection_id;
  select * into p from public.publications where id = o.publication_id and estate_id = any(private.readable_estates());
  if o.id is null or p.id is null then
    perform private.fail('P0002', 'errors.objection_not_found');
  end if;
  if not private.manages_estate(p.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if p_upheld is null then
    perform private.fail('22023', 'errors.invalid_choice', 'upheld');
  end if;
  if not p_upheld and coalesce(trim(p_reason), '') = '' then
    perform private.fail('22023', 'errors.reason_required', 'reason');
  end if;
  if char_length(coalesce(trim(p_reason), '')) > 500 then
    perform private.fail('22023', 'errors.too_long', 'reason');
  end if;
  -- The publication's lock first (as everywhere), then the objection: two answers at once take turns.
  select * into p from public.publications where id = p.id for update;
  select * into o from public.objections where id = p_objection_id for update;
  if o.answer is not null or p.status in ('final', 'withdrawn') then
    perform private.fail('22023', 'errors.objection_already_answered');
  end if;
  update public.objections set answer = case when p_upheld then 'upheld' else 'rejected' end,
    answer_reason = nullif(trim(p_reason), ''), answered_by = v_uid, answered_at = now()
  where id = o.id;
  perform private.log_publication_event(p, 'objection_answered', case when p_upheld then 'upheld' else 'rejected' end, p_reason);
  perform private.notify(array[nullif(o.objector_id, v_uid)], 'objection_answered', p.issue_id,
    private.publication_payload(p) || jsonb_build_object('paragraph', o.paragraph, 'upheld', p_upheld, 'reason', nullif(trim(p_reason), '')));
  p := private.settle_publication(p.id);
  return jsonb_build_object('id', o.id, 'answer', case when p_upheld then 'upheld' else 'rejected' end, 'status', p.status);
end
$$;

/**
 * After an upheld objection, the committee publishes the amended text as a
 * new revision with a new window of the publication's length. Security
 * definer: revisions and publications have no write grant.
 */
create function private.amend_publication(p_publication_id uuid, p_paragraphs text[], p_note text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  p public.publications;
  v_paragraphs text[];
begin
  select * into p from public.publications where id = p_publication_id and estate_id = any(private.readable_estates());
  if p.id is null then
    perform private.fail('P0002', 'errors.publication_not_found');
  end if;
  if not private.manages_estate(p.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  v_paragraphs := private.check_paragraphs(p_paragraphs);
  if char_length(coalesce(p_note, '')) > 500 then
    perform private.fail('22023', 'errors.too_long', 'note');
  end if;
  p := private.settle_publication(p.id);
  if p.status <> 'amending' then
    perform private.fail('22023', 'errors.nothing_to_amend');
  end if;
  insert into public.publication_revisions (publication_id, revision, paragraphs, note, opens_at, closes_at)
  values (p.id, p.revision + 1, v_paragraphs, nullif(trim(p_note), ''), now(), now() + make_interval(days => p.window_days));
  update public.objections set amended_in = p.revision + 1
  where publication_id = p.id and answer = 'upheld' and amended_in is null;
  update public.publications set revision = p.revision + 1, opens_at = now(),
    closes_at = now() + make_interval(days => p.window_days), status = 'open'
  where id = p.id returning * into p;
  perform private.log_publication_event(p, 'amended', null, p_note);
  perform private.notify(array_remove(private.issue_followers(p.issue_id)
      || array(select o.objector_id from public.objections o where o.publication_id = p.id), v_uid),
    'publication_opened', p.issue_id, private.publication_payload(p));
  return jsonb_build_object('id', p.id, 'revision', p.revision, 'closes_at', p.closes_at);
end
$$;

/**
 * Which objections of a publication are the caller's, and for the estate's
 * members (as with comments) who raised each. Security definer: objector_id
 * and answered_by are read by no one else.
 */
create function private.objection_people(p_publication_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  p public.publications;
  v_names jsonb := '{}';
begin
  select * into p from public.publications where id = p_publication_id and estate_id = any(private.readable_estates());
  if p.id is null then
    return jsonb_build_object('mine', '[]'::jsonb, 'names', '{}'::jsonb);
  end if;
  if p.estate_id = any(private.member_estates()) or private.is_admin() then
    v_names := private.people_names(p.estate_id, array(select o.objector_id from public.objections o where o.publication_id = p.id));
    v_names := coalesce((select jsonb_object_agg(o.id, v_names ->> o.objector_id::text) from public.objections o
      where o.publication_id = p.id and v_names ? o.objector_id::text), '{}'::jsonb);
  end if;
  return jsonb_build_object(
    'mine', coalesce((select jsonb_agg(o.id order by o.created_at) from public.objections o
      where o.publication_id = p.id and o.objector_id = auth.uid()), '[]'::jsonb),
    'names', v_names);
end
$$;

/**
 * The issue guard: an issue becomes publicized only with its decision
 * published, and leaves publicized (starts work) only once that publication
 * is final, whoever asks. The publication is brought up to date first, so a
 * window that closed a moment ago counts as closed. The refusal says why.
 */
create function private.guard_publicity() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  p public.publications;
begin
  select * into p from public.publications where kind = 'decision' and subject_id = new.id and status <> 'withdrawn';
  if new.status = 'publicized' then
    if p.id is null then
      perform private.fail('22023', 'errors.decision_not_published', 'action');
    end if;
    return new;
  end if;
  -- Leaving publicized.
  if p.id is not null then
    p := private.settle_publication(p.id);
  end if;
  if p.id is null or p.status <> 'final' then
    perform private.fail('22023', case
      when p.id is null then 'errors.publication_not_final'
      when p.status = 'open' then 'errors.publication_window_open'
      when p.status = 'amending' then 'errors.publication_amendment_due'
      else 'errors.publication_objections_unanswered' end, 'action');
  end if;
  return new;
end
$$;
create trigger issues_publicity_guard before update of status on public.issues
  for each row when (new.status is distinct from old.status and (new.status = 'publicized' or old.status = 'publicized'))
  execute function private.guard_publicity();

revoke all on function private.issue_followers(uuid), private.log_publication_event(public.publications, text, text, text),
  private.settle_publication(uuid), private.settle_due_publications(uuid), private.publish(uuid, text, uuid, uuid, text, text[], integer),
  private.publish_decision(uuid, text, text[], integer), private.object_to_publication(uuid, integer, text),
  private.answer_objection(uuid, boolean, text), private.amend_publication(uuid, text[], text), private.objection_people(uuid),
  private.guard_publicity(), private.publication_payload(public.publications), private.check_paragraphs(text[]) from public;
grant execute on function private.settle_due_publications(uuid), private.publish_decision(uuid, text, text[], integer),
  private.object_to_publication(uuid, integer, text), private.answer_objection(uuid, boolean, text),
  private.amend_publication(uuid, text[], text), private.objection_people(uuid) to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- The API: security invoker, as the caller under row level security.
-- ----------------------------------------------------------------------------

/** Publishes an approved issue's decision (公示决定) for 1–30 days (7 by default); the issue becomes publicized. */
create function public.publish_decision(p_issue_id uuid, p_title text, p_paragraphs text[], p_window_days integer default 7) returns jsonb
language sql set search_path = '' as $$
  select private.publish_decision(p_issue_id, p_title, p_paragraphs, p_window_days)
$$;

/** Objects to paragraph p_paragraph (from 1) of a publication's current text, with a reason, while its window is open. */
create function public.object_to_publication(p_publication_id uuid, p_paragraph integer, p_reason text) returns jsonb
language sql set search_path = '' as $$
  select private.object_to_publication(p_publication_id, p_paragraph, p_reason)
$$;

/** The committee upholds an objection (then amends the text) or rejects it with a reason. */
create function public.answer_objection(p_objection_id uuid, p_upheld boolean, p_reason text default null) returns jsonb
language sql set search_path = '' as $$
  select private.answer_objection(p_objection_id, p_upheld, p_reason)
$$;

/** After an upheld objection: the amended text, published as a new revision with a new window. */
create function public.amend_publication(p_publication_id uuid, p_paragraphs text[], p_note text default null) returns jsonb
language sql set search_path = '' as $$
  select private.amend_publication(p_publication_id, p_paragraphs, p_note)
$$;

/** An estate's publications, open windows first (then those awaiting answers or amendment, then final ones, newest first). */
create function public.estate_publications(p_estate_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
begin
  if auth.uid() is not null then
    perform private.settle_due_publications(p_estate_id);
  end if;
  return coalesce((select jsonb_agg(jsonb_build_object('id', p.id, 'kind', p.kind, 'title', p.title, 'status', p.status,
      'revision', p.revision, 'opens_at', p.opens_at, 'closes_at', p.closes_at, 'final_at', p.final_at, 'issue_id', p.issue_id,
      'objections', (select count(*) from public.objections o where o.publication_id = p.id),
      'unanswered', (select count(*) from public.objections o where o.publication_id = p.id and o.answer is null))
      order by case p.status when 'open' then 0 when 'amending' then 1 when 'answering' then 2 else 3 end,
        case when p.status = 'open' then p.closes_at end, p.created_at desc)
    from public.publications p where p.estate_id = p_estate_id), '[]'::jsonb);
end
$$;

/**
 * A publication: its current text by paragraph, every revision, the
 * objections with their answers (and, for the caller, which are theirs; for
 * the committee, who raised them), and what the caller may do.
 */
create function public.publication_detail(p_publication_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  p record;
  v_people jsonb := jsonb_build_object('mine', '[]'::jsonb, 'names', '{}'::jsonb);
  v_member boolean := false;
  v_manages boolean := false;
begin
  select pu.id, pu.estate_id into p from public.publications pu where pu.id = p_publication_id;
  if p.id is null then
    raise exception using errcode = 'P0002', message = 'errors.publication_not_found', detail = '';
  end if;
  if v_uid is not null then
    perform private.settle_due_publications(p.estate_id);
  end if;
  -- Named columns: who published (created_by) is not for the caller to read.
  select pu.id, pu.estate_id, pu.kind, pu.subject_id, pu.issue_id, pu.title, pu.status, pu.revision, pu.window_days,
    pu.opens_at, pu.closes_at, pu.final_at, pu.created_at
  into p from public.publications pu where pu.id = p_publication_id;
  if v_uid is not null then
    v_people := private.objection_people(p.id);
    v_member := p.estate_id = any(private.member_estates());
    v_manages := private.manages_estate(p.estate_id);
  end if;
  return jsonb_build_object(
    'publication', jsonb_build_object('id', p.id, 'estate_id', p.estate_id, 'kind', p.kind, 'subject_id', p.subject_id,
      'issue_id', p.issue_id, 'issue_title', (select i.title from public.issues i where i.id = p.issue_id),
      'title', p.title, 'status', p.status, 'revision', p.revision, 'window_days', p.window_days,
      'opens_at', p.opens_at, 'closes_at', p.closes_at, 'final_at', p.final_at, 'created_at', p.created_at),
    'revisions', coalesce((select jsonb_agg(jsonb_build_object('revision', r.revision, 'paragraphs', to_jsonb(r.paragraphs),
        'note', r.note, 'opens_at', r.opens_at, 'closes_at', r.closes_at, 'created_at', r.created_at) order by r.revision desc)
      from public.publication_revisions r where r.publication_id = p.id), '[]'::jsonb),
    'objections', coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'revision', o.revision, 'paragraph', o.paragraph,
        'reason', o.reason, 'created_at', o.created_at, 'answer', o.answer, 'answer_reason', o.answer_reason,
        'answered_at', o.answered_at, 'amended_in', o.amended_in,
        'mine', (v_people -> 'mine') ? o.id::text, 'by', v_people -> 'names' ->> o.id::text) order by o.created_at, o.id)
      from public.objections o where o.publication_id = p.id), '[]'::jsonb),
    'unanswered', (select count(*) from public.objections o where o.publication_id = p.id and o.answer is null),
    'can_object', v_member and p.status in ('open', 'amending') and now() < p.closes_at,
    'can_answer', v_manages and p.status not in ('final', 'withdrawn'),
    'can_amend', v_manages and p.status = 'amending',
    'is_member', v_member);
end
$$;

/** The sweep: settles every publication whose window has passed (the server runs it each minute, pg_cron on Supabase). */
create function public.close_due_publications() returns integer
language sql security definer set search_path = '' as $$
  select private.settle_due_publications(null)
$$;

revoke execute on function public.publish_decision(uuid, text, text[], integer), public.object_to_publication(uuid, integer, text),
  public.answer_objection(uuid, boolean, text), public.amend_publication(uuid, text[], text),
  public.estate_publications(uuid), public.publication_detail(uuid), public.close_due_publications() from public, anon;
grant execute on function public.estate_publications(uuid), public.publication_detail(uuid) to anon;
grant execute on function public.publish_decision(uuid, text, text[], integer), public.object_to_publication(uuid, integer, text),
  public.answer_objection(uuid, boolean, text), public.amend_publication(uuid, text[], text),
  public.estate_publications(uuid), public.publication_detail(uuid) to authenticated;
grant execute on function public.close_due_publications() to service_role;
