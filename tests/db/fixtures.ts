import type { Sql } from '../../src/lib/server/backend/sql';
import type { TestDb } from './harness';

/**
 * The world the tenancy tests run in, written with the server's own
 * (superuser) connection so that no policy or trigger stands in the way.
 *
 * One community with two geographic estates, A and B. Each has a courtyard,
 * buildings "1栋" and "2栋" (the same names on purpose: names are per estate),
 * a few units with floor areas, and owners linked to units. In A one owner is
 * the account `resident`, in B one is `otherEstate`.
 *
 * People, by what they are to estate A:
 *   nonmember    signed in, no membership anywhere
 *   otherEstate  verified member of B (and owner there)
 *   pending      pending request for A (unit 1栋 1单元 102, claims to own it)
 *   rejected     rejected request for A
 *   resident     verified member of A, no roles (and owner of 1栋 1单元 101)
 *   moderator    verified member of A, roles {moderator}
 *   volunteer    verified member of A, roles {volunteer}
 *   committee    verified member of A, roles {committee}
 *   committeeB   verified member of B, roles {committee}
 *   admin        profiles.is_admin, no membership
 */

export const PEOPLE = [
	'nonmember',
	'otherEstate',
	'pending',
	'rejected',
	'resident',
	'moderator',
	'volunteer',
	'committee',
	'committeeB',
	'admin'
] as const;
export type Person = (typeof PEOPLE)[number];

export interface EstateWorld {
	id: string;
	name: string;
	courtyardId: string;
	/** Buildings by name: "1栋", "2栋". */
	buildings: Record<string, string>;
	/** Units by label "<building>/<entrance>/<room>". */
	units: Record<string, string>;
	/** Owners by name. */
	owners: Record<string, string>;
}

export interface World {
	communityId: string;
	a: EstateWorld;
	b: EstateWorld;
	users: Record<Person, string>;
	/** Membership ids by person (everyone but nonmember and admin has exactly one). */
	memberships: Partial<Record<Person, string>>;
}

/** A closed square ring around [lng, lat], `d` degrees wide. */
export function square(lng: number, lat: number, d = 0.0004) {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[lng, lat],
				[lng + d, lat],
				[lng + d, lat + d],
				[lng, lat + d],
				[lng, lat]
			]
		]
	};
}

async function one<T = Record<string, unknown>>(sql: Sql, text: string, params: unknown[] = []): Promise<T> {
	const rows = await sql.query<T>(text, params);
	if (rows.length !== 1) throw new Error(`expected one row from: ${text}`);
	return rows[0];
}

/** Creates an account the way the auth service does; the trigger adds its profile. */
export async function createUser(db: TestDb, displayName: string, options: { admin?: boolean; locale?: string; assisted?: boolean } = {}) {
	const { id } = await one<{ id: string }>(
		db.sql,
		`insert into auth.users (email, raw_user_meta_data) values ($1, $2::text::jsonb) returning id::text`,
		[
			`${displayName.toLowerCase().replace(/[^a-z0-9]+/g, '')}-${Math.random().toString(36).slice(2, 10)}@example.test`,
			JSON.stringify({ display_name: displayName, locale: options.locale ?? 'zh-CN' })
		]
	);
	if (options.admin) await db.sql.query('update public.profiles set is_admin = true where id = $1', [id]);
	if (options.assisted) {
		await db.sql.query(`update auth.users set raw_app_meta_data = '{"provider":"assisted"}' where id = $1`, [id]);
	}
	return id;
}

/** Adds a membership directly (no trigger applies to the superuser). */
export async function addMembership(
	db: TestDb,
	m: { estateId: string; userId: string; status: 'pending' | 'verified' | 'rejected'; roles?: string[]; unitId?: string | null; reason?: string; claimsOwner?: boolean }
) {
	const { id } = await one<{ id: string }>(
		db.sql,
		`insert into public.memberships (estate_id, user_id, status, roles, unit_id, reason, claims_owner, decided_at)
		 values ($1, $2, $3, $4::text[], $5, $6, $7, case when $3 = 'pending' then null else now() end) returning id::text`,
		[m.estateId, m.userId, m.status, m.roles ?? [], m.unitId ?? null, m.reason ?? null, m.claimsOwner ?? false]
	);
	return id;
}

