-- ============================================================================
-- Minutes (会议纪要, issue #13): assembled from a meeting's record, edited by
-- the recorder as a draft paragraph by paragraph, then published for a window
-- (公示) through the one publication mechanism (20261203130000), where
-- residents object to a paragraph and the committee answers every objection
-- before the minutes are final.
--
-- The assembled text is kept beside the edited draft, so that what the
-- record says and what the recorder changed can always be compared. The
-- assembly reads the record only (meetings, agenda, attendance, proxies,
-- motions, seconds, speeches): a motion's decision is its status and counts;
-- its text is the motion's body (a resolution text, when the room records
-- one, is not needed to say what was decided).
--
-- A publication names one issue; minutes concern every issue on the agenda,
-- so the publication's timeline step is written to each agenda issue
-- (private.log_publication_event, redefined below, keeps what it did for
-- every other kind).
-- ============================================================================

insert into public.publication_kinds (kind, subject) values ('minutes', 'meeting');
insert into public.issue_event_kinds (kind) values ('minutes_published'), ('minutes_amended'), ('minutes_final');

create table public.meeting_minutes (
  meeting_id uuid primary key references public.meetings (id) on delete cascade,
  estate_id uuid not null references public.estates (id) on delete cascade,
  -- As assembled from the record, never edited; a new assembly replaces both.
  assembled text[] not null check (cardinality(assembled) between 1 and 50 and array_position(assembled, null) is null),
  -- The draft as the recorder edited it: what is published.
  paragraphs text[] not null check (cardinality(paragraphs) between 1 and 50 and array_position(paragraphs, null) is null),
  assembled_at timestamptz not null default now(),
  assembled_by uuid references public.profiles (id) on delete set null,
  edited_at timestamptz,
  edited_by uuid references public.profiles (id) on delete set null,
  -- Once published, the draft is frozen: amendments go through the publication's revisions.
  publication_id uuid references public.publications (id) on delete set null
);
create index meeting_minutes_estate_id_idx on public.meeting_minutes (estate_id);
create index meeting_minutes_assembled_by_idx on public.meeting_minutes (assembled_by);
create index meeting_minutes_edited_by_idx on public.meeting_minutes (edited_by);
create index meeting_minutes_publication_id_idx on public.meeting_minutes (publication_id);

comment on table public.meeting_minutes is
  'Draft minutes of a meeting: read by the estate''s members (they name people); written by the minutes functions only.';

alter table public.meeting_minutes enable row level security;
revoke all on public.meeting_minutes from anon, authenticated;
grant select (meeting_id, estate_id, assembled, paragraphs, assembled_at, edited_at, publication_id)
  on public.meeting_minutes to authenticated;

/**
 * A draft names who attended, moved and spoke: read like attendance, by the
 * estate's verified members and administrators. Once published, everyone who
 * reads the estate's publications reads the published text there.
 */
create policy "Members can read the draft minutes of their estate" on public.meeting_minutes for select to authenticated
  using (estate_id in (select unnest(private.member_estates())) or (select private.is_admin()));

-- ----------------------------------------------------------------------------
-- Assembly.
-- ----------------------------------------------------------------------------

/** A time in China time for the minutes' text ("2026年12月4日 19:00"). */
create function private.minutes_time(p_at timestamptz) returns text
language sql immutable set search_path = '' as $$
  select to_char(p_at at time zone 'Asia/Shanghai', 'YYYY"年"FMMM"月"FMDD"日" HH24:MI')
$$;

/** A speech's length in words ("1分50秒", "45秒"). */
create function private.minutes_duration(p_seconds integer) returns text
language sql immutable set search_path = '' as $$
  select case when p_seconds >= 60 then (p_seconds / 60) || '分' || case when p_seconds % 60 > 0 then (p_seconds % 60) || '秒' else '' end
    else greatest(p_seconds, 0) || '秒' end
$$;

