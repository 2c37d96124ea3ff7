import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/backend/sql';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { createUser, seedIssues, seedPublications, seedVotes, seedWorld, type IssueWorld, type PublicationWorld, type VoteWorld, type World } from './fixtures';
import { seedMeetingRoom, type RoomWorld } from './meeting-fixtures';

/**
 * Every security definer function that anon or authenticated may execute,
 * called directly (as PostgREST would let anyone signed in try, were schema
 * private exposed) by a caller from another estate: committeeB, a committee
 * member of B, aimed at estate A. Each one refuses, or answers about the
 * caller only and reveals nothing of A. A definer function that appears
 * without a line here fails the test: say how it is called and what it gives.
 */

interface World3 {
	w: World;
	i: IssueWorld;
	v: VoteWorld;
	pu: PublicationWorld;
	/** A meeting in session in A (and one in B) with a motion in debate and a hand up. */
	mr: RoomWorld;
	assisted: string;
	receipt: string;
}

interface Case {
	/** The call, with $1… taken from params. */
	sql: string;
	params: (x: World3) => unknown[];
	/** 'refused': it raises; otherwise the json it must return. */
	expect: 'refused' | unknown;
}

const A_ROWS = JSON.stringify([{ line: 2, building: '1栋', entrance: '1', room: '101', floor_area: '1', owners: '外人', developer_held: '否' }]);

