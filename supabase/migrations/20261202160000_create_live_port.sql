-- ============================================================================
-- The live port, its SQL side: what changed is announced by topic, and who may
-- follow a topic is asked of the database as the viewer.
--
-- A topic is named by what it shows, `<kind>:<uuid>` (e.g. `vote:<id>` for a
-- vote's turnout). Triggers call private.live_changed(topic), which
--   * in the embedded and postgres modes: pg_notify(topic, '') — the server
--     holds one LISTEN per topic that has viewers and relays to all of them;
--   * on Supabase (where schema `realtime` exists): realtime.send() of the
--     topic's payload to a private broadcast channel of the same name, which
--     the server follows with supabase-js.
-- A notification carries nothing but its topic: the server asks for the
-- topic's payload once per change (live_payload) and sends it to every
-- viewer, and each viewer was let in by live_topic, run as that viewer under
-- row level security. A payload never holds personal data.
-- ============================================================================

/**
 * Announces that a topic's payload changed. Called by triggers, in the
 * transaction of the change, so the announcement leaves only if it commits
 * (and Postgres folds repeats of one topic within a transaction into one).
 * Security definer: the broadcast on Supabase computes the payload, which
 * reads rows the writer may not read one by one (ballots).
 * `realtime.send` is only called where the schema exists, so the same
 * migration runs on Supabase, on PostgreSQL and on PGlite.
 */
create function private.live_changed(p_topic text) returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform pg_notify(p_topic, '');
  if to_regnamespace('realtime') is not null then
    perform realtime.send(coalesce(private.live_payload(p_topic), '{}'::jsonb), 'change', p_topic, true);
  end if;
end
$$;
revoke all on function private.live_changed(text) from public;

/**
 * The current payload of a topic, the same for every viewer who may follow
 * it; null for a topic that does not exist. It does not ask who is reading:
 * the server computes it once per change for all the viewers live_topic let
 * in. Security definer and not executable by signed-in users: it would show
 * any estate's topics.
 */
create function private.live_payload(p_topic text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_kind text := split_part(p_topic, ':', 1);
  v_id uuid;
begin
  if p_topic !~ '^[a-z_]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return null;
  end if;
  v_id := substr(p_topic, length(v_kind) + 2)::uuid;
  return case v_kind
    when 'vote' then private.vote_participation(v_id)
  end;
end
$$;
revoke all on function private.live_payload(text) from public;
grant execute on function private.live_payload(text) to service_role;

/**
 * live_payload for the server in supabase mode, which reaches the database
 * only through PostgREST (schema private is not exposed): the service role
 * only. The server uses it to refresh its viewers when its Realtime channel
 * rejoins and may have missed a change.
 */
create function public.live_payload(p_topic text) returns jsonb
language sql stable set search_path = '' as $$
  select private.live_payload(p_topic)
$$;
revoke execute on function public.live_payload(text) from public, anon, authenticated;
grant execute on function public.live_payload(text) to service_role;

/**
 * Lets a viewer follow a topic: runs as the viewer, finds the topic's object
 * through its RLS policies (one the caller may not read is "not found") and
 * returns the topic's payload as that viewer may see it. The SSE endpoint
 * calls it before it admits a browser to a topic, and on every reconnection.
 */
create function public.live_topic(p_topic text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_kind text := split_part(p_topic, ':', 1);
  v_id uuid;
begin
  if p_topic is null or p_topic !~ '^[a-z_]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    perform private.fail('22023', 'errors.live_topic_unknown', 'topic');
  end if;
  v_id := substr(p_topic, length(v_kind) + 2)::uuid;
  case v_kind
    when 'vote' then return public.vote_turnout(v_id);
    else perform private.fail('22023', 'errors.live_topic_unknown', 'topic');
  end case;
  return null;
end
$$;
revoke execute on function public.live_topic(text) from public;
-- Every topic so far is for signed-in members (schema private, which the topics' checks use, is closed to anon).
grant execute on function public.live_topic(text) to authenticated, service_role;
