-- ============================================================================
-- The unit register and owner links are beyond the reach of one official
-- while owners decide. Until now a committee member (or an administrator)
-- could, during an open owners' vote, change a unit's floor area and owners by
-- import_units or by writing units / owners / unit_owners directly (every
-- column, owners.user_id included: linking a unit's owner record to
-- themselves and casting its ballot), and link_owner could move a unit's vote
-- from its owner to another account.
--   * units, owners and unit_owners have no write grant left: they change
--     only through import_units and link_owner, whose private definer halves
--     check who is asking;
--   * a trigger refuses any change to a unit or an owner in the frozen
--     electorate of an open owners' vote, and to the owners of such a unit,
--     until the vote closes -- whoever asks, the database owner included;
--   * an owner link (owners.user_id) of such an owner needs an administrator;
--     the change is traced in audit_log with the vote, and the vote page shows
--     it to the committee (vote_detail.register_changes).
-- ============================================================================

revoke insert, update, delete on public.units, public.owners, public.unit_owners from authenticated;
drop policy "Estate managers can add units" on public.units;
drop policy "Estate managers can change units" on public.units;
drop policy "Estate managers can remove units" on public.units;
drop policy "Estate managers can add owners" on public.owners;
drop policy "Estate managers can change owners" on public.owners;
drop policy "Estate managers can remove owners" on public.owners;
drop policy "Estate managers can add unit owners" on public.unit_owners;
drop policy "Estate managers can change unit owners" on public.unit_owners;
drop policy "Estate managers can remove unit owners" on public.unit_owners;

-- ----------------------------------------------------------------------------
-- The guard.
-- ----------------------------------------------------------------------------

/**
 * Refuses changes to the register that an open owners' vote counts on: a
 * unit of its frozen electorate, an owner of one (their name, their
 * developer flag, their removal), the owners of such a unit; and an owner's
 * link to an account unless an administrator makes it (audit_change flags
 * it on the vote). Rows removed with their estate pass: the votes go with it.
 * Security definer: it reads the electorate whoever writes.
 */
create function private.guard_register() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and new is not distinct from old then
    return new;
  end if;
  if tg_table_name = 'units' then
    if tg_op = 'DELETE' and not exists (select 1 from public.estates e where e.id = old.estate_id) then
      return old;
    end if;
    if cardinality(private.open_votes_holding(old.id, null)) > 0 then
      perform private.fail('22023', 'errors.register_in_open_vote', 'file');
    end if;
  elsif tg_table_name = 'owners' then
    if tg_op = 'DELETE' and not exists (select 1 from public.estates e where e.id = old.estate_id) then
      return old;
    end if;
    if cardinality(private.open_votes_holding(null, old.id)) > 0 then
      if tg_op = 'UPDATE' and (new.id, new.estate_id, new.name, new.is_developer) is not distinct from (old.id, old.estate_id, old.name, old.is_developer) then
        -- Only the link changed.
        if not private.is_admin() then
          perform private.fail('42501', 'errors.owner_link_in_open_vote', 'owner_id');
        end if;
      else
        perform private.fail('22023', 'errors.owner_in_open_vote', 'file');
      end if;
    end if;
  else
    if tg_op <> 'INSERT' then
      -- Removed with its unit or its owner, whose own removal was checked.
      if tg_op = 'DELETE' and (not exists (select 1 from public.units u where u.id = old.unit_id)
          or not exists (select 1 from public.owners o where o.id = old.owner_id)) then
        return old;
      end if;
      if cardinality(private.open_votes_holding(old.unit_id, null)) > 0 then
        perform private.fail('22023', 'errors.register_in_open_vote', 'file');
      end if;
    end if;
    if tg_op <> 'DELETE' and cardinality(private.open_votes_holding(new.unit_id, null)) > 0 then
      perform private.fail('22023', 'errors.register_in_open_vote', 'file');
    end if;
  end if;
  return coalesce(new, old);
end
$$;
revoke all on function private.guard_register() from public;

create trigger units_guard before update or delete on public.units
  for each row execute function private.guard_register();
create trigger owners_guard before update or delete on public.owners
  for each row execute function private.guard_register();
create trigger unit_owners_guard before insert or update or delete on public.unit_owners
  for each row execute function private.guard_register();

-- ----------------------------------------------------------------------------
-- Importing the register.
-- ----------------------------------------------------------------------------

drop function public.import_units(uuid, jsonb);

