-- ============================================================================
-- Local auth: Linyi's stand-in for Supabase Auth in the embedded and postgres
-- modes, applied only there (after supabase/platform/, in version order with
-- supabase/migrations/); Supabase never sees this folder. Like Supabase Auth
-- these objects are used by the server's own connection, never by anon or
-- authenticated, so nothing here is granted.
-- Passwords are bcrypt hashes in auth.users.encrypted_password (the format
-- Supabase Auth stores); session tokens and setup codes are stored as SHA-256
-- hashes computed by the server, never in the clear.
-- ============================================================================

create table auth.local_sessions (
  token_hash text primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  user_agent text
);
create index local_sessions_user_id_idx on auth.local_sessions (user_id);
alter table auth.local_sessions enable row level security;

create table auth.sign_in_attempts (
  id bigint generated always as identity primary key,
  identifier text not null,
  attempted_at timestamptz not null default now()
);
create index sign_in_attempts_identifier_idx on auth.sign_in_attempts (identifier, attempted_at);
alter table auth.sign_in_attempts enable row level security;

-- Accounts created by the committee for residents without a phone or email
-- sign in with a short login id kept in raw_app_meta_data.
create unique index users_login_id_key on auth.users ((raw_app_meta_data ->> 'login_id'))
  where raw_app_meta_data ? 'login_id';

/** Which auth.users row an identifier (mobile number, email or login id) names. */
create function auth.local_find_user(p_identifier text) returns auth.users
language sql stable set search_path = '' as $$
  select u.* from auth.users u
  where u.deleted_at is null
    and case
      when p_identifier ~ '^1[3-9][0-9]{9}$' then u.phone = p_identifier
      when position('@' in p_identifier) > 0 then lower(u.email) = lower(p_identifier)
      else upper(u.raw_app_meta_data ->> 'login_id') = upper(p_identifier)
    end
  limit 1
$$;

/**
 * Creates an account. The caller has validated the identifier's shape and the
 * password's strength; uniqueness is the database's job.
 */
create function auth.local_sign_up(p_identifier text, p_password text, p_display_name text, p_locale text)
returns uuid
language plpgsql set search_path = '' as $$
declare
  v_id uuid;
  v_is_phone boolean := p_identifier ~ '^1[3-9][0-9]{9}$';
begin
  if (auth.local_find_user(p_identifier)).id is not null then
    raise exception using errcode = '23505', message = 'auth.identifier_taken', detail = 'identifier';
  end if;
  insert into auth.users (email, phone, encrypted_password, email_confirmed_at, phone_confirmed_at, raw_user_meta_data, raw_app_meta_data)
  values (
    case when v_is_phone then null else lower(p_identifier) end,
    case when v_is_phone then p_identifier else null end,
    extensions.crypt(p_password, extensions.gen_salt('bf', 10)),
    case when v_is_phone then null else now() end,
    case when v_is_phone then now() else null end,
    jsonb_build_object('display_name', p_display_name, 'locale', p_locale),
    jsonb_build_object('provider', case when v_is_phone then 'phone' else 'email' end)
  )
  returning id into v_id;
  return v_id;
end
$$;

/**
 * Checks a password and opens a session. Returns a status instead of raising,
 * because a failed attempt must be recorded and a raise would roll it back.
 * Five failures for one identifier within 15 minutes lock it for 15 minutes
 * after the fifth, whatever the password.
 */
create function auth.local_sign_in(p_identifier text, p_password text, p_token_hash text, p_ttl interval, p_user_agent text)
returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_key text := lower(p_identifier);
  v_failures int;
  v_last timestamptz;
  v_user auth.users;
begin
  select count(*), max(attempted_at) into v_failures, v_last
  from auth.sign_in_attempts
  where identifier = v_key and attempted_at > now() - interval '15 minutes';
  if v_failures >= 5 then
    return jsonb_build_object('ok', false, 'reason', 'locked',
      'retry_after_minutes', greatest(1, ceil(extract(epoch from (v_last + interval '15 minutes' - now())) / 60)::int));
  end if;

  v_user := auth.local_find_user(p_identifier);
  if v_user.id is null or v_user.encrypted_password is null
     or v_user.encrypted_password <> extensions.crypt(p_password, v_user.encrypted_password)
     or (v_user.banned_until is not null and v_user.banned_until > now()) then
    insert into auth.sign_in_attempts (identifier) values (v_key);
    return jsonb_build_object('ok', false, 'reason', case when v_failures + 1 >= 5 then 'locked' else 'invalid' end,
      'retry_after_minutes', 15);
  end if;

  if v_user.raw_app_meta_data ? 'setup_expires_at' then
    return jsonb_build_object('ok', false, 'reason', 'setup_required');
  end if;

  delete from auth.sign_in_attempts where identifier = v_key;
  insert into auth.local_sessions (token_hash, user_id, expires_at, user_agent)
  values (p_token_hash, v_user.id, now() + p_ttl, left(p_user_agent, 200));
  update auth.users set last_sign_in_at = now() where id = v_user.id;
  return jsonb_build_object('ok', true, 'user_id', v_user.id);
