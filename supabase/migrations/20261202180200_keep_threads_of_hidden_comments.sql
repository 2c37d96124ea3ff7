-- ============================================================================
-- A hidden comment keeps its thread. issue_comments found the page's threads
-- by their top-level comments, as the reader may read them: once a moderator
-- hid a top-level comment (or three reports did), everyone but its author and
-- the moderators lost its visible replies too, though the stance tally still
-- counted them. Now every comment carries its thread's time (thread_at: the
-- top-level comment's created_at), so the threads of a page are found from any
-- comment of theirs the reader may read; a thread whose top-level comment the
-- reader may not read shows a placeholder (state 'withheld', no text, no
-- author) above its replies. This needs no definer helper, so anon reading a
-- public board gets the same threads. Moderators also see, on each comment,
-- how many reports wait for them (see the moderation queue, 20261202120300).
-- ============================================================================

alter table public.comments add column thread_at timestamptz;
-- Read by issue_comments as its reader (comments have column grants).
grant select (thread_at) on public.comments to anon, authenticated;

update public.comments c set thread_at = coalesce((select p.created_at from public.comments p where p.id = c.parent_id), c.created_at);

alter table public.comments alter column thread_at set not null;

create index comments_issue_thread_idx on public.comments (issue_id, thread_at);

/**
 * Sets a comment's thread time: its own created_at for a top-level comment,
 * its parent's for a reply; a top-level comment whose time changes takes its
 * replies along. Security definer: the writer of a reply may not be able to
 * read its parent (hidden), and nobody may update comments directly.
 */
create function private.on_comment_thread_at() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.parent_id is null then
    new.thread_at := new.created_at;
  else
    new.thread_at := coalesce((select p.created_at from public.comments p where p.id = new.parent_id), new.created_at);
  end if;
  return new;
end
$$;

/** Keeps the replies of a top-level comment in its thread when its time changes. Security definer: see above. */
create function private.on_comment_thread_moved() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.comments set thread_at = new.thread_at where parent_id = new.id and thread_at is distinct from new.thread_at;
  return null;
end
$$;
revoke all on function private.on_comment_thread_at(), private.on_comment_thread_moved() from public;

create trigger comments_thread_at before insert or update of created_at, parent_id on public.comments
  for each row execute function private.on_comment_thread_at();
create trigger comments_thread_moved after update of created_at on public.comments
  for each row when (new.parent_id is null and old.created_at is distinct from new.created_at)
  execute function private.on_comment_thread_moved();

/**
 * One page of an issue's discussion: 50 threads (oldest first) after the
 * cursor, each its top-level comment followed by its replies. Hidden and
 * reported comments show to their author and moderators (RLS); to everyone
 * else a hidden top-level comment with visible replies is a placeholder
 * ('withheld', no text, no author) holding its thread. Deleted ones keep
 * their place with no text. Names are shown to signed-in readers only; to
 * the estate's moderators each comment says how many of its reports they have
 * not answered yet (reports).
 * The cursor (more_after) is the time of the page's last thread, as ISO text
 * with microseconds: text, because a driver given a timestamptz parameter may
 * round it to milliseconds (postgres.js does), which would repeat that thread
 * on the next page. Threads of the same instant are never split between two
 * pages, so a time is cursor enough.
 */
create or replace function public.issue_comments(p_issue_id uuid, p_after text default null) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_after timestamptz;
  v_top uuid[];
  v_times timestamptz[];
  v_more timestamptz;
  v_page jsonb;
  v_people jsonb;
  v_moderates boolean := false;
begin
  if nullif(trim(p_after), '') is not null then
    begin
      v_after := p_after::timestamptz;
    exception when others then
      raise exception using errcode = '22023', message = 'errors.invalid_input', detail = 'after';
    end;
  end if;
  -- The threads the reader can see something of: a thread is (its top-level comment's id, its time).
  select array_agg(t.tid order by t.thread_at, t.tid), array_agg(t.thread_at order by t.thread_at, t.tid) into v_top, v_times from (
    select coalesce(c.parent_id, c.id) as tid, c.thread_at from public.comments c
    where c.issue_id = p_issue_id and (v_after is null or c.thread_at > v_after)
    group by 1, 2 order by 2, 1 limit 51) t;
  if cardinality(v_top) > 50 then
    v_more := v_times[50];
    -- The page ends with every thread of its last instant.
    select array_agg(t.tid order by t.thread_at, t.tid), array_agg(t.thread_at order by t.thread_at, t.tid) into v_top, v_times from (
      select coalesce(c.parent_id, c.id) as tid, c.thread_at from public.comments c
      where c.issue_id = p_issue_id and (v_after is null or c.thread_at > v_after) and c.thread_at <= v_more
      group by 1, 2) t;
    if not exists (select 1 from public.comments c where c.issue_id = p_issue_id and c.thread_at > v_more) then
      v_more := null;
    end if;
  end if;
  select coalesce(jsonb_agg(x.j order by array_position(v_top, x.tid), x.is_reply, x.created_at), '[]'::jsonb)
  into v_page
  from (
    select coalesce(c.parent_id, c.id) as tid, c.parent_id is not null as is_reply, c.created_at,
      jsonb_build_object(
        'id', c.id, 'parent_id', c.parent_id, 'stance', c.stance,
        'body', case when c.state = 'deleted' then null else c.body end,
        'state', c.state, 'moderation_reason', c.moderation_reason,
        'created_at', c.created_at, 'edited_at', c.edited_at, 'mine', false) as j
    from public.comments c
    where c.issue_id = p_issue_id and (c.id = any(coalesce(v_top, '{}')) or c.parent_id = any(coalesce(v_top, '{}')))
    union all
    -- A thread whose top-level comment the reader may not read: its place, without its text.
    select t.tid, false, t.at,
      jsonb_build_object('id', t.tid, 'parent_id', null, 'stance', null, 'body', null,
        'state', 'withheld', 'moderation_reason', null, 'created_at', t.at, 'edited_at', null, 'mine', false)
    from unnest(coalesce(v_top, '{}'), coalesce(v_times, '{}')) t(tid, at)
    where not exists (select 1 from public.comments c where c.id = t.tid)
  ) x;
  -- anon may not even name schema private, and has nothing of its own to mark. A placeholder has no author to name.
  if v_uid is not null and jsonb_array_length(v_page) > 0 then
    v_people := private.comment_people(p_issue_id,
      array(select (c ->> 'id')::uuid from jsonb_array_elements(v_page) c where c ->> 'state' <> 'withheld'));
    select coalesce(jsonb_agg(c || jsonb_build_object('mine', coalesce((v_people -> (c ->> 'id') ->> 'mine')::boolean, false),
        'author', v_people -> (c ->> 'id') ->> 'author')), '[]'::jsonb)
    into v_page from jsonb_array_elements(v_page) c;
    -- Moderators see how many reports of each comment wait for them (those since its last moderation).
    v_moderates := private.moderates_estate(private.issue_estate(p_issue_id));
    if v_moderates then
      select coalesce(jsonb_agg(c || jsonb_build_object('reports', (select count(*) from public.comment_reports r
          join public.comments m on m.id = r.comment_id
          where r.comment_id = (c ->> 'id')::uuid and (m.moderated_at is null or r.created_at > m.moderated_at)))), '[]'::jsonb)
      into v_page from jsonb_array_elements(v_page) c;
    end if;
  end if;
  return jsonb_build_object('comments', v_page, 'more_after', v_more);
end
$$;