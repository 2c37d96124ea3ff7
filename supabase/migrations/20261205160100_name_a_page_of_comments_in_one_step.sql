-- ============================================================================
-- A page of an issue's discussion names its authors in one step. The page's
-- comments were read three times for a signed-in reader: once under row
-- level security to list their ids, once more by those ids to find their
-- authors (private.comment_people, which may read author_id), and once for
-- the page itself. The authors are now found from the page's range of
-- thread times directly (private.comment_people_between, one statement),
-- with the same rule the list of ids applied: comments of an estate whose
-- issues the reader may read, visible or deleted ones, the reader's own, and
-- all of them for its moderators. The moderators' report counts are read for
-- the same range. issue_comments answers as before.
-- ============================================================================

/**
 * Who wrote each comment of a page of an issue's discussion (thread times
 * after p_after up to p_last): {comment id: {mine, author}}, as
 * private.comment_people gives it for a list of ids, for the comments the
 * caller may read (the comments' read policy: an estate whose issues they
 * may read; visible and deleted comments, their own, and all for the
 * estate's moderators). Names only to the estate's members and
 * administrators (private.people_names). Security definer: author_id is no
 * column the caller may read.
 */
create function private.comment_people_between(p_issue_id uuid, p_after timestamptz, p_last timestamptz) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_estate uuid := private.issue_estate(p_issue_id);
  v_moderates boolean;
begin
  if v_estate is null or not v_estate = any(private.readable_estates()) then
    return '{}'::jsonb;
  end if;
  v_moderates := private.moderates_estate(v_estate);
  return (
    with c as materialized (
      select c.id, c.author_id from public.comments c
      where c.issue_id = p_issue_id and c.thread_at > p_after and c.thread_at <= p_last
        and (c.state in ('visible', 'deleted') or c.author_id = v_uid or v_moderates)),
    n as materialized (select private.people_names(v_estate, array(select distinct c.author_id from c)) as names)
    select coalesce(jsonb_object_agg(c.id, jsonb_build_object('mine', c.author_id = v_uid, 'author', n.names -> c.author_id::text)), '{}'::jsonb)
    from c, n);
end
$$;
revoke all on function private.comment_people_between(uuid, timestamptz, timestamptz) from public;
grant execute on function private.comment_people_between(uuid, timestamptz, timestamptz) to authenticated, service_role;

/**
 * One page of an issue's discussion (see read_the_issue_page_by_its_first_page):
 * the same answer, its authors named from the page's range of thread times.
 */
create or replace function public.issue_comments(p_issue_id uuid, p_after text default null) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_after timestamptz := '-infinity';
  v_times timestamptz[];
  v_last timestamptz := 'infinity';
  v_more timestamptz;
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
    v_people := private.comment_people_between(p_issue_id, v_after, v_last);
    -- Moderators see how many reports of each comment wait for them (those since its last moderation).
    if private.moderates_estate(private.issue_estate(p_issue_id)) then
      select coalesce(jsonb_object_agg(x.comment_id, x.n), '{}'::jsonb) into v_reports from (
        select r.comment_id, count(*) as n from public.comment_reports r join public.comments m on m.id = r.comment_id
        where m.issue_id = p_issue_id and m.thread_at > v_after and m.thread_at <= v_last
          and (m.moderated_at is null or r.created_at > m.moderated_at)
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