end
$$;

/** Opens a session for an account that has just been created or set up. */
create function auth.local_start_session(p_user_id uuid, p_token_hash text, p_ttl interval, p_user_agent text)
returns void
language sql set search_path = '' as $$
  insert into auth.local_sessions (token_hash, user_id, expires_at, user_agent)
  values (p_token_hash, p_user_id, now() + p_ttl, left(p_user_agent, 200));
  update auth.users set last_sign_in_at = now() where id = p_user_id;
$$;

/** The signed-in user behind a session token hash, or nothing when it has expired. */
create function auth.local_session_user(p_token_hash text)
returns table (id uuid, email text, phone text, login_id text, role text)
language sql stable set search_path = '' as $$
  select u.id, u.email::text, u.phone, u.raw_app_meta_data ->> 'login_id', 'authenticated'::text
  from auth.local_sessions s join auth.users u on u.id = s.user_id
  where s.token_hash = p_token_hash and s.expires_at > now() and u.deleted_at is null
    and (u.banned_until is null or u.banned_until <= now())
$$;

/**
 * The context of the signed-in user behind a session token hash (what
 * public.my_context returns for them), or null when the session has expired:
 * one statement per request where the session lookup and the call of
 * my_context were two. my_context runs as the user, under row level security,
 * exactly as a call as the user would: the role and claims are set for this
 * transaction only.
 */
create function auth.local_session_context(p_token_hash text)
returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid;
begin
  select s.id into v_uid from auth.local_session_user(p_token_hash) s;
  if v_uid is null then
    return null;
  end if;
  perform set_config('role', 'authenticated', true),
    set_config('request.jwt.claims', json_build_object('sub', v_uid, 'role', 'authenticated', 'aud', 'authenticated')::text, true);
  return public.my_context();
end
$$;

/** Ends one session, or every session of its user when p_everywhere. */
create function auth.local_sign_out(p_token_hash text, p_everywhere boolean)
returns void
language sql set search_path = '' as $$
  delete from auth.local_sessions
  where case when p_everywhere
    then user_id = (select user_id from auth.local_sessions where token_hash = p_token_hash)
    else token_hash = p_token_hash end;
  delete from auth.local_sessions where expires_at < now();
$$;

/**
 * An account for a resident without a phone or email: a login id and a setup
 * code that works once, within 7 days, to choose a password.
 */
create function auth.local_create_assisted(p_display_name text, p_login_id text, p_setup_code text, p_created_by uuid)
returns uuid
language plpgsql set search_path = '' as $$
declare
  v_id uuid;
begin
  insert into auth.users (encrypted_password, raw_app_meta_data, raw_user_meta_data)
  values (
    extensions.crypt(p_setup_code, extensions.gen_salt('bf', 10)),
    jsonb_build_object('provider', 'assisted', 'login_id', upper(p_login_id),
      'setup_expires_at', now() + interval '7 days', 'created_by', p_created_by),
    jsonb_build_object('display_name', p_display_name, 'locale', 'zh-CN')
  )
  returning id into v_id;
  return v_id;
end
$$;

/**
 * Redeems a setup code: sets the chosen password, clears the code and opens a
 * session. Failed codes count towards the same lockout as failed sign-ins.
 */
create function auth.local_redeem_setup(p_login_id text, p_code text, p_password text, p_token_hash text, p_ttl interval)
returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_key text := lower(p_login_id);
  v_user auth.users;
begin
  if (select count(*) from auth.sign_in_attempts
      where identifier = v_key and attempted_at > now() - interval '15 minutes') >= 5 then
    return jsonb_build_object('ok', false, 'reason', 'locked', 'retry_after_minutes', 15);
  end if;
  v_user := auth.local_find_user(p_login_id);
  if v_user.id is null or not (v_user.raw_app_meta_data ? 'setup_expires_at')
     or v_user.encrypted_password <> extensions.crypt(p_code, v_user.encrypted_password) then
    insert into auth.sign_in_attempts (identifier) values (v_key);
    return jsonb_build_object('ok', false, 'reason', 'invalid_code');
  end if;
  if (v_user.raw_app_meta_data ->> 'setup_expires_at')::timestamptz < now() then
    return jsonb_build_object('ok', false, 'reason', 'code_expired');
  end if;
  update auth.users
  set encrypted_password = extensions.crypt(p_password, extensions.gen_salt('bf', 10)),
      raw_app_meta_data = raw_app_meta_data - 'setup_expires_at',
      last_sign_in_at = now(), updated_at = now()
  where id = v_user.id;
  delete from auth.sign_in_attempts where identifier = v_key;
  insert into auth.local_sessions (token_hash, user_id, expires_at) values (p_token_hash, v_user.id, now() + p_ttl);
  return jsonb_build_object('ok', true, 'user_id', v_user.id);
end
$$;

revoke all on all functions in schema auth from public;
grant execute on function auth.uid(), auth.role(), auth.jwt() to anon, authenticated, service_role;
