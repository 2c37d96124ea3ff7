-- ============================================================================
-- Anon may not execute private.readable_estates() (nor name schema private),
-- so the meetings policy of 20261204100000 refused every anonymous read with
-- "permission denied" instead of showing the meetings of a public board. As
-- for publications: anon reads the meetings of estates whose board is public,
-- signed-in callers those of the estates they may read. Agendas and meeting
-- records follow their meeting, as before.
-- ============================================================================

drop policy "Readers of the estate can read its meetings" on public.meetings;

/** Anyone reads the meetings of an estate whose board is public. */
create policy "Anyone can read meetings of public boards" on public.meetings for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));

/** A meeting is read where its estate's issues are: by members, administrators, and anyone for a public board. */
create policy "Readers of the estate can read its meetings" on public.meetings for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));
