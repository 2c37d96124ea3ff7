import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/backend/sql';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedWorld, type World } from './fixtures';

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
 */
const CALLERS = ['anon', 'nonmember', 'otherEstate', 'pending', 'resident', 'moderator', 'committee', 'committeeB', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

/** Which rows a select returns: every row, none, the caller's own, those of estate A or B, or a union ('own+A'); or refused. */
type Visible = 'denied' | 'all' | 'none' | 'own' | 'A' | 'B' | 'own+A' | 'own+B';
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
	/** Superuser query listing every row: key, the estates it belongs to, the users it is "own" to. */
	universe: string;
	/** The key expression the caller selects. */
	key: string;
	select: Record<Caller, Visible>;
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

const MATRIX: Record<string, TableSpec> = {
	communities: {
		universe: `select id::text as key, '{}'::text[] as estates, '{}'::text[] as users from public.communities`,
		key: 'id::text',
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
				what: 'remove estate A (cascades to its register)',
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
				what: 'remove the courtyard of A',
				run: (c) => ({ sql: 'delete from public.areas where id = $1', params: [c.w.a.courtyardId] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.areas where id = $1', params: [c.w.a.courtyardId] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			}
		]
	},

	units: {
		universe: `select id::text as key, array[estate_id::text] as estates, '{}'::text[] as users from public.units`,
		key: 'id::text',
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
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'denied', 'ok')
			},
			{
				op: 'update',
				what: 'change the floor area of a unit of A',
				run: (c) => ({ sql: 'update public.units set floor_area = 99.99 where id = $1', params: [c.w.a.units['1栋/1/101']] }),
				watch: (c) => ({ sql: 'select floor_area::text from public.units where id = $1', params: [c.w.a.units['1栋/1/101']] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			},
			{
				op: 'update',
				what: 'change the floor area of a unit of B',
				run: (c) => ({ sql: 'update public.units set floor_area = 99.99 where id = $1', params: [c.w.b.units['1栋//101']] }),
				watch: (c) => ({ sql: 'select floor_area::text from public.units where id = $1', params: [c.w.b.units['1栋//101']] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'ok')
			},
			{
				op: 'delete',
				what: 'remove a unit of A',
				run: (c) => ({ sql: 'delete from public.units where id = $1', params: [c.w.a.units['2栋//102']] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.units where id = $1', params: [c.w.a.units['2栋//102']] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			}
		]
	},

	owners: {
		universe: `select id::text as key, array[estate_id::text] as estates, array_remove(array[user_id::text], null) as users from public.owners`,
		key: 'id::text',
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'none', 'own+A', 'own+B', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'add an owner to A',
				run: (c) => ({ sql: `insert into public.owners (id, estate_id, name) values ($1, $2, '新业主')`, params: [c.fresh, c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.owners where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'denied', 'ok')
			},
			{
				op: 'update',
				what: "rename the resident's own owner record in A",
				run: (c) => ({ sql: `update public.owners set name = '张三丰' where id = $1`, params: [c.w.a.owners['张三']] }),
				watch: (c) => ({ sql: 'select name from public.owners where id = $1', params: [c.w.a.owners['张三']] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			},
			{
				op: 'update',
				what: 'link an owner record of B to oneself',
				run: (c) => ({ sql: 'update public.owners set user_id = $2 where id = $1', params: [c.w.b.owners['赵六'], c.me] }),
				watch: (c) => ({ sql: 'select user_id::text from public.owners where id = $1', params: [c.w.b.owners['赵六']] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'ok')
			},
			{
				op: 'delete',
				what: 'remove an owner of A',
				run: (c) => ({ sql: 'delete from public.owners where id = $1', params: [c.w.a.owners['李四']] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.owners where id = $1', params: [c.w.a.owners['李四']] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			}
		]
	},

	unit_owners: {
		universe: `select uo.unit_id::text || ':' || uo.owner_id::text as key, array[o.estate_id::text] as estates,
		             array_remove(array[o.user_id::text], null) as users
		           from public.unit_owners uo join public.owners o on o.id = uo.owner_id`,
		key: `unit_id::text || ':' || owner_id::text`,
		//             anon      nonmember otherEstate pending resident moderator committee committeeB admin
		select: cells('denied', 'none', 'own', 'none', 'own', 'none', 'own+A', 'own+B', 'all'),
		writes: [
			{
				op: 'insert',
				what: 'make an owner of A the owner of another unit of A',
				run: (c) => ({ sql: 'insert into public.unit_owners (unit_id, owner_id) values ($1, $2)', params: [c.w.a.units['2栋//101'], c.w.a.owners['张三']] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.unit_owners where unit_id = $1 and owner_id = $2', params: [c.w.a.units['2栋//101'], c.w.a.owners['张三']] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'denied', 'ok')
			},
			{
				op: 'insert',
				what: 'make an owner of A the owner of a unit of B',
				run: (c) => ({ sql: 'insert into public.unit_owners (unit_id, owner_id) values ($1, $2)', params: [c.w.b.units['1栋//101'], c.w.a.owners['张三']] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.unit_owners where unit_id = $1 and owner_id = $2', params: [c.w.b.units['1栋//101'], c.w.a.owners['张三']] }),
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied')
			},
			{
				op: 'update',
				what: "hand the resident's unit to another owner of A",
				run: (c) => ({
					sql: 'update public.unit_owners set owner_id = $3 where unit_id = $1 and owner_id = $2',
					params: [c.w.a.units['1栋/1/101'], c.w.a.owners['张三'], c.w.a.owners['李四']]
				}),
				watch: (c) => ({ sql: 'select owner_id::text from public.unit_owners where unit_id = $1 order by 1', params: [c.w.a.units['1栋/1/101']] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			},
			{
				op: 'update',
				what: 'move an ownership of A onto a unit of B',
				run: (c) => ({
					sql: 'update public.unit_owners set unit_id = $3 where unit_id = $1 and owner_id = $2',
					params: [c.w.a.units['1栋/1/101'], c.w.a.owners['张三'], c.w.b.units['1栋//102']]
				}),
				watch: (c) => ({ sql: 'select unit_id::text from public.unit_owners where owner_id = $1 order by 1', params: [c.w.a.owners['张三']] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'denied', 'no-op', 'denied')
			},
			{
				op: 'delete',
				what: "remove the resident's ownership in A",
				run: (c) => ({ sql: 'delete from public.unit_owners where unit_id = $1 and owner_id = $2', params: [c.w.a.units['1栋/1/101'], c.w.a.owners['张三']] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.unit_owners where unit_id = $1 and owner_id = $2', params: [c.w.a.units['1栋/1/101'], c.w.a.owners['张三']] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			}
		]
	},

	profiles: {
		universe: `select p.id::text as key, array(select m.estate_id::text from public.memberships m where m.user_id = p.id) as estates,
		             array[p.id::text] as users from public.profiles p`,
		key: 'id::text',
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
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok', 'denied', 'ok')
			},
			{
				op: 'insert',
				what: 'ask to join A (own pending request)',
				setup: (c) => [dropOwnMembershipInA(c)],
				run: (c) => ({ sql: 'insert into public.memberships (id, estate_id, user_id) values ($1, $2, $3)', params: [c.fresh, c.w.a.id, c.me] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where id = $1', params: [c.fresh] }),
				expect: cells('denied', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok')
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
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok')
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
				expect: cells('denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'denied', 'ok')
			},
			{
				op: 'update',
				what: 'verify the pending request for A',
				run: (c) => ({ sql: `update public.memberships set status = 'verified', decided_at = now() where id = $1`, params: [c.w.memberships.pending] }),
				watch: (c) => ({ sql: 'select status from public.memberships where id = $1', params: [c.w.memberships.pending] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			},
			{
				op: 'update',
				what: 'grant volunteer to the resident',
				run: (c) => ({ sql: `update public.memberships set roles = '{volunteer}' where id = $1`, params: [c.w.memberships.resident] }),
				watch: (c) => ({ sql: 'select roles from public.memberships where id = $1', params: [c.w.memberships.resident] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			},
			{
				op: 'update',
				what: 'grant committee to the resident',
				run: (c) => ({ sql: `update public.memberships set roles = '{committee}' where id = $1`, params: [c.w.memberships.resident] }),
				watch: (c) => ({ sql: 'select roles from public.memberships where id = $1', params: [c.w.memberships.resident] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'denied', 'no-op', 'ok')
			},
			{
				op: 'update',
				what: 'add a role to own membership of A',
				run: (c) => ({
					sql: `update public.memberships set roles = array_append(roles, 'owner') where user_id = $1 and estate_id = $2`,
					params: [c.me, c.w.a.id]
				}),
				watch: (c) => ({ sql: 'select roles from public.memberships where user_id = $1 and estate_id = $2', params: [c.me, c.w.a.id] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'denied', 'no-op', 'no-op')
			},
			{
				op: 'update',
				what: 'hand own membership of A (and its roles) to another account',
				setup: (c) => [newUser(c)],
				run: (c) => ({ sql: 'update public.memberships set user_id = $3 where user_id = $1 and estate_id = $2', params: [c.me, c.w.a.id, c.fresh2] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where user_id = $1', params: [c.fresh2] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'denied', 'no-op', 'no-op')
			},
			{
				op: 'update',
				what: "hand the resident's membership to another account",
				setup: (c) => [newUser(c)],
				run: (c) => ({ sql: 'update public.memberships set user_id = $2 where id = $1', params: [c.w.memberships.resident, c.fresh2] }),
				watch: (c) => ({ sql: 'select user_id::text from public.memberships where id = $1', params: [c.w.memberships.resident] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'denied', 'no-op', 'denied')
			},
			{
				op: 'update',
				what: 'reject a fellow committee member of A',
				setup: (c) => [makeVolunteerCommittee(c)],
				run: (c) => ({ sql: `update public.memberships set status = 'rejected', reason = '不再担任' where id = $1`, params: [c.w.memberships.volunteer] }),
				watch: (c) => ({ sql: 'select status from public.memberships where id = $1', params: [c.w.memberships.volunteer] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'denied', 'no-op', 'ok')
			},
			{
				op: 'delete',
				what: 'remove the volunteer from A',
				run: (c) => ({ sql: 'delete from public.memberships where id = $1', params: [c.w.memberships.volunteer] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where id = $1', params: [c.w.memberships.volunteer] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'ok', 'no-op', 'ok')
			},
			{
				op: 'delete',
				what: 'remove a fellow committee member of A',
				setup: (c) => [makeVolunteerCommittee(c)],
				run: (c) => ({ sql: 'delete from public.memberships where id = $1', params: [c.w.memberships.volunteer] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where id = $1', params: [c.w.memberships.volunteer] }),
				expect: cells('denied', 'no-op', 'no-op', 'no-op', 'no-op', 'no-op', 'denied', 'no-op', 'ok')
			},
			{
				op: 'delete',
				what: 'leave A (own membership)',
				run: (c) => ({ sql: 'delete from public.memberships where user_id = $1 and estate_id = $2', params: [c.me, c.w.a.id] }),
				watch: (c) => ({ sql: 'select count(*)::int as n from public.memberships where user_id = $1 and estate_id = $2', params: [c.me, c.w.a.id] }),
				expect: cells('denied', 'no-op', 'no-op', 'ok', 'ok', 'ok', 'ok', 'no-op', 'no-op')
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

async function selectCell(db: TestDb, w: World, table: string, spec: TableSpec, caller: Caller, expected: Visible): Promise<string | null> {
	const universe = await db.sql.query<{ key: string; estates: string[]; users: string[] }>(spec.universe);
	const me = userOf(w, caller);
	const wanted =
		expected === 'denied'
			? 'denied'
			: universe
					.filter((r) =>
						expected.split('+').some((part) =>
							part === 'all' ? true
							: part === 'none' ? false
							: part === 'own' ? me !== null && r.users.includes(me)
							: part === 'A' ? r.estates.includes(w.a.id)
							: r.estates.includes(w.b.id)
						)
					)
					.map((r) => r.key)
					.sort();
	const got = await rolledBack(db, async (tx) => {
		await becomeCaller(tx, w, caller);
		try {
			return (await tx.query<{ key: string }>(`select ${spec.key} as key from public.${table}`)).map((r) => r.key).sort();
		} catch (e) {
			return describeError(e);
		}
	});
	if (JSON.stringify(got) === JSON.stringify(wanted)) return null;
	return `${table} select as ${caller}: expected ${expected} = ${JSON.stringify(wanted)}, got ${JSON.stringify(got)}`;
}

async function writeCell(db: TestDb, w: World, table: string, probe: WriteProbe, caller: Caller): Promise<string | null> {
	const ctx: Ctx = { w, me: userOf(w, caller), fresh: randomUUID(), fresh2: randomUUID() };
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
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
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
				const f = await selectCell(db, w, table, spec, caller, spec.select[caller]);
				if (f) failures.push(f);
			}
			for (const op of ['insert', 'update', 'delete'] as const) {
				const probes = spec.writes.filter((p) => p.op === op);
				if (probes.length === 0) failures.push(`${table} has no ${op} probe`);
				for (const probe of probes) {
					for (const caller of CALLERS) {
						const f = await writeCell(db, w, table, probe, caller);
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
		expect(await count()).toEqual([{ c: 1, e: 2, a: 6, u: 8, o: 5, uo: 9, p: 10, m: 8, area_names: '1栋,1栋,2栋,2栋,东院,西院' }]);
	});

	it('every table in public and private has row level security, and every public table is in the matrix', async () => {
		const tables = await db.sql.query<{ schema: string; name: string; rls: boolean }>(TABLES_SQL);
		expect(tables.filter((t) => !t.rls).map((t) => `${t.schema}.${t.name}`)).toEqual([]);
		expect(tables.filter((t) => t.schema === 'public').map((t) => t.name).sort()).toEqual(Object.keys(MATRIX).sort());
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
