-- ============================================================================
-- The room's rows (motions, seconds, speeches) are read by the estate's
-- verified members and administrators, as before; the policies now ask who
-- the caller is once per query (an uncorrelated subquery over the meetings
-- the caller may read), not once per row: the room's one read touches every
-- speech of a meeting several times, and a per-row check made it slow.
-- ============================================================================

/**
 * The meetings whose room the caller may read: of the estates where the
 * caller is a verified member, or every one for an administrator. Security
 * definer: it reads meetings whole, once per query of a policy.
 */
create function private.room_meetings() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(m.id), '{}') from public.meetings m
  where m.estate_id = any(private.member_estates()) or private.is_admin()
$$;
revoke all on function private.room_meetings() from public;
grant execute on function private.room_meetings() to authenticated, service_role;

drop policy "Members can read motions" on public.motions;
drop policy "Members can read seconds" on public.motion_seconds;
drop policy "Members can read speeches" on public.speeches;

/** Motions name their mover (an attendance row): read by the estate's verified members and administrators. */
create policy "Members can read motions" on public.motions for select to authenticated
  using (meeting_id = any((select private.room_meetings())::uuid[]));
/** Seconds are read like motions. */
create policy "Members can read seconds" on public.motion_seconds for select to authenticated
  using (motion_id in (select mo.id from public.motions mo));
/** The speakers' queue is read like motions. */
create policy "Members can read speeches" on public.speeches for select to authenticated
  using (meeting_id = any((select private.room_meetings())::uuid[]));
