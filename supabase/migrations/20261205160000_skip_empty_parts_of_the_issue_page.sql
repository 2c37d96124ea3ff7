-- ============================================================================
-- The issue page reads the parts an issue has, and skips those it has not.
-- Most issues have no plan and no progress note, yet issue_detail asked for
-- both on every page: item_progress (a SQL function of eleven steps, planned
-- afresh at each call, about 0.6 ms on the embedded database) and four
-- statements for the notes, their number and the before/after pair, each
-- checking the reader's policy. Now:
--   * the plan's progress is read only when the issue has a work item;
--   * the notes and the pair only when it has a note (the pair's "after" is
--     a note's photo, so without a note there is no pair).
-- The answer is the same, for every reader, as in show_progress_on_issues.
-- ============================================================================

/**
 * The issue page (see show_progress_on_issues): the same answer, with the
 * plan's progress read only for an issue with a plan, and the progress
 * notes and the before/after pair only for an issue with a note.
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
  v_updates bigint;
begin
  select i.id, i.estate_id, i.area_id, i.title, i.body, i.category, i.status, i.channel, i.point_x, i.point_y, i.support_count,
    i.comment_count, i.created_at, i.last_activity_at, i.threshold_reached_at, i.merged_into, i.stance_counts
  into v_issue from public.issues i where i.id = p_issue_id;
  if v_issue.id is null then
    raise exception using errcode = 'P0002', message = 'errors.issue_not_found', detail = '';
  end if;
  select coalesce(jsonb_agg(jsonb_build_object('id', ev.id, 'kind', ev.kind, 'action', ev.action, 'from', ev.from_status, 'to', ev.to_status,
      'reason', ev.reason, 'at', ev.created_at, 'related_issue_id', ev.related_issue_id, 'publication_id', ev.publication_id)
      -- Only events of a progress note name it (the other events read as before).
      || case when ev.progress_update_id is null then '{}'::jsonb else jsonb_build_object('progress_update_id', ev.progress_update_id) end order by ev.id), '[]'::jsonb)
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
    -- Most issues have no plan: item_progress (a statement of eleven steps, planned at each call) only for those that do.
    'progress', case when exists (select 1 from public.work_items w where w.issue_id = p_issue_id) then public.item_progress(p_issue_id) end,
    'behalf', null, 'supported', false, 'can_moderate', false, 'is_member', false, 'author', null,
    'author_hidden', v_issue.channel = 'app', 'names_shown', false
  ) into v_result;

  -- The progress notes, their number and the before/after pair: none of them without a note (the "after" is
  -- a note's photo), which is most issues, so they are read only when there is one.
  v_updates := (select count(*) from public.progress_updates u where u.issue_id = p_issue_id);
  if v_updates = 0 then
    v_result := v_result || jsonb_build_object('updates', '[]'::jsonb, 'update_count', 0, 'evidence', null);
  else
    v_result := v_result || (select jsonb_build_object(
    'updates', coalesce((select jsonb_agg(jsonb_build_object('id', u.id, 'item_id', u.item_id, 'note', u.note, 'at', u.created_at,
        'photos', coalesce((select jsonb_agg(jsonb_build_object('path', ph.path, 'thumb_path', ph.thumb_path, 'width', ph.width,
            'height', ph.height) order by ph.position) from public.progress_photos ph where ph.update_id = u.id), '[]'::jsonb))
        order by u.created_at desc, u.id)
      from (select u0.id, u0.item_id, u0.note, u0.created_at from public.progress_updates u0 where u0.issue_id = p_issue_id order by u0.created_at desc, u0.id limit 20) u), '[]'::jsonb),
    'update_count', v_updates,
    'evidence', (select jsonb_build_object('before', b.photo, 'after', a.photo)
      from (select coalesce(
          (select jsonb_build_object('path', ph.path, 'thumb_path', ph.thumb_path, 'width', ph.width, 'height', ph.height, 'at', v_issue.created_at, 'from_issue', true)
             from public.issue_photos ph where ph.issue_id = p_issue_id order by ph.position limit 1),
          (select jsonb_build_object('path', pp.path, 'thumb_path', pp.thumb_path, 'width', pp.width, 'height', pp.height, 'at', u.created_at, 'from_issue', false)
             from public.progress_photos pp join public.progress_updates u on u.id = pp.update_id
             where pp.issue_id = p_issue_id order by u.created_at, u.id, pp.position limit 1)) as photo) b,
        lateral (select jsonb_build_object('path', pp.path, 'thumb_path', pp.thumb_path, 'width', pp.width, 'height', pp.height, 'at', u.created_at) as photo
          from public.progress_photos pp join public.progress_updates u on u.id = pp.update_id
          where pp.issue_id = p_issue_id and pp.path is distinct from b.photo ->> 'path'
          order by u.created_at desc, u.id desc, pp.position desc limit 1) a
      where b.photo is not null)));
  end if;

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
