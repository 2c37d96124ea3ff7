-- ============================================================================
-- public.can_read_photo answers for every kind of photo at once: issues, the
-- photos held for an issue not raised yet, progress notes (20261204110000) and
-- fulfilled micro-wishes (20261204140100). Those two capabilities each
-- redefined it with their own clause, and the later one dropped the other's;
-- this is the union of them. A capability that stores photos adds its clause
-- here, in a new migration that keeps every earlier clause.
-- ============================================================================

/**
 * Whether the caller may read a stored photo: it belongs to a row the caller
 * may read under that row's own policies (invoker), so the /uploads route and
 * the Storage bucket's read policy follow the pages exactly.
 */
create or replace function public.can_read_photo(p_path text) returns boolean
  language sql stable security invoker set search_path = ''
as $$
  select exists (select 1 from public.issue_photos ph where ph.path = p_path or ph.thumb_path = p_path)
    or exists (select 1 from public.pending_photos pp where pp.path = p_path or pp.thumb_path = p_path)
    or exists (select 1 from public.progress_photos pr where pr.path = p_path or pr.thumb_path = p_path)
    or exists (select 1 from public.wishes w where w.photo_path = p_path)
    or exists (select 1 from public.wishes w where w.photo_thumb_path = p_path);
$$;