/**
 * Imports the unit register from CSV rows the server has split into fields
 * (see public.import_units). Security definer: units, owners and their links
 * have no write grant; it checks that the caller manages the estate. Only
 * what the file changes is written (a unit whose area and flag are the same
 * is left alone, links are added and removed one by one), so that the
 * register's history in audit_log shows real changes, and re-importing the
 * same file during an open vote changes nothing and is not refused.
 */
create function private.import_units(p_estate_id uuid, p_rows jsonb) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_errors jsonb;
  v_total int;
  v_inserted int;
  v_updated int;
begin
  perform private.require_user();
  if not exists (select 1 from public.estates where id = p_estate_id) or not private.manages_estate(p_estate_id) then
    perform private.fail('P0002', 'errors.estate_not_found');
  end if;
  if jsonb_typeof(p_rows) is distinct from 'array' or jsonb_array_length(p_rows) = 0 then
    perform private.fail('22023', 'errors.import.empty', 'file');
  end if;
  if jsonb_array_length(p_rows) > 20000 then
    perform private.fail('22023', 'errors.import.too_many_rows', 'file');
  end if;

  create temporary table if not exists pg_temp.unit_import (
    line int, building text, entrance text, room text, floor_area numeric(8, 2), owners text[],
    developer_held boolean, building_id uuid, unit_id uuid, field text, key text
  ) on commit drop;
  truncate pg_temp.unit_import;

  insert into pg_temp.unit_import (line, building, entrance, room, owners, developer_held, building_id, field, key, floor_area)
  select line, building, entrance, room, owners, dev in ('是', 'yes', 'true', '1', 'y'), building_id, field, key,
    case when key is null then fa::numeric end
  from (
    select r.*, a.id as building_id,
      case
        when a.id is null then 'building'
        when coalesce(r.room, '') = '' or char_length(r.room) > 10 then 'room'
        when char_length(r.entrance) > 10 then 'entrance'
        when r.fa !~ '^[0-9]{1,5}(\.[0-9]{1,2})?$' then 'floor_area'
        when r.dev not in ('', '是', '否', 'yes', 'no', 'true', 'false', '1', '0', 'y', 'n') then 'developer_held'
        when exists (select 1 from unnest(r.owners) o where char_length(o) > 40) then 'owners'
        when count(*) over (partition by r.building, r.entrance, upper(r.room)) > 1 then 'room'
      end as field,
      case
        when a.id is null then 'errors.import.unknown_building'
        when coalesce(r.room, '') = '' or char_length(r.room) > 10 then 'errors.import.room'
        when char_length(r.entrance) > 10 then 'errors.import.entrance'
        when r.fa !~ '^[0-9]{1,5}(\.[0-9]{1,2})?$' then 'errors.import.floor_area'
        when r.dev not in ('', '是', '否', 'yes', 'no', 'true', 'false', '1', '0', 'y', 'n') then 'errors.import.developer_held'
        when exists (select 1 from unnest(r.owners) o where char_length(o) > 40) then 'errors.import.owner_name'
        when count(*) over (partition by r.building, r.entrance, upper(r.room)) > 1 then 'errors.import.duplicate_unit'
      end as key
    from (
      select (e ->> 'line')::int as line, trim(e ->> 'building') as building, coalesce(trim(e ->> 'entrance'), '') as entrance,
        trim(e ->> 'room') as room, coalesce(trim(e ->> 'floor_area'), '') as fa,
        lower(coalesce(trim(e ->> 'developer_held'), '')) as dev,
        array(select distinct trim(o) from regexp_split_to_table(coalesce(e ->> 'owners', ''), '[;；、]') o where trim(o) <> '') as owners
      from jsonb_array_elements(p_rows) e
    ) r
    left join public.areas a on a.estate_id = p_estate_id and a.kind = 'building' and a.name = r.building
  ) checked;
  -- A zero floor area passes the pattern but not the table's check.
  update pg_temp.unit_import set field = 'floor_area', key = 'errors.import.floor_area', floor_area = null
  where key is null and floor_area <= 0;

  select count(*), coalesce(jsonb_agg(jsonb_build_object('line', line, 'field', field, 'key', key) order by line)
           filter (where key is not null), '[]'::jsonb)
  into v_total, v_errors from pg_temp.unit_import;
  if jsonb_array_length(v_errors) > 0 then
    return jsonb_build_object('ok', false, 'errors', v_errors, 'total', v_total);
  end if;

  update pg_temp.unit_import i set unit_id = u.id
  from public.units u where u.building_id = i.building_id and u.entrance = i.entrance and upper(u.room) = upper(i.room);
  select count(*) into v_updated from pg_temp.unit_import where unit_id is not null;

  update public.units u set floor_area = i.floor_area, developer_held = i.developer_held
  from pg_temp.unit_import i
  where u.id = i.unit_id and (u.floor_area, u.developer_held) is distinct from (i.floor_area, i.developer_held);

  with added as (
    insert into public.units (estate_id, building_id, entrance, room, floor_area, developer_held)
    select p_estate_id, building_id, entrance, room, floor_area, developer_held from pg_temp.unit_import where unit_id is null
    returning id, building_id, entrance, room
  )
  update pg_temp.unit_import i set unit_id = a.id from added a
  where i.unit_id is null and a.building_id = i.building_id and a.entrance = i.entrance and a.room = i.room;
  v_inserted := v_total - v_updated;

  insert into public.owners (estate_id, name)
  select distinct p_estate_id, o from pg_temp.unit_import, unnest(owners) o
  on conflict (estate_id, name) do nothing;

  -- A unit's owners become the file's: links the file does not name go, the missing ones come.
  delete from public.unit_owners uo using pg_temp.unit_import i, public.owners o
  where uo.unit_id = i.unit_id and o.id = uo.owner_id and not (o.name = any(i.owners));
  insert into public.unit_owners (unit_id, owner_id)
  select distinct i.unit_id, o.id from pg_temp.unit_import i, unnest(i.owners) n
  join public.owners o on o.estate_id = p_estate_id and o.name = n
  where not exists (select 1 from public.unit_owners uo where uo.unit_id = i.unit_id and uo.owner_id = o.id);

  return jsonb_build_object('ok', true, 'inserted', v_inserted, 'updated', v_updated, 'total', v_total);