export interface EstateSpec {
	name: string;
	lng: number;
	lat: number;
	courtyard: string;
	/** [building, entrance, room, floor area, developer held] */
	units: Array<[string, string, string, number, boolean?]>;
	owners: Array<{ name: string; developer?: boolean; units: string[] }>;
}

/** Adds an estate with a courtyard, buildings 1栋 and 2栋 inside it, units and owners. */
export async function seedEstate(db: TestDb, communityId: string, spec: EstateSpec): Promise<EstateWorld> {
	const { id } = await one<{ id: string }>(
		db.sql,
		`insert into public.estates (community_id, name, address, map_mode, center_lat, center_lng, zoom)
		 values ($1, $2, $3, 'geographic', $4, $5, 17) returning id::text`,
		[communityId, spec.name, `${spec.name}路 1 号`, spec.lat, spec.lng]
	);
	const courtyard = await one<{ id: string }>(
		db.sql,
		`insert into public.areas (estate_id, kind, name, geometry) values ($1, 'courtyard', $2, $3::text::jsonb) returning id::text`,
		[id, spec.courtyard, JSON.stringify(square(spec.lng, spec.lat, 0.002))]
	);
	const buildings: Record<string, string> = {};
	for (const [i, name] of ['1栋', '2栋'].entries()) {
		const b = await one<{ id: string }>(
			db.sql,
			`insert into public.areas (estate_id, parent_id, kind, name, geometry) values ($1, $2, 'building', $3, $4::text::jsonb) returning id::text`,
			[id, courtyard.id, name, JSON.stringify(square(spec.lng + 0.0005 + i * 0.0006, spec.lat + 0.0005))]
		);
		buildings[name] = b.id;
	}
	const units: Record<string, string> = {};
	for (const [building, entrance, room, area, dev] of spec.units) {
		const u = await one<{ id: string }>(
			db.sql,
			`insert into public.units (estate_id, building_id, entrance, room, floor_area, developer_held)
			 values ($1, $2, $3, $4, $5, $6) returning id::text`,
			[id, buildings[building], entrance, room, area, dev ?? false]
		);
		units[`${building}/${entrance}/${room}`] = u.id;
	}
	const owners: Record<string, string> = {};
	for (const o of spec.owners) {
		const row = await one<{ id: string }>(
			db.sql,
			`insert into public.owners (estate_id, name, is_developer) values ($1, $2, $3) returning id::text`,
			[id, o.name, o.developer ?? false]
		);
		owners[o.name] = row.id;
		for (const label of o.units) {
			await db.sql.query('insert into public.unit_owners (unit_id, owner_id) values ($1, $2)', [units[label], row.id]);
		}
	}
	return { id, name: spec.name, courtyardId: courtyard.id, buildings, units, owners };
}

/**
 * Seeds the world. Call once per test file: each file gets a fresh database
 * from the harness, and the names below are unique per database.
 */
