import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { createUser, seedIssues, seedWorld, type Person, type World } from './fixtures';

/**
 * The integrity of decisions, as an official could attack it: the unit
 * register and owner links during an open owners' vote, votes with nobody in
 * them, what a vote that decides nothing does to its issue, memberships
 * written around the functions, two requests to join at once, and the audit
 * log that traces all of it. On the world of fixtures.ts; in estate A:
 *   1栋/1/101 90.5 m²  张三 (= resident)      1栋/1/102 88 m²  李四
 *   1栋/1/201 120.25 m² 张三 + 李四            2栋//101 75 m²   李四
 *   2栋//102 60 m²  the developer
 */

type Json = Record<string, unknown>;
const inDays = (d: number) => new Date(Date.now() + d * 86400_000).toISOString();

describe.each(DATABASES)('integrity of decisions on %s', (name) => {
	let db: TestDb;
	let w: World;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		await seedIssues(db, w);
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const call = <T = Json>(fn: string, args: Json, caller: Caller) => db.backend.call<T>(fn, args, caller);
	const q = <T = Json>(sql: string, params: unknown[] = []) => db.sql.query<T>(sql, params);

	/** Runs one statement directly against the tables as a signed-in user, as PostgREST would. */
	async function asUserSql(userId: string, sql: string, params: unknown[] = []) {
		return db.sql.transaction(async (tx) => {
			await tx.query('set local role authenticated');
			await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })]);
			return tx.query(sql, params);
		});
	}

	/** The register, owner links, memberships and the audit log: a refused call changes none of them. */
	async function register() {
		return q(
			`select (select string_agg(id || ':' || floor_area || ':' || developer_held, ',' order by id) from public.units) as units,
			        (select string_agg(id || ':' || name || ':' || coalesce(user_id::text, '-'), ',' order by id) from public.owners) as owners,
			        (select string_agg(unit_id || ':' || owner_id, ',' order by unit_id, owner_id) from public.unit_owners) as links,
			        (select string_agg(id || ':' || status || ':' || array_to_string(roles, '/'), ',' order by id) from public.memberships) as memberships,
			        (select count(*) from public.votes)::int as votes, (select count(*) from public.audit_log)::int as audit`
		);
	}
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await register();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await register()).toEqual(before);
	}

	let serial = 0;
	async function acceptedIssue(areaId = w.a.courtyardId) {
		serial += 1;
		const [{ id }] = await q<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
			 values ($1, $2, $3, $4, '说明', 'facilities', 'accepted') returning id::text`,
			[w.a.id, areaId, w.users.resident, `完整性议题${serial}`]
		);
		return id;
	}
	async function openVote(over: Json = {}) {
		const issue = await acceptedIssue();
		const { id } = await call<{ id: string }>(
			'open_vote',
			{ p_issue_id: issue, p_question: '是否同意更换电梯？', p_kind: 'owners', p_matter: 4, p_closes_at: inDays(7), ...over },
			as('committee')
		);
		return { id, issue };
	}
	async function closeByClock(voteId: string) {
		await q(`update public.votes set opens_at = now() - interval '2 days', closes_at = now() - interval '1 second' where id = $1`, [voteId]);
		await q('select public.close_due_votes()');
	}
	/** The audit rows written since the mark, as "action" per row, in order. */
	async function auditSince(mark: number) {
		return q<{ action: string; actor_id: string | null; label: string; before: Json | null; after: Json | null; vote_ids: string[] }>(
			'select action, actor_id::text, label, before, after, vote_ids::text[] from public.audit_log where id > $1 order by id',
			[mark]
		);
	}
	const mark = async () => (await q<{ n: number }>('select coalesce(max(id), 0)::int as n from public.audit_log'))[0].n;
	const row = (building: string, entrance: string, room: string, area: string, owners: string) => ({
		line: 2,
		building,
		entrance,
		room,
		floor_area: area,
		owners,
		developer_held: '否'
	});

	describe('the unit register and owner links during an open owners’ vote', () => {
		it('gives nobody a direct write on units, owners or unit owners: a committee member cannot take a unit’s ballot', async () => {
			for (const p of ['committee', 'admin'] as const) {
				for (const sql of [
					`update public.owners set user_id = '${w.users[p]}' where id = '${w.a.owners['李四']}'`,
					`update public.units set floor_area = 500 where id = '${w.a.units['1栋/1/102']}'`,
					`insert into public.unit_owners (unit_id, owner_id) values ('${w.a.units['2栋//102']}', '${w.a.owners['张三']}')`,
					`delete from public.unit_owners where unit_id = '${w.a.units['1栋/1/102']}'`
				]) {
					await refused(() => asUserSql(w.users[p], sql), { code: '42501' });
				}
			}
			const { id } = await openVote();
			await expect(call('cast_ballot', { p_vote_id: id, p_choice: [1], p_unit_id: w.a.units['1栋/1/102'] }, as('committee'))).rejects.toMatchObject({
				key: 'errors.not_your_unit'
			});
			await closeByClock(id);
		});

		it('refuses import_units changes to homes in the vote, to the committee and administrators alike, and writes nothing', async () => {
			const { id } = await openVote();
			for (const p of ['committee', 'admin'] as const) {
				await refused(() => call('import_units', { p_estate_id: w.a.id, p_rows: [row('1栋', '1', '101', '200', '张三')] }, as(p)), {
					code: '22023',
					key: 'errors.register_in_open_vote',
					field: 'file'
				});
				// The owners too: the file gives 1栋/1/102 another owner.
				await refused(() => call('import_units', { p_estate_id: w.a.id, p_rows: [row('1栋', '1', '102', '88', '张三')] }, as(p)), {
					key: 'errors.register_in_open_vote'
				});
			}
			// The same data again changes nothing and is not refused; a new home outside the frozen electorate may be added.
			await expect(
				call('import_units', { p_estate_id: w.a.id, p_rows: [row('1栋', '1', '101', '90.5', '张三'), { ...row('1栋', '1', '301', '70', '王新'), line: 3 }] }, as('committee'))
			).resolves.toMatchObject({ ok: true, inserted: 1, updated: 1 });
			// Once the vote has closed the register may change again.
			await closeByClock(id);
			await expect(call('import_units', { p_estate_id: w.a.id, p_rows: [row('1栋', '1', '301', '72', '王新')] }, as('committee'))).resolves.toMatchObject({
				ok: true,
				updated: 1
			});
		});

		it('keeps a unit’s vote with its owner: only an administrator may change an owner link, and the vote shows it to the committee', async () => {
			const { id } = await openVote();
			// The brief's attack: unlink the real owner, then link the unit's owner record to a tenant's account.
			await refused(() => call('link_owner', { p_membership_id: w.memberships.resident, p_owner_id: null }, as('committee')), {
				code: '42501',
				key: 'errors.owner_link_in_open_vote',
				field: 'owner_id'
			});
			await refused(() => call('link_owner', { p_membership_id: w.memberships.volunteer, p_owner_id: w.a.owners['李四'] }, as('committee')), {
				key: 'errors.owner_link_in_open_vote'
			});
			// The real owner still votes.
			await expect(call('cast_ballot', { p_vote_id: id, p_choice: [1], p_unit_id: w.a.units['1栋/1/101'] }, as('resident'))).resolves.toMatchObject({
				replaced: false
			});
			const before = await mark();
			await call('link_owner', { p_membership_id: w.memberships.volunteer, p_owner_id: w.a.owners['李四'] }, as('admin'));
			const rows = await auditSince(before);
			expect(rows.map((r) => r.action)).toEqual(['owner.linked', 'member.roles']);
			expect(rows[0]).toMatchObject({ actor_id: w.users.admin, label: '李四', before: { user_id: null, user_name: null }, after: { user_name: 'volunteer' } });
			expect(rows[0].vote_ids).toContain(id);
			const flagged = await call<{ register_changes: Json[] }>('vote_detail', { p_vote_id: id }, as('committee'));
			expect(flagged.register_changes).toEqual([
				{ at: expect.any(String), action: 'owner.linked', label: '李四', from: null, to: 'volunteer', actor: 'admin' }
			]);
			// Only the committee sees the list.
			expect((await call<Json>('vote_detail', { p_vote_id: id }, as('resident'))).register_changes).toBeNull();
			await closeByClock(id);
			await call('link_owner', { p_membership_id: w.memberships.volunteer, p_owner_id: null }, as('committee'));
		});

		it('refuses the database owner too: the register under an open vote is nobody’s to change', async () => {
			const { id } = await openVote();
			await expect(q('update public.owners set name = $2 where id = $1', [w.a.owners['李四'], '李四四'])).rejects.toThrow('errors.owner_in_open_vote');
			await expect(q('delete from public.units where id = $1', [w.a.units['2栋//102']])).rejects.toThrow('errors.register_in_open_vote');
			await expect(q('update public.owners set user_id = null where id = $1', [w.a.owners['张三']])).rejects.toThrow('errors.owner_link_in_open_vote');
			await closeByClock(id);
		});

		it('keeps the register’s history: who changed what, when, before and after', async () => {
			const before = await mark();
			await call('import_units', { p_estate_id: w.a.id, p_rows: [row('2栋', '', '101', '76.5', '李四;张三')] }, as('committee'));
			const rows = await auditSince(before);
			expect(rows.map((r) => [r.action, r.label, r.before, r.after])).toEqual([
				['unit.changed', '2栋 101', { floor_area: 75 }, { floor_area: 76.5 }],
				['unit_owner.added', '2栋 101', null, { unit: '2栋 101', owner: '张三' }]
			]);
			expect(rows.every((r) => r.actor_id === w.users.committee)).toBe(true);
			await call('import_units', { p_estate_id: w.a.id, p_rows: [row('2栋', '', '101', '75', '李四')] }, as('committee'));
		});
	});

	describe('a vote with nobody in it', () => {
		it('refuses a scope without homes or residents, now or scheduled, and writes nothing', async () => {
			const [{ id: empty }] = await q<{ id: string }>(
				`insert into public.areas (estate_id, parent_id, kind, name) values ($1, $2, 'building', '9栋') returning id::text`,
				[w.a.id, w.a.courtyardId]
			);
			const issue = await acceptedIssue();
			const base = { p_issue_id: issue, p_question: '九栋加装电梯？', p_closes_at: inDays(7), p_scope_area_id: empty };
			for (const [args, key] of [
				[{ p_kind: 'owners', p_matter: 4 }, 'errors.vote_scope_no_units'],
				[{ p_kind: 'owners', p_matter: 4, p_opens_at: inDays(1), p_closes_at: inDays(8) }, 'errors.vote_scope_no_units'],
				[{ p_kind: 'consultative' }, 'errors.vote_scope_no_residents'],
				[{ p_kind: 'consultative', p_electorate_kind: 'households' }, 'errors.vote_scope_no_households']
			] as const) {
				await refused(() => call('open_vote', { ...base, ...args }, as('committee')), { code: '22023', key, field: 'scope_area_id' });
			}
			expect((await q<{ status: string }>('select status from public.issues where id = $1', [issue]))[0].status).toBe('accepted');
		});
	});

	describe('what a vote that decides nothing does to its issue', () => {
		const timeline = async (issue: string) =>
			(await q<{ action: string; to_status: string }>(`select action, to_status from public.issue_events where issue_id = $1 and kind = 'transition' order by id`, [issue])).map(
				(e) => `${e.action}→${e.to_status}`
			);

		it('an invalid vote leaves the issue undecided and open for a new vote; a failed one rejects it', async () => {
			const { id, issue } = await openVote();
			await closeByClock(id);
			expect((await q<{ outcome: string }>('select outcome from public.vote_results where vote_id = $1', [id]))[0].outcome).toBe('invalid');
			expect(await timeline(issue)).toEqual(['open_vote→voting', 'vote_invalid→undecided']);
			const open = (await q<{ open: boolean }>('select status = any(public.open_issue_statuses()) as open from public.issues where id = $1', [issue]))[0];
			expect(open.open).toBe(true);
			// The committee may hold a new vote, or take the issue back to deliberation; a vote's own steps are not theirs.
			const actions = await call<Array<{ action: string }>>('issue_actions', { p_issue_id: issue }, as('committee'));
			expect(actions.map((a) => a.action)).toEqual(['deliberate', 'follow_up']);
			const setup = await call<{ allowed: boolean }>('vote_setup', { p_issue_id: issue }, as('committee'));
			expect(setup.allowed).toBe(true);
			const again = await call<{ id: string }>(
				'open_vote',
				{ p_issue_id: issue, p_question: '再次表决：是否同意更换电梯？', p_kind: 'owners', p_matter: 4, p_closes_at: inDays(7) },
				as('committee')
			);
			await expect(call('transition_issue', { p_issue_id: issue, p_action: 'vote_passed' }, as('committee'))).rejects.toMatchObject({ key: 'errors.forbidden' });
			// Every home votes no: the vote failed, and rejected is rejected.
			for (const [unit, ref] of Object.entries(w.a.units).map(([label, u], n) => [u, `NO-${n}-${label}`])) {
				await call('record_paper_ballot', { p_vote_id: again.id, p_unit_id: unit, p_choice: [2], p_paper_ref: ref.slice(0, 40) }, as('moderator'));
			}
			await closeByClock(again.id);
			expect(await timeline(issue)).toEqual(['open_vote→voting', 'vote_invalid→undecided', 'open_vote→voting', 'vote_failed→rejected']);
			await expect(
				call('open_vote', { p_issue_id: issue, p_question: '第三次？', p_kind: 'owners', p_matter: 4, p_closes_at: inDays(7) }, as('committee'))
			).rejects.toMatchObject({ key: 'errors.issue_not_ready_for_vote' });
		});

		it('a tie leaves the issue undecided, with a timeline entry that says so', async () => {
			const issue = await acceptedIssue();
			const { id } = await call<{ id: string }>(
				'open_vote',
				{ p_issue_id: issue, p_question: '活动室周几开放？', p_kind: 'consultative', p_options: ['周六', '周日'], p_closes_at: inDays(7) },
				as('committee')
			);
			await call('cast_ballot', { p_vote_id: id, p_choice: [1] }, as('resident'));
			await call('cast_ballot', { p_vote_id: id, p_choice: [2] }, as('moderator'));
			await closeByClock(id);
			expect(await timeline(issue)).toEqual(['open_vote→voting', 'vote_tied→undecided']);
			const d = await call<{ issue: { status: string }; timeline: Array<{ action: string; actor: string | null }> }>('issue_detail', { p_issue_id: issue }, as('resident'));
			expect(d.issue.status).toBe('undecided');
			expect(d.timeline.at(-1)).toMatchObject({ action: 'vote_tied', to: 'undecided', actor: null });
		});
	});

	describe('memberships through the functions only', () => {
		it('refuses a committee member who makes someone a verified member by a direct insert', async () => {
			const stranger = await createUser(db, '陌生人');
			await refused(
				() =>
					asUserSql(w.users.committee, `insert into public.memberships (estate_id, user_id, status, roles) values ($1, $2, 'verified', '{moderator}')`, [
						w.a.id,
						stranger
					]),
				{ code: '42501' }
			);
			// Nor through enrol_member: only fresh assisted accounts are enrolled.
			await refused(() => call('enrol_member', { p_estate_id: w.a.id, p_user_id: stranger, p_unit_id: null }, as('committee')), {
				key: 'errors.not_assisted_account'
			});
			// Nor by changing or removing memberships directly.
			await refused(() => asUserSql(w.users.committee, `update public.memberships set status = 'verified' where id = $1`, [w.memberships.pending]), {
				code: '42501'
			});
			await refused(() => asUserSql(w.users.committee, `delete from public.memberships where id = $1`, [w.memberships.resident]), { code: '42501' });
		});

		it('still limits what a committee member grants, now that the functions write as their definer', async () => {
			await refused(() => call('set_member_roles', { p_membership_id: w.memberships.volunteer, p_roles: ['committee'] }, as('committee')), {
				key: 'errors.role_not_grantable'
			});
			await refused(() => call('set_member_roles', { p_membership_id: w.memberships.committee, p_roles: ['committee', 'moderator'] }, as('committee')), {
				key: 'errors.role_not_grantable'
			});
		});

		it('answers two requests to join at once with errors.membership_exists, not the constraint', async () => {
			const me = await createUser(db, '双击的人');
			// The other request wins the race: it is written between this one's check and its insert.
			await q(`create function public.race_probe() returns trigger language plpgsql as $$
				begin
				  if pg_trigger_depth() = 1 and new.user_id = '${me}' then
				    insert into public.memberships (estate_id, user_id) values (new.estate_id, new.user_id);
				  end if;
				  return new;
				end $$`);
			await q('create trigger race_probe before insert on public.memberships for each row execute function public.race_probe()');
			try {
				await expect(
					call('request_membership', { p_estate_id: w.a.id, p_building_id: w.a.buildings['1栋'], p_entrance: '1', p_room: '101' }, { kind: 'user', userId: me })
				).rejects.toMatchObject({ code: '23505', key: 'errors.membership_exists' });
			} finally {
				await q('drop trigger race_probe on public.memberships');
				await q('drop function public.race_probe()');
			}
			// Truly at once, on a server with connections of its own: one wins, the other is told why.
			const other = await createUser(db, '双击的人二');
			const args = { p_estate_id: w.a.id, p_building_id: w.a.buildings['1栋'], p_entrance: '1', p_room: '102' };
			const results = await Promise.allSettled([0, 1, 2, 3].map(() => call('request_membership', args, { kind: 'user', userId: other })));
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ key: 'errors.membership_exists' });
		});
	});

	describe('the audit log', () => {
		it('leaves one row for each traced action, with who made it', async () => {
			const traced = async (action: () => Promise<unknown>) => {
				const m = await mark();
				await action();
				return (await auditSince(m)).map((r) => [r.action, r.actor_id === null ? null : Object.entries(w.users).find(([, id]) => id === r.actor_id)?.[0]]);
			};
			const applicant = await createUser(db, '新申请人');
			const req = await call<{ id: string }>('request_membership', { p_estate_id: w.a.id, p_building_id: w.a.buildings['2栋'], p_entrance: '', p_room: '101' }, {
				kind: 'user',
				userId: applicant
			});
			expect(await traced(() => call('decide_membership', { p_membership_id: req.id, p_verify: true }, as('committee')))).toEqual([['member.decided', 'committee']]);
			expect(await traced(() => call('set_member_roles', { p_membership_id: req.id, p_roles: ['volunteer'] }, as('committee')))).toEqual([
				['member.roles', 'committee']
			]);
			const assisted = await createUser(db, '没有手机的居民', { assisted: true });
			expect(await traced(() => call('enrol_member', { p_estate_id: w.a.id, p_user_id: assisted, p_unit_id: null }, as('committee')))).toEqual([
				['member.enrolled', 'committee']
			]);
			expect(await traced(() => call('save_issue_settings', { p_estate_id: w.a.id, p_board_public: false, p_support_threshold: 12 }, as('committee')))).toEqual([
				['board.settings', 'committee']
			]);
			const [{ id: proposed }] = await q<{ id: string }>(
				`insert into public.issues (estate_id, area_id, author_id, title, category) values ($1, $2, $3, '审计议题', 'other') returning id::text`,
				[w.a.id, w.a.courtyardId, w.users.resident]
			);
			expect(await traced(() => call('transition_issue', { p_issue_id: proposed, p_action: 'accept' }, as('committee')))).toEqual([['issue.status', 'committee']]);
			let vote = '';
			expect(
				await traced(async () => {
					vote = (await openVote()).id;
				})
			).toEqual([
				['vote.opened', 'committee'],
				['issue.status', 'committee']
			]);
			expect(await traced(() => closeByClock(vote))).toEqual([
				['vote.closed', null],
				['issue.status', null]
			]);
			expect(await traced(() => call('import_units', { p_estate_id: w.a.id, p_rows: [row('2栋', '', '102', '61', '开发商')] }, as('committee')))).toEqual([
				['unit.changed', 'committee']
			]);
			expect(await traced(() => call('link_owner', { p_membership_id: req.id, p_owner_id: w.a.owners['李四'] }, as('committee')))).toEqual([
				['owner.linked', 'committee'],
				['member.roles', 'committee']
			]);
			// Granting a role records the roles before and after.
			const [roles] = await q<{ before: Json; after: Json }>(`select before, after from public.audit_log where action = 'member.roles' order by id desc limit 1`);
			expect(roles).toEqual({ before: { roles: ['volunteer'] }, after: { roles: ['owner', 'volunteer'] } });
			await call('link_owner', { p_membership_id: req.id, p_owner_id: null }, as('committee'));
		});

		it('refuses every change to it, the table owner’s included', async () => {
			const before = await q('select count(*)::int as n, max(id)::int as last from public.audit_log');
			await expect(q(`update public.audit_log set label = '改过' where id = (select max(id) from public.audit_log)`)).rejects.toThrow('errors.audit_log_append_only');
			await expect(q('delete from public.audit_log where id = (select max(id) from public.audit_log)')).rejects.toThrow('errors.audit_log_append_only');
			await expect(q('truncate public.audit_log')).rejects.toThrow('errors.audit_log_append_only');
			for (const p of ['committee', 'admin'] as const) {
				await expect(asUserSql(w.users[p], `delete from public.audit_log where estate_id = $1`, [w.a.id])).rejects.toMatchObject({ code: '42501' });
				await expect(asUserSql(w.users[p], `update public.audit_log set label = 'x' where estate_id = $1`, [w.a.id])).rejects.toMatchObject({ code: '42501' });
			}
			expect(await q('select count(*)::int as n, max(id)::int as last from public.audit_log')).toEqual(before);
		});

		it('is read a page at a time by the estate’s committee and administrators only', async () => {
			const page = await call<{ entries: Array<Json & { id: number }>; next_before: number | null }>('estate_audit_log', { p_estate_id: w.a.id }, as('committee'));
			expect(page.entries).toHaveLength(50);
			expect(page.entries[0]).toMatchObject({ action: expect.any(String), at: expect.any(String) });
			expect(page.entries[0]).not.toHaveProperty('actor_id');
			expect(page.next_before).toBe(page.entries[49].id);
			const next = await call<{ entries: Array<{ id: number }> }>('estate_audit_log', { p_estate_id: w.a.id, p_before: page.next_before }, as('committee'));
			expect(next.entries.length).toBeGreaterThan(0);
			expect(next.entries.every((e) => e.id < page.next_before!)).toBe(true);
			// Actors are named to the committee: the committee's own entries say who.
			expect(page.entries.some((e) => e.actor === 'committee')).toBe(true);
			await expect(call('estate_audit_log', { p_estate_id: w.a.id }, as('admin'))).resolves.toMatchObject({ entries: expect.any(Array) });
			for (const p of ['resident', 'moderator', 'committeeB'] as const) {
				await expect(call('estate_audit_log', { p_estate_id: w.a.id }, as(p))).rejects.toMatchObject({ code: '42501', key: 'errors.forbidden' });
			}
		});
	});
});
