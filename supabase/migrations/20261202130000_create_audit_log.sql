-- ============================================================================
-- The audit log (DESIGN §4, cross-cutting): one append-only row for every
-- change that binds the estate or decides who speaks for it -- role grants and
-- revocations, membership decisions, the unit register and who owns what,
-- owner links, estate settings, issue transitions, votes opening and closing.
-- Triggers write it, so no path around the functions escapes it; nobody may
-- change or delete a row, the table's owner included; the estate's committee
-- and administrators read it through estate_audit_log.
--
-- The log is also the register's history: each change of a unit, an owner or
-- a unit's owners keeps who made it, when, and the row before and after.
-- estate_id has no foreign key on purpose: the log outlives what it records.
-- ============================================================================

create table public.audit_log (
  id bigint generated always as identity primary key,
  estate_id uuid not null,
  -- Who made the change; null when the clock did (a vote closing by itself) or a maintenance script.
  actor_id uuid,
  -- What happened, e.g. unit.changed, owner.linked, membership.decided (docs/api.md lists them).
  action text not null check (action ~ '^[a-z_]+\.[a-z_]+$'),
  -- What it happened to, readable as it was then: a unit's label, an owner's or a person's name, a title.
  label text,
  before jsonb,
  after jsonb,
  -- Open owners' votes whose frozen electorate the change touched (an administrator's owner link
  -- during a vote): vote_detail shows these rows to the committee.
  vote_ids uuid[] not null default '{}',
  created_at timestamptz not null default now()
);
create index audit_log_estate_id_idx on public.audit_log (estate_id, id desc);
create index audit_log_vote_ids_idx on public.audit_log using gin (vote_ids);
comment on table public.audit_log is
  'Append-only trace of binding changes, written by private.audit_change; readable by the estate''s committee and administrators; no row may be changed or removed.';

/** Refuses any change to the audit log, whoever asks: a trace that can be edited traces nothing. */
create function private.refuse_audit_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  perform private.fail('42501', 'errors.audit_log_append_only');
  return null;
end
$$;
revoke all on function private.refuse_audit_change() from public;
create trigger audit_log_append_only before update or delete on public.audit_log
  for each row execute function private.refuse_audit_change();
create trigger audit_log_no_truncate before truncate on public.audit_log
  for each statement execute function private.refuse_audit_change();

alter table public.audit_log enable row level security;
revoke all on public.audit_log from anon, authenticated;
grant select on public.audit_log to authenticated;

/** The committee answers for its estate's decisions, so it reads their trace; administrators read every estate's. */
create policy "Estate managers can read the audit log" on public.audit_log for select to authenticated
  using (estate_id in (select unnest(private.managed_estates())));

-- ----------------------------------------------------------------------------
-- Writing the log.
-- ----------------------------------------------------------------------------

/** A unit's label from its parts: 3栋 2单元 501 (the unit row may already be gone). */
create function private.unit_text(p_building_id uuid, p_entrance text, p_room text) returns text
language sql stable set search_path = '' as $$
  select coalesce((select a.name from public.areas a where a.id = p_building_id), '?')
    || case when p_entrance <> '' then ' ' || p_entrance || '单元' else '' end || ' ' || p_room
$$;
revoke all on function private.unit_text(uuid, text, text) from public;

/** The open owners' votes whose frozen electorate holds a unit or an owner. */
create function private.open_votes_holding(p_unit_id uuid, p_owner_id uuid) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(distinct e.vote_id), '{}')
  from public.vote_electorate e join public.votes v on v.id = e.vote_id
  where v.status = 'open' and v.kind = 'owners'
    and ((p_unit_id is not null and e.unit_id = p_unit_id) or (p_owner_id is not null and e.owner_ids @> array[p_owner_id]))
$$;
revoke all on function private.open_votes_holding(uuid, uuid) from public;

/**
 * Writes one audit row for a traced change. Security definer: nobody has a
 * write grant on audit_log. Changes that bind nobody (a pending request, a
 * comment counter) are not traced, and rows removed with their estate leave
 * one 'community.estate_removed' row instead of one per row.
 */
create function private.audit_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_old jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  v_new jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  v_row jsonb := coalesce(v_new, v_old);
  v_estate uuid;
  v_action text;
  v_label text;
  v_before jsonb;
  v_after jsonb;
  v_votes uuid[] := '{}';
  v_keep text[];
