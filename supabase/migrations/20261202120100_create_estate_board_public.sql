-- ============================================================================
-- Whether an estate's issue board is open to the public. A signed-out
-- neighbour who opens a shared link to an issue of a members-only board finds
-- nothing under row level security; the issue page asks this to tell "sign in
-- to see this" from a link to nothing, without saying whether the issue exists.
-- ============================================================================

/**
 * True when anyone may read the estate's issues, false when only its members
 * may, null when there is no such estate. It tells no more than the board does
 * (which asks a signed-out reader of a closed board to sign in).
 */
create function public.estate_board_public(p_estate_id uuid) returns boolean
language sql stable set search_path = '' as $$
  select e.board_public from public.estates e where e.id = p_estate_id
$$;

revoke execute on function public.estate_board_public(uuid) from public;
grant execute on function public.estate_board_public(uuid) to anon, authenticated, service_role;