export async function seedWorld(db: TestDb): Promise<World> {
	const community = await one<{ id: string }>(
		db.sql,
		`insert into public.communities (name, district) values ('沧浪新城社区', '姑苏区') returning id::text`
	);
	const a = await seedEstate(db, community.id, {
		name: '桂花苑',
		lng: 120.61,
		lat: 31.3,
		courtyard: '东院',
		units: [
			['1栋', '1', '101', 90.5],
			['1栋', '1', '102', 88],
			['1栋', '1', '201', 120.25],
			['2栋', '', '101', 75],
			['2栋', '', '102', 60, true]
		],
		owners: [
			{ name: '张三', units: ['1栋/1/101', '1栋/1/201'] },
			{ name: '李四', units: ['1栋/1/102', '1栋/1/201', '2栋//101'] },
			{ name: '开发商', developer: true, units: ['2栋//102'] }
		]
	});
	const b = await seedEstate(db, community.id, {
		name: '梅花苑',
		lng: 120.63,
		lat: 31.31,
		courtyard: '西院',
		units: [
			['1栋', '', '101', 100],
			['1栋', '', '102', 100],
			['2栋', '', '101', 65.5]
		],
		owners: [
			{ name: '王五', units: ['1栋//101'] },
			{ name: '赵六', units: ['1栋//102', '2栋//101'] }
		]
	});

	const users = {} as Record<Person, string>;
	for (const p of PEOPLE) users[p] = await createUser(db, p, { admin: p === 'admin' });

	await db.sql.query('update public.owners set user_id = $1 where id = $2', [users.resident, a.owners['张三']]);
	await db.sql.query('update public.owners set user_id = $1 where id = $2', [users.otherEstate, b.owners['王五']]);

	const memberships: Partial<Record<Person, string>> = {
		otherEstate: await addMembership(db, { estateId: b.id, userId: users.otherEstate, status: 'verified', unitId: b.units['1栋//101'] }),
		committeeB: await addMembership(db, { estateId: b.id, userId: users.committeeB, status: 'verified', roles: ['committee'] }),
		pending: await addMembership(db, { estateId: a.id, userId: users.pending, status: 'pending', unitId: a.units['1栋/1/102'], claimsOwner: true }),
		rejected: await addMembership(db, { estateId: a.id, userId: users.rejected, status: 'rejected', reason: '查无此户' }),
		resident: await addMembership(db, { estateId: a.id, userId: users.resident, status: 'verified', unitId: a.units['1栋/1/101'] }),
		moderator: await addMembership(db, { estateId: a.id, userId: users.moderator, status: 'verified', roles: ['moderator'] }),
		volunteer: await addMembership(db, { estateId: a.id, userId: users.volunteer, status: 'verified', roles: ['volunteer'] }),
		committee: await addMembership(db, { estateId: a.id, userId: users.committee, status: 'verified', roles: ['committee'], unitId: a.units['2栋//101'] })
	};

	return { communityId: community.id, a, b, users, memberships };
}

/**
 * The issues of the world (议题), written with the superuser connection; the
 * triggers still run, so the counters and the 'proposed' events are real.
 * Both boards are closed (estates.board_public = false), as by default.
 *
 * Estate A:
 *   bench    '东门的长椅坏了' by resident, in 1栋 at a point inside it, one photo,
 *            supported by nobody; comments:
 *              top     by committee, 'support', visible
 *              reply   by resident, a reply to top, 'question', visible, edited once (one revision)
 *              hidden  by volunteer, 'oppose', hidden by the moderator with a reason,
 *                      reported by the resident before that
 *   hotline  '2栋楼道灯不亮' recorded by volunteer on the hotline for 张奶奶 (issue_behalf),
 *            in the courtyard, supported by resident
 *   notifications: resident ('issue_status', bench), volunteer ('comment_moderated')
 * Estate B:
 *   visit    '车棚漏雨' recorded by committeeB on a visit for 王阿姨, in B's 1栋, one photo,
 *            supported by otherEstate; comment 'top' by otherEstate (edited once,
 *            reported by committeeB); notification for otherEstate
 */
export interface IssueWorld {
	a: { bench: string; hotline: string; comments: { top: string; reply: string; hidden: string } };
	b: { visit: string; comments: { top: string } };
}

/** A point inside building 1栋 of A (its square starts at 120.6105, 31.3005). */
export const POINT_IN_A_1 = [120.6107, 31.3007] as const;