const CASES: Record<string, Case> = {
	'private.advance_due_votes(uuid)': { sql: 'private.advance_due_votes($1)', params: (x) => [x.w.a.id], expect: 0 },
	'private.advance_vote(uuid)': { sql: 'private.advance_vote($1)', params: (x) => [x.v.a.owners.id], expect: 'refused' },
	'private.amend_publication(uuid,text[],text)': { sql: `private.amend_publication($1, '{外人改写}', null)`, params: (x) => [x.pu.a.id], expect: 'refused' },
	'private.answer_objection(uuid,boolean,text)': { sql: `private.answer_objection($1, false, '外人驳回')`, params: (x) => [x.pu.a.objections.resident], expect: 'refused' },
	'private.ballot_conflicts(uuid)': { sql: 'private.ballot_conflicts($1)', params: (x) => [x.v.a.owners.id], expect: [] },
	'private.can_read_issues(uuid)': { sql: 'private.can_read_issues($1)', params: (x) => [x.w.a.id], expect: false },
	'private.close_vote_early(uuid)': { sql: 'private.close_vote_early($1)', params: (x) => [x.v.a.owners.id], expect: 'refused' },
	'private.comment_people(uuid,uuid[])': {
		sql: 'private.comment_people($1, $2::uuid[])',
		params: (x) => [x.i.a.bench, [x.i.a.comments.top, x.i.a.comments.reply, x.i.a.comments.hidden]],
		expect: {}
	},
	'private.compute_tally(uuid)': { sql: 'private.compute_tally($1)', params: (x) => [x.v.a.consult.id], expect: 'refused' },
	'private.decide_membership(uuid,boolean,text)': { sql: 'private.decide_membership($1, true, null)', params: (x) => [x.w.memberships.pending], expect: 'refused' },
	'private.electorate_entry(uuid,uuid,uuid)': {
		sql: '(select count(*) from private.electorate_entry($1, $2, null))',
		params: (x) => [x.v.a.owners.id, x.w.a.units['1栋/1/101']],
		expect: 0
	},
	'private.enrol_member(uuid,uuid,uuid)': { sql: 'private.enrol_member($1, $2, null)', params: (x) => [x.w.a.id, x.assisted], expect: 'refused' },
	'private.estate_numbers(uuid)': { sql: 'private.estate_numbers($1)', params: (x) => [x.w.a.id], expect: null },
	// About the caller only: B, where committeeB sits.
	'private.estates_with_role(text[])': { sql: `private.estates_with_role('{committee,moderator}')`, params: () => [], expect: 'B' },
	'private.import_units(uuid,jsonb)': { sql: 'private.import_units($1, $2::text::jsonb)', params: (x) => [x.w.a.id, A_ROWS], expect: 'refused' },
	'private.is_admin()': { sql: 'private.is_admin()', params: () => [], expect: false },
	'private.is_comment_author(uuid)': { sql: 'private.is_comment_author($1)', params: (x) => [x.i.a.comments.top], expect: false },
	'private.is_issue_author(uuid)': { sql: 'private.is_issue_author($1)', params: (x) => [x.i.a.bench], expect: false },
	'private.is_top_comment(uuid,uuid)': { sql: 'private.is_top_comment($1, $2)', params: (x) => [x.i.a.comments.top, x.i.a.bench], expect: false },
	'private.issue_estate(uuid)': { sql: 'private.issue_estate($1)', params: (x) => [x.i.a.bench], expect: null },
	'private.issue_people(uuid)': { sql: 'private.issue_people($1)', params: (x) => [x.i.a.bench], expect: null },
	'private.leave_estate(uuid)': { sql: 'private.leave_estate($1)', params: (x) => [x.w.a.id], expect: 'refused' },
	'private.link_owner(uuid,uuid)': { sql: 'private.link_owner($1, null)', params: (x) => [x.w.memberships.resident], expect: 'refused' },
	// Locks only issues the caller may read: none of A's (the lock itself is checked in issues.test.ts).
	'private.lock_issues(uuid[])': { sql: 'private.lock_issues($1::uuid[])::text', params: (x) => [[x.i.a.bench]], expect: '' },
	'private.managed_estates()': { sql: 'private.managed_estates()', params: () => [], expect: 'B' },
	'private.manages_estate(uuid)': { sql: 'private.manages_estate($1)', params: (x) => [x.w.a.id], expect: false },
	'private.member_estates()': { sql: 'private.member_estates()', params: () => [], expect: 'B' },
	'private.moderates_estate(uuid)': { sql: 'private.moderates_estate($1)', params: (x) => [x.w.a.id], expect: false },
	'private.my_ballots(uuid)': { sql: 'private.my_ballots($1)', params: (x) => [x.v.a.owners.id], expect: [] },
	'private.my_electors(uuid)': { sql: '(select count(*) from private.my_electors($1))', params: (x) => [x.v.a.owners.id], expect: 0 },
	'private.my_issue_ids(uuid)': { sql: 'private.my_issue_ids($1)', params: (x) => [x.w.a.id], expect: [] },
	'private.object_to_publication(uuid,integer,text)': { sql: `private.object_to_publication($1, 1, '外人异议')`, params: (x) => [x.pu.a.id], expect: 'refused' },
	// About the caller only: none of A's objections are theirs, and no names.
	'private.objection_people(uuid)': { sql: 'private.objection_people($1)', params: (x) => [x.pu.a.id], expect: { mine: [], names: {} } },
	'private.open_vote(uuid,text,text,timestamp with time zone,text,smallint,text,text,uuid,text[],smallint,timestamp with time zone,boolean,boolean,smallint)': {
		sql: `private.open_vote($1, '外人发起的表决', 'consultative', now() + interval '2 days', '', null, null, null, null, null, 1::smallint, null, null, false, null)`,
		params: (x) => [x.i.a.hotline],
		expect: 'refused'
	},
	'private.people_names(uuid,uuid[])': { sql: 'private.people_names($1, $2::uuid[])', params: (x) => [x.w.a.id, [x.w.users.resident, x.w.users.committee]], expect: {} },
	'private.publish_decision(uuid,text,text[],integer)': { sql: `private.publish_decision($1, '外人公示', '{外人}', 7)`, params: (x) => [x.v.a.owners.issue], expect: 'refused' },
	'private.readable_estates()': { sql: 'private.readable_estates()', params: () => [], expect: 'B' },
	'private.receipt_status(uuid,text)': { sql: 'private.receipt_status($1, $2)', params: (x) => [x.v.a.owners.id, x.receipt], expect: null },
	// Anyone signed in may ask to join any estate: for themself, pending, nothing else (checked below).
	'private.request_membership(uuid,uuid,text,text,boolean)': {
		sql: `private.request_membership($1, $2, '1', '101', true) ->> 'status'`,
		params: (x) => [x.w.a.id, x.w.a.buildings['1栋']],
		expect: 'pending'
	},
	// Settles only estates the caller may read: none of A's.
	'private.settle_due_publications(uuid)': { sql: 'private.settle_due_publications($1)', params: (x) => [x.w.a.id], expect: 0 },
	// The meeting room: every step refuses a caller from another estate (its meeting is not found for them).
	'private.add_speaker(uuid,uuid,text)': { sql: `private.add_speaker($1, $2, 'for')`, params: (x) => [x.mr.a.motion, x.mr.a.att.resident], expect: 'refused' },
	'private.close_debate(uuid,integer,integer)': { sql: 'private.close_debate($1, 9, 0)', params: (x) => [x.mr.a.motion], expect: 'refused' },
	'private.close_meeting(uuid)': { sql: 'private.close_meeting($1)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.end_speech(uuid)': { sql: 'private.end_speech($1)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.extend_speech(uuid,integer)': { sql: 'private.extend_speech($1, 60)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.give_floor(uuid)': { sql: 'private.give_floor($1)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.hand_over_chair(uuid,uuid)': { sql: 'private.hand_over_chair($1, $2)', params: (x) => [x.mr.a.meeting, x.w.users.committeeB], expect: 'refused' },
	'private.lower_hand(uuid)': { sql: 'private.lower_hand($1)', params: (x) => [x.mr.a.speech], expect: 'refused' },
	'private.move_motion(uuid,text,uuid)': { sql: `private.move_motion($1, '外人的动议', $2)`, params: (x) => [x.mr.a.meeting, x.mr.a.att.resident], expect: 'refused' },
	'private.open_meeting(uuid)': { sql: 'private.open_meeting($1)', params: (x) => [x.mr.a.meeting], expect: 'refused' },
	'private.raise_hand(uuid,text)': { sql: `private.raise_hand($1, 'order')`, params: (x) => [x.mr.a.motion], expect: 'refused' },
	'private.record_hands(uuid,integer,integer,integer,text)': { sql: `private.record_hands($1, 9, 0, 0, 'yes')`, params: (x) => [x.mr.a.motion], expect: 'refused' },
	'private.second_motion(uuid,uuid)': { sql: 'private.second_motion($1, $2)', params: (x) => [x.mr.a.motion, x.mr.a.att.moderator], expect: 'refused' },
	'private.set_current_item(uuid,uuid)': { sql: 'private.set_current_item($1, $2)', params: (x) => [x.mr.a.meeting, x.mr.a.item], expect: 'refused' },
	'private.withdraw_motion(uuid)': { sql: 'private.withdraw_motion($1)', params: (x) => [x.mr.a.motion], expect: 'refused' },
	// About the caller only: the meeting of B, where committeeB sits.
	'private.room_meetings()': { sql: '(private.room_meetings() = array[$1]::uuid[])', params: (x) => [x.mr.b.meeting], expect: true },
	// Nothing of a meeting the caller's estate does not hold.
	'private.room_roles(uuid)': { sql: 'private.room_roles($1)', params: (x) => [x.mr.a.meeting], expect: null },
	'private.set_member_roles(uuid,text[])': { sql: `private.set_member_roles($1, '{moderator}')`, params: (x) => [x.w.memberships.volunteer], expect: 'refused' },
	'private.transition_issue(uuid,text,text,uuid)': { sql: `private.transition_issue($1, 'accept', null, null)`, params: (x) => [x.i.a.bench], expect: 'refused' },
	'private.turnout(uuid)': { sql: 'private.turnout($1)', params: (x) => [x.v.a.owners.id], expect: null },
	'private.voted_electors(uuid)': { sql: 'private.voted_electors($1)', params: (x) => [x.v.a.owners.id], expect: [] },
	'private.write_ballot(uuid,bigint,smallint[],text,text,text)': {
		sql: `private.write_ballot($1, $2::bigint, '{1}', 'paper', '外人', null)`,
		params: (x) => [x.v.a.owners.id, x.v.a.owners.electors['1栋/1/101']],
		expect: 'refused'
	},
	'private.write_comment(uuid,text,text,text,uuid)': {
		sql: `private.write_comment($1, null, 'hidden', '外人隐藏', $2)`,
		params: (x) => [x.i.a.comments.top, x.w.users.committeeB],
		expect: 'refused'
	},
	'private.write_estate_settings(uuid,boolean,integer)': { sql: 'private.write_estate_settings($1, true, 1)', params: (x) => [x.w.a.id], expect: 'refused' }
};

const DEFINERS_SQL = `
	select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
	where n.nspname in ('public', 'private') and p.prosecdef
	  and (has_function_privilege('authenticated', p.oid, 'execute') or has_function_privilege('anon', p.oid, 'execute'))
	order by 1`;

/** Everything of estate A a call could have changed. */
const A_STATE_SQL = `
	select (select string_agg(id || status || array_to_string(roles, '/'), ',' order by id) from public.memberships where estate_id = $1 and user_id <> $2) as m,
	       (select string_agg(id || ':' || floor_area, ',' order by id) from public.units where estate_id = $1) as u,
	       (select string_agg(id || ':' || coalesce(user_id::text, '-'), ',' order by id) from public.owners where estate_id = $1) as o,
	       (select string_agg(id || status, ',' order by id) from public.issues where estate_id = $1) as i,
	       (select string_agg(id || state, ',' order by id) from public.comments c where c.issue_id in (select id from public.issues where estate_id = $1)) as c,
	       (select string_agg(id || status, ',' order by id) from public.votes where estate_id = $1) as v,
	       (select count(*) from public.ballots b where b.vote_id in (select id from public.votes where estate_id = $1))::int as b,
	       (select board_public::text || support_threshold from public.estates where id = $1) as e,
	       (select string_agg(id || status || revision, ',' order by id) from public.publications where estate_id = $1) as pu,
	       (select string_agg(o.id || coalesce(o.answer, '-'), ',' order by o.id) from public.objections o
	          where o.publication_id in (select id from public.publications where estate_id = $1)) as ob,
	       (select string_agg(id || status || coalesce(chair_id::text, '-') || coalesce(current_item_id::text, '-'), ',' order by id) from public.meetings where estate_id = $1) as mt,
	       (select string_agg(mo.id || mo.status, ',' order by mo.id) from public.motions mo where mo.meeting_id in (select id from public.meetings where estate_id = $1)) as mo,
	       (select count(*) from public.motion_seconds s join public.motions mo on mo.id = s.motion_id
	          where mo.meeting_id in (select id from public.meetings where estate_id = $1))::int as ms,
	       (select string_agg(s.id || s.status, ',' order by s.id) from public.speeches s where s.meeting_id in (select id from public.meetings where estate_id = $1)) as sp`;

async function asCaller<T>(db: TestDb, userId: string, fn: (tx: Sql) => Promise<T>): Promise<T> {
	let out: T | undefined;
	await db.sql
		.transaction(async (tx) => {
			await tx.query('set local role authenticated');
			await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })]);
			out = await fn(tx);
			throw new Rollback();
		})
		.catch((e) => {
			if (!(e instanceof Rollback)) throw e;
		});
	return out as T;
}
class Rollback extends Error {}

