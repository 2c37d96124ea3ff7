-- ============================================================================
-- Photos are given only to someone who may read their issue. The app's
-- /uploads route (embedded and postgres modes) and the Storage bucket's read
-- policy (supabase mode) both ask public.can_read_photo, run as the caller,
-- so the issues' own policies — a members-only board, an estate the caller
-- does not belong to — decide about the photos too, once, in SQL.
-- ============================================================================

-- Every photo request looks its path up, full size or thumbnail.
create index issue_photos_path_idx on public.issue_photos (path);
create index issue_photos_thumb_path_idx on public.issue_photos (thumb_path);

/**
 * Whether the caller may see the stored photo at this path (a photo or its
 * thumbnail). Security invoker: the photos' policy ("Anyone who sees the
 * issue can see its photos") filters the lookup, so a path the caller may not
 * read is answered exactly like an unknown one, false, and reveals nothing.
 */
create function public.can_read_photo(p_path text) returns boolean
  language sql stable security invoker set search_path = ''
as $$
  select exists (select 1 from public.issue_photos ph where ph.path = p_path or ph.thumb_path = p_path);
$$;
revoke execute on function public.can_read_photo(text) from public;
grant execute on function public.can_read_photo(text) to anon, authenticated, service_role;
