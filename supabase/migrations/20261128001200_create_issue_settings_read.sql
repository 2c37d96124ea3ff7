-- ============================================================================
-- The committee's issue settings form reads the current values.
-- ============================================================================

/** An estate's issue settings: whether the public may read its board, and the support threshold. */
create function public.issue_settings(p_estate_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  perform private.require_user();
  if not private.manages_estate(p_estate_id) then
    perform private.fail('42501', 'errors.forbidden');
  end if;
  return (select jsonb_build_object('board_public', board_public, 'support_threshold', support_threshold)
    from public.estates where id = p_estate_id);
end
$$;

revoke execute on function public.issue_settings(uuid) from public, anon;
grant execute on function public.issue_settings(uuid) to authenticated;