describe.each(DATABASES)('security definer functions on %s', (name) => {
	let db: TestDb;
	let x: World3;
	beforeAll(async () => {
		db = await openTestDb(name);
		const w = await seedWorld(db);
		const i = await seedIssues(db, w);
		const v = await seedVotes(db, w);
		const pu = await seedPublications(db, w, v);
		const mr = await seedMeetingRoom(db, w);
		const assisted = await createUser(db, '代开账号', { assisted: true });
		const [{ receipt }] = await db.sql.query<{ receipt: string }>('select receipt from public.ballots where id = $1', [v.a.owners.ballots.resident]);
		x = { w, i, v, pu, mr, assisted, receipt };
	});
	afterAll(() => db.close());

	it('lists every definer function anon or signed-in users may execute, and anon none', async () => {
		const listed = (await db.sql.query<{ fn: string }>(DEFINERS_SQL)).map((r) => r.fn);
		expect(listed).toEqual(Object.keys(CASES).sort());
		const anon = await db.sql.query(`${DEFINERS_SQL.replace("has_function_privilege('authenticated', p.oid, 'execute') or ", '')}`);
		expect(anon).toEqual([]);
	});

	it('each refuses a caller from another estate, or answers about the caller only', async () => {
		const failures: string[] = [];
		for (const [fn, c] of Object.entries(CASES)) {
			const before = await db.sql.query(A_STATE_SQL, [x.w.a.id, x.w.users.committeeB]);
			const got = await asCaller(db, x.w.users.committeeB, async (tx) => {
				try {
					const [row] = await tx.query<{ v: unknown }>(`select to_jsonb(${c.sql}) as v`, c.params(x));
					// Read as the superuser, as before: the caller's own view of A is narrower.
					await tx.query('reset role');
					const after = await tx.query(A_STATE_SQL, [x.w.a.id, x.w.users.committeeB]);
					return { value: row.v, changed: JSON.stringify(after) !== JSON.stringify(before) };
				} catch (e) {
					return { refused: (e as { message?: string }).message ?? String(e) };
				}
			});
			const want = c.expect === 'B' ? [x.w.b.id] : c.expect;
			if (want === 'refused') {
				if (!('refused' in got)) failures.push(`${fn}: expected a refusal, got ${JSON.stringify(got)}`);
				else if (!/^errors\./.test(got.refused ?? '')) failures.push(`${fn}: refused with an unplanned error: ${got.refused}`);
			} else if ('refused' in got) {
				failures.push(`${fn}: expected ${JSON.stringify(want)}, refused with ${got.refused}`);
			} else {
				if (JSON.stringify(got.value) !== JSON.stringify(want)) failures.push(`${fn}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got.value)}`);
				if (got.changed) failures.push(`${fn}: changed estate A`);
			}
		}
		expect(failures).toEqual([]);
	});

	it('lets the caller ask to join for themself only: the request is theirs and pending', async () => {
		const rows = await asCaller(db, x.w.users.committeeB, async (tx) => {
			await tx.query(`select private.request_membership($1, $2, '1', '101', true)`, [x.w.a.id, x.w.a.buildings['1栋']]);
			return tx.query<{ user_id: string; status: string; roles: string[] }>(
				`select user_id::text, status, roles from public.memberships where estate_id = $1 and user_id = $2`,
				[x.w.a.id, x.w.users.committeeB]
			);
		});
		expect(rows).toEqual([{ user_id: x.w.users.committeeB, status: 'pending', roles: [] }]);
	});
});
