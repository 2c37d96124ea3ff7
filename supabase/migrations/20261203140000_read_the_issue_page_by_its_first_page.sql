-- ============================================================================
-- The issue page reads what it shows, not the whole discussion. With 210
-- comments, issue_detail read every comment of the issue three times under
-- row level security (the stance tally, the page's threads, the page's
-- comments found by thread id), and the comments' policy ("the reader may
-- read the comment's issue") was planned as a hashed list of every issue the
-- reader may read, built for each of those queries: 5,000 issues on the
-- benchmark estate, about 2,000 buffer reads and most of the page's CPU.
--   * Each comment carries its issue's estate (comments.estate_id, set by a
--     trigger from the issue, never by the writer), and the policies ask
--     whether the reader may read that estate's issues: the same rule (an
--     issue is readable exactly when its estate's issues are), checked
--     against the reader's one or two estates.
--   * The stance tally is kept on the issue (issues.stance_counts), by the
--     triggers that already keep comment_count, so reading it reads one row.
--   * issue_comments walks the (issue_id, thread_at) index in order and stops
--     at the 51st thread; the page's comments are then one range of that
--     index (a reply's thread_at is its thread's time, so a range of times
--     holds whole threads), and a thread whose top-level comment the reader
--     may not read is found in the same rows. Every rule stays: the threads a
--     reader sees something of, placeholders ('withheld') without text or
--     author, names only through private.comment_people, reports for the
--     estate's moderators, the same cursor.
--   * issue_detail brings the estate's map frame (center, zoom), so the page
--     no longer needs the estate layout's estate_home (every outline of the
--     estate and its member numbers) to draw the issue's own area.
-- ============================================================================

alter table public.comments add column estate_id uuid;
comment on column public.comments.estate_id is 'The estate of the comment''s issue, kept by private.on_comment_estate; what the read policies check.';
update public.comments c set estate_id = i.estate_id from public.issues i where i.id = c.issue_id;
alter table public.comments alter column estate_id set not null;
alter table public.comments add constraint comments_estate_id_fkey foreign key (estate_id) references public.estates(id) on delete cascade;
grant select (estate_id) on public.comments to anon, authenticated;

/**
 * Sets a comment's estate from its issue, whatever the writer gave.
 * Security definer: the policy that checks the insert reads it, and the
 * writer need not be able to read the issue's row to have it set.
 */
create function private.on_comment_estate() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  new.estate_id := (select i.estate_id from public.issues i where i.id = new.issue_id);
  return new;
end
$$;
/** An issue moved to another estate takes its comments along. Security definer: nobody may update comments directly. */
create function private.on_issue_estate_moved() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.comments set estate_id = new.estate_id where issue_id = new.id;
  return null;
end
$$;
revoke all on function private.on_comment_estate(), private.on_issue_estate_moved() from public;
create trigger comments_estate before insert or update of issue_id, estate_id on public.comments
  for each row execute function private.on_comment_estate();
create trigger issues_estate_moved after update of estate_id on public.issues
  for each row when (old.estate_id is distinct from new.estate_id) execute function private.on_issue_estate_moved();

-- The same rules as before (see show_people_only_to_members), on the comment's estate.
drop policy "Anyone who sees the issue can read its visible comments" on public.comments;
create policy "Anyone who sees the issue can read its visible comments" on public.comments for select to anon
  using (state in ('visible', 'deleted') and estate_id in (select e.id from public.estates e where e.board_public));
drop policy "Readers see visible comments, moderators all" on public.comments;
create policy "Readers see visible comments, moderators all" on public.comments for select to authenticated
  using (estate_id in (select unnest(private.readable_estates()))
    and (state in ('visible', 'deleted') or author_id = (select auth.uid()) or (select private.moderates_estate(comments.estate_id))));

-- What the discussion's tally counts: visible comments by stance ({"support": 3, …}, no zeros).
alter table public.issues add column stance_counts jsonb not null default '{}'::jsonb;
comment on column public.issues.stance_counts is 'Visible comments by stance (no zero entries), kept by the comment triggers; the discussion''s tally.';
grant select (stance_counts) on public.issues to anon, authenticated;

update public.issues i set stance_counts = coalesce((
  select jsonb_object_agg(s.stance, s.n) from (
    select c.stance, count(*) as n from public.comments c where c.issue_id = i.id and c.state = 'visible' group by c.stance) s), '{}'::jsonb);

