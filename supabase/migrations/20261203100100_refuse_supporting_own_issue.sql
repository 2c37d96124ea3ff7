-- ============================================================================
-- An author cannot support (附议) their own issue. Raising it already says
-- they want it; counting their support as well brought an issue one person
-- nearer the committee's threshold for nothing. support_issue refuses with a
-- message of its own, the supports policy refuses the direct insert, a merge
-- does not carry the target's author's support over, and supports authors
-- gave their own issues before are taken back (the count follows, by the
-- supports trigger).
-- ============================================================================

/** Supports (附议) an open issue: one per verified member, never the issue's author; a second support is refused. */
create or replace function public.support_issue(p_issue_id uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uid uuid := private.require_user();
  v_issue record;
begin
  -- Locked first, so that a decision taken at the same moment is seen here, not by the supports policy.
  perform private.lock_issues(array[p_issue_id]);
  select i.id, i.estate_id, i.status into v_issue from public.issues i where i.id = p_issue_id;
  if v_issue.id is null then
    perform private.fail('P0002', 'errors.issue_not_found');
  end if;
  if not (v_issue.estate_id = any(private.member_estates())) then
    perform private.fail('42501', 'errors.not_member');
  end if;
  if not (v_issue.status = any(private.open_statuses())) then
    perform private.fail('22023', 'errors.issue_closed');
  end if;
  if private.is_issue_author(p_issue_id) then
    perform private.fail('42501', 'errors.own_issue_support');
  end if;
  begin
    insert into public.issue_supports (issue_id, user_id) values (p_issue_id, v_uid);
  exception when unique_violation then
    perform private.fail('23505', 'errors.already_supported');
  end;
  return jsonb_build_object('support_count', (select support_count from public.issues where id = p_issue_id), 'supported', true);
end
$$;

drop policy "Members can support open issues of their estate" on public.issue_supports;
/** Members support open issues of their estate, as themselves, and not the ones they raised. */
create policy "Members can support open issues of their estate" on public.issue_supports for insert to authenticated
  with check (user_id = (select auth.uid()) and exists (select 1 from public.issues i where i.id = issue_id
    and i.estate_id = any(private.member_estates()) and i.status = any(private.open_statuses()))
    and not private.is_issue_author(issue_id));

/**
 * Copies the supports of a merged issue to the one it merged into, once per
 * person, leaving out the target's own author. Security definer: they are
 * other people's supports.
 */
create or replace function private.carry_supports(p_from uuid, p_to uuid) returns void
language sql security definer set search_path = '' as $$
  insert into public.issue_supports (issue_id, user_id, created_at)
  select p_to, s.user_id, s.created_at from public.issue_supports s
  where s.issue_id = p_from
    and s.user_id is distinct from (select i.author_id from public.issues i where i.id = p_to)
  order by s.created_at
  on conflict do nothing;
$$;

-- Supports given before this rule: authors' supports of their own issues.
delete from public.issue_supports s using public.issues i where i.id = s.issue_id and s.user_id = i.author_id;

/**
 * Up to 5 open issues of the estate whose titles look like the given one,
 * the same area first, then the most alike; `mine` marks the caller's own,
 * which the form offers no support button for. Likeness is shared character
 * pairs (see private.bigrams), which suits Chinese titles.
 */
create or replace function public.similar_issues(p_estate_id uuid, p_title text, p_area_id uuid default null) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_pairs text[] := private.bigrams(p_title);
begin
  if cardinality(v_pairs) < 2 then
    return '[]'::jsonb;
  end if;
  return (select coalesce(jsonb_agg(x || jsonb_build_object('mine', private.is_issue_author((x ->> 'id')::uuid)) order by same_area desc, score desc), '[]'::jsonb) from (
    select jsonb_build_object('id', i.id, 'title', i.title, 'status', i.status, 'support_count', i.support_count,
        'area', a.name, 'same_area', i.area_id is not distinct from p_area_id) as x,
      i.area_id is not distinct from p_area_id as same_area,
      private.bigram_similarity(i.title_bigrams, v_pairs) as score
    from public.issues i join public.areas a on a.id = i.area_id
    where i.estate_id = p_estate_id and i.title_bigrams && v_pairs
      and i.status = any(private.open_statuses())
      and private.bigram_similarity(i.title_bigrams, v_pairs) >= 0.2
    order by same_area desc, score desc limit 5) s);
end
$$;
