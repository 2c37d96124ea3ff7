-- ============================================================================
-- What every other migration builds on: the extensions Linyi uses, created
-- where Supabase keeps them (schema extensions, which a new Supabase project
-- already has, with pgcrypto in it), and schema private for helpers that the
-- API does not expose. On PGlite and plain PostgreSQL the same statements
-- create what is missing; on Supabase they find it there.
-- ============================================================================

-- Supabase creates schema extensions, and grants its usage, before any migration runs.
do $$
begin
  if not exists (select 1 from pg_namespace where nspname = 'extensions') then
    create schema extensions;
    grant usage on schema extensions to anon, authenticated, service_role;
  end if;
end
$$;
-- Password hashes (crypt, gen_salt) for local auth; random bytes for receipts and codes.
create extension if not exists pgcrypto with schema extensions;

-- Schema private: security definer helpers and trigger functions, never exposed through PostgREST.

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

/** Whether a text is a GeoJSON Polygon or MultiPolygon with closed rings of numeric positions. */
create or replace function private.is_polygon_geojson(g jsonb) returns boolean
language plpgsql immutable set search_path = '' as $$
declare
  polys jsonb;
  poly jsonb;
  ring jsonb;
  pos jsonb;
begin
  if g is null or jsonb_typeof(g) <> 'object' or jsonb_typeof(g -> 'coordinates') <> 'array' then
    return false;
  end if;
  if g ->> 'type' = 'Polygon' then
    polys := jsonb_build_array(g -> 'coordinates');
  elsif g ->> 'type' = 'MultiPolygon' then
    polys := g -> 'coordinates';
  else
    return false;
  end if;
  if jsonb_array_length(polys) = 0 then return false; end if;
  for poly in select * from jsonb_array_elements(polys) loop
    if jsonb_typeof(poly) <> 'array' or jsonb_array_length(poly) = 0 then return false; end if;
    for ring in select * from jsonb_array_elements(poly) loop
      if jsonb_typeof(ring) <> 'array' or jsonb_array_length(ring) < 4 or ring -> 0 <> ring -> -1 then
        return false;
      end if;
      for pos in select * from jsonb_array_elements(ring) loop
        if jsonb_typeof(pos) <> 'array' or jsonb_array_length(pos) < 2
           or jsonb_typeof(pos -> 0) <> 'number' or jsonb_typeof(pos -> 1) <> 'number' then
          return false;
        end if;
      end loop;
    end loop;
  end loop;
  return true;
end
$$;
grant execute on function private.is_polygon_geojson(jsonb) to authenticated, service_role;

/** Raises a domain error: SQLSTATE, a message key the UI translates, and the form field it concerns. */
create or replace function private.fail(p_code text, p_key text, p_field text default null) returns void
language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = p_code, message = p_key, detail = coalesce(p_field, '');
end
$$;
grant execute on function private.fail(text, text, text) to authenticated, service_role;

/** Raises 42501 unless the caller is signed in. */
create or replace function private.require_user() returns uuid
language plpgsql stable set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    perform private.fail('42501', 'errors.sign_in_required');
  end if;
  return v_uid;
end
$$;
grant execute on function private.require_user() to authenticated, service_role;
