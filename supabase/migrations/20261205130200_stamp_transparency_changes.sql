-- ============================================================================
-- A version stamp per estate for its public transparency page, kept by the
-- database: every write to what the page shows (issues and their timelines,
-- photos, votes and their results, publications and objections, plans,
-- milestones and progress notes, the estate itself) bumps the estate's stamp
-- in the same transaction. The server keeps the signed-out view of the page
-- (no personal data, the same for every reader) under the stamp it read
-- *before* reading the page: a later snapshot never holds less than an earlier
-- one, so a page kept under a stamp is never older than the stamp says, and
-- any change makes the next reader's stamp differ. Reading the stamp is one
-- primary-key lookup, where the page is a dozen aggregates.
--
-- What a change does not bump (time passing: the last 30 days, a publication
-- window ending) the server bounds with a short time to live (60 s).
-- Capabilities that add what the page shows add a trigger here too
-- (private.stamp_transparency, with the column or lookup naming the estate).
-- ============================================================================

create table public.transparency_stamps (
  estate_id uuid primary key references public.estates (id) on delete cascade,
  version bigint not null default 1,
  changed_at timestamptz not null default now()
);
comment on table public.transparency_stamps is
  'A version per estate that every change to its transparency page bumps: read by anyone (a counter says nothing), written by triggers only.';
alter table public.transparency_stamps enable row level security;
revoke all on public.transparency_stamps from anon, authenticated;
grant select on public.transparency_stamps to anon, authenticated;
/** A stamp is a counter and a time: it says that something changed, never what; anyone may read it. */
create policy "Anyone can read transparency stamps" on public.transparency_stamps for select to anon, authenticated using (true);

/**
 * Bumps the stamps of the estates of the changed rows. The trigger's first
 * argument says how a row names its estate: 'estate_id', 'id' (estates),
 * 'issue_id', 'vote_id' or 'publication_id' (looked up). Security definer:
 * the stamps have no write grant, and whoever changes an issue must bump it.
 */
create function private.stamp_transparency() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_key text := tg_argv[0];
  v_ids uuid[];
begin
  select array_agg(distinct x) into v_ids from (
    select (to_jsonb(new) ->> v_key)::uuid as x where tg_op <> 'DELETE'
    union all select (to_jsonb(old) ->> v_key)::uuid where tg_op <> 'INSERT') r where x is not null;
  v_ids := case v_key
    when 'issue_id' then array(select i.estate_id from public.issues i where i.id = any(v_ids))
    when 'vote_id' then array(select v.estate_id from public.votes v where v.id = any(v_ids))
    when 'publication_id' then array(select p.estate_id from public.publications p where p.id = any(v_ids))
    else v_ids end;
  insert into public.transparency_stamps as s (estate_id)
  select distinct e.id from public.estates e where e.id = any(v_ids)
  on conflict (estate_id) do update set version = s.version + 1, changed_at = now();
  return null;
end
$$;
revoke all on function private.stamp_transparency() from public;

-- Issues: what the page lists and counts (not their support or comment counters, which it does not show: a
-- support is never held up by the stamp's row lock).
create trigger issues_stamp_transparency after insert or delete or update of status, title, category, area_id, merged_into, point_x, point_y
  on public.issues for each row execute function private.stamp_transparency('estate_id');
create trigger issue_events_stamp_transparency after insert or update or delete on public.issue_events
  for each row execute function private.stamp_transparency('issue_id');
create trigger issue_photos_stamp_transparency after insert or update or delete on public.issue_photos
  for each row execute function private.stamp_transparency('issue_id');
create trigger votes_stamp_transparency after insert or update or delete on public.votes
  for each row execute function private.stamp_transparency('estate_id');
create trigger vote_results_stamp_transparency after insert or update or delete on public.vote_results
  for each row execute function private.stamp_transparency('vote_id');
create trigger publications_stamp_transparency after insert or update or delete on public.publications
  for each row execute function private.stamp_transparency('estate_id');
create trigger objections_stamp_transparency after insert or update or delete on public.objections
  for each row execute function private.stamp_transparency('publication_id');
create trigger work_items_stamp_transparency after insert or update or delete on public.work_items
  for each row execute function private.stamp_transparency('estate_id');
create trigger milestones_stamp_transparency after insert or update or delete on public.milestones
  for each row execute function private.stamp_transparency('estate_id');
create trigger progress_updates_stamp_transparency after insert or update or delete on public.progress_updates
  for each row execute function private.stamp_transparency('estate_id');
create trigger progress_photos_stamp_transparency after insert or update or delete on public.progress_photos
  for each row execute function private.stamp_transparency('estate_id');
create trigger estates_stamp_transparency after update of name, board_public, community_id on public.estates
  for each row execute function private.stamp_transparency('id');
-- A community's or a street's new name is in the page's header: every estate below it changes.
create function private.stamp_transparency_below() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.transparency_stamps as s (estate_id)
  select e.id from public.estates e join public.communities c on c.id = e.community_id
  where (tg_table_name = 'communities' and c.id = new.id) or (tg_table_name = 'streets' and c.street_id = new.id)
  on conflict (estate_id) do update set version = s.version + 1, changed_at = now();
  return null;
end
$$;
revoke all on function private.stamp_transparency_below() from public;
create trigger communities_stamp_transparency after update of name, street_id on public.communities
  for each row execute function private.stamp_transparency_below();
create trigger streets_stamp_transparency after update of name on public.streets
  for each row execute function private.stamp_transparency_below();

insert into public.transparency_stamps (estate_id) select id from public.estates on conflict do nothing;

/** The version of an estate's transparency page (0 before its first change): read before the page, see above. */
create function public.transparency_version(p_estate_id uuid) returns bigint
language sql stable set search_path = '' as $$
  select coalesce((select s.version from public.transparency_stamps s where s.estate_id = p_estate_id), 0)
$$;
revoke execute on function public.transparency_version(uuid) from public;
grant execute on function public.transparency_version(uuid) to anon, authenticated, service_role;
