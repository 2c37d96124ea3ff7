-- ============================================================================
-- Board search through an index. A search matches literally anywhere in an
-- issue's title or body (ILIKE), and that read the whole board: trigram
-- indexes need three characters, most Chinese words are two (长椅, 充电, 漏水),
-- and under row level security no index serves a condition that is not
-- leakproof (ILIKE, array containment), because such a condition may only run
-- on rows the policy has let through. So every issue's distinct character
-- pairs (title and body, as public.character_pairs splits them) are kept as
-- rows of issue_search_pairs, keyed (estate, pair, issue): equality is leakproof, so
-- the index serves a search under the table's policies, anon's on public
-- boards included, and the board keeps the literal ILIKE check for the few
-- issues that hold every pair of the words.
-- ============================================================================

create table public.issue_search_pairs (
  estate_id uuid not null references public.estates (id) on delete cascade,
  pair text not null,
  issue_id uuid not null references public.issues (id) on delete cascade,
  primary key (estate_id, pair, issue_id)
);
create index issue_search_pairs_issue_id_idx on public.issue_search_pairs (issue_id);
comment on table public.issue_search_pairs is
  'The distinct character pairs of each issue''s title and body, kept by private.on_issue_search_pairs, for the board''s search; readable by whoever may read the estate''s issues.';

alter table public.issue_search_pairs enable row level security;
revoke all on public.issue_search_pairs from anon, authenticated;
-- Read only: the trigger writes it, nobody else.
grant select on public.issue_search_pairs to anon, authenticated;

/** The pairs reveal no more than the issues themselves: the same readers as issues. */
create policy "Anyone can read search pairs of public boards" on public.issue_search_pairs for select to anon
  using (exists (select 1 from public.estates e where e.id = estate_id and e.board_public));
create policy "Readers of an estate's issues can read its search pairs" on public.issue_search_pairs for select to authenticated
  using (estate_id in (select unnest(private.readable_estates())));

/** Keeps issue_search_pairs as titles and bodies are written. Security definer: nobody has a write grant on it. */
create function private.on_issue_search_pairs() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' then
    if (new.title, new.body, new.estate_id) is not distinct from (old.title, old.body, old.estate_id) then
      return null;
    end if;
    delete from public.issue_search_pairs where issue_id = new.id;
  end if;
  insert into public.issue_search_pairs (estate_id, pair, issue_id)
  select distinct new.estate_id, p, new.id
  from unnest(public.character_pairs(new.title) || public.character_pairs(new.body)) p;
  return null;
end
$$;
revoke all on function private.on_issue_search_pairs() from public;
create trigger issues_search_pairs after insert or update of title, body, estate_id on public.issues
  for each row execute function private.on_issue_search_pairs();