export async function seedIssues(db: TestDb, w: World): Promise<IssueWorld> {
	const issue = async (estateId: string, areaId: string, authorId: string, title: string, category: string, channel = 'app', point: readonly [number, number] | null = null) =>
		(
			await one<{ id: string }>(
				db.sql,
				`insert into public.issues (estate_id, area_id, author_id, title, body, category, channel, point_x, point_y)
				 values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id::text`,
				[estateId, areaId, authorId, title, `${title}，请尽快处理。`, category, channel, point?.[0] ?? null, point?.[1] ?? null]
			)
		).id;
	const comment = async (issueId: string, authorId: string, stance: string, body: string, parentId: string | null = null) =>
		(
			await one<{ id: string }>(
				db.sql,
				`insert into public.comments (issue_id, parent_id, author_id, stance, body) values ($1, $2, $3, $4, $5) returning id::text`,
				[issueId, parentId, authorId, stance, body]
			)
		).id;
	const photo = (issueId: string) =>
		db.sql.query(`insert into public.issue_photos (issue_id, position, path, thumb_path, width, height) values ($1, 0, $2, $3, 1200, 900)`, [
			issueId,
			`issues/${issueId}/0.jpg`,
			`issues/${issueId}/0-thumb.jpg`
		]);
	const u = w.users;

	const bench = await issue(w.a.id, w.a.buildings['1栋'], u.resident, '东门的长椅坏了', 'facilities', 'app', POINT_IN_A_1);
	await photo(bench);
	const top = await comment(bench, u.committee, 'support', '同意，居委会跟进。');
	const reply = await comment(bench, u.resident, 'question', '大概什么时候修？', top);
	await db.sql.query(`insert into public.comment_revisions (comment_id, body) values ($1, '什么时候修')`, [reply]);
	await db.sql.query(`update public.comments set edited_at = now() where id = $1`, [reply]);
	const hidden = await comment(bench, u.volunteer, 'oppose', '修了也会坏，别修了！');
	await db.sql.query(`insert into public.comment_reports (comment_id, reporter_id, reason) values ($1, $2, '言语不文明')`, [hidden, u.resident]);
	await db.sql.query(`update public.comments set state = 'hidden', moderation_reason = '请文明发言', moderated_by = $2 where id = $1`, [hidden, u.moderator]);

	const hotline = await issue(w.a.id, w.a.courtyardId, u.volunteer, '2栋楼道灯不亮', 'safety', 'hotline');
	await db.sql.query(`insert into public.issue_behalf (issue_id, estate_id, resident_name, resident_contact) values ($1, $2, '张奶奶', '2栋 101')`, [hotline, w.a.id]);
	await db.sql.query(`insert into public.issue_supports (issue_id, user_id) values ($1, $2)`, [hotline, u.resident]);
	await db.sql.query(
		`insert into public.notifications (user_id, kind, issue_id, payload) values
		   ($1, 'issue_status', $2, '{"to":"accepted"}'), ($3, 'comment_moderated', $2, '{"hidden":true,"reason":"请文明发言"}')`,
		[u.resident, bench, u.volunteer]
	);

	const visit = await issue(w.b.id, w.b.buildings['1栋'], u.committeeB, '车棚漏雨', 'facilities', 'visit');
	await db.sql.query(`insert into public.issue_behalf (issue_id, estate_id, resident_name) values ($1, $2, '王阿姨')`, [visit, w.b.id]);
	await photo(visit);
	await db.sql.query(`insert into public.issue_supports (issue_id, user_id) values ($1, $2)`, [visit, u.otherEstate]);
	const topB = await comment(visit, u.otherEstate, 'concern', '下雨天电动车都湿了。');
	await db.sql.query(`insert into public.comment_revisions (comment_id, body) values ($1, '下雨天车都湿了')`, [topB]);
	await db.sql.query(`insert into public.comment_reports (comment_id, reporter_id, reason) values ($1, $2, '与议题无关')`, [topB, u.committeeB]);
	await db.sql.query(`insert into public.notifications (user_id, kind, issue_id) values ($1, 'issue_status', $2)`, [u.otherEstate, visit]);

	return { a: { bench, hotline, comments: { top, reply, hidden } }, b: { visit, comments: { top: topB } } };
}

/**
 * The votes of the world (表决), for the row level security matrix only: the
 * other tests do not call it, so the world they see is unchanged. Each vote
 * is opened on an issue of its own (written 'accepted' with the superuser
 * connection) through the real functions, called as the people below, so
 * the electorate snapshot, the ballots and the result are what the app writes.
 *
 * Estate A:
 *   owners   an open, secret owners' decision (matter 4) by committee on issue
 *            '加装电动车充电棚' (by resident); electorate: A's five units. Ballots:
 *              resident   online, for 1栋/1/101 (张三's)
 *              moderator  paper P-001, for 2栋//101 (李四's)
 *              committee  paper P-002, for 1栋/1/102 (李四's)
 *   consult  a closed, non-secret consultative vote (more_yes, residents) by
 *            committee on issue '周末开放活动室' (by resident); electorate: A's
 *            verified members (resident, moderator, volunteer, committee). Ballots:
 *              resident   online, yes
 *              committee  online, yes
 *              moderator  paper P-003 for volunteer, no
 *            then closed by the clock (close_due_votes): a vote_results row, 'passed'.
 * Estate B:
 *   open     an open, non-secret consultative vote (more_yes, residents) by
 *            committeeB on issue '车棚加装照明' (by otherEstate); electorate:
 *            otherEstate and committeeB. Ballot: otherEstate online, yes.
 */
