import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON, type Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { addMembership, createUser, POINT_IN_A_1, seedEstate, seedIssues, seedWorld, square, type EstateWorld, type IssueWorld, type Person, type World } from './fixtures';

/**
 * Every function of the issues migrations, called as the app calls them:
 * db.backend.call(fn, args, caller), each call its own transaction as the
 * caller. The world is seedWorld + seedIssues (fixtures.ts). A refused call
 * is checked to have changed nothing (see `refused`). Tests that need a
 * board of their own (paging, counts) work in an estate they create.
 */

type Json = Record<string, unknown>;
type Row = Record<string, unknown>;

interface Comment {
	id: string;
	parent_id: string | null;
	stance: string;
	body: string | null;
	state: string;
	moderation_reason: string | null;
	author?: string;
	mine: boolean | null;
	created_at: string;
	edited_at: string | null;
}
interface Detail {
	issue: Json;
	behalf: { name: string; contact: string | null } | null;
	author: string | null;
	timeline: Json[];
	comments: { comments: Comment[]; more_after: string | null };
	stances: Record<string, number>;
	actions: Array<{ action: string; to: string; needs_reason: boolean }>;
	photos: Json[];
	supported: boolean;
	can_moderate: boolean;
	is_member: boolean;
}
interface BoardRow {
	id: string;
	title: string;
	status: string;
	category: string;
	area: string;
	area_id: string;
	support_count: number;
	comment_count: number;
	has_photo: boolean;
}
interface Board {
	issues: BoardRow[];
	next_cursor: string | null;
	counts: Record<string, number>;
	open_count: number;
	estate: { id: string; name: string };
	areas: Array<{ id: string; kind: string; name: string; parent_id: string | null }>;
}

const UNKNOWN = '00000000-0000-4000-8000-00000000dead';

