-- ============================================================================
-- Rate limits. Nothing limited sign-up, sign-in attempts per address, or the
-- similar-issues hint per client. The server now counts requests per client
-- address (and, for sign-in, per account) in fixed windows, here in the
-- database rather than in process memory, so that the embedded, postgres and
-- supabase modes and several server processes on one database count alike.
--
-- The counters live in schema private (PostgREST never exposes it) and are
-- written only by private.take_rate_limit, which only the server may call: the
-- server's own connection in the embedded and postgres modes, the service role
-- in supabase mode (through public.take_rate_limit, which PostgREST can reach).
-- Keys are stored as SHA-256 hashes, never as addresses or phone numbers.
-- ============================================================================

create table private.rate_limits (
  bucket text not null check (bucket ~ '^[a-z][a-z_]{0,39}$'),
  key_hash text not null check (key_hash ~ '^[0-9a-f]{64}$'),
  window_start timestamptz not null,
  window_end timestamptz not null,
  hits integer not null check (hits > 0),
  primary key (bucket, key_hash),
  check (window_end > window_start)
);
comment on table private.rate_limits is
  'Requests per client (hashed) in the current fixed window of each limit. Written only by private.take_rate_limit.';
-- The cleanup looks for windows that have ended.
create index rate_limits_window_end on private.rate_limits (window_end);
alter table private.rate_limits enable row level security;
-- No policies and no grants: nobody but the owner (the definer below) reads or writes it.
revoke all on table private.rate_limits from public, anon, authenticated, service_role;

/**
 * Counts one request of `p_key` against the limit `p_bucket` (at most
 * `p_limit` requests per `p_window_seconds`), and says whether it may go on:
 * 0 when it may, otherwise the seconds until the window ends and it may try
 * again. A fixed window, started by the first request after the previous one
 * ended. One insert … on conflict do update per call, so that concurrent calls
 * for the same key never lose a count (each takes the row in turn).
 * Each call also removes a few windows that have ended (skip locked, so that
 * concurrent calls never wait on each other for it): the table holds about
 * as many rows as there are clients within the longest window.
 * Security definer: the table has no grants at all.
 */
create function private.take_rate_limit(p_bucket text, p_key text, p_limit integer, p_window_seconds integer)
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_hits integer;
  v_end timestamptz;
begin
  if p_limit is null or p_limit < 1 or p_window_seconds is null or p_window_seconds < 1 then
    raise exception 'errors.invalid_input' using errcode = '22023';
  end if;
  delete from private.rate_limits r
  where (r.bucket, r.key_hash) in (
    select o.bucket, o.key_hash from private.rate_limits o
    where o.window_end < now() limit 20 for update skip locked);
  insert into private.rate_limits as r (bucket, key_hash, window_start, window_end, hits)
  values (p_bucket, encode(extensions.digest(coalesce(p_key, ''), 'sha256'), 'hex'),
          now(), now() + make_interval(secs => p_window_seconds), 1)
  on conflict (bucket, key_hash) do update set
    window_start = case when r.window_end <= now() then excluded.window_start else r.window_start end,
    window_end = case when r.window_end <= now() then excluded.window_end else r.window_end end,
    -- Capped: a client hammering a closed window never overflows the counter.
    hits = case when r.window_end <= now() then 1 else least(r.hits + 1, 1000000000) end
  returning r.hits, r.window_end into v_hits, v_end;
  if v_hits <= p_limit then
    return 0;
  end if;
  return greatest(1, ceil(extract(epoch from (v_end - now())))::integer);
end
$$;
revoke all on function private.take_rate_limit(text, text, integer, integer) from public, anon, authenticated;
grant execute on function private.take_rate_limit(text, text, integer, integer) to service_role;

/**
 * The same for supabase mode, where the server reaches the database only
 * through PostgREST, which exposes schema public: the service role only.
 */
create function public.take_rate_limit(p_bucket text, p_key text, p_limit integer, p_window_seconds integer)
returns integer
language sql set search_path = '' as $$
  select private.take_rate_limit(p_bucket, p_key, p_limit, p_window_seconds)
$$;
revoke all on function public.take_rate_limit(text, text, integer, integer) from public, anon, authenticated;
grant execute on function public.take_rate_limit(text, text, integer, integer) to service_role;
