import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as estatePage from '../../src/routes/estates/[id=uuid]/transparency/+page.server';
import * as dashboardPage from '../../src/routes/estates/[id=uuid]/dashboard/+page.server';
import * as communityPage from '../../src/routes/communities/[id=uuid]/transparency/+page.server';
import * as streetPage from '../../src/routes/streets/[id=uuid]/+page.server';
import * as mePage from '../../src/routes/me/+page.server';
import * as estateLayout from '../../src/routes/estates/[id=uuid]/+layout.server';
import { COMMUNITY, expectData, expectHttpError, expectRedirect, JINYUAN, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * The transparency pages, the street roll-up and the committee dashboard
 * through the real hooks on the demo seed: 新郭花园 (public board) in 新郭社区,
 * 横塘社区's closed estates, the street 亭林 and its administrator.
 */

const XINGUO = '5eed0000-0000-4000-8000-000000006221';
const XINGUO_COMMUNITY = '5eed0000-0000-4000-8000-000000006211';
const TINGLIN = '5eed0000-0000-4000-8000-000000006201';
const STREET = 'street@demo.linyi.org' as const;
const COMMITTEE = 'committee@demo.linyi.org' as const;
const RESIDENT = 'resident@demo.linyi.org' as const;
const MODERATOR = 'moderator@demo.linyi.org' as const;

let rt: TestRuntime;
let people: Array<{ id: string; display_name: string }>;
beforeAll(async () => {
	rt = await openTestRuntime();
	people = await rt.sql.query<{ id: string; display_name: string }>('select id::text, display_name from public.profiles');
});
afterAll(() => rt.close());

const estateAt = (id: string) => ({ url: `/estates/${id}/transparency`, params: { id } });
const dashboardAt = (id: string) => ({ url: `/estates/${id}/dashboard`, params: { id } });
const communityAt = (id: string) => ({ url: `/communities/${id}/transparency`, params: { id } });
const streetAt = (id: string) => ({ url: `/streets/${id}`, params: { id } });

function expectNoPeople(data: unknown) {
	const text = JSON.stringify(data);
	for (const p of people) {
		expect(text).not.toContain(p.id);
		expect(text).not.toContain(p.display_name);
	}
}

describe('the transparency page of an estate', () => {
	it('shows a public estate to anyone: figures, completed work, work in progress and followed-up matters, with no person in it', async () => {
		const data = expectData(await request(estateAt(XINGUO), estatePage.load));
		const tr = data.transparency;
		expect(tr.estate).toMatchObject({ name: '新郭花园', community: { name: '新郭社区' }, street: { name: '亭林' } });
		expect(tr.figures.by_status).toMatchObject({ completed: 2, in_progress: 1, following_up: 1, accepted: 1, proposed: 1, rejected: 1 });
		expect(tr.figures.stages.accept).toEqual({ median: 4, n: 6 });
		expect(tr.completed.map((i: { title: string }) => i.title).sort()).toEqual(['1栋楼道扶手加装', '北院健身器材更新']);
		expect(tr.in_progress.map((i: { title: string }) => i.title)).toEqual(['北院增设休息长椅']);
		expect(tr.following_up.map((i: { title: string }) => i.title)).toEqual(['垃圾分类定时定点']);
		expectNoPeople(data.transparency);
	});

	it('asks a signed-out reader of a members-only estate to sign in, refuses outsiders, and shows its residents', async () => {
		expectRedirect(await request(estateAt(JINYUAN), estatePage.load), /^\/auth\/sign-in\?next=%2Festates%2F/);
		const mine = expectData(await request({ ...estateAt(JINYUAN), as: RESIDENT }, estatePage.load));
		expect(mine.transparency.lists_visible).toBe(true);
		expectNoPeople(mine.transparency);
		expectHttpError(await request({ ...estateAt('5eed0000-0000-4000-8000-00000000dead') }, estatePage.load), 404);
	});

	it('shows the street administrator the figures of a members-only estate of the street, not its lists', async () => {
		const data = expectData(await request({ ...estateAt(JINYUAN), as: STREET }, estatePage.load));
		expect(data.transparency.lists_visible).toBe(false);
		expect(data.transparency.figures.issues).toBeGreaterThan(0);
		expect(data.transparency.completed).toEqual([]);
	});
	it('renders the transparency page and the dashboard with one statement for the session and one call each; the estate layout makes none', async () => {
		const calls: string[] = [];
		const real = rt.backend.call.bind(rt.backend);
		const realQuery = rt.sql.query.bind(rt.sql);
		rt.backend.call = ((fn: string, args: Record<string, unknown>, as: never) => {
			calls.push(fn);
			return real(fn, args, as);
		}) as typeof rt.backend.call;
		rt.sql.query = ((text: string, params?: unknown[]) => {
			calls.push(text);
			return realQuery(text, params);
		}) as typeof rt.sql.query;
		try {
			for (const [route, load] of [
				['/estates/[id=uuid]/transparency', estatePage.load],
				['/estates/[id=uuid]/dashboard', dashboardPage.load]
			] as const) {
				calls.length = 0;
				rt.auth.forgetSessions?.();
				const x = await request({ url: `/estates/${JINYUAN}/${route.split('/').pop()}`, params: { id: JINYUAN }, as: COMMITTEE }, async (ev) => {
					const e = { ...ev, route: { id: route } };
					const [layout, page] = await Promise.all([estateLayout.load(e as never), load(e as never)]);
					return { ...(layout as object), ...(page as object) };
				});
				expectData(x);
				expect(calls).toEqual(['select auth.local_session_context($1) as me', route.endsWith('dashboard') ? 'committee_dashboard' : 'estate_transparency']);
			}
		} finally {
			rt.backend.call = real;
			rt.sql.query = realQuery;
		}
	});
});

describe('the transparency page of a community', () => {
	it('sums the estates the reader may see', async () => {
		const anon = expectData(await request(communityAt(XINGUO_COMMUNITY), communityPage.load));
		expect(anon.transparency.estates.map((e: { name: string }) => e.name)).toEqual(['新郭花园']);
		const closed = expectData(await request(communityAt(COMMUNITY), communityPage.load));
		expect(closed.transparency).toMatchObject({ estates: [], hidden_estates: 2 });
		const street = expectData(await request({ ...communityAt(COMMUNITY), as: STREET }, communityPage.load));
		expect(street.transparency.estates).toHaveLength(2);
		expect(street.transparency.hidden_estates).toBe(0);
		expectHttpError(await request(communityAt('5eed0000-0000-4000-8000-00000000dead'), communityPage.load), 404);
	});
});

describe('the street roll-up', () => {
	it('shows the street administrator every community of the street, and in all', async () => {
		const data = expectData(await request({ ...streetAt(TINGLIN), as: STREET }, streetPage.load));
		expect(data.rollup.street.name).toBe('亭林');
		expect(data.rollup.communities.map((c: { name: string }) => c.name).sort()).toEqual(['新郭社区', '彩香社区', '横塘社区', '石湖社区'].sort());
		const sum = data.rollup.communities.reduce((n: number, c: { figures: { issues: number } }) => n + c.figures.issues, 0);
		expect(data.rollup.figures.issues).toBe(sum);
		expectNoPeople(data.rollup);
	});

	it('lists the street on its administrator’s own page, and none for a committee member', async () => {
		expect(expectData(await request({ url: '/me', as: STREET }, mePage.load)).streets).toEqual([{ id: TINGLIN, name: '亭林', district: '姑苏区' }]);
		expect(expectData(await request({ url: '/me', as: COMMITTEE }, mePage.load)).streets).toEqual([]);
	});

	it('refuses everyone else: sign-in first, then 403; an unknown street is not found', async () => {
		expectRedirect(await request(streetAt(TINGLIN), streetPage.load), /^\/auth\/sign-in\?next=%2Fstreets%2F/);
		expectHttpError(await request({ ...streetAt(TINGLIN), as: COMMITTEE }, streetPage.load), 403, 'errors.forbidden');
		expectHttpError(await request({ ...streetAt('5eed0000-0000-4000-8000-00000000dead'), as: STREET }, streetPage.load), 404, 'errors.street_not_found');
	});
});

describe('the committee dashboard', () => {
	it('shows the committee and moderators stale items, items per area and the figures', async () => {
		const data = expectData(await request({ ...dashboardAt(JINYUAN), as: COMMITTEE }, dashboardPage.load));
		expect(data.dashboard.stale_days).toBe(30);
		expect(data.dashboard.per_area.length).toBeGreaterThan(0);
		expect(data.dashboard).toMatchObject({ overdue: null, satisfaction: null });
		expectNoPeople(data.dashboard);
		expectData(await request({ ...dashboardAt(JINYUAN), as: MODERATOR }, dashboardPage.load));
	});

	it('refuses residents, the street administrator and anyone signed out', async () => {
		expectHttpError(await request({ ...dashboardAt(JINYUAN), as: RESIDENT }, dashboardPage.load), 403);
		expectHttpError(await request({ ...dashboardAt(JINYUAN), as: STREET }, dashboardPage.load), 403);
		expectRedirect(await request(dashboardAt(JINYUAN), dashboardPage.load), /^\/auth\/sign-in\?next=/);
	});
});