/** A tally with one stance moved by delta; a count that reaches 0 leaves the tally (as the old grouped count did). */
create function private.stance_tally(p_counts jsonb, p_stance text, p_delta int) returns jsonb
language sql immutable set search_path = '' as $$
  select case when coalesce((p_counts ->> p_stance)::int, 0) + p_delta <= 0 then p_counts - p_stance
    else p_counts || jsonb_build_object(p_stance, coalesce((p_counts ->> p_stance)::int, 0) + p_delta) end
$$;
revoke all on function private.stance_tally(jsonb, text, int) from public;

/** Keeps comment_count, the stance tally and the issue's last activity (see create_issue_api). */
create or replace function private.on_comment_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.issues set comment_count = comment_count + case when new.state = 'visible' then 1 else 0 end,
    stance_counts = case when new.state = 'visible' then private.stance_tally(stance_counts, new.stance, 1) else stance_counts end,
    last_activity_at = now()
  where id = new.issue_id;
  return null;
end
$$;

/** A comment hidden, reported, deleted or restored (or given another stance) leaves or re-enters comment_count and the tally. */
create or replace function private.on_comment_state_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_was boolean := old.state = 'visible';
  v_is boolean := new.state = 'visible';
begin
  if v_was is distinct from v_is or (v_is and old.stance is distinct from new.stance) then
    update public.issues set comment_count = comment_count + v_is::int - v_was::int,
      stance_counts = private.stance_tally(private.stance_tally(stance_counts, old.stance, -v_was::int), new.stance, v_is::int)
    where id = new.issue_id;
  end if;
  return null;
end
$$;
drop trigger comments_state_count on public.comments;
create trigger comments_state_count after update of state, stance on public.comments
  for each row execute function private.on_comment_state_change();

/** A visible comment removed with its thread (its parent or issue deleted) leaves comment_count and the tally. */
create or replace function private.on_comment_delete() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.state = 'visible' then
    update public.issues set comment_count = comment_count - 1, stance_counts = private.stance_tally(stance_counts, old.stance, -1)
    where id = old.issue_id;
  end if;
  return null;
end
$$;

/**
 * One page of an issue's discussion (see keep_threads_of_hidden_comments):
 * 50 threads (oldest first) after the cursor, each its top-level comment
 * followed by its replies; the same rules and the same answer, read from the
 * page's own rows. The reader's policy is checked on the rows read: those of
 * the page's threads and, to find where the page ends, the 51st thread's.
 */
create or replace function public.issue_comments(p_issue_id uuid, p_after text default null) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_after timestamptz := '-infinity';
  v_times timestamptz[];
  v_last timestamptz := 'infinity';
  v_more timestamptz;
  v_ids uuid[];
  v_people jsonb;
  v_reports jsonb;