export interface VoteRef {
	id: string;
	issue: string;
	/** Electorate row ids, by unit label (units) or by person (residents). */
	electors: Record<string, string>;
	/** Ballot ids, by who cast or entered them. */
	ballots: Partial<Record<Person, string>>;
}
export interface VoteWorld {
	a: { owners: VoteRef; consult: VoteRef };
	b: { open: VoteRef };
}

export async function seedVotes(db: TestDb, w: World): Promise<VoteWorld> {
	const as = (p: Person) => ({ kind: 'user' as const, userId: w.users[p] });
	const closesIn = (days: number) => new Date(Date.now() + days * 86400_000).toISOString();
	const acceptedIssue = async (estate: EstateWorld, authorId: string, title: string) =>
		(
			await one<{ id: string }>(
				db.sql,
				`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
				 values ($1, $2, $3, $4, $5, 'facilities', 'accepted') returning id::text`,
				[estate.id, estate.courtyardId, authorId, title, `${title}，请大家表决。`]
			)
		).id;
	const open = async (issue: string, by: Person, args: Record<string, unknown>) =>
		(await db.backend.call<{ id: string }>('open_vote', { p_issue_id: issue, p_closes_at: closesIn(7), ...args }, as(by))).id;
	const ballotId = (r: { ballot_id: string | number }) => String(r.ballot_id);
	/** Electorate rows by unit label (units) or by person (residents). */
	const electors = async (voteId: string, estate: EstateWorld) => {
		const rows = await db.sql.query<{ id: string; unit_id: string | null; user_id: string | null }>(
			'select id::text, unit_id::text, user_id::text from public.vote_electorate where vote_id = $1',
			[voteId]
		);
		const byUnit = Object.fromEntries(Object.entries(estate.units).map(([label, id]) => [id, label]));
		const byUser = Object.fromEntries(Object.entries(w.users).map(([person, id]) => [id, person]));
		return Object.fromEntries(rows.map((r) => [r.unit_id ? byUnit[r.unit_id] : byUser[r.user_id ?? ''], r.id]));
	};
	const cast = (voteId: string, by: Person, choice: number[], unitId?: string) =>
		db.backend.call<{ ballot_id: string | number }>('cast_ballot', { p_vote_id: voteId, p_choice: choice, ...(unitId ? { p_unit_id: unitId } : {}) }, as(by));
	const paper = (voteId: string, by: Person, choice: number[], ref: string, target: { unitId?: string; userId?: string }) =>
		db.backend.call<{ ballot_id: string | number }>(
			'record_paper_ballot',
			{ p_vote_id: voteId, p_choice: choice, p_paper_ref: ref, ...(target.unitId ? { p_unit_id: target.unitId } : { p_user_id: target.userId }) },
			as(by)
		);

	// A, consultative, closed by the clock.
	const consultIssue = await acceptedIssue(w.a, w.users.resident, '周末开放活动室');
	const consultId = await open(consultIssue, 'committee', { p_question: '周末是否开放活动室？', p_kind: 'consultative', p_rule: 'more_yes', p_secret: false });
	const consult: VoteRef = {
		id: consultId,
		issue: consultIssue,
		electors: await electors(consultId, w.a),
		ballots: {
			resident: ballotId(await cast(consultId, 'resident', [1])),
			committee: ballotId(await cast(consultId, 'committee', [1])),
			moderator: ballotId(await paper(consultId, 'moderator', [2], 'P-003', { userId: w.users.volunteer }))
		}
	};
	await db.sql.query(`update public.votes set opens_at = now() - interval '2 days', closes_at = now() - interval '1 second' where id = $1`, [consultId]);
	await db.sql.query('select public.close_due_votes()');

	// A, owners' decision, open and secret.
	const ownersIssue = await acceptedIssue(w.a, w.users.resident, '加装电动车充电棚');
	const ownersId = await open(ownersIssue, 'committee', { p_question: '是否同意加装电动车充电棚？', p_kind: 'owners', p_matter: 4 });
	const owners: VoteRef = {
		id: ownersId,
		issue: ownersIssue,
		electors: await electors(ownersId, w.a),
		ballots: {
			resident: ballotId(await cast(ownersId, 'resident', [1], w.a.units['1栋/1/101'])),
			moderator: ballotId(await paper(ownersId, 'moderator', [2], 'P-001', { unitId: w.a.units['2栋//101'] })),
			committee: ballotId(await paper(ownersId, 'committee', [3], 'P-002', { unitId: w.a.units['1栋/1/102'] }))
		}
	};

	// B, consultative, open.
	const openIssue = await acceptedIssue(w.b, w.users.otherEstate, '车棚加装照明');
	const openId = await open(openIssue, 'committeeB', { p_question: '车棚是否加装照明？', p_kind: 'consultative', p_rule: 'more_yes', p_secret: false });
	const openB: VoteRef = {
		id: openId,
		issue: openIssue,
		electors: await electors(openId, w.b),
		ballots: { otherEstate: ballotId(await cast(openId, 'otherEstate', [1])) }
	};

	return { a: { owners, consult }, b: { open: openB } };
}