/**
 * The minutes of a meeting as ordered paragraphs, assembled from its record
 * in one statement: the header (kind, time in China time, place, chair,
 * recorder), attendance (people, households, proxies, the quorum for the
 * kind), each agenda item with its motions (text, mover, seconders), the
 * speeches in order (speaker, stance, time used; 25 to a paragraph) and the
 * decision (method, counts, carried or failed), and the close. An anonymous
 * meeting names nobody but its chair and recorder. Security definer: names
 * come from profiles and attendance; called by draft_minutes only.
 */
create function private.assemble_minutes(p_meeting_id uuid) returns text[]
language sql stable security definer set search_path = '' as $$
  with m as (
    select x.*, coalesce(x.opened_at, x.starts_at) as began, coalesce(x.closed_at, x.ends_at) as ended
    from public.meetings x where x.id = p_meeting_id
  ), who as (
    select a.id, a.user_id, a.checked_in_at, a.checked_in_by, a.unit_id,
      case when m.anonymous then null else coalesce(p.display_name, a.name, '—') end as name,
      coalesce(a.unit_id, ms.unit_id) as unit
    from m join public.meeting_attendance a on a.meeting_id = m.id
    left join public.profiles p on p.id = a.user_id
    left join public.memberships ms on ms.user_id = a.user_id and ms.estate_id = m.estate_id and ms.status = 'verified'
  ), present as (
    select * from who where checked_in_at is not null
  ), proxies as (
    select x.id, case when m.anonymous then null else coalesce(ap.display_name, x.absent_name) end as absent, h.name as holder
    from m join public.meeting_proxies x on x.meeting_id = m.id and x.revoked_at is null
    join present h on h.id = x.holder_id
    left join public.profiles ap on ap.id = x.absent_user_id
  ), counts as (
    select (select count(*) from present) as people, (select count(distinct unit) from present) as households,
      (select count(*) from present where checked_in_by is not null) as by_door, (select count(*) from proxies) as proxies,
      (select count(*) from m join public.memberships ms on ms.estate_id = m.estate_id and ms.status = 'verified'
        left join public.units u on u.id = ms.unit_id left join public.areas b on b.id = u.building_id
        where m.scope_area_id is null or b.id = m.scope_area_id or b.parent_id = m.scope_area_id) as electors
  ), items as (
    select a.id, a.position, a.title, a.outcome, i.title as issue_title,
      row_number() over (order by a.position) as n
    from m join public.agenda_items a on a.meeting_id = m.id left join public.issues i on i.id = a.issue_id
  ), motions as (
    select mo.*, it.position, row_number() over (partition by mo.agenda_item_id order by mo.moved_at, mo.id) as n,
      (select w.name from who w where w.id = mo.mover_id) as mover,
      (select string_agg(coalesce(w.name, '一位居民'), '、' order by s.created_at) from public.motion_seconds s join who w on w.id = s.attendance_id
        where s.motion_id = mo.id) as seconders,
      (select count(*) from public.motion_seconds s where s.motion_id = mo.id) as seconds
    from m join public.motions mo on mo.meeting_id = m.id join items it on it.id = mo.agenda_item_id
  ), speeches as (
    select s.motion_id, row_number() over (partition by s.motion_id order by s.floor_at, s.id) as n,
      coalesce(w.name, '一位居民') as speaker, s.stance,
      extract(epoch from (coalesce(s.ended_at, s.ends_at) - s.floor_at))::integer as seconds
    from m join public.speeches s on s.meeting_id = m.id and s.status = 'done' join who w on w.id = s.attendance_id
  ), speech_chunks as (
    select motion_id, (n - 1) / 25 as chunk,
      string_agg(n || '. ' || speaker || '（' || case stance when 'for' then '赞成' when 'against' then '反对'
        when 'question' then '提问' else '程序问题' end || '，' || private.minutes_duration(seconds) || '）', '；' order by n) as text
    from speeches group by motion_id, (n - 1) / 25
  ), body as (
    -- Each paragraph with its place: (section, item, motion, part, chunk).
    select array[0, 0, 0, 0, 0] as k, '会议名称：' || m.title || '。会议类型：' || case m.kind when 'council' then '居民议事会'
        when 'residents' then '居民会议' when 'hearing' then '听证会' else '业主大会现场会议' end
      || '。时间：' || private.minutes_time(m.began) || '—' || to_char(m.ended at time zone 'Asia/Shanghai', 'HH24:MI') || '（北京时间）'
      || '。地点：' || m.place || '。主持人：' || coalesce((select p.display_name from public.profiles p where p.id = m.chair_id), '未指定')
      || '。记录人：' || coalesce((select p.display_name from public.profiles p where p.id = m.recorder_id), '未指定') || '。' as text
    from m
    union all
    select array[1, 0, 0, 0, 0], '出席：' || c.people || ' 人' || case when c.households > 0 then '，来自 ' || c.households || ' 户' else '' end
      || case when c.by_door > 0 then '（其中 ' || c.by_door || ' 人由工作人员现场登记）' else '' end
      || case when c.proxies > 0 then '；委托出席 ' || c.proxies || ' 份' else '' end || '。'
      || case when m.kind = 'residents' then '应到 ' || c.electors || ' 人，实到（含委托）' || (c.people + c.proxies) || ' 人，'
          || case when c.electors > 0 and (c.people + c.proxies) * 2 > c.electors then '超过半数，会议有效。' else '未超过半数，会议不能作出有效决定。' end
        when m.kind = 'owners' then '业主大会现场会议的参会面积和业主人数以签到和表决记录为准。'
        else '本次会议不设法定人数。' end
    from m, counts c
    union all
    select array[1, 1, 0, 0, 0], '出席人员：' || string_agg(name, '、' order by checked_in_at, id) || '。'
    from present where name is not null having count(*) > 0
    union all
    select array[1, 2, 0, 0, 0], '委托：' || string_agg(coalesce(absent, '一位居民') || '委托' || coalesce(holder, '一位居民') || '出席', '；' order by id) || '。'
    from proxies having count(*) > 0
    union all
    select array[2, it.position, 0, 0, 0], '议程' || it.n || '：' || it.title
      || case when it.issue_title is not null and it.issue_title <> it.title then '（议题：' || it.issue_title || '）' else '' end
      || case when not exists (select 1 from motions mo where mo.agenda_item_id = it.id) then '。本项未提出动议。' else '。' end
    from items it
    union all
    select array[2, mo.position, mo.n::integer, 0, 0], '动议' || mo.n || '：' || mo.body || '（动议人：' || coalesce(mo.mover, '一位居民')
      || '；附议：' || coalesce(mo.seconders, '无') || '）'
    from motions mo
    union all
    select array[2, mo.position, mo.n::integer, 1, sc.chunk::integer], case when sc.chunk = 0 then '发言（按发言顺序）：' else '发言（续）：' end || sc.text || '。'
    from motions mo join speech_chunks sc on sc.motion_id = mo.id
    union all
    select array[2, mo.position, mo.n::integer, 2, 0], case
        when mo.status in ('carried', 'failed') and mo.method = 'hands' then '表决：举手表决，赞成 ' || mo.yes || '，反对 ' || mo.no || '，弃权 ' || mo.abstain
          || '（主持人最后表决）。' || case when mo.status = 'carried' then '动议通过。决议：' || mo.body else '动议未通过。' end
        when mo.status in ('carried', 'failed') then '表决：投票表决（见表决结果）。' || case when mo.status = 'carried' then '动议通过。决议：' || mo.body else '动议未通过。' end
        when mo.status = 'withdrawn' then '动议人撤回了这项动议。'
        when mo.status = 'moved' then '这项动议没有得到足够的附议，未进入讨论。'
        else '这项动议未付表决。' end
    from motions mo
    union all
    select array[3, 0, 0, 0, 0], case when m.status = 'closed' then '会议于 ' || private.minutes_time(m.ended) || ' 结束。' else '会议尚未结束。' end
      || '本纪要根据会议记录整理。'
    from m
  )
  select array(select case when char_length(text) > 2000 then left(text, 1999) || '…' else text end from body
    order by k[1], k[2], k[3], k[4], k[5])
