-- ============================================================================
-- Supabase mode keeps photos in the private Storage bucket `issue-photos`.
-- The server uploads with the service role after checking and re-encoding
-- each photo; browsers read through signed URLs, which Storage signs only for
-- a caller its select policy lets read the object. That policy is the same
-- question the /uploads route asks: public.can_read_photo, under the issues'
-- RLS. Only Supabase has schema `storage`: elsewhere this file does nothing
-- (the embedded and postgres modes keep files in DATA_DIR/uploads).
-- ============================================================================

do $$
begin
  if to_regclass('storage.objects') is null or to_regclass('storage.buckets') is null then
    return;
  end if;

  -- Private: no public URL reaches a photo, whatever its board.
  insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
  values ('issue-photos', 'issue-photos', false, 10485760, array['image/jpeg'])
  on conflict (id) do update set public = false, file_size_limit = excluded.file_size_limit,
    allowed_mime_types = excluded.allowed_mime_types;

  /**
   * Whoever may read an issue may read (and so get signed URLs for) its
   * photos: the public on a public board, members on a members-only one.
   * No insert, update or delete policy: only the service role writes.
   */
  create policy "People who can read an issue can read its photos" on storage.objects for select to anon, authenticated
    using (bucket_id = 'issue-photos' and public.can_read_photo(name));
end
$$;