/**
 * The publications of the world (公示), for the row level security matrix and the definers test:
 * the decisions published through the real functions, called as the people below.
 *
 * Estate A:
 *   decision  the approved consultative vote's issue '周末开放活动室' (seedVotes), published by
 *             committee for 7 days, two paragraphs; an objection by resident to paragraph 2,
 *             unanswered; one by moderator to paragraph 1, rejected by committee.
 * Estate B:
 *   decision  '车棚加装照明整改' written approved, published by committeeB; an objection by
 *             otherEstate to paragraph 1.
 */
export interface PublicationWorld {
	a: { id: string; issue: string; objections: { resident: string; moderator: string } };
	b: { id: string; issue: string; objections: { otherEstate: string } };
}

export async function seedPublications(db: TestDb, w: World, v: VoteWorld): Promise<PublicationWorld> {
	const as = (p: Person) => ({ kind: 'user' as const, userId: w.users[p] });
	const publish = async (issue: string, by: Person) =>
		(
			await db.backend.call<{ id: string }>(
				'publish_decision',
				{ p_issue_id: issue, p_title: '关于表决结果的公示', p_paragraphs: ['经表决，同意实施。', '实施时间另行通知。'] },
				as(by)
			)
		).id;
	const object = async (id: string, by: Person, paragraph: number) =>
		(await db.backend.call<{ id: string }>('object_to_publication', { p_publication_id: id, p_paragraph: paragraph, p_reason: '请写明时间' }, as(by))).id;

	const aId = await publish(v.a.consult.issue, 'committee');
	const resident = await object(aId, 'resident', 2);
	const moderator = await object(aId, 'moderator', 1);
	await db.backend.call('answer_objection', { p_objection_id: moderator, p_upheld: false, p_reason: '已在第 2 段说明' }, as('committee'));

	const bIssue = await one<{ id: string }>(
		db.sql,
		`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
		 values ($1, $2, $3, '车棚加装照明整改', '已表决通过。', 'facilities', 'approved') returning id::text`,
		[w.b.id, w.b.courtyardId, w.users.otherEstate]
	);
	const bId = await publish(bIssue.id, 'committeeB');
	const otherEstate = await object(bId, 'otherEstate', 1);
	return { a: { id: aId, issue: v.a.consult.issue, objections: { resident, moderator } }, b: { id: bId, issue: bIssue.id, objections: { otherEstate } } };
}

export interface WishWorld {
	a: { pending: string; open: string; claimed: string };
	b: { pending: string; open: string };
}

/**
 * Micro-wishes, written directly (as the superuser): in A a pending wish the
 * resident posted for themself, an open one and a claimed one the volunteer
 * posts as guardian for a resident without an account (the claimed one
 * claimed by the resident, so that the claimer is a caller of the matrix);
 * in B a pending and an open one posted by otherEstate.
 */
