-- ============================================================================
-- The members page shows, beside each verified member with a unit, the owners
-- that the unit register names for it, so that the committee can link the
-- member to their owner record (link_owner) after checking their papers: a
-- linked owner casts the ballots of that owner's units in owners' decisions.
-- ============================================================================

create or replace function public.estate_members(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  if not private.manages_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return jsonb_build_object(
    'pending', coalesce((select jsonb_agg(jsonb_build_object(
        'id', m.id, 'name', p.display_name, 'unit', private.unit_label(m.unit_id), 'unit_note', m.unit_note,
        'claims_owner', m.claims_owner, 'created_at', m.created_at) order by m.created_at)
      from public.memberships m join public.profiles p on p.id = m.user_id
      where m.estate_id = p_estate_id and m.status = 'pending'), '[]'::jsonb),
    'members', coalesce((select jsonb_agg(jsonb_build_object(
        'id', m.id, 'user_id', m.user_id, 'name', p.display_name, 'unit', private.unit_label(m.unit_id),
        'roles', to_jsonb(m.roles), 'decided_at', m.decided_at,
        -- The owner record this member is linked to, wherever its units are.
        'owner', (select jsonb_build_object('id', o.id, 'name', o.name) from public.owners o
                  where o.estate_id = p_estate_id and o.user_id = m.user_id limit 1),
        -- The owners the register names for the member's own unit, to choose from.
        'unit_owners', coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name,
              'taken', o.user_id is not null and o.user_id <> m.user_id) order by o.name)
            from public.unit_owners uo join public.owners o on o.id = uo.owner_id
            where uo.unit_id = m.unit_id and not o.is_developer), '[]'::jsonb)
      ) order by p.display_name)
      from public.memberships m join public.profiles p on p.id = m.user_id
      where m.estate_id = p_estate_id and m.status = 'verified'), '[]'::jsonb),
    'units', (select count(*) from public.units where estate_id = p_estate_id),
    'can_grant', case when private.is_admin()
      then '["owner","volunteer","moderator","committee","party_member"]'::jsonb
      else '["owner","volunteer","moderator"]'::jsonb end
  );
end
$$;