begin
  if nullif(trim(p_after), '') is not null then
    begin
      v_after := p_after::timestamptz;
    exception when others then
      raise exception using errcode = '22023', message = 'errors.invalid_input', detail = 'after';
    end;
  end if;
  -- The first 51 threads the reader can see something of, in the index's order: a thread is
  -- (its time, its top-level comment's id); the walk stops once it has 51.
  select array_agg(t.thread_at order by t.thread_at, t.tid) into v_times from (
    select c.thread_at, coalesce(c.parent_id, c.id) as tid from public.comments c
    where c.issue_id = p_issue_id and c.thread_at > v_after
    group by c.thread_at, coalesce(c.parent_id, c.id) order by c.thread_at, coalesce(c.parent_id, c.id) limit 51) t;
  if cardinality(v_times) > 50 then
    -- The page ends with every thread of its 50th thread's instant.
    v_last := v_times[50];
    if exists (select 1 from public.comments c where c.issue_id = p_issue_id and c.thread_at > v_last) then
      v_more := v_last;
    end if;
  end if;
  -- anon may not even name schema private, and has nothing of its own to mark.
  if v_uid is not null and v_times is not null then
    select array_agg(c.id) into v_ids from public.comments c
    where c.issue_id = p_issue_id and c.thread_at > v_after and c.thread_at <= v_last;
    v_people := private.comment_people(p_issue_id, v_ids);
    -- Moderators see how many reports of each comment wait for them (those since its last moderation).
    if private.moderates_estate(private.issue_estate(p_issue_id)) then
      select coalesce(jsonb_object_agg(x.comment_id, x.n), '{}'::jsonb) into v_reports from (
        select r.comment_id, count(*) as n from public.comment_reports r join public.comments m on m.id = r.comment_id
        where r.comment_id = any(v_ids) and (m.moderated_at is null or r.created_at > m.moderated_at)
        group by r.comment_id) x;
    end if;
  end if;
  -- Each comment's object is built once, with what this reader gets: anon no names, members the
  -- names and their own ones marked, moderators also the reports waiting.
  return jsonb_build_object('comments', (
    select coalesce(jsonb_agg(x.j order by x.thread_at, x.tid, x.is_reply, x.created_at), '[]'::jsonb)
    from (
      with r as materialized (
        select c.id, c.parent_id, coalesce(c.parent_id, c.id) as tid, c.thread_at, c.stance, c.body, c.state,
          c.moderation_reason, c.created_at, c.edited_at,
          -- A thread whose top-level comment the reader may not read has none among its rows.
          bool_and(c.parent_id is not null) over (partition by coalesce(c.parent_id, c.id)) as withheld
        from public.comments c
        where c.issue_id = p_issue_id and c.thread_at > v_after and c.thread_at <= v_last)
      select r.thread_at, r.tid, r.parent_id is not null as is_reply, r.created_at,
        case
          when v_uid is null then jsonb_build_object('id', r.id, 'parent_id', r.parent_id, 'stance', r.stance,
            'body', case when r.state = 'deleted' then null else r.body end, 'state', r.state, 'moderation_reason', r.moderation_reason,
            'created_at', r.created_at, 'edited_at', r.edited_at, 'mine', false)
          when v_reports is null then jsonb_build_object('id', r.id, 'parent_id', r.parent_id, 'stance', r.stance,
            'body', case when r.state = 'deleted' then null else r.body end, 'state', r.state, 'moderation_reason', r.moderation_reason,
            'created_at', r.created_at, 'edited_at', r.edited_at,
            'mine', coalesce((v_people -> r.id::text ->> 'mine')::boolean, false), 'author', v_people -> r.id::text ->> 'author')
          else jsonb_build_object('id', r.id, 'parent_id', r.parent_id, 'stance', r.stance,
            'body', case when r.state = 'deleted' then null else r.body end, 'state', r.state, 'moderation_reason', r.moderation_reason,
            'created_at', r.created_at, 'edited_at', r.edited_at,
            'mine', coalesce((v_people -> r.id::text ->> 'mine')::boolean, false), 'author', v_people -> r.id::text ->> 'author',
            'reports', coalesce((v_reports ->> r.id::text)::int, 0))
        end as j
      from r
      union all
      -- Its place, without its text or author: once per withheld thread, at the thread's time.
      select distinct on (r.tid) r.thread_at, r.tid, false, r.thread_at,
        jsonb_build_object('id', r.tid, 'parent_id', null, 'stance', null, 'body', null,
          'state', 'withheld', 'moderation_reason', null, 'created_at', r.thread_at, 'edited_at', null, 'mine', false)
        || case when v_uid is null then '{}'::jsonb else jsonb_build_object('author', null) end
        || case when v_reports is null then '{}'::jsonb else jsonb_build_object('reports', 0) end
      from r where r.withheld
    ) x),
    'more_after', v_more);
end
$$;

/**
 * The issue page (see show_people_only_to_members): the same answer, with
 * the stance tally read from the issue and the estate's map frame (center,
 * zoom) for drawing the issue's area without the estate's other outlines.
 */
create or replace function public.issue_detail(p_issue_id uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $$
declare
  v_uid uuid := auth.uid();
  v_issue record;
  v_result jsonb;
  v_timeline jsonb;
  v_people jsonb;
begin
  select i.id, i.estate_id, i.area_id, i.title, i.body, i.category, i.status, i.channel, i.point_x, i.point_y, i.support_count,
    i.comment_count, i.created_at, i.last_activity_at, i.threshold_reached_at, i.merged_into, i.stance_counts
  into v_issue from public.issues i where i.id = p_issue_id;
  if v_issue.id is null then
    raise exception using errcode = 'P0002', message = 'errors.issue_not_found', detail = '';
  end if;
  select coalesce(jsonb_agg(jsonb_build_object('id', ev.id, 'kind', ev.kind, 'action', ev.action, 'from', ev.from_status, 'to', ev.to_status,
      'reason', ev.reason, 'at', ev.created_at, 'related_issue_id', ev.related_issue_id, 'publication_id', ev.publication_id) order by ev.id), '[]'::jsonb)
  into v_timeline from public.issue_events ev where ev.issue_id = p_issue_id;

  select jsonb_build_object(
    'issue', jsonb_build_object('id', v_issue.id, 'estate_id', v_issue.estate_id, 'title', v_issue.title, 'body', v_issue.body,
      'category', v_issue.category, 'status', v_issue.status, 'channel', v_issue.channel,
      'point', case when v_issue.point_x is null then null else jsonb_build_array(v_issue.point_x, v_issue.point_y) end,
      'support_count', v_issue.support_count, 'comment_count', v_issue.comment_count,
      'created_at', v_issue.created_at, 'last_activity_at', v_issue.last_activity_at,
      'threshold_reached', v_issue.threshold_reached_at is not null, 'merged_into', v_issue.merged_into,
      'is_author', false),
    'estate', (select jsonb_build_object('id', e.id, 'name', e.name, 'map_mode', e.map_mode, 'support_threshold', e.support_threshold,
        'center', case when e.center_lat is null then null else jsonb_build_array(e.center_lat, e.center_lng) end, 'zoom', e.zoom,
        'plan_image', e.plan_image, 'plan_size', case when e.plan_width is null then null else jsonb_build_array(e.plan_width, e.plan_height) end)
      from public.estates e where e.id = v_issue.estate_id),
    'area', (select jsonb_build_object('id', a.id, 'name', a.name, 'kind', a.kind, 'geometry', a.geometry) from public.areas a where a.id = v_issue.area_id),
    'photos', coalesce((select jsonb_agg(jsonb_build_object('path', ph.path, 'thumb_path', ph.thumb_path, 'width', ph.width, 'height', ph.height) order by ph.position)
      from public.issue_photos ph where ph.issue_id = p_issue_id), '[]'::jsonb),
    'stances', v_issue.stance_counts,
    'comments', public.issue_comments(p_issue_id, null),
    'actions', public.issue_actions(p_issue_id),
    -- The decision's publication (公示), if any: what the issue page says about its window.
    'publication', (select jsonb_build_object('id', p.id, 'status', p.status, 'revision', p.revision, 'opens_at', p.opens_at,
        'closes_at', p.closes_at, 'final_at', p.final_at,
        'unanswered', (select count(*) from public.objections o where o.publication_id = p.id and o.answer is null))
      from public.publications p where p.kind = 'decision' and p.subject_id = p_issue_id and p.status <> 'withdrawn'),
    'behalf', null, 'supported', false, 'can_moderate', false, 'is_member', false, 'author', null,
    'author_hidden', v_issue.channel = 'app', 'names_shown', false
  ) into v_result;

  if v_uid is null then
    return v_result || jsonb_build_object('timeline', (select coalesce(jsonb_agg(t - 'id'), '[]'::jsonb) from jsonb_array_elements(v_timeline) t));
  end if;
  v_people := private.issue_people(p_issue_id);
  return v_result || jsonb_build_object(
    'issue', (v_result -> 'issue') || jsonb_build_object('is_author', coalesce((v_people ->> 'is_author')::boolean, false)),
    'timeline', (select coalesce(jsonb_agg((t - 'id') || jsonb_build_object('actor', v_people -> 'actors' ->> (t ->> 'id'),
        'by_resident', (v_people -> 'actors') ? (t ->> 'id'))), '[]'::jsonb)
      from jsonb_array_elements(v_timeline) t),
    'author', v_people ->> 'author',
    'author_hidden', v_issue.channel = 'app' and v_people ->> 'author' is null,
    'names_shown', coalesce((v_people ->> 'names_shown')::boolean, false),
    'behalf', (select jsonb_build_object('name', b.resident_name, 'contact', b.resident_contact) from public.issue_behalf b where b.issue_id = p_issue_id),
    'supported', exists (select 1 from public.issue_supports s where s.issue_id = p_issue_id and s.user_id = v_uid),
    'can_moderate', private.moderates_estate(v_issue.estate_id),
    'is_member', v_issue.estate_id = any(private.member_estates()));
end
$$;
