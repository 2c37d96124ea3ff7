-- ============================================================================
-- A vote's turnout on the live port: topic `vote:<id>`. Every ballot written
-- (cast online, entered from paper, changed) and every change of a vote's
-- status (opened, closed) announces the topic; its payload is the turnout bar
-- — homes, area and owners that took part, in counts only, never who voted
-- or what, so secret votes stay secret.
-- ============================================================================

/**
 * A vote's participation so far, whoever asks: the one query behind the
 * turnout bar, for private.turnout (which first checks that the caller may
 * read the vote) and for the live port's payload (computed once for all the
 * viewers the port let in). Security definer: ballots are not readable row by
 * row. Not executable by signed-in users.
 */
create function private.vote_participation(p_vote_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('status', v.status, 'electors', v.electors, 'owners_total', v.owners, 'area_total', v.total_area,
    'ballots', count(b.id), 'area', coalesce(sum(e.floor_area), 0), 'owners', count(distinct e.owner_key),
    'closes_at', v.closes_at)
  from public.votes v
  left join public.ballots b on b.vote_id = v.id and b.superseded_at is null
  left join public.vote_electorate e on e.id = b.elector_id and e.vote_id = p_vote_id
  where v.id = p_vote_id
  group by v.id
$$;
revoke all on function private.vote_participation(uuid) from public;
grant execute on function private.vote_participation(uuid) to service_role;

/** Participation so far, for a caller who may read the vote's estate: never a choice. Now one query with the live port's payload. */
create or replace function private.turnout(p_vote_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select private.vote_participation(v.id)
  from public.votes v
  where v.id = p_vote_id and v.estate_id = any(private.readable_estates())
$$;

/** Announces the turnout of every vote that got ballots in the statement: once per vote, not per ballot. */
create function private.announce_ballots() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_vote uuid;
begin
  for v_vote in select distinct vote_id from new_ballots loop
    perform private.live_changed('vote:' || v_vote);
  end loop;
  return null;
end
$$;
revoke all on function private.announce_ballots() from public;

create trigger ballots_announce after insert on public.ballots
  referencing new table as new_ballots
  for each statement execute function private.announce_ballots();

/** Announces a vote whose status changed (opened, closed): its viewers' bars and countdowns follow. */
create function private.announce_vote_status() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_vote uuid;
begin
  for v_vote in select n.id from new_votes n join old_votes o on o.id = n.id where n.status is distinct from o.status loop
    perform private.live_changed('vote:' || v_vote);
  end loop;
  return null;
end
$$;
revoke all on function private.announce_vote_status() from public;

create trigger votes_announce_status after update on public.votes
  referencing new table as new_votes old table as old_votes
  for each statement execute function private.announce_vote_status();
