-- ============================================================================
-- Photos attached to an issue that is not raised yet are kept on the server.
-- When the new-issue form stops to show similar issues (or to point at a
-- mistake), the photos already uploaded, checked and re-encoded must not be
-- lost: the browser cannot refill a file input, and a resident on a slow
-- phone should not upload them twice. Each stored photo is held here for its
-- uploader, who gets its id as a token; the next submit names the tokens,
-- and raising the issue takes the photos over (the rows go when the issue's
-- photo rows are written, in the same transaction). Photos nobody came back
-- for are taken after a day by the server's sweep, which also removes the
-- files.
-- ============================================================================

create table public.pending_photos (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  path text not null unique check (char_length(path) <= 200),
  thumb_path text not null unique check (char_length(thumb_path) <= 200),
  width integer not null check (width between 1 and 1600),
  height integer not null check (height between 1 and 1600),
  created_at timestamptz not null default now()
);
comment on table public.pending_photos is 'Photos uploaded for an issue not raised yet, held for their uploader only; taken over by propose_issue, swept after a day.';
create index pending_photos_owner_idx on public.pending_photos (owner_id, created_at);
create index pending_photos_created_idx on public.pending_photos (created_at);

alter table public.pending_photos enable row level security;

/** A held photo is its uploader's alone: nobody else may see that it exists. */
create policy "Uploaders can read their held photos" on public.pending_photos for select to authenticated
  using (owner_id = (select auth.uid()));
/** Uploaders hold photos for themselves only. */
create policy "Uploaders can hold photos" on public.pending_photos for insert to authenticated
  with check (owner_id = (select auth.uid()));
/** Uploaders let go of their own held photos (raising the issue does it for them). */
create policy "Uploaders can let go of their held photos" on public.pending_photos for delete to authenticated
  using (owner_id = (select auth.uid()));

revoke all on public.pending_photos from anon, authenticated;
-- can_read_photo, which anyone may ask, looks here too: anon may select (no policy lets it see a row), never the owner.
grant select (id, path, thumb_path, width, height, created_at) on public.pending_photos to anon;
grant select, delete on public.pending_photos to authenticated;
grant insert (path, thumb_path, width, height) on public.pending_photos to authenticated;
grant all on public.pending_photos to service_role;

/**
 * Holds photos the server has just stored ([{path, thumb_path, width,
 * height}], at most 6) for the caller, and returns them with their tokens, in
 * the order given.
 */
create function public.hold_photos(p_photos jsonb) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_photo jsonb;
  v_out jsonb := '[]';
  v_id uuid;
begin
  if jsonb_typeof(coalesce(p_photos, '[]')) <> 'array' or jsonb_array_length(coalesce(p_photos, '[]')) > 6 then
    perform private.fail('22023', 'errors.photos_too_many', 'photos');
  end if;
  for v_photo in select * from jsonb_array_elements(coalesce(p_photos, '[]')) loop
    insert into public.pending_photos (path, thumb_path, width, height)
    values (v_photo ->> 'path', v_photo ->> 'thumb_path', (v_photo ->> 'width')::int, (v_photo ->> 'height')::int)
    returning id into v_id;
    v_out := v_out || jsonb_build_array(v_photo || jsonb_build_object('token', v_id));
  end loop;
  return v_out;
end
$$;

/**
 * The caller's held photos named by these tokens, in the order given
 * ([{token, path, thumb_path, width, height}]). A token that is not the
 * caller's, or whose photo was swept, is left out: the caller compares.
 */
create function public.held_photos(p_tokens uuid[]) returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('token', p.id, 'path', p.path, 'thumb_path', p.thumb_path,
      'width', p.width, 'height', p.height) order by t.n), '[]'::jsonb)
  from unnest(coalesce(p_tokens, '{}')) with ordinality t(token, n)
  join public.pending_photos p on p.id = t.token;
$$;

/**
 * Held photos nobody came back for in a day, taken out of the table; the
 * server removes their files (service role only: it sweeps everyone's).
 */
create function public.take_stale_photos() returns jsonb
language sql set search_path = '' as $$
  with gone as (delete from public.pending_photos where created_at < now() - interval '1 day' returning path, thumb_path)
  select coalesce(jsonb_agg(jsonb_build_object('path', path, 'thumb_path', thumb_path)), '[]'::jsonb) from gone;
$$;

/**
 * An issue's photo row takes the held photo over: the holding row goes in the
 * same transaction. Invoker: the author lets go of their own held photo under
 * its delete policy; someone else's is not touched.
 */
create function private.on_issue_photo_taken() returns trigger
language plpgsql set search_path = '' as $$
begin
  delete from public.pending_photos where path = new.path;
  return new;
end
$$;
create trigger issue_photos_take_held after insert on public.issue_photos
  for each row execute function private.on_issue_photo_taken();

/**
 * Whether the caller may see the stored photo at this path: a photo of an
 * issue they may read, or a photo they hold for the issue they are raising
 * (the new-issue form shows it again). Both lookups run under RLS.
 */
create or replace function public.can_read_photo(p_path text) returns boolean
  language sql stable security invoker set search_path = ''
as $$
  select exists (select 1 from public.issue_photos ph where ph.path = p_path or ph.thumb_path = p_path)
    or exists (select 1 from public.pending_photos pp where pp.path = p_path or pp.thumb_path = p_path);
$$;

revoke execute on function public.hold_photos(jsonb), public.held_photos(uuid[]), public.take_stale_photos(),
  private.on_issue_photo_taken() from public;
grant execute on function public.hold_photos(jsonb), public.held_photos(uuid[]) to authenticated, service_role;
grant execute on function public.take_stale_photos() to service_role;
