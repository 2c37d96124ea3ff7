-- ============================================================================
-- Every security definer helper that signed-in users may execute checks who
-- is asking. Several trusted their callers, and anyone signed in could call
-- them directly: set_issue_status (any issue to any status), write_comment
-- (anyone's comment), write_estate_settings (any estate's board), notify
-- (anyone's notifications), log_issue_event (anyone's timeline),
-- carry_supports (anyone's supports), committee_of (any estate's committee),
-- create_vote (a vote record open_vote never checked: another estate's
-- issue, a forged electorate total, any dates).
--   * Helpers that only other definer functions call are no longer
--     executable by authenticated: set_issue_status, log_issue_event, notify,
--     carry_supports, committee_of, close_vote_now. For that, the writes of
--     transition_issue and open_vote move into private definer halves that
--     check the caller (private.transition_issue, private.open_vote), and a
--     moderator's notice to the comment's author goes with write_comment.
--   * The helpers public functions still call check the caller themselves:
--     write_comment (the author edits or deletes, a moderator hides),
--     write_estate_settings (estate managers), advance_vote and
--     advance_due_votes (votes the caller may read), is_top_comment and
--     issue_estate (issues the caller may read), private.close_vote_early
--     (the committee).
--   * check_choice reads nothing hidden and becomes security invoker.
-- The definer test (tests/db/definers.test.ts) lists every definer function
-- authenticated may execute and calls each as a caller from another estate.
-- ============================================================================

revoke execute on function private.set_issue_status(uuid, text, uuid), private.log_issue_event(uuid, text, text, text, text, text, uuid),
  private.notify(uuid[], text, uuid, jsonb), private.carry_supports(uuid, uuid), private.committee_of(uuid),
  private.close_vote_now(uuid, uuid, boolean) from authenticated;

alter function private.check_choice(public.votes, smallint[]) security invoker;

-- ----------------------------------------------------------------------------
-- Issue helpers that policies call.
-- ----------------------------------------------------------------------------

