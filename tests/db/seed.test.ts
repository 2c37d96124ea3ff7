import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, openTestDb, type TestDb } from './harness';

const COMMUNITY = '5eed0000-0000-4000-8000-000000000001';
const JINYUAN = '5eed0000-0000-4000-8000-000000000101';
const CAILIAN = '5eed0000-0000-4000-8000-000000000102';

/** The demo accounts as docs/demo-accounts.md lists them. */
const ACCOUNTS = [
	{ id: '5eed0000-0000-4000-8000-000000001001', email: 'resident@demo.linyi.org', password: 'linyi-resident-2026', roles: [] },
	{ id: '5eed0000-0000-4000-8000-000000001002', email: 'owner@demo.linyi.org', password: 'linyi-owner-2026', roles: ['owner'] },
	{ id: '5eed0000-0000-4000-8000-000000001003', email: 'volunteer@demo.linyi.org', password: 'linyi-volunteer-2026', roles: ['volunteer'] },
	{ id: '5eed0000-0000-4000-8000-000000001004', email: 'moderator@demo.linyi.org', password: 'linyi-moderator-2026', roles: ['moderator', 'volunteer'] },
	{ id: '5eed0000-0000-4000-8000-000000001005', email: 'committee@demo.linyi.org', password: 'linyi-committee-2026', roles: ['committee'] },
	{ id: '5eed0000-0000-4000-8000-000000001006', email: 'party@demo.linyi.org', password: 'linyi-party-2026', roles: ['party_member'] },
	{ id: '5eed0000-0000-4000-8000-000000001007', email: 'admin@demo.linyi.org', password: 'linyi-admin-2026', roles: [] }
] as const;
const [RESIDENT, OWNER, , , COMMITTEE, , ADMIN] = ACCOUNTS;

type Geometry = { type: 'Polygon'; coordinates: number[][][] };
type Bounds = [number, number, number, number];

function bounds(g: Geometry): Bounds {
	const xs = g.coordinates.flat().map((p) => p[0]);
	const ys = g.coordinates.flat().map((p) => p[1]);
	return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

const inside = (inner: Bounds, outer: Bounds) =>
	inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];