end
$$;
revoke all on function private.import_units(uuid, jsonb) from public;
grant execute on function private.import_units(uuid, jsonb) to authenticated, service_role;

/**
 * Imports the unit register from CSV rows the server has split into fields:
 * [{line, building, entrance, room, floor_area, owners, developer_held}].
 * A unit already in the register (same building, entrance, room) is updated and
 * its owners replaced by the file's; owners are matched by name in the estate.
 * All-or-nothing: any bad line returns every error and writes nothing; a
 * change to a unit or its owners while an owners' vote counts on them is
 * refused (errors.register_in_open_vote) and writes nothing either.
 */
create function public.import_units(p_estate_id uuid, p_rows jsonb) returns jsonb
language sql set search_path = '' as $$
  select private.import_units(p_estate_id, p_rows)
$$;
revoke execute on function public.import_units(uuid, jsonb) from public, anon;
grant execute on function public.import_units(uuid, jsonb) to authenticated;

-- ----------------------------------------------------------------------------
-- Owner links.
-- ----------------------------------------------------------------------------

drop function public.link_owner(uuid, uuid);

/**
 * Links a verified member to an owner in the register (see public.link_owner).
 * Security definer: owners have no write grant; it checks that the caller
 * manages the member's estate. During an open owners' vote the guard lets
 * only an administrator change the link of an owner in its electorate.
 */