export async function seedWishes(db: TestDb, w: World): Promise<WishWorld> {
	const wish = async (estateId: string, status: string, d: { resident?: string; guardian?: string; claimedBy?: string }) => {
		const vetted = status !== 'pending';
		const claimed = status === 'claimed';
		const { id } = await one<{ id: string }>(
			db.sql,
			`insert into public.wishes (estate_id, title, category, shown_name, status, vetted_at, claimer_name, claimed_at)
			 values ($1, '想要一台收音机', 'daily', '某阿姨', $2, case when $3 then now() end, case when $4 then '认领人' end, case when $4 then now() end)
			 returning id::text`,
			[estateId, status, vetted, claimed]
		);
		await db.sql.query(
			`insert into public.wish_details (wish_id, estate_id, resident_id, guardian_id, resident_name, unit_text, phone, claimed_by)
			 values ($1, $2, $3, $4, '王秀兰', '1栋 2单元 301', '13912345678', $5)`,
			[id, estateId, d.resident ?? null, d.guardian ?? null, d.claimedBy ?? null]
		);
		return id;
	};
	return {
		a: {
			pending: await wish(w.a.id, 'pending', { resident: w.users.resident }),
			open: await wish(w.a.id, 'open', { guardian: w.users.volunteer }),
			claimed: await wish(w.a.id, 'claimed', { guardian: w.users.volunteer, claimedBy: w.users.resident })
		},
		b: {
			pending: await wish(w.b.id, 'pending', { resident: w.users.otherEstate }),
			open: await wish(w.b.id, 'open', { resident: w.users.otherEstate })
		}
	};
}

export interface ProgressSide {
	issue: string;
	root: string;
	sub: string;
	/** A milestone done with a progress note and one photo as its evidence. */
	done: string;
	/** A milestone not done yet. */
	open: string;
	update: string;
	photo: string;
}
export interface ProgressWorld {
	a: ProgressSide;
	b: ProgressSide;
}

/**
 * Plans in progress (20261204110000): in A and in B, an in_progress issue with
 * its plan, one sub-item, a milestone done with a note and a photo, and one
 * milestone open, each written by the estate's committee through the functions.
 */
export async function seedProgress(db: TestDb, w: World): Promise<ProgressWorld> {
	const side = async (estate: 'a' | 'b', author: Person, committee: Person): Promise<ProgressSide> => {
		const as = { kind: 'user' as const, userId: w.users[committee] };
		const call = <T>(fn: string, args: Record<string, unknown>) => db.backend.call<T>(fn, args, as);
		const { id: issue } = await one<{ id: string }>(
			db.sql,
			`insert into public.issues (estate_id, area_id, author_id, title, body, category, status)
			 values ($1, $2, $3, '楼道粉刷与照明改造', '已表决通过，公示期满。', 'facilities', 'in_progress') returning id::text`,
			[w[estate].id, w[estate].courtyardId, w.users[author]]
		);
		const root = (await call<{ id: string }>('plan_item', { p_issue_id: issue, p_title: '改造计划', p_responsible_kind: 'contractor', p_responsible: '苏州建工' })).id;
		const sub = (await call<{ id: string }>('plan_item', { p_issue_id: issue, p_title: '楼道照明', p_weight: 2 })).id;
		const done = (await call<{ id: string }>('add_milestone', { p_item_id: sub, p_title: '灯具进场' })).id;
		const open = (await call<{ id: string }>('add_milestone', { p_item_id: sub, p_title: '全部通电' })).id;
		const photo = `issues/progress-${estate}.jpg`;
		await call('complete_milestone', {
			p_milestone_id: done,
			p_note: '灯具已到货',
			p_photos: [{ path: photo, thumb_path: `issues/progress-${estate}_t.jpg`, width: 800, height: 600 }]
		});
		const { update } = await one<{ update: string }>(db.sql, 'select evidence_id::text as update from public.milestones where id = $1', [done]);
		return { issue, root, sub, done, open, update, photo };
	};
	return { a: await side('a', 'resident', 'committee'), b: await side('b', 'otherEstate', 'committeeB') };
}