describe.each(DATABASES)('demo seed on %s', (name) => {
	let db: TestDb;
	beforeAll(async () => {
		db = await openTestDb(name);
		await db.sql.exec(readFileSync('supabase/seed.sql', 'utf8'));
	});
	afterAll(() => db.close());

	it('puts two estates with their map modes in 横塘社区', async () => {
		const rows = await db.sql.query<{ id: string; name: string; map_mode: string; community: string }>(
			`select e.id, e.name, e.map_mode, c.name as community from public.estates e
			 join public.communities c on c.id = e.community_id where c.id = $1 order by e.id`,
			[COMMUNITY]
		);
		expect(rows).toEqual([
			{ id: JINYUAN, name: '晋源水岸花苑', map_mode: 'geographic', community: '横塘社区' },
			{ id: CAILIAN, name: '采莲新村', map_mode: 'site_plan', community: '横塘社区' }
		]);
		const [plan] = await db.sql.query<{ plan_image: string; plan_width: number; plan_height: number }>(
			'select plan_image, plan_width, plan_height from public.estates where id = $1',
			[CAILIAN]
		);
		expect(plan).toEqual({ plan_image: '/plans/cailian.svg', plan_width: 1200, plan_height: 800 });
	});

	it('registers ~300 units in 晋源水岸花苑 and 600+ small flats in 采莲新村', async () => {
		const rows = await db.sql.query<{ estate_id: string; units: number; min: string; max: string; developer: number }>(
			`select estate_id, count(*)::int as units, min(floor_area)::text as min, max(floor_area)::text as max,
			   count(*) filter (where developer_held)::int as developer
			 from public.units where estate_id in ($1, $2) group by estate_id order by estate_id`,
			[JINYUAN, CAILIAN]
		);
		expect(rows[0]).toMatchObject({ estate_id: JINYUAN, units: 296, developer: 10 });
		expect(rows[1].estate_id).toBe(CAILIAN);
		expect(rows[1].units).toBeGreaterThanOrEqual(600);
		expect(Number(rows[1].min)).toBeGreaterThanOrEqual(40);
		expect(Number(rows[1].max)).toBeLessThanOrEqual(80);
		expect(rows[1].developer).toBe(0);
	});

	it('draws every area as a valid polygon, each building inside its courtyard', async () => {
		const areas = await db.sql.query<{
			estate_id: string; kind: string; name: string; valid: boolean; geometry: Geometry;
			parent_kind: string | null; parent_estate: string | null; parent_geometry: Geometry | null;
		}>(
			`select a.estate_id, a.kind, a.name, private.is_polygon_geojson(a.geometry) as valid, a.geometry,
			   p.kind as parent_kind, p.estate_id as parent_estate, p.geometry as parent_geometry
			 from public.areas a left join public.areas p on p.id = a.parent_id where a.estate_id in ($1, $2)`,
			[JINYUAN, CAILIAN]
		);
		const count = (estate: string, kind: string) => areas.filter((a) => a.estate_id === estate && a.kind === kind).length;
		expect(count(JINYUAN, 'courtyard')).toBe(3);
		expect(count(JINYUAN, 'building')).toBe(12);
		expect(count(CAILIAN, 'courtyard')).toBe(4);
		expect(count(CAILIAN, 'building')).toBe(20);
		for (const a of areas) {
			expect(a.valid, a.name).toBe(true);
			if (a.kind === 'courtyard') continue;
			expect(a.parent_kind, a.name).toBe('courtyard');
			expect(a.parent_estate, a.name).toBe(a.estate_id);
			expect(inside(bounds(a.geometry), bounds(a.parent_geometry!)), a.name).toBe(true);
		}
		// Geographic areas lie around the estate's centre; site-plan areas inside the plan.
		for (const a of areas.filter((x) => x.estate_id === JINYUAN)) {
			expect(inside(bounds(a.geometry), [120.575, 31.288, 120.582, 31.292]), a.name).toBe(true);
		}
		for (const a of areas.filter((x) => x.estate_id === CAILIAN)) {
			expect(inside(bounds(a.geometry), [0, 0, 1200, 800]), a.name).toBe(true);
		}
	});

	it('draws the buildings of the site plan where the seed puts them', async () => {
		const svg = readFileSync('static/plans/cailian.svg', 'utf8');
		expect(svg).toContain('viewBox="0 0 1200 800"');
		const buildings = await db.sql.query<{ name: string; geometry: Geometry }>(
			`select name, geometry from public.areas where estate_id = $1 and kind = 'building'`,
			[CAILIAN]
		);
		for (const b of buildings) {
			const [x0, y0, x1, y1] = bounds(b.geometry);
			expect(svg, b.name).toContain(`<rect x="${x0}" y="${y0}" width="${x1 - x0}" height="${y1 - y0}"/>`);
			expect(svg, b.name).toContain(`>${b.name}</text>`);
		}
	});

	it('gives every sold unit an owner, some two, and the developer its unsold units', async () => {
		const [r] = await db.sql.query<{ unowned: number; co_owned: number; multi: number; developer_units: number; developer_sold: number }>(
			`with per_unit as (
			   select u.id, u.estate_id, u.developer_held, count(uo.owner_id)::int as owners,
			     bool_or(o.is_developer) as by_developer
			   from public.units u left join public.unit_owners uo on uo.unit_id = u.id left join public.owners o on o.id = uo.owner_id
			   where u.estate_id in ($1, $2) group by u.id)
			 select (select count(*) from per_unit where owners = 0)::int as unowned,
			   (select count(*) from per_unit where owners = 2)::int as co_owned,
			   (select count(*) from (select uo.owner_id from public.unit_owners uo join public.owners o on o.id = uo.owner_id
			      where o.estate_id = $1 and not o.is_developer group by uo.owner_id having count(*) > 1) x)::int as multi,
			   (select count(*) from per_unit where developer_held and by_developer)::int as developer_units,
			   (select count(*) from per_unit where not developer_held and by_developer)::int as developer_sold`,
			[JINYUAN, CAILIAN]
		);
		expect(r.unowned).toBe(0);
		expect(r.co_owned).toBeGreaterThanOrEqual(3);
		// One owner of 9栋 1801 and 10栋 1801, and the owner account (1栋 1单元 301 and 15栋 101).
		expect(r.multi).toBe(2);
		expect(r.developer_units).toBe(10);
		expect(r.developer_sold).toBe(0);
	});

	it('lets each demo account sign in with its password', async () => {
		for (const a of ACCOUNTS) {
			const [row] = await db.sql.query<{ ok: boolean; confirmed: boolean; instance_id: string; provider: string }>(
				`select encrypted_password = extensions.crypt($2, encrypted_password) as ok, email_confirmed_at is not null as confirmed,
				   instance_id::text, raw_app_meta_data ->> 'provider' as provider
				 from auth.users where id = $1 and email = $3`,
				[a.id, a.password, a.email]
			);
			expect(row, a.email).toEqual({ ok: true, confirmed: true, instance_id: '00000000-0000-0000-0000-000000000000', provider: 'email' });
		}
		const [wrong] = await db.sql.query<{ ok: boolean }>(
			`select encrypted_password = extensions.crypt('linyi-owner-2026', encrypted_password) as ok from auth.users where id = $1`,
			[RESIDENT.id]
		);
		expect(wrong.ok).toBe(false);
		const signIn = await db.sql.query<{ r: { ok: boolean; user_id: string } }>(
			`select auth.local_sign_in($1, $2, 'seed-test-token', interval '1 hour', 'vitest') as r`,
			[RESIDENT.email, RESIDENT.password]
		);
		expect(signIn[0].r).toEqual({ ok: true, user_id: RESIDENT.id });
	});

	it('makes the demo accounts verified members with their roles, and the social worker an administrator', async () => {
		const rows = await db.sql.query<{ user_id: string; roles: string[]; status: string; unit: string | null; is_admin: boolean; display_name: string; locale: string }>(
			`select m.user_id, m.roles, m.status, private.unit_label(m.unit_id) as unit, p.is_admin, p.display_name, p.locale
			 from public.memberships m join public.profiles p on p.id = m.user_id where m.estate_id = $1`,
			[JINYUAN]
		);
		for (const a of ACCOUNTS) {
			const m = rows.find((r) => r.user_id === a.id);
			expect(m, a.email).toBeDefined();
			expect(m!.status).toBe('verified');
			expect([...m!.roles].sort()).toEqual([...a.roles].sort());
			expect(m!.unit, a.email).toMatch(/^\d+栋 /);
			expect(m!.is_admin).toBe(a.id === ADMIN.id);
			expect(m!.locale).toBe('zh-CN');
		}
		expect(rows.find((r) => r.user_id === RESIDENT.id)!.display_name).toBe('居民 王阿姨');
		expect(rows.filter((r) => r.status === 'pending')).toHaveLength(3);
		const cailian = await db.sql.query<{ user_id: string; roles: string[]; status: string }>(
			'select user_id, roles, status from public.memberships where estate_id = $1',
			[CAILIAN]
		);
		expect(cailian).toEqual([{ user_id: COMMITTEE.id, roles: ['committee'], status: 'verified' }]);
	});

	it('registers the owner account as the owner of its flat and of a villa flat in 15栋', async () => {
		const rows = await db.sql.query<{ name: string; unit: string; member_unit: string }>(
			`select o.name, private.unit_label(uo.unit_id) as unit, private.unit_label(m.unit_id) as member_unit
			 from public.owners o join public.unit_owners uo on uo.owner_id = o.id
			 join public.memberships m on m.user_id = o.user_id and m.estate_id = o.estate_id
			 where o.user_id = $1 order by 2`,
			[OWNER.id]
		);
		expect(rows).toEqual([
			{ name: '李明远', unit: '15栋 101', member_unit: '1栋 1单元 301' },
			{ name: '李明远', unit: '1栋 1单元 301', member_unit: '1栋 1单元 301' }
		]);
	});

	it('shows the resident the estate numbers and the committee its queue', async () => {
		const home = await db.backend.call<{ is_member: boolean; numbers: Record<string, number> | null; areas: unknown[] }>(
			'estate_home',
			{ p_estate_id: JINYUAN },
			{ kind: 'user', userId: RESIDENT.id }
		);
		expect(home.is_member).toBe(true);
		expect(home.areas).toHaveLength(16);
		// The seven demo accounts and the 22 neighbours of the 晋邻 team.
		expect(home.numbers).toMatchObject({ courtyards: 3, buildings: 12, units: 296, members: 29, pending: 3 });
		expect(Number(home.numbers!.floor_area)).toBeGreaterThan(30000);

		const outsider = await db.backend.call<{ is_member: boolean; numbers: unknown }>(
			'estate_home',
			{ p_estate_id: CAILIAN },
			{ kind: 'user', userId: RESIDENT.id }
		);
		expect(outsider).toMatchObject({ is_member: false, numbers: null });

		const members = await db.backend.call<{ pending: Array<{ name: string; unit: string | null; unit_note: string | null }> }>(
			'estate_members',
			{ p_estate_id: JINYUAN },
			{ kind: 'user', userId: COMMITTEE.id }
		);
		expect(members.pending.map((p) => p.name)).toEqual(['陈奶奶', '吴女士', '黄先生']);
		expect(members.pending[2]).toMatchObject({ unit: null, unit_note: '3栋 1单元 701' });
		const cailian = await db.backend.call<{ units: number }>('estate_members', { p_estate_id: CAILIAN }, { kind: 'user', userId: COMMITTEE.id });
		expect(cailian.units).toBeGreaterThanOrEqual(600);
	});

	it('holds a year of 晋源水岸花苑 issues: 10 solved, 3 followed up, each pinned inside its area, with supports, discussions and lawful timelines', async () => {
		const issues = await db.sql.query<{ id: string; title: string; status: string; inside: boolean | null; supports: number; counted: number; comments: number; visible: number; last: boolean }>(
			`select i.id, i.title, i.status, case when i.point_x is null then null else private.point_in_geometry(i.point_x, i.point_y, a.geometry) end as inside,
			   i.support_count as supports, (select count(*)::int from public.issue_supports s where s.issue_id = i.id) as counted,
			   i.comment_count as comments, (select count(*)::int from public.comments c where c.issue_id = i.id and c.state = 'visible') as visible,
			   i.last_activity_at <= now() and i.last_activity_at >= i.created_at as last
			 from public.issues i join public.areas a on a.id = i.area_id where i.estate_id = $1`,
			[JINYUAN]
		);
		expect(issues.length).toBeGreaterThanOrEqual(14);
		expect(issues.filter((i) => i.status === 'completed').length).toBeGreaterThanOrEqual(10);
		expect(issues.filter((i) => i.status === 'following_up').map((i) => i.title)).toEqual(
			expect.arrayContaining([expect.stringContaining('垃圾分类'), expect.stringContaining('遛狗')])
		);
		expect(issues.filter((i) => i.status === 'following_up').length).toBeGreaterThanOrEqual(3);
		for (const i of issues) {
			if (i.id !== '5eed0000-0000-4000-8000-000000002001') expect(i.inside, i.title).toBe(true);
			expect(i.supports, i.title).toBe(i.counted);
			expect(i.comments, i.title).toBe(i.visible);
			expect(i.last, i.title).toBe(true);
		}
		expect(issues.filter((i) => i.supports > 0 && i.comments > 0).length).toBeGreaterThanOrEqual(13);
		// Every timeline starts with the proposal and goes, step by step in time, along the lifecycle to the issue's status.
		const events = await db.sql.query<{ issue_id: string; kind: string; action: string | null; from_status: string | null; to_status: string; created_at: Date }>(
			`select ev.issue_id, ev.kind, ev.action, ev.from_status, ev.to_status, ev.created_at from public.issue_events ev
			 join public.issues i on i.id = ev.issue_id where i.estate_id = $1 order by ev.issue_id, ev.id`,
			[JINYUAN]
		);
		const lawful = new Set(
			(await db.sql.query<{ t: string }>(`select action || ':' || from_status || ':' || to_status as t from public.issue_transitions`)).map((r) => r.t)
		);
		for (const a of ['open_vote:accepted:voting', 'open_vote:deliberating:voting', 'close_vote:voting:approved', 'close_vote:voting:rejected']) lawful.add(a);
		for (const i of issues) {
			// The lifecycle's steps; a publication's own steps (published, objections, final) are checked below.
			const mine = events.filter((e) => e.issue_id === i.id && ['proposed', 'transition'].includes(e.kind));
			expect(mine[0].kind, i.title).toBe('proposed');
			let status = mine[0].to_status;
			for (const [k, e] of mine.slice(1).entries()) {
				expect(e.from_status, i.title).toBe(status);
				expect(lawful.has(`${e.action}:${e.from_status}:${e.to_status}`), `${i.title}: ${e.action}`).toBe(true);
				expect(e.created_at.getTime(), i.title).toBeGreaterThanOrEqual(mine[k].created_at.getTime());
				expect(e.created_at.getTime(), i.title).toBeLessThanOrEqual(Date.now());
				status = e.to_status;
			}
			expect(status, i.title).toBe(i.status);
		}
	});

	it('shows decision publicity (公示): an open window in 晋源水岸花苑 with an answered objection, and a finished one amended once', async () => {
		const resident = { kind: 'user' as const, userId: RESIDENT.id };
		const list = await db.backend.call<Array<{ id: string; status: string; unanswered: number; objections: number; revision: number }>>(
			'estate_publications',
			{ p_estate_id: JINYUAN },
			resident
		);
		expect(list.map((p) => [p.id, p.status, p.objections, p.unanswered, p.revision])).toEqual([
			['5eed0000-0000-4000-8000-000000004001', 'open', 1, 0, 1],
			['5eed0000-0000-4000-8000-000000004002', 'final', 2, 0, 2],
			['5eed0000-0000-4000-8000-000000005340', 'final', 1, 0, 1]
		]);
		const open = await db.backend.call<{ can_object: boolean; objections: Array<{ answer: string; mine: boolean }>; revisions: unknown[] }>(
			'publication_detail',
			{ p_publication_id: '5eed0000-0000-4000-8000-000000004001' },
			resident
		);
		expect(open.can_object).toBe(true);
		expect(open.objections).toEqual([expect.objectContaining({ answer: 'rejected', mine: true })]);
		const [issue] = await db.sql.query<{ status: string }>(`select status from public.issues where id = '5eed0000-0000-4000-8000-000000002017'`);
		expect(issue.status).toBe('publicized');
		// Each timeline's publication steps read in time order, between the step that published and the one that started work.
		for (const id of ['5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000002017']) {
			const ev = await db.sql.query<{ kind: string; action: string | null; at: Date }>(
				'select kind, action, created_at as at from public.issue_events where issue_id = $1 order by id',
				[id]
			);
			const times = ev.map((e) => e.at.getTime());
			expect(times).toEqual([...times].sort((a, b) => a - b));
			const publicize = ev.findIndex((e) => e.action === 'publicize');
			const published = ev.findIndex((e) => e.kind === 'published');
			expect(Math.abs(published - publicize)).toBe(1);
			const final = ev.findIndex((e) => e.kind === 'publication_final');
			const start = ev.findIndex((e) => e.action === 'start_work');
			if (start >= 0) expect(final).toBeLessThan(start);
		}
	});

	it('holds the 晋邻 council on the charging shed with its minutes final, and an upcoming council on 文明养犬 with its agenda', async () => {
		const resident = { kind: 'user' as const, userId: RESIDENT.id };
		const past = await db.backend.call<{
			meeting: { status: string; title: string };
			draft: { paragraphs: string[]; assembled: string[] } | null;
			publication: { id: string; status: string; objections: number; unanswered: number; paragraphs: string[] } | null;
		}>('meeting_minutes', { p_meeting_id: '5eed0000-0000-4000-8000-000000005302' }, resident);
		expect(past.meeting.status).toBe('closed');
		expect(past.publication).toMatchObject({ id: '5eed0000-0000-4000-8000-000000005340', status: 'final', objections: 1, unanswered: 0 });
		// The published text is the minutes as assembled from the seeded record.
		const text = past.publication!.paragraphs;
		expect(text).toEqual(past.draft!.assembled);
		expect(text[0]).toMatch(/时间：\d{4}年\d{1,2}月\d{1,2}日 19:00—20:25（北京时间）。.*主持人：主持人 赵老师。记录人：志愿者 小陈。/);
		expect(text[1]).toMatch(/^出席：52 人.*其中 24 人由工作人员现场登记/);
		expect(text.join('\n')).toContain('动议人：业主 李先生；附议：党员 孙师傅、居民 王阿姨');
		expect(text.join('\n')).toContain('1. 志愿者 小陈（赞成，1分50秒）；2. 张阿婆（反对，1分35秒）；3. 党员 孙师傅（赞成，2分）；4. 居民 王阿姨（提问，1分）');
		expect(text.join('\n')).toContain('赞成 45，反对 3，弃权 4（主持人最后表决）。动议通过。');
		const detail = await db.backend.call<{ objections: Array<{ paragraph: number; answer: string; answer_reason: string }> }>(
			'publication_detail', { p_publication_id: '5eed0000-0000-4000-8000-000000005340' }, resident
		);
		expect(detail.objections).toEqual([expect.objectContaining({ paragraph: 2, answer: 'rejected' })]);
		const timeline = await db.sql.query<{ kind: string; meeting_id: string | null }>(
			`select kind, meeting_id::text from public.issue_events where issue_id = '5eed0000-0000-4000-8000-000000002004' and meeting_id is not null order by id`
		);
		expect(timeline.map((e) => e.kind)).toEqual(['on_agenda', 'minutes_published', 'minutes_final']);

		const next = await db.backend.call<{ meeting: { status: string; chair: string; starts_at: string }; agenda: Array<{ title: string; issue_id: string | null; issue_status: string | null }> }>(
			'meeting_notice', { p_meeting_id: '5eed0000-0000-4000-8000-000000005301' }, resident
		);
		expect(next.meeting).toMatchObject({ status: 'scheduled', chair: '主持人 赵老师' });
		expect(new Date(next.meeting.starts_at).getTime()).toBeGreaterThan(Date.now());
		expect(next.agenda.map((a) => a.title)).toEqual(['南苑晚上遛狗能不能定个时段和区域', '《晋源水岸花苑文明养犬公约》草案', '南苑草坪增设拾便箱的位置']);
		expect(next.agenda[0]).toMatchObject({ issue_id: '5eed0000-0000-4000-8000-000000005350', issue_status: 'deliberating' });
		// moderator@ can open its room (this file's last look at meetings: nothing after it reads this one).
		const moderator = { kind: 'user' as const, userId: '5eed0000-0000-4000-8000-000000001004' };
		const opened = await db.backend.call<{ status: string; current_item_id: string }>('open_meeting', { p_meeting_id: '5eed0000-0000-4000-8000-000000005301' }, moderator);
		expect(opened).toMatchObject({ status: 'in_session', current_item_id: '5eed0000-0000-4000-8000-000000005303' });
	});

	it('holds two micro-wishes in 晋源水岸花苑, posted by 小陈 for residents without an account: one open, one on the thanks wall by 孙师傅', async () => {
		const resident = { kind: 'user' as const, userId: RESIDENT.id };
		const party = { kind: 'user' as const, userId: '5eed0000-0000-4000-8000-000000001006' };
		const list = await db.backend.call<{ wishes: Array<{ id: string; status: string; shown_name: string }> }>('estate_wishes', { p_estate_id: JINYUAN }, resident);
		expect(list.wishes.map((w) => [w.id, w.status, w.shown_name])).toEqual([
			['5eed0000-0000-4000-8000-000000007201', 'open', '某叔叔'],
			['5eed0000-0000-4000-8000-000000007202', 'confirmed', '某阿姨']
		]);
		const open = await db.backend.call<{ can_claim: boolean; private: unknown }>('wish_detail', { p_wish_id: '5eed0000-0000-4000-8000-000000007201' }, party);
		expect(open).toMatchObject({ can_claim: true, private: null });
		const wall = await db.backend.call<{ entries: Array<{ claimer_name: string; thanks: string }> }>('wish_wall', { p_estate_id: JINYUAN }, resident);
		expect(wall.entries).toEqual([expect.objectContaining({ claimer_name: '党员 孙师傅', thanks: '谢谢孙师傅，现在每天都能听戏了！' })]);
		const details = await db.sql.query<{ guardian_id: string; resident_id: string | null }>('select guardian_id::text, resident_id from public.wish_details order by wish_id');
		expect(details).toEqual([
			{ guardian_id: '5eed0000-0000-4000-8000-000000001003', resident_id: null },
			{ guardian_id: '5eed0000-0000-4000-8000-000000001003', resident_id: null }
		]);
	});

	it('tells the progress story: 10 solved issues with their milestones done, 3 followed up with check-ins, 采莲新村\'s renovation in progress', async () => {
		const resident = { kind: 'user' as const, userId: RESIDENT.id };
		const committee = { kind: 'user' as const, userId: COMMITTEE.id };
		type Plan = { progress: number | null; items: Array<{ title: string; depth: number; excluded: boolean; exclusion_reason: string | null; progress: number | null; milestones: Array<{ done: boolean; photos: number; evidence_id: string | null }> }> };
		const solved = await db.sql.query<{ id: string }>(`select id::text from public.issues where estate_id = $1 and status = 'completed' order by id`, [JINYUAN]);
		expect(solved).toHaveLength(10);
		for (const { id } of solved) {
			const plan = await db.backend.call<Plan>('item_progress', { p_issue_id: id }, resident);
			expect(Number(plan.progress), id).toBe(1);
			const ms = plan.items[0].milestones;
			expect(ms.map((m) => m.done)).toEqual([true, true, true]);
			// No photo files in the seed: the milestones done say so (无照片); the last has the closing note as evidence.
			expect(ms.map((m) => m.photos)).toEqual([0, 0, 0]);
			expect(ms[2].evidence_id).not.toBeNull();
		}
		const followed = await db.sql.query<{ id: string }>(`select id::text from public.issues where estate_id = $1 and status = 'following_up' order by id`, [JINYUAN]);
		expect(followed).toHaveLength(3);
		for (const { id } of followed) {
			const plan = await db.backend.call<Plan>('item_progress', { p_issue_id: id }, resident);
			expect(plan.items[0].milestones.some((m) => m.done), id).toBe(true);
			expect(plan.items[0].milestones.some((m) => !m.done), id).toBe(true);
		}
		const renovation = await db.backend.call<Plan>('item_progress', { p_issue_id: '5eed0000-0000-4000-8000-000000002101' }, committee);
		expect(renovation.items.map((i) => i.title)).toEqual(['综合改造', '外立面', '屋面', '雨污分流', '道路', '停车', '非机动车棚与充电', '机动车位划线', '加装电梯']);
		expect(renovation.items.find((i) => i.title === '加装电梯')).toMatchObject({ excluded: true, exclusion_reason: expect.stringContaining('另行立项') });
		expect(renovation.items.find((i) => i.title === '非机动车棚与充电')?.depth).toBe(2);
		expect(Number(renovation.progress)).toBeGreaterThan(0.2);
		expect(Number(renovation.progress)).toBeLessThan(0.8);
		const [issue] = await db.sql.query<{ status: string; estate_id: string }>(`select status, estate_id::text from public.issues where id = '5eed0000-0000-4000-8000-000000002101'`);
		expect(issue).toEqual({ status: 'in_progress', estate_id: CAILIAN });
		// Every timeline of these issues reads in time order.
		const ev = await db.sql.query<{ issue_id: string; at: Date }>(
			`select issue_id::text, created_at as at from public.issue_events where issue_id in (select issue_id from public.work_items) order by issue_id, id`
		);
		for (const id of new Set(ev.map((e) => e.issue_id))) {
			const times = ev.filter((e) => e.issue_id === id).map((e) => e.at.getTime());
			expect(times, id).toEqual([...times].sort((a, b) => a - b));
		}
	});

	it('finds the demo issues by everyday words, and leaves one reported comment for the moderators', async () => {
		const resident = { kind: 'user' as const, userId: RESIDENT.id };
		const search = async (q: string) =>
			(await db.backend.call<{ issues: Array<{ title: string }> }>('issue_board', { p_estate_id: JINYUAN, p_q: q }, resident)).issues.map((i) => i.title);
		expect(await search('长椅')).toEqual(expect.arrayContaining(['南苑中心花园增设休息座椅的位置', '中心花园的长椅木条断了，油漆也掉光了']));
		expect(await search('充电桩')).toEqual([expect.stringContaining('充电车棚')]);
		const queue = await db.backend.call<{ items: Array<{ body: string; reports: unknown[] }> }>('moderation_queue', { p_estate_id: JINYUAN }, { kind: 'user', userId: COMMITTEE.id });
		expect(queue.items).toHaveLength(1);
		expect(queue.items[0].reports).toHaveLength(2);
	});

	it('gives 晋源水岸花苑 the 晋邻 team of 24, open tasks from the bench decision, and party@ two confirmed hours and a wish\'s hour and a half', async () => {
		const party = { kind: 'user' as const, userId: '5eed0000-0000-4000-8000-000000001006' };
		const team = await db.backend.call<{ members: Array<{ role: string; name: string }> }>('team_page', { p_team_id: '5eed0000-0000-4000-8000-000000007101' }, party);
		expect(team.members).toHaveLength(24);
		expect(team.members.filter((m) => m.role === 'leader').map((m) => m.name)).toEqual(['志愿者 小陈']);
		const board = await db.backend.call<{ tasks: Array<{ title: string; issue_title: string | null; may_claim: boolean }> }>('claim_board', { p_estate_id: JINYUAN }, party);
		expect(board.tasks.map((t) => t.title).sort()).toEqual(['座椅安装后清扫凉亭周围', '搬运并安装凉亭周围的六张座椅', '敲门行动：看望11栋独居老人'].sort());
		expect(board.tasks.filter((t) => t.issue_title === '南苑中心花园增设休息座椅的位置')).toHaveLength(2);
		const statement = await db.backend.call<{ hours: number; coins: number; entries: Array<{ task_title: string | null; source_kind: string }> }>(
			'time_statement',
			{ p_estate_id: JINYUAN },
			party
		);
		// Two hours of the task, and the hour and a half of the radio wish (newest first).
		expect(statement).toMatchObject({ hours: 3.5, coins: 3.5 });
		expect(statement.entries.map((e) => [e.source_kind, e.task_title])).toEqual([
			['wish', null],
			['wish', null],
			['task_claim', '凉亭周围座椅位置放样'],
			['task_claim', '凉亭周围座椅位置放样']
		]);
		const record = await db.backend.call<{ total: number; branch: string }>('service_record', { p_estate_id: JINYUAN }, party);
		// The service record counts the wish's hours too: it is service to the community.
		expect(record).toMatchObject({ total: 3.5, branch: '晋源区税务局第一党支部' });
		expect(await db.sql.query(`select unit, sum(amount)::int as total from public.time_entries group by unit order by unit`)).toEqual([
			{ unit: 'coin', total: 0 },
			{ unit: 'hour', total: 0 }
		]);
	});
	it("credits the fulfilled wish's reported hours once, shows the open wish on the claim board, and has resident@'s request to join 晋邻 waiting", async () => {
		const party = { kind: 'user' as const, userId: '5eed0000-0000-4000-8000-000000001006' };
		const volunteer = { kind: 'user' as const, userId: '5eed0000-0000-4000-8000-000000001003' };
		expect(
			await db.sql.query(`select unit, amount::text from public.time_entries where source_kind = 'wish' and amount > 0 order by unit`)
		).toEqual([
			{ unit: 'coin', amount: '1.50' },
			{ unit: 'hour', amount: '1.50' }
		]);
		const board = await db.backend.call<{ wishes: Array<{ id: string; est_hours: number; may_claim: boolean }> }>('claim_board', { p_estate_id: JINYUAN }, party);
		expect(board.wishes).toMatchObject([{ id: '5eed0000-0000-4000-8000-000000007201', est_hours: 1, may_claim: true }]);
		const team = await db.backend.call<{ requests: Array<{ name: string }>; may_decide: boolean }>('team_page', { p_team_id: '5eed0000-0000-4000-8000-000000007101' }, volunteer);
		expect(team).toMatchObject({ may_decide: true, requests: [{ name: '王阿姨' }] });
	});
});
