-- ============================================================================
-- A fulfilled micro-wish's photo is given to whoever may read the wish: the
-- /uploads route and the Storage bucket's read policy both ask
-- public.can_read_photo as the caller, so the wishes' own policy (published
-- where the estate's issues are read) decides about their photos too.
-- ============================================================================

/**
 * Whether the caller may see the stored photo at this path: a photo of an
 * issue they may read, one they hold for the issue they are raising, or the
 * photo of a wish they may read. Every lookup runs under RLS, so a path the
 * caller may not read is answered like an unknown one, false.
 */
create or replace function public.can_read_photo(p_path text) returns boolean
  language sql stable security invoker set search_path = ''
as $$
  select exists (select 1 from public.issue_photos ph where ph.path = p_path or ph.thumb_path = p_path)
    or exists (select 1 from public.pending_photos pp where pp.path = p_path or pp.thumb_path = p_path)
    or exists (select 1 from public.wishes w where w.photo_path = p_path)
    or exists (select 1 from public.wishes w where w.photo_thumb_path = p_path);
$$;