$$;

-- ----------------------------------------------------------------------------
-- The steps: draft, edit, publish. Each a private definer (the table has no
-- write grant) behind a security invoker function of the same name.
-- ----------------------------------------------------------------------------

/** Who writes a meeting's minutes: its recorder, its chair, or a moderator of the estate (moderator, committee, administrator). */
create function private.writes_minutes(p_meeting public.meetings) returns boolean
language sql stable security definer set search_path = '' as $$
  select p_meeting.recorder_id = auth.uid() or p_meeting.chair_id = auth.uid() or private.moderates_estate(p_meeting.estate_id)
$$;

/** The meeting whose minutes a step acts on, locked for the call; refuses a caller who does not write its minutes. */
create function private.minutes_meeting(p_meeting_id uuid) returns public.meetings
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings;
begin
  perform private.require_user();
  select * into m from public.meetings where id = p_meeting_id and estate_id = any(private.readable_estates()) for no key update;
  if m.id is null then
    perform private.fail('P0002', 'errors.meeting_not_found');
  end if;
  if not private.writes_minutes(m) then
    perform private.fail('42501', 'errors.not_minutes_writer');
  end if;
  return m;
end
$$;

/**
 * Assembles (or assembles again) a meeting's minutes from its record: once
 * the meeting has opened, until they are published. The draft becomes the
 * assembled text; earlier edits are replaced (the page asks first).
 */