begin
  if tg_table_name = 'unit_owners' then
    -- A link removed with its unit or its owner: that removal is the trace.
    select u.estate_id into v_estate from public.units u where u.id = (v_row ->> 'unit_id')::uuid
      and exists (select 1 from public.owners o where o.id = (v_row ->> 'owner_id')::uuid);
  elsif tg_table_name = 'estates' then
    v_estate := (v_row ->> 'id')::uuid;
  else
    v_estate := (v_row ->> 'estate_id')::uuid;
  end if;
  -- A row removed with its estate (or its unit or owner, for links): the removal of the estate is the trace.
  if v_estate is null or (tg_op = 'DELETE' and tg_table_name <> 'estates'
      and not exists (select 1 from public.estates e where e.id = v_estate)) then
    return null;
  end if;

  case tg_table_name
  when 'memberships' then
    v_keep := array['status', 'roles', 'reason'];
    v_label := (select p.display_name from public.profiles p where p.id = (v_row ->> 'user_id')::uuid)
      || coalesce('（' || private.unit_label((v_row ->> 'unit_id')::uuid) || '）', '');
    if tg_op = 'INSERT' then
      -- A request is no decision; a member enrolled by the committee is.
      if new.status = 'pending' then return null; end if;
      v_action := 'member.enrolled';
    elsif tg_op = 'DELETE' then
      if old.status <> 'verified' then return null; end if;
      v_action := 'member.removed';
    elsif new.status is distinct from old.status then
      v_action := 'member.decided';
    elsif new.roles is distinct from old.roles then
      v_action := 'member.roles';
    else
      return null;
    end if;
  when 'units' then
    v_keep := array['building', 'entrance', 'room', 'floor_area', 'developer_held'];
    v_label := private.unit_text((v_row ->> 'building_id')::uuid, v_row ->> 'entrance', v_row ->> 'room');
    v_old := v_old || jsonb_build_object('building', private.unit_text((v_old ->> 'building_id')::uuid, '', ''));
    v_new := v_new || jsonb_build_object('building', private.unit_text((v_new ->> 'building_id')::uuid, '', ''));
    v_action := case tg_op when 'INSERT' then 'unit.added' when 'DELETE' then 'unit.removed' else 'unit.changed' end;
  when 'owners' then
    v_keep := array['name', 'is_developer', 'user_id', 'user_name'];
    v_label := v_row ->> 'name';
    v_old := v_old || jsonb_build_object('user_name', (select p.display_name from public.profiles p where p.id = (v_old ->> 'user_id')::uuid));
    v_new := v_new || jsonb_build_object('user_name', (select p.display_name from public.profiles p where p.id = (v_new ->> 'user_id')::uuid));
    if tg_op = 'UPDATE' and new.user_id is distinct from old.user_id then
      v_action := case when new.user_id is null then 'owner.unlinked' else 'owner.linked' end;
      v_votes := private.open_votes_holding(null, new.id);
    else
      v_action := case tg_op when 'INSERT' then 'owner.added' when 'DELETE' then 'owner.removed' else 'owner.changed' end;
    end if;
  when 'unit_owners' then
    v_keep := array['unit', 'owner'];
    v_row := jsonb_build_object(
      'unit', (select private.unit_text(u.building_id, u.entrance, u.room) from public.units u where u.id = (v_row ->> 'unit_id')::uuid),
      'owner', (select o.name from public.owners o where o.id = (v_row ->> 'owner_id')::uuid));
    v_label := v_row ->> 'unit';
    v_old := case when tg_op <> 'INSERT' then v_row end;
    v_new := case when tg_op <> 'DELETE' then v_row end;
    v_action := case tg_op when 'INSERT' then 'unit_owner.added' when 'DELETE' then 'unit_owner.removed' else 'unit_owner.changed' end;
  when 'estates' then
    v_label := v_row ->> 'name';
    if tg_op = 'DELETE' then
      v_keep := array['name', 'address'];
      v_action := 'community.estate_removed';
    elsif (new.board_public, new.support_threshold) is distinct from (old.board_public, old.support_threshold) then
      v_keep := array['board_public', 'support_threshold'];
      v_action := 'board.settings';
    else
      return null;
    end if;
  when 'issues' then
    v_keep := array['status'];
    v_label := v_row ->> 'title';
    v_action := 'issue.status';
  when 'votes' then
    v_keep := array['status', 'outcome'];
    v_label := v_row ->> 'question';
    if new.status = 'open' then
      v_action := 'vote.opened';
    elsif new.status = 'closed' then
      v_action := 'vote.closed';
      v_new := v_new || jsonb_build_object('outcome', (select r.outcome from public.vote_results r where r.vote_id = new.id));
    else
      return null;
    end if;
  end case;

  -- Only the fields that say what changed, and of an update only those that did.
  v_before := (select jsonb_object_agg(k, v_old -> k) from unnest(v_keep) k
               where v_old ? k and (tg_op <> 'UPDATE' or v_old -> k is distinct from v_new -> k));
  v_after := (select jsonb_object_agg(k, v_new -> k) from unnest(v_keep) k
              where v_new ? k and (tg_op <> 'UPDATE' or v_old -> k is distinct from v_new -> k));
  if tg_op = 'UPDATE' and v_after is null and v_before is null then
    return null;
  end if;
  insert into public.audit_log (estate_id, actor_id, action, label, before, after, vote_ids)
  values (v_estate, auth.uid(), v_action, left(v_label, 200), v_before, v_after, v_votes);
  return null;
