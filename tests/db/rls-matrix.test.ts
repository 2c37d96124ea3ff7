import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/backend/sql';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedIssues, seedMeetings, seedProgress, seedPublications, seedVotes, seedWishes, seedWorld, type IssueWorld, type MeetingWorld, type ProgressWorld, type PublicationWorld, type VoteWorld, type WishWorld, type World } from './fixtures';
import { seedWork, type WorkWorld } from './work-fixtures';
import { seedMeetingRoom, type RoomWorld } from './meeting-fixtures';

/**
 * The row level security matrix: every table in schema public ×
 * select / insert / update / delete × every kind of caller, run directly
 * against the table as PostgREST would run it (set local role, request.jwt.claims),
 * each cell in its own transaction that is always rolled back.
 *
 * Callers, by what they are to estate A (see fixtures.ts):
 *   anon         not signed in
 *   nonmember    signed in, no membership
 *   otherEstate  verified member of B, owner there
 *   pending      pending request for A
 *   resident     verified member of A without roles, owner there
 *   moderator    verified member of A with {moderator}: a role holder who manages nothing
 *   committee    verified member of A with {committee}
 *   committeeB   verified member of B with {committee}
 *   admin        platform administrator, no membership
 *
 * The issue tables are seeded by seedIssues (fixtures.ts): both boards closed.
 * Their select rows are checked once more with A's board public.
 * The vote tables are seeded by seedVotes (fixtures.ts): in A an open secret
 * owners' decision and a closed open-ballot consultative vote with its result,
 * in B an open open-ballot consultative vote. Nobody writes them directly.
 */
const CALLERS = ['anon', 'nonmember', 'otherEstate', 'pending', 'resident', 'moderator', 'committee', 'committeeB', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

/**
 * Which rows a select returns: every row, none, the caller's own, those of
 * estate A or B, those only the staff of A or B see (the universe's `staff`
 * column: e.g. hidden comments for moderators), or a union ('own+A'); or refused.
 */
type Part = 'all' | 'none' | 'own' | 'A' | 'B' | 'staffA' | 'staffB';
type Visible = 'denied' | Part | `${Part}+${Part}` | `${Part}+${Part}+${Part}` | `${Part}+${Part}+${Part}+${Part}`;
/** What a write does: takes effect, is refused (42501: RLS violation or permission denied), or silently touches no row. */
type Effect = 'ok' | 'denied' | 'no-op';

/** One row of the matrix, in CALLERS order — the column heads are repeated above each use. */
function cells<T>(...values: T[]): Record<Caller, T> {
	if (values.length !== CALLERS.length) throw new Error(`a matrix row needs ${CALLERS.length} cells, got ${values.length}`);
	return Object.fromEntries(CALLERS.map((c, i) => [c, values[i]])) as Record<Caller, T>;
}

interface Stmt {
	sql: string;
	params?: unknown[];
}

interface Ctx {
	w: World;
	i: IssueWorld;
	v: VoteWorld;
	/** The publications (seedPublications): a decision of A and one of B, with objections. */
	/** The meetings (seedMeetings): a council of A and one of B, with attendance and a proxy each. */
	mt: MeetingWorld;
	pu: PublicationWorld;
	/** The meeting rooms (seedMeetingRoom): in A and in B a meeting in session with a motion in debate, a second and a hand up. */
	mr: RoomWorld;
	/** The work (seedWork): a team and tasks of A, a confirmed task in A and in B, their ledger, a party member's card. */
	wk: WorkWorld;
	/** The plans in progress (seedProgress): one in A and one in B, each with a milestone done with a photo. */
	pr: ProgressWorld;
	/** The caller's user id; null for anon. */
	me: string | null;
	/** A fresh id for a row the probe inserts. */
	fresh: string;
	/** A second fresh id, e.g. for an account the setup creates. */
	fresh2: string;
}

interface WriteProbe {
	op: 'insert' | 'update' | 'delete';
	/** What the statement tries, in words: shown when a cell fails. */
	what: string;
	/** Run as the superuser before switching to the caller. */
	setup?: (c: Ctx) => Stmt[];
	/** The statement, run as the caller. */
	run: (c: Ctx) => Stmt;
	/** A superuser query whose result changes exactly when the statement took effect. */
	watch: (c: Ctx) => Stmt;
	expect: Record<Caller, Effect>;
}

interface TableSpec {
	/**
	 * Superuser query listing every row: key, the estates whose readers see it, the users it is "own" to,
	 * and optionally `staff`, the estates whose staff see it (the table's comment says who the staff are).
	 */
	universe: string;
	/** The key expression the caller selects. */
	key: string;
	/**
	 * The table's personal columns: who someone is (names, contacts) and ids that point at a person.
	 * Anon and outsiders (signed in, not a member of the estate) may read none of them, from rows
	 * they see or any other; every column with a foreign key to a person must be listed.
	 */
	personal: string[];
	select: Record<Caller, Visible>;
	/** The select rows again, after a setup (run as the superuser in the same rolled-back transaction). */
	selectWhen?: Array<{ what: string; setup: (c: Ctx) => Stmt[]; expect: Record<Caller, Visible> }>;
	writes: WriteProbe[];
}

const newUser = (c: Ctx): Stmt => ({
	sql: `insert into auth.users (id, raw_user_meta_data) values ($1, '{"display_name":"新邻居"}')`,
	params: [c.fresh2]
});
const dropOwnMembershipInA = (c: Ctx): Stmt => ({
	sql: 'delete from public.memberships where user_id = $1 and estate_id = $2',
	params: [c.me, c.w.a.id]
});
const makeVolunteerCommittee = (c: Ctx): Stmt => ({
	sql: `update public.memberships set roles = '{committee}' where id = $1`,
	params: [c.w.memberships.volunteer]
});

const publicBoard = (estateId: string): Stmt => ({ sql: 'update public.estates set board_public = true where id = $1', params: [estateId] });
/** An issue of A with id fresh2, written by the caller (the resident for anon), on the given channel. */
const probeIssue = (c: Ctx, channel: string): Stmt => ({
	sql: `insert into public.issues (id, estate_id, area_id, category, title, author_id, channel) values ($1, $2, $3, 'other', '探针议题', coalesce($4, $5)::uuid, $6)`,
	params: [c.fresh2, c.w.a.id, c.w.a.courtyardId, c.me, c.w.users.resident, channel]
});
const probePayload = (c: Ctx) => JSON.stringify({ probe: c.fresh });
/** A notification for the caller (the resident for anon), found by its payload. */
const probeNotification = (c: Ctx): Stmt => ({
	sql: `insert into public.notifications (user_id, kind, payload) values (coalesce($1, $2)::uuid, 'issue_status', $3::text::jsonb)`,
	params: [c.me, c.w.users.resident, probePayload(c)]
});
/** A photo held for someone (as the superuser), at issues/<name>.jpg. */
const heldPhoto = (ownerId: string, name: string): Stmt => ({
	sql: `insert into public.pending_photos (owner_id, path, thumb_path, width, height) values ($1, $2, $3, 800, 600)`,
	params: [ownerId, `issues/${name}.jpg`, `issues/${name}_t.jpg`]
});
const countIssue = (id: string): Stmt => ({ sql: 'select count(*)::int as n from public.issues where id = $1', params: [id] });
const countSupports = (issueId: string): Stmt => ({
	sql: 'select count(*)::int as n, (select support_count from public.issues where id = $1) as counted from public.issue_supports where issue_id = $1',
	params: [issueId]
});
const countEvents = (issueId: string): Stmt => ({ sql: 'select count(*)::int as n from public.issue_events where issue_id = $1', params: [issueId] });
const countComment = (id: string): Stmt => ({ sql: 'select count(*)::int as n from public.comments where id = $1', params: [id] });
const countRevisions = (commentId: string): Stmt => ({ sql: 'select count(*)::int as n from public.comment_revisions where comment_id = $1', params: [commentId] });
const countReports = (commentId: string): Stmt => ({ sql: 'select count(*)::int as n from public.comment_reports where comment_id = $1', params: [commentId] });
/** Closes a vote as the clock would (tally, frozen result, issue decided), inside the cell's rolled-back transaction. */
const closeVote = (voteId: string): Stmt[] => [
	{ sql: `update public.votes set opens_at = now() - interval '2 days', closes_at = now() - interval '1 second' where id = $1::uuid`, params: [voteId] },
	{ sql: 'select private.close_vote_now($1::uuid, null)', params: [voteId] }
];
const countVote = (id: string): Stmt => ({ sql: 'select count(*)::int as n from public.votes where id = $1', params: [id] });
const countOptions = (voteId: string): Stmt => ({ sql: 'select count(*)::int as n from public.vote_options where vote_id = $1', params: [voteId] });
const countElectorate = (voteId: string): Stmt => ({ sql: 'select count(*)::int as n from public.vote_electorate where vote_id = $1', params: [voteId] });
const countBallots = (voteId: string): Stmt => ({ sql: 'select count(*)::int as n from public.ballots where vote_id = $1', params: [voteId] });
const countResults = (voteId: string): Stmt => ({ sql: 'select count(*)::int as n from public.vote_results where vote_id = $1', params: [voteId] });
/** A result row as the tally writes it, for the probes that try to write one. */
const forgedResult = (voteId: string): Stmt => ({
	sql: `insert into public.vote_results (vote_id, outcome, winners, options, turnout, checks, receipts) values ($1, 'passed', '{}', '[]', '{}', '[]', '{}')`,
	params: [voteId]
});

/** A street with id fresh (as the superuser), with A's and B's community in it. */
const aStreet = (c: Ctx): Stmt => ({
	sql: `with s as (insert into public.streets (id, name) values ($1, '探针街道') returning id) update public.communities set street_id = (select id from s) where id = $2`,
	params: [c.fresh, c.w.communityId]
});
/** The given people administer the street fresh. */
const streetAdmins = (c: Ctx, users: string[]): Stmt[] =>
	users.map((u) => ({ sql: 'insert into public.street_admins (street_id, user_id) values ($1, $2)', params: [c.fresh, u] }));
/** The bench issue of A and the visit of B accepted, as the lifecycle functions write it: a stage in each estate's histogram. */
const acceptBoth = (c: Ctx): Stmt[] =>
	[c.i.a.bench, c.i.b.visit].flatMap((id) => [
		{ sql: `update public.issues set status = 'accepted' where id = $1`, params: [id] },
		{ sql: `insert into public.issue_events (issue_id, kind, action, from_status, to_status) values ($1, 'transition', 'accept', 'proposed', 'accepted')`, params: [id] }
	]);

/**
 * The unit register, owner links and memberships have no write grant for anyone: they change only
 * through the functions (import_units, link_owner, request_membership, decide_membership, …),
 * whose private definer halves check who is asking (tests/db/integrity.test.ts).
 */
const WRITES_THROUGH_FUNCTIONS_ONLY = cells<Effect>('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied');

/** A table of kinds (timeline events, notifications): everyone reads it, only migrations change it. */
function kindsSpec(table: string, existing: string): TableSpec {
	const count = () => ({ sql: `select count(*)::int as n from public.${table}` });
	//                    anon      nonmember otherEstate pending resident moderator committee committeeB admin
	const nobody = cells<Effect>('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied');
	return {
		universe: `select kind as key, '{}'::text[] as estates, '{}'::text[] as users from public.${table}`,
		key: 'kind',
		personal: [],
		select: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		writes: [
			{ op: 'insert', what: 'add a kind', run: () => ({ sql: `insert into public.${table} (kind) values ('advert')` }), watch: count, expect: nobody },
			{
				op: 'update',
				what: `rename the ${existing} kind`,
				run: () => ({ sql: `update public.${table} set kind = 'advert' where kind = '${existing}'` }),
				watch: () => ({ sql: `select count(*)::int as n from public.${table} where kind = '${existing}'` }),
				expect: nobody
			},
			{ op: 'delete', what: `remove the ${existing} kind`, run: () => ({ sql: `delete from public.${table} where kind = '${existing}'` }), watch: count, expect: nobody }
		]
	};
}

/** Write probes for a table nobody writes but its functions: insert, update and delete refused to every caller. */
function functionsOnly(
	table: string,
	p: { insert: (c: Ctx) => Stmt; update: (c: Ctx) => Stmt; delete: (c: Ctx) => Stmt; watch: (c: Ctx) => Stmt }
): WriteProbe[] {
	//                    anon      nonmember otherEstate pending resident moderator committee committeeB admin
	const nobody = cells<Effect>('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied');
	return (['insert', 'update', 'delete'] as const).map((op) => ({ op, what: `${op} ${table} directly`, run: p[op], watch: p.watch, expect: nobody }));
}

/**
 * A progress table (20261204110000): rows of A and B, read where the estate's issues are read
 * (anyone, once A's board is public); nobody writes it directly, the committee of A included.
 */
function progressSpec(
	table: string,
	key: string,
	personal: string[],
	p: { insert: (c: Ctx) => Stmt; update: (c: Ctx) => Stmt; del: (c: Ctx) => Stmt; watch: (c: Ctx) => Stmt }
): TableSpec {
	const nobody = cells<Effect>('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied');
	return {
		universe: `select ${key} as key, array[estate_id::text] as estates, '{}'::text[] as users from public.${table}`,
		key,
		personal,
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{ op: 'insert', what: `write a row of ${table} for A directly`, run: p.insert, watch: p.watch, expect: nobody },
			{ op: 'update', what: `change a row of ${table} of A directly`, run: p.update, watch: p.watch, expect: nobody },
			{ op: 'delete', what: `remove a row of ${table} of A directly`, run: p.del, watch: p.watch, expect: nobody }
		]
	};
}