create function private.draft_minutes(p_meeting_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.minutes_meeting(p_meeting_id);
  v_text text[];
begin
  if m.status not in ('in_session', 'closed') then
    perform private.fail('22023', 'errors.meeting_not_held');
  end if;
  if exists (select 1 from public.meeting_minutes x where x.meeting_id = m.id and x.publication_id is not null) then
    perform private.fail('22023', 'errors.minutes_published');
  end if;
  v_text := private.assemble_minutes(m.id);
  if cardinality(v_text) > 50 then
    perform private.fail('22023', 'errors.minutes_too_long');
  end if;
  insert into public.meeting_minutes (meeting_id, estate_id, assembled, paragraphs, assembled_at, assembled_by)
  values (m.id, m.estate_id, v_text, v_text, now(), auth.uid())
  on conflict (meeting_id) do update set assembled = excluded.assembled, paragraphs = excluded.paragraphs,
    assembled_at = excluded.assembled_at, assembled_by = excluded.assembled_by, edited_at = null, edited_by = null;
  perform private.log_meeting_event(m.id, 'minutes_drafted', null, null, jsonb_build_object('paragraphs', cardinality(v_text)));
  return jsonb_build_object('meeting_id', m.id, 'paragraphs', cardinality(v_text));
end
$$;

/** Saves the recorder's edits of a draft: every paragraph as it now reads (1 to 50, each 1 to 2,000 characters). */
create function private.edit_minutes(p_meeting_id uuid, p_paragraphs text[]) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.minutes_meeting(p_meeting_id);
  v_text text[] := private.check_paragraphs(p_paragraphs);
  x public.meeting_minutes;
begin
  select * into x from public.meeting_minutes where meeting_id = m.id;
  if x.meeting_id is null then
    perform private.fail('22023', 'errors.minutes_not_drafted');
  end if;
  if x.publication_id is not null then
    perform private.fail('22023', 'errors.minutes_published');
  end if;
  update public.meeting_minutes set paragraphs = v_text, edited_at = now(), edited_by = auth.uid() where meeting_id = m.id;
  perform private.log_meeting_event(m.id, 'minutes_edited', null, null, jsonb_build_object('paragraphs', cardinality(v_text)));
  return jsonb_build_object('meeting_id', m.id, 'paragraphs', cardinality(v_text));
end
$$;

/**
 * Publishes a closed meeting's drafted minutes for p_window_days (1–30, 7 by
 * default) through the one publication mechanism: the chair or a moderator
 * of the estate (the chair approves them; the recorder drafts). Those who
 * attended with an account and the followers of the agenda's issues are
 * told. Twice at once: one publication (the mechanism's unique index).
 */
create function private.publish_minutes(p_meeting_id uuid, p_window_days integer) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m public.meetings := private.minutes_meeting(p_meeting_id);
  x public.meeting_minutes;
  p public.publications;
begin
  if not (m.chair_id = auth.uid() or private.moderates_estate(m.estate_id)) then
    perform private.fail('42501', 'errors.not_meeting_runner');
  end if;
  if m.status <> 'closed' then
    perform private.fail('22023', 'errors.meeting_not_closed');
  end if;
  select * into x from public.meeting_minutes where meeting_id = m.id for update;
  if x.meeting_id is null then
    perform private.fail('22023', 'errors.minutes_not_drafted');
  end if;
  if x.publication_id is not null then
    perform private.fail('23505', 'errors.already_published');
  end if;
  p := private.publish(m.estate_id, 'minutes', m.id, null, left('会议纪要：' || m.title, 120), x.paragraphs, p_window_days);
  update public.meeting_minutes set publication_id = p.id where meeting_id = m.id;
  perform private.log_meeting_event(m.id, 'minutes_published', null, null, jsonb_build_object('publication_id', p.id));
  perform private.notify(array_remove(array(
      select a.user_id from public.meeting_attendance a where a.meeting_id = m.id and a.checked_in_at is not null
      union select f from public.agenda_items ai cross join lateral unnest(private.issue_followers(ai.issue_id)) f
        where ai.meeting_id = m.id and ai.issue_id is not null), auth.uid()),
    'publication_opened', null, private.publication_payload(p));
  return jsonb_build_object('id', p.id, 'status', p.status, 'closes_at', p.closes_at);
end
$$;

/**
 * Appends a publication's step to the timeline of the issue it names, as
 * before (20261203130000); for minutes, which name no single issue, the
 * publication, its amendments and its end are written to the timeline of
 * every issue on the meeting's agenda, with the meeting (objections stay on
 * the publication's page: one meeting's dozen objections would bury the
 * timeline of each of its issues).
 */
create or replace function private.log_publication_event(p_publication public.publications, p_kind text, p_action text, p_reason text)
returns void
language sql security definer set search_path = '' as $$
  insert into public.issue_events (issue_id, actor_id, kind, action, reason, publication_id)
  select p_publication.issue_id, auth.uid(), p_kind, p_action, nullif(trim(p_reason), ''), p_publication.id
  where p_publication.issue_id is not null;
  insert into public.issue_events (issue_id, actor_id, kind, action, reason, publication_id, meeting_id)
  select distinct a.issue_id, auth.uid(), case p_kind when 'published' then 'minutes_published' when 'amended' then 'minutes_amended'
      else 'minutes_final' end, p_action, nullif(trim(p_reason), ''), p_publication.id, p_publication.subject_id
  from public.agenda_items a
  where p_publication.kind = 'minutes' and p_kind in ('published', 'amended', 'publication_final')
    and a.meeting_id = p_publication.subject_id and a.issue_id is not null;
$$;

revoke all on function private.minutes_time(timestamptz), private.minutes_duration(integer), private.assemble_minutes(uuid),
  private.writes_minutes(public.meetings), private.minutes_meeting(uuid), private.draft_minutes(uuid),
  private.edit_minutes(uuid, text[]), private.publish_minutes(uuid, integer) from public;
grant execute on function private.draft_minutes(uuid), private.edit_minutes(uuid, text[]), private.publish_minutes(uuid, integer)
  to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- The API: security invoker, as the caller under row level security.
-- ----------------------------------------------------------------------------

/** Assembles a meeting's minutes from its record as a draft (again, replacing edits, until published). Recorder, chair, moderators. */
create function public.draft_minutes(p_meeting_id uuid) returns jsonb
language sql set search_path = '' as $$ select private.draft_minutes(p_meeting_id) $$;

/** Saves the edited draft, every paragraph as it now reads. Recorder, chair, moderators. */
create function public.edit_minutes(p_meeting_id uuid, p_paragraphs text[]) returns jsonb
language sql set search_path = '' as $$ select private.edit_minutes(p_meeting_id, p_paragraphs) $$;

/** Publishes a closed meeting's minutes (公示) for 1–30 days, 7 by default. The chair or moderators. */
create function public.publish_minutes(p_meeting_id uuid, p_window_days integer default 7) returns jsonb
language sql set search_path = '' as $$ select private.publish_minutes(p_meeting_id, p_window_days) $$;

/**
 * The minutes page of a meeting: the meeting, the draft (for the estate's
 * members: assembled and edited text), the publication with its current text
 * once published (for whoever reads the estate's publications), and what the
 * caller may do. Not stable: like publication_detail, it first settles the
 * estate's windows that have passed.
 */
create function public.meeting_minutes(p_meeting_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  m record;
  v_draft jsonb;
  v_people jsonb;
  v_writes boolean := false;
  v_runs boolean := false;
  v_pub jsonb;
begin
  select y.id, y.estate_id, y.kind, y.title, y.starts_at, y.ends_at, y.place, y.status, y.anonymous, y.opened_at, y.closed_at
  into m from public.meetings y where y.id = p_meeting_id;
  if m.id is null then
    raise exception using errcode = 'P0002', message = 'errors.meeting_not_found', detail = '';
  end if;
  if v_uid is not null then
    -- A window that closed a moment ago reads as closed (as publication_detail has it).
    perform private.settle_due_publications(m.estate_id);
    -- The draft is the members' (row level security); anon has no grant on it at all.
    select jsonb_build_object('assembled', to_jsonb(mm.assembled), 'paragraphs', to_jsonb(mm.paragraphs),
        'assembled_at', mm.assembled_at, 'edited_at', mm.edited_at)
    into v_draft from public.meeting_minutes mm where mm.meeting_id = m.id;
    v_people := private.meeting_people(m.id);
    v_writes := coalesce((v_people ->> 'is_recorder')::boolean, false) or coalesce((v_people ->> 'is_chair')::boolean, false)
      or private.moderates_estate(m.estate_id);
    v_runs := coalesce((v_people ->> 'is_chair')::boolean, false) or private.moderates_estate(m.estate_id);
  end if;
  select jsonb_build_object('id', p.id, 'status', p.status, 'revision', p.revision, 'opens_at', p.opens_at, 'closes_at', p.closes_at,
      'final_at', p.final_at, 'window_days', p.window_days, 'title', p.title,
      'paragraphs', (select to_jsonb(r.paragraphs) from public.publication_revisions r where r.publication_id = p.id and r.revision = p.revision),
      'objections', (select count(*) from public.objections o where o.publication_id = p.id),
      'unanswered', (select count(*) from public.objections o where o.publication_id = p.id and o.answer is null))
  into v_pub from public.publications p where p.kind = 'minutes' and p.subject_id = m.id and p.status <> 'withdrawn';
  return jsonb_build_object(
    'meeting', jsonb_build_object('id', m.id, 'estate_id', m.estate_id, 'kind', m.kind, 'title', m.title, 'starts_at', m.starts_at,
      'ends_at', m.ends_at, 'place', m.place, 'status', m.status, 'anonymous', m.anonymous,
      'estate_name', (select e.name from public.estates e where e.id = m.estate_id),
      'chair', v_people ->> 'chair', 'recorder', v_people ->> 'recorder'),
    'draft', v_draft,
    'publication', v_pub,
    'can_draft', v_writes and m.status in ('in_session', 'closed') and v_pub is null,
    'can_edit', v_writes and v_draft is not null and v_pub is null,
    'can_publish', v_runs and m.status = 'closed' and v_draft is not null and v_pub is null);
end
$$;

revoke execute on function public.draft_minutes(uuid), public.edit_minutes(uuid, text[]), public.publish_minutes(uuid, integer),
  public.meeting_minutes(uuid) from public, anon;
grant execute on function public.meeting_minutes(uuid) to anon;
grant execute on function public.draft_minutes(uuid), public.edit_minutes(uuid, text[]), public.publish_minutes(uuid, integer),
  public.meeting_minutes(uuid) to authenticated;