end
$$;
revoke all on function private.audit_change() from public;

create trigger memberships_audit after insert or delete or update of status, roles on public.memberships
  for each row execute function private.audit_change();
create trigger units_audit after insert or delete or update on public.units
  for each row execute function private.audit_change();
create trigger owners_audit after insert or delete or update on public.owners
  for each row execute function private.audit_change();
create trigger unit_owners_audit after insert or delete or update on public.unit_owners
  for each row execute function private.audit_change();
create trigger estates_audit after delete or update of board_public, support_threshold on public.estates
  for each row execute function private.audit_change();
create trigger issues_audit after update of status on public.issues
  for each row when (new.status is distinct from old.status) execute function private.audit_change();
create trigger votes_audit after update of status on public.votes
  for each row when (new.status is distinct from old.status) execute function private.audit_change();

-- ----------------------------------------------------------------------------
-- Reading the log.
-- ----------------------------------------------------------------------------

/**
 * The display names of the given people, for pages of an estate: only to its
 * verified members and administrators, and only of people who belong or asked
 * to belong to the estate, or who are administrators (who act in every
 * estate). {"<user id>": "<name>"}. Security definer: profiles are otherwise
 * private to their person.
 */
create function private.people_names(p_estate_id uuid, p_user_ids uuid[]) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_object_agg(p.id, p.display_name), '{}'::jsonb)
  from public.profiles p
  where p.id = any(p_user_ids)
    and (p_estate_id = any(private.member_estates()) or private.is_admin())
    and (p.is_admin or exists (select 1 from public.memberships m where m.user_id = p.id and m.estate_id = p_estate_id))
$$;
revoke all on function private.people_names(uuid, uuid[]) from public;
grant execute on function private.people_names(uuid, uuid[]) to authenticated, service_role;

/**
 * One page of an estate's audit log, newest first: 50 entries before the
 * entry p_before (from the newest when null), each with who made it, and the
 * cursor of the next page. The estate's committee and administrators.
 */
create function public.estate_audit_log(p_estate_id uuid, p_before bigint default null) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_rows jsonb;
  v_names jsonb;
  v_next bigint;
begin
  perform private.require_user();
  if not private.manages_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  select coalesce(jsonb_agg(jsonb_build_object('id', l.id, 'at', l.created_at, 'action', l.action, 'label', l.label,
      'before', l.before, 'after', l.after, 'actor_id', l.actor_id, 'actor_known', l.actor_id is not null,
      'during_vote', cardinality(l.vote_ids) > 0) order by l.id desc), '[]'::jsonb)
  into v_rows
  from (select * from public.audit_log a where a.estate_id = p_estate_id and (p_before is null or a.id < p_before)
        order by a.id desc limit 51) l;
  if jsonb_array_length(v_rows) > 50 then
    v_rows := v_rows - 50;
    v_next := (v_rows -> 49 ->> 'id')::bigint;
  end if;
  v_names := private.people_names(p_estate_id, array(select (e ->> 'actor_id')::uuid from jsonb_array_elements(v_rows) e));
  return jsonb_build_object(
    'entries', (select coalesce(jsonb_agg((e - 'actor_id') || jsonb_build_object('actor', v_names ->> (e ->> 'actor_id'))
        order by (e ->> 'id')::bigint desc), '[]'::jsonb) from jsonb_array_elements(v_rows) e),
    'next_before', v_next);
end
$$;
revoke execute on function public.estate_audit_log(uuid, bigint) from public, anon;
grant execute on function public.estate_audit_log(uuid, bigint) to authenticated;