describe.each(DATABASES)('issue functions on %s', (name) => {
	let db: TestDb;
	let w: World;
	let iw: IssueWorld;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		iw = await seedIssues(db, w);
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const user = (id: string): Caller => ({ kind: 'user', userId: id });
	const call = <T = Json>(fn: string, args: Json, caller: Caller) => db.backend.call<T>(fn, args, caller);

	async function scalar<T = number>(sql: string, params: unknown[] = []): Promise<T> {
		const rows = await db.sql.query<{ v: T }>(sql, params);
		return rows[0].v;
	}

	/** Runs one statement directly against the tables as a signed-in user (no API function), as PostgREST would. */
	async function asUserSql(userId: string, sql: string, params: unknown[] = []) {
		return db.sql.transaction(async (tx) => {
			await tx.query('set local role authenticated');
			await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })]);
			return tx.query(sql, params);
		});
	}

	/** Everything the issue functions write, to check that a refused call wrote nothing. */
	async function state() {
		return db.sql.query(
			`select
			   (select count(*) from public.issues)::int as issues,
			   (select count(*) from public.issue_behalf)::int as behalf,
			   (select count(*) from public.issue_photos)::int as photos,
			   (select count(*) from public.issue_supports)::int as supports,
			   (select count(*) from public.issue_events)::int as events,
			   (select count(*) from public.comments)::int as comments,
			   (select count(*) from public.comment_revisions)::int as revisions,
			   (select count(*) from public.comment_reports)::int as reports,
			   (select count(*) from public.notifications)::int as notifications,
			   (select count(*) from public.notifications where read_at is not null)::int as read,
			   (select md5(coalesce(string_agg(id::text || status || support_count || comment_count || coalesce(merged_into::text, '-')
			       || coalesce(threshold_reached_at::text, '-') || last_activity_at::text, ',' order by id), '')) from public.issues) as issue_rows,
			   (select md5(coalesce(string_agg(id::text || state || coalesce(body, '-') || coalesce(moderation_reason, '-')
			       || coalesce(edited_at::text, '-'), ',' order by id), '')) from public.comments) as comment_rows,
			   (select md5(string_agg(id::text || board_public::text || support_threshold, ',' order by id)) from public.estates) as settings`
		);
	}

	/** Expects the call to be refused with the given error, and the database to be unchanged. */
	async function refused(attempt: () => Promise<unknown>, error: Json) {
		const before = await state();
		await expect(attempt()).rejects.toMatchObject(error);
		expect(await state()).toEqual(before);
	}

	let serial = 0;
	/** Proposes an issue (in 1栋 of A unless told otherwise) and returns its id. */
	async function propose(caller: Caller, over: Json = {}) {
		serial += 1;
		const { id } = await call<{ id: string }>(
			'propose_issue',
			{ p_estate_id: w.a.id, p_area_id: w.a.buildings['1栋'], p_category: 'facilities', p_title: `测试议题${serial}`, p_body: '说明', ...over },
			caller
		);
		return id;
	}

	const detail = (id: string, caller: Caller) => call<Detail>('issue_detail', { p_issue_id: id }, caller);
	const transition = (id: string, action: string, caller: Caller, over: Json = {}) =>
		call<Json>('transition_issue', { p_issue_id: id, p_action: action, ...over }, caller);
	const issueRow = async (id: string) =>
		(
			await db.sql.query<Row>(
				`select status, support_count, comment_count, merged_into::text, threshold_reached_at is not null as threshold_reached from public.issues where id = $1`,
				[id]
			)
		)[0];
	const notificationsOf = (userId: string, issueId: string) =>
		db.sql.query<{ kind: string; payload: Json }>(`select kind, payload from public.notifications where user_id = $1 and issue_id = $2 order by id`, [
			userId,
			issueId
		]);

	/** Opens an estate's board to the public for the duration of fn. */
	async function withPublicBoard<T>(estateId: string, fn: () => Promise<T>): Promise<T> {
		await db.sql.query('update public.estates set board_public = true where id = $1', [estateId]);
		try {
			return await fn();
		} finally {
			await db.sql.query('update public.estates set board_public = false where id = $1', [estateId]);
		}
	}

	// ------------------------------------------------------------------ helpers

	describe('private.point_in_geometry', () => {
		const inside = (x: number, y: number, g: unknown) =>
			scalar<boolean>('select private.point_in_geometry($1, $2, $3::text::jsonb) as v', [x, y, JSON.stringify(g)]);

		it('finds points inside and outside the fixture squares', async () => {
			const building = square(120.6105, 31.3005);
			expect(await inside(POINT_IN_A_1[0], POINT_IN_A_1[1], building)).toBe(true);
			expect(await inside(120.6104, 31.3007, building)).toBe(false);
			expect(await inside(120.6107, 31.301, building)).toBe(false);
			expect(await inside(120.611, 31.301, square(120.61, 31.3, 0.002))).toBe(true);
			expect(await inside(120.62, 31.301, square(120.61, 31.3, 0.002))).toBe(false);
		});

		it('counts a hole as outside, reads multipolygons, and says no to no geometry', async () => {
			const outer = square(0, 0, 10).coordinates[0];
			const hole = square(4, 4, 2).coordinates[0];
			const donut = { type: 'Polygon', coordinates: [outer, hole] };
			expect(await inside(1, 1, donut)).toBe(true);
			expect(await inside(5, 5, donut)).toBe(false);
			const multi = { type: 'MultiPolygon', coordinates: [[square(0, 0, 1).coordinates[0]], [square(5, 5, 1).coordinates[0]]] };
			expect(await inside(5.5, 5.5, multi)).toBe(true);
			expect(await inside(3, 3, multi)).toBe(false);
			expect(await scalar<boolean>('select private.point_in_geometry(1, 1, null) as v')).toBe(false);
		});
	});

	describe('private.bigrams', () => {
		it('splits Chinese titles into character pairs, ignoring spaces and punctuation', async () => {
			const pairs = await scalar<string[]>(`select private.bigrams('东门的 长椅，坏了！') as v`);
			expect([...pairs].sort()).toEqual(['东门', '坏了', '椅坏', '的长', '长椅', '门的'].sort());
			expect(await scalar<string[]>(`select private.bigrams('长') as v`)).toEqual([]);
			expect(await scalar<number>(`select private.bigram_similarity(private.bigrams('东门的长椅坏了'), private.bigrams('东门长椅坏了没人修'))::float8 as v`)).toBeCloseTo(0.4);
		});
	});

	// ------------------------------------------------------------------ propose

	describe('propose_issue', () => {
		it('raises an issue for a member, with a point and photos; its timeline starts with "proposed"', async () => {
			const photos = [
				{ path: 'issues/x/0.jpg', thumb_path: 'issues/x/0t.jpg', width: 1600, height: 1200 },
				{ path: 'issues/x/1.jpg', thumb_path: 'issues/x/1t.jpg', width: 800, height: 600 }
			];
			const id = await propose(as('resident'), {
				p_title: '  北门的路灯不亮  ',
				p_body: '  晚上很黑。 ',
				p_category: 'safety',
				p_point_x: 120.6106,
				p_point_y: 31.3006,
				p_photos: photos
			});
			const rows = await db.sql.query(
				`select estate_id::text, area_id::text, title, body, category, status, channel, author_id::text, point_x::float8 as x, point_y::float8 as y,
				        support_count, comment_count from public.issues where id = $1`,
				[id]
			);
			expect(rows).toEqual([
				{
					estate_id: w.a.id,
					area_id: w.a.buildings['1栋'],
					title: '北门的路灯不亮',
					body: '晚上很黑。',
					category: 'safety',
					status: 'proposed',
					channel: 'app',
					author_id: w.users.resident,
					x: 120.6106,
					y: 31.3006,
					support_count: 0,
					comment_count: 0
				}
			]);
			const d = await detail(id, as('resident'));
			expect(d.timeline).toEqual([{ kind: 'proposed', action: null, from: null, to: 'proposed', reason: null, at: expect.any(String), related_issue_id: null, publication_id: null, actor: 'resident', by_resident: true }]);
			expect(d.photos).toEqual(photos);
			expect(d.issue).toMatchObject({ id, title: '北门的路灯不亮', status: 'proposed', point: [120.6106, 31.3006], is_author: true, support_count: 0 });
			expect(d).toMatchObject({ author: 'resident', behalf: null, is_member: true, supported: false, can_moderate: false });
			expect(await scalar(`select count(*)::int as v from public.issue_behalf where issue_id = $1`, [id])).toBe(0);
		});

		it('lets every verified member raise one, a courtyard being an area too', async () => {
			for (const p of ['moderator', 'volunteer', 'committee'] as const) {
				const id = await propose(as(p), { p_area_id: w.a.courtyardId });
				expect(await scalar(`select author_id::text as v from public.issues where id = $1`, [id])).toBe(w.users[p]);
			}
			const b = await propose(as('otherEstate'), { p_estate_id: w.b.id, p_area_id: w.b.buildings['2栋'] });
			expect(await scalar(`select estate_id::text as v from public.issues where id = $1`, [b])).toBe(w.b.id);
		});

		it('refuses anyone who is not a verified member of the estate', async () => {
			for (const p of ['nonmember', 'otherEstate', 'pending', 'rejected', 'committeeB', 'admin'] as const) {
				await refused(() => propose(as(p)), { code: '42501', key: 'errors.not_member' });
			}
			// Anon may not even call it: permission denied.
			await refused(() => propose(ANON), { code: '42501' });
			await withPublicBoard(w.a.id, () => refused(() => propose(as('nonmember')), { code: '42501', key: 'errors.not_member' }));
		});

		it('refuses an area of another estate, an unknown area and a mere space', async () => {
			await refused(() => propose(as('resident'), { p_area_id: w.b.buildings['1栋'] }), { code: '22023', key: 'errors.area_not_in_estate', field: 'area_id' });
			await refused(() => propose(as('resident'), { p_area_id: UNKNOWN }), { code: '22023', key: 'errors.area_not_in_estate', field: 'area_id' });
			const space = await scalar<string>(`insert into public.areas (estate_id, kind, name) values ($1, 'space', '活动室') returning id::text as v`, [w.a.id]);
			await refused(() => propose(as('resident'), { p_area_id: space }), { code: '22023', key: 'errors.area_not_in_estate' });
			await db.sql.query('delete from public.areas where id = $1', [space]);
		});

		it('refuses a point outside the area, or half a point', async () => {
			// Inside the courtyard, outside building 1栋.
			const outside = { p_point_x: 120.6101, p_point_y: 31.3001 };
			await refused(() => propose(as('resident'), outside), { code: '22023', key: 'errors.point_outside_area', field: 'point' });
			await refused(() => propose(as('resident'), { p_point_x: 120.6106 }), { code: '22023', key: 'errors.point_outside_area', field: 'point' });
			await refused(() => propose(as('resident'), { p_point_x: 0, p_point_y: 0 }), { code: '22023', key: 'errors.point_outside_area' });
			// The same point is fine for the courtyard.
			const id = await propose(as('resident'), { ...outside, p_area_id: w.a.courtyardId });
			expect(await scalar(`select point_x::float8 as v from public.issues where id = $1`, [id])).toBe(120.6101);
		});

		it('refuses an empty or over-long title, an over-long body, and an unknown category', async () => {
			for (const t of ['', '   ', null, '长'.repeat(61)]) {
				await refused(() => propose(as('resident'), { p_title: t }), { code: '22023', key: 'errors.title_invalid', field: 'title' });
			}
			await refused(() => propose(as('resident'), { p_body: '字'.repeat(5001) }), { code: '22023', key: 'errors.too_long', field: 'body' });
			for (const c of ['potholes', '', null]) {
				await refused(() => propose(as('resident'), { p_category: c }), { code: '22023', key: 'errors.invalid_choice', field: 'category' });
			}
			const id = await propose(as('resident'), { p_title: '长'.repeat(60), p_body: null, p_category: 'elderly_children' });
			expect(await db.sql.query(`select char_length(title) as n, body from public.issues where id = $1`, [id])).toEqual([{ n: 60, body: '' }]);
		});

		it('stores HTML and script in a title as plain text', async () => {
			const title = '<script>alert(1)</script><b>长椅</b>';
			const id = await propose(as('resident'), { p_title: title, p_body: '<img src=x onerror=alert(1)>' });
			const d = await detail(id, as('resident'));
			expect(d.issue).toMatchObject({ title, body: '<img src=x onerror=alert(1)>' });
		});

		it('refuses more than 6 photos, photos that are not a list, and a bad photo, writing nothing', async () => {
			const photo = (i: number) => ({ path: `p/${i}.jpg`, thumb_path: `p/${i}t.jpg`, width: 100, height: 100 });
			const seven = Array.from({ length: 7 }, (_, i) => photo(i));
			await refused(() => propose(as('resident'), { p_photos: seven }), { code: '22023', key: 'errors.photos_too_many', field: 'photos' });
			await refused(() => propose(as('resident'), { p_photos: { path: 'x' } }), { code: '22023', key: 'errors.photos_too_many' });
			// A photo wider than the stored maximum fails the table's check: the issue is not left behind either.
			await refused(() => propose(as('resident'), { p_photos: [photo(0), { ...photo(1), width: 5000 }] }), { key: 'errors.invalid_input' });
			const id = await propose(as('resident'), { p_photos: seven.slice(0, 6) });
			expect(await scalar(`select count(*)::int as v from public.issue_photos where issue_id = $1`, [id])).toBe(6);
		});

		describe('recorded on behalf of a resident', () => {
			let id: string;
			beforeAll(async () => {
				id = await propose(as('volunteer'), {
					p_title: '3栋门口积水',
					p_area_id: w.a.courtyardId,
					p_channel: 'hotline',
					p_resident_name: ' 张奶奶 ',
					p_resident_contact: '1380000'
				});
			});

			it('keeps the channel and the name apart from the issue', async () => {
				expect(await db.sql.query(`select channel, author_id::text from public.issues where id = $1`, [id])).toEqual([{ channel: 'hotline', author_id: w.users.volunteer }]);
				expect(await db.sql.query(`select resident_name, resident_contact, estate_id::text from public.issue_behalf where issue_id = $1`, [id])).toEqual([
					{ resident_name: '张奶奶', resident_contact: '1380000', estate_id: w.a.id }
				]);
			});

			it('shows the name to moderators, the committee, administrators and the recorder only', async () => {
				for (const p of ['moderator', 'committee', 'admin', 'volunteer'] as const) {
					expect((await detail(id, as(p))).behalf, p).toEqual({ name: '张奶奶', contact: '1380000' });
				}
				expect((await detail(id, as('resident'))).behalf).toBeNull();
				await withPublicBoard(w.a.id, async () => {
					for (const c of [as('otherEstate'), as('nonmember'), as('committeeB'), ANON]) {
						expect((await detail(id, c)).behalf).toBeNull();
					}
				});
				await expect(detail(id, as('otherEstate'))).rejects.toMatchObject({ code: 'P0002', key: 'errors.issue_not_found' });
			});

			it('does not name the recorder as the author, and hides the name from a direct select', async () => {
				expect((await detail(id, as('resident'))).author).toBeNull();
				expect(await asUserSql(w.users.resident, 'select resident_name from public.issue_behalf')).toEqual([]);
				expect(await asUserSql(w.users.otherEstate, 'select resident_name from public.issue_behalf where issue_id = $1', [id])).toEqual([]);
				expect(await asUserSql(w.users.moderator, 'select resident_name from public.issue_behalf where issue_id = $1', [id])).toEqual([{ resident_name: '张奶奶' }]);
			});

			it('is for volunteers, moderators and the committee, and needs the name', async () => {
				const hotline = { p_channel: 'hotline', p_resident_name: '张奶奶' };
				await refused(() => propose(as('resident'), hotline), { code: '42501', key: 'errors.forbidden', field: 'channel' });
				await refused(() => propose(as('volunteer'), { p_channel: 'visit' }), { code: '22023', key: 'errors.resident_name_required', field: 'resident_name' });
				await refused(() => propose(as('volunteer'), { p_channel: 'paper', p_resident_name: '  ' }), { key: 'errors.resident_name_required' });
				await refused(() => propose(as('volunteer'), { p_channel: 'paper', p_resident_name: '名'.repeat(41) }), { key: 'errors.resident_name_required' });
				await refused(() => propose(as('volunteer'), { p_channel: 'fax', p_resident_name: '张奶奶' }), { code: '22023', key: 'errors.invalid_choice', field: 'channel' });
				for (const p of ['moderator', 'committee'] as const) {
					const other = await propose(as(p), { p_channel: 'meeting', p_resident_name: '李大爷' });
					expect(await scalar(`select resident_name as v from public.issue_behalf where issue_id = $1`, [other])).toBe('李大爷');
				}
			});

			it('answers the page from the same rule: who may record, in which estate', async () => {
				const may = (p: Person, estate = w.a.id) => call<boolean>('can_record_for_others', { p_estate_id: estate }, as(p));
				expect(await may('resident')).toBe(false);
				for (const p of ['volunteer', 'moderator', 'committee'] as const) expect(await may(p)).toBe(true);
				expect(await may('volunteer', w.b.id)).toBe(false);
				expect(await may('otherEstate')).toBe(false);
				// The estate layout's estate_home carries the same answer to the pages, false for the public.
				const home = (p: Person) => call<{ records_for_others: boolean }>('estate_home', { p_estate_id: w.a.id }, as(p));
				expect((await home('volunteer')).records_for_others).toBe(true);
				expect((await home('resident')).records_for_others).toBe(false);
				expect((await call<{ records_for_others: boolean }>('estate_home', { p_estate_id: w.a.id }, { kind: 'anon' })).records_for_others).toBe(false);
			});
		});
	});

	// ------------------------------------------------------------------ similar

	describe('similar_issues', () => {
		const similar = (title: string, area: string | null, caller: Caller = as('resident'), estate = w.a.id) =>
			call<Array<{ id: string; title: string; same_area: boolean; status: string; area: string; support_count: number }>>(
				'similar_issues',
				{ p_estate_id: estate, p_title: title, p_area_id: area },
				caller
			);
		let courtyardTwin: string;
		let closed: string[];
		beforeAll(async () => {
			courtyardTwin = await propose(as('moderator'), { p_title: '东门长椅坏了', p_area_id: w.a.courtyardId });
			closed = [];
			for (const [title, action] of [
				['长椅坏了没人管', 'decline'],
				['东门长椅坏了又坏', 'withdraw'],
				['东门长椅坏了好久', 'merge']
			] as const) {
				const id = await propose(as('resident'), { p_title: title });
				closed.push(id);
				await db.sql.query(`update public.issues set status = $2 where id = $1`, [id, action === 'decline' ? 'declined' : action === 'withdraw' ? 'withdrawn' : 'merged']);
			}
			await propose(as('otherEstate'), { p_estate_id: w.b.id, p_area_id: w.b.buildings['1栋'], p_title: '东门长椅坏了没人修' });
		});

		it("offers '东门的长椅坏了' for '东门长椅坏了没人修', the same area first", async () => {
			const inBuilding = await similar('东门长椅坏了没人修', w.a.buildings['1栋']);
			expect(inBuilding.map((s) => s.title)).toEqual(['东门的长椅坏了', '东门长椅坏了']);
			// The resident raised the bench issue: marked as theirs, so that no support is offered for it.
			expect(inBuilding[0]).toEqual({ id: iw.a.bench, title: '东门的长椅坏了', status: 'proposed', support_count: 0, area: '1栋', same_area: true, mine: true });
			expect(inBuilding[1]).toMatchObject({ id: courtyardTwin, same_area: false, area: '东院', mine: false });
			const inCourtyard = await similar('东门长椅坏了没人修', w.a.courtyardId);
			expect(inCourtyard.map((s) => s.id)).toEqual([courtyardTwin, iw.a.bench]);
			// Without an area, the most alike first.
			expect((await similar('东门长椅坏了没人修', null)).map((s) => s.id)).toEqual([courtyardTwin, iw.a.bench]);
		});

		it('never offers closed issues, nor issues of other estates', async () => {
			const ids = (await similar('东门长椅坏了没人修', null)).map((s) => s.id);
			for (const id of closed) expect(ids).not.toContain(id);
			const b = await similar('东门长椅坏了没人修', null, as('otherEstate'), w.b.id);
			expect(b.map((s) => s.title)).toEqual(['东门长椅坏了没人修']);
		});

		it('offers at most 5', async () => {
			for (let i = 1; i <= 5; i++) await propose(as('volunteer'), { p_title: `东门长椅坏了第${i}次`, p_area_id: w.a.buildings['2栋'] });
			const five = await similar('东门长椅坏了没人修', null);
			expect(five).toHaveLength(5);
		});

		it('offers nothing for a title too short or unlike any, nor to people who cannot read the board', async () => {
			expect(await similar('长', null)).toEqual([]);
			expect(await similar('垃圾分类', null)).toEqual([]);
			expect(await similar('', null)).toEqual([]);
			expect(await similar('东门长椅坏了没人修', null, as('nonmember'))).toEqual([]);
			expect(await similar('东门长椅坏了没人修', null, as('pending'))).toEqual([]);
			await expect(similar('东门长椅坏了没人修', null, ANON)).rejects.toMatchObject({ code: '42501' });
		});
	});

	// ------------------------------------------------------------------ support

	describe('support_issue and withdraw_support', () => {
		it('supports once, refuses a second support, and withdraws', async () => {
			const id = await propose(as('committee'));
			expect(await call('support_issue', { p_issue_id: id }, as('resident'))).toEqual({ support_count: 1, supported: true });
			expect((await detail(id, as('resident'))).supported).toBe(true);
			await refused(() => call('support_issue', { p_issue_id: id }, as('resident')), { code: '23505', key: 'errors.already_supported' });
			expect(await call('support_issue', { p_issue_id: id }, as('moderator'))).toEqual({ support_count: 2, supported: true });
			expect(await call('withdraw_support', { p_issue_id: id }, as('resident'))).toEqual({ support_count: 1, supported: false });
			await refused(() => call('withdraw_support', { p_issue_id: id }, as('resident')), { code: 'P0002', key: 'errors.support_not_found' });
			expect(await issueRow(id)).toMatchObject({ support_count: 1 });
			expect(await scalar(`select count(*)::int as v from public.issue_supports where issue_id = $1`, [id])).toBe(1);
		});

		it('refuses people outside the estate, and anon', async () => {
			const id = await propose(as('committee'));
			for (const p of ['nonmember', 'otherEstate', 'pending', 'committeeB'] as const) {
				await refused(() => call('support_issue', { p_issue_id: id }, as(p)), { code: 'P0002', key: 'errors.issue_not_found' });
			}
			await withPublicBoard(w.a.id, async () => {
				for (const p of ['nonmember', 'otherEstate', 'pending', 'admin'] as const) {
					await refused(() => call('support_issue', { p_issue_id: id }, as(p)), { code: '42501', key: 'errors.not_member' });
				}
			});
			await refused(() => call('support_issue', { p_issue_id: id }, ANON), { code: '42501' });
			await refused(() => call('support_issue', { p_issue_id: UNKNOWN }, as('resident')), { code: 'P0002', key: 'errors.issue_not_found' });
		});

		it("refuses an author's support of their own issue, as support_issue and as a direct insert", async () => {
			const id = await propose(as('resident'));
			await refused(() => call('support_issue', { p_issue_id: id }, as('resident')), { code: '42501', key: 'errors.own_issue_support' });
			await expect(asUserSql(w.users.resident, 'insert into public.issue_supports (issue_id, user_id) values ($1, $2)', [id, w.users.resident])).rejects.toThrow(/row-level security/);
			expect(await issueRow(id)).toMatchObject({ support_count: 0 });
			expect((await detail(id, as('resident'))).issue).toMatchObject({ is_author: true, support_count: 0 });
		});

		it('refuses to support a closed issue', async () => {
			const id = await propose(as('committee'));
			await transition(id, 'decline', as('committee'), { p_reason: '不属于小区管理范围' });
			await refused(() => call('support_issue', { p_issue_id: id }, as('resident')), { code: '22023', key: 'errors.issue_closed' });
		});

		it('leaves exactly one support after 50 parallel supports by one resident', async () => {
			const id = await propose(as('committee'));
			const results = await Promise.allSettled(Array.from({ length: 50 }, () => call('support_issue', { p_issue_id: id }, as('resident'))));
			const ok = results.filter((r) => r.status === 'fulfilled');
			const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
			expect(ok).toHaveLength(1);
			expect(new Set(failed.map((r) => `${r.reason.code} ${r.reason.key}`))).toEqual(new Set(['23505 errors.already_supported']));
			expect(await scalar(`select count(*)::int as v from public.issue_supports where issue_id = $1`, [id])).toBe(1);
			expect(await issueRow(id)).toMatchObject({ support_count: 1 });
		});

		describe('the support threshold', () => {
			let committee2: string;
			beforeAll(async () => {
				committee2 = await createUser(db, 'committee2');
				await addMembership(db, { estateId: w.a.id, userId: committee2, status: 'verified', roles: ['committee'] });
				await call('save_issue_settings', { p_estate_id: w.a.id, p_board_public: false, p_support_threshold: 3 }, as('committee'));
			});
			afterAll(async () => {
				await call('save_issue_settings', { p_estate_id: w.a.id, p_board_public: false, p_support_threshold: 10 }, as('committee'));
				await db.sql.query('delete from public.memberships where user_id = $1', [committee2]);
			});

			it('records reaching it once and notifies each committee member once', async () => {
				// Raised by the second committee member: an author does not support their own issue.
				const id = await propose(user(committee2), { p_title: '增设电动车充电桩' });
				await call('support_issue', { p_issue_id: id }, as('resident'));
				await call('support_issue', { p_issue_id: id }, as('moderator'));
				expect(await issueRow(id)).toMatchObject({ support_count: 2, threshold_reached: false });
				expect(await notificationsOf(w.users.committee, id)).toEqual([]);
				expect(await call('support_issue', { p_issue_id: id }, as('volunteer'))).toEqual({ support_count: 3, supported: true });
				// Past the threshold, and down and up again: still once.
				await call('support_issue', { p_issue_id: id }, as('committee'));
				await call('withdraw_support', { p_issue_id: id }, as('committee'));
				await call('withdraw_support', { p_issue_id: id }, as('volunteer'));
				await call('support_issue', { p_issue_id: id }, as('volunteer'));
				expect(await issueRow(id)).toMatchObject({ support_count: 3, threshold_reached: true });
				const events = await db.sql.query(`select kind from public.issue_events where issue_id = $1 and kind = 'threshold_reached'`, [id]);
				expect(events).toHaveLength(1);
				const expected = [{ kind: 'threshold_reached', payload: { title: '增设电动车充电桩', supports: 3 } }];
				expect(await notificationsOf(w.users.committee, id)).toEqual(expected);
				expect(await notificationsOf(committee2, id)).toEqual(expected);
				for (const p of ['resident', 'moderator', 'volunteer', 'committeeB'] as const) {
					expect(await notificationsOf(w.users[p], id), p).toEqual([]);
				}
				const mine = await call<{ items: Array<{ kind: string; issue_id: string; payload: Json; read: boolean }> }>('my_notifications', {}, as('committee'));
				expect(mine.items.filter((n) => n.issue_id === id)).toEqual([expect.objectContaining({ kind: 'threshold_reached', payload: expected[0].payload, read: false })]);
				expect((await detail(id, as('resident'))).issue).toMatchObject({ threshold_reached: true });
				expect((await detail(id, as('resident'))).timeline.map((e) => e.kind)).toEqual(['proposed', 'threshold_reached']);
			});

			it('records it once when the supports that reach it arrive in parallel', async () => {
				const id = await propose(user(committee2));
				const people = [w.users.resident, w.users.moderator, w.users.volunteer, w.users.committee];
				await Promise.all(people.map((p) => call('support_issue', { p_issue_id: id }, user(p))));
				expect(await issueRow(id)).toMatchObject({ support_count: 4, threshold_reached: true });
				expect(await scalar(`select count(*)::int as v from public.issue_events where issue_id = $1 and kind = 'threshold_reached'`, [id])).toBe(1);
				expect(await notificationsOf(w.users.committee, id)).toHaveLength(1);
				expect(await notificationsOf(committee2, id)).toHaveLength(1);
			});
		});
	});

	// ------------------------------------------------------------------ board

	describe('issue_board', () => {
		let c: EstateWorld;
		let cRes: string;
		let cOther: string;
		let cCom: string;
		/** The 45 issues of estate C, in the order they were raised. */
		const ids: string[] = [];
		const board = (args: Json, caller: Caller) => call<Board>('issue_board', { p_estate_id: c.id, ...args }, caller);

		/** Every page of a board: the ids per page. */
		async function pages(args: Json, caller: Caller, start: string | null = null) {
			const out: string[][] = [];
			let cursor: string | null = start;
			do {
				const b: Board = await board({ ...args, p_cursor: cursor }, caller);
				out.push(b.issues.map((i) => i.id));
				cursor = b.next_cursor;
			} while (cursor && out.length < 10);
			return out;
		}
		const order = async (by: string) =>
			(await db.sql.query<{ id: string }>(`select id::text from public.issues where estate_id = $1 order by ${by}`, [c.id])).map((r) => r.id);
		const pick = (...is: number[]) => is.map((i) => ids[i]);

		beforeAll(async () => {
			c = await seedEstate(db, w.communityId, { name: '菊花苑', lng: 120.65, lat: 31.32, courtyard: '南院', units: [['1栋', '', '101', 80]], owners: [] });
			cRes = await createUser(db, 'cres');
			cOther = await createUser(db, 'cother');
			cCom = await createUser(db, 'ccom');
			await addMembership(db, { estateId: c.id, userId: cRes, status: 'verified' });
			await addMembership(db, { estateId: c.id, userId: cOther, status: 'verified' });
			await addMembership(db, { estateId: c.id, userId: cCom, status: 'verified', roles: ['committee'] });
			const areas = [c.buildings['1栋'], c.buildings['2栋'], c.courtyardId];
			for (let i = 0; i < 45; i++) {
				ids.push(
					await propose(user(i % 2 === 0 ? cRes : cOther), {
						p_estate_id: c.id,
						p_area_id: areas[i % 3],
						p_category: i % 5 === 0 ? 'greening' : 'facilities',
						p_title: [7, 21, 33].includes(i) ? `东门长椅${i}号坏了` : `议题${i}`,
						p_body: i === 40 ? '旁边的长椅也坏了' : '说明',
						p_photos: i === 5 ? [{ path: 'p.jpg', thumb_path: 't.jpg', width: 10, height: 10 }] : []
					})
				);
			}
			await transition(ids[1], 'decline', user(cCom), { p_reason: '重复' });
			await transition(ids[2], 'withdraw', user(cRes));
			// cRes raised 10 and 20 (an author does not support their own issue): a neighbour supports them.
			const cFan = await createUser(db, 'cfan');
			await addMembership(db, { estateId: c.id, userId: cFan, status: 'verified' });
			for (const p of [cFan, cOther, cCom]) await call('support_issue', { p_issue_id: ids[10] }, user(p));
			for (const p of [cFan, cCom]) await call('support_issue', { p_issue_id: ids[20] }, user(p));
			await call('support_issue', { p_issue_id: ids[30] }, user(cCom));
			await call('comment_on_issue', { p_issue_id: ids[0], p_stance: 'support', p_body: '顶' }, user(cCom));
		});

		it('pages the newest first, 20 at a time, with no duplicates', async () => {
			const p = await pages({}, user(cRes));
			expect(p.map((x) => x.length)).toEqual([20, 20, 5]);
			expect(p.flat()).toEqual(await order('created_at desc, id desc'));
			expect(new Set(p.flat()).size).toBe(45);
			const again = await pages({ p_sort: 'newest' }, user(cRes));
			expect(again).toEqual(p);
		});

		it('sorts by supports and by recent activity, paging the same way', async () => {
			const supported = await pages({ p_sort: 'supported' }, user(cRes));
			expect(supported.map((x) => x.length)).toEqual([20, 20, 5]);
			expect(supported.flat().slice(0, 3)).toEqual(pick(10, 20, 30));
			expect(supported.flat()).toEqual(await order('support_count desc, created_at desc, id desc'));
			const active = await pages({ p_sort: 'active' }, user(cRes));
			expect(active.map((x) => x.length)).toEqual([20, 20, 5]);
			expect(active.flat().slice(0, 4)).toEqual(pick(0, 30, 20, 10));
			expect(active.flat()).toEqual(await order('last_activity_at desc, id desc'));
		});

		it('describes each issue in a row, and counts per status', async () => {
			const b = await board({ p_category: 'greening', p_area_id: c.courtyardId }, user(cRes));
			const row = b.issues.find((i) => i.id === ids[5]);
			expect(row).toEqual({
				id: ids[5],
				title: '议题5',
				status: 'proposed',
				category: 'greening',
				area: '南院',
				area_id: c.courtyardId,
				support_count: 0,
				comment_count: 0,
				has_photo: true,
				created_at: expect.any(String),
				last_activity_at: expect.any(String)
			});
			expect(b.issues.find((i) => i.id === ids[10])).toMatchObject({ support_count: 3, has_photo: false });
			expect(b.counts).toEqual({ proposed: 43, declined: 1, withdrawn: 1 });
			expect(b.open_count).toBe(43);
		});

		it('marks a row with a photo as photos are added and removed', async () => {
			const mark = async () => (await board({ p_category: 'greening', p_area_id: c.courtyardId }, user(cRes))).issues.find((i) => i.id === ids[5])?.has_photo;
			const [photo] = await db.sql.query<Record<string, unknown>>('select * from public.issue_photos where issue_id = $1', [ids[5]]);
			await db.sql.query('delete from public.issue_photos where issue_id = $1', [ids[5]]);
			expect(await mark()).toBe(false);
			await db.sql.query(
				'insert into public.issue_photos (id, issue_id, position, path, thumb_path, width, height) values ($1, $2, $3, $4, $5, $6, $7)',
				[photo.id, photo.issue_id, photo.position, photo.path, photo.thumb_path, photo.width, photo.height]
			);
			expect(await mark()).toBe(true);
		});

		it('filters by status, the open ones included', async () => {
			const open = (await pages({ p_status: 'open' }, user(cRes))).flat();
			expect(open).toHaveLength(43);
			// One status tab pages along its own index, newest first, as the whole board does.
			const proposed = await pages({ p_status: 'proposed' }, user(cRes));
			expect(proposed.map((x) => x.length)).toEqual([20, 20, 3]);
			expect(proposed.flat()).toEqual(open);
			expect(open).not.toContain(ids[1]);
			expect(open).not.toContain(ids[2]);
			expect((await board({ p_status: 'declined' }, user(cRes))).issues.map((i) => i.id)).toEqual(pick(1));
			expect((await board({ p_status: 'withdrawn' }, user(cRes))).issues.map((i) => i.id)).toEqual(pick(2));
			expect((await board({ p_status: 'completed' }, user(cRes))).issues).toEqual([]);
			// Counts stay those of the whole board.
			expect((await board({ p_status: 'declined' }, user(cRes))).counts).toEqual({ proposed: 43, declined: 1, withdrawn: 1 });
		});

		it('filters by category and area, a courtyard covering its buildings', async () => {
			const newest = (xs: number[]) => pick(...xs.sort((x, y) => y - x));
			const upTo = (f: (i: number) => boolean) => Array.from({ length: 45 }, (_, i) => i).filter(f);
			expect((await board({ p_category: 'greening' }, user(cRes))).issues.map((i) => i.id)).toEqual(newest(upTo((i) => i % 5 === 0)));
			expect((await pages({ p_area_id: c.courtyardId }, user(cRes))).flat()).toHaveLength(45);
			expect((await board({ p_area_id: c.buildings['1栋'] }, user(cRes))).issues.map((i) => i.id)).toEqual(newest(upTo((i) => i % 3 === 0)));
			expect((await board({ p_area_id: c.buildings['2栋'], p_category: 'greening' }, user(cRes))).issues.map((i) => i.id)).toEqual(
				newest(upTo((i) => i % 3 === 1 && i % 5 === 0))
			);
			expect((await board({ p_area_id: w.a.courtyardId }, user(cRes))).issues).toEqual([]);
		});

		it('filters by mine, by supported by me, and by Chinese text in the title or body', async () => {
			const mine = (await pages({ p_mine: true }, user(cOther))).flat();
			expect(mine.sort()).toEqual(ids.filter((_, i) => i % 2 === 1).sort());
			expect((await board({ p_supported: true }, user(cCom))).issues.map((i) => i.id)).toEqual(pick(30, 20, 10));
			expect((await board({ p_supported: true, p_sort: 'supported' }, user(cCom))).issues.map((i) => i.id)).toEqual(pick(10, 20, 30));
			expect((await board({ p_supported: true }, user(cOther))).issues.map((i) => i.id)).toEqual(pick(10));
			expect((await board({ p_q: '长椅' }, user(cRes))).issues.map((i) => i.id)).toEqual(pick(40, 33, 21, 7));
			expect((await board({ p_q: ' 东门 ' }, user(cRes))).issues.map((i) => i.id)).toEqual(pick(33, 21, 7));
			expect((await board({ p_q: '长椅', p_area_id: c.buildings['1栋'] }, user(cRes))).issues.map((i) => i.id)).toEqual(pick(33, 21));
			expect((await board({ p_q: '游泳池' }, user(cRes))).issues).toEqual([]);
			expect((await board({ p_q: '' }, user(cRes))).issues).toHaveLength(20);
		});

		it('asks anon to sign in on a closed board, shows a public one, and shows non-members nothing', async () => {
			await refused(() => board({}, ANON), { code: '42501', key: 'errors.sign_in_required' });
			// The header is public (estates and areas are); the issues and their counts are not.
			const closed = await board({}, as('resident'));
			expect(closed).toMatchObject({ issues: [], next_cursor: null, counts: {}, open_count: 0, estate: { id: c.id, name: '菊花苑' } });
			await call('save_issue_settings', { p_estate_id: c.id, p_board_public: true, p_support_threshold: 10 }, user(cCom));
			try {
				const p = await pages({}, ANON);
				expect(p.flat()).toEqual(await order('created_at desc, id desc'));
				expect((await board({ p_mine: true }, ANON)).issues).toEqual([]);
				expect((await board({}, as('resident'))).counts).toEqual({ proposed: 43, declined: 1, withdrawn: 1 });
			} finally {
				await call('save_issue_settings', { p_estate_id: c.id, p_board_public: false, p_support_threshold: 10 }, user(cCom));
			}
		});

		it('keeps answering anon on a public board after many calls, whatever the plan cache holds', async () => {
			// plpgsql switches to a generic plan after a few calls: every table the query names must then be readable by anon.
			for (let i = 0; i < 12; i++) await board({ p_supported: i % 2 === 0, p_mine: i % 3 === 0, p_sort: ['newest', 'supported', 'active'][i % 3] }, user(cCom));
			await call('save_issue_settings', { p_estate_id: c.id, p_board_public: true, p_support_threshold: 10 }, user(cCom));
			try {
				for (let i = 0; i < 12; i++) {
					const b = await board({ p_supported: i % 2 === 0, p_mine: i % 3 === 0, p_sort: ['newest', 'supported', 'active'][i % 3] }, ANON);
					expect(b.issues.length).toBe(i % 2 === 0 || i % 3 === 0 ? 0 : 20);
				}
			} finally {
				await call('save_issue_settings', { p_estate_id: c.id, p_board_public: false, p_support_threshold: 10 }, user(cCom));
			}
		});

		it('refuses an unknown sort, a bad cursor and an unknown estate', async () => {
			await refused(() => board({ p_sort: 'oldest' }, user(cRes)), { code: '22023', key: 'errors.invalid_choice', field: 'sort' });
			for (const cursor of ['garbage', '1|x|y', '0|2026-01-01T00:00:00Z|not-a-uuid', '']) {
				await refused(() => board({ p_cursor: cursor }, user(cRes)), { code: '22023', key: 'errors.invalid_input', field: 'cursor' });
			}
			await refused(() => call('issue_board', { p_estate_id: UNKNOWN }, user(cRes)), { code: 'P0002', key: 'errors.estate_not_found' });
		});

		it('keeps its pages stable when an issue is raised between two pages', async () => {
			const first = await board({}, user(cRes));
			const newcomer = await propose(user(cRes), { p_estate_id: c.id, p_area_id: c.courtyardId });
			const rest = (await pages({}, user(cRes), first.next_cursor)).flat();
			const seen = [...first.issues.map((i) => i.id), ...rest];
			expect(seen).toHaveLength(45);
			expect(new Set(seen).size).toBe(45);
			expect(seen).not.toContain(newcomer);
			expect((await board({}, user(cRes))).issues[0].id).toBe(newcomer);
		});
	});

	describe('issue_board header, literal search and status counts', () => {
		let d: EstateWorld;
		let dRes: string;
		let dCom: string;
		const titles = ['满意度100%', '满意度1000', '通道a_b', '通道axb', '路径C:\\temp', '路径C:temp'];
		const byTitle: Record<string, string> = {};
		const board = (args: Json, caller: Caller = user(dRes)) => call<Board>('issue_board', { p_estate_id: d.id, ...args }, caller);
		const found = async (q: string) => (await board({ p_q: q })).issues.map((i) => i.title).sort();
		/** The counter table against a count of the issues themselves, every estate. */
		const countsAgree = async () =>
			expect(
				await db.sql.query(`select estate_id::text, status, n from public.issue_status_counts where n > 0 order by 1, 2`)
			).toEqual(await db.sql.query(`select estate_id::text, status, count(*)::int as n from public.issues group by 1, 2 order by 1, 2`));

		beforeAll(async () => {
			d = await seedEstate(db, w.communityId, { name: '兰花苑', lng: 120.7, lat: 31.35, courtyard: '北院', units: [['1栋', '', '101', 80]], owners: [] });
			await db.sql.query(`insert into public.areas (estate_id, kind, name) values ($1, 'space', '小广场')`, [d.id]);
			dRes = await createUser(db, 'dres');
			dCom = await createUser(db, 'dcom');
			await addMembership(db, { estateId: d.id, userId: dRes, status: 'verified' });
			await addMembership(db, { estateId: d.id, userId: dCom, status: 'verified', roles: ['committee'] });
			for (const t of titles) byTitle[t] = await propose(user(dRes), { p_estate_id: d.id, p_area_id: d.courtyardId, p_title: t });
		});

		it('brings the page header: the estate and its courtyards and buildings, without outlines', async () => {
			const b = await board({});
			expect(b.estate).toEqual({ id: d.id, name: '兰花苑' });
			expect(b.areas).toEqual([
				{ id: d.buildings['1栋'], kind: 'building', name: '1栋', parent_id: d.courtyardId },
				{ id: d.buildings['2栋'], kind: 'building', name: '2栋', parent_id: d.courtyardId },
				{ id: d.courtyardId, kind: 'courtyard', name: '北院', parent_id: null }
			]);
		});

		it('matches %, _ and \\ literally', async () => {
			expect(await found('%')).toEqual(['满意度100%']);
			expect(await found('100%')).toEqual(['满意度100%']);
			expect(await found('_')).toEqual(['通道a_b']);
			expect(await found('a_b')).toEqual(['通道a_b']);
			expect(await found('\\')).toEqual(['路径C:\\temp']);
			expect(await found('C:\\t')).toEqual(['路径C:\\temp']);
			expect(await found('\\%')).toEqual([]);
			expect(await found('通道')).toEqual(['通道a_b', '通道axb']);
		});

		it('finds a word in the body too, ignores case, and keeps only literal matches among issues holding all its pairs', async () => {
			const e = await seedEstate(db, w.communityId, { name: '竹园', lng: 120.71, lat: 31.36, courtyard: '西院', units: [['1栋', '', '101', 80]], owners: [] });
			await addMembership(db, { estateId: e.id, userId: dRes, status: 'verified' });
			const raise = (title: string, body: string) => propose(user(dRes), { p_estate_id: e.id, p_area_id: e.courtyardId, p_title: title, p_body: body });
			// Words outside the search vocabulary (search_synonyms), which would also find other ways of saying them.
			await raise('路灯不亮', '西院自行车棚旁边的路灯坏了');
			// Every pair of 自行车棚 (自行, 行车, 车棚), but never the four characters together.
			await raise('充电桩太少', '东院自行车，车棚漏雨');
			await raise('LED灯牌', '');
			const search = async (q: string, caller: Caller = user(dRes)) =>
				(await call<Board>('issue_board', { p_estate_id: e.id, p_q: q }, caller)).issues.map((i) => i.title).sort();
			expect(await search('自行车棚')).toEqual(['路灯不亮']);
			expect(await search('车棚')).toEqual(['充电桩太少', '路灯不亮']);
			expect(await search('led')).toEqual(['LED灯牌']);
			expect(await search('灯')).toEqual(['LED灯牌', '路灯不亮']);
			// Members of another estate, and the public on a public board, search the same way.
			const stranger = await createUser(db, 'bamboo-stranger');
			expect(await search('车棚', user(stranger))).toEqual([]);
			await db.sql.query('update public.estates set board_public = true where id = $1', [e.id]);
			expect(await search('车棚', user(stranger))).toEqual(['充电桩太少', '路灯不亮']);
			expect(await search('自行车棚', ANON)).toEqual(['路灯不亮']);
			expect(await search('LED', ANON)).toEqual(['LED灯牌']);
		});

		it('keeps the status counts as issues are raised, declined, reopened and withdrawn', async () => {
			await transition(byTitle['通道axb'], 'decline', user(dCom), { p_reason: '重复' });
			await transition(byTitle['满意度1000'], 'withdraw', user(dRes));
			expect(await board({})).toMatchObject({ counts: { proposed: 4, declined: 1, withdrawn: 1 }, open_count: 4 });
			await transition(byTitle['通道axb'], 'reopen', user(dCom), { p_reason: '重新考虑' });
			// A status no issue holds any more is not shown.
			expect(await board({})).toMatchObject({ counts: { proposed: 5, withdrawn: 1 }, open_count: 5 });
			await countsAgree();
		});

		it('keeps the counts exact when declines and reopenings run at once', async () => {
			const a = await propose(user(dRes), { p_estate_id: d.id, p_area_id: d.courtyardId });
			const b = await propose(user(dRes), { p_estate_id: d.id, p_area_id: d.courtyardId });
			await transition(b, 'decline', user(dCom), { p_reason: '重复' });
			// Opposite moves between the same two counters: they must not deadlock.
			for (let round = 0; round < 4; round++) {
				const [x, y] = round % 2 === 0 ? [a, b] : [b, a];
				await Promise.all([transition(x, 'decline', user(dCom), { p_reason: '重复' }), transition(y, 'reopen', user(dCom), { p_reason: '再议' })]);
			}
			await countsAgree();
		});

		it('shows the counts to the readers of the issues only', async () => {
			expect((await board({}, as('resident'))).counts).toEqual({});
			await refused(() => board({}, ANON), { code: '42501', key: 'errors.sign_in_required' });
			await withPublicBoard(d.id, async () => {
				expect((await board({}, ANON)).counts).toEqual((await board({})).counts);
			});
		});
	});

	describe('issue_board on a long board, every filter and sort', () => {
		// 2,400 issues: long enough that issue_board takes each of its ways to a page. Filters most
		// issues pass are checked while walking the sort's index (a category, a common word), for one
		// status along that status's index; a rare word gets a query planned for it; a category rarer
		// than guessed (renovation: 10 issues) stops the walk at its limit among the 2,112 proposed
		// or on the whole board, and falls back to the planned query.
		let l: EstateWorld;
		let lRes: string;
		const N = 2400;
		const OPEN = ['proposed', 'accepted', 'deliberating', 'voting', 'approved', 'publicized', 'in_progress', 'following_up'];
		const ORDER: Record<string, string> = {
			newest: 'created_at desc, id desc',
			supported: 'support_count desc, created_at desc, id desc',
			active: 'last_activity_at desc, id desc'
		};

		beforeAll(async () => {
			l = await seedEstate(db, w.communityId, { name: '长青苑', lng: 120.72, lat: 31.37, courtyard: '中院', units: [['1栋', '', '101', 80]], owners: [] });
			lRes = await createUser(db, 'lres');
			await addMembership(db, { estateId: l.id, userId: lRes, status: 'verified' });
			// Written directly: the triggers keep the counts and the search pairs as they do for proposals.
			await db.sql.query(
				`insert into public.issues (estate_id, area_id, author_id, category, status, title, body, support_count, created_at, last_activity_at)
				 select $1, $2, $3,
				   case when g % 240 = 0 then 'renovation' when g % 50 = 0 then 'dogs' when g % 3 = 0 then 'greening' else 'facilities' end,
				   case when g % 100 < 2 then 'completed' when g % 100 < 90 then 'proposed' else 'accepted' end,
				   case when g % 4 = 0 then '东门长椅' || g || '号' when g in (77, 1500) then '游乐场' || g else '议题' || g end,
				   case when g % 7 = 0 then '电动车棚漏雨' when g % 11 = 0 then '电动，车棚' else '' end,
				   (g * 13) % 17,
				   timestamptz '2026-01-01' + g * interval '1 minute',
				   timestamptz '2026-01-01' + ((g * 37) % $4) * interval '1 minute'
				 from generate_series(1, $4) g`,
				[l.id, l.courtyardId, lRes, N]
			);
		});

		/** The first `max` ids of a board, page by page through issue_board's cursors. */
		async function firstPages(args: Json, max: number) {
			const out: string[] = [];
			let cursor: string | null = null;
			do {
				const b: Board = await call<Board>('issue_board', { p_estate_id: l.id, ...args, p_cursor: cursor }, user(lRes));
				expect(b.issues.length).toBeLessThanOrEqual(20);
				if (b.next_cursor) expect(b.issues).toHaveLength(20);
				out.push(...b.issues.map((i) => i.id));
				cursor = b.next_cursor;
			} while (cursor && out.length < max);
			return out;
		}

		it('pages exactly as the filters and the sort say, whichever way it reads', async () => {
			for (const status of [null, 'open', 'proposed', 'completed']) {
				for (const category of [null, 'dogs', 'renovation']) {
					for (const q of [null, '长椅', '游乐场', '电动车棚']) {
						for (const sort of ['newest', 'supported', 'active']) {
							const statuses = status === 'open' ? OPEN : status ? [status] : null;
							const expected = (
								await db.sql.query<{ id: string }>(
									`select id::text from public.issues where estate_id = $1 and ($2::text[] is null or status = any($2))
									   and ($3::text is null or category = $3) and ($4::text is null or title like '%' || $4 || '%' or body like '%' || $4 || '%')
									 order by ${ORDER[sort]} limit 60`,
									[l.id, statuses, category, q]
								)
							).map((r) => r.id);
							const got = await firstPages({ p_status: status, p_category: category, p_q: q, p_sort: sort }, 60);
							expect(got.slice(0, 60), JSON.stringify({ status, category, q, sort })).toEqual(expected);
						}
					}
				}
			}
		});
	});

	describe('issue_summary', () => {
		it('gives a map popup the title, status, category, area and supports (and the estate, to check the address), nothing more', async () => {
			expect(await call('issue_summary', { p_issue_id: iw.a.hotline }, as('resident'))).toEqual({
				id: iw.a.hotline,
				estate_id: w.a.id,
				title: '2栋楼道灯不亮',
				status: 'proposed',
				category: 'safety',
				area: '东院',
				support_count: 1
			});
		});

		it('answers whoever may read the issue, and no one else', async () => {
			await refused(() => call('issue_summary', { p_issue_id: iw.a.hotline }, as('otherEstate')), { code: 'P0002', key: 'errors.issue_not_found' });
			await refused(() => call('issue_summary', { p_issue_id: iw.a.hotline }, ANON), { code: 'P0002', key: 'errors.issue_not_found' });
			await refused(() => call('issue_summary', { p_issue_id: UNKNOWN }, as('resident')), { code: 'P0002', key: 'errors.issue_not_found' });
			await withPublicBoard(w.a.id, async () => {
				expect(await call('issue_summary', { p_issue_id: iw.a.hotline }, ANON)).toMatchObject({ id: iw.a.hotline, support_count: 1 });
			});
		});
	});

	describe('comment_count', () => {
		it('counts visible comments only: hiding, reporting and deleting take one away, restoring gives it back', async () => {
			const id = await propose(as('committee'));
			const say = async (caller: Caller, body: string) =>
				(await call<{ id: string }>('comment_on_issue', { p_issue_id: id, p_stance: 'concern', p_body: body }, caller)).id;
			const count = async () => (await issueRow(id)).comment_count;
			const a = await say(as('volunteer'), '一');
			const b = await say(as('volunteer'), '二');
			const c = await say(as('resident'), '三');
			expect(await count()).toBe(3);
			await call('moderate_comment', { p_comment_id: a, p_hide: true, p_reason: '广告' }, as('moderator'));
			expect(await count()).toBe(2);
			await call('moderate_comment', { p_comment_id: a, p_hide: false, p_reason: '误判' }, as('moderator'));
			expect(await count()).toBe(3);
			const reporters = await Promise.all(['cc1', 'cc2', 'cc3'].map((n) => createUser(db, n)));
			for (const u of reporters) {
				await addMembership(db, { estateId: w.a.id, userId: u, status: 'verified' });
				await call('report_comment', { p_comment_id: b, p_reason: '广告' }, user(u));
			}
			expect(await scalar(`select state as v from public.comments where id = $1`, [b])).toBe('reported');
			expect(await count()).toBe(2);
			await call('delete_comment', { p_comment_id: c }, as('resident'));
			expect(await count()).toBe(1);
			// The board shows the same number.
			const row = (await call<Board>('issue_board', { p_estate_id: w.a.id }, as('resident'))).issues.find((i) => i.id === id);
			expect(row?.comment_count).toBe(1);
		});
	});

	// ------------------------------------------------------------------ the issue page

	describe('issue_detail and issue_comments', () => {
		let id: string;
		let c1: string;
		let r1: string;
		let r2: string;
		let c2: string;
		let c3: string;
		const more: string[] = [];
		// PGlite's clock counts milliseconds: comments written within one tie on created_at and
		// follow their ids, not the order they came in. A pause keeps the expected order certain.
		const comment = async (caller: Caller, stance: string, body: string, parent: string | null = null) => {
			await new Promise((r) => setTimeout(r, 2));
			return (await call<{ id: string }>('comment_on_issue', { p_issue_id: id, p_stance: stance, p_body: body, p_parent_id: parent }, caller)).id;
		};
		const page = (caller: Caller, after: string | null = null) =>
			call<{ comments: Comment[]; more_after: string | null }>('issue_comments', { p_issue_id: id, p_after: after }, caller);

		beforeAll(async () => {
			id = await propose(as('resident'), { p_title: '南门加装雨棚' });
			c1 = await comment(as('committee'), 'support', '支持，下周上会。');
			r1 = await comment(as('resident'), 'question', '要多少钱？', c1);
			r2 = await comment(as('volunteer'), 'support', '我可以帮忙量尺寸。', c1);
			c2 = await comment(as('volunteer'), 'oppose', '挡住我家窗户了！');
			await call('moderate_comment', { p_comment_id: c2, p_hide: true, p_reason: '请文明发言' }, as('moderator'));
			c3 = await comment(as('resident'), 'concern', '发错了');
			await call('delete_comment', { p_comment_id: c3 }, as('resident'));
			for (let i = 1; i <= 52; i++) more.push(await comment(as('moderator'), 'suggestion', `建议${i}`));
		});

		it('gives 50 top-level comments per page, each followed by its replies, then the rest', async () => {
			const first = await page(as('resident'));
			expect(first.comments.filter((x) => x.parent_id === null)).toHaveLength(50);
			expect(first.comments.slice(0, 4).map((x) => x.id)).toEqual([c1, r1, r2, c3]);
			expect(first.comments[1]).toMatchObject({ parent_id: c1, stance: 'question', body: '要多少钱？', author: 'resident', mine: true, state: 'visible' });
			expect(first.comments[2]).toMatchObject({ parent_id: c1, author: 'volunteer', mine: false });
			expect(first.more_after).not.toBeNull();
			const second = await page(as('resident'), first.more_after);
			expect(second.more_after).toBeNull();
			const all = [...first.comments, ...second.comments].map((x) => x.id);
			// Everything the resident may see, once: c2 is hidden from them.
			expect(all).toEqual([c1, r1, r2, c3, ...more]);
			expect(second.comments).toHaveLength(4);
		});

		it('never splits comments of the same instant between two pages, and refuses a bad cursor', async () => {
			const other = await propose(as('resident'));
			// 48 comments a second apart, then 4 in the same instant, then 2 more.
			await db.sql.query(
				`insert into public.comments (issue_id, author_id, stance, body, created_at)
				 select $1, $2, 'suggestion', '第' || g || '条', timestamptz '2026-01-01 08:00:00+08' + make_interval(secs => case when g <= 48 then g when g <= 52 then 49 else g end)
				 from generate_series(1, 54) g`,
				[other, w.users.moderator]
			);
			const first = await call<{ comments: Comment[]; more_after: string | null }>('issue_comments', { p_issue_id: other }, as('resident'));
			expect(first.comments).toHaveLength(52);
			expect(Date.parse(first.more_after!)).toBe(Date.parse('2026-01-01T00:00:49Z'));
			const second = await call<{ comments: Comment[]; more_after: string | null }>('issue_comments', { p_issue_id: other, p_after: first.more_after }, as('resident'));
			expect(second.comments.map((x) => x.body)).toEqual(['第53条', '第54条']);
			expect(second.more_after).toBeNull();
			await refused(() => call('issue_comments', { p_issue_id: other, p_after: 'yesterday-ish' }, as('resident')), {
				code: '22023',
				key: 'errors.invalid_input',
				field: 'after'
			});
			expect((await call<{ comments: Comment[] }>('issue_comments', { p_issue_id: other, p_after: '' }, as('resident'))).comments).toHaveLength(52);
		});

		it('shows a deleted comment in its place without its text', async () => {
			const first = await page(as('committee'));
			expect(first.comments.find((x) => x.id === c3)).toMatchObject({ state: 'deleted', body: null, author: 'resident' });
		});

		it('shows hidden comments to their author and the moderators only, with the reason', async () => {
			for (const p of ['volunteer', 'moderator', 'committee', 'admin'] as const) {
				const first = await page(as(p));
				expect(first.comments.find((x) => x.id === c2), p).toMatchObject({ state: 'hidden', moderation_reason: '请文明发言', body: '挡住我家窗户了！' });
				expect((await page(as(p), first.more_after)).comments, p).toHaveLength(5);
			}
			for (const p of ['resident', 'otherEstate'] as const) {
				await withPublicBoard(w.a.id, async () => {
					expect((await page(as(p))).comments.map((x) => x.id), p).not.toContain(c2);
				});
			}
		});

		it('tallies the stances of visible comments only', async () => {
			const expected = { support: 2, question: 1, suggestion: 52 };
			expect((await detail(id, as('resident'))).stances).toEqual(expected);
			expect((await detail(id, as('moderator'))).stances).toEqual(expected);
		});

		it('hides names from anon on a public board, and refuses to show a closed one', async () => {
			await withPublicBoard(w.a.id, async () => {
				const d = await detail(id, ANON);
				expect(d.comments.comments.length).toBeGreaterThan(50);
				for (const x of d.comments.comments) {
					expect(x).not.toHaveProperty('author');
					expect(x).not.toHaveProperty('author_id');
				}
				expect(d.comments.comments.map((x) => x.id)).not.toContain(c2);
				expect(d.author).toBeNull();
				expect(d.timeline).toEqual([{ kind: 'proposed', action: null, from: null, to: 'proposed', reason: null, at: expect.any(String), related_issue_id: null, publication_id: null }]);
				expect(d).toMatchObject({ actions: [], behalf: null, supported: false, can_moderate: false, is_member: false });
				// 57 comments, of which one is hidden and one deleted: the count is of the visible ones.
				expect(d.issue).toMatchObject({ is_author: false, comment_count: 55 });
			});
			await expect(detail(id, ANON)).rejects.toMatchObject({ code: 'P0002', key: 'errors.issue_not_found' });
			expect(await page(ANON)).toEqual({ comments: [], more_after: null });
			await expect(detail(id, as('otherEstate'))).rejects.toMatchObject({ code: 'P0002', key: 'errors.issue_not_found' });
			await expect(detail(UNKNOWN, as('resident'))).rejects.toMatchObject({ code: 'P0002', key: 'errors.issue_not_found' });
		});

		it('lists the actions each caller may take, from the lifecycle table', async () => {
			const triage = [
				{ action: 'accept', to: 'accepted', needs_reason: false },
				{ action: 'decline', to: 'declined', needs_reason: true },
				{ action: 'merge', to: 'merged', needs_reason: false }
			];
			expect((await detail(id, as('committee'))).actions).toEqual(triage);
			expect((await detail(id, as('admin'))).actions).toEqual(triage);
			expect((await detail(id, as('resident'))).actions).toEqual([{ action: 'withdraw', to: 'withdrawn', needs_reason: false }]);
			for (const p of ['moderator', 'volunteer'] as const) expect((await detail(id, as(p))).actions, p).toEqual([]);
			expect(await call('issue_actions', { p_issue_id: id }, as('committee'))).toEqual(triage);
			expect(await call('issue_actions', { p_issue_id: id }, ANON)).toEqual([]);
			expect(await call('issue_actions', { p_issue_id: id }, as('committeeB'))).toEqual([]);
			expect(await call('issue_actions', { p_issue_id: UNKNOWN }, as('committee'))).toEqual([]);
			const d = await detail(id, as('committee'));
			expect(d).toMatchObject({ can_moderate: true, is_member: true, author: 'resident' });
			expect(d.comments).toEqual(await page(as('committee')));
		});

		it('shows the fixture on-behalf issue to the committee with the name and the timeline with actors', async () => {
			const d = await detail(iw.a.hotline, as('committee'));
			expect(d.behalf).toEqual({ name: '张奶奶', contact: '2栋 101' });
			expect(d.issue).toMatchObject({ channel: 'hotline', support_count: 1, title: '2栋楼道灯不亮' });
			expect(d.timeline).toEqual([expect.objectContaining({ kind: 'proposed', actor: 'volunteer' })]);
			expect((await detail(iw.a.hotline, as('resident'))).supported).toBe(true);
		});
	});

	// ------------------------------------------------------------------ discussion and moderation

	describe('comment_on_issue', () => {
		it('adds a comment and a reply, counting them on the issue', async () => {
			const id = await propose(as('committee'));
			const { id: top } = await call<{ id: string }>('comment_on_issue', { p_issue_id: id, p_stance: 'support', p_body: '  好主意  ' }, as('resident'));
			await call('comment_on_issue', { p_issue_id: id, p_stance: 'question', p_body: '谁来出钱？', p_parent_id: top }, as('moderator'));
			expect(await db.sql.query(`select body, state, author_id::text from public.comments where id = $1`, [top])).toEqual([
				{ body: '好主意', state: 'visible', author_id: w.users.resident }
			]);
			expect(await issueRow(id)).toMatchObject({ comment_count: 2 });
		});

		it('refuses a reply to a reply, to a comment of another issue, or to an unknown comment', async () => {
			const args = { p_issue_id: iw.a.bench, p_stance: 'support', p_body: '同意' };
			for (const parent of [iw.a.comments.reply, iw.b.comments.top, UNKNOWN]) {
				await refused(() => call('comment_on_issue', { ...args, p_parent_id: parent }, as('resident')), { code: '22023', key: 'errors.reply_invalid', field: 'parent_id' });
			}
			const other = await propose(as('resident'));
			await refused(() => call('comment_on_issue', { ...args, p_issue_id: other, p_parent_id: iw.a.comments.top }, as('resident')), {
				key: 'errors.reply_invalid'
			});
		});

		it('refuses a bad stance, an empty or over-long body, non-members and anon', async () => {
			const args = { p_issue_id: iw.a.bench, p_stance: 'support', p_body: '同意' };
			for (const stance of ['love', '', null]) {
				await refused(() => call('comment_on_issue', { ...args, p_stance: stance }, as('resident')), { code: '22023', key: 'errors.invalid_choice', field: 'stance' });
			}
			for (const body of ['', '   ', null, '字'.repeat(2001)]) {
				await refused(() => call('comment_on_issue', { ...args, p_body: body }, as('resident')), { code: '22023', key: 'errors.comment_invalid', field: 'body' });
			}
			for (const p of ['nonmember', 'otherEstate', 'pending'] as const) {
				await refused(() => call('comment_on_issue', args, as(p)), { code: 'P0002', key: 'errors.issue_not_found' });
			}
			await withPublicBoard(w.a.id, async () => {
				for (const p of ['nonmember', 'otherEstate', 'pending', 'admin'] as const) {
					await refused(() => call('comment_on_issue', args, as(p)), { code: '42501', key: 'errors.not_member' });
				}
			});
			await refused(() => call('comment_on_issue', args, ANON), { code: '42501' });
		});
	});

	describe('edit_comment and delete_comment', () => {
		let id: string;
		beforeAll(async () => {
			id = await propose(as('committee'));
		});
		const comment = async (caller: Caller, body = '原来的话') =>
			(await call<{ id: string }>('comment_on_issue', { p_issue_id: id, p_stance: 'suggestion', p_body: body }, caller)).id;

		it('edits within 15 minutes, keeping the earlier text', async () => {
			const c = await comment(as('resident'));
			expect(await call('edit_comment', { p_comment_id: c, p_body: ' 改过的话 ' }, as('resident'))).toEqual({ id: c });
			expect(await db.sql.query(`select body, edited_at is not null as edited from public.comments where id = $1`, [c])).toEqual([{ body: '改过的话', edited: true }]);
			expect(await db.sql.query(`select body from public.comment_revisions where comment_id = $1`, [c])).toEqual([{ body: '原来的话' }]);
			expect(await asUserSql(w.users.resident, `select body from public.comment_revisions where comment_id = $1`, [c])).toEqual([{ body: '原来的话' }]);
			expect(await asUserSql(w.users.volunteer, `select body from public.comment_revisions where comment_id = $1`, [c])).toEqual([]);
			const shown = (await call<{ comments: Comment[] }>('issue_comments', { p_issue_id: id }, as('volunteer'))).comments.find((x) => x.id === c);
			expect(shown).toMatchObject({ body: '改过的话', edited_at: expect.any(String) });
		});

		it('refuses to edit after 15 minutes, someone else’s comment, a hidden one, or an empty body', async () => {
			const c = await comment(as('resident'));
			await refused(() => call('edit_comment', { p_comment_id: c, p_body: '别人改' }, as('moderator')), { code: 'P0002', key: 'errors.comment_not_found' });
			await refused(() => call('edit_comment', { p_comment_id: c, p_body: '   ' }, as('resident')), { code: '22023', key: 'errors.comment_invalid', field: 'body' });
			await refused(() => call('edit_comment', { p_comment_id: c, p_body: '字'.repeat(2001) }, as('resident')), { key: 'errors.comment_invalid' });
			await refused(() => call('edit_comment', { p_comment_id: c, p_body: '改' }, ANON), { code: '42501' });
			await db.sql.query(`update public.comments set created_at = now() - interval '16 minutes' where id = $1`, [c]);
			await refused(() => call('edit_comment', { p_comment_id: c, p_body: '晚了' }, as('resident')), { code: '22023', key: 'errors.edit_window_passed' });
			const h = await comment(as('resident'));
			await call('moderate_comment', { p_comment_id: h, p_hide: true, p_reason: '广告' }, as('moderator'));
			await refused(() => call('edit_comment', { p_comment_id: h, p_body: '改' }, as('resident')), { code: '22023', key: 'errors.comment_not_editable' });
		});

		it('deletes one’s own comment: its text goes, its place stays', async () => {
			const c = await comment(as('resident'), '说错了');
			await refused(() => call('delete_comment', { p_comment_id: c }, as('moderator')), { code: 'P0002', key: 'errors.comment_not_found' });
			await refused(() => call('delete_comment', { p_comment_id: c }, as('committee')), { code: 'P0002', key: 'errors.comment_not_found' });
			expect(await call('delete_comment', { p_comment_id: c }, as('resident'))).toEqual({ id: c });
			expect(await db.sql.query(`select body, state from public.comments where id = $1`, [c])).toEqual([{ body: null, state: 'deleted' }]);
			// Only the author and the moderators can still read what it said.
			expect(await asUserSql(w.users.moderator, `select body from public.comment_revisions where comment_id = $1`, [c])).toEqual([{ body: '说错了' }]);
			await withPublicBoard(w.a.id, async () => {
				expect(await asUserSql(w.users.nonmember, `select body, state from public.comments where id = $1`, [c])).toEqual([{ body: null, state: 'deleted' }]);
			});
			const shown = (await call<{ comments: Comment[] }>('issue_comments', { p_issue_id: id }, as('volunteer'))).comments.find((x) => x.id === c);
			expect(shown).toMatchObject({ state: 'deleted', body: null });
			await refused(() => call('delete_comment', { p_comment_id: c }, as('resident')), { code: 'P0002', key: 'errors.comment_not_found' });
			await refused(() => call('edit_comment', { p_comment_id: c, p_body: '复活' }, as('resident')), { code: '22023', key: 'errors.comment_not_editable' });
			await refused(() => call('moderate_comment', { p_comment_id: c, p_hide: false, p_reason: '恢复' }, as('moderator')), { code: '22023', key: 'errors.comment_not_editable' });
			// Four comments on the issue: one hidden, one deleted; the count is of the two still visible.
			expect(await scalar(`select count(*)::int as v from public.comments where issue_id = $1`, [id])).toBe(4);
			expect(await issueRow(id)).toMatchObject({ comment_count: 2 });
		});
	});

	describe('report_comment', () => {
		let id: string;
		beforeAll(async () => {
			id = await propose(as('committee'));
		});
		const comment = async (caller: Caller) =>
			(await call<{ id: string }>('comment_on_issue', { p_issue_id: id, p_stance: 'oppose', p_body: '胡说八道' }, caller)).id;
		const report = (c: string, caller: Caller, reason: unknown = '人身攻击') => call<{ state: string }>('report_comment', { p_comment_id: c, p_reason: reason }, caller);

		it('refuses to report one’s own comment, twice, or without a reason', async () => {
			const c = await comment(as('volunteer'));
			await refused(() => report(c, as('volunteer')), { code: '22023', key: 'errors.report_own_comment' });
			for (const reason of ['', '  ', null, '字'.repeat(301)]) {
				await refused(() => report(c, as('resident'), reason), { code: '22023', key: 'errors.reason_required', field: 'reason' });
			}
			expect(await report(c, as('resident'))).toEqual({ state: 'visible' });
			await refused(() => report(c, as('resident')), { code: '23505', key: 'errors.already_reported' });
			await refused(() => report(c, as('otherEstate')), { code: 'P0002', key: 'errors.comment_not_found' });
			await refused(() => report(c, ANON), { code: '42501' });
			await refused(() => report(UNKNOWN, as('resident')), { code: 'P0002', key: 'errors.comment_not_found' });
		});

		it('hides a comment from ordinary members after 3 distinct reports, until a moderator looks', async () => {
			const third = await createUser(db, 'third');
			const fourth = await createUser(db, 'fourth');
			for (const u of [third, fourth]) await addMembership(db, { estateId: w.a.id, userId: u, status: 'verified' });
			const c = await comment(as('volunteer'));
			expect(await report(c, as('resident'))).toEqual({ state: 'visible' });
			expect(await report(c, as('moderator'))).toEqual({ state: 'visible' });
			// The third reporter can no longer see it, but is told what happened.
			expect(await report(c, user(third))).toEqual({ state: 'reported' });
			expect(await scalar(`select state as v from public.comments where id = $1`, [c])).toBe('reported');
			const seen = async (caller: Caller) => (await call<{ comments: Comment[] }>('issue_comments', { p_issue_id: id }, caller)).comments.find((x) => x.id === c);
			expect(await seen(as('resident'))).toBeUndefined();
			expect(await seen(as('volunteer'))).toMatchObject({ state: 'reported' });
			expect(await seen(as('moderator'))).toMatchObject({ state: 'reported' });
			await withPublicBoard(w.a.id, async () => expect(await seen(ANON)).toBeUndefined());
			// A fourth member no longer sees it, so cannot report it.
			await refused(() => report(c, user(fourth)), { code: 'P0002', key: 'errors.comment_not_found' });
			// A moderator restores it.
			expect(await call('moderate_comment', { p_comment_id: c, p_hide: false, p_reason: '经核实无不当' }, as('moderator'))).toEqual({ state: 'visible' });
			expect(await seen(as('resident'))).toMatchObject({ state: 'visible', moderation_reason: '经核实无不当' });
		});
	});

	describe('report_comment in parallel', () => {
		it('hides a comment when three reports arrive at the same moment', async () => {
			const id = await propose(as('committee'));
			const people = await Promise.all(['r1', 'r2', 'r3'].map((n) => createUser(db, n)));
			for (const u of people) await addMembership(db, { estateId: w.a.id, userId: u, status: 'verified' });
			for (let round = 0; round < 3; round++) {
				const { id: c } = await call<{ id: string }>('comment_on_issue', { p_issue_id: id, p_stance: 'oppose', p_body: `广告${round}` }, as('volunteer'));
				await Promise.all(people.map((u) => call('report_comment', { p_comment_id: c, p_reason: '广告' }, user(u))));
				expect(await scalar(`select state as v from public.comments where id = $1`, [c])).toBe('reported');
			}
		});
	});

	describe('moderate_comment', () => {
		let id: string;
		beforeAll(async () => {
			id = await propose(as('committee'));
		});

		it('hides a comment with a reason the author sees and is told about, and restores it', async () => {
			const { id: c } = await call<{ id: string }>('comment_on_issue', { p_issue_id: id, p_stance: 'oppose', p_body: '都是骗子' }, as('volunteer'));
			expect(await call('moderate_comment', { p_comment_id: c, p_hide: true, p_reason: ' 请文明发言 ' }, as('moderator'))).toEqual({ state: 'hidden' });
			expect(await db.sql.query(`select state, moderation_reason, moderated_by::text from public.comments where id = $1`, [c])).toEqual([
				{ state: 'hidden', moderation_reason: '请文明发言', moderated_by: w.users.moderator }
			]);
			const mine = (await call<{ comments: Comment[] }>('issue_comments', { p_issue_id: id }, as('volunteer'))).comments.find((x) => x.id === c);
			expect(mine).toMatchObject({ state: 'hidden', moderation_reason: '请文明发言', mine: true });
			expect((await call<{ comments: Comment[] }>('issue_comments', { p_issue_id: id }, as('resident'))).comments.map((x) => x.id)).not.toContain(c);
			expect(await notificationsOf(w.users.volunteer, id)).toEqual([{ kind: 'comment_moderated', payload: { hidden: true, reason: '请文明发言' } }]);
			const inbox = await call<{ unread: number; items: Array<{ kind: string; issue_id: string }> }>('my_notifications', {}, as('volunteer'));
			expect(inbox.items[0]).toMatchObject({ kind: 'comment_moderated', issue_id: id });

			expect(await call('moderate_comment', { p_comment_id: c, p_hide: false, p_reason: '申诉成立' }, as('committee'))).toEqual({ state: 'visible' });
			expect((await call<{ comments: Comment[] }>('issue_comments', { p_issue_id: id }, as('resident'))).comments.map((x) => x.id)).toContain(c);
			expect(await notificationsOf(w.users.volunteer, id)).toEqual([
				{ kind: 'comment_moderated', payload: { hidden: true, reason: '请文明发言' } },
				{ kind: 'comment_moderated', payload: { hidden: false, reason: '申诉成立' } }
			]);
		});

		it('refuses ordinary members, a missing reason, and moderators of another estate', async () => {
			const { id: c } = await call<{ id: string }>('comment_on_issue', { p_issue_id: id, p_stance: 'oppose', p_body: '反对' }, as('resident'));
			for (const p of ['resident', 'volunteer', 'otherEstate', 'committeeB'] as const) {
				await refused(() => call('moderate_comment', { p_comment_id: c, p_hide: true, p_reason: '违规' }, as(p)), { code: 'P0002', key: 'errors.comment_not_found' });
			}
			await refused(() => call('moderate_comment', { p_comment_id: c, p_hide: true, p_reason: '违规' }, ANON), { code: '42501' });
			for (const reason of ['', '  ', null, '字'.repeat(301)]) {
				await refused(() => call('moderate_comment', { p_comment_id: c, p_hide: true, p_reason: reason }, as('moderator')), {
					code: '22023',
					key: 'errors.reason_required',
					field: 'reason'
				});
			}
			// A moderator of A cannot moderate in B, closed or public.
			const b = iw.b.comments.top;
			await refused(() => call('moderate_comment', { p_comment_id: b, p_hide: true, p_reason: '违规' }, as('moderator')), { code: 'P0002', key: 'errors.comment_not_found' });
			await refused(() => call('moderate_comment', { p_comment_id: b, p_hide: true, p_reason: '违规' }, as('committee')), { code: 'P0002' });
			await withPublicBoard(w.b.id, () =>
				refused(() => call('moderate_comment', { p_comment_id: b, p_hide: true, p_reason: '违规' }, as('moderator')), { code: 'P0002', key: 'errors.comment_not_found' })
			);
			expect(await call('moderate_comment', { p_comment_id: b, p_hide: true, p_reason: '违规' }, as('committeeB'))).toEqual({ state: 'hidden' });
			expect(await call('moderate_comment', { p_comment_id: b, p_hide: false, p_reason: '误判' }, as('admin'))).toEqual({ state: 'visible' });
		});
	});

	// ------------------------------------------------------------------ triage

	describe('transition_issue', () => {
		const timeline = async (id: string) =>
			db.sql.query(
				`select kind, action, from_status as "from", to_status as "to", reason, related_issue_id::text as related, actor_id::text as actor
				 from public.issue_events where issue_id = $1 order by id`,
				[id]
			);

		it('accepts, records the step in the timeline, and tells the author', async () => {
			const id = await propose(as('resident'), { p_title: '修补围墙' });
			expect(await transition(id, 'accept', as('committee'))).toEqual({ id, status: 'accepted' });
			expect(await issueRow(id)).toMatchObject({ status: 'accepted' });
			expect(await timeline(id)).toEqual([
				{ kind: 'proposed', action: null, from: null, to: 'proposed', reason: null, related: null, actor: w.users.resident },
				{ kind: 'transition', action: 'accept', from: 'proposed', to: 'accepted', reason: null, related: null, actor: w.users.committee }
			]);
			expect(await notificationsOf(w.users.resident, id)).toEqual([{ kind: 'issue_status', payload: { title: '修补围墙', to: 'accepted', reason: null } }]);
			expect((await detail(id, as('committee'))).actions.map((a) => a.action)).toEqual(['deliberate', 'follow_up', 'merge']);
			expect(await transition(id, 'deliberate', as('admin'))).toEqual({ id, status: 'deliberating' });
		});

		it('declines only with a reason, and reopens only with one', async () => {
			const id = await propose(as('resident'));
			await refused(() => transition(id, 'decline', as('committee')), { code: '22023', key: 'errors.reason_required', field: 'reason' });
			await refused(() => transition(id, 'decline', as('committee'), { p_reason: '   ' }), { code: '22023', key: 'errors.reason_required' });
			await refused(() => transition(id, 'decline', as('committee'), { p_reason: '字'.repeat(501) }), { code: '22023', key: 'errors.too_long', field: 'reason' });
			expect(await transition(id, 'decline', as('committee'), { p_reason: '属于物业维修范围' })).toEqual({ id, status: 'declined' });
			expect((await timeline(id))[1]).toMatchObject({ action: 'decline', reason: '属于物业维修范围' });
			expect(await notificationsOf(w.users.resident, id)).toEqual([
				{ kind: 'issue_status', payload: { title: expect.any(String), to: 'declined', reason: '属于物业维修范围' } }
			]);
			await refused(() => transition(id, 'reopen', as('committee')), { code: '22023', key: 'errors.reason_required' });
			expect(await transition(id, 'reopen', as('committee'), { p_reason: '物业不管' })).toEqual({ id, status: 'proposed' });
		});

		it('lets the author withdraw, and no one else', async () => {
			const id = await propose(as('resident'));
			for (const p of ['committee', 'moderator', 'volunteer', 'admin'] as const) {
				await refused(() => transition(id, 'withdraw', as(p)), { code: '42501', key: 'errors.forbidden' });
			}
			expect(await transition(id, 'withdraw', as('resident'))).toEqual({ id, status: 'withdrawn' });
			expect((await detail(id, as('resident'))).actions).toEqual([]);
			// Nobody needs telling what they did themself.
			expect(await notificationsOf(w.users.resident, id)).toEqual([]);
		});

		it('refuses steps the lifecycle does not allow from the current status', async () => {
			const id = await propose(as('resident'));
			for (const action of ['deliberate', 'complete', 'reopen', 'explode', '', null]) {
				await refused(() => transition(id, action as string, as('committee')), { code: '22023', key: 'errors.transition_not_allowed', field: 'action' });
			}
			await transition(id, 'accept', as('committee'));
			await refused(() => transition(id, 'accept', as('committee')), { code: '22023', key: 'errors.transition_not_allowed' });
			await refused(() => transition(id, 'withdraw', as('resident')), { code: '22023', key: 'errors.transition_not_allowed' });
		});

		it('lets only one of two triage steps taken at the same moment through', async () => {
			for (const [a, b] of [
				['accept', 'accept'],
				['accept', 'decline'],
				['decline', 'withdraw']
			]) {
				const id = await propose(as('resident'));
				const callers = { accept: as('committee'), decline: as('admin'), withdraw: as('resident') } as Record<string, Caller>;
				const results = await Promise.allSettled(
					[a, b].map((action, k) => transition(id, action, k === 0 && a === b ? as('admin') : callers[action], { p_reason: '同时操作' }))
				);
				expect(results.filter((r) => r.status === 'fulfilled'), `${a}/${b}`).toHaveLength(1);
				const refusedOne = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
				expect(refusedOne?.reason, `${a}/${b}`).toMatchObject({ code: '22023', key: 'errors.transition_not_allowed' });
				expect(await scalar(`select count(*)::int as v from public.issue_events where issue_id = $1 and kind = 'transition'`, [id])).toBe(1);
			}
		});

		it('takes supports and comments arriving while the committee declines, without deadlock', async () => {
			const people = [w.users.moderator, w.users.volunteer, w.users.committee];
			for (let round = 0; round < 4; round++) {
				const id = await propose(as('resident'));
				const results = await Promise.allSettled([
					...people.map((u) => call('support_issue', { p_issue_id: id }, user(u))),
					call('comment_on_issue', { p_issue_id: id, p_stance: 'support', p_body: '赞成' }, as('moderator')),
					transition(id, 'decline', as('committee'), { p_reason: '预算不足' })
				]);
				for (const r of results) {
					if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: '22023', key: 'errors.issue_closed' });
				}
				expect(results.at(-1)?.status).toBe('fulfilled');
				const row = await issueRow(id);
				expect(row).toMatchObject({ status: 'declined', comment_count: 1 });
				expect(row.support_count).toBe(await scalar(`select count(*)::int as v from public.issue_supports where issue_id = $1`, [id]));
			}
		});

		it('refuses the wrong actor', async () => {
			const id = await propose(as('resident'));
			for (const p of ['resident', 'moderator', 'volunteer'] as const) {
				for (const action of ['accept', 'decline', 'merge']) {
					await refused(() => transition(id, action, as(p), { p_reason: '理由', p_merge_into: iw.a.bench }), { code: '42501', key: 'errors.forbidden' });
				}
			}
			for (const p of ['committeeB', 'otherEstate', 'nonmember'] as const) {
				await refused(() => transition(id, 'accept', as(p)), { code: 'P0002', key: 'errors.issue_not_found' });
			}
			await withPublicBoard(w.a.id, () => refused(() => transition(id, 'accept', as('committeeB')), { code: '42501', key: 'errors.forbidden' }));
			await refused(() => transition(id, 'accept', ANON), { code: '42501' });
			await refused(() => transition(UNKNOWN, 'accept', as('committee')), { code: 'P0002', key: 'errors.issue_not_found' });
		});

		describe('merge', () => {
			it("carries the supports over without duplicates nor the survivor's author, and records it on both timelines", async () => {
				const survivor = await propose(as('volunteer'), { p_title: '北门路灯坏了' });
				const merged = await propose(as('resident'), { p_title: '北门的灯不亮' });
				for (const p of ['committee', 'moderator', 'volunteer'] as const) await call('support_issue', { p_issue_id: merged }, as(p));
				await call('support_issue', { p_issue_id: survivor }, as('moderator'));
				expect(await transition(merged, 'merge', as('committee'), { p_merge_into: survivor, p_reason: '同一件事' })).toEqual({ id: merged, status: 'merged' });

				expect(await issueRow(merged)).toMatchObject({ status: 'merged', merged_into: survivor });
				// The volunteer raised the survivor: their support of the merged issue does not count for their own.
				expect(await issueRow(survivor)).toMatchObject({ status: 'proposed', support_count: 2 });
				const supporters = await db.sql.query<{ user_id: string }>(`select user_id::text from public.issue_supports where issue_id = $1 order by 1`, [survivor]);
				expect(supporters.map((s) => s.user_id)).toEqual([w.users.committee, w.users.moderator].sort());
				expect((await timeline(merged)).at(-1)).toEqual({
					kind: 'transition',
					action: 'merge',
					from: 'proposed',
					to: 'merged',
					reason: '同一件事',
					related: survivor,
					actor: w.users.committee
				});
				expect((await timeline(survivor)).at(-1)).toEqual({
					kind: 'merged_from',
					action: 'merge',
					from: null,
					to: null,
					reason: '同一件事',
					related: merged,
					actor: w.users.committee
				});
				expect((await detail(merged, as('resident'))).issue).toMatchObject({ merged_into: survivor, status: 'merged' });
				expect((await detail(survivor, as('committee'))).supported).toBe(true);
				await refused(() => call('support_issue', { p_issue_id: merged }, as('committee')), { code: '22023', key: 'errors.issue_closed' });
			});

			it('merges an accepted issue too', async () => {
				const survivor = await propose(as('resident'));
				const merged = await propose(as('resident'));
				await transition(merged, 'accept', as('committee'));
				expect(await transition(merged, 'merge', as('admin'), { p_merge_into: survivor })).toEqual({ id: merged, status: 'merged' });
			});

			it('refuses a target that is missing, itself, closed, or in another estate', async () => {
				const id = await propose(as('resident'));
				const closed = await propose(as('resident'));
				await transition(closed, 'withdraw', as('resident'));
				const err = { code: '22023', key: 'errors.merge_target_invalid', field: 'merge_into' };
				for (const target of [null, UNKNOWN, id, closed, iw.b.visit]) {
					await refused(() => transition(id, 'merge', as('committee'), { p_merge_into: target }), err);
				}
				await withPublicBoard(w.b.id, () => refused(() => transition(id, 'merge', as('committee'), { p_merge_into: iw.b.visit }), err));
				await refused(() => transition(id, 'merge', as('admin'), { p_merge_into: iw.b.visit }), err);
			});
		});
	});

	// ------------------------------------------------------------------ map, notifications, settings

	describe('estate_map', () => {
		interface MapData {
			areas: Array<{ id: string; kind: string; name: string; parent_id: string | null; geometry: unknown; open: number }>;
			pins: unknown[][];
		}
		const map = (caller: Caller, over: Json = {}) => call<MapData>('estate_map', { p_estate_id: w.a.id, ...over }, caller);
		const expectedPins = (where = 'true') =>
			db.sql.query<{ id: string }>(`select id::text from public.issues where estate_id = $1 and point_x is not null and ${where} order by 1`, [w.a.id]);

		it('gives small pins [id, x, y, status, category] for issues with a point', async () => {
			const closedPin = await propose(as('resident'), { p_point_x: 120.6108, p_point_y: 31.3008, p_category: 'greening' });
			await transition(closedPin, 'withdraw', as('resident'));
			const m = await map(as('resident'));
			for (const pin of m.pins) expect(pin).toHaveLength(5);
			expect(m.pins).toContainEqual([iw.a.bench, 120.6107, 31.3007, 'proposed', 'facilities']);
			expect(m.pins).toContainEqual([closedPin, 120.6108, 31.3008, 'withdrawn', 'greening']);
			expect(m.pins.map((p) => p[0]).sort()).toEqual((await expectedPins()).map((r) => r.id));
			const open = await map(as('resident'), { p_status: 'open' });
			expect(open.pins.map((p) => p[0]).sort()).toEqual((await expectedPins(`status <> 'withdrawn'`)).map((r) => r.id));
			expect((await map(as('resident'), { p_status: 'withdrawn' })).pins).toEqual([[closedPin, 120.6108, 31.3008, 'withdrawn', 'greening']]);
			const greening = await map(as('resident'), { p_category: 'greening' });
			expect(greening.pins.map((p) => p[0]).sort()).toEqual((await expectedPins(`category = 'greening'`)).map((r) => r.id));
		});

		it('gives every area with its number of open issues', async () => {
			const m = await map(as('resident'));
			const counts = await db.sql.query<{ id: string; open: number }>(
				`select a.id::text, (select count(*) from public.issues i where i.area_id = a.id
				   and i.status in ('proposed', 'accepted', 'deliberating', 'voting', 'approved', 'publicized', 'in_progress', 'following_up'))::int as open
				 from public.areas a where a.estate_id = $1`,
				[w.a.id]
			);
			expect(m.areas.map((a) => ({ id: a.id, open: a.open })).sort((x, y) => x.id.localeCompare(y.id))).toEqual(counts.sort((x, y) => x.id.localeCompare(y.id)));
			expect(m.areas.find((a) => a.id === w.a.buildings['1栋'])).toMatchObject({ kind: 'building', name: '1栋', parent_id: w.a.courtyardId, geometry: square(120.6105, 31.3005) });
			expect(m.areas.find((a) => a.id === w.a.buildings['1栋'])!.open).toBeGreaterThan(10);
		});

		it('shows anon the areas of a closed board without issues, and the pins of a public one', async () => {
			const closed = await map(ANON);
			expect(closed.pins).toEqual([]);
			expect(closed.areas.every((a) => a.open === 0)).toBe(true);
			expect(closed.areas).toHaveLength(3);
			const member = await map(as('resident'));
			await withPublicBoard(w.a.id, async () => expect(await map(ANON)).toEqual(member));
			await expect(map(ANON, { p_estate_id: UNKNOWN })).rejects.toMatchObject({ code: 'P0002', key: 'errors.estate_not_found' });
		});
	});

	describe('my_notifications and mark_notifications_read', () => {
		it('lists one’s own notifications, newest first, and marks them read', async () => {
			const before = await call<{ unread: number; items: Array<{ id: number; kind: string; issue_id: string; payload: Json; read: boolean; created_at: string }> }>(
				'my_notifications',
				{},
				as('resident')
			);
			const mine = await db.sql.query<{ n: number }>(`select count(*)::int as n from public.notifications where user_id = $1 and read_at is null`, [w.users.resident]);
			expect(before.unread).toBe(mine[0].n);
			expect(before.items.at(-1)).toEqual({ id: expect.anything(), kind: 'issue_status', issue_id: iw.a.bench, payload: { to: 'accepted' }, read: false, created_at: expect.any(String) });
			const ids = before.items.map((n) => Number(n.id));
			expect(ids).toEqual([...ids].sort((x, y) => y - x));
			const volunteerUnread = (await call<{ unread: number }>('my_notifications', {}, as('volunteer'))).unread;
			expect(volunteerUnread).toBeGreaterThan(0);

			await call('mark_notifications_read', {}, as('resident'));
			const after = await call<{ unread: number; items: Array<{ read: boolean }> }>('my_notifications', {}, as('resident'));
			expect(after.unread).toBe(0);
			expect(after.items.every((n) => n.read)).toBe(true);
			expect((await call<{ unread: number }>('my_notifications', {}, as('volunteer'))).unread).toBe(volunteerUnread);
			expect(await call('my_notifications', {}, as('nonmember'))).toEqual({ unread: 0, items: [] });
		});

		it('is for signed-in people only', async () => {
			await refused(() => call('my_notifications', {}, ANON), { code: '42501' });
			await refused(() => call('mark_notifications_read', {}, ANON), { code: '42501' });
		});
	});

	describe('save_issue_settings', () => {
		const settings = async (estateId: string) =>
			(await db.sql.query(`select board_public, support_threshold from public.estates where id = $1`, [estateId]))[0];

		it('lets the committee and administrators open the board and set the threshold', async () => {
			await call('save_issue_settings', { p_estate_id: w.b.id, p_board_public: true, p_support_threshold: 25 }, as('committeeB'));
			expect(await settings(w.b.id)).toEqual({ board_public: true, support_threshold: 25 });
			await call('save_issue_settings', { p_estate_id: w.b.id, p_board_public: null, p_support_threshold: 10 }, as('admin'));
			expect(await settings(w.b.id)).toEqual({ board_public: false, support_threshold: 10 });
		});

		it('refuses everyone else and a threshold out of range', async () => {
			for (const p of ['resident', 'moderator', 'volunteer', 'committeeB', 'nonmember'] as const) {
				await refused(() => call('save_issue_settings', { p_estate_id: w.a.id, p_board_public: true, p_support_threshold: 5 }, as(p)), {
					code: '42501',
					key: 'errors.forbidden'
				});
			}
			await refused(() => call('save_issue_settings', { p_estate_id: w.a.id, p_board_public: true, p_support_threshold: 5 }, ANON), { code: '42501' });
			for (const t of [0, -1, 10001, null]) {
				await refused(() => call('save_issue_settings', { p_estate_id: w.a.id, p_board_public: true, p_support_threshold: t }, as('committee')), {
					code: '22023',
					key: 'errors.out_of_range',
					field: 'support_threshold'
				});
			}
			expect(await settings(w.a.id)).toEqual({ board_public: false, support_threshold: 10 });
		});
	});
});