create function private.link_owner(p_membership_id uuid, p_owner_id uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_m public.memberships;
begin
  perform private.require_user();
  select * into v_m from public.memberships where id = p_membership_id for update;
  if v_m.id is null or not private.manages_estate(v_m.estate_id) then
    perform private.fail('P0002', 'errors.membership_not_found');
  end if;
  if v_m.status <> 'verified' then
    perform private.fail('22023', 'errors.membership_not_verified');
  end if;
  if p_owner_id is not null and not exists (select 1 from public.owners o where o.id = p_owner_id and o.estate_id = v_m.estate_id) then
    perform private.fail('22023', 'errors.owner_not_found', 'owner_id');
  end if;
  if p_owner_id is not null and exists (select 1 from public.owners o where o.id = p_owner_id and o.user_id is not null
      and o.user_id <> v_m.user_id) then
    perform private.fail('22023', 'errors.owner_already_linked', 'owner_id');
  end if;
  update public.owners set user_id = null where estate_id = v_m.estate_id and user_id = v_m.user_id
    and id is distinct from p_owner_id;
  if p_owner_id is not null then
    update public.owners set user_id = v_m.user_id where id = p_owner_id and user_id is distinct from v_m.user_id;
    update public.memberships set roles = array(select distinct r from unnest(roles || array['owner']) r order by r)
    where id = p_membership_id and not ('owner' = any(roles));
  else
    update public.memberships set roles = array_remove(roles, 'owner') where id = p_membership_id and 'owner' = any(roles);
  end if;
  return jsonb_build_object('id', p_membership_id, 'owner_id', p_owner_id);
end
$$;
revoke all on function private.link_owner(uuid, uuid) from public;
grant execute on function private.link_owner(uuid, uuid) to authenticated, service_role;

/**
 * Links a verified member to an owner in the register of their estate
 * (committee), after checking their papers; the member becomes an owner and
 * may cast the ballots of that owner's units. p_owner_id null removes the
 * link. An owner in an open owners' vote's electorate: administrators only
 * (errors.owner_link_in_open_vote), and the vote shows the change.
 */
create function public.link_owner(p_membership_id uuid, p_owner_id uuid) returns jsonb
language sql set search_path = '' as $$
  select private.link_owner(p_membership_id, p_owner_id)
$$;
revoke execute on function public.link_owner(uuid, uuid) from public, anon;
grant execute on function public.link_owner(uuid, uuid) to authenticated, service_role;

-- ----------------------------------------------------------------------------
-- The vote page shows the committee what changed in its electorate's links.
-- ----------------------------------------------------------------------------

/**
 * Everything the vote page shows, in one call (see create_vote_api), and for
 * the committee the register changes made while the vote was open
 * (register_changes: an administrator's owner links, from audit_log).
 */
create or replace function public.vote_detail(p_vote_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v public.votes;
  v_moderates boolean;
  v_manages boolean;
  v_turnout jsonb;
  v_changes jsonb;
begin
  v := private.find_vote(p_vote_id);
  v_moderates := private.moderates_estate(v.estate_id);
  v_manages := private.manages_estate(v.estate_id);
  v_turnout := case when v.status <> 'scheduled' then private.turnout(v.id) end;
  if v_manages then
    -- audit_log's policy shows these rows to the estate's managers only.
    select coalesce(jsonb_agg(jsonb_build_object('at', l.created_at, 'action', l.action, 'label', l.label,
        'from', l.before ->> 'user_name', 'to', l.after ->> 'user_name', 'actor_id', l.actor_id) order by l.id), '[]'::jsonb)
    into v_changes from public.audit_log l where l.vote_ids @> array[v.id];
    v_changes := (select coalesce(jsonb_agg((c - 'actor_id') || jsonb_build_object('actor', n ->> (c ->> 'actor_id'))), '[]'::jsonb)
      from jsonb_array_elements(v_changes) c,
           (select private.people_names(v.estate_id, array(select (x ->> 'actor_id')::uuid from jsonb_array_elements(v_changes) x)) as n) names);
  end if;
  return jsonb_build_object(
    'vote', jsonb_build_object('id', v.id, 'estate_id', v.estate_id, 'issue_id', v.issue_id,
      'issue_title', (select title from public.issues where id = v.issue_id),
      'question', v.question, 'description', v.description, 'kind', v.kind, 'matter', v.matter, 'rule', v.rule,
      'electorate_kind', v.electorate_kind, 'scope', (select jsonb_build_object('id', a.id, 'name', a.name, 'kind', a.kind)
        from public.areas a where a.id = v.scope_area_id),
      'max_choices', v.max_choices, 'quorum_percent', v.quorum_percent, 'secret', v.secret, 'live_results', v.live_results,
      'opens_at', v.opens_at, 'closes_at', v.closes_at, 'status', v.status, 'opened_at', v.opened_at, 'closed_at', v.closed_at,
      'options', (select jsonb_agg(jsonb_build_object('position', o.position, 'role', o.role, 'label', o.label) order by o.position)
        from public.vote_options o where o.vote_id = v.id)),
    'electorate', jsonb_build_object('electors', v.electors, 'owners', v.owners, 'area', v.total_area),
    'turnout', v_turnout,
    'mine', case when v.status <> 'scheduled' then private.my_ballots(v.id) else '[]'::jsonb end,
    'actions', jsonb_build_object(
      'paper', v_moderates and v.status = 'open',
      'not_voted', v_moderates and v.status = 'open',
      'close_early', v_manages and v.status = 'open'
        and (v_turnout ->> 'ballots')::integer >= v.electors and v.electors > 0),
    'result', private.result_of(v),
    'conflicts', case when v_manages then private.ballot_conflicts(v.id) end,
    'register_changes', v_changes
  );
end
$$;
