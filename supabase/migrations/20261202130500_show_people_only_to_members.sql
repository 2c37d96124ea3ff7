-- ============================================================================
-- People on issue pages: ids to nobody, names to the estate's members.
--   * Personal ids through the tables. anon (and anyone signed in, on a
--     public board) could select issues.author_id, comments.author_id and
--     moderated_by, issue_events.actor_id, votes.created_by and closed_by
--     straight from the tables (PostgREST exposes them), where the functions
--     give none. Those columns now have no select grant for anon or
--     authenticated; the functions learn what they need about them ("is it
--     mine", a name) from definer helpers that answer for the caller only, and
--     the policies that compared them in sub-selects use the same helpers.
--   * Names on public boards. Anyone signed in read the display names of
--     authors and timeline actors of every public board through issue_detail
--     and issue_comments. Names now go only to the estate's verified members
--     and administrators (private.people_names); others see that a resident
--     (居民) wrote or acted, not who.
-- The row level security matrix (tests/db/rls-matrix.test.ts) lists, for each
-- table, the columns anon and outsiders may read against the personal ones.
-- ============================================================================

-- ----------------------------------------------------------------------------
-- Column privileges: every column but the personal ones.
-- ----------------------------------------------------------------------------

revoke select on public.issues, public.comments, public.issue_events from anon, authenticated;
revoke select on public.votes from authenticated;
grant select (id, estate_id, area_id, point_x, point_y, category, title, body, status, channel, merged_into, title_bigrams,
  support_count, comment_count, threshold_reached_at, created_at, last_activity_at, has_photo) on public.issues to anon, authenticated;
grant select (id, issue_id, parent_id, stance, body, state, moderation_reason, created_at, edited_at) on public.comments to anon, authenticated;
grant select (id, issue_id, kind, action, from_status, to_status, reason, related_issue_id, created_at) on public.issue_events to anon, authenticated;
grant select (id, estate_id, issue_id, question, description, kind, matter, rule, electorate_kind, scope_area_id, max_choices,
  quorum_percent, secret, live_results, opens_at, closes_at, status, electors, owners, total_area, created_at, opened_at, closed_at)
  on public.votes to authenticated;

-- ----------------------------------------------------------------------------
-- Helpers that answer for the caller.
-- ----------------------------------------------------------------------------

/** Whether the caller wrote the issue. Security definer: author_id is not readable. */
create function private.is_issue_author(p_issue_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.issues i where i.id = p_issue_id and i.author_id = (select auth.uid()))
$$;

/** Whether the caller wrote the comment. Security definer: author_id is not readable. */
create function private.is_comment_author(p_comment_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.comments c where c.id = p_comment_id and c.author_id = (select auth.uid()))
$$;

/** The issues of an estate the caller raised, for the board's "raised by me" filter. */
create function private.my_issue_ids(p_estate_id uuid) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(i.id), '{}') from public.issues i where i.estate_id = p_estate_id and i.author_id = (select auth.uid())
$$;

/**
 * The people of an issue page, as the caller may know them: whether the
 * caller is its author, the author's name (raised in the app) and each
 * timeline event's actor ({"<event id>": name}, null where the name is not
 * the caller's to see), and whether names are shown (verified members of
 * the estate and administrators). Nothing for an issue the caller may not read.
 */
create function private.issue_people(p_issue_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_issue public.issues;
  v_actors jsonb;
  v_names jsonb;
begin
  select * into v_issue from public.issues i where i.id = p_issue_id and i.estate_id = any(private.readable_estates());
  if v_issue.id is null then
    return null;
  end if;
  select coalesce(jsonb_object_agg(ev.id, ev.actor_id), '{}'::jsonb) into v_actors
  from public.issue_events ev where ev.issue_id = p_issue_id and ev.actor_id is not null;
  -- people_names answers {} to anyone but the estate's members and administrators.
  v_names := private.people_names(v_issue.estate_id,
    array(select (a.value #>> '{}')::uuid from jsonb_each(v_actors) a) || v_issue.author_id);
  return jsonb_build_object(
    'is_author', v_issue.author_id = auth.uid(),
    'names_shown', v_issue.estate_id = any(private.member_estates()) or private.is_admin(),
    'author', case when v_issue.channel = 'app' then v_names ->> v_issue.author_id::text end,
    'actors', (select coalesce(jsonb_object_agg(a.key, v_names -> (a.value #>> '{}')), '{}'::jsonb) from jsonb_each(v_actors) a));
end
$$;

/**
 * The people of a page of comments, as the caller may know them:
 * {"<comment id>": {mine, author}}, the author's name only where names are
 * shown (see people_names), and only for comments of the issue the caller
 * may see (visible or deleted ones, their own, all for its moderators).
 */
create function private.comment_people(p_issue_id uuid, p_comment_ids uuid[]) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_estate uuid := private.issue_estate(p_issue_id);
  v_moderates boolean;
  v_rows jsonb;
  v_names jsonb;
begin
  if v_estate is null then
    return '{}'::jsonb;
  end if;
  v_moderates := private.moderates_estate(v_estate);
  select coalesce(jsonb_object_agg(c.id, c.author_id), '{}'::jsonb) into v_rows
  from public.comments c
  where c.issue_id = p_issue_id and c.id = any(p_comment_ids)
    and (c.state in ('visible', 'deleted') or c.author_id = v_uid or v_moderates);
  v_names := private.people_names(v_estate, array(select (r.value #>> '{}')::uuid from jsonb_each(v_rows) r));
  return (select coalesce(jsonb_object_agg(r.key, jsonb_build_object('mine', (r.value #>> '{}')::uuid = v_uid,
      'author', v_names -> (r.value #>> '{}'))), '{}'::jsonb)
    from jsonb_each(v_rows) r);
end
$$;

revoke all on function private.is_issue_author(uuid), private.is_comment_author(uuid), private.my_issue_ids(uuid),
  private.issue_people(uuid), private.comment_people(uuid, uuid[]) from public;
grant execute on function private.is_issue_author(uuid), private.is_comment_author(uuid), private.my_issue_ids(uuid),
  private.issue_people(uuid), private.comment_people(uuid, uuid[]) to authenticated, service_role;

-- One name lookup per page region replaces it (people_names, through the helpers above).
drop function private.member_name(uuid);

/**
 * The statuses that count as open: the board's first tab and count, the
 * map's shading, similar issues and supports. Public (not private): the
 * board and the map run as anon on public boards, and anon may not name
 * schema private. Inlined as a constant where it is called.
 */
create function public.open_issue_statuses() returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select array['proposed', 'accepted', 'deliberating', 'voting', 'approved', 'publicized', 'in_progress', 'following_up']
$$;
revoke execute on function public.open_issue_statuses() from public;
grant execute on function public.open_issue_statuses() to anon, authenticated, service_role;

create or replace function private.open_statuses() returns text[]
language sql immutable set search_path = '' as $$
  select public.open_issue_statuses()
$$;

-- ----------------------------------------------------------------------------
-- Policies that compared author ids in sub-selects.
-- ----------------------------------------------------------------------------

drop policy "Moderators and the recorder can read on-behalf residents" on public.issue_behalf;
/** The resident an issue was recorded for: moderators and the committee, and the recorder. */
create policy "Moderators and the recorder can read on-behalf residents" on public.issue_behalf for select to authenticated
  using ((select private.moderates_estate(estate_id)) or private.is_issue_author(issue_id));

drop policy "Recorders can name the resident" on public.issue_behalf;
/** The recorder names the resident when recording the issue (not one raised in the app). */
create policy "Recorders can name the resident" on public.issue_behalf for insert to authenticated
  with check (private.is_issue_author(issue_id) and exists (select 1 from public.issues i where i.id = issue_id
                      and i.estate_id = issue_behalf.estate_id and i.channel <> 'app'));

drop policy "Authors can add photos to their issues" on public.issue_photos;
/** Authors add photos to their own issues. */
create policy "Authors can add photos to their issues" on public.issue_photos for insert to authenticated
  with check (private.is_issue_author(issue_id));

drop policy "Authors and moderators can read comment history" on public.comment_revisions;
/** A comment's earlier texts: its author and the moderators of its estate. */
create policy "Authors and moderators can read comment history" on public.comment_revisions for select to authenticated
  using (private.is_comment_author(comment_id) or exists (select 1 from public.comments c where c.id = comment_id
                 and (select private.moderates_estate(private.issue_estate(c.issue_id)))));

drop policy "Members can report comments they see" on public.comment_reports;
/** Members report others' comments on their estate's issues. */
create policy "Members can report comments they see" on public.comment_reports for insert to authenticated
  with check (reporter_id = (select auth.uid()) and not private.is_comment_author(comment_id)
    and exists (select 1 from public.comments c where c.id = comment_id and private.issue_estate(c.issue_id) = any(private.member_estates())));

-- ----------------------------------------------------------------------------
-- Functions that read the personal columns as their caller.
-- ----------------------------------------------------------------------------

/** Supports (附议) an open issue: one per verified member; a second support is refused. */
create or replace function public.support_issue(p_issue_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_issue record;
begin
  -- Locked first, so that a decision taken at the same moment is seen here, not by the supports policy.
  perform private.lock_issues(array[p_issue_id]);
  select i.id, i.estate_id, i.status into v_issue from public.issues i where i.id = p_issue_id;
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  if not (v_issue.estate_id = any(private.member_estates())) then
    perform private.fail('42501', 'errors.not_member');
  end if;
  if not (v_issue.status = any(private.open_statuses())) then
    perform private.fail('22023', 'errors.issue_closed');
  end if;
  begin
    insert into public.issue_supports (issue_id, user_id) values (p_issue_id, v_uid);
  exception when unique_violation then
    perform private.fail('23505', 'errors.already_supported');
  end;
  return jsonb_build_object('support_count', (select support_count from public.issues where id = p_issue_id), 'supported', true);
end
$$;

/** Comments with a stance; a reply answers a top-level comment (one level deep). */
create or replace function public.comment_on_issue(p_issue_id uuid, p_stance text, p_body text, p_parent_id uuid default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_issue record;
  v_parent record;
  v_id uuid;
begin
  select i.id, i.estate_id into v_issue from public.issues i where i.id = p_issue_id;
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  if not (v_issue.estate_id = any(private.member_estates())) then
    perform private.fail('42501', 'errors.not_member');
  end if;
  if p_stance is null or p_stance not in ('support', 'oppose', 'concern', 'suggestion', 'question') then
    perform private.fail('22023', 'errors.invalid_choice', 'stance');
  end if;
  if coalesce(trim(p_body), '') = '' or char_length(p_body) > 2000 then
    perform private.fail('22023', 'errors.comment_invalid', 'body');
  end if;
  if p_parent_id is not null then
    select c.id, c.issue_id, c.parent_id into v_parent from public.comments c where c.id = p_parent_id;
    if v_parent.id is null or v_parent.issue_id <> p_issue_id or v_parent.parent_id is not null then
      perform private.fail('22023', 'errors.reply_invalid', 'parent_id');
    end if;
  end if;
  insert into public.comments (issue_id, parent_id, author_id, stance, body)
  values (p_issue_id, p_parent_id, v_uid, p_stance, trim(p_body))
  returning id into v_id;
  return jsonb_build_object('id', v_id);
end
$$;

/** Reports a comment with a reason. Three reports from distinct members hide it for review. */
create or replace function public.report_comment(p_comment_id uuid, p_reason text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_c record;
begin
  select c.id, c.issue_id into v_c from public.comments c where c.id = p_comment_id;
  if v_c.id is null or not (private.issue_estate(v_c.issue_id) = any(private.member_estates())) then
    perform private.fail('P0002', 'errors.comment_not_found');
  end if;
  if private.is_comment_author(p_comment_id) then
    perform private.fail('22023', 'errors.report_own_comment');
  end if;
  if coalesce(trim(p_reason), '') = '' or char_length(p_reason) > 300 then
    perform private.fail('22023', 'errors.reason_required', 'reason');
  end if;
  begin
    insert into public.comment_reports (comment_id, reporter_id, reason) values (p_comment_id, v_uid, trim(p_reason));
  exception when unique_violation then
    perform private.fail('23505', 'errors.already_reported');
  end;
  -- A comment the reporter can no longer see was just hidden by this report.
  return jsonb_build_object('state', coalesce((select state from public.comments where id = p_comment_id), 'reported'));
end
$$;

/** The actions the caller may take on an issue now, read from the lifecycle table (a vote's own steps are not among them). */
create or replace function public.issue_actions(p_issue_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_issue record;
  v_author boolean;
begin
  if auth.uid() is null then
    return '[]'::jsonb;
  end if;
  select i.id, i.estate_id, i.status into v_issue from public.issues i where i.id = p_issue_id;
  if v_issue.id is null then
    return '[]'::jsonb;
  end if;
  v_author := private.is_issue_author(p_issue_id);
  return coalesce((select jsonb_agg(jsonb_build_object('action', t.action, 'to', t.to_status, 'needs_reason', t.needs_reason) order by t.action)
    from public.issue_transitions t
    where t.from_status = v_issue.status and t.actor <> 'vote'
      and case t.actor
        when 'committee' then private.manages_estate(v_issue.estate_id)
        when 'moderator' then private.moderates_estate(v_issue.estate_id)
        when 'author' then v_author
      end), '[]'::jsonb);
end
$$;

/**
 * What the vote set-up form needs for an issue: the issue, whether the
 * caller may open a vote on it now (the lifecycle table's open_vote steps),
 * and the estate's courtyards and buildings for the scope.
 */
create or replace function public.vote_setup(p_issue_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_issue record;
begin
  perform private.require_user();
  select i.id, i.estate_id, i.title, i.status into v_issue from public.issues i where i.id = p_issue_id;
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  if not private.manages_estate(v_issue.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return jsonb_build_object(
    'issue', jsonb_build_object('id', v_issue.id, 'estate_id', v_issue.estate_id, 'title', v_issue.title, 'status', v_issue.status),
    'allowed', exists (select 1 from public.issue_transitions t where t.action = 'open_vote' and t.from_status = v_issue.status)
      and not exists (select 1 from public.votes where issue_id = p_issue_id and status <> 'closed'),
    'areas', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'name', a.name, 'kind', a.kind,
        'units', (select count(*) from public.units u join public.areas b on b.id = u.building_id
                  where b.id = a.id or b.parent_id = a.id))
      order by a.kind desc, length(a.name), a.name)
      from public.areas a where a.estate_id = v_issue.estate_id and a.kind in ('courtyard', 'building')), '[]'::jsonb),
    'units', (select count(*) from public.units where estate_id = v_issue.estate_id)
  );
end
$$;

/**
 * One page of an issue's discussion (see create_issue_api): 50 top-level
 * comments (oldest first) after the cursor, each with its replies. Which
 * comments are the caller's, and their authors' names for the estate's
 * members, come from one private.comment_people call for the whole page;
 * anon gets neither.
 */
create or replace function public.issue_comments(p_issue_id uuid, p_after text default null) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_after timestamptz;
  v_top uuid[];
  v_more timestamptz;
  v_page jsonb;
  v_people jsonb;
begin
  if nullif(trim(p_after), '') is not null then
    begin
      v_after := p_after::timestamptz;
    exception when others then
      raise exception using errcode = '22023', message = 'errors.invalid_input', detail = 'after';
    end;
  end if;
  select array_agg(id order by created_at, id) into v_top from (
    select id, created_at from public.comments
    where issue_id = p_issue_id and parent_id is null and (v_after is null or created_at > v_after)
    order by created_at, id limit 51) t;
  if cardinality(v_top) > 50 then
    select created_at into v_more from public.comments where id = v_top[50];
    -- The page ends with every comment of its last instant.
    select array_agg(id order by created_at, id) into v_top from public.comments
    where issue_id = p_issue_id and parent_id is null and (v_after is null or created_at > v_after) and created_at <= v_more;
    if not exists (select 1 from public.comments where issue_id = p_issue_id and parent_id is null and created_at > v_more) then
      v_more := null;
    end if;
  end if;
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', c.id, 'parent_id', c.parent_id, 'stance', c.stance,
      'body', case when c.state = 'deleted' then null else c.body end,
      'state', c.state, 'moderation_reason', c.moderation_reason,
      'created_at', c.created_at, 'edited_at', c.edited_at, 'mine', false
    ) order by array_position(v_top, coalesce(c.parent_id, c.id)), c.parent_id nulls first, c.created_at), '[]'::jsonb)
  into v_page
  from public.comments c
  where c.id = any(coalesce(v_top, '{}')) or c.parent_id = any(coalesce(v_top, '{}'));
  -- anon may not even name schema private, and has nothing of its own to mark.
  if v_uid is not null and jsonb_array_length(v_page) > 0 then
    v_people := private.comment_people(p_issue_id, array(select (c ->> 'id')::uuid from jsonb_array_elements(v_page) c));
    select coalesce(jsonb_agg(c || jsonb_build_object('mine', coalesce((v_people -> (c ->> 'id') ->> 'mine')::boolean, false),
        'author', v_people -> (c ->> 'id') ->> 'author')), '[]'::jsonb)
    into v_page from jsonb_array_elements(v_page) c;
  end if;
  return jsonb_build_object('comments', v_page, 'more_after', v_more);
end
$$;

/**
 * The issue page (see create_issue_api): details, photos, area, supports,
 * timeline, the first page of the discussion with the stance tally, and
 * what the caller may do. The on-behalf resident is visible to moderators
 * only (RLS on issue_behalf). Whether the caller wrote it, and the names of
 * its author and of each timeline event's actor for the estate's members,
 * come from one private.issue_people call; others learn that a resident
 * acted (author_hidden, the event's by_resident), not who.
 */
create or replace function public.issue_detail(p_issue_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_issue record;
  v_result jsonb;
  v_timeline jsonb;
  v_people jsonb;
begin
  select i.id, i.estate_id, i.area_id, i.title, i.body, i.category, i.status, i.channel, i.point_x, i.point_y, i.support_count,
    i.comment_count, i.created_at, i.last_activity_at, i.threshold_reached_at, i.merged_into
  into v_issue from public.issues i where i.id = p_issue_id;
  if v_issue.id is null then
    raise exception using errcode = 'P0002', message = 'errors.issue_not_found', detail = '';
  end if;
  select coalesce(jsonb_agg(jsonb_build_object('id', ev.id, 'kind', ev.kind, 'action', ev.action, 'from', ev.from_status, 'to', ev.to_status,
      'reason', ev.reason, 'at', ev.created_at, 'related_issue_id', ev.related_issue_id) order by ev.id), '[]'::jsonb)
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
        'plan_image', e.plan_image, 'plan_size', case when e.plan_width is null then null else jsonb_build_array(e.plan_width, e.plan_height) end)
      from public.estates e where e.id = v_issue.estate_id),
    'area', (select jsonb_build_object('id', a.id, 'name', a.name, 'kind', a.kind, 'geometry', a.geometry) from public.areas a where a.id = v_issue.area_id),
    'photos', coalesce((select jsonb_agg(jsonb_build_object('path', ph.path, 'thumb_path', ph.thumb_path, 'width', ph.width, 'height', ph.height) order by ph.position)
      from public.issue_photos ph where ph.issue_id = p_issue_id), '[]'::jsonb),
    'stances', (select coalesce(jsonb_object_agg(stance, n), '{}'::jsonb) from (
      select stance, count(*) as n from public.comments where issue_id = p_issue_id and state = 'visible' group by stance) st),
    'comments', public.issue_comments(p_issue_id, null),
    'actions', public.issue_actions(p_issue_id),
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

-- ----------------------------------------------------------------------------
-- The board: the same queries (create_issue_board), naming the columns they read.
-- ----------------------------------------------------------------------------

/**
 * One page of an estate's board (see create_issue_board), as json. Its queries
 * name the columns they read (author_id is not readable), and "raised by me"
 * takes the caller's issues from private.my_issue_ids. The page's rows come from one of two kinds of query:
 *   - status, category and search filters that keep a good share of the
 *     board: walking the sort's index (one status: that status's index) and
 *     checking the filters row by row; static, planned once per session;
 *   - otherwise: a query written for the filters given, planned for them.
 */
create or replace function public.issue_board(p_estate_id uuid, p_status text default null, p_category text default null,
  p_area_id uuid default null, p_mine boolean default false, p_supported boolean default false, p_q text default null,
  p_sort text default 'newest', p_cursor text default null) returns json
-- Generic plans for the static queries: each one's best plan does not depend on the values (each
-- walks one index in its order), and the plan cache would otherwise keep re-planning them, whose
-- custom plans it estimates cheaper. EXECUTE is unaffected.
language plpgsql stable set search_path = '' set plan_cache_mode = force_generic_plan as $$
declare
  v_uid uuid := auth.uid();
  v_q text := nullif(trim(coalesce(p_q, '')), '');
  v_sort text := coalesce(p_sort, 'newest');
  v_open text[] := public.open_issue_statuses();
  v_mine uuid[];
  v_estate public.estates;
  v_after_key integer;
  v_after_ts timestamptz;
  v_after_id uuid;
  v_statuses text[];
  v_areas uuid[];
  v_supported uuid[];
  v_pattern text;
  v_pairs text[];
  v_matching uuid[];
  v_total bigint;
  v_in_statuses bigint;
  v_pass float8;
  v_walk integer;
  v_done boolean := false;
  v_where text := '';
  v_order text;
  v_keys text;
  v_found bigint;
  v_last_key integer;
  v_last_ts timestamptz;
  v_last_id uuid;
  v_next text;
  v_rows json;
  v_counts json;
  v_open_count bigint;
begin
  if v_sort not in ('newest', 'supported', 'active') then
    raise exception using errcode = '22023', message = 'errors.invalid_choice', detail = 'sort';
  end if;
  select * into v_estate from public.estates where id = p_estate_id;
  if v_estate.id is null then
    raise exception using errcode = 'P0002', message = 'errors.estate_not_found', detail = '';
  end if;
  -- RLS hides the issues of a closed board; say so rather than show an empty board.
  if not v_estate.board_public and v_uid is null then
    raise exception using errcode = '42501', message = 'errors.sign_in_required', detail = '';
  end if;
  if p_cursor is not null then
    begin
      v_after_key := split_part(p_cursor, '|', 1)::integer;
      v_after_ts := split_part(p_cursor, '|', 2)::timestamptz;
      v_after_id := split_part(p_cursor, '|', 3)::uuid;
    exception when others then
      raise exception using errcode = '22023', message = 'errors.invalid_input', detail = 'cursor';
    end;
  end if;

  if p_status = 'open' then
    v_statuses := v_open;
  elsif p_status is not null then
    v_statuses := array[p_status];
  end if;

  -- The counts are those of the whole board, whatever the filters; RLS shows them to the issues'
  -- readers only. They also tell what share of the board the status filter keeps.
  select coalesce(json_object_agg(c.status, c.n), '{}'::json), coalesce(sum(c.n) filter (where c.status = any(v_open)), 0),
    coalesce(sum(c.n), 0), coalesce(sum(c.n) filter (where v_statuses is null or c.status = any(v_statuses)), 0)
  into v_counts, v_open_count, v_total, v_in_statuses
  from public.issue_status_counts c where c.estate_id = p_estate_id and c.n > 0;

  if v_q is not null then
    -- Literally: backslash (LIKE's escape character), % and _ are escaped. Inline, not a private
    -- helper, because anon reads public boards and may not name schema private.
    v_pattern := '%' || replace(replace(replace(v_q, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    -- The issues holding every pair of the words, from the index of issue_search_pairs (under its
    -- policies, like the issues'); the ILIKE keeps the literal matches among them. A single
    -- character has no pair: that search checks the board's rows in order until it has a page.
    v_pairs := public.character_pairs(v_q);
    if cardinality(v_pairs) = 1 then
      -- One pair (a two-character word, what most Chinese searches are): its rows are the
      -- matches, with no grouping (half the time of the general case below).
      v_matching := array(select p.issue_id from public.issue_search_pairs p where p.estate_id = p_estate_id and p.pair = v_pairs[1]);
    elsif cardinality(v_pairs) > 1 then
      select coalesce(array_agg(m.issue_id), '{}') into v_matching
      from (select p.issue_id from public.issue_search_pairs p
            where p.estate_id = p_estate_id and p.pair = any(v_pairs)
            group by p.issue_id having count(*) = cardinality(v_pairs)) m;
    end if;
  end if;

  if v_matching = '{}' then
    -- No issue holds every pair of the words: nothing to read.
    v_rows := '[]';
    v_found := 0;
    v_done := true;
  elsif p_area_id is null and not coalesce(p_mine, false) and not coalesce(p_supported, false)
     and (v_q is null or v_matching is not null) then
    -- Status, category and search filters are checked while walking the sort's index, where that
    -- reaches a page soon: one static query per sort, planned once per session and kept, where a
    -- query written for the filters (below) is planned on every call and costs more to plan than
    -- the walk to run. Of the rows walked, a category is taken to keep one in nine (there are
    -- nine), a search its candidates' share of the board.
    v_pass := case when p_category is null then 1 else 1.0 / 9 end
      * case when v_matching is null then 1 else cardinality(v_matching)::float8 / greatest(v_total, 1) end;
    v_after_key := coalesce(v_after_key, 2147483647);
    v_after_ts := coalesce(v_after_ts, 'infinity');
    v_after_id := coalesce(v_after_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff');
    if p_status is not null and p_status <> 'open' then
      -- One status: along that status's index for the sort, which holds v_in_statuses rows. Up to
      -- 2,000 of them the walk may read them all; beyond, only where a page is near.
      if v_in_statuses <= 2000 or v_pass * 1000 >= 21 then
        v_walk := case when (p_category is null and v_q is null) or v_in_statuses <= 2000 then null else 2000 end;
        case v_sort
          when 'newest' then
            select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
              max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
            into v_rows, v_found, v_last_key, v_last_ts, v_last_id
            from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                    i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.created_at as key_ts,
                    row_number() over (order by i.created_at desc, i.id desc) as ord
                  from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                        where i.estate_id = p_estate_id and i.status = p_status and (i.created_at, i.id) < (v_after_ts, v_after_id)
                        order by i.created_at desc, i.id desc limit v_walk) i
                  where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                    and (v_matching is null or i.id in (select unnest(v_matching)))
                    and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                  order by i.created_at desc, i.id desc limit 21) x;
          when 'active' then
            select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
              max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
            into v_rows, v_found, v_last_key, v_last_ts, v_last_id
            from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                    i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.last_activity_at as key_ts,
                    row_number() over (order by i.last_activity_at desc, i.id desc) as ord
                  from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                        where i.estate_id = p_estate_id and i.status = p_status and (i.last_activity_at, i.id) < (v_after_ts, v_after_id)
                        order by i.last_activity_at desc, i.id desc limit v_walk) i
                  where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                    and (v_matching is null or i.id in (select unnest(v_matching)))
                    and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                  order by i.last_activity_at desc, i.id desc limit 21) x;
          else
            select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
              max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
            into v_rows, v_found, v_last_key, v_last_ts, v_last_id
            from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                    i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, i.support_count as key_n, i.created_at as key_ts,
                    row_number() over (order by i.support_count desc, i.created_at desc, i.id desc) as ord
                  from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                        where i.estate_id = p_estate_id and i.status = p_status and (i.support_count, i.created_at, i.id) < (v_after_key, v_after_ts, v_after_id)
                        order by i.support_count desc, i.created_at desc, i.id desc limit v_walk) i
                  where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                    and (v_matching is null or i.id in (select unnest(v_matching)))
                    and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                  order by i.support_count desc, i.created_at desc, i.id desc limit 21) x;
        end case;
        v_done := true;
      end if;
    elsif v_total <= 2000 or v_pass * v_in_statuses * 1000 >= 21 * v_total then
      -- The whole board or the open tab: along the sort's own index, every status on it.
      v_walk := case when (p_category is null and v_q is null) or v_total <= 2000 then null else 2000 end;
      case v_sort
        when 'newest' then
          select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
            max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
          into v_rows, v_found, v_last_key, v_last_ts, v_last_id
          from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.created_at as key_ts,
                  row_number() over (order by i.created_at desc, i.id desc) as ord
                from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                      where i.estate_id = p_estate_id and (i.created_at, i.id) < (v_after_ts, v_after_id)
                      order by i.created_at desc, i.id desc limit v_walk) i
                where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                  and (v_matching is null or i.id in (select unnest(v_matching)))
                  and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                order by i.created_at desc, i.id desc limit 21) x;
        when 'active' then
          select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
            max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
          into v_rows, v_found, v_last_key, v_last_ts, v_last_id
          from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, 0 as key_n, i.last_activity_at as key_ts,
                  row_number() over (order by i.last_activity_at desc, i.id desc) as ord
                from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                      where i.estate_id = p_estate_id and (i.last_activity_at, i.id) < (v_after_ts, v_after_id)
                      order by i.last_activity_at desc, i.id desc limit v_walk) i
                where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                  and (v_matching is null or i.id in (select unnest(v_matching)))
                  and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                order by i.last_activity_at desc, i.id desc limit 21) x;
        else
          select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), '[]'), count(*),
            max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]
          into v_rows, v_found, v_last_key, v_last_ts, v_last_id
          from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count, i.comment_count,
                  i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, i.support_count as key_n, i.created_at as key_ts,
                  row_number() over (order by i.support_count desc, i.created_at desc, i.id desc) as ord
                from (select i.id, i.estate_id, i.area_id, i.title, i.body, i.status, i.category, i.support_count, i.comment_count, i.created_at, i.last_activity_at, i.has_photo from public.issues i
                      where i.estate_id = p_estate_id and (i.support_count, i.created_at, i.id) < (v_after_key, v_after_ts, v_after_id)
                      order by i.support_count desc, i.created_at desc, i.id desc limit v_walk) i
                where (v_statuses is null or i.status = any(v_statuses)) and (p_category is null or i.category = p_category)
                  and (v_matching is null or i.id in (select unnest(v_matching)))
                  and (v_pattern is null or i.title ilike v_pattern or i.body ilike v_pattern)
                order by i.support_count desc, i.created_at desc, i.id desc limit 21) x;
      end case;
      v_done := true;
    end if;
    -- A walk stopped at its limit with less than a page (a category rarer than guessed, or the
    -- last page) leaves the page to the planned query below.
    v_done := v_done and (v_found > 20 or v_walk is null);
  end if;

  if not v_done then
    -- Filters that pick few issues: only the filters given become query text, and EXECUTE plans
    -- it for them (a rare word by its candidates, mine by author, an area by area...), where one
    -- cached plan for every combination would walk the sort index through the whole board.
    -- Values are always parameters ($1 … $11).
    if v_statuses is not null then
      v_where := v_where || ' and i.status = any($2)';
    end if;
    if p_category is not null then
      v_where := v_where || ' and i.category = $3';
    end if;
    if p_area_id is not null then
      -- A courtyard covers its buildings.
      v_areas := array(select p_area_id union all select a.id from public.areas a where a.parent_id = p_area_id);
      v_where := v_where || ' and i.area_id = any($4)';
    end if;
    if coalesce(p_mine, false) then
      -- author_id is nobody's to read: the caller's own issues come from a helper (anon has none,
      -- and may not name schema private).
      v_mine := '{}';
      if v_uid is not null then
        v_mine := private.my_issue_ids(p_estate_id);
      end if;
      v_where := v_where || ' and i.id = any($5)';
    end if;
    if coalesce(p_supported, false) then
      -- Read apart from the page query: anon has no grant on issue_supports.
      v_supported := '{}';
      if v_uid is not null then
        select coalesce(array_agg(s.issue_id), '{}') into v_supported from public.issue_supports s where s.user_id = v_uid;
      end if;
      v_where := v_where || ' and i.id = any($6)';
    end if;
    if v_q is not null then
      v_where := v_where || ' and (i.title ilike $7 or i.body ilike $7)';
      -- The candidates as an array, so that the page query can walk its sort index and stop after
      -- a page, where a join would fetch every candidate first.
      if v_matching is not null then
        v_where := v_where || ' and i.id = any($11)';
      end if;
    end if;
    -- The order and the cursor condition follow one index each (see above); the cursor is the 20th
    -- row's sort key.
    case v_sort
      when 'newest' then
        v_order := 'i.created_at desc, i.id desc';
        v_keys := '0 as key_n, i.created_at as key_ts';
        if p_cursor is not null then v_where := v_where || ' and (i.created_at, i.id) < ($9, $10)'; end if;
      when 'active' then
        v_order := 'i.last_activity_at desc, i.id desc';
        v_keys := '0 as key_n, i.last_activity_at as key_ts';
        if p_cursor is not null then v_where := v_where || ' and (i.last_activity_at, i.id) < ($9, $10)'; end if;
      else
        v_order := 'i.support_count desc, i.created_at desc, i.id desc';
        v_keys := 'i.support_count as key_n, i.created_at as key_ts';
        if p_cursor is not null then v_where := v_where || ' and (i.support_count, i.created_at, i.id) < ($8, $9, $10)'; end if;
    end case;
    -- 21 rows: the 21st only says whether there is a next page, whose cursor is the 20th's key.
    execute 'select coalesce(json_agg(x.r order by x.ord) filter (where x.ord <= 20), ''[]''), count(*),'
        || ' max(x.key_n) filter (where x.ord = 20), max(x.key_ts) filter (where x.ord = 20), (array_agg(x.id) filter (where x.ord = 20))[1]'
        || ' from (select (select r from (select i.id, i.title, i.status, i.category, (select a.name from public.areas a where a.id = i.area_id) as area, i.area_id, i.support_count,'
        || ' i.comment_count, i.created_at, i.last_activity_at, i.has_photo) r) as r, i.id, ' || v_keys || ','
        || ' row_number() over (order by ' || v_order || ') as ord'
        || ' from public.issues i where i.estate_id = $1' || v_where
        || ' order by ' || v_order || ' limit 21) x'
      into v_rows, v_found, v_last_key, v_last_ts, v_last_id
      using p_estate_id, v_statuses, p_category, v_areas, v_mine, v_supported, v_pattern, v_after_key, v_after_ts, v_after_id, v_matching;
  end if;
  -- The cursor of the next page is the 20th row's sort key, when there is a 21st.
  if v_found > 20 then
    v_next := v_last_key::text || '|' || v_last_ts::text || '|' || v_last_id::text;
  end if;

  return json_build_object(
    'issues', v_rows,
    'next_cursor', v_next,
    'counts', v_counts,
    'open_count', v_open_count,
    'estate', json_build_object('id', v_estate.id, 'name', v_estate.name),
    'areas', coalesce((select l.areas from public.estate_area_lists l where l.estate_id = p_estate_id), '[]'::json)
  );
end
$$;
