-- ============================================================================
-- Issues API: propose, find similar, support, the board, the issue page,
-- discussion and moderation, triage by the lifecycle table, the estate map.
-- Public functions are security invoker and check who may act; the writes
-- that no policy can safely allow (status, counters, moderation, the
-- timeline) go through the private security definer helpers below, which
-- trust their callers and are reachable only from these functions.
-- ============================================================================

-- private.open_statuses() is defined with the tables: the supports policy uses it.

/** Whether [x, y] lies inside a GeoJSON polygon or multipolygon (ray casting; holes count as outside). */
create function private.point_in_geometry(p_x numeric, p_y numeric, g jsonb) returns boolean
language plpgsql immutable set search_path = '' as $$
declare
  polys jsonb := case when g ->> 'type' = 'Polygon' then jsonb_build_array(g -> 'coordinates') else g -> 'coordinates' end;
  poly jsonb;
  ring jsonb;
  ring_no int;
  inside_ring boolean;
  n int;
  i int;
  xi numeric; yi numeric; xj numeric; yj numeric;
  in_poly boolean;
begin
  if g is null then return false; end if;
  for poly in select * from jsonb_array_elements(polys) loop
    in_poly := false;
    ring_no := 0;
    for ring in select * from jsonb_array_elements(poly) loop
      inside_ring := false;
      n := jsonb_array_length(ring);
      for i in 0 .. n - 2 loop
        xi := (ring -> i ->> 0)::numeric; yi := (ring -> i ->> 1)::numeric;
        xj := (ring -> (i + 1) ->> 0)::numeric; yj := (ring -> (i + 1) ->> 1)::numeric;
        if ((yi > p_y) <> (yj > p_y)) and (p_x < (xj - xi) * (p_y - yi) / (yj - yi) + xi) then
          inside_ring := not inside_ring;
        end if;
      end loop;
      if ring_no = 0 then in_poly := inside_ring;
      elsif inside_ring then in_poly := false;
      end if;
      ring_no := ring_no + 1;
    end loop;
    if in_poly then return true; end if;
  end loop;
  return false;
end
$$;
grant execute on function private.point_in_geometry(numeric, numeric, jsonb) to authenticated, service_role;

/** Appends to an issue's timeline. Security definer: events are never written directly. */
create function private.log_issue_event(p_issue_id uuid, p_kind text, p_action text, p_from text, p_to text,
  p_reason text, p_related uuid) returns void
language sql security definer set search_path = '' as $$
  insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, reason, related_issue_id)
  values (p_issue_id, auth.uid(), p_kind, p_action, p_from, p_to, nullif(trim(p_reason), ''), p_related);
$$;

/** Sends an in-app notification. Security definer: people cannot write each other's notifications. */
create function private.notify(p_user_ids uuid[], p_kind text, p_issue_id uuid, p_payload jsonb) returns void
language sql security definer set search_path = '' as $$
  insert into public.notifications (user_id, kind, issue_id, payload)
  select distinct u, p_kind, p_issue_id, coalesce(p_payload, '{}'::jsonb) from unnest(p_user_ids) u where u is not null;
$$;

/** The verified committee members of an estate. */
create function private.committee_of(p_estate_id uuid) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(user_id), '{}') from public.memberships
  where estate_id = p_estate_id and status = 'verified' and 'committee' = any(roles)
$$;

/** Sets an issue's status (and what it merged into). Security definer: status has no update grant. */
create function private.set_issue_status(p_issue_id uuid, p_status text, p_merged_into uuid) returns void
language sql security definer set search_path = '' as $$
  update public.issues set status = p_status, merged_into = p_merged_into, last_activity_at = now() where id = p_issue_id;
$$;

/**
 * Writes a comment's new body, state or moderation. Security definer: comments have no update grant.
 * Deleting keeps the text in comment_revisions (author and moderators only) and clears it from the comment.
 */