/** The estate of an issue the caller may read (null otherwise), for policies on tables that hang off issues. */
create or replace function private.issue_estate(p_issue_id uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select i.estate_id from public.issues i where i.id = p_issue_id and i.estate_id = any(private.readable_estates())
$$;

/**
 * Whether a comment is a top-level comment of an issue the caller may read,
 * for the replies policy. Security definer: a policy on comments that read
 * comments would recurse; it answers yes or no about structure only.
 */
create or replace function private.is_top_comment(p_comment_id uuid, p_issue_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.comments c join public.issues i on i.id = c.issue_id
                 where c.id = p_comment_id and c.issue_id = p_issue_id and c.parent_id is null
                   and i.estate_id = any(private.readable_estates()))
$$;

-- ----------------------------------------------------------------------------
-- Transitions.
-- ----------------------------------------------------------------------------

-- Steps a vote takes, not a person: opening one moves the issue to voting (from these statuses).
alter table public.issue_transitions drop constraint issue_transitions_actor_check;
alter table public.issue_transitions add constraint issue_transitions_actor_check
  check (actor in ('committee', 'author', 'moderator', 'vote'));
insert into public.issue_transitions (action, from_status, to_status, actor, needs_reason) values
  ('open_vote', 'accepted', 'voting', 'vote', false),
  ('open_vote', 'deliberating', 'voting', 'vote', false);

/**
 * Takes an action on an issue (see public.transition_issue). Security
 * definer: it writes the status, the timeline, the supports a merge carries
 * and the author's notice, none of which the caller may write; it checks
 * from the lifecycle table that the caller may take the step. Steps of a
 * vote (actor 'vote') are nobody's to take by hand.
 */
create function private.transition_issue(p_issue_id uuid, p_action text, p_reason text, p_merge_into uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_issue public.issues;
  v_t public.issue_transitions;
  v_target public.issues;
  v_allowed boolean;
begin
  -- Both issues are locked first, so two people triaging at once take turns and the second sees the first's result.
  perform private.lock_issues(array[p_issue_id, p_merge_into]);
  select * into v_issue from public.issues where id = p_issue_id and estate_id = any(private.readable_estates());
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  select * into v_t from public.issue_transitions where action = p_action and from_status = v_issue.status;
  if v_t.action is null then
    perform private.fail('22023', 'errors.transition_not_allowed', 'action');
  end if;
  -- Assigned first: in an IF condition, plpgsql would stop reading at the CASE's first THEN.
  v_allowed := case v_t.actor
      when 'committee' then private.manages_estate(v_issue.estate_id)
      when 'moderator' then private.moderates_estate(v_issue.estate_id)
      when 'author' then v_issue.author_id = v_uid
    end;
  if not coalesce(v_allowed, false) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  if v_t.needs_reason and coalesce(trim(p_reason), '') = '' then
    perform private.fail('22023', 'errors.reason_required', 'reason');
  end if;
  if char_length(coalesce(p_reason, '')) > 500 then
    perform private.fail('22023', 'errors.too_long', 'reason');
  end if;
  if p_action = 'merge' then
    select * into v_target from public.issues where id = p_merge_into;
    if v_target.id is null or v_target.estate_id <> v_issue.estate_id or v_target.id = v_issue.id
       or not (v_target.status = any(private.open_statuses())) then
      perform private.fail('22023', 'errors.merge_target_invalid', 'merge_into');
    end if;
    -- Supports carry over to the survivor, once per person.
    perform private.carry_supports(v_issue.id, v_target.id);
    perform private.log_issue_event(v_target.id, 'merged_from', 'merge', null, null, p_reason, v_issue.id);
  end if;
  perform private.set_issue_status(v_issue.id, v_t.to_status, case when p_action = 'merge' then v_target.id end);
  perform private.log_issue_event(v_issue.id, 'transition', p_action, v_issue.status, v_t.to_status, p_reason,
    case when p_action = 'merge' then v_target.id end);
  -- The author is told, unless the author took the step.
  perform private.notify(array[nullif(v_issue.author_id, v_uid)], 'issue_status', v_issue.id,
    jsonb_build_object('title', v_issue.title, 'to', v_t.to_status, 'reason', nullif(trim(p_reason), '')));
  return jsonb_build_object('id', v_issue.id, 'status', v_t.to_status);
end
$$;
revoke all on function private.transition_issue(uuid, text, text, uuid) from public;
grant execute on function private.transition_issue(uuid, text, text, uuid) to authenticated, service_role;

/**
 * Takes an action on an issue, if the lifecycle table allows it from the
 * issue's status for the caller: accept, decline (with a reason), merge into
 * another open issue of the estate (supports carry over), withdraw (the
 * author), and the later steps. Every transition is recorded in the timeline.
 */
create or replace function public.transition_issue(p_issue_id uuid, p_action text, p_reason text default null, p_merge_into uuid default null) returns jsonb
language sql set search_path = '' as $$
  select private.transition_issue(p_issue_id, p_action, p_reason, p_merge_into)
$$;

-- ----------------------------------------------------------------------------
-- Comments.
-- ----------------------------------------------------------------------------

/**
 * Writes a comment's new body, state or moderation, for the one who may:
 * a new body (within 15 minutes of writing, while visible) or a deletion
 * for the comment's author; hiding or restoring for a moderator of its
 * estate, whose notice goes to the author. Security definer: comments have
 * no update grant. Deleting keeps the text in comment_revisions (author and
 * moderators only) and clears it from the comment.
 */
create or replace function private.write_comment(p_comment_id uuid, p_body text, p_state text, p_reason text, p_moderator uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_c public.comments;
begin
  select * into v_c from public.comments where id = p_comment_id for no key update;
  if p_body is not null or p_state = 'deleted' then
    if v_c.id is null or v_c.author_id <> v_uid or (p_state = 'deleted' and v_c.state = 'deleted') then
      perform private.fail('P0002', 'errors.comment_not_found');
    end if;
  elsif p_state in ('hidden', 'visible') then
    -- issue_estate is null for an issue the caller may not read: coalesce, or "not null" would let it through.
    if v_c.id is null or p_moderator is distinct from v_uid
       or not coalesce(private.moderates_estate(private.issue_estate(v_c.issue_id)), false) then
      perform private.fail('P0002', 'errors.comment_not_found');
    end if;
    if v_c.state = 'deleted' then
      perform private.fail('22023', 'errors.comment_not_editable');
    end if;
  else
    perform private.fail('22023', 'errors.invalid_choice', 'state');
  end if;
  if p_body is not null then
    if v_c.state <> 'visible' then
      perform private.fail('22023', 'errors.comment_not_editable');
    end if;
    if v_c.created_at < now() - interval '15 minutes' then
      perform private.fail('22023', 'errors.edit_window_passed');
    end if;
    insert into public.comment_revisions (comment_id, body) values (v_c.id, v_c.body);
    update public.comments set body = p_body, edited_at = now() where id = p_comment_id;
  end if;
  if p_state = 'deleted' then
    insert into public.comment_revisions (comment_id, body) select id, body from public.comments where id = p_comment_id and body is not null;
    update public.comments set state = 'deleted', body = null where id = p_comment_id;
  elsif p_state is not null then
    update public.comments set state = p_state, moderation_reason = nullif(trim(p_reason), ''), moderated_by = v_uid
    where id = p_comment_id;
    perform private.notify(array[v_c.author_id], 'comment_moderated', v_c.issue_id,
      jsonb_build_object('hidden', p_state = 'hidden', 'reason', trim(p_reason)));
  end if;
end
$$;

/** Edits one's own comment within 15 minutes; the earlier text is kept in comment_revisions. */
create or replace function public.edit_comment(p_comment_id uuid, p_body text) returns jsonb
language plpgsql set search_path = '' as $$
begin
  perform private.require_user();
  if coalesce(trim(p_body), '') = '' or char_length(p_body) > 2000 then
    perform private.fail('22023', 'errors.comment_invalid', 'body');
  end if;
  perform private.write_comment(p_comment_id, trim(p_body), null, null, null);
  return jsonb_build_object('id', p_comment_id);
end
$$;

/** Deletes one's own comment: it stays in place as "deleted", without its text. */
create or replace function public.delete_comment(p_comment_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
begin
  perform private.require_user();
  perform private.write_comment(p_comment_id, null, 'deleted', null, null);
  return jsonb_build_object('id', p_comment_id);
end
$$;

/** Moderators hide a comment or restore it, with a reason its author sees. */
create or replace function public.moderate_comment(p_comment_id uuid, p_hide boolean, p_reason text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
begin
  if coalesce(trim(p_reason), '') = '' or char_length(p_reason) > 300 then
    -- An unknown comment or one the caller does not moderate is "not found" before the reason is looked at.
    if not exists (select 1 from public.comments c where c.id = p_comment_id
                   and private.moderates_estate(private.issue_estate(c.issue_id))) then
      perform private.fail('P0002', 'errors.comment_not_found');
    end if;
    perform private.fail('22023', 'errors.reason_required', 'reason');
  end if;
  perform private.write_comment(p_comment_id, null, case when p_hide then 'hidden' else 'visible' end, p_reason, v_uid);
  return jsonb_build_object('state', case when p_hide then 'hidden' else 'visible' end);
end
$$;

-- ----------------------------------------------------------------------------
-- Estate settings.
-- ----------------------------------------------------------------------------

/** Writes the issue settings of an estate, for its managers. Security definer: only administrators may update estates directly. */
create or replace function private.write_estate_settings(p_estate_id uuid, p_board_public boolean, p_support_threshold integer) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not private.manages_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  update public.estates set board_public = p_board_public, support_threshold = p_support_threshold where id = p_estate_id;
end
$$;

-- ----------------------------------------------------------------------------
-- Votes.
-- ----------------------------------------------------------------------------

/**
 * Brings a vote up to date with the clock (see create_vote_api), for a caller
 * who may read it, or for the sweep (no signed-in caller). Returns the vote
 * as it now is; a vote the caller may not read is not found.
 */
create or replace function private.advance_vote(p_vote_id uuid) returns public.votes
language plpgsql security definer set search_path = '' as $$
declare
  v public.votes;
begin
  select * into v from public.votes where id = p_vote_id;
  if v.id is null or (auth.uid() is not null and not (v.estate_id = any(private.readable_estates()))) then
    perform private.fail('P0002', 'errors.vote_not_found');
  end if;
  if v.status = 'scheduled' and v.opens_at <= now() then
    perform private.open_vote_now(v.id);
    select * into v from public.votes where id = p_vote_id;
  end if;
  if v.status = 'open' and v.closes_at <= now() then
    perform private.close_vote_now(v.id, null);
    select * into v from public.votes where id = p_vote_id;
  end if;
  return v;
end
$$;

/**
 * Opens and closes the votes the clock has moved on, of one estate the
 * caller may read, or (null, the sweep only) of all. Returns how many.
 */
create or replace function private.advance_due_votes(p_estate_id uuid) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid;
  v_count integer := 0;
begin
  if auth.uid() is not null and (p_estate_id is null or not (p_estate_id = any(private.readable_estates()))) then
    return 0;
  end if;
  for v_id in select id from public.votes
    where (p_estate_id is null or estate_id = p_estate_id)
      and ((status = 'scheduled' and opens_at <= now()) or (status = 'open' and closes_at <= now()))
  loop
    perform private.advance_vote(v_id);
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;

/** Closes a vote before its time for the committee of its estate, once everyone has voted (close_vote_now checks that). */
create function private.close_vote_early(p_vote_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_estate uuid;
begin
  select estate_id into v_estate from public.votes where id = p_vote_id;
  if v_estate is null or not private.manages_estate(v_estate) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  perform private.close_vote_now(p_vote_id, v_uid, true);
end
$$;
revoke all on function private.close_vote_early(uuid) from public;
grant execute on function private.close_vote_early(uuid) to authenticated, service_role;

/**
 * Closes a vote before its closing time (committee), allowed once every
 * elector has voted. After the closing time anyone's access closes it.
 */
create or replace function public.close_vote(p_vote_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v public.votes;
begin
  perform private.require_user();
  v := private.find_vote(p_vote_id);
  if not private.manages_estate(v.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  perform private.require_open(v);
  perform private.close_vote_early(p_vote_id);
  return jsonb_build_object('id', p_vote_id, 'status', 'closed',
    'outcome', (select outcome from public.vote_results where vote_id = p_vote_id));
end
$$;

drop function private.create_vote(public.votes, text[]);

/**
 * Sets up a vote (see public.open_vote). Security definer: votes and their
 * options have no write grant. Everything it writes comes from its own
 * checks: the caller manages the issue's estate, the issue is in a status
 * the lifecycle table lets a vote open from, and every argument is in range.
 */
create function private.open_vote(p_issue_id uuid, p_question text, p_kind text, p_closes_at timestamptz,
  p_description text, p_matter smallint, p_rule text, p_electorate_kind text, p_scope_area_id uuid, p_options text[],
  p_max_choices smallint, p_opens_at timestamptz, p_secret boolean, p_live_results boolean, p_quorum_percent smallint) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_issue public.issues;
  v_id uuid := gen_random_uuid();
  v_opens timestamptz := coalesce(p_opens_at, now());
  v_rule text;
  v_options text[] := array(select trim(o) from unnest(coalesce(p_options, '{}')) o where trim(o) <> '');
  v_secret boolean;
  v public.votes;
begin
  select * into v_issue from public.issues where id = p_issue_id and estate_id = any(private.readable_estates());
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  if not private.manages_estate(v_issue.estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  -- Two committee members opening a vote at once take turns; the second sees the first's vote.
  perform private.lock_issues(array[p_issue_id]);
  select * into v_issue from public.issues where id = p_issue_id;
  if not exists (select 1 from public.issue_transitions t where t.action = 'open_vote' and t.from_status = v_issue.status) then
    perform private.fail('22023', 'errors.issue_not_ready_for_vote');
  end if;
  if exists (select 1 from public.votes where issue_id = p_issue_id and status <> 'closed') then
    perform private.fail('22023', 'errors.vote_already_open');
  end if;
  if coalesce(trim(p_question), '') = '' then
    perform private.fail('22023', 'errors.required', 'question');
  end if;
  if char_length(trim(p_question)) > 200 then
    perform private.fail('22023', 'errors.too_long', 'question');
  end if;
  if char_length(coalesce(p_description, '')) > 2000 then
    perform private.fail('22023', 'errors.too_long', 'description');
  end if;
  if p_kind is null or p_kind not in ('consultative', 'owners') then
    perform private.fail('22023', 'errors.vote_kind_unknown', 'kind');
  end if;
  if p_scope_area_id is not null and not exists (select 1 from public.areas a where a.id = p_scope_area_id
      and a.estate_id = v_issue.estate_id and a.kind in ('courtyard', 'building')) then
    perform private.fail('22023', 'errors.area_not_in_estate', 'scope_area_id');
  end if;
  if p_closes_at is null then
    perform private.fail('22023', 'errors.required', 'closes_at');
  end if;
  if v_opens < now() - interval '5 minutes' then
    perform private.fail('22023', 'errors.vote_opens_in_past', 'opens_at');
  end if;
  if p_closes_at < v_opens + interval '1 hour' then
    perform private.fail('22023', 'errors.vote_too_short', 'closes_at');
  end if;
  if p_closes_at > v_opens + interval '90 days' then
    perform private.fail('22023', 'errors.vote_too_long', 'closes_at');
  end if;

  if p_kind = 'owners' then
    if p_matter is null or p_matter not between 1 and 9 then
      perform private.fail('22023', 'errors.vote_matter_required', 'matter');
    end if;
    if cardinality(v_options) > 0 then
      perform private.fail('22023', 'errors.vote_owners_options', 'options');
    end if;
    if coalesce(p_live_results, false) then
      perform private.fail('22023', 'errors.vote_live_consultative_only', 'live_results');
    end if;
    v_rule := case when p_matter in (6, 7, 8) then 'owners_special' else 'owners_ordinary' end;
    v_secret := coalesce(p_secret, true);
  else
    if p_matter is not null then
      perform private.fail('22023', 'errors.vote_matter_owners_only', 'matter');
    end if;
    if coalesce(p_electorate_kind, 'residents') not in ('residents', 'households') then
      perform private.fail('22023', 'errors.vote_electorate_unknown', 'electorate_kind');
    end if;
    if cardinality(v_options) > 0 then
      if cardinality(v_options) not between 2 and 20 then
        perform private.fail('22023', 'errors.vote_options_count', 'options');
      end if;
      if exists (select 1 from unnest(v_options) o where char_length(o) > 100) then
        perform private.fail('22023', 'errors.too_long', 'options');
      end if;
      if (select count(distinct o) from unnest(v_options) o) <> cardinality(v_options) then
        perform private.fail('22023', 'errors.vote_options_repeated', 'options');
      end if;
      v_rule := 'plurality';
    else
      v_rule := coalesce(p_rule, 'more_yes');
      if v_rule not in ('more_yes', 'majority_cast', 'residents_meeting') then
        perform private.fail('22023', 'errors.vote_rule_unknown', 'rule');
      end if;
    end if;
    v_secret := coalesce(p_secret, false);
    if coalesce(p_live_results, false) and v_secret then
      perform private.fail('22023', 'errors.vote_live_not_secret', 'live_results');
    end if;
  end if;
  if coalesce(p_max_choices, 1) < 1 or coalesce(p_max_choices, 1) > greatest(cardinality(v_options), 1)
     or (coalesce(p_max_choices, 1) > 1 and v_rule <> 'plurality') then
    perform private.fail('22023', 'errors.vote_max_choices', 'max_choices');
  end if;
  if p_quorum_percent is not null and (p_quorum_percent not between 1 and 100
     or v_rule not in ('more_yes', 'majority_cast', 'plurality')) then
    perform private.fail('22023', 'errors.vote_quorum', 'quorum_percent');
  end if;

  insert into public.votes (id, estate_id, issue_id, question, description, kind, matter, rule, electorate_kind,
    scope_area_id, max_choices, quorum_percent, secret, live_results, opens_at, closes_at, created_by)
  values (v_id, v_issue.estate_id, p_issue_id, trim(p_question), coalesce(trim(p_description), ''), p_kind, p_matter, v_rule,
    case when p_kind = 'owners' then 'units' else coalesce(p_electorate_kind, 'residents') end,
    p_scope_area_id, coalesce(p_max_choices, 1), p_quorum_percent, v_secret, coalesce(p_live_results, false),
    v_opens, p_closes_at, v_uid);
  if cardinality(v_options) > 0 then
    insert into public.vote_options (vote_id, position, role, label)
    select v_id, n, 'custom', o from unnest(v_options) with ordinality as x(o, n);
  else
    insert into public.vote_options (vote_id, position, role) values (v_id, 1, 'yes'), (v_id, 2, 'no'), (v_id, 3, 'abstain');
  end if;
  v := private.advance_vote(v_id);
  return jsonb_build_object('id', v_id, 'status', v.status);
end
$$;
revoke all on function private.open_vote(uuid, text, text, timestamptz, text, smallint, text, text, uuid, text[], smallint,
  timestamptz, boolean, boolean, smallint) from public;
grant execute on function private.open_vote(uuid, text, text, timestamptz, text, smallint, text, text, uuid, text[], smallint,
  timestamptz, boolean, boolean, smallint) to authenticated, service_role;

/**
 * Sets up a vote on an issue the lifecycle table lets a vote open from
 * (accepted or deliberating; committee). Owners' decisions take the art. 278
 * matter (1–9); matters 6–8 need three quarters, the others more than half;
 * their options are yes / no / abstain and they are secret unless p_secret
 * is false. Consultative votes take a rule (more_yes, majority_cast,
 * residents_meeting) for yes / no / abstain, or custom options (2–20,
 * decided by the most votes) with up to p_max_choices choices. Opens now
 * when p_opens_at is null or past, else at p_opens_at.
 */
create or replace function public.open_vote(p_issue_id uuid, p_question text, p_kind text, p_closes_at timestamptz,
  p_description text default '', p_matter smallint default null, p_rule text default null,
  p_electorate_kind text default null, p_scope_area_id uuid default null, p_options text[] default null,
  p_max_choices smallint default 1, p_opens_at timestamptz default null, p_secret boolean default null,
  p_live_results boolean default false, p_quorum_percent smallint default null) returns jsonb
language sql set search_path = '' as $$
  select private.open_vote(p_issue_id, p_question, p_kind, p_closes_at, p_description, p_matter, p_rule, p_electorate_kind,
    p_scope_area_id, p_options, p_max_choices, p_opens_at, p_secret, p_live_results, p_quorum_percent)
$$;
