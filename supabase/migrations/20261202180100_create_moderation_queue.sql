-- ============================================================================
-- The moderation queue. A moderator saw no sign that a comment had been
-- reported until three reports hid it, and had no list of what waits for
-- them. Now an estate's moderators and committee read, oldest first, every
-- comment with reports they have not looked at yet (hidden by three reports or
-- still shown), with the reasons given, and hide or restore it from there
-- (moderate_comment). A comment leaves the queue when a moderator acts on it:
-- comments.moderated_at records when, and only reports made after that count,
-- both for the queue and for the three reports that hide a comment again.
-- ============================================================================

alter table public.comments add column moderated_at timestamptz;
-- When is no one's secret: readable wherever the comment is (comments have column grants).
grant select (moderated_at) on public.comments to anon, authenticated;
update public.comments set moderated_at = created_at where moderated_by is not null;

-- The queue starts from the reports, which are few, in the order they came.
create index comment_reports_comment_created_idx on public.comment_reports (comment_id, created_at);

/**
 * Writes a comment's new body, state or moderation. Security definer: comments have no update grant.
 * Deleting keeps the text in comment_revisions (author and moderators only) and clears it from the comment.
 * A moderation is dated, so that the reports it answered leave the moderation queue.
 */
create or replace function private.write_comment(p_comment_id uuid, p_body text, p_state text, p_reason text, p_moderator uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_c public.comments;
begin
  select * into v_c from public.comments where id = p_comment_id for no key update;
  if p_body is not null or p_state = 'deleted' then
    if v_c.id is null or v_c.author_id <> v_uid or (p_state = 'deleted' and v_c.state = 'deleted') then
      perform private.fail('P0002', 'errors.comment_not_found');
    end if;
  elsif p_state in ('hidden', 'visible') then
    -- issue_estate is null for an issue the caller may not read: coalesce, or "not null" would let it through.
    if v_c.id is null or p_moderator is distinct from v_uid
       or not coalesce(private.moderates_estate(private.issue_estate(v_c.issue_id)), false) then
      perform private.fail('P0002', 'errors.comment_not_found');
    end if;
    if v_c.state = 'deleted' then
      perform private.fail('22023', 'errors.comment_not_editable');
    end if;
  else
    perform private.fail('22023', 'errors.invalid_choice', 'state');
  end if;
  if p_body is not null then
    if v_c.state <> 'visible' then
      perform private.fail('22023', 'errors.comment_not_editable');
    end if;
    if v_c.created_at < now() - interval '15 minutes' then
      perform private.fail('22023', 'errors.edit_window_passed');
    end if;
    insert into public.comment_revisions (comment_id, body) values (v_c.id, v_c.body);
    update public.comments set body = p_body, edited_at = now() where id = p_comment_id;
  end if;
  if p_state = 'deleted' then
    insert into public.comment_revisions (comment_id, body) select id, body from public.comments where id = p_comment_id and body is not null;
    update public.comments set state = 'deleted', body = null where id = p_comment_id;
  elsif p_state is not null then
    update public.comments set state = p_state, moderation_reason = nullif(trim(p_reason), ''), moderated_by = v_uid,
      moderated_at = now()
    where id = p_comment_id;
    perform private.notify(array[v_c.author_id], 'comment_moderated', v_c.issue_id,
      jsonb_build_object('hidden', p_state = 'hidden', 'reason', trim(p_reason)));
  end if;
end
$$;

/**
 * Three reports from distinct members hide a comment until a moderator reviews it. Reports a
 * moderator already answered (before moderated_at) do not count again: a restored comment is hidden
 * again by three new reports, not by the next one.
 */
create or replace function private.on_report_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Reports arriving together are counted one after another: the next statement sees the ones committed before.
  -- No key update: each report's foreign key already holds a key share lock on the comment, which FOR UPDATE would deadlock on.
  perform 1 from public.comments where id = new.comment_id for no key update;
  update public.comments c set state = 'reported'
  where c.id = new.comment_id and c.state = 'visible'
    and (select count(*) from public.comment_reports r
         where r.comment_id = new.comment_id and (c.moderated_at is null or r.created_at > c.moderated_at)) >= 3;
  return null;
end
$$;

/**
 * The comments of an estate waiting for a moderator, oldest report first:
 * hidden by three reports, or reported and still shown, each with its issue,
 * its text and author, and the reasons of the reports not yet answered
 * (never who reported). At most 200; moderators and committee of the estate
 * and administrators only.
 */
create function public.moderation_queue(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_estate public.estates;
begin
  perform private.require_user();
  select * into v_estate from public.estates where id = p_estate_id;
  if v_estate.id is null then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  if not private.moderates_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return jsonb_build_object(
    'estate', jsonb_build_object('id', v_estate.id, 'name', v_estate.name),
    'items', coalesce((select jsonb_agg(jsonb_build_object(
        'id', q.id, 'issue_id', q.issue_id, 'issue_title', q.title, 'stance', q.stance, 'body', q.body, 'state', q.state,
        'author', private.comment_people(q.issue_id, array[q.id]) -> (q.id::text) ->> 'author', 'created_at', q.created_at, 'first_reported_at', q.first_at,
        'reports', q.reports) order by q.first_at, q.id)
      from (
        select c.id, c.issue_id, i.title, c.stance, c.body, c.state, c.created_at, p.first_at, p.reports
        from public.comments c
        join public.issues i on i.id = c.issue_id
        cross join lateral (
          select min(r.created_at) as first_at,
            jsonb_agg(jsonb_build_object('reason', r.reason, 'at', r.created_at) order by r.created_at) as reports
          from public.comment_reports r
          where r.comment_id = c.id and (c.moderated_at is null or r.created_at > c.moderated_at)
        ) p
        where i.estate_id = p_estate_id and c.state in ('visible', 'reported') and p.first_at is not null
          and c.id in (select r.comment_id from public.comment_reports r)
        order by p.first_at, c.id
        limit 200
      ) q), '[]'::jsonb));
end
$$;

revoke execute on function public.moderation_queue(uuid) from public, anon;
grant execute on function public.moderation_queue(uuid) to authenticated;