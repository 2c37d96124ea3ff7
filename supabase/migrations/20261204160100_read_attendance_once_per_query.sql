-- ============================================================================
-- Attendance, proxies and invitees are read by the estate's verified members
-- and administrators, as before; their policies now ask who the caller is
-- once per query through private.room_meetings() (20261204101600), as the
-- room's tables already do, not once per row: the door list, the quorum and
-- the room read every attendance row of a meeting.
-- ============================================================================

drop policy "Members can read who attends" on public.meeting_attendance;
drop policy "Members can read proxies" on public.meeting_proxies;
drop policy "Members can read invitees" on public.meeting_invitees;

/** Who came: the estate's verified members and administrators. */
create policy "Members can read who attends" on public.meeting_attendance for select to authenticated
  using (meeting_id = any((select private.room_meetings())::uuid[]));
/** Proxies are read like attendance. */
create policy "Members can read proxies" on public.meeting_proxies for select to authenticated
  using (meeting_id = any((select private.room_meetings())::uuid[]));
/** Invitees are read like attendance. */
create policy "Members can read invitees" on public.meeting_invitees for select to authenticated
  using (meeting_id = any((select private.room_meetings())::uuid[]));