const MATRIX: Record<string, TableSpec> = {
	communities: {
		universe: `select id::text as key, '{}'::text[] as estates, '{}'::text[] as users from public.communities`,
		key: 'id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'add a community',
				run: (c) => ({ sql: `insert into public.communities (id, name) values ($1, '新社区')`, params: [c.fresh] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.communities where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok')
			},
			{
				op: 'update',
				what: 'rename the community',
				run: (c) => ({ sql: `update public.communities set name = '改名社区' where id = $1`, params: [c.w.communityId] }),
				watch: (c) => ({ sql: 'select name from public.communities where id = $1', params: [c.w.communityId] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok')
			},
			{
				op: 'delete',
				what: 'remove an empty community',
				setup: (c) => [{ sql: `insert into public.communities (id, name) values ($1, '空社区')`, params: [c.fresh] }],
				run: (c) => ({ sql: 'delete from public.communities where id = $1', params: [c.fresh] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.communities where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok')
			}
		]
	},

	estates: {
		universe: `select id::text as key, array[id::text] as estates, '{}'::text[] as users from public.estates`,
		key: 'id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'add an estate',
				run: (c) => ({
					sql: `insert into public.estates (id, community_id, name, center_lat, center_lng) values ($1, $2, '新小区', 31.3, 120.6)`,
					params: [c.fresh, c.w.communityId]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.estates where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok')
			},
			{
				op: 'update',
				what: 'change the address of A',
				run: (c) => ({ sql: `update public.estates set address = '新地址' where id = $1`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select address from public.estates where id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok')
			},
			{
				op: 'delete',
				// A has a closed vote: its frozen result goes with the estate (the freeze refuses only changes while the vote exists).
				what: 'remove estate A (cascades to its register and its votes)',
				run: (c) => ({ sql: 'delete from public.estates where id = $1', params: [c.w.a.id] }),
				watch: (c) => ({
					sql: 'select (select count(*) from public.estates where id = $1)::int as e, (select count(*) from public.units where estate_id = $1)::int as u',
					params: [c.w.a.id]
				}),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok')
			}
		]
	},

	areas: {
		universe: `select id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.areas`,
		key: 'id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'add a space to A',
				run: (c) => ({ sql: `insert into public.areas (id, estate_id, kind, name) values ($1, $2, 'space', '新空间')`, params: [c.fresh, c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.areas where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'denied', 'ok')
			},
			{
				op: 'insert',
				what: 'add a space to B',
				run: (c) => ({ sql: `insert into public.areas (id, estate_id, kind, name) values ($1, $2, 'space', '新空间')`, params: [c.fresh, c.w.b.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.areas where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'ok')
			},
			{
				op: 'update',
				what: 'rename the courtyard of A',
				run: (c) => ({ sql: `update public.areas set name = '改名院' where id = $1`, params: [c.w.a.courtyardId] }),
				watch: (c) => ({ sql: 'select name from public.areas where id = $1', params: [c.w.a.courtyardId] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			},
			{
				op: 'update',
				what: 'rename the courtyard of B',
				run: (c) => ({ sql: `update public.areas set name = '改名院' where id = $1`, params: [c.w.b.courtyardId] }),
				watch: (c) => ({ sql: 'select name from public.areas where id = $1', params: [c.w.b.courtyardId] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'ok')
			},
			{
				op: 'update',
				what: 'move the courtyard of A into B',
				run: (c) => ({ sql: 'update public.areas set estate_id = $2 where id = $1', params: [c.w.a.courtyardId, c.w.b.id] }),
				watch: (c) => ({ sql: 'select estate_id::text from public.areas where id = $1', params: [c.w.a.courtyardId] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'denied', 'no-op', 'ok')
			},
			{
				op: 'delete',
				what: 'remove the courtyard of A (once no issue is filed under it or its buildings)',
				setup: (c) => [{ sql: 'delete from public.issues where estate_id = $1', params: [c.w.a.id] }],
				run: (c) => ({ sql: 'delete from public.areas where id = $1', params: [c.w.a.courtyardId] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.areas where id = $1', params: [c.w.a.courtyardId] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			}
		]
	},

	units: {
		universe: `select id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.units`,
		key: 'id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'add a unit to A',
				run: (c) => ({
					sql: `insert into public.units (id, estate_id, building_id, room, floor_area) values ($1, $2, $3, '999', 50)`,
					params: [c.fresh, c.w.a.id, c.w.a.buildings['1栋']]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.units where id = $1', params: [c.fresh] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: 'change the floor area of a unit of A',
				run: (c) => ({ sql: 'update public.units set floor_area = 99.99 where id = $1', params: [c.w.a.units['1栋/1/101']] }),
				watch: (c) => ({ sql: 'select floor_area::text from public.units where id = $1', params: [c.w.a.units['1栋/1/101']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: 'change the floor area of a unit of B',
				run: (c) => ({ sql: 'update public.units set floor_area = 99.99 where id = $1', params: [c.w.b.units['1栋//101']] }),
				watch: (c) => ({ sql: 'select floor_area::text from public.units where id = $1', params: [c.w.b.units['1栋//101']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'delete',
				what: 'remove a unit of A',
				run: (c) => ({ sql: 'delete from public.units where id = $1', params: [c.w.a.units['2栋//102']] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.units where id = $1', params: [c.w.a.units['2栋//102']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			}
		]
	},

	owners: {
		universe: `select id::text as key, array[estate_id::text] as estates, array_remove(array[user_id::text], null) as users from public.owners`,
		key: 'id::text',
		personal: ['name', 'user_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'none', 'own+A', 'own+B', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'add an owner to A',
				run: (c) => ({ sql: `insert into public.owners (id, estate_id, name) values ($1, $2, '新业主')`, params: [c.fresh, c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.owners where id = $1', params: [c.fresh] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: "rename the resident's own owner record in A",
				run: (c) => ({ sql: `update public.owners set name = '张三丰' where id = $1`, params: [c.w.a.owners['张三']] }),
				watch: (c) => ({ sql: 'select name from public.owners where id = $1', params: [c.w.a.owners['张三']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: 'link an owner record of B to oneself',
				run: (c) => ({ sql: 'update public.owners set user_id = $2 where id = $1', params: [c.w.b.owners['赵六'], c.me] }),
				watch: (c) => ({ sql: 'select user_id::text from public.owners where id = $1', params: [c.w.b.owners['赵六']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'delete',
				what: 'remove an owner of A',
				run: (c) => ({ sql: 'delete from public.owners where id = $1', params: [c.w.a.owners['李四']] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.owners where id = $1', params: [c.w.a.owners['李四']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			}
		]
	},

	unit_owners: {
		universe: `select uo.unit_id::text || ':' || uo.owner_id::text as key, array[o.estate_id::text] as estates,
		             array_remove(array[o.user_id::text], null) as users
		           from public.unit_owners uo join public.owners o on o.id = uo.owner_id`,
		key: `unit_id::text || ':' || owner_id::text`,
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'none', 'own+A', 'own+B', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'make an owner of A the owner of another unit of A',
				run: (c) => ({ sql: 'insert into public.unit_owners (unit_id, owner_id) values ($1, $2)', params: [c.w.a.units['2栋//101'], c.w.a.owners['张三']] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.unit_owners where unit_id = $1 and owner_id = $2', params: [c.w.a.units['2栋//101'], c.w.a.owners['张三']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'insert',
				what: 'make an owner of A the owner of a unit of B',
				run: (c) => ({ sql: 'insert into public.unit_owners (unit_id, owner_id) values ($1, $2)', params: [c.w.b.units['1栋//101'], c.w.a.owners['张三']] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.unit_owners where unit_id = $1 and owner_id = $2', params: [c.w.b.units['1栋//101'], c.w.a.owners['张三']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: "hand the resident's unit to another owner of A",
				run: (c) => ({
					sql: 'update public.unit_owners set owner_id = $3 where unit_id = $1 and owner_id = $2',
					params: [c.w.a.units['1栋/1/101'], c.w.a.owners['张三'], c.w.a.owners['李四']]
				}),
				watch: (c) => ({ sql: 'select owner_id::text from public.unit_owners where unit_id = $1 order by 1', params: [c.w.a.units['1栋/1/101']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: 'move an ownership of A onto a unit of B',
				run: (c) => ({
					sql: 'update public.unit_owners set unit_id = $3 where unit_id = $1 and owner_id = $2',
					params: [c.w.a.units['1栋/1/101'], c.w.a.owners['张三'], c.w.b.units['1栋//102']]
				}),
				watch: (c) => ({ sql: 'select unit_id::text from public.unit_owners where owner_id = $1 order by 1', params: [c.w.a.owners['张三']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'delete',
				what: "remove the resident's ownership in A",
				run: (c) => ({ sql: 'delete from public.unit_owners where unit_id = $1 and owner_id = $2', params: [c.w.a.units['1栋/1/101'], c.w.a.owners['张三']] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.unit_owners where unit_id = $1 and owner_id = $2', params: [c.w.a.units['1栋/1/101'], c.w.a.owners['张三']] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			}
		]
	},

	profiles: {
		universe: `select p.id::text as key, array(select m.estate_id::text from public.memberships m where m.user_id = p.id) as estates,
		             array[p.id::text] as users from public.profiles p`,
		key: 'id::text',
		personal: ['id', 'display_name'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'own', 'own', 'own', 'own', 'own', 'own+A', 'own+B', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'add a profile for an account without one',
				setup: (c) => [newUser(c), { sql: 'delete from public.profiles where id = $1', params: [c.fresh2] }],
				run: (c) => ({ sql: `insert into public.profiles (id, display_name) values ($1, '冒名')`, params: [c.fresh2] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.profiles where id = $1', params: [c.fresh2] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'change own display name',
				run: (c) => ({ sql: `update public.profiles set display_name = '新名字' where id = $1`, params: [c.me] }),
				watch: (c) => ({ sql: 'select display_name from public.profiles where id = $1', params: [c.me] }),
				expect: cells('denied', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok')
			},
			{
				op: 'update',
				what: "change the volunteer's display name",
				run: (c) => ({ sql: `update public.profiles set display_name = '新名字' where id = $1`, params: [c.w.users.volunteer] }),
				watch: (c) => ({ sql: 'select display_name from public.profiles where id = $1', params: [c.w.users.volunteer] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op')
			},
			{
				op: 'update',
				what: 'make oneself an administrator',
				run: (c) => ({ sql: 'update public.profiles set is_admin = true where id = $1', params: [c.me] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.profiles where is_admin', params: [] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove own profile',
				run: (c) => ({ sql: 'delete from public.profiles where id = $1', params: [c.me] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.profiles where id = $1', params: [c.me] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	memberships: {
		universe: `select id::text as key, array[estate_id::text] as estates, array[user_id::text] as users from public.memberships`,
		key: 'id::text',
		personal: ['user_id', 'decided_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'own', 'own', 'own', 'own+A', 'own+B', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'enrol another person in A as a verified member',
				setup: (c) => [newUser(c)],
				run: (c) => ({
					sql: `insert into public.memberships (id, estate_id, user_id, status) values ($1, $2, $3, 'verified')`,
					params: [c.fresh, c.w.a.id, c.fresh2]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where id = $1', params: [c.fresh] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'insert',
				what: 'ask to join A (own pending request)',
				setup: (c) => [dropOwnMembershipInA(c)],
				run: (c) => ({ sql: 'insert into public.memberships (id, estate_id, user_id) values ($1, $2, $3)', params: [c.fresh, c.w.a.id, c.me] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where id = $1', params: [c.fresh] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'insert',
				what: 'join A as a verified committee member (own row)',
				setup: (c) => [dropOwnMembershipInA(c)],
				run: (c) => ({
					sql: `insert into public.memberships (id, estate_id, user_id, status, roles) values ($1, $2, $3, 'verified', '{committee}')`,
					params: [c.fresh, c.w.a.id, c.me]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where id = $1', params: [c.fresh] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'insert',
				what: 'join B as a verified member (own row)',
				setup: (c) => [{ sql: 'delete from public.memberships where user_id = $1 and estate_id = $2', params: [c.me, c.w.b.id] }],
				run: (c) => ({
					sql: `insert into public.memberships (id, estate_id, user_id, status) values ($1, $2, $3, 'verified')`,
					params: [c.fresh, c.w.b.id, c.me]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where id = $1', params: [c.fresh] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: 'verify the pending request for A',
				run: (c) => ({ sql: `update public.memberships set status = 'verified', decided_at = now() where id = $1`, params: [c.w.memberships.pending] }),
				watch: (c) => ({ sql: 'select status from public.memberships where id = $1', params: [c.w.memberships.pending] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: 'grant volunteer to the resident',
				run: (c) => ({ sql: `update public.memberships set roles = '{volunteer}' where id = $1`, params: [c.w.memberships.resident] }),
				watch: (c) => ({ sql: 'select roles from public.memberships where id = $1', params: [c.w.memberships.resident] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: 'grant committee to the resident',
				run: (c) => ({ sql: `update public.memberships set roles = '{committee}' where id = $1`, params: [c.w.memberships.resident] }),
				watch: (c) => ({ sql: 'select roles from public.memberships where id = $1', params: [c.w.memberships.resident] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: 'add a role to own membership of A',
				run: (c) => ({
					sql: `update public.memberships set roles = array_append(roles, 'owner') where user_id = $1 and estate_id = $2`,
					params: [c.me, c.w.a.id]
				}),
				watch: (c) => ({ sql: 'select roles from public.memberships where user_id = $1 and estate_id = $2', params: [c.me, c.w.a.id] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: 'hand own membership of A (and its roles) to another account',
				setup: (c) => [newUser(c)],
				run: (c) => ({ sql: 'update public.memberships set user_id = $3 where user_id = $1 and estate_id = $2', params: [c.me, c.w.a.id, c.fresh2] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where user_id = $1', params: [c.fresh2] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: "hand the resident's membership to another account",
				setup: (c) => [newUser(c)],
				run: (c) => ({ sql: 'update public.memberships set user_id = $2 where id = $1', params: [c.w.memberships.resident, c.fresh2] }),
				watch: (c) => ({ sql: 'select user_id::text from public.memberships where id = $1', params: [c.w.memberships.resident] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: 'reject a fellow committee member of A',
				setup: (c) => [makeVolunteerCommittee(c)],
				run: (c) => ({ sql: `update public.memberships set status = 'rejected', reason = '不再担任' where id = $1`, params: [c.w.memberships.volunteer] }),
				watch: (c) => ({ sql: 'select status from public.memberships where id = $1', params: [c.w.memberships.volunteer] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'delete',
				what: 'remove the volunteer from A',
				run: (c) => ({ sql: 'delete from public.memberships where id = $1', params: [c.w.memberships.volunteer] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where id = $1', params: [c.w.memberships.volunteer] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'delete',
				what: 'remove a fellow committee member of A',
				setup: (c) => [makeVolunteerCommittee(c)],
				run: (c) => ({ sql: 'delete from public.memberships where id = $1', params: [c.w.memberships.volunteer] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where id = $1', params: [c.w.memberships.volunteer] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'delete',
				what: 'leave A (own membership)',
				run: (c) => ({ sql: 'delete from public.memberships where user_id = $1 and estate_id = $2', params: [c.me, c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where user_id = $1 and estate_id = $2', params: [c.me, c.w.a.id] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			}
		]
	},

	// ------------------------------------------------------------------ issues (seedIssues)

	issues: {
		universe: `select id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.issues`,
		key: 'id::text',
		personal: ['author_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'raise an issue in A as oneself',
				run: (c) => ({
					sql: `insert into public.issues (id, estate_id, area_id, category, title, author_id) values ($1, $2, $3, 'other', '新议题', $4)`,
					params: [c.fresh, c.w.a.id, c.w.a.courtyardId, c.me]
				}),
				watch: (c) => countIssue(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'ok', 'ok', 'ok', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: "raise an issue in A when A's board is public",
				setup: (c) => [publicBoard(c.w.a.id)],
				run: (c) => ({
					sql: `insert into public.issues (id, estate_id, area_id, category, title, author_id) values ($1, $2, $3, 'other', '新议题', $4)`,
					params: [c.fresh, c.w.a.id, c.w.a.courtyardId, c.me]
				}),
				watch: (c) => countIssue(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'ok', 'ok', 'ok', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: "raise an issue in A in the volunteer's name",
				run: (c) => ({
					sql: `insert into public.issues (id, estate_id, area_id, category, title, author_id) values ($1, $2, $3, 'other', '新议题', $4)`,
					params: [c.fresh, c.w.a.id, c.w.a.courtyardId, c.w.users.volunteer]
				}),
				watch: (c) => countIssue(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'raise an issue in A that is already accepted, with 500 supports',
				run: (c) => ({
					sql: `insert into public.issues (id, estate_id, area_id, category, title, author_id, status, support_count)
					      values ($1, $2, $3, 'other', '新议题', $4, 'accepted', 500)`,
					params: [c.fresh, c.w.a.id, c.w.a.courtyardId, c.me]
				}),
				watch: (c) => countIssue(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'raise an issue in A, placed in an area of B',
				run: (c) => ({
					sql: `insert into public.issues (id, estate_id, area_id, category, title, author_id) values ($1, $2, $3, 'other', '新议题', $4)`,
					params: [c.fresh, c.w.a.id, c.w.b.courtyardId, c.me]
				}),
				watch: (c) => countIssue(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'record an issue in A from the hotline',
				run: (c) => ({
					sql: `insert into public.issues (id, estate_id, area_id, category, title, author_id, channel) values ($1, $2, $3, 'other', '新议题', $4, 'hotline')`,
					params: [c.fresh, c.w.a.id, c.w.a.courtyardId, c.me]
				}),
				watch: (c) => countIssue(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'ok', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'raise an issue in B as oneself',
				run: (c) => ({
					sql: `insert into public.issues (id, estate_id, area_id, category, title, author_id) values ($1, $2, $3, 'other', '新议题', $4)`,
					params: [c.fresh, c.w.b.id, c.w.b.courtyardId, c.me]
				}),
				watch: (c) => countIssue(c.fresh),
				expect: cells('denied', 'denied', 'ok', 'denied', 'denied', 'denied', 'denied', 'ok', 'denied')
			},
			{
				op: 'update',
				what: 'accept the bench issue of A',
				run: (c) => ({ sql: `update public.issues set status = 'accepted' where id = $1`, params: [c.i.a.bench] }),
				watch: (c) => ({ sql: 'select status from public.issues where id = $1', params: [c.i.a.bench] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "retitle the resident's own issue in A",
				run: (c) => ({ sql: `update public.issues set title = '改过的标题' where id = $1`, params: [c.i.a.bench] }),
				watch: (c) => ({ sql: 'select title from public.issues where id = $1', params: [c.i.a.bench] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'raise the support count of the issue of B',
				run: (c) => ({ sql: 'update public.issues set support_count = support_count + 100 where id = $1', params: [c.i.b.visit] }),
				watch: (c) => ({ sql: 'select support_count from public.issues where id = $1', params: [c.i.b.visit] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove the resident's bench issue in A",
				run: (c) => ({ sql: 'delete from public.issues where id = $1', params: [c.i.a.bench] }),
				watch: (c) => countIssue(c.i.a.bench),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove the issue of B',
				run: (c) => ({ sql: 'delete from public.issues where id = $1', params: [c.i.b.visit] }),
				watch: (c) => countIssue(c.i.b.visit),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Staff: moderators and the committee of the estate; "own": the recorder (the issue's author). */
	issue_behalf: {
		universe: `select b.issue_id::text as key, '{}'::text[] as estates, array[i.author_id::text] as users, array[b.estate_id::text] as staff
		           from public.issue_behalf b join public.issues i on i.id = b.issue_id`,
		key: 'issue_id::text',
		personal: ['resident_name', 'resident_contact', 'resident_user_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'none', 'none', 'none', 'staffA', 'staffA', 'own+staffB', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'none', 'none', 'none', 'none', 'staffA', 'staffA', 'own+staffB', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'name the resident of an own hotline issue in A',
				setup: (c) => [probeIssue(c, 'hotline')],
				run: (c) => ({
					sql: `insert into public.issue_behalf (issue_id, estate_id, resident_name) values ($1, $2, '李大爷')`,
					params: [c.fresh2, c.w.a.id]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_behalf where issue_id = $1', params: [c.fresh2] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'ok', 'ok', 'ok', 'denied', 'ok')
			},
			{
				op: 'insert',
				what: 'name a resident for an own issue raised in the app',
				setup: (c) => [probeIssue(c, 'app')],
				run: (c) => ({
					sql: `insert into public.issue_behalf (issue_id, estate_id, resident_name) values ($1, $2, '李大爷')`,
					params: [c.fresh2, c.w.a.id]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_behalf where issue_id = $1', params: [c.fresh2] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'name the resident of an own hotline issue in A, filed under B',
				setup: (c) => [probeIssue(c, 'hotline')],
				run: (c) => ({
					sql: `insert into public.issue_behalf (issue_id, estate_id, resident_name) values ($1, $2, '李大爷')`,
					params: [c.fresh2, c.w.b.id]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_behalf where issue_id = $1', params: [c.fresh2] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: "name the resident of the volunteer's hotline issue in A",
				setup: (c) => [probeIssue({ ...c, me: c.w.users.volunteer }, 'hotline')],
				run: (c) => ({
					sql: `insert into public.issue_behalf (issue_id, estate_id, resident_name) values ($1, $2, '李大爷')`,
					params: [c.fresh2, c.w.a.id]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_behalf where issue_id = $1', params: [c.fresh2] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'rename 张奶奶',
				run: (c) => ({ sql: `update public.issue_behalf set resident_name = '王奶奶' where issue_id = $1`, params: [c.i.a.hotline] }),
				watch: (c) => ({ sql: 'select resident_name from public.issue_behalf where issue_id = $1', params: [c.i.a.hotline] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove the record of 张奶奶',
				run: (c) => ({ sql: 'delete from public.issue_behalf where issue_id = $1', params: [c.i.a.hotline] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_behalf where issue_id = $1', params: [c.i.a.hotline] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	issue_photos: {
		universe: `select p.id::text as key, array[i.estate_id::text] as estates, '{}'::text[] as users
		           from public.issue_photos p join public.issues i on i.id = p.issue_id`,
		key: 'id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: "add a photo to the resident's bench issue",
				run: (c) => ({
					sql: `insert into public.issue_photos (id, issue_id, position, path, thumb_path, width, height) values ($1, $2, 1, 'p.jpg', 't.jpg', 800, 600)`,
					params: [c.fresh, c.i.a.bench]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_photos where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'ok', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: "add a photo to committeeB's issue of B",
				run: (c) => ({
					sql: `insert into public.issue_photos (id, issue_id, position, path, thumb_path, width, height) values ($1, $2, 1, 'p.jpg', 't.jpg', 800, 600)`,
					params: [c.fresh, c.i.b.visit]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_photos where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'denied')
			},
			{
				op: 'update',
				what: 'swap the photo of the bench issue',
				run: (c) => ({ sql: `update public.issue_photos set path = 'other.jpg' where issue_id = $1`, params: [c.i.a.bench] }),
				watch: (c) => ({ sql: 'select path from public.issue_photos where issue_id = $1', params: [c.i.a.bench] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove the photo of the bench issue',
				run: (c) => ({ sql: 'delete from public.issue_photos where issue_id = $1', params: [c.i.a.bench] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_photos where issue_id = $1', params: [c.i.a.bench] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Photos held for an issue not raised yet (the new-issue form came back): their uploader's alone, administrators included. */
	pending_photos: {
		universe: `select id::text as key, '{}'::text[] as estates, array[owner_id::text] as users from public.pending_photos`,
		key: 'id::text',
		personal: ['owner_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'own', 'own', 'own', 'own', 'own', 'own', 'own', 'own'),
		selectWhen: [
			{
				what: 'the resident and committeeB each hold a photo',
				setup: (c) => [heldPhoto(c.w.users.resident, 'r'), heldPhoto(c.w.users.committeeB, 'b')],
				expect: cells('none', 'own', 'own', 'own', 'own', 'own', 'own', 'own', 'own')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'hold a photo for oneself',
				run: (c) => ({ sql: `insert into public.pending_photos (path, thumb_path, width, height) values ($1, $2, 800, 600)`, params: [`issues/${c.fresh}.jpg`, `issues/${c.fresh}_t.jpg`] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.pending_photos where path = $1', params: [`issues/${c.fresh}.jpg`] }),
				expect: cells('denied', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok')
			},
			{
				op: 'insert',
				what: 'hold a photo in the name of the resident',
				run: (c) => ({
					sql: `insert into public.pending_photos (owner_id, path, thumb_path, width, height) values ($1, $2, $3, 800, 600)`,
					params: [c.w.users.resident, `issues/${c.fresh}.jpg`, `issues/${c.fresh}_t.jpg`]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.pending_photos where path = $1', params: [`issues/${c.fresh}.jpg`] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "point the resident's held photo at another file",
				setup: (c) => [heldPhoto(c.w.users.resident, c.fresh)],
				run: (c) => ({ sql: `update public.pending_photos set path = 'issues/other.jpg' where path = $1`, params: [`issues/${c.fresh}.jpg`] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.pending_photos where path = $1', params: [`issues/${c.fresh}.jpg`] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "let go of the resident's held photo",
				setup: (c) => [heldPhoto(c.w.users.resident, c.fresh)],
				run: (c) => ({ sql: 'delete from public.pending_photos where path = $1', params: [`issues/${c.fresh}.jpg`] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.pending_photos where path = $1', params: [`issues/${c.fresh}.jpg`] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'no-op', 'no-op', 'no-op')
			}
		]
	},

	/** Who supported is seen by the supporter, and by the committee (and administrators) of the estate. */
	issue_supports: {
		universe: `select s.issue_id::text || ':' || s.user_id::text as key, array[i.estate_id::text] as estates, array[s.user_id::text] as users
		           from public.issue_supports s join public.issues i on i.id = s.issue_id`,
		key: `issue_id::text || ':' || user_id::text`,
		personal: ['user_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'own', 'own+A', 'own+B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'none', 'own', 'none', 'own', 'own', 'own+A', 'own+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'support the bench issue of A as oneself',
				run: (c) => ({ sql: 'insert into public.issue_supports (issue_id, user_id) values ($1, $2)', params: [c.i.a.bench, c.me] }),
				watch: (c) => countSupports(c.i.a.bench),
				// The resident raised it: an author does not support their own issue.
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'ok', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: "support the bench issue of A when A's board is public",
				setup: (c) => [publicBoard(c.w.a.id)],
				run: (c) => ({ sql: 'insert into public.issue_supports (issue_id, user_id) values ($1, $2)', params: [c.i.a.bench, c.me] }),
				watch: (c) => countSupports(c.i.a.bench),
				// The resident raised it: an author does not support their own issue.
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'ok', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: "support the bench issue of A in the volunteer's name",
				run: (c) => ({ sql: 'insert into public.issue_supports (issue_id, user_id) values ($1, $2)', params: [c.i.a.bench, c.w.users.volunteer] }),
				watch: (c) => countSupports(c.i.a.bench),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'support the bench issue of A after it was declined',
				setup: (c) => [{ sql: `update public.issues set status = 'declined' where id = $1`, params: [c.i.a.bench] }],
				run: (c) => ({ sql: 'insert into public.issue_supports (issue_id, user_id) values ($1, $2)', params: [c.i.a.bench, c.me] }),
				watch: (c) => countSupports(c.i.a.bench),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'support the issue of B as oneself',
				setup: (c) => [{ sql: 'delete from public.issue_supports where issue_id = $1', params: [c.i.b.visit] }],
				run: (c) => ({ sql: 'insert into public.issue_supports (issue_id, user_id) values ($1, $2)', params: [c.i.b.visit, c.me] }),
				watch: (c) => countSupports(c.i.b.visit),
				// committeeB raised it.
				expect: cells('denied', 'denied', 'ok', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "move the resident's support to the bench issue",
				run: (c) => ({ sql: 'update public.issue_supports set issue_id = $1 where user_id = $2', params: [c.i.a.bench, c.w.users.resident] }),
				watch: (c) => countSupports(c.i.a.bench),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "withdraw the resident's support of the hotline issue",
				run: (c) => ({ sql: 'delete from public.issue_supports where issue_id = $1 and user_id = $2', params: [c.i.a.hotline, c.w.users.resident] }),
				watch: (c) => countSupports(c.i.a.hotline),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'no-op', 'no-op', 'no-op')
			}
		]
	},

	/** The lifecycle is public and written by migrations only. */
	issue_status_counts: {
		// Kept by a trigger on issues only: no one writes it, its readers are the issues' readers.
		universe: `select estate_id::text || ':' || status as key, array[estate_id::text] as estates, '{}'::text[] as users from public.issue_status_counts`,
		key: `estate_id::text || ':' || status`,
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'claim completed issues in A',
				run: (c) => ({ sql: `insert into public.issue_status_counts (estate_id, status, n) values ($1, 'completed', 99)`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_status_counts where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "inflate A's proposed count",
				run: (c) => ({ sql: `update public.issue_status_counts set n = 99 where estate_id = $1`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select n from public.issue_status_counts where estate_id = $1 order by status', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "drop A's counts",
				run: (c) => ({ sql: 'delete from public.issue_status_counts where estate_id = $1', params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_status_counts where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	estate_stage_days: {
		// Kept by the timeline's trigger only: no one writes it; its readers are the issues' readers and the street's administrators.
		universe: `select estate_id::text || ':' || stage || ':' || days as key, array[estate_id::text] as estates, '{}'::text[] as users from public.estate_stage_days where n > 0`,
		key: `estate_id::text || ':' || stage || ':' || days`,
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public, the bench issue and B's visit accepted",
				setup: (c) => [publicBoard(c.w.a.id), ...acceptBoth(c)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			},
			{
				what: "the bench issue and B's visit accepted",
				setup: (c) => acceptBoth(c),
				expect: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'claim quick acceptances in A',
				run: (c) => ({ sql: `insert into public.estate_stage_days (estate_id, stage, days, n) values ($1, 'accept', 0, 99)`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.estate_stage_days where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "shorten A's stages",
				setup: (c) => acceptBoth(c),
				run: (c) => ({ sql: `update public.estate_stage_days set days = 0 where estate_id = $1`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select days, n from public.estate_stage_days where estate_id = $1 order by 1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "drop A's slow stages",
				setup: (c) => acceptBoth(c),
				run: (c) => ({ sql: 'delete from public.estate_stage_days where estate_id = $1', params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.estate_stage_days where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	transparency_stamps: {
		// A counter per estate, bumped by triggers on what its transparency page shows: anyone reads it (it says that
		// something changed, never what); no one writes it.
		universe: `select estate_id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.transparency_stamps`,
		key: 'estate_id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'a stamp for an estate',
				run: (c) => ({ sql: `insert into public.transparency_stamps (estate_id, version) values ($1, 99) on conflict do nothing`, params: [c.w.b.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.transparency_stamps where estate_id = $1 and version = 99', params: [c.w.b.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "hold A's page at an old version",
				run: (c) => ({ sql: `update public.transparency_stamps set version = 1 where estate_id = $1`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select version::text from public.transparency_stamps where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "drop A's stamp",
				run: (c) => ({ sql: 'delete from public.transparency_stamps where estate_id = $1', params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.transparency_stamps where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	estate_daily_stats: {
		// Kept by the timeline's trigger only: no one writes it; its readers are the issues' readers and the street's administrators.
		universe: `select estate_id::text || ':' || day as key, array[estate_id::text] as estates, '{}'::text[] as users from public.estate_daily_stats`,
		key: `estate_id::text || ':' || day`,
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'claim completions in A yesterday',
				run: (c) => ({ sql: `insert into public.estate_daily_stats (estate_id, day, completed) values ($1, current_date - 1, 99)`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.estate_daily_stats where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "inflate A's completions",
				run: (c) => ({ sql: `update public.estate_daily_stats set completed = 99 where estate_id = $1`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select completed from public.estate_daily_stats where estate_id = $1 order by day', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "drop A's days",
				run: (c) => ({ sql: 'delete from public.estate_daily_stats where estate_id = $1', params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.estate_daily_stats where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	issue_stage_times: {
		// Each issue's first arrival at each stage and latest entry, kept by the timeline's trigger: its readers are the issues' readers and the street's administrators.
		universe: `select issue_id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.issue_stage_times`,
		key: 'issue_id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'date an acceptance for an issue of A',
				run: (c) => ({ sql: `insert into public.issue_stage_times (issue_id, estate_id, accepted_at) values ($1, $2, now())`, params: [c.fresh, c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_stage_times where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'move the proposal time of the bench issue',
				run: (c) => ({ sql: `update public.issue_stage_times set proposed_at = now() - interval '1 year' where issue_id = $1`, params: [c.i.a.bench] }),
				watch: (c) => ({ sql: 'select proposed_at from public.issue_stage_times where issue_id = $1', params: [c.i.a.bench] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'forget the stages of the bench issue',
				run: (c) => ({ sql: 'delete from public.issue_stage_times where issue_id = $1', params: [c.i.a.bench] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_stage_times where issue_id = $1', params: [c.i.a.bench] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	streets: {
		universe: `select id::text as key, '{}'::text[] as estates, '{}'::text[] as users from public.streets`,
		key: 'id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		selectWhen: [{ what: 'a street', setup: (c) => [aStreet(c)], expect: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all') }],
		writes: [
			{
				op: 'insert',
				what: 'add a street',
				run: (c) => ({ sql: `insert into public.streets (id, name) values ($1, '新街道')`, params: [c.fresh] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.streets where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok')
			},
			{
				op: 'update',
				what: 'rename a street',
				setup: (c) => [aStreet(c)],
				run: (c) => ({ sql: `update public.streets set name = '改名街道' where id = $1`, params: [c.fresh] }),
				watch: (c) => ({ sql: 'select name from public.streets where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok')
			},
			{
				op: 'delete',
				what: 'remove a street',
				setup: (c) => [aStreet(c)],
				run: (c) => ({ sql: 'delete from public.streets where id = $1', params: [c.fresh] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.streets where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok')
			}
		]
	},

	street_admins: {
		universe: `select street_id::text || ':' || user_id::text as key, '{}'::text[] as estates, array[user_id::text] as users from public.street_admins`,
		key: `street_id::text || ':' || user_id::text`,
		personal: ['user_id', 'granted_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'none', 'none', 'none', 'none', 'none', 'none', 'all'),
		selectWhen: [
			{
				what: 'the resident and committeeB administer a street',
				setup: (c) => [aStreet(c), ...streetAdmins(c, [c.w.users.resident, c.w.users.committeeB])],
				expect: cells('denied', 'none', 'none', 'none', 'own', 'none', 'none', 'own', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'make oneself (the resident for anon) administrator of a street',
				setup: (c) => [aStreet(c)],
				run: (c) => ({ sql: `insert into public.street_admins (street_id, user_id) values ($1, coalesce($2, $3)::uuid)`, params: [c.fresh, c.me, c.w.users.resident] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.street_admins where street_id = $1', params: [c.fresh] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'update',
				what: "hand the resident's street role to oneself",
				setup: (c) => [aStreet(c), ...streetAdmins(c, [c.w.users.resident])],
				run: (c) => ({ sql: `update public.street_admins set user_id = coalesce($2, $3)::uuid where street_id = $1`, params: [c.fresh, c.me, c.w.users.committeeB] }),
				watch: (c) => ({ sql: 'select user_id::text from public.street_admins where street_id = $1', params: [c.fresh] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			},
			{
				op: 'delete',
				what: "take the resident's street role away",
				setup: (c) => [aStreet(c), ...streetAdmins(c, [c.w.users.resident])],
				run: (c) => ({ sql: 'delete from public.street_admins where street_id = $1', params: [c.fresh] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.street_admins where street_id = $1', params: [c.fresh] }),
				expect: WRITES_THROUGH_FUNCTIONS_ONLY
			}
		]
	},

	issue_search_pairs: {
		// Kept by a trigger on issues only: no one writes it, its readers are the issues' readers.
		universe: `select issue_id::text || ':' || pair as key, array[estate_id::text] as estates, '{}'::text[] as users from public.issue_search_pairs`,
		key: `issue_id::text || ':' || pair`,
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'plant a pair on an issue of A',
				run: (c) => ({ sql: `insert into public.issue_search_pairs (estate_id, pair, issue_id) values ($1, '游泳', $2)`, params: [c.w.a.id, c.i.a.hotline] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_search_pairs where issue_id = $1', params: [c.i.a.hotline] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "rewrite the pairs of A's issues",
				run: (c) => ({ sql: `update public.issue_search_pairs set pair = '游泳' where estate_id = $1`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select string_agg(pair, \',\' order by pair, issue_id) as pairs from public.issue_search_pairs where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "drop A's pairs",
				run: (c) => ({ sql: 'delete from public.issue_search_pairs where estate_id = $1', params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.issue_search_pairs where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	estate_area_lists: {
		// Kept by a trigger on areas only: no one writes it; its readers are the areas' (anyone).
		universe: `select estate_id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.estate_area_lists`,
		key: 'estate_id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'plant a list for an estate that has none',
				setup: (c) => [{ sql: 'delete from public.estate_area_lists where estate_id = $1', params: [c.w.a.id] }],
				run: (c) => ({ sql: `insert into public.estate_area_lists (estate_id, areas) values ($1, '[]')`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.estate_area_lists where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "empty A's list",
				run: (c) => ({ sql: `update public.estate_area_lists set areas = '[]' where estate_id = $1`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select areas::text from public.estate_area_lists where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "drop A's list",
				run: (c) => ({ sql: 'delete from public.estate_area_lists where estate_id = $1', params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.estate_area_lists where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	issue_transitions: {
		universe: `select action || ':' || from_status as key, '{}'::text[] as estates, '{}'::text[] as users from public.issue_transitions`,
		key: `action || ':' || from_status`,
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'add a shortcut from proposed to completed',
				run: () => ({ sql: `insert into public.issue_transitions (action, from_status, to_status, actor) values ('finish', 'proposed', 'completed', 'author')` }),
				watch: () => ({ sql: 'select count(*)::int as n from public.issue_transitions' }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'let authors accept their own issues',
				run: () => ({ sql: `update public.issue_transitions set actor = 'author' where action = 'accept'` }),
				watch: () => ({ sql: `select actor from public.issue_transitions where action = 'accept'` }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove the decline transition',
				run: () => ({ sql: `delete from public.issue_transitions where action = 'decline'` }),
				watch: () => ({ sql: 'select count(*)::int as n from public.issue_transitions' }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** The search vocabulary is public, and changed by migrations only. */
	search_synonyms: {
		universe: `select word as key, '{}'::text[] as estates, '{}'::text[] as users from public.search_synonyms`,
		key: 'word',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'make 广告 mean 长椅',
				run: () => ({ sql: `insert into public.search_synonyms (word, group_no) values ('广告', 1)` }),
				watch: () => ({ sql: 'select count(*)::int as n from public.search_synonyms' }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'move 座椅 to another group',
				run: () => ({ sql: `update public.search_synonyms set group_no = 99 where word = '座椅'` }),
				watch: () => ({ sql: `select group_no from public.search_synonyms where word = '座椅'` }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'forget 长椅',
				run: () => ({ sql: `delete from public.search_synonyms where word = '长椅'` }),
				watch: () => ({ sql: 'select count(*)::int as n from public.search_synonyms' }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** The timeline is append-only and written by the functions only. */
	issue_events: {
		universe: `select e.id::text as key, array[i.estate_id::text] as estates, '{}'::text[] as users
		           from public.issue_events e join public.issues i on i.id = e.issue_id`,
		key: 'id::text',
		personal: ['actor_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'add an acceptance to the timeline of the bench issue',
				run: (c) => ({
					sql: `insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status) values ($1, $2, 'transition', 'accept', 'proposed', 'accepted')`,
					params: [c.i.a.bench, c.me]
				}),
				watch: (c) => countEvents(c.i.a.bench),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'rewrite the timeline of the bench issue',
				run: (c) => ({ sql: `update public.issue_events set reason = '改写' where issue_id = $1`, params: [c.i.a.bench] }),
				watch: (c) => ({ sql: 'select reason from public.issue_events where issue_id = $1 order by id', params: [c.i.a.bench] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'erase the timeline of the bench issue',
				run: (c) => ({ sql: 'delete from public.issue_events where issue_id = $1', params: [c.i.a.bench] }),
				watch: (c) => countEvents(c.i.a.bench),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Readers of the issue see visible and deleted comments; its author and the staff (moderators, committee) hidden ones too. */
	comments: {
		universe: `select c.id::text as key,
		             case when c.state in ('visible', 'deleted') then array[i.estate_id::text] else '{}'::text[] end as estates,
		             array[c.author_id::text] as users, array[i.estate_id::text] as staff
		           from public.comments c join public.issues i on i.id = c.issue_id`,
		key: 'id::text',
		personal: ['author_id', 'moderated_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'own+A', 'staffA', 'staffA', 'staffB', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'own+A', 'staffA', 'staffA', 'A+staffB', 'all')
			},
			{
				what: 'the hidden comment of A deleted by its author',
				setup: (c) => [{ sql: `update public.comments set state = 'deleted', body = null where id = $1`, params: [c.i.a.comments.hidden] }],
				expect: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'comment on the bench issue of A as oneself',
				run: (c) => ({ sql: `insert into public.comments (id, issue_id, author_id, stance, body) values ($1, $2, $3, 'support', '赞成')`, params: [c.fresh, c.i.a.bench, c.me] }),
				watch: (c) => countComment(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'ok', 'ok', 'ok', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: "comment on the bench issue of A when A's board is public",
				setup: (c) => [publicBoard(c.w.a.id)],
				run: (c) => ({ sql: `insert into public.comments (id, issue_id, author_id, stance, body) values ($1, $2, $3, 'support', '赞成')`, params: [c.fresh, c.i.a.bench, c.me] }),
				watch: (c) => countComment(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'ok', 'ok', 'ok', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: "comment on the bench issue of A in the volunteer's name",
				run: (c) => ({
					sql: `insert into public.comments (id, issue_id, author_id, stance, body) values ($1, $2, $3, 'support', '赞成')`,
					params: [c.fresh, c.i.a.bench, c.w.users.volunteer]
				}),
				watch: (c) => countComment(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'post a comment with its own state and a date in the future (an edit window for ever)',
				run: (c) => ({
					sql: `insert into public.comments (id, issue_id, author_id, stance, body, state, created_at) values ($1, $2, $3, 'support', '赞成', 'visible', '2999-01-01')`,
					params: [c.fresh, c.i.a.bench, c.me]
				}),
				watch: (c) => countComment(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'reply to a reply (two levels deep)',
				run: (c) => ({
					sql: `insert into public.comments (id, issue_id, parent_id, author_id, stance, body) values ($1, $2, $3, $4, 'support', '赞成')`,
					params: [c.fresh, c.i.a.bench, c.i.a.comments.reply, c.me]
				}),
				watch: (c) => countComment(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'reply on the bench issue to a comment of the issue of B',
				run: (c) => ({
					sql: `insert into public.comments (id, issue_id, parent_id, author_id, stance, body) values ($1, $2, $3, $4, 'support', '赞成')`,
					params: [c.fresh, c.i.a.bench, c.i.b.comments.top, c.me]
				}),
				watch: (c) => countComment(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'comment on the issue of B as oneself',
				run: (c) => ({ sql: `insert into public.comments (id, issue_id, author_id, stance, body) values ($1, $2, $3, 'support', '赞成')`, params: [c.fresh, c.i.b.visit, c.me] }),
				watch: (c) => countComment(c.fresh),
				expect: cells('denied', 'denied', 'ok', 'denied', 'denied', 'denied', 'denied', 'ok', 'denied')
			},
			{
				op: 'update',
				what: "edit the resident's reply",
				run: (c) => ({ sql: `update public.comments set body = '改过了' where id = $1`, params: [c.i.a.comments.reply] }),
				watch: (c) => ({ sql: 'select body from public.comments where id = $1', params: [c.i.a.comments.reply] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'restore the hidden comment',
				run: (c) => ({ sql: `update public.comments set state = 'visible' where id = $1`, params: [c.i.a.comments.hidden] }),
				watch: (c) => ({ sql: 'select state from public.comments where id = $1', params: [c.i.a.comments.hidden] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove the resident's reply",
				run: (c) => ({ sql: 'delete from public.comments where id = $1', params: [c.i.a.comments.reply] }),
				watch: (c) => countComment(c.i.a.comments.reply),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Earlier texts: the comment's author and the staff (moderators, committee). */
	comment_revisions: {
		universe: `select r.id::text as key, '{}'::text[] as estates, array[c.author_id::text] as users, array[i.estate_id::text] as staff
		           from public.comment_revisions r join public.comments c on c.id = r.comment_id join public.issues i on i.id = c.issue_id`,
		key: 'id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'staffA', 'staffA', 'staffB', 'all'),
		writes: [
			{
				op: 'insert',
				what: "forge an earlier text of the resident's reply",
				run: (c) => ({ sql: `insert into public.comment_revisions (comment_id, body) values ($1, '伪造')`, params: [c.i.a.comments.reply] }),
				watch: (c) => countRevisions(c.i.a.comments.reply),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "rewrite the earlier text of the resident's reply",
				run: (c) => ({ sql: `update public.comment_revisions set body = '改写' where comment_id = $1`, params: [c.i.a.comments.reply] }),
				watch: (c) => ({ sql: 'select body from public.comment_revisions where comment_id = $1', params: [c.i.a.comments.reply] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "erase the earlier text of the resident's reply",
				run: (c) => ({ sql: 'delete from public.comment_revisions where comment_id = $1', params: [c.i.a.comments.reply] }),
				watch: (c) => countRevisions(c.i.a.comments.reply),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Reports: the reporter, and the staff (moderators, committee) of the estate. */
	comment_reports: {
		universe: `select r.comment_id::text || ':' || r.reporter_id::text as key, '{}'::text[] as estates, array[r.reporter_id::text] as users,
		             array[i.estate_id::text] as staff
		           from public.comment_reports r join public.comments c on c.id = r.comment_id join public.issues i on i.id = c.issue_id`,
		key: `comment_id::text || ':' || reporter_id::text`,
		personal: ['reporter_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'none', 'none', 'own', 'staffA', 'staffA', 'own+staffB', 'all'),
		writes: [
			{
				op: 'insert',
				what: "report the committee's comment in A as oneself",
				run: (c) => ({
					sql: `insert into public.comment_reports (comment_id, reporter_id, reason) values ($1, $2, '不实')`,
					params: [c.i.a.comments.top, c.me]
				}),
				watch: (c) => countReports(c.i.a.comments.top),
				expect: cells('denied', 'denied', 'denied', 'denied', 'ok', 'ok', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: "report the committee's comment in A in the volunteer's name",
				run: (c) => ({
					sql: `insert into public.comment_reports (comment_id, reporter_id, reason) values ($1, $2, '不实')`,
					params: [c.i.a.comments.top, c.w.users.volunteer]
				}),
				watch: (c) => countReports(c.i.a.comments.top),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'report the hidden comment of A (which only the staff see)',
				setup: (c) => [{ sql: 'delete from public.comment_reports where comment_id = $1', params: [c.i.a.comments.hidden] }],
				run: (c) => ({
					sql: `insert into public.comment_reports (comment_id, reporter_id, reason) values ($1, $2, '不实')`,
					params: [c.i.a.comments.hidden, c.me]
				}),
				watch: (c) => countReports(c.i.a.comments.hidden),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'ok', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: "report otherEstate's comment in B",
				setup: (c) => [{ sql: 'delete from public.comment_reports where comment_id = $1', params: [c.i.b.comments.top] }],
				run: (c) => ({
					sql: `insert into public.comment_reports (comment_id, reporter_id, reason) values ($1, $2, '不实')`,
					params: [c.i.b.comments.top, c.me]
				}),
				watch: (c) => countReports(c.i.b.comments.top),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'denied')
			},
			{
				op: 'update',
				what: "change the reason of the resident's report",
				run: (c) => ({ sql: `update public.comment_reports set reason = '改了' where reporter_id = $1`, params: [c.w.users.resident] }),
				watch: (c) => ({ sql: 'select reason from public.comment_reports where reporter_id = $1', params: [c.w.users.resident] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "retract the resident's report",
				run: (c) => ({ sql: 'delete from public.comment_reports where reporter_id = $1', params: [c.w.users.resident] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.comment_reports where reporter_id = $1', params: [c.w.users.resident] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Notifications are their person's own: administrators included. */
	notifications: {
		universe: `select id::text as key, '{}'::text[] as estates, array[user_id::text] as users from public.notifications`,
		key: 'id::text',
		personal: ['user_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'own', 'own', 'own', 'own', 'own', 'own', 'own', 'own'),
		writes: [
			{
				op: 'insert',
				what: 'notify oneself',
				run: (c) => ({ sql: `insert into public.notifications (user_id, kind, payload) values ($1, 'issue_status', $2::text::jsonb)`, params: [c.me, probePayload(c)] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.notifications where payload = $1::text::jsonb', params: [probePayload(c)] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'mark an own notification read',
				setup: (c) => [probeNotification(c)],
				run: (c) => ({ sql: 'update public.notifications set read_at = now() where payload = $1::text::jsonb', params: [probePayload(c)] }),
				watch: (c) => ({ sql: 'select read_at is not null as read from public.notifications where payload = $1::text::jsonb', params: [probePayload(c)] }),
				expect: cells('denied', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok')
			},
			{
				op: 'update',
				what: "mark the resident's notifications read",
				run: (c) => ({ sql: 'update public.notifications set read_at = now() where user_id = $1', params: [c.w.users.resident] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.notifications where user_id = $1 and read_at is null', params: [c.w.users.resident] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'no-op', 'no-op', 'no-op')
			},
			{
				op: 'update',
				what: 'rewrite an own notification',
				setup: (c) => [probeNotification(c)],
				run: (c) => ({ sql: `update public.notifications set payload = '{"to":"approved"}' where payload = $1::text::jsonb`, params: [probePayload(c)] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.notifications where payload = $1::text::jsonb', params: [probePayload(c)] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "take over the resident's notifications",
				run: (c) => ({ sql: 'update public.notifications set user_id = $2 where user_id = $1', params: [c.w.users.resident, c.me] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.notifications where user_id = $1', params: [c.w.users.resident] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove an own notification',
				setup: (c) => [probeNotification(c)],
				run: (c) => ({ sql: 'delete from public.notifications where payload = $1::text::jsonb', params: [probePayload(c)] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.notifications where payload = $1::text::jsonb', params: [probePayload(c)] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	// ------------------------------------------------------------------ votes (seedVotes)

	/** A vote is read where the estate's issues are, signed in; every write goes through the vote functions. */
	votes: {
		universe: `select id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.votes`,
		key: 'id::text',
		personal: ['created_by', 'closed_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'set up a vote on the bench issue of A directly, open at once',
				run: (c) => ({
					sql: `insert into public.votes (id, estate_id, issue_id, question, kind, rule, electorate_kind, opens_at, closes_at, status)
					      values ($1, $2, $3, '直接表决', 'consultative', 'more_yes', 'residents', now(), now() + interval '1 day', 'open')`,
					params: [c.fresh, c.w.a.id, c.i.a.bench]
				}),
				watch: (c) => countVote(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'set up a vote on the issue of B directly',
				run: (c) => ({
					sql: `insert into public.votes (id, estate_id, issue_id, question, kind, rule, electorate_kind, opens_at, closes_at)
					      values ($1, $2, $3, '直接表决', 'consultative', 'more_yes', 'residents', now(), now() + interval '1 day')`,
					params: [c.fresh, c.w.b.id, c.i.b.visit]
				}),
				watch: (c) => countVote(c.fresh),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "close the open owners' vote of A without a tally",
				run: (c) => ({ sql: `update public.votes set status = 'closed', closed_at = now() where id = $1`, params: [c.v.a.owners.id] }),
				watch: (c) => ({ sql: 'select status from public.votes where id = $1', params: [c.v.a.owners.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "lower the electorate's total area of the open owners' vote of A",
				run: (c) => ({ sql: 'update public.votes set total_area = 1 where id = $1', params: [c.v.a.owners.id] }),
				watch: (c) => ({ sql: 'select total_area::text from public.votes where id = $1', params: [c.v.a.owners.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'put back the closing time of the vote of B by a month',
				run: (c) => ({ sql: `update public.votes set closes_at = closes_at + interval '30 days' where id = $1`, params: [c.v.b.open.id] }),
				watch: (c) => ({ sql: 'select closes_at from public.votes where id = $1', params: [c.v.b.open.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove the open owners' vote of A (with its ballots)",
				run: (c) => ({ sql: 'delete from public.votes where id = $1', params: [c.v.a.owners.id] }),
				watch: (c) => countVote(c.v.a.owners.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove the vote of B',
				run: (c) => ({ sql: 'delete from public.votes where id = $1', params: [c.v.b.open.id] }),
				watch: (c) => countVote(c.v.b.open.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	vote_options: {
		universe: `select o.vote_id::text || ':' || o.position as key, array[v.estate_id::text] as estates, '{}'::text[] as users
		           from public.vote_options o join public.votes v on v.id = o.vote_id`,
		key: `vote_id::text || ':' || position`,
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: "add an option to the open owners' vote of A",
				run: (c) => ({ sql: `insert into public.vote_options (vote_id, position, role, label) values ($1, 4, 'custom', '暂缓')`, params: [c.v.a.owners.id] }),
				watch: (c) => countOptions(c.v.a.owners.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "turn 'no' into 'yes' in the open owners' vote of A",
				run: (c) => ({ sql: `update public.vote_options set role = 'yes' where vote_id = $1 and position = 2`, params: [c.v.a.owners.id] }),
				watch: (c) => ({ sql: 'select role from public.vote_options where vote_id = $1 order by position', params: [c.v.a.owners.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove the 'no' option of the vote of B",
				run: (c) => ({ sql: 'delete from public.vote_options where vote_id = $1 and position = 2', params: [c.v.b.open.id] }),
				watch: (c) => countOptions(c.v.b.open.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Staff: moderators and the committee of the estate (door-to-door reminders); nobody reads their own row directly. */
	vote_electorate: {
		universe: `select e.id::text as key, '{}'::text[] as estates, '{}'::text[] as users, array[v.estate_id::text] as staff
		           from public.vote_electorate e join public.votes v on v.id = e.vote_id`,
		key: 'id::text',
		personal: ['user_id', 'label'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'none', 'none', 'none', 'staffA', 'staffA', 'staffB', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'none', 'none', 'none', 'none', 'staffA', 'staffA', 'staffB', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: "add a made-up unit of 1000 m² to the open owners' vote of A",
				run: (c) => ({
					sql: `insert into public.vote_electorate (vote_id, label, floor_area, owner_key) values ($1, '虚构 999', 1000, 'unit:made-up')`,
					params: [c.v.a.owners.id]
				}),
				watch: (c) => countElectorate(c.v.a.owners.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'add oneself to the electorate of the vote of B',
				run: (c) => ({
					sql: `insert into public.vote_electorate (vote_id, user_id, label, owner_key) values ($1, $2, '新选民', $3)`,
					params: [c.v.b.open.id, c.me, `user:${c.me}`]
				}),
				watch: (c) => countElectorate(c.v.b.open.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "double the floor area of 1栋/1/101 in the open owners' vote of A",
				run: (c) => ({ sql: 'update public.vote_electorate set floor_area = floor_area * 2 where id = $1', params: [c.v.a.owners.electors['1栋/1/101']] }),
				watch: (c) => ({ sql: 'select floor_area::text from public.vote_electorate where id = $1', params: [c.v.a.owners.electors['1栋/1/101']] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "count the developer's unit as 张三's in the open owners' vote of A",
				run: (c) => ({
					sql: 'update public.vote_electorate set owner_key = (select owner_key from public.vote_electorate where id = $2) where id = $1',
					params: [c.v.a.owners.electors['2栋//102'], c.v.a.owners.electors['1栋/1/101']]
				}),
				watch: (c) => ({ sql: 'select owner_key from public.vote_electorate where id = $1', params: [c.v.a.owners.electors['2栋//102']] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "strike the developer's unit 2栋//102 from the open owners' vote of A",
				run: (c) => ({ sql: 'delete from public.vote_electorate where id = $1', params: [c.v.a.owners.electors['2栋//102']] }),
				watch: (c) => countElectorate(c.v.a.owners.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'strike committeeB from the electorate of the vote of B',
				run: (c) => ({ sql: 'delete from public.vote_electorate where id = $1', params: [c.v.b.open.electors.committeeB] }),
				watch: (c) => countElectorate(c.v.b.open.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/**
	 * "Own": who cast or entered the ballot (cast_by). Staff: the committee (and administrators) of the
	 * estate, once an open-ballot (not secret) vote closed. Nobody else, ever: not the moderators, not the
	 * committee while the vote is open or when it is secret.
	 */
	ballots: {
		universe: `select b.id::text as key, '{}'::text[] as estates, array_remove(array[b.cast_by::text], null) as users,
		             case when v.status = 'closed' and not v.secret then array[v.estate_id::text] else '{}'::text[] end as staff
		           from public.ballots b join public.votes v on v.id = b.vote_id`,
		key: 'id::text',
		personal: ['cast_by', 'proxy_name'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'own', 'own+staffA', 'staffB', 'staffA+staffB'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'none', 'own', 'none', 'own', 'own', 'own+staffA', 'staffB', 'staffA+staffB')
			},
			{
				what: "the secret owners' vote of A closed",
				setup: (c) => closeVote(c.v.a.owners.id),
				expect: cells('denied', 'none', 'own', 'none', 'own', 'own', 'own+staffA', 'staffB', 'staffA+staffB')
			},
			{
				what: 'the open-ballot vote of B closed',
				setup: (c) => closeVote(c.v.b.open.id),
				expect: cells('denied', 'none', 'own', 'none', 'own', 'own', 'own+staffA', 'staffB', 'staffA+staffB')
			},
			{
				what: 'the closed vote of A made secret',
				setup: (c) => [{ sql: 'update public.votes set secret = true where id = $1', params: [c.v.a.consult.id] }],
				expect: cells('denied', 'none', 'own', 'none', 'own', 'own', 'own+staffA', 'staffB', 'staffA+staffB')
			}
		],
		writes: [
			{
				op: 'insert',
				what: "cast a ballot for 1栋/1/201 in the open owners' vote of A as oneself",
				run: (c) => ({
					sql: `insert into public.ballots (vote_id, elector_id, choice, cast_by, channel, receipt) values ($1, $2, '{1}', $3, 'online', 'AAAA-BBBB-CCCC')`,
					params: [c.v.a.owners.id, c.v.a.owners.electors['1栋/1/201'], c.me]
				}),
				watch: (c) => countBallots(c.v.a.owners.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'enter a paper ballot for committeeB in the vote of B',
				run: (c) => ({
					sql: `insert into public.ballots (vote_id, elector_id, choice, cast_by, channel, paper_ref, receipt) values ($1, $2, '{2}', $3, 'paper', 'P-9', 'AAAA-BBBB-CCCC')`,
					params: [c.v.b.open.id, c.v.b.open.electors.committeeB, c.me]
				}),
				watch: (c) => countBallots(c.v.b.open.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "change the choice of the resident's ballot in the open owners' vote of A",
				run: (c) => ({ sql: `update public.ballots set choice = '{2}' where id = $1`, params: [c.v.a.owners.ballots.resident] }),
				watch: (c) => ({ sql: 'select choice::text from public.ballots where id = $1', params: [c.v.a.owners.ballots.resident] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "set aside the moderator's paper ballot in the open owners' vote of A",
				run: (c) => ({ sql: 'update public.ballots set superseded_at = now() where id = $1', params: [c.v.a.owners.ballots.moderator] }),
				watch: (c) => ({ sql: 'select superseded_at from public.ballots where id = $1', params: [c.v.a.owners.ballots.moderator] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'claim the ballots of the closed vote of A as cast by oneself',
				run: (c) => ({ sql: 'update public.ballots set cast_by = $2 where vote_id = $1', params: [c.v.a.consult.id, c.me] }),
				watch: (c) => ({ sql: 'select cast_by::text from public.ballots where vote_id = $1 order by id', params: [c.v.a.consult.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "withdraw the resident's ballot in the open owners' vote of A",
				run: (c) => ({ sql: 'delete from public.ballots where id = $1', params: [c.v.a.owners.ballots.resident] }),
				watch: (c) => countBallots(c.v.a.owners.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'erase the ballots of the closed vote of A',
				run: (c) => ({ sql: 'delete from public.ballots where vote_id = $1', params: [c.v.a.consult.id] }),
				watch: (c) => countBallots(c.v.a.consult.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Read where the vote is; written once by the tally at close, and frozen (a trigger refuses any change, see votes.test.ts). */
	vote_results: {
		universe: `select r.vote_id::text as key, array[v.estate_id::text] as estates, '{}'::text[] as users
		           from public.vote_results r join public.votes v on v.id = r.vote_id`,
		key: 'vote_id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			},
			{
				what: 'the vote of B closed',
				setup: (c) => closeVote(c.v.b.open.id),
				expect: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: "publish a result for the open owners' vote of A",
				run: (c) => forgedResult(c.v.a.owners.id),
				watch: (c) => countResults(c.v.a.owners.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'insert',
				what: 'publish a result for the vote of B',
				run: (c) => forgedResult(c.v.b.open.id),
				watch: (c) => countResults(c.v.b.open.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "turn the result of the closed vote of A into 'failed'",
				run: (c) => ({ sql: `update public.vote_results set outcome = 'failed' where vote_id = $1`, params: [c.v.a.consult.id] }),
				watch: (c) => ({ sql: 'select outcome from public.vote_results where vote_id = $1', params: [c.v.a.consult.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'drop a receipt from the published result of the closed vote of A',
				run: (c) => ({ sql: 'update public.vote_results set receipts = receipts[2:] where vote_id = $1', params: [c.v.a.consult.id] }),
				watch: (c) => ({ sql: 'select receipts from public.vote_results where vote_id = $1', params: [c.v.a.consult.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove the result of the closed vote of A',
				run: (c) => ({ sql: 'delete from public.vote_results where vote_id = $1', params: [c.v.a.consult.id] }),
				watch: (c) => countResults(c.v.a.consult.id),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** What can be published: public, and changed by migrations only (later capabilities add their kind). */
	publication_kinds: {
		universe: `select kind as key, '{}'::text[] as estates, '{}'::text[] as users from public.publication_kinds`,
		key: 'kind',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'add a kind',
				run: () => ({ sql: `insert into public.publication_kinds (kind, subject) values ('advert', 'issue')` }),
				watch: () => ({ sql: 'select count(*)::int as n from public.publication_kinds' }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'rename the decision kind',
				run: () => ({ sql: `update public.publication_kinds set subject = 'meeting' where kind = 'decision'` }),
				watch: () => ({ sql: `select subject from public.publication_kinds where kind = 'decision'` }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove the decision kind',
				run: () => ({ sql: `delete from public.publication_kinds where kind = 'decision'` }),
				watch: () => ({ sql: 'select count(*)::int as n from public.publication_kinds' }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** What an issue's timeline can record: public, and changed by migrations only (each capability adds its kinds). */
	issue_event_kinds: kindsSpec('issue_event_kinds', 'proposed'),

	/** What a person can be notified of: public, and changed by migrations only (each capability adds its kinds). */
	notification_kinds: kindsSpec('notification_kinds', 'vote_opened'),

	/** A plan's work items (the root is the plan): read where the estate's issues are read; who planned is personal; written by the functions only. */
	work_items: progressSpec('work_items', 'id::text', ['created_by'], {
		insert: (c) => ({
			sql: `insert into public.work_items (issue_id, estate_id, parent_id, title) values ($1, $2, $3, '伪造的子项')`,
			params: [c.pr.a.issue, c.w.a.id, c.pr.a.root]
		}),
		update: (c) => ({ sql: `update public.work_items set weight = 0 where id = $1`, params: [c.pr.a.sub] }),
		del: (c) => ({ sql: 'delete from public.work_items where id = $1', params: [c.pr.a.sub] }),
		watch: (c) => ({ sql: 'select count(*)::int as n, sum(weight)::text as w from public.work_items where issue_id = $1', params: [c.pr.a.issue] })
	}),

	/** Milestones: read with their plan; who marked one done is personal; written by the functions only. */
	milestones: progressSpec('milestones', 'id::text', ['done_by'], {
		insert: (c) => ({
			sql: `insert into public.milestones (item_id, issue_id, estate_id, title, done_at) values ($1, $2, $3, '伪造的节点', now())`,
			params: [c.pr.a.sub, c.pr.a.issue, c.w.a.id]
		}),
		update: (c) => ({ sql: `update public.milestones set done_at = now() where id = $1`, params: [c.pr.a.open] }),
		del: (c) => ({ sql: 'delete from public.milestones where id = $1', params: [c.pr.a.open] }),
		watch: (c) => ({ sql: 'select count(*)::int as n, count(done_at)::int as done from public.milestones where issue_id = $1', params: [c.pr.a.issue] })
	}),

	/** Progress notes: read with the issue; the author is personal; written by post_progress and complete_milestone only. */
	progress_updates: progressSpec('progress_updates', 'id::text', ['author_id'], {
		insert: (c) => ({
			sql: `insert into public.progress_updates (issue_id, estate_id, note) values ($1, $2, '伪造的进展')`,
			params: [c.pr.a.issue, c.w.a.id]
		}),
		update: (c) => ({ sql: `update public.progress_updates set note = '改写' where id = $1`, params: [c.pr.a.update] }),
		del: (c) => ({ sql: 'delete from public.progress_updates where id = $1', params: [c.pr.a.update] }),
		watch: (c) => ({ sql: 'select count(*)::int as n, string_agg(note, \',\') as notes from public.progress_updates where issue_id = $1', params: [c.pr.a.issue] })
	}),

	/** Photos of progress notes: read with the issue; written by the functions only. */
	progress_photos: progressSpec('progress_photos', `update_id::text || ':' || position`, [], {
		insert: (c) => ({
			sql: `insert into public.progress_photos (update_id, position, issue_id, estate_id, path, thumb_path, width, height) values ($1, 1, $2, $3, $4, $5, 800, 600)`,
			params: [c.pr.a.update, c.pr.a.issue, c.w.a.id, `issues/${c.fresh}.jpg`, `issues/${c.fresh}_t.jpg`]
		}),
		update: (c) => ({ sql: `update public.progress_photos set path = 'issues/swapped.jpg' where update_id = $1`, params: [c.pr.a.update] }),
		del: (c) => ({ sql: 'delete from public.progress_photos where update_id = $1', params: [c.pr.a.update] }),
		watch: (c) => ({ sql: 'select count(*)::int as n, string_agg(path, \',\') as paths from public.progress_photos where issue_id = $1', params: [c.pr.a.issue] })
	}),

	/** Motions name their mover (an attendance row): the estate's verified members and administrators read them; written by the room's functions only. */
	motions: {
		universe: `select mo.id::text as key, array[m.estate_id::text] as estates, '{}'::text[] as users from public.motions mo join public.meetings m on m.id = mo.meeting_id`,
		key: 'id::text',
		personal: ['mover_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		writes: [
			{
				op: 'insert',
				what: "move a motion in A's meeting directly",
				run: (c) => ({
					sql: `insert into public.motions (meeting_id, agenda_item_id, mover_id, body) values ($1, $2, $3, '伪造的动议')`,
					params: [c.mr.a.meeting, c.mr.a.item, c.mr.a.att.resident]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.motions where meeting_id = $1', params: [c.mr.a.meeting] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "carry A's motion without a vote",
				run: (c) => ({ sql: `update public.motions set status = 'carried', yes = 99, no = 0 where id = $1`, params: [c.mr.a.motion] }),
				watch: (c) => ({ sql: 'select status from public.motions where id = $1', params: [c.mr.a.motion] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove A's motion",
				run: (c) => ({ sql: 'delete from public.motions where id = $1', params: [c.mr.a.motion] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.motions where id = $1', params: [c.mr.a.motion] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Seconds (附议) by name: read like motions; written by second_motion only. */
	motion_seconds: {
		universe: `select s.motion_id::text || '/' || s.attendance_id::text as key, array[m.estate_id::text] as estates, '{}'::text[] as users
			from public.motion_seconds s join public.motions mo on mo.id = s.motion_id join public.meetings m on m.id = mo.meeting_id`,
		key: `motion_id::text || '/' || attendance_id::text`,
		personal: ['attendance_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		writes: [
			{
				op: 'insert',
				what: "second A's motion directly (for the moderator in the room)",
				run: (c) => ({ sql: 'insert into public.motion_seconds (motion_id, attendance_id) values ($1, $2)', params: [c.mr.a.motion, c.mr.a.att.moderator] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.motion_seconds where motion_id = $1', params: [c.mr.a.motion] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "move the second of A's motion to the mover",
				run: (c) => ({ sql: 'update public.motion_seconds set attendance_id = $2 where motion_id = $1', params: [c.mr.a.motion, c.mr.a.att.resident] }),
				watch: (c) => ({ sql: 'select attendance_id::text from public.motion_seconds where motion_id = $1', params: [c.mr.a.motion] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove the seconds of A's motion",
				run: (c) => ({ sql: 'delete from public.motion_seconds where motion_id = $1', params: [c.mr.a.motion] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.motion_seconds where motion_id = $1', params: [c.mr.a.motion] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** The speakers' queue and the speeches: read like attendance; written by the room's functions only, which enforce the rules. */
	speeches: {
		universe: `select s.id::text as key, array[m.estate_id::text] as estates, '{}'::text[] as users from public.speeches s join public.meetings m on m.id = s.meeting_id`,
		key: 'id::text',
		personal: ['attendance_id', 'queued_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		writes: [
			{
				op: 'insert',
				what: "queue the resident in A's meeting directly",
				run: (c) => ({
					sql: `insert into public.speeches (meeting_id, motion_id, attendance_id, stance) values ($1, $2, $3, 'order')`,
					params: [c.mr.a.meeting, c.mr.a.motion, c.mr.a.att.resident]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.speeches where meeting_id = $1', params: [c.mr.a.meeting] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "give the moderator of A the floor for an hour",
				run: (c) => ({
					sql: `update public.speeches set status = 'speaking', floor_at = now(), ends_at = now() + interval '1 hour' where id = $1`,
					params: [c.mr.a.speech]
				}),
				watch: (c) => ({ sql: 'select status from public.speeches where id = $1', params: [c.mr.a.speech] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "clear A's queue",
				run: (c) => ({ sql: 'delete from public.speeches where meeting_id = $1', params: [c.mr.a.meeting] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.speeches where meeting_id = $1', params: [c.mr.a.meeting] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Publications (公示): read where the estate's issues are read; written by the publication functions only. */
	publications: {
		universe: `select id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.publications`,
		key: 'id::text',
		personal: ['created_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'publish a decision of the bench issue of A directly',
				run: (c) => ({
					sql: `insert into public.publications (estate_id, kind, subject_id, issue_id, title, closes_at) values ($1, 'decision', $2, $2, '伪造的公示', now() + interval '1 day')`,
					params: [c.w.a.id, c.i.a.bench]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.publications where subject_id = $1', params: [c.i.a.bench] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "make A's publication final at once",
				run: (c) => ({ sql: `update public.publications set status = 'final', final_at = now() where id = $1`, params: [c.pu.a.id] }),
				watch: (c) => ({ sql: 'select status from public.publications where id = $1', params: [c.pu.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove A's publication",
				run: (c) => ({ sql: 'delete from public.publications where id = $1', params: [c.pu.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.publications where id = $1', params: [c.pu.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** The text as published, revision by revision: read with its publication, never edited (a trigger refuses even the owner). */
	publication_revisions: {
		universe: `select r.publication_id::text || ':' || r.revision as key, array[p.estate_id::text] as estates, '{}'::text[] as users
		           from public.publication_revisions r join public.publications p on p.id = r.publication_id`,
		key: `publication_id::text || ':' || revision`,
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: "add a revision to A's publication",
				run: (c) => ({
					sql: `insert into public.publication_revisions (publication_id, revision, paragraphs, opens_at, closes_at) values ($1, 2, '{改写}', now(), now() + interval '1 day')`,
					params: [c.pu.a.id]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.publication_revisions where publication_id = $1', params: [c.pu.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "rewrite the text of A's publication",
				run: (c) => ({ sql: `update public.publication_revisions set paragraphs = '{改写}' where publication_id = $1`, params: [c.pu.a.id] }),
				watch: (c) => ({ sql: 'select paragraphs from public.publication_revisions where publication_id = $1', params: [c.pu.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove the text of A's publication",
				run: (c) => ({ sql: 'delete from public.publication_revisions where publication_id = $1', params: [c.pu.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.publication_revisions where publication_id = $1', params: [c.pu.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Objections: read with their publication, who objected and who answered not (personal); written by the functions only. */
	objections: {
		universe: `select o.id::text as key, array[p.estate_id::text] as estates, '{}'::text[] as users
		           from public.objections o join public.publications p on p.id = o.publication_id`,
		key: 'id::text',
		personal: ['objector_id', 'answered_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: "object to A's publication directly",
				run: (c) => ({
					sql: `insert into public.objections (publication_id, revision, paragraph, reason, objector_id) values ($1, 1, 1, '直接写入', $2)`,
					params: [c.pu.a.id, c.me]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.objections where publication_id = $1', params: [c.pu.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "answer the resident's objection in A directly",
				run: (c) => ({
					sql: `update public.objections set answer = 'rejected', answer_reason = '不理', answered_at = now() where id = $1`,
					params: [c.pu.a.objections.resident]
				}),
				watch: (c) => ({ sql: 'select answer from public.objections where id = $1', params: [c.pu.a.objections.resident] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "withdraw the objections to A's publication",
				run: (c) => ({ sql: 'delete from public.objections where publication_id = $1', params: [c.pu.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.objections where publication_id = $1', params: [c.pu.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** A community's work settings: read by the members of its estates; written by the committee's function only. */
	work_settings: {
		universe: `select community_id::text as key, array(select e.id::text from public.estates e where e.community_id = s.community_id) as estates,
		           '{}'::text[] as users from public.work_settings s`,
		key: 'community_id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		writes: functionsOnly('work_settings', {
			insert: (c) => ({ sql: `insert into public.work_settings (community_id) values ($1)`, params: [c.w.communityId] }),
			update: (c) => ({ sql: `update public.work_settings set monthly_claim_cap = 99 where community_id = $1`, params: [c.w.communityId] }),
			delete: (c) => ({ sql: `delete from public.work_settings where community_id = $1`, params: [c.w.communityId] }),
			watch: () => ({ sql: 'select count(*)::int as n, max(monthly_claim_cap) as cap from public.work_settings' })
		})
	},

	/** Time bank accounts: read by their person and the committees of the community (the staff); written by the ledger functions only. */
	time_accounts: {
		universe: `select a.id::text as key, '{}'::text[] as estates, array_remove(array[a.user_id::text], null) as users,
		           array(select e.id::text from public.estates e where e.community_id = a.community_id) as staff from public.time_accounts a`,
		key: 'id::text',
		personal: ['user_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'own', 'staffA', 'staffB', 'all'),
		writes: functionsOnly('time_accounts', {
			insert: (c) => ({ sql: `insert into public.time_accounts (community_id, kind, user_id) values ($1, 'person', $2)`, params: [c.w.communityId, c.w.users.nonmember] }),
			update: () => ({ sql: `update public.time_accounts set elder = true where kind = 'person'` }),
			delete: () => ({ sql: `delete from public.time_accounts` }),
			watch: () => ({ sql: 'select count(*)::int as n, count(*) filter (where elder)::int as elders from public.time_accounts' })
		})
	},

	/** The ledger: read by the account's person and the community's committees (the staff); appended to by its functions only, never edited. */
	time_entries: {
		universe: `select x.id::text as key, '{}'::text[] as estates, array_remove(array[a.user_id::text], null) as users,
		           array(select e.id::text from public.estates e where e.community_id = x.community_id) as staff
		           from public.time_entries x join public.time_accounts a on a.id = x.account_id`,
		key: 'id::text',
		personal: ['earner_id', 'created_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'own', 'staffA', 'staffB', 'all'),
		writes: functionsOnly('time_entries', {
			insert: (c) => ({
				sql: `insert into public.time_entries (movement_id, community_id, account_id, unit, amount, balance_after, category)
				      select gen_random_uuid(), community_id, id, 'hour', 100, 100, 'earned' from public.time_accounts where user_id = $1`,
				params: [c.wk.party]
			}),
			update: () => ({ sql: `update public.time_entries set amount = amount * 10` }),
			delete: () => ({ sql: `delete from public.time_entries` }),
			watch: () => ({ sql: 'select count(*)::int as n, sum(abs(amount))::text as total from public.time_entries' })
		})
	},

	/** Volunteer teams: read by the estate's verified members; written by the team functions only. */
	teams: {
		universe: `select id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.teams`,
		key: 'id::text',
		personal: ['created_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		writes: functionsOnly('teams', {
			insert: (c) => ({ sql: `insert into public.teams (estate_id, name) values ($1, '伪造分队')`, params: [c.w.a.id] }),
			update: (c) => ({ sql: `update public.teams set name = '改名' where id = $1`, params: [c.wk.a.team] }),
			delete: (c) => ({ sql: `delete from public.teams where id = $1`, params: [c.wk.a.team] }),
			watch: () => ({ sql: 'select count(*)::int as n, string_agg(name, \',\') as names from public.teams' })
		})
	},

	/** Members of a team: read with the team; written by the team functions only (join and leave are the member's own calls). */
	team_members: {
		universe: `select m.team_id::text || ':' || m.user_id as key, array[t.estate_id::text] as estates, '{}'::text[] as users
		           from public.team_members m join public.teams t on t.id = m.team_id`,
		key: `team_id::text || ':' || user_id`,
		personal: ['user_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		writes: functionsOnly('team_members', {
			insert: (c) => ({ sql: `insert into public.team_members (team_id, user_id, role) values ($1, coalesce($2, $3)::uuid, 'leader')`, params: [c.wk.a.team, c.me, c.w.users.moderator] }),
			update: (c) => ({ sql: `update public.team_members set role = 'leader' where team_id = $1`, params: [c.wk.a.team] }),
			delete: (c) => ({ sql: `delete from public.team_members where team_id = $1`, params: [c.wk.a.team] }),
			watch: () => ({ sql: `select count(*)::int as n, count(*) filter (where role = 'leader')::int as leaders from public.team_members` })
		})
	},

	/**
	 * Requests to join a team: read by the person asking, the team's leaders and the managers of the team's
	 * estate (the staff); written by the team functions only. seedWork: moderator asks to join A's team.
	 */
	team_requests: {
		universe: `select r.team_id::text || ':' || r.user_id as key, '{}'::text[] as estates, array[r.user_id::text] as users,
		           array[t.estate_id::text] as staff from public.team_requests r join public.teams t on t.id = r.team_id`,
		key: `team_id::text || ':' || user_id`,
		personal: ['user_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'none', 'none', 'none', 'own', 'staffA', 'none', 'all'),
		writes: functionsOnly('team_requests', {
			insert: (c) => ({ sql: `insert into public.team_requests (team_id, user_id) values ($1, coalesce($2, $3)::uuid)`, params: [c.wk.a.team, c.me, c.w.users.resident] }),
			update: () => ({ sql: `update public.team_requests set shown_name = '改写'` }),
			delete: () => ({ sql: `delete from public.team_requests` }),
			watch: () => ({ sql: `select count(*)::int as n, string_agg(coalesce(shown_name, ''), ',') as names from public.team_requests` })
		})
	},

	/** Party members registered with a community: read by the member and the community's committees (the staff). */
	party_members: {
		universe: `select p.community_id::text || ':' || p.user_id as key, '{}'::text[] as estates, array[p.user_id::text] as users,
		           array(select e.id::text from public.estates e where e.community_id = p.community_id) as staff from public.party_members p`,
		key: `community_id::text || ':' || user_id`,
		personal: ['user_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'own', 'staffA', 'staffB', 'all'),
		writes: functionsOnly('party_members', {
			insert: (c) => ({ sql: `insert into public.party_members (community_id, user_id, branch) values ($1, coalesce($2, $3)::uuid, '伪造支部')`, params: [c.w.communityId, c.me, c.w.users.resident] }),
			update: () => ({ sql: `update public.party_members set branch = '改写'` }),
			delete: () => ({ sql: `delete from public.party_members` }),
			watch: () => ({ sql: 'select count(*)::int as n, string_agg(branch, \',\') as branches from public.party_members' })
		})
	},

	/**
	 * Printed service cards: read by their member and the community's committees (the staff), and by whoever
	 * presents the card's code (the QR code's page); whose account a card is of is not for the holder of the code.
	 */
	service_cards: {
		universe: `select s.id::text as key, '{}'::text[] as estates, array[s.user_id::text] as users,
		           array(select e.id::text from public.estates e where e.community_id = s.community_id) as staff from public.service_cards s`,
		key: 'id::text',
		personal: ['user_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'own', 'none', 'own', 'own', 'staffA', 'staffB', 'all'),
		selectWhen: [
			{
				what: "the card's code presented",
				setup: (c) => [{ sql: `select set_config('linyi.card_code', $1, true)`, params: [c.wk.a.card] }],
				expect: cells('all', 'all', 'all', 'all', 'all', 'all', 'all', 'all', 'all')
			}
		],
		writes: functionsOnly('service_cards', {
			insert: (c) => ({
				sql: `insert into public.service_cards (code, community_id, user_id, name, branch, community_name, year, quarters, total, asked)
				      values (md5('x'), $1, coalesce($2, $3)::uuid, '伪造', '伪造', '伪造', 2026, '{100,100,100,100}', 400, 12)`,
				params: [c.w.communityId, c.me, c.w.users.resident]
			}),
			update: () => ({ sql: `update public.service_cards set total = 1000` }),
			delete: () => ({ sql: `delete from public.service_cards` }),
			watch: () => ({ sql: 'select count(*)::int as n, max(total)::text as total from public.service_cards' })
		})
	},

	/** Tasks: read by the estate's verified members and managers; written by the task functions only. */
	tasks: {
		universe: `select id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.tasks`,
		key: 'id::text',
		personal: ['created_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		writes: functionsOnly('tasks', {
			insert: (c) => ({
				sql: `insert into public.tasks (estate_id, title, needed, starts_at, ends_at, slots, est_hours) values ($1, '伪造任务', '无', now() + interval '1 day', now() + interval '2 days', 1, 1)`,
				params: [c.w.a.id]
			}),
			update: (c) => ({ sql: `update public.tasks set slots = 100 where id = $1`, params: [c.wk.a.open] }),
			delete: (c) => ({ sql: `delete from public.tasks where id = $1`, params: [c.wk.a.open] }),
			watch: () => ({ sql: 'select count(*)::int as n, sum(slots)::int as slots from public.tasks' })
		})
	},

	/** Claims of tasks: read by the claimer and the estate's moderators and committee (the staff); written by the task functions only. */
	task_claims: {
		universe: `select c.id::text as key, '{}'::text[] as estates, array[c.user_id::text] as users, array[t.estate_id::text] as staff
		           from public.task_claims c join public.tasks t on t.id = c.task_id`,
		key: 'id::text',
		personal: ['user_id', 'assigned_by', 'decided_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'staffA', 'staffA', 'staffB', 'all'),
		writes: functionsOnly('task_claims', {
			insert: (c) => ({ sql: `insert into public.task_claims (task_id, user_id) values ($1, coalesce($2, $3)::uuid)`, params: [c.wk.a.open, c.me, c.w.users.moderator] }),
			update: (c) => ({ sql: `update public.task_claims set status = 'confirmed', hours = 24, reported_at = now() where id = $1`, params: [c.wk.a.openClaim] }),
			delete: () => ({ sql: `delete from public.task_claims` }),
			watch: () => ({ sql: `select count(*)::int as n, count(*) filter (where status = 'confirmed')::int as confirmed from public.task_claims` })
		})
	},

	/**
	 * Micro-wishes (微心愿): vetted ones read where the estate's issues are read; pending and declined ones by the
	 * estate's moderators (moderator, committee, admin: the universe's staff) and their own resident or guardian.
	 * No column names a person (they are in wish_details). Written by the wish functions only.
	 */
	wishes: {
		universe: `select w.id::text as key,
		             case when w.status in ('open', 'claimed', 'fulfilled', 'confirmed') then array[w.estate_id::text] else '{}' end as estates,
		             array_remove(array[d.resident_id::text, d.guardian_id::text], null) as users, array[w.estate_id::text] as staff
		           from public.wishes w join public.wish_details d on d.wish_id = w.id`,
		key: 'id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B+own', 'none', 'A+own', 'A+staffA', 'A+staffA', 'B+staffB', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B+own', 'A', 'A+own', 'A+staffA', 'A+staffA', 'A+B+staffB', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'post a wish in A directly, published at once',
				run: (c) => ({
					sql: `insert into public.wishes (id, estate_id, title, category, shown_name, status, vetted_at) values ($1, $2, '直接写入', 'other', '某阿姨', 'open', now())`,
					params: [c.fresh, c.w.a.id]
				}),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.wishes where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "publish A's pending wish directly",
				run: () => ({ sql: `update public.wishes set status = 'open', vetted_at = now() where id = $1`, params: [WI.a.pending] }),
				watch: () => ({ sql: 'select status from public.wishes where id = $1', params: [WI.a.pending] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove A's open wish",
				run: () => ({ sql: 'delete from public.wishes where id = $1', params: [WI.a.open] }),
				watch: () => ({ sql: 'select count(*)::int as n from public.wishes where id = $1', params: [WI.a.open] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/**
	 * Who a wish is for (full name, unit, phone), their guardian, the vetting note and who vetted, claimed and
	 * confirmed it: the estate's moderators (staff), the resident and guardian themselves, and the claimer while
	 * it is claimed (own: the resident claimed A's claimed wish). Nobody else, on a public board neither.
	 */
	wish_details: {
		universe: `select wish_id::text as key, '{}'::text[] as estates,
		             array_remove(array[resident_id::text, guardian_id::text, claimed_by::text], null) as users, array[estate_id::text] as staff
		           from public.wish_details`,
		key: 'wish_id::text',
		personal: ['resident_id', 'guardian_id', 'resident_name', 'unit_text', 'phone', 'vet_note', 'vetted_by', 'claimed_by', 'confirmed_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'staffA', 'staffA', 'staffB', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'none', 'own', 'none', 'own', 'staffA', 'staffA', 'staffB', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: "add details to A's open wish",
				setup: () => [{ sql: 'delete from public.wish_details where wish_id = $1', params: [WI.a.open] }],
				run: (c) => ({
					sql: `insert into public.wish_details (wish_id, estate_id, resident_name) values ($1, $2, '冒名')`,
					params: [WI.a.open, c.w.a.id]
				}),
				watch: () => ({ sql: 'select count(*)::int as n from public.wish_details where wish_id = $1', params: [WI.a.open] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "make oneself the claimer of A's open wish",
				run: (c) => ({ sql: 'update public.wish_details set claimed_by = $2 where wish_id = $1', params: [WI.a.open, c.me] }),
				watch: () => ({ sql: 'select claimed_by from public.wish_details where wish_id = $1', params: [WI.a.open] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove the details of A's claimed wish",
				run: () => ({ sql: 'delete from public.wish_details where wish_id = $1', params: [WI.a.claimed] }),
				watch: () => ({ sql: 'select count(*)::int as n from public.wish_details where wish_id = $1', params: [WI.a.claimed] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Meetings: read where the estate's issues are (anyone on a public board); who chairs, records and created them is personal; written by the functions only. */
	meetings: {
		universe: `select id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.meetings`,
		key: 'id::text',
		// The check-in code is no person's, but it is read by the meeting's moderators only (meeting_door_list).
		personal: ['chair_id', 'recorder_id', 'created_by', 'checkin_code'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'schedule a meeting of A directly',
				run: (c) => ({ sql: 'insert into public.meetings (estate_id, kind, title, starts_at, ends_at, place, checkin_code) values ($1, \'council\', $2, now() + interval \'1 day\', now() + interval \'1 day 1 hour\', \'门口\', \'999999\')', params: [c.w.a.id, c.fresh] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meetings where title = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'move A\'s meeting',
				run: (c) => ({ sql: 'update public.meetings set place = \'别处\' where id = $1', params: [c.mt.a.id] }),
				watch: (c) => ({ sql: 'select place from public.meetings where id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove A\'s meeting',
				run: (c) => ({ sql: 'delete from public.meetings where id = $1', params: [c.mt.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meetings where id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Agendas: as public as their meeting; written by the functions only. */
	agenda_items: {
		universe: `select a.id::text as key, array[m.estate_id::text] as estates, '{}'::text[] as users from public.agenda_items a join public.meetings m on m.id = a.meeting_id`,
		key: 'id::text',
		personal: [],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'add an item to A\'s agenda',
				run: (c) => ({ sql: 'insert into public.agenda_items (meeting_id, position, title) values ($1, 2, \'插队\')', params: [c.mt.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.agenda_items where meeting_id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'retitle A\'s agenda item',
				run: (c) => ({ sql: 'update public.agenda_items set title = \'改题\' where id = $1', params: [c.mt.a.item] }),
				watch: (c) => ({ sql: 'select title from public.agenda_items where id = $1', params: [c.mt.a.item] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove A\'s agenda item',
				run: (c) => ({ sql: 'delete from public.agenda_items where id = $1', params: [c.mt.a.item] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.agenda_items where id = $1', params: [c.mt.a.item] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** A meeting's record: as public as its meeting, who acted and what (payload) not; append-only, by the functions. */
	meeting_events: {
		universe: `select e.id::text as key, array[m.estate_id::text] as estates, '{}'::text[] as users from public.meeting_events e join public.meetings m on m.id = e.meeting_id`,
		key: 'id::text',
		personal: ['actor_id', 'payload'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('none', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('A', 'A', 'A+B', 'A', 'A', 'A', 'A', 'A+B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'forge a step of A\'s meeting',
				run: (c) => ({ sql: 'insert into public.meeting_events (meeting_id, kind) values ($1, \'opened\')', params: [c.mt.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meeting_events where meeting_id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'rewrite a step of A\'s meeting',
				run: (c) => ({ sql: 'update public.meeting_events set kind = \'cancelled\' where meeting_id = $1', params: [c.mt.a.id] }),
				watch: (c) => ({ sql: 'select string_agg(kind, \',\') as k from public.meeting_events where meeting_id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'erase the record of A\'s meeting',
				run: (c) => ({ sql: 'delete from public.meeting_events where meeting_id = $1', params: [c.mt.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meeting_events where meeting_id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Draft minutes: the estate's members and administrators (they name people), even on a public board; written by the functions only. */
	meeting_minutes: {
		universe: `select x.meeting_id::text as key, array[x.estate_id::text] as estates, '{}'::text[] as users from public.meeting_minutes x`,
		key: 'meeting_id::text',
		personal: ['assembled_by', 'edited_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public (still the members' only)",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'write minutes for A\'s meeting',
				run: (c) => ({ sql: `insert into public.meeting_minutes (meeting_id, estate_id, assembled, paragraphs) values ($1, $2, '{伪造}', '{伪造}')`, params: [c.mt.a.id, c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meeting_minutes where meeting_id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'rewrite the draft of A\'s minutes',
				run: (c) => ({ sql: `update public.meeting_minutes set paragraphs = '{改写}' where meeting_id = $1`, params: [c.mr.a.meeting] }),
				watch: (c) => ({ sql: 'select array_to_string(paragraphs, \'|\') as p from public.meeting_minutes where meeting_id = $1', params: [c.mr.a.meeting] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove A\'s minutes',
				run: (c) => ({ sql: 'delete from public.meeting_minutes where meeting_id = $1', params: [c.mr.a.meeting] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meeting_minutes where meeting_id = $1', params: [c.mr.a.meeting] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Who is invited: the estate's members and administrators; written by the functions only. */
	meeting_invitees: {
		universe: `select i.meeting_id::text || ':' || i.user_id as key, array[m.estate_id::text] as estates, '{}'::text[] as users from public.meeting_invitees i join public.meetings m on m.id = i.meeting_id`,
		key: `meeting_id::text || ':' || user_id`,
		personal: ['user_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public (still the members' only)",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'invite oneself to A\'s meeting',
				run: (c) => ({ sql: 'insert into public.meeting_invitees (meeting_id, user_id) values ($1, coalesce($2, $3)::uuid)', params: [c.mt.a.id, c.me, c.w.users.volunteer] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meeting_invitees where meeting_id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'swap the invitee of A\'s meeting',
				run: (c) => ({ sql: 'update public.meeting_invitees set user_id = $2 where meeting_id = $1', params: [c.mt.a.id, c.w.users.volunteer] }),
				watch: (c) => ({ sql: 'select string_agg(user_id::text, \',\') as u from public.meeting_invitees where meeting_id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'uninvite everyone from A\'s meeting',
				run: (c) => ({ sql: 'delete from public.meeting_invitees where meeting_id = $1', params: [c.mt.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meeting_invitees where meeting_id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Who came: the estate's members and administrators (names, units, who checked whom in); written by the functions only. */
	meeting_attendance: {
		universe: `select a.id::text as key, array[m.estate_id::text] as estates, '{}'::text[] as users from public.meeting_attendance a join public.meetings m on m.id = a.meeting_id`,
		key: 'id::text',
		personal: ['user_id', 'name', 'checked_in_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public (still the members' only)",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'check a stranger in to A\'s meeting',
				run: (c) => ({ sql: 'insert into public.meeting_attendance (meeting_id, name, checked_in_at) values ($1, \'冒名\', now())', params: [c.mt.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meeting_attendance where meeting_id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'check the resident in to A\'s meeting',
				run: (c) => ({ sql: 'update public.meeting_attendance set checked_in_at = now() where id = $1', params: [c.mt.a.attendance.resident] }),
				watch: (c) => ({ sql: 'select checked_in_at from public.meeting_attendance where id = $1', params: [c.mt.a.attendance.resident] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'strike the guest off A\'s list',
				run: (c) => ({ sql: 'delete from public.meeting_attendance where id = $1', params: [c.mt.a.attendance.guest] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meeting_attendance where id = $1', params: [c.mt.a.attendance.guest] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/** Proxies: read like attendance (the absent person's name, who recorded it); written by the functions only. */
	meeting_proxies: {
		universe: `select p.id::text as key, array[m.estate_id::text] as estates, '{}'::text[] as users from public.meeting_proxies p join public.meetings m on m.id = p.meeting_id`,
		key: 'id::text',
		personal: ['absent_user_id', 'absent_name', 'recorded_by'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all'),
		selectWhen: [
			{
				what: "A's board public (still the members' only)",
				setup: (c) => [publicBoard(c.w.a.id)],
				expect: cells('denied', 'none', 'B', 'none', 'A', 'A', 'A', 'B', 'all')
			}
		],
		writes: [
			{
				op: 'insert',
				what: 'give the volunteer a second proxy in A\'s meeting',
				run: (c) => ({ sql: 'insert into public.meeting_proxies (meeting_id, holder_id, absent_name) values ($1, $2, \'冒名\')', params: [c.mt.a.id, c.mt.a.attendance.volunteer] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meeting_proxies where meeting_id = $1', params: [c.mt.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: 'revoke A\'s proxy directly',
				run: (c) => ({ sql: 'update public.meeting_proxies set revoked_at = now() where id = $1', params: [c.mt.a.proxy] }),
				watch: (c) => ({ sql: 'select revoked_at from public.meeting_proxies where id = $1', params: [c.mt.a.proxy] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: 'remove A\'s proxy',
				run: (c) => ({ sql: 'delete from public.meeting_proxies where id = $1', params: [c.mt.a.proxy] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.meeting_proxies where id = $1', params: [c.mt.a.proxy] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	},

	/**
	 * The audit log: the estate's managers (committee, administrators) read it; nobody writes it but
	 * its triggers, and nobody changes or removes a row (tests/db/integrity.test.ts, the table owner too).
	 * The fixtures' own writes (the register, memberships enrolled, the votes opened and closed) are in it.
	 */
	audit_log: {
		universe: `select id::text as key, '{}'::text[] as estates, '{}'::text[] as users, array[estate_id::text] as staff from public.audit_log`,
		key: 'id::text',
		personal: ['actor_id'],
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'none', 'none', 'none', 'none', 'staffA', 'staffB', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'forge an entry for A',
				run: (c) => ({ sql: `insert into public.audit_log (estate_id, action, label) values ($1, 'unit.changed', $2)`, params: [c.w.a.id, c.fresh] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.audit_log where label = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "rewrite A's entries",
				run: (c) => ({ sql: `update public.audit_log set label = '改写' where estate_id = $1`, params: [c.w.a.id] }),
				watch: (c) => ({ sql: `select count(*)::int as n from public.audit_log where estate_id = $1 and label = '改写'`, params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'delete',
				what: "remove A's entries",
				run: (c) => ({ sql: 'delete from public.audit_log where estate_id = $1', params: [c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.audit_log where estate_id = $1', params: [c.w.a.id] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			}
		]
	}
};

/** Thrown to end a cell's transaction: every cell is rolled back. */
const ROLLBACK = new Error('rollback');

function userOf(w: World, caller: Caller): string | null {
	return caller === 'anon' ? null : w.users[caller];
}

async function becomeCaller(tx: Sql, w: World, caller: Caller) {
	const me = userOf(w, caller);
	await tx.query(caller === 'anon' ? 'set local role anon' : 'set local role authenticated');
	await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
		JSON.stringify(me ? { sub: me, role: 'authenticated' } : { role: 'anon' })
	]);
}

function describeError(e: unknown): string {
	const err = e as { code?: string; message?: string };
	if (err.code === '42501') return 'denied';
	return `error ${err.code ?? '?'}: ${err.message ?? String(e)}`;
}

/** Runs `fn` in a transaction that is always rolled back, and returns what fn returned. */
async function rolledBack<T>(db: TestDb, fn: (tx: Sql) => Promise<T>): Promise<T> {
	let result: T | undefined;
	try {
		await db.sql.transaction(async (tx) => {
			result = await fn(tx);
			throw ROLLBACK;
		});
	} catch (e) {
		if (e !== ROLLBACK) throw e;
	}
	return result as T;
}

/** Set by the suite's beforeAll for the database it runs on (the suites run one after another). */
let PU: PublicationWorld;
let MR: RoomWorld;
let MT: MeetingWorld;
/** The micro-wishes (seedWishes), set the same way. */
let WI: WishWorld;
let WK: WorkWorld;
let PR: ProgressWorld;

async function selectCell(
	db: TestDb,
	w: World,
	i: IssueWorld,
	v: VoteWorld,
	table: string,
	spec: TableSpec,
	caller: Caller,
	expected: Visible,
	when?: { what: string; setup: (c: Ctx) => Stmt[] }
): Promise<string | null> {
	const me = userOf(w, caller);
	const ctx: Ctx = { w, i, v, pu: PU, wk: WK, pr: PR, mt: MT, mr: MR, me, fresh: randomUUID(), fresh2: randomUUID() };
	const wantedOf = (universe: Array<{ key: string; estates: string[]; users: string[]; staff?: string[] }>) =>
		expected === 'denied'
			? 'denied'
			: universe
					.filter((r) =>
						expected.split('+').some((part) =>
							part === 'all' ? true
							: part === 'none' ? false
							: part === 'own' ? me !== null && r.users.includes(me)
							: part === 'A' ? r.estates.includes(w.a.id)
							: part === 'B' ? r.estates.includes(w.b.id)
							: part === 'staffA' ? (r.staff ?? []).includes(w.a.id)
							: (r.staff ?? []).includes(w.b.id)
						)
					)
					.map((r) => r.key)
					.sort();
	// The universe is read after the setup, in the same rolled-back transaction.
	const [wanted, got] = await rolledBack(db, async (tx) => {
		for (const s of when?.setup(ctx) ?? []) await tx.query(s.sql, s.params ?? []);
		const expectedRows = wantedOf(await tx.query(spec.universe));
		await becomeCaller(tx, w, caller);
		try {
			return [expectedRows, (await tx.query<{ key: string }>(`select ${spec.key} as key from public.${table}`)).map((r) => r.key).sort()];
		} catch (e) {
			return [expectedRows, describeError(e)];
		}
	});
	if (JSON.stringify(got) === JSON.stringify(wanted)) return null;
	return `${table} select${when ? ` (${when.what})` : ''} as ${caller}: expected ${expected} = ${JSON.stringify(wanted)}, got ${JSON.stringify(got)}`;
}

async function writeCell(db: TestDb, w: World, i: IssueWorld, v: VoteWorld, table: string, probe: WriteProbe, caller: Caller): Promise<string | null> {
	const ctx: Ctx = { w, i, v, pu: PU, wk: WK, pr: PR, mt: MT, mr: MR, me: userOf(w, caller), fresh: randomUUID(), fresh2: randomUUID() };
	const got = await rolledBack(db, async (tx) => {
		for (const s of probe.setup?.(ctx) ?? []) await tx.query(s.sql, s.params ?? []);
		const watch = probe.watch(ctx);
		const before = JSON.stringify(await tx.query(watch.sql, watch.params ?? []));
		await becomeCaller(tx, w, caller);
		const run = probe.run(ctx);
		try {
			await tx.query(run.sql, run.params ?? []);
		} catch (e) {
			return describeError(e);
		}
		await tx.query('reset role');
		const after = JSON.stringify(await tx.query(watch.sql, watch.params ?? []));
		return before === after ? 'no-op' : 'ok';
	});
	const expected = probe.expect[caller];
	if (got === expected) return null;
	return `${table} ${probe.op} (${probe.what}) as ${caller}: expected ${expected}, got ${got}`;
}

/** Tables of schemas public and private with their RLS flag. */
const TABLES_SQL = `
	select n.nspname as schema, c.relname as name, c.relrowsecurity as rls
	from pg_class c join pg_namespace n on n.oid = c.relnamespace
	where n.nspname in ('public', 'private') and c.relkind in ('r', 'p')
	order by 1, 2`;

describe.each(DATABASES)('row level security on %s', (name) => {
	let db: TestDb;
	let w: World;
	let i: IssueWorld;
	let v: VoteWorld;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		i = await seedIssues(db, w);
		v = await seedVotes(db, w);
		PU = await seedPublications(db, w, v);
		MR = await seedMeetingRoom(db, w);
		// Draft minutes of the meeting in session in each estate.
		await db.sql.query(
			`insert into public.meeting_minutes (meeting_id, estate_id, assembled, paragraphs, assembled_by)
			 select id, estate_id, '{会议纪要}', '{会议纪要}', chair_id from public.meetings where id = any($1::uuid[])`,
			[[MR.a.meeting, MR.b.meeting]]
		);
		WI = await seedWishes(db, w);
		WK = await seedWork(db, w);
		PR = await seedProgress(db, w);
		MT = await seedMeetings(db, w);
	});
	afterAll(() => db.close());

	it('the fixture gives every caller the standing the matrix assumes', async () => {
		const rows = await db.sql.query<{ user_id: string; estate_id: string; status: string; roles: string[] }>(
			'select user_id::text, estate_id::text, status, roles from public.memberships'
		);
		const of = (p: keyof World['users']) => rows.filter((r) => r.user_id === w.users[p]).map((r) => [r.estate_id === w.a.id ? 'A' : 'B', r.status, r.roles]);
		expect(of('nonmember')).toEqual([]);
		expect(of('admin')).toEqual([]);
		expect(of('otherEstate')).toEqual([['B', 'verified', []]]);
		expect(of('pending')).toEqual([['A', 'pending', []]]);
		expect(of('resident')).toEqual([['A', 'verified', []]]);
		expect(of('moderator')).toEqual([['A', 'verified', ['moderator']]]);
		expect(of('committee')).toEqual([['A', 'verified', ['committee']]]);
		expect(of('committeeB')).toEqual([['B', 'verified', ['committee']]]);
		const admins = await db.sql.query<{ id: string }>('select id::text from public.profiles where is_admin');
		expect(admins.map((r) => r.id)).toEqual([w.users.admin]);
	});

	for (const [table, spec] of Object.entries(MATRIX)) {
		it(`${table}: select, insert, update and delete for every caller`, async () => {
			const failures: string[] = [];
			for (const caller of CALLERS) {
				const f = await selectCell(db, w, i, v, table, spec, caller, spec.select[caller]);
				if (f) failures.push(f);
				for (const when of spec.selectWhen ?? []) {
					const g = await selectCell(db, w, i, v, table, spec, caller, when.expect[caller], when);
					if (g) failures.push(g);
				}
			}
			for (const op of ['insert', 'update', 'delete'] as const) {
				const probes = spec.writes.filter((p) => p.op === op);
				if (probes.length === 0) failures.push(`${table} has no ${op} probe`);
				for (const probe of probes) {
					for (const caller of CALLERS) {
						const f = await writeCell(db, w, i, v, table, probe, caller);
						if (f) failures.push(f);
					}
				}
			}
			expect(failures).toEqual([]);
		});
	}

	it('the matrix leaves the database as it found it', async () => {
		const count = async () =>
			db.sql.query(
				`select (select count(*) from public.communities)::int as c, (select count(*) from public.estates)::int as e,
				        (select count(*) from public.areas)::int as a, (select count(*) from public.units)::int as u,
				        (select count(*) from public.owners)::int as o, (select count(*) from public.unit_owners)::int as uo,
				        (select count(*) from public.profiles)::int as p, (select count(*) from public.memberships)::int as m,
				        (select string_agg(name, ',' order by name) from public.areas) as area_names`
			);
		// seedWork adds the party member of A (a profile and a membership).
		expect(await count()).toEqual([{ c: 1, e: 2, a: 6, u: 8, o: 5, uo: 9, p: 11, m: 9, area_names: '1栋,1栋,2栋,2栋,东院,西院' }]);
		const issues = await db.sql.query(
			`select (select count(*) from public.issues)::int as issues, (select count(*) from public.issue_behalf)::int as behalf,
			        (select count(*) from public.issue_photos)::int as photos, (select count(*) from public.issue_supports)::int as supports,
			        (select count(*) from public.issue_transitions)::int as transitions, (select count(*) from public.issue_events)::int as events,
			        (select count(*) from public.comments)::int as comments, (select count(*) from public.comment_revisions)::int as revisions,
			        (select count(*) from public.comment_reports)::int as reports, (select count(*) from public.notifications)::int as notifications,
			        (select count(*) from public.notifications where read_at is not null)::int as read,
			        (select string_agg(x, ',' order by x collate "C") from (select status || ':' || support_count || ':' || comment_count as x from public.issues) i) as counters,
			        (select string_agg(state, ',' order by state collate "C") from public.comments) as states,
			        (select bool_or(board_public) from public.estates) as public_board,
			        (select string_agg(status || ':' || n, ',' order by n, status) from public.issue_status_counts) as status_counts`
		);
		expect(issues).toEqual([
			{
				// Six of seedIssues and seedVotes, B's approved issue of seedPublications, and seedProgress's two in progress.
				issues: 9,
				behalf: 2,
				photos: 2,
				supports: 2,
				// 20, progress's finish, the meetings' put_on_agenda and meeting_carried.
				transitions: 23,
				// seedPublications adds A: published, publicize, two objections, one answer; B: proposed, published, publicize, one objection.
				// seedProgress adds to each of its two issues: proposed, two items and two milestones planned, a progress note, a milestone done.
				events: 33,
				comments: 4,
				revisions: 2,
				reports: 2,
				// seedPublications: A's author, the committee twice, the answered objector; B's author and committee.
				// seedWork: in A and in B, the poster told of the report and the claimer of the confirmation;
				// seedProgress: each issue's author hears of the progress note;
				// seedWork's team: the leader hears of two requests to join, resident of the approval.
				notifications: 27,
				read: 0,
				counters: 'in_progress:0:0,in_progress:0:0,proposed:0:2,proposed:1:0,proposed:1:1,publicized:0:0,publicized:0:0,voting:0:0,voting:0:0',
				states: 'hidden,visible,visible,visible',
				public_board: false,
				// The vote fixtures' issues went accepted → voting (→ approved → publicized); counters at zero stay as rows.
				status_counts: 'accepted:0,accepted:0,approved:0,approved:0,in_progress:1,in_progress:1,proposed:1,publicized:1,publicized:1,voting:1,voting:1,proposed:2'
			}
		]);
		const votes = await db.sql.query(
			`select (select count(*) from public.votes)::int as votes, (select count(*) from public.vote_options)::int as options,
			        (select count(*) from public.vote_electorate)::int as electorate, (select count(*) from public.ballots)::int as ballots,
			        (select count(*) from public.ballots where superseded_at is null)::int as current,
			        (select count(*) from public.vote_results)::int as results,
			        (select string_agg(x, ',' order by x collate "C") from (select kind || ':' || status || ':' || secret || ':' || electors as x from public.votes) v) as states,
			        (select string_agg(outcome, ',') from public.vote_results) as outcomes,
			        (select string_agg(tgenabled::text, ',') from pg_trigger where tgname = 'vote_results_frozen') as frozen`
		);
		expect(votes).toEqual([
			{
				votes: 3,
				options: 9,
				electorate: 11,
				ballots: 7,
				current: 7,
				results: 1,
				states: 'consultative:closed:false:4,consultative:open:false:2,owners:open:true:5',
				outcomes: 'passed',
				frozen: 'O'
			}
		]);
		const publications = await db.sql.query(
			`select (select string_agg(status || ':' || revision, ',' order by status) from public.publications) as publications,
			        (select count(*) from public.publication_revisions)::int as revisions,
			        (select string_agg(coalesce(answer, 'open'), ',' order by answer nulls first) from public.objections) as objections,
			        (select count(*) from public.publication_kinds)::int as kinds`
		);
		expect(publications).toEqual([{ publications: 'open:1,open:1', revisions: 2, objections: 'open,open,rejected', kinds: 2 }]);
		const work = await db.sql.query(
			`select (select count(*) from public.tasks)::int as tasks, (select sum(taken) from public.tasks)::int as taken,
			        (select string_agg(status, ',' order by status) from public.task_claims) as claims,
			        (select count(*) from public.teams)::int as teams, (select count(*) from public.team_members)::int as members,
			        (select count(*) from public.time_accounts)::int as accounts, (select count(*) from public.time_entries)::int as entries,
			        (select sum(amount)::int from public.time_entries) as balance,
			        (select count(*) from public.party_members)::int as party, (select count(*) from public.service_cards)::int as cards,
			        (select count(*) from public.work_settings)::int as settings`
		);
		// Two earnings (hours and 时间币, two rows each) in A and in B; accounts: the community's, the elders' fund, three people.
		expect(work).toEqual([{ tasks: 3, taken: 3, claims: 'claimed,confirmed,confirmed', teams: 1, members: 2, accounts: 5, entries: 8, balance: 0, party: 1, cards: 1, settings: 1 }]);
	});

	/** Where anon or an outsider (nonmember; otherEstate for A's rows) sees rows of the table, in any cell. */
	function outsidersSee(spec: TableSpec): { anon: boolean; outsider: boolean } {
		const cellsOf = (c: Caller) => [spec.select[c], ...(spec.selectWhen ?? []).map((x) => x.expect[c])];
		const sees = (v: Visible, parts: string[]) => v !== 'denied' && v.split('+').some((p) => parts.includes(p));
		return {
			anon: cellsOf('anon').some((v) => v !== 'denied'),
			outsider:
				cellsOf('nonmember').some((v) => sees(v, ['all', 'A', 'B', 'staffA', 'staffB'])) ||
				cellsOf('otherEstate').some((v) => sees(v, ['all', 'A', 'staffA']))
		};
	}

	it('columns: anon and outsiders read every column but the personal ones, and no personal column at all', async () => {
		const columns = await db.sql.query<{ tbl: string; col: string; anon: boolean; auth: boolean; person: boolean }>(
			`select c.table_name as tbl, c.column_name as col,
			        has_column_privilege('anon', 'public.' || c.table_name, c.column_name, 'select') as anon,
			        has_column_privilege('authenticated', 'public.' || c.table_name, c.column_name, 'select') as auth,
			        exists (select 1 from pg_constraint k join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
			                where k.contype = 'f' and k.conrelid = ('public.' || c.table_name)::regclass and a.attname = c.column_name
			                  and k.confrelid in ('public.profiles'::regclass, 'auth.users'::regclass)) as person
			 from information_schema.columns c where c.table_schema = 'public' order by 1, 2`
		);
		const failures: string[] = [];
		for (const [table, spec] of Object.entries(MATRIX)) {
			const cols = columns.filter((c) => c.tbl === table);
			const unlisted = cols.filter((c) => c.person && !spec.personal.includes(c.col)).map((c) => c.col);
			if (unlisted.length) failures.push(`${table}: ${unlisted.join(', ')} point at a person but are not in its personal list`);
			const unknown = spec.personal.filter((p) => !cols.some((c) => c.col === p));
			if (unknown.length) failures.push(`${table}: personal list names missing columns ${unknown.join(', ')}`);
			const expected = cols.filter((c) => !spec.personal.includes(c.col)).map((c) => c.col);
			const who = outsidersSee(spec);
			if (who.anon) {
				const readable = cols.filter((c) => c.anon).map((c) => c.col);
				if (JSON.stringify(readable) !== JSON.stringify(expected)) failures.push(`${table}: anon reads ${readable.join(', ')}; expected ${expected.join(', ')}`);
			}
			if (who.outsider) {
				const readable = cols.filter((c) => c.auth).map((c) => c.col);
				if (JSON.stringify(readable) !== JSON.stringify(expected)) failures.push(`${table}: outsiders read ${readable.join(', ')}; expected ${expected.join(', ')}`);
			}
		}
		expect(failures).toEqual([]);
		// The tables whose personal columns the grants keep from anon and outsiders.
		const guarded = Object.entries(MATRIX)
			.filter(([, spec]) => spec.personal.length > 0 && (outsidersSee(spec).anon || outsidersSee(spec).outsider))
			.map(([t]) => t);
		expect(guarded.sort()).toEqual(['comments', 'issue_events', 'issues', 'meeting_events', 'meetings', 'milestones', 'objections', 'pending_photos', 'progress_updates', 'publications', 'service_cards', 'votes', 'work_items']);
	});

	it('columns: selecting a personal column of a public board is refused to anon and to an outsider', async () => {
		const probes: Array<[string, string]> = [
			['issues', 'author_id'],
			['comments', 'author_id'],
			['comments', 'moderated_by'],
			['issue_events', 'actor_id'],
			['votes', 'created_by'],
			['votes', 'closed_by'],
			['work_items', 'created_by'],
			['milestones', 'done_by'],
			['progress_updates', 'author_id']
		];
		for (const caller of ['anon', 'nonmember'] as const) {
			for (const [table, col] of probes) {
				if (caller === 'anon' && table === 'votes') continue; // anon reads no votes at all (matrix row above)
				const got = await rolledBack(db, async (tx) => {
					await tx.query('update public.estates set board_public = true where id = $1', [w.a.id]);
					await becomeCaller(tx, w, caller);
					try {
						return (await tx.query(`select ${col}::text as v from public.${table}`)).length;
					} catch (e) {
						return describeError(e);
					}
				});
				expect([caller, table, col, got]).toEqual([caller, table, col, 'denied']);
			}
		}
		// What they may read of the same rows still reads.
		const seen = await rolledBack(db, async (tx) => {
			await tx.query('update public.estates set board_public = true where id = $1', [w.a.id]);
			await becomeCaller(tx, w, 'anon');
			return (await tx.query<{ n: number }>('select count(*)::int as n from public.issues where estate_id = $1', [w.a.id]))[0].n;
		});
		expect(seen).toBeGreaterThan(0);
	});

	it('every table in public and private has row level security, and every public table is in the matrix', async () => {
		const tables = await db.sql.query<{ schema: string; name: string; rls: boolean }>(TABLES_SQL);
		expect(tables.filter((t) => !t.rls).map((t) => `${t.schema}.${t.name}`)).toEqual([]);
		expect(tables.filter((t) => t.schema === 'public').map((t) => t.name).sort()).toEqual(Object.keys(MATRIX).sort());
	});

	it('grants no update or delete on issues and comments, and no writes on the timeline, the status counts or the search pairs, to anyone', async () => {
		const granted = await db.sql.query<{ who: string; tbl: string; priv: string }>(
			`select r.who, t.tbl, p.priv from unnest(array['anon', 'authenticated']) r(who)
			   cross join unnest(array['issues', 'comments', 'issue_events', 'issue_transitions', 'comment_revisions', 'issue_status_counts', 'issue_search_pairs', 'estate_area_lists']) t(tbl)
			   cross join unnest(array['insert', 'update', 'delete']) p(priv)
			 where has_table_privilege(r.who, 'public.' || t.tbl, p.priv)
			    or (p.priv <> 'delete' and has_any_column_privilege(r.who, 'public.' || t.tbl, p.priv))
			 order by 1, 2, 3`
		);
		// Inserting an issue or a comment is allowed, on named columns only; nothing else.
		expect(granted).toEqual([
			{ who: 'authenticated', tbl: 'comments', priv: 'insert' },
			{ who: 'authenticated', tbl: 'issues', priv: 'insert' }
		]);
		const columns = await db.sql.query<{ tbl: string; col: string }>(
			`select c.table_name as tbl, c.column_name as col from information_schema.columns c
			 where c.table_schema = 'public' and c.table_name in ('issues', 'comments', 'issue_supports', 'comment_reports')
			   and has_column_privilege('authenticated', 'public.' || c.table_name, c.column_name, 'insert')
			 order by 1, 2`
		);
		const byTable = (t: string) => columns.filter((c) => c.tbl === t).map((c) => c.col);
		expect(byTable('issues')).toEqual(['area_id', 'author_id', 'body', 'category', 'channel', 'estate_id', 'id', 'point_x', 'point_y', 'title']);
		expect(byTable('comments')).toEqual(['author_id', 'body', 'id', 'issue_id', 'parent_id', 'stance']);
		expect(byTable('issue_supports')).toEqual(['issue_id', 'user_id']);
		expect(byTable('comment_reports')).toEqual(['comment_id', 'reason', 'reporter_id']);
	});

	it('the table guard notices a table without row level security', async () => {
		const found = await rolledBack(db, async (tx) => {
			await tx.query('create table public.guard_probe (id int)');
			return tx.query<{ schema: string; name: string; rls: boolean }>(TABLES_SQL);
		});
		expect(found).toContainEqual({ schema: 'public', name: 'guard_probe', rls: false });
	});

	it('anon cannot execute a security definer function nor use schema private, and every function pins its search_path', async () => {
		const definers = await db.sql.query<{ fn: string }>(
			`select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			 where n.nspname in ('public', 'private') and p.prosecdef and has_function_privilege('anon', p.oid, 'execute')`
		);
		expect(definers).toEqual([]);
		const unpinned = await db.sql.query<{ fn: string }>(
			`select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			 where n.nspname in ('public', 'private') and p.prokind in ('f', 'p')
			   and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) s where s like 'search_path=%')`
		);
		expect(unpinned).toEqual([]);
		const privateUsage = await db.sql.query<{ usage: boolean }>(`select has_schema_privilege('anon', 'private', 'usage') as usage`);
		expect(privateUsage).toEqual([{ usage: false }]);
		// The queries above see what they should: the helpers are there, definers included.
		const seen = await db.sql.query<{ n: number }>(
			`select count(*)::int as n from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			 where n.nspname = 'private' and p.prosecdef and p.proname in ('is_admin', 'member_estates', 'estates_with_role', 'manages_estate', 'handle_new_user', 'estate_numbers')`
		);
		expect(seen).toEqual([{ n: 6 }]);
	});
});