create function private.write_comment(p_comment_id uuid, p_body text, p_state text, p_reason text, p_moderator uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if p_body is not null then
    insert into public.comment_revisions (comment_id, body) select id, body from public.comments where id = p_comment_id;
    update public.comments set body = p_body, edited_at = now() where id = p_comment_id;
  end if;
  if p_state = 'deleted' then
    insert into public.comment_revisions (comment_id, body) select id, body from public.comments where id = p_comment_id and body is not null;
    update public.comments set state = 'deleted', body = null where id = p_comment_id;
  elsif p_state is not null then
    update public.comments set state = p_state, moderation_reason = nullif(trim(p_reason), ''), moderated_by = p_moderator
    where id = p_comment_id;
  end if;
end
$$;

/**
 * Locks issues (those the caller can read) until the end of the transaction, in a fixed order.
 * Security definer: a locking select needs an update grant, which issues do not have.
 * No key update: supports and comments being added hold key share locks on the issue, which FOR UPDATE would deadlock on.
 */
create function private.lock_issues(p_ids uuid[]) returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform 1 from public.issues where id = any(p_ids) and private.can_read_issues(estate_id) order by id for no key update;
end
$$;

/** Copies the supports of a merged issue to the one it merged into, once per person. Security definer: they are other people's supports. */
create function private.carry_supports(p_from uuid, p_to uuid) returns void
language sql security definer set search_path = '' as $$
  insert into public.issue_supports (issue_id, user_id, created_at)
  select p_to, s.user_id, s.created_at from public.issue_supports s where s.issue_id = p_from
  order by s.created_at
  on conflict do nothing;
$$;

revoke all on function private.log_issue_event(uuid, text, text, text, text, text, uuid), private.notify(uuid[], text, uuid, jsonb),
  private.committee_of(uuid), private.set_issue_status(uuid, text, uuid), private.write_comment(uuid, text, text, text, uuid),
  private.lock_issues(uuid[]), private.carry_supports(uuid, uuid) from public;
grant execute on function private.log_issue_event(uuid, text, text, text, text, text, uuid), private.notify(uuid[], text, uuid, jsonb),
  private.committee_of(uuid), private.set_issue_status(uuid, text, uuid), private.write_comment(uuid, text, text, text, uuid),
  private.lock_issues(uuid[]), private.carry_supports(uuid, uuid)
  to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- Triggers: counters and the threshold. Security definer, because the
-- supporter or commenter may not update the issue row themself.
-- ----------------------------------------------------------------------------

/** Keeps support_count, and notifies the committee once an issue reaches the estate's threshold. */
create function private.on_support_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_issue public.issues;
  v_threshold int;
begin
  update public.issues set support_count = support_count + case when tg_op = 'INSERT' then 1 else -1 end,
    last_activity_at = now()
  where id = coalesce(new.issue_id, old.issue_id)
  returning * into v_issue;
  if tg_op = 'INSERT' and v_issue.threshold_reached_at is null then
    select support_threshold into v_threshold from public.estates where id = v_issue.estate_id;
    if v_issue.support_count >= v_threshold then
      update public.issues set threshold_reached_at = now() where id = v_issue.id;
      perform private.log_issue_event(v_issue.id, 'threshold_reached', null, null, null, null, null);
      perform private.notify(private.committee_of(v_issue.estate_id), 'threshold_reached', v_issue.id,
        jsonb_build_object('title', v_issue.title, 'supports', v_issue.support_count));
    end if;
  end if;
  return null;
end
$$;
create trigger issue_supports_count after insert or delete on public.issue_supports
  for each row execute function private.on_support_change();

/**
 * Keeps comment_count and the issue's last activity. comment_count counts what
 * readers can read: visible comments. Hidden, reported (pending review) and
 * deleted ones keep their place in the thread for their author and the
 * moderators, but are not "comments" on the board.
 */
create function private.on_comment_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.issues set comment_count = comment_count + case when new.state = 'visible' then 1 else 0 end,
    last_activity_at = now()
  where id = new.issue_id;
  return null;
end
$$;
create trigger comments_count after insert on public.comments
  for each row execute function private.on_comment_insert();

/** A comment hidden, reported, deleted or restored leaves or re-enters comment_count. */
create function private.on_comment_state_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_delta int := (new.state = 'visible')::int - (old.state = 'visible')::int;
begin
  if v_delta <> 0 then
    update public.issues set comment_count = comment_count + v_delta where id = new.issue_id;
  end if;
  return null;
end
$$;
create trigger comments_state_count after update of state on public.comments
  for each row execute function private.on_comment_state_change();

/** A visible comment removed with its thread (its parent or issue deleted) leaves comment_count. */
create function private.on_comment_delete() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.state = 'visible' then
    update public.issues set comment_count = comment_count - 1 where id = old.issue_id;
  end if;
  return null;
end
$$;
create trigger comments_delete_count after delete on public.comments
  for each row execute function private.on_comment_delete();

revoke all on function private.on_comment_state_change(), private.on_comment_delete() from public;

/** Three reports from distinct members hide a comment until a moderator reviews it. */
create function private.on_report_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Reports arriving together are counted one after another: the next statement sees the ones committed before.
  -- No key update: each report's foreign key already holds a key share lock on the comment, which FOR UPDATE would deadlock on.
  perform 1 from public.comments where id = new.comment_id for no key update;
  update public.comments set state = 'reported'
  where id = new.comment_id and state = 'visible'
    and (select count(*) from public.comment_reports where comment_id = new.comment_id) >= 3;
  return null;
end
$$;
create trigger comment_reports_hide after insert on public.comment_reports
  for each row execute function private.on_report_insert();

/** Every issue's timeline starts with its proposal. */
create function private.on_issue_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.issue_events (issue_id, actor_id, kind, to_status) values (new.id, new.author_id, 'proposed', new.status);
  return null;
end
$$;
create trigger issues_proposed after insert on public.issues
  for each row execute function private.on_issue_insert();

revoke all on function private.on_support_change(), private.on_comment_insert(), private.on_report_insert(),
  private.on_issue_insert() from public;

-- ----------------------------------------------------------------------------
-- Propose, similar, support.
-- ----------------------------------------------------------------------------

/**
 * Raises an issue in an area (a courtyard or building of the estate), with an
 * optional point inside it and up to 6 already-stored photos
 * [{path, thumb_path, width, height}]. A volunteer, moderator or committee
 * member may record it for a resident (channel hotline, visit, meeting or
 * paper), naming them; only moderators and the committee see that name.
 */
create function public.propose_issue(p_estate_id uuid, p_area_id uuid, p_category text, p_title text, p_body text,
  p_point_x numeric default null, p_point_y numeric default null, p_photos jsonb default '[]',
  p_channel text default 'app', p_resident_name text default null, p_resident_contact text default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_area public.areas;
  v_id uuid;
  v_photo jsonb;
  v_pos int := 0;
begin
  if not (p_estate_id = any(private.member_estates())) then
    perform private.fail('42501', 'errors.not_member');
  end if;
  select * into v_area from public.areas where id = p_area_id and estate_id = p_estate_id and kind in ('courtyard', 'building');
  if v_area.id is null then
    perform private.fail('22023', 'errors.area_not_in_estate', 'area_id');
  end if;
  if coalesce(trim(p_title), '') = '' or char_length(trim(p_title)) > 60 then
    perform private.fail('22023', 'errors.title_invalid', 'title');
  end if;
  if char_length(coalesce(p_body, '')) > 5000 then
    perform private.fail('22023', 'errors.too_long', 'body');
  end if;
  if p_category is null or p_category not in ('facilities', 'greening', 'sanitation', 'parking', 'safety', 'elderly_children', 'dogs', 'renovation', 'other') then
    perform private.fail('22023', 'errors.invalid_choice', 'category');
  end if;
  if (p_point_x is null) <> (p_point_y is null) then
    perform private.fail('22023', 'errors.point_outside_area', 'point');
  end if;
  if p_point_x is not null and (v_area.geometry is null or not private.point_in_geometry(p_point_x, p_point_y, v_area.geometry)) then
    perform private.fail('22023', 'errors.point_outside_area', 'point');
  end if;
  if coalesce(p_channel, 'app') not in ('app', 'hotline', 'visit', 'meeting', 'paper') then
    perform private.fail('22023', 'errors.invalid_choice', 'channel');
  end if;
  if coalesce(p_channel, 'app') <> 'app' then
    if not (p_estate_id = any(private.estates_with_role(array['volunteer', 'moderator', 'committee']))) then
      perform private.fail('42501', 'errors.forbidden', 'channel');
    end if;
    if coalesce(trim(p_resident_name), '') = '' or char_length(trim(p_resident_name)) > 40 then
      perform private.fail('22023', 'errors.resident_name_required', 'resident_name');
    end if;
  end if;
  if jsonb_typeof(coalesce(p_photos, '[]')) <> 'array' or jsonb_array_length(coalesce(p_photos, '[]')) > 6 then
    perform private.fail('22023', 'errors.photos_too_many', 'photos');
  end if;

  insert into public.issues (estate_id, area_id, point_x, point_y, category, title, body, channel, author_id)
  values (p_estate_id, p_area_id, p_point_x, p_point_y, p_category, trim(p_title), coalesce(trim(p_body), ''),
    coalesce(p_channel, 'app'), v_uid)
  returning id into v_id;
  if coalesce(p_channel, 'app') <> 'app' then
    insert into public.issue_behalf (issue_id, estate_id, resident_name, resident_contact)
    values (v_id, p_estate_id, trim(p_resident_name), nullif(trim(p_resident_contact), ''));
  end if;
  for v_photo in select * from jsonb_array_elements(coalesce(p_photos, '[]')) loop
    insert into public.issue_photos (issue_id, position, path, thumb_path, width, height)
    values (v_id, v_pos, v_photo ->> 'path', v_photo ->> 'thumb_path', (v_photo ->> 'width')::int, (v_photo ->> 'height')::int);
    v_pos := v_pos + 1;
  end loop;
  return jsonb_build_object('id', v_id);
end
$$;

/**
 * Up to 5 open issues of the estate whose titles look like the given one,
 * the same area first, then the most alike. Likeness is shared character
 * pairs (see private.bigrams), which suits Chinese titles.
 */
create function public.similar_issues(p_estate_id uuid, p_title text, p_area_id uuid default null) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_pairs text[] := private.bigrams(p_title);
begin
  if cardinality(v_pairs) < 2 then
    return '[]'::jsonb;
  end if;
  return (select coalesce(jsonb_agg(x order by same_area desc, score desc), '[]'::jsonb) from (
    select jsonb_build_object('id', i.id, 'title', i.title, 'status', i.status, 'support_count', i.support_count,
        'area', a.name, 'same_area', i.area_id is not distinct from p_area_id) as x,
      i.area_id is not distinct from p_area_id as same_area,
      private.bigram_similarity(i.title_bigrams, v_pairs) as score
    from public.issues i join public.areas a on a.id = i.area_id
    where i.estate_id = p_estate_id and i.title_bigrams && v_pairs
      and i.status = any(private.open_statuses())
      and private.bigram_similarity(i.title_bigrams, v_pairs) >= 0.2
    order by same_area desc, score desc limit 5) s);
end
$$;

/** Supports (附议) an open issue: one per verified member; a second support is refused. */
create function public.support_issue(p_issue_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_issue public.issues;
begin
  -- Locked first, so that a decision taken at the same moment is seen here, not by the supports policy.
  perform private.lock_issues(array[p_issue_id]);
  select * into v_issue from public.issues where id = p_issue_id;
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

/** Withdraws the caller's support. */
create function public.withdraw_support(p_issue_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
begin
  delete from public.issue_supports where issue_id = p_issue_id and user_id = v_uid;
  if not found then
    perform private.fail('P0002', 'errors.support_not_found');
  end if;
  return jsonb_build_object('support_count', (select support_count from public.issues where id = p_issue_id), 'supported', false);
end
$$;

/** The actions the caller may take on an issue now, read from the lifecycle table. */
create function public.issue_actions(p_issue_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_issue public.issues;
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    return '[]'::jsonb;
  end if;
  select * into v_issue from public.issues where id = p_issue_id;
  if v_issue.id is null then
    return '[]'::jsonb;
  end if;
  return coalesce((select jsonb_agg(jsonb_build_object('action', t.action, 'to', t.to_status, 'needs_reason', t.needs_reason) order by t.action)
    from public.issue_transitions t
    where t.from_status = v_issue.status
      and case t.actor
        when 'committee' then private.manages_estate(v_issue.estate_id)
        when 'moderator' then private.moderates_estate(v_issue.estate_id)
        when 'author' then v_issue.author_id = v_uid
      end), '[]'::jsonb);
end
$$;

/** A member's display name, for authors in discussions. Security definer: profiles are otherwise private to their person. */
create function private.member_name(p_user_id uuid) returns text
language sql stable security definer set search_path = '' as $$
  select display_name from public.profiles where id = p_user_id
$$;
revoke all on function private.member_name(uuid) from public;
grant execute on function private.member_name(uuid) to authenticated, service_role;

/**
 * One page of an issue's discussion: 50 top-level comments (oldest first)
 * after the cursor, each with its replies. Hidden and reported comments show
 * to their author and moderators (RLS); deleted ones keep their place with
 * no text. Names are shown to signed-in readers only.
 * The cursor (more_after) is the time of the page's last top-level comment,
 * as ISO text with microseconds: text, because a driver given a timestamptz
 * parameter may round it to milliseconds (postgres.js does), which would
 * repeat that comment on the next page. Comments of the same instant are
 * never split between two pages, so a time is cursor enough.
 */
create function public.issue_comments(p_issue_id uuid, p_after text default null) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_after timestamptz;
  v_top uuid[];
  v_more timestamptz;
  v_page jsonb;
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
      'id', c.id, 'parent_id', c.parent_id, 'author_id', c.author_id, 'stance', c.stance,
      'body', case when c.state = 'deleted' then null else c.body end,
      'state', c.state, 'moderation_reason', c.moderation_reason,
      'created_at', c.created_at, 'edited_at', c.edited_at, 'mine', c.author_id = v_uid
    ) order by array_position(v_top, coalesce(c.parent_id, c.id)), c.parent_id nulls first, c.created_at), '[]'::jsonb)
  into v_page
  from public.comments c
  where c.id = any(coalesce(v_top, '{}')) or c.parent_id = any(coalesce(v_top, '{}'));
  -- Names only for signed-in readers; anon may not even name schema private.
  if v_uid is not null then
    select coalesce(jsonb_agg((c - 'author_id') || jsonb_build_object('author', private.member_name((c ->> 'author_id')::uuid))), '[]'::jsonb)
    into v_page from jsonb_array_elements(v_page) c;
  else
    select coalesce(jsonb_agg(c - 'author_id'), '[]'::jsonb) into v_page from jsonb_array_elements(v_page) c;
  end if;
  return jsonb_build_object('comments', v_page, 'more_after', v_more);
end
$$;

/**
 * The issue page: details, photos, area, supports, timeline, the first page
 * of the discussion with the stance tally, and what the caller may do. The
 * on-behalf resident is visible to moderators only (RLS on issue_behalf);
 * names are shown to signed-in readers only.
 */
create function public.issue_detail(p_issue_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_issue public.issues;
  v_result jsonb;
  v_timeline jsonb;
begin
  select * into v_issue from public.issues where id = p_issue_id;
  if v_issue.id is null then
    raise exception using errcode = 'P0002', message = 'errors.issue_not_found', detail = '';
  end if;
  select coalesce(jsonb_agg(jsonb_build_object('kind', ev.kind, 'action', ev.action, 'from', ev.from_status, 'to', ev.to_status,
      'reason', ev.reason, 'at', ev.created_at, 'actor_id', ev.actor_id, 'related_issue_id', ev.related_issue_id) order by ev.id), '[]'::jsonb)
  into v_timeline from public.issue_events ev where ev.issue_id = p_issue_id;

  select jsonb_build_object(
    'issue', jsonb_build_object('id', v_issue.id, 'estate_id', v_issue.estate_id, 'title', v_issue.title, 'body', v_issue.body,
      'category', v_issue.category, 'status', v_issue.status, 'channel', v_issue.channel,
      'point', case when v_issue.point_x is null then null else jsonb_build_array(v_issue.point_x, v_issue.point_y) end,
      'support_count', v_issue.support_count, 'comment_count', v_issue.comment_count,
      'created_at', v_issue.created_at, 'last_activity_at', v_issue.last_activity_at,
      'threshold_reached', v_issue.threshold_reached_at is not null, 'merged_into', v_issue.merged_into,
      'is_author', coalesce(v_issue.author_id = v_uid, false)),
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
    'behalf', null, 'supported', false, 'can_moderate', false, 'is_member', false, 'author', null
  ) into v_result;

  if v_uid is null then
    return v_result || jsonb_build_object('timeline', (select coalesce(jsonb_agg(t - 'actor_id'), '[]'::jsonb) from jsonb_array_elements(v_timeline) t));
  end if;
  return v_result || jsonb_build_object(
    'timeline', (select coalesce(jsonb_agg((t - 'actor_id') || jsonb_build_object('actor', private.member_name((t ->> 'actor_id')::uuid))), '[]'::jsonb)
      from jsonb_array_elements(v_timeline) t),
    'author', case when v_issue.channel = 'app' then private.member_name(v_issue.author_id) end,
    'behalf', (select jsonb_build_object('name', b.resident_name, 'contact', b.resident_contact) from public.issue_behalf b where b.issue_id = p_issue_id),
    'supported', exists (select 1 from public.issue_supports s where s.issue_id = p_issue_id and s.user_id = v_uid),
    'can_moderate', private.moderates_estate(v_issue.estate_id),
    'is_member', v_issue.estate_id = any(private.member_estates()));
end
$$;

-- ----------------------------------------------------------------------------
-- Discussion and moderation.
-- ----------------------------------------------------------------------------

/** Comments with a stance; a reply answers a top-level comment (one level deep). */
create function public.comment_on_issue(p_issue_id uuid, p_stance text, p_body text, p_parent_id uuid default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_issue public.issues;
  v_parent public.comments;
  v_id uuid;
begin
  select * into v_issue from public.issues where id = p_issue_id;
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
    select * into v_parent from public.comments where id = p_parent_id;
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

/** Edits one's own comment within 15 minutes; the earlier text is kept in comment_revisions. */
create function public.edit_comment(p_comment_id uuid, p_body text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_c public.comments;
begin
  select * into v_c from public.comments where id = p_comment_id;
  if v_c.id is null or v_c.author_id <> v_uid then
    perform private.fail('P0002', 'errors.comment_not_found');
  end if;
  if v_c.state <> 'visible' then
    perform private.fail('22023', 'errors.comment_not_editable');
  end if;
  if v_c.created_at < now() - interval '15 minutes' then
    perform private.fail('22023', 'errors.edit_window_passed');
  end if;
  if coalesce(trim(p_body), '') = '' or char_length(p_body) > 2000 then
    perform private.fail('22023', 'errors.comment_invalid', 'body');
  end if;
  perform private.write_comment(p_comment_id, trim(p_body), null, null, null);
  return jsonb_build_object('id', p_comment_id);
end
$$;

/** Deletes one's own comment: it stays in place as "deleted", without its text. */
create function public.delete_comment(p_comment_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_c public.comments;
begin
  select * into v_c from public.comments where id = p_comment_id;
  if v_c.id is null or v_c.author_id <> v_uid or v_c.state = 'deleted' then
    perform private.fail('P0002', 'errors.comment_not_found');
  end if;
  perform private.write_comment(p_comment_id, null, 'deleted', null, null);
  return jsonb_build_object('id', p_comment_id);
end
$$;

/** Reports a comment with a reason. Three reports from distinct members hide it for review. */
create function public.report_comment(p_comment_id uuid, p_reason text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_c public.comments;
begin
  select * into v_c from public.comments where id = p_comment_id;
  if v_c.id is null or not (private.issue_estate(v_c.issue_id) = any(private.member_estates())) then
    perform private.fail('P0002', 'errors.comment_not_found');
  end if;
  if v_c.author_id = v_uid then
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

/** Moderators hide a comment or restore it, with a reason its author sees. */
create function public.moderate_comment(p_comment_id uuid, p_hide boolean, p_reason text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_c public.comments;
begin
  select * into v_c from public.comments where id = p_comment_id;
  if v_c.id is null or not private.moderates_estate(private.issue_estate(v_c.issue_id)) then
    perform private.fail('P0002', 'errors.comment_not_found');
  end if;
  if v_c.state = 'deleted' then
    perform private.fail('22023', 'errors.comment_not_editable');
  end if;
  if coalesce(trim(p_reason), '') = '' or char_length(p_reason) > 300 then
    perform private.fail('22023', 'errors.reason_required', 'reason');
  end if;
  perform private.write_comment(p_comment_id, null, case when p_hide then 'hidden' else 'visible' end, p_reason, v_uid);
  perform private.notify(array[v_c.author_id], 'comment_moderated', v_c.issue_id,
    jsonb_build_object('hidden', p_hide, 'reason', trim(p_reason)));
  return jsonb_build_object('state', case when p_hide then 'hidden' else 'visible' end);
end
$$;

-- ----------------------------------------------------------------------------
-- Triage: transitions from the lifecycle table.
-- ----------------------------------------------------------------------------

/**
 * Takes an action on an issue, if the lifecycle table allows it from the
 * issue's status for the caller: accept, decline (with a reason), merge into
 * another open issue of the estate (supports carry over), withdraw (the
 * author), and the later steps. Every transition is recorded in the timeline.
 */
create function public.transition_issue(p_issue_id uuid, p_action text, p_reason text default null, p_merge_into uuid default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_issue public.issues;
  v_t public.issue_transitions;
  v_target public.issues;
  v_allowed boolean;
begin
  -- Both issues are locked first, so two people triaging at once take turns and the second sees the first's result.
  perform private.lock_issues(array[p_issue_id, p_merge_into]);
  select * into v_issue from public.issues where id = p_issue_id;
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  select * into v_t from public.issue_transitions where action = p_action and from_status = v_issue.status;
  if v_t.action is null then
    perform private.fail('22023', 'errors.transition_not_allowed', 'action');
  end if;
  -- Assigned first: in an IF condition, plpgsql would stop reading at the CASE's first THEN.
  v_allowed := case v_t.actor
      when 'committee' then private.manages_estate(v_issue.estate_id)
      when 'moderator' then private.moderates_estate(v_issue.estate_id)
      when 'author' then v_issue.author_id = v_uid
    end;
  if not v_allowed then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if v_t.needs_reason and coalesce(trim(p_reason), '') = '' then
    perform private.fail('22023', 'errors.reason_required', 'reason');
  end if;
  if char_length(coalesce(p_reason, '')) > 500 then
    perform private.fail('22023', 'errors.too_long', 'reason');
  end if;
  if p_action = 'merge' then
    select * into v_target from public.issues where id = p_merge_into;
    if v_target.id is null or v_target.estate_id <> v_issue.estate_id or v_target.id = v_issue.id
       or not (v_target.status = any(private.open_statuses())) then
      perform private.fail('22023', 'errors.merge_target_invalid', 'merge_into');
    end if;
    -- Supports carry over to the survivor, once per person.
    perform private.carry_supports(v_issue.id, v_target.id);
    perform private.log_issue_event(v_target.id, 'merged_from', 'merge', null, null, p_reason, v_issue.id);
  end if;
  perform private.set_issue_status(v_issue.id, v_t.to_status, case when p_action = 'merge' then v_target.id end);
  perform private.log_issue_event(v_issue.id, 'transition', p_action, v_issue.status, v_t.to_status, p_reason,
    case when p_action = 'merge' then v_target.id end);
  -- The author is told, unless the author took the step.
  perform private.notify(array[nullif(v_issue.author_id, v_uid)], 'issue_status', v_issue.id,
    jsonb_build_object('title', v_issue.title, 'to', v_t.to_status, 'reason', nullif(trim(p_reason), '')));
  return jsonb_build_object('id', v_issue.id, 'status', v_t.to_status);
end
$$;

-- ----------------------------------------------------------------------------
-- The estate map, notifications, estate settings.
-- ----------------------------------------------------------------------------

/**
 * What the map page draws: areas with their number of open issues, and one
 * small pin per issue with a point (id, point, status, category only; the
 * rest is fetched on click with issue_detail).
 */
create function public.estate_map(p_estate_id uuid, p_status text default null, p_category text default null) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  if not exists (select 1 from public.estates where id = p_estate_id) then
    raise exception using errcode = 'P0002', message = 'errors.estate_not_found', detail = '';
  end if;
  return jsonb_build_object(
    'areas', coalesce((select jsonb_agg(jsonb_build_object('id', a.id, 'kind', a.kind, 'name', a.name, 'parent_id', a.parent_id,
        'geometry', a.geometry, 'open', (select count(*) from public.issues i where i.area_id = a.id
          and i.status = any(array['proposed', 'accepted', 'deliberating', 'voting', 'approved', 'publicized', 'in_progress', 'following_up']))))
      from public.areas a where a.estate_id = p_estate_id), '[]'::jsonb),
    'pins', coalesce((select jsonb_agg(jsonb_build_array(i.id, i.point_x, i.point_y, i.status, i.category))
      from public.issues i
      where i.estate_id = p_estate_id and i.point_x is not null
        and (p_status is null or (p_status = 'open' and i.status = any(array['proposed', 'accepted', 'deliberating', 'voting', 'approved', 'publicized', 'in_progress', 'following_up'])) or i.status = p_status)
        and (p_category is null or i.category = p_category)), '[]'::jsonb)
  );
end
$$;

/** The caller's notifications, newest first, with the unread count. */
create function public.my_notifications() returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object(
    'unread', (select count(*) from public.notifications where user_id = auth.uid() and read_at is null),
    'items', coalesce((select jsonb_agg(jsonb_build_object('id', n.id, 'kind', n.kind, 'issue_id', n.issue_id, 'payload', n.payload,
        'created_at', n.created_at, 'read', n.read_at is not null) order by n.id desc)
      from (select * from public.notifications where user_id = auth.uid() order by id desc limit 50) n), '[]'::jsonb))
$$;

/** Marks all the caller's notifications read. */
create function public.mark_notifications_read() returns void
language sql set search_path = '' as $$
  update public.notifications set read_at = now() where user_id = auth.uid() and read_at is null;
$$;

/** The committee sets whether the public may read the board, and how many supports reach its review queue. */
create function public.save_issue_settings(p_estate_id uuid, p_board_public boolean, p_support_threshold integer) returns void
language plpgsql set search_path = '' as $$
begin
  perform private.require_user();
  if not private.manages_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if p_support_threshold is null or p_support_threshold not between 1 and 10000 then
    perform private.fail('22023', 'errors.out_of_range', 'support_threshold');
  end if;
  perform private.write_estate_settings(p_estate_id, coalesce(p_board_public, false), p_support_threshold);
end
$$;

/** Writes the issue settings of an estate. Security definer: only administrators may update estates directly. */
create function private.write_estate_settings(p_estate_id uuid, p_board_public boolean, p_support_threshold integer) returns void
language sql security definer set search_path = '' as $$
  update public.estates set board_public = p_board_public, support_threshold = p_support_threshold where id = p_estate_id;
$$;
revoke all on function private.write_estate_settings(uuid, boolean, integer) from public;
grant execute on function private.write_estate_settings(uuid, boolean, integer) to authenticated, service_role;

revoke execute on function public.propose_issue(uuid, uuid, text, text, text, numeric, numeric, jsonb, text, text, text),
  public.similar_issues(uuid, text, uuid), public.support_issue(uuid), public.withdraw_support(uuid),
  public.issue_actions(uuid),
  public.issue_comments(uuid, text), public.issue_detail(uuid), public.comment_on_issue(uuid, text, text, uuid),
  public.edit_comment(uuid, text), public.delete_comment(uuid), public.report_comment(uuid, text),
  public.moderate_comment(uuid, boolean, text), public.transition_issue(uuid, text, text, uuid),
  public.estate_map(uuid, text, text), public.my_notifications(), public.mark_notifications_read(),
  public.save_issue_settings(uuid, boolean, integer) from public, anon;
grant execute on function public.issue_actions(uuid),
  public.issue_comments(uuid, text), public.issue_detail(uuid), public.estate_map(uuid, text, text) to anon;
grant execute on function public.propose_issue(uuid, uuid, text, text, text, numeric, numeric, jsonb, text, text, text),
  public.similar_issues(uuid, text, uuid), public.support_issue(uuid), public.withdraw_support(uuid),
  public.issue_actions(uuid),
  public.issue_comments(uuid, text), public.issue_detail(uuid), public.comment_on_issue(uuid, text, text, uuid),
  public.edit_comment(uuid, text), public.delete_comment(uuid), public.report_comment(uuid, text),
  public.moderate_comment(uuid, boolean, text), public.transition_issue(uuid, text, text, uuid),
  public.estate_map(uuid, text, text), public.my_notifications(), public.mark_notifications_read(),
  public.save_issue_settings(uuid, boolean, integer) to authenticated;

/** An estate's issue settings: whether the public may read its board, and the support threshold. */
create function public.issue_settings(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  perform private.require_user();
  if not private.manages_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return (select jsonb_build_object('board_public', board_public, 'support_threshold', support_threshold)
    from public.estates where id = p_estate_id);
end
$$;

revoke execute on function public.issue_settings(uuid) from public, anon;
grant execute on function public.issue_settings(uuid) to authenticated;

-- ----------------------------------------------------------------------------
-- The map popup.
-- ----------------------------------------------------------------------------

/**
 * What a map pin's popup shows: title, status, category, area and supports of
 * one issue, and its estate (for the address check), instead of issue_detail's
 * timeline, photos and first page of discussion.
 */
create function public.issue_summary(p_issue_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_summary jsonb;
begin
  select jsonb_build_object('id', i.id, 'estate_id', i.estate_id, 'title', i.title, 'status', i.status, 'category', i.category,
      'area', a.name, 'support_count', i.support_count)
  into v_summary
  from public.issues i join public.areas a on a.id = i.area_id
  where i.id = p_issue_id;
  if v_summary is null then
    raise exception using errcode = 'P0002', message = 'errors.issue_not_found', detail = '';
  end if;
  return v_summary;
end
$$;

-- Anyone who may read the issue: anon too, on public boards (RLS decides).
revoke execute on function public.issue_summary(uuid) from public;
grant execute on function public.issue_summary(uuid) to anon, authenticated;