/**
 * The meetings of the world (议事会), for the row level security matrix and the definers test,
 * written with the superuser connection (no notifications, no timeline: the other tables' counts
 * stay as they were).
 *
 * Estate A, a council next week, chaired by moderator, invited list: resident:
 *   agenda     one free topic '南苑座椅'
 *   attendance resident (registered), volunteer (checked in by moderator), 王奶奶 of 1栋/1/102
 *              (no account, checked in)
 *   proxy      held by volunteer for committee, with a letter
 *   record     'scheduled'
 * Estate B, the same shape: otherEstate registered and holding a proxy for 赵阿姨 (no account).
 */
export interface MeetingRef {
	id: string;
	item: string;
	attendance: Record<string, string>;
	proxy: string;
}
export interface MeetingWorld {
	a: MeetingRef;
	b: MeetingRef;
}

export async function seedMeetings(db: TestDb, w: World): Promise<MeetingWorld> {
	const meeting = async (estateId: string, chair: string, code: string) =>
		(
			await one<{ id: string }>(
				db.sql,
				`insert into public.meetings (estate_id, kind, title, starts_at, ends_at, place, chair_id, recorder_id, admission, checkin_code, created_by)
				 values ($1, 'council', '南苑座椅议事会', now() + interval '7 days', now() + interval '7 days 2 hours', '社区活动室', $2, $2, 'invited', $3, $2)
				 returning id::text`,
				[estateId, chair, code]
			)
		).id;
	const item = async (meetingId: string) =>
		(await one<{ id: string }>(db.sql, `insert into public.agenda_items (meeting_id, position, title) values ($1, 1, '南苑座椅') returning id::text`, [meetingId])).id;
	const attend = async (meetingId: string, row: { userId?: string; name?: string; unitId?: string; registered?: boolean; checkedInBy?: string | null }) =>
		(
			await one<{ id: string }>(
				db.sql,
				`insert into public.meeting_attendance (meeting_id, user_id, name, unit_id, registered_at, checked_in_at, checked_in_by)
				 values ($1, $2, $3, $4, case when $5 then now() end, case when $6 then now() end, $7) returning id::text`,
				[meetingId, row.userId ?? null, row.name ?? null, row.unitId ?? null, row.registered ?? false, row.checkedInBy !== undefined, row.checkedInBy ?? null]
			)
		).id;
	const proxy = async (meetingId: string, holderId: string, absent: { userId?: string; name?: string }, by: string) =>
		(
			await one<{ id: string }>(
				db.sql,
				`insert into public.meeting_proxies (meeting_id, holder_id, absent_user_id, absent_name, letter_path, recorded_by)
				 values ($1, $2, $3, $4, 'proxies/fixture.jpg', $5) returning id::text`,
				[meetingId, holderId, absent.userId ?? null, absent.name ?? null, by]
			)
		).id;
	const u = w.users;

	const aId = await meeting(w.a.id, u.moderator, '100001');
	await db.sql.query('insert into public.meeting_invitees (meeting_id, user_id) values ($1, $2)', [aId, u.resident]);
	await db.sql.query(`insert into public.meeting_events (meeting_id, actor_id, kind) values ($1, $2, 'scheduled')`, [aId, u.moderator]);
	const aAttendance = {
		resident: await attend(aId, { userId: u.resident, registered: true }),
		volunteer: await attend(aId, { userId: u.volunteer, checkedInBy: u.moderator }),
		guest: await attend(aId, { name: '王奶奶', unitId: w.a.units['1栋/1/102'], checkedInBy: u.moderator })
	};
	const a: MeetingRef = { id: aId, item: await item(aId), attendance: aAttendance, proxy: await proxy(aId, aAttendance.volunteer, { userId: u.committee }, u.moderator) };

	const bId = await meeting(w.b.id, u.committeeB, '100002');
	await db.sql.query('insert into public.meeting_invitees (meeting_id, user_id) values ($1, $2)', [bId, u.otherEstate]);
	await db.sql.query(`insert into public.meeting_events (meeting_id, actor_id, kind) values ($1, $2, 'scheduled')`, [bId, u.committeeB]);
	const bAttendance = { otherEstate: await attend(bId, { userId: u.otherEstate, registered: true, checkedInBy: u.committeeB }) };
	const b: MeetingRef = { id: bId, item: await item(bId), attendance: bAttendance, proxy: await proxy(bId, bAttendance.otherEstate, { name: '赵阿姨' }, u.committeeB) };
	return { a, b };
}
