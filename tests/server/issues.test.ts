import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import * as propose from '../../src/routes/estates/[id=uuid]/issues/new/+page.server';
import * as board from '../../src/routes/estates/[id=uuid]/issues/+page.server';
import * as issuePage from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/+page.server';
import * as summary from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/summary/+server';
import * as estateLayout from '../../src/routes/estates/[id=uuid]/+layout.server';
import { sniffImage } from '../../src/lib/server/photos';
import {
	CAILIAN,
	JINYUAN,
	count,
	expectData,
	expectFailure,
	expectHttpError,
	expectNoWrite,
	expectRedirect,
	openTestRuntime,
	request,
	type DemoEmail,
	type TestRuntime
} from './harness';

let rt: TestRuntime;
let building1: string;
let xiyuan: string;
let xiyuanInside: [number, number];
beforeAll(async () => {
	rt = await openTestRuntime();
	const areas = await rt.sql.query<{ id: string; name: string; geometry: { coordinates: number[][][] } }>(
		`select id, name, geometry from public.areas where estate_id = $1 and name in ('1栋', '西苑')`,
		[JINYUAN]
	);
	building1 = areas.find((a) => a.name === '1栋')!.id;
	const x = areas.find((a) => a.name === '西苑')!;
	xiyuan = x.id;
	const ring = x.geometry.coordinates[0];
	const xs = ring.map((p) => p[0]);
	const ys = ring.map((p) => p[1]);
	xiyuanInside = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
});
afterAll(() => rt.close());

const NEW = `/estates/${JINYUAN}/issues/new`;

async function jpegWithGps(): Promise<File> {
	const data = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#3a7' } })
		.jpeg()
		.withExif({ IFD0: { Make: 'Phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 17/1 0/1' } })
		.toBuffer();
	return new File([new Uint8Array(data)], 'bench.jpg', { type: 'image/jpeg' });
}

const good = (extra: Record<string, string | File | File[] | string[]> = {}) => ({
	title: '西苑东门的长椅坏了',
	category: 'facilities',
	area_id: xiyuan,
	body: '椅子腿断了。',
	confirm_new: 'true',
	...extra
});

function post(form: Record<string, unknown>, as: DemoEmail = 'resident@demo.linyi.org') {
	return request({ url: NEW, method: 'POST', as, form: form as never }, propose.actions.default);
}

async function newIssue(title: string, as: DemoEmail = 'resident@demo.linyi.org') {
	const x = await post(good({ title }), as);
	const loc = (x.outcome as { location: string }).location;
	return loc.split('/').pop()!;
}

describe('propose', () => {
	it('raises an issue with a photo and a point; the photo is resized, re-encoded and stripped of GPS', async () => {
		const x = await post(good({ photos: [await jpegWithGps()], point_x: String(xiyuanInside[0]), point_y: String(xiyuanInside[1]) }));
		expectRedirect(x, new RegExp(`^/estates/${JINYUAN}/issues/[0-9a-f-]{36}$`));
		const id = (x.outcome as { location: string }).location.split('/').pop();
		const [photo] = await rt.sql.query<{ path: string; width: number; height: number }>('select path, width, height from public.issue_photos where issue_id = $1', [id]);
		expect(photo).toMatchObject({ width: 1600, height: 800 });
		const stored = await (rt.storage as unknown as { read(p: string): Promise<Buffer> }).read(photo.path);
		expect(sniffImage(stored)).toBe('jpeg');
		const meta = await sharp(stored).metadata();
		expect(meta.exif).toBeUndefined();
	});

	it('offers similar open issues first, and files the new one once confirmed', async () => {
		await newIssue('3栋的楼道灯不亮了');
		const form = { title: '3栋楼道灯不亮', category: 'safety', area_id: building1, body: '' };
		const offered = expectData(await expectNoWrite(() => post(form, 'owner@demo.linyi.org')));
		expect(offered.similar.map((s: { title: string }) => s.title)).toContain('3栋的楼道灯不亮了');
		expectRedirect(await post({ ...form, confirm_new: 'true' }, 'owner@demo.linyi.org'), /\/issues\/[0-9a-f-]{36}$/);
	});

	it.each([
		[{ title: '' }, 400, { title: 'errors.required' }],
		[{ title: '长'.repeat(61) }, 400, { title: 'errors.too_long' }],
		[{ category: 'weather' }, 400, { category: 'errors.invalid_choice' }],
		[{ area_id: 'not-a-uuid' }, 400, { area_id: 'errors.invalid_choice' }],
		[{ area_id: '5eed0000-0000-4000-8000-00000000ffff' }, 400, { area_id: 'errors.area_not_in_estate' }],
		[{ point_x: '1', point_y: '1' }, 400, { point_x: 'errors.point_outside_area' }],
		[{ point_x: '120.5' }, 400, { point_x: 'errors.point_outside_area' }],
		[{ channel: 'hotline', resident_name: '张奶奶' }, 403, {}]
	])('refuses %j beside the field, writing nothing', async (change, status, errors) => {
		expectFailure(await expectNoWrite(() => post(good(change))), status, errors);
	});

	it('refuses a non-image by its content, an oversized photo and a seventh photo', async () => {
		const fake = new File(['<svg onload=alert(1)>'], 'photo.jpg', { type: 'image/jpeg' });
		expectFailure(await expectNoWrite(() => post(good({ photos: [fake] }))), 400, { photos: 'errors.photo_not_image' });
		const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'big.jpg', { type: 'image/jpeg' });
		expectFailure(await expectNoWrite(() => post(good({ photos: [big] }))), 400, { photos: 'errors.photo_too_large' });
		const seven = await Promise.all(Array.from({ length: 7 }, () => jpegWithGps()));
		const x = await expectNoWrite(() => post(good({ photos: seven })));
		expect(x.outcome.status).toBe(400);
	});

	it('lets a volunteer record an issue for a resident by hotline, naming them for moderators only', async () => {
		const x = await post(good({ title: '热线：南苑路灯', channel: 'hotline', resident_name: '张奶奶' }), 'volunteer@demo.linyi.org');
		const id = (x.outcome as { location: string }).location.split('/').pop()!;
		const asModerator = expectData(await request({ url: `/estates/${JINYUAN}/issues/${id}`, as: 'moderator@demo.linyi.org', params: { id: JINYUAN, issueId: id } }, issuePage.load));
		expect(asModerator.detail.behalf).toEqual({ name: '张奶奶', contact: null });
		const asResident = expectData(await request({ url: `/estates/${JINYUAN}/issues/${id}`, as: 'resident@demo.linyi.org', params: { id: JINYUAN, issueId: id } }, issuePage.load));
		expect(asResident.detail.behalf).toBeNull();
	});

	it('refuses people who are not verified members of the estate', async () => {
		expectHttpError(await request({ url: NEW, as: 'applicant1@demo.linyi.org' }, propose.load), 403, 'errors.not_member');
		expectRedirect(await request({ url: NEW }, propose.load), /^\/auth\/sign-in/);
	});
});

describe('board', () => {
	it('lists, filters and searches in Chinese', async () => {
		await newIssue('东苑充电车棚漏雨');
		const all = expectData(await request({ url: `/estates/${JINYUAN}/issues`, as: 'resident@demo.linyi.org' }, board.load));
		expect(all.board.issues.length).toBeGreaterThan(0);
		const found = expectData(await request({ url: `/estates/${JINYUAN}/issues?q=车棚`, as: 'resident@demo.linyi.org' }, board.load));
		expect(found.board.issues.map((i: { title: string }) => i.title)).toEqual(['东苑充电车棚漏雨']);
		const junk = expectData(await request({ url: `/estates/${JINYUAN}/issues?status=nope&sort=evil&area=1`, as: 'resident@demo.linyi.org' }, board.load));
		expect(junk.query).toMatchObject({ status: 'open', sort: 'newest', area: null });
	});

	/**
	 * A page as SvelteKit renders it (the estate layout's load, then the page's, page data over
	 * layout data), recording the SQL functions it calls as the user.
	 */
	async function render(url: string, routeId: string, pageLoad: (e: never) => unknown) {
		// Every trip to the database: calls as the user by function name, the server's own statements
		// (the session and the user's context, in one) by their text.
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
			const x = await request({ url, as: 'resident@demo.linyi.org' }, async (ev) => {
				const e = { ...ev, route: { id: routeId } };
				const [layout, page] = await Promise.all([estateLayout.load(e as never), pageLoad(e as never)]);
				return { ...(layout as object), ...(page as object) };
			});
			return { data: expectData(x), calls };
		} finally {
			rt.backend.call = real;
			rt.sql.query = realQuery;
		}
	}

	it('renders with one statement for the session and its context and one call for the board, its header included, whatever the number of rows', async () => {
		// Each render looks its session up afresh, as a first visit does (reuse is tested in auth.test.ts).
		rt.auth.forgetSessions?.();
		const full = await render(`/estates/${JINYUAN}/issues`, '/estates/[id=uuid]/issues', board.load);
		const session = 'select auth.local_session_context($1) as me';
		expect(full.calls).toEqual([session, 'issue_board']);
		expect(full.data.board.issues.length).toBeGreaterThan(1);
		expect(full.data.home.estate).toEqual({ id: JINYUAN, name: expect.any(String) });
		const areas = (kind: string) =>
			rt.sql.query<{ id: string; name: string }>(`select id::text, name from public.areas where estate_id = $1 and kind = $2 order by name`, [JINYUAN, kind]);
		// The filter's choices, and nothing more of them (no outlines, no kinds or parents): the page's data is serialized into it.
		expect(full.data.home.areas).toEqual({ courtyards: await areas('courtyard'), buildings: await areas('building') });
		rt.auth.forgetSessions?.();
		const one = await render(`/estates/${JINYUAN}/issues?q=${encodeURIComponent('东苑充电车棚漏雨')}`, '/estates/[id=uuid]/issues', board.load);
		expect(one.data.board.issues).toHaveLength(1);
		expect(one.calls).toEqual(full.calls);
		// The other pages under the estate still get the full estate home from the layout.
		rt.auth.forgetSessions?.();
		const other = await render(`/estates/${JINYUAN}/issues/new`, '/estates/[id=uuid]/issues/new', propose.load as never);
		expect(other.calls.sort()).toEqual(['estate_home', session].sort());
		expect(other.data.home.areas[0]).toHaveProperty('geometry');
	});

	it('renders the issue page with one statement for the session and one call for the issue, with 10 comments as with 200', async () => {
		const session = 'select auth.local_session_context($1) as me';
		const [{ id: author }] = await rt.sql.query<{ id: string }>(`select id from auth.users where email = 'owner@demo.linyi.org'`);
		/** An issue with `n` comments: every fifth a reply to the one before it, as discussions go. */
		const discussed = async (n: number) => {
			const id = await newIssue(`讨论了 ${n} 条的议题`);
			await rt.sql.query(
				`insert into public.comments (issue_id, author_id, stance, body, created_at)
				 select $1, $2, 'suggestion', '意见' || g, now() - make_interval(secs => 1000 - g) from generate_series(1, $3::int) g`,
				[id, author, n]
			);
			await rt.sql.query(
				`insert into public.comments (issue_id, parent_id, author_id, stance, body)
				 select c.issue_id, c.id, $2, 'support', '同意' from public.comments c
				 where c.issue_id = $1 and c.parent_id is null and right(c.body, 1) = '5'`,
				[id, author]
			);
			return id;
		};
		const page = async (id: string) => {
			rt.auth.forgetSessions?.();
			return render(`/estates/${JINYUAN}/issues/${id}`, '/estates/[id=uuid]/issues/[issueId=uuid]', (e: never) =>
				issuePage.load({ ...(e as object), params: { id: JINYUAN, issueId: id } } as never)
			);
		};
		const few = await page(await discussed(10));
		const many = await page(await discussed(200));
		// The issue brings its estate's map frame itself: no estate_home (every outline, the member numbers).
		expect(few.calls.sort()).toEqual(['issue_detail', session].sort());
		expect(many.calls.sort()).toEqual(few.calls);
		const threads = (x: typeof few) => x.data.detail.comments.comments.filter((c: { parent_id?: string }) => !c.parent_id).length;
		expect(threads(few)).toBe(10);
		expect(threads(many)).toBe(50);
		expect(many.data.detail.comments.more_after).not.toBeNull();
		expect(many.data.detail.estate).toMatchObject({ id: JINYUAN, center: expect.any(Array), zoom: expect.any(Number) });
		// The page's data (serialized into the HTML) carries no empty fields, and the photos once (as links).
		expect(many.data.detail.comments.comments[0]).not.toHaveProperty('edited_at');
		expect(many.data.detail.comments.comments[0]).not.toHaveProperty('parent_id');
		expect(many.data.detail).not.toHaveProperty('photos');
	});

	it('sends the public to sign in on a closed board, and shows an open one', async () => {
		expectRedirect(await request({ url: `/estates/${CAILIAN}/issues` }, board.load), /^\/auth\/sign-in/);
		await rt.sql.query('update public.estates set board_public = true where id = $1', [CAILIAN]);
		expectData(await request({ url: `/estates/${CAILIAN}/issues` }, board.load));
		await rt.sql.query('update public.estates set board_public = false where id = $1', [CAILIAN]);
	});
});

describe('issue page', () => {
	const at = (id: string, action = '') => ({ url: `/estates/${JINYUAN}/issues/${id}${action}`, params: { id: JINYUAN, issueId: id } });

	it('gives a map pin its popup: title, status, category, area and supports only', async () => {
		const id = await newIssue('东苑路灯闪烁');
		const get = (estateId: string, as: DemoEmail | 'anon' = 'resident@demo.linyi.org') =>
			request({ url: `/estates/${estateId}/issues/${id}/summary`, params: { id: estateId, issueId: id }, as }, summary.GET);
		const res = expectData(await get(JINYUAN)) as Response;
		expect(await res.json()).toEqual({ id, title: '东苑路灯闪烁', status: 'proposed', category: 'facilities', area: '西苑', support_count: 0 });
		expectHttpError(await get(CAILIAN), 404, 'errors.issue_not_found');
		expectHttpError(await get(JINYUAN, 'applicant1@demo.linyi.org'), 404, 'errors.issue_not_found');
		expectHttpError(await get(JINYUAN, 'anon'), 404, 'errors.issue_not_found');
	});

	it('is 404 for an unknown issue or one of another estate', async () => {
		expectHttpError(await request({ ...at('5eed0000-0000-4000-8000-00000000eeee'), as: 'resident@demo.linyi.org' }, issuePage.load), 404, 'errors.issue_not_found');
		const id = await newIssue('另一个小区的链接');
		expectHttpError(await request({ url: `/estates/${CAILIAN}/issues/${id}`, params: { id: CAILIAN, issueId: id }, as: 'committee@demo.linyi.org' }, issuePage.load), 404);
	});

	it('supports once; a second support is refused with a message and changes nothing', async () => {
		const id = await newIssue('南苑的健身器材坏了');
		expectRedirect(await request({ ...at(id, '?/support'), method: 'POST', as: 'owner@demo.linyi.org', form: {} }, issuePage.actions.support), `/estates/${JINYUAN}/issues/${id}`);
		const again = await expectNoWrite(() => request({ ...at(id, '?/support'), method: 'POST', as: 'owner@demo.linyi.org', form: {} }, issuePage.actions.support));
		expect(again.outcome).toMatchObject({ kind: 'failure', status: 409, data: { message: 'errors.already_supported' } });
		expect(await count('public.issue_supports', 'issue_id = $1', [id])).toBe(1);
	});

	it('takes comments with a stance, refuses bad ones beside the field, and keeps script as text', async () => {
		const id = await newIssue('西苑垃圾桶不够');
		const c = (form: Record<string, string>, as: DemoEmail = 'owner@demo.linyi.org') =>
			request({ ...at(id, '?/comment'), method: 'POST', as, form }, issuePage.actions.comment);
		expectRedirect(await c({ stance: 'support', body: '<img src=x onerror=alert(1)> 同意' }), `/estates/${JINYUAN}/issues/${id}#discussion`);
		const [{ body }] = await rt.sql.query<{ body: string }>('select body from public.comments where issue_id = $1', [id]);
		expect(body).toBe('<img src=x onerror=alert(1)> 同意');
		expectFailure(await expectNoWrite(() => c({ stance: 'angry', body: 'x' })), 400, { stance: 'errors.invalid_choice' });
		expectFailure(await expectNoWrite(() => c({ stance: 'support', body: '' })), 400, { body: 'errors.required' });
		expectFailure(await expectNoWrite(() => c({ stance: 'support', body: '字'.repeat(2001) })), 400, { body: 'errors.too_long' });
		// A pending applicant cannot even see a closed board's issue.
		expectFailure(await expectNoWrite(() => c({ stance: 'support', body: 'x' }, 'applicant1@demo.linyi.org')), 404);
	});

	it('refuses reporting one’s own comment, and lets only moderators hide', async () => {
		const id = await newIssue('东苑有人乱停车');
		await request({ ...at(id, '?/comment'), method: 'POST', as: 'owner@demo.linyi.org', form: { stance: 'oppose', body: '吵死了' } }, issuePage.actions.comment);
		const [{ id: commentId }] = await rt.sql.query<{ id: string }>('select id from public.comments where issue_id = $1', [id]);
		const report = (as: DemoEmail) => request({ ...at(id, '?/report'), method: 'POST', as, form: { comment_id: commentId, reason: '不文明' } }, issuePage.actions.report);
		expectFailure(await expectNoWrite(() => report('owner@demo.linyi.org')), 400);
		expect(expectData(await report('resident@demo.linyi.org')).message).toBe('discussion.reported');
		const hide = (as: DemoEmail) =>
			request({ ...at(id, '?/moderate'), method: 'POST', as, form: { comment_id: commentId, hide: 'true', reason: '请文明发言' } }, issuePage.actions.moderate);
		expectFailure(await expectNoWrite(() => hide('resident@demo.linyi.org')), 404);
		expectRedirect(await hide('moderator@demo.linyi.org'), /#discussion$/);
		const [{ state }] = await rt.sql.query<{ state: string }>('select state from public.comments where id = $1', [commentId]);
		expect(state).toBe('hidden');
	});

	it('lets the committee accept, and refuses a resident or a reasonless decline', async () => {
		const id = await newIssue('南苑需要加装电梯');
		const act = (as: DemoEmail, form: Record<string, string>) => request({ ...at(id, '?/transition'), method: 'POST', as, form }, issuePage.actions.transition);
		expectFailure(await expectNoWrite(() => act('resident@demo.linyi.org', { action: 'accept' })), 403);
		expectFailure(await expectNoWrite(() => act('committee@demo.linyi.org', { action: 'decline', reason: '' })), 400, { reason: 'errors.reason_required' });
		expectFailure(await expectNoWrite(() => act('committee@demo.linyi.org', { action: 'fly' })), 400, { action: 'errors.transition_not_allowed' });
		expectRedirect(await act('committee@demo.linyi.org', { action: 'accept' }), /#timeline$/);
		const page = expectData(await request({ ...at(id), as: 'resident@demo.linyi.org' }, issuePage.load));
		expect(page.detail.issue.status).toBe('accepted');
		expect(page.detail.timeline.map((e: { kind: string; action: string | null }) => e.action ?? e.kind)).toEqual(['proposed', 'accept']);
	});
});

describe('editing and deleting comments', () => {
	const at = (id: string, action: string) => ({ url: `/estates/${JINYUAN}/issues/${id}${action}`, params: { id: JINYUAN, issueId: id } });
	let issue: string;
	beforeAll(async () => {
		issue = await newIssue('南苑的路灯太暗');
	});
	/** A comment by `as` on the issue, straight through the comment action; returns its id. */
	async function commentBy(as: DemoEmail, body = '原来的话') {
		expectRedirect(await request({ ...at(issue, '?/comment'), method: 'POST', as, form: { stance: 'suggestion', body } }, issuePage.actions.comment), /#discussion$/);
		const [{ id }] = await rt.sql.query<{ id: string }>('select id from public.comments where issue_id = $1 and body = $2 order by created_at desc limit 1', [issue, body]);
		return id;
	}
	const edit = (as: DemoEmail, form: Record<string, string>) => request({ ...at(issue, '?/edit_comment'), method: 'POST', as, form }, issuePage.actions.edit_comment);
	const remove = (as: DemoEmail, commentId: string) =>
		request({ ...at(issue, '?/delete_comment'), method: 'POST', as, form: { comment_id: commentId } }, issuePage.actions.delete_comment);
	const row = async (commentId: string) =>
		(await rt.sql.query<{ body: string | null; state: string; edited: boolean }>('select body, state, edited_at is not null as edited from public.comments where id = $1', [commentId]))[0];

	it('edits one’s own comment within 15 minutes, keeping the earlier text', async () => {
		const c = await commentBy('owner@demo.linyi.org', '第一稿');
		expectRedirect(await edit('owner@demo.linyi.org', { comment_id: c, body: ' 第二稿 ' }), `/estates/${JINYUAN}/issues/${issue}#discussion`);
		expect(await row(c)).toEqual({ body: '第二稿', state: 'visible', edited: true });
		expect(await rt.sql.query('select body from public.comment_revisions where comment_id = $1', [c])).toEqual([{ body: '第一稿' }]);
	});

	it('refuses an edit after 15 minutes, with a message, writing nothing', async () => {
		const c = await commentBy('owner@demo.linyi.org', '太晚了');
		await rt.sql.query(`update public.comments set created_at = now() - interval '16 minutes' where id = $1`, [c]);
		expectFailure(await expectNoWrite(() => edit('owner@demo.linyi.org', { comment_id: c, body: '改不了' })), 400, { _errors: 'errors.edit_window_passed' });
		expect(await row(c)).toMatchObject({ body: '太晚了', edited: false });
	});

	it('refuses to edit someone else’s comment as if it did not exist', async () => {
		const c = await commentBy('owner@demo.linyi.org', '我的话');
		for (const as of ['resident@demo.linyi.org', 'moderator@demo.linyi.org', 'committee@demo.linyi.org'] as const) {
			expectFailure(await expectNoWrite(() => edit(as, { comment_id: c, body: '别人改的' })), 404, { _errors: 'errors.comment_not_found' });
		}
		expect(await row(c)).toMatchObject({ body: '我的话', edited: false });
	});

	it('refuses an empty, blank or oversized body beside the field, and a malformed id', async () => {
		const c = await commentBy('owner@demo.linyi.org', '保持原样');
		expectFailure(await expectNoWrite(() => edit('owner@demo.linyi.org', { comment_id: c, body: '' })), 400, { body: 'errors.required' });
		expectFailure(await expectNoWrite(() => edit('owner@demo.linyi.org', { comment_id: c, body: '   ' })), 400, { body: 'errors.required' });
		expectFailure(await expectNoWrite(() => edit('owner@demo.linyi.org', { comment_id: c, body: '字'.repeat(2001) })), 400, { body: 'errors.too_long' });
		expectFailure(await expectNoWrite(() => edit('owner@demo.linyi.org', { comment_id: 'not-a-uuid', body: '改' })), 400, { comment_id: 'errors.invalid_choice' });
		expect(await row(c)).toMatchObject({ body: '保持原样', edited: false });
	});

	it('sends the public to sign in rather than edit', async () => {
		const c = await commentBy('owner@demo.linyi.org', '匿名改不了');
		expectRedirect(await expectNoWrite(() => request({ ...at(issue, '?/edit_comment'), method: 'POST', form: { comment_id: c, body: '改' } }, issuePage.actions.edit_comment)), /^\/auth\/sign-in/);
	});

	it('deletes one’s own comment: its text goes, its place stays, and it leaves the count', async () => {
		const c = await commentBy('owner@demo.linyi.org', '说错了');
		const before = await count('public.comments', 'issue_id = $1', [issue]);
		const [{ n: shownBefore }] = await rt.sql.query<{ n: number }>('select comment_count as n from public.issues where id = $1', [issue]);
		expectRedirect(await remove('owner@demo.linyi.org', c), `/estates/${JINYUAN}/issues/${issue}#discussion`);
		expect(await row(c)).toMatchObject({ body: null, state: 'deleted' });
		expect(await count('public.comments', 'issue_id = $1', [issue])).toBe(before);
		expect(await rt.sql.query('select comment_count as n from public.issues where id = $1', [issue])).toEqual([{ n: shownBefore - 1 }]);
		// Deleting it again finds nothing to delete.
		const again = await expectNoWrite(() => remove('owner@demo.linyi.org', c));
		expect(again.outcome).toMatchObject({ kind: 'failure', status: 404, data: { message: 'errors.comment_not_found' } });
	});

	it('refuses to delete someone else’s comment, moderators included, with a message', async () => {
		const c = await commentBy('owner@demo.linyi.org', '别删我');
		for (const as of ['resident@demo.linyi.org', 'moderator@demo.linyi.org', 'committee@demo.linyi.org'] as const) {
			const x = await expectNoWrite(() => remove(as, c));
			expect(x.outcome, as).toMatchObject({ kind: 'failure', status: 404, data: { message: 'errors.comment_not_found' } });
		}
		expect(await row(c)).toMatchObject({ body: '别删我', state: 'visible' });
	});
});

describe('issue settings and notifications', () => {
	it('lets the committee lower the threshold; reaching it notifies the committee, who find it in their notifications', async () => {
		const settings = await import('../../src/routes/estates/[id=uuid]/manage/settings/+page.server');
		const notifications = await import('../../src/routes/me/notifications/+page.server');
		const SETTINGS = `/estates/${JINYUAN}/manage/settings`;
		expectHttpError(await request({ url: SETTINGS, as: 'resident@demo.linyi.org' }, settings.load), 403, 'errors.forbidden');
		expect(expectData(await request({ url: SETTINGS, as: 'committee@demo.linyi.org' }, settings.load)).form.data).toEqual({ board_public: false, support_threshold: 10 });
		expectFailure(
			await expectNoWrite(() => request({ url: SETTINGS, method: 'POST', as: 'committee@demo.linyi.org', form: { support_threshold: '0' } }, settings.actions.default)),
			400,
			{ support_threshold: 'errors.out_of_range' }
		);
		expect(expectData(await request({ url: SETTINGS, method: 'POST', as: 'committee@demo.linyi.org', form: { support_threshold: '1' } }, settings.actions.default)).saved).toBe(true);

		const id = await newIssue('西苑路面积水');
		await request({ url: `/estates/${JINYUAN}/issues/${id}?/support`, params: { id: JINYUAN, issueId: id }, method: 'POST', as: 'owner@demo.linyi.org', form: {} }, issuePage.actions.support);
		const inbox = expectData(await request({ url: '/me/notifications', as: 'committee@demo.linyi.org' }, notifications.load));
		expect(inbox.notifications.items[0]).toMatchObject({ kind: 'threshold_reached', issue_id: id, read: false });
		expectRedirect(await request({ url: '/me/notifications?/read', method: 'POST', as: 'committee@demo.linyi.org', form: {} }, notifications.actions.read), '/me/notifications');
		expect(expectData(await request({ url: '/me/notifications', as: 'committee@demo.linyi.org' }, notifications.load)).notifications.unread).toBe(0);
	});
});

describe('the similar-issue step keeps the photos', () => {
	it('holds the photo of the first submit, shows it again, and raises the issue with it once confirmed', async () => {
		const form = { title: '西苑花坛的护栏倒了', category: 'facilities', area_id: xiyuan, body: '护栏倒在路上。' };
		await newIssue('西苑花坛护栏倒了一片', 'owner@demo.linyi.org');
		const first = expectData(await post({ ...form, photos: [await jpegWithGps()] }));
		expect(first.similar.map((s: { title: string }) => s.title)).toContain('西苑花坛护栏倒了一片');
		// Everything comes back: the text and area in the form, the photo as a held token with its thumbnail.
		expect(first.form.data).toMatchObject({ title: form.title, area_id: xiyuan, body: form.body, photos: [] });
		expect(first.form.data.held).toHaveLength(1);
		expect(first.held).toEqual([{ token: first.form.data.held[0], thumbUrl: expect.stringMatching(/^\/uploads\/issues\/[0-9a-f-]{36}_thumb\.jpg$/), width: 1600, height: 800 }]);
		expect(await count('public.pending_photos')).toBe(1);

		// Someone else naming the token gets nothing of it.
		expectRedirect(await post({ ...form, title: '西苑花坛护栏又倒了', held: first.form.data.held, confirm_new: 'true' }, 'committee@demo.linyi.org'), /\/issues\/[0-9a-f-]{36}$/);
		expect(await count('public.pending_photos')).toBe(1);

		const second = await post({ ...form, held: first.form.data.held, confirm_new: 'true' });
		expectRedirect(second, /\/issues\/[0-9a-f-]{36}$/);
		const id = (second.outcome as { location: string }).location.split('/').pop();
		expect(await count('public.issue_photos', 'issue_id = $1', [id])).toBe(1);
		expect(await count('public.pending_photos')).toBe(0);
	});

	it('keeps the held photos when the form is sent back for a mistake, and refuses a seventh beside the field', async () => {
		const sent = await post({ ...good({ title: '' }), photos: [await jpegWithGps()] });
		expectFailure(sent, 400, { title: 'errors.required' });
		const one = (sent.outcome as { data: { form: { data: { held: string[] } }; held: unknown[] } }).data;
		expect(one.held).toHaveLength(1);
		const six = Array.from({ length: 6 }, () => jpegWithGps());
		const more = await post({ ...good({ title: '' }), held: one.form.data.held, photos: await Promise.all(six) });
		expectFailure(more, 400, { photos: 'errors.photos_too_many' });
		expect((more.outcome as { data: { held: unknown[] } }).data.held).toHaveLength(1);
	});
});

describe('the sweep of held photos', () => {
	it('removes the files of photos nobody came back for in a day, and keeps the others', async () => {
		const { sweepHeldPhotos, sqlService } = await import('../../src/lib/server/runtime');
		const storage = rt.storage as unknown as { read(p: string): Promise<Buffer | null> };
		const stale = expectFailure(await post({ ...good({ title: '' }), photos: [await jpegWithGps()] }), 400);
		const fresh = expectFailure(await post({ ...good({ title: '' }), photos: [await jpegWithGps()] }), 400);
		const pathOf = async (token: string) => (await rt.sql.query<{ path: string; thumb_path: string }>('select path, thumb_path from public.pending_photos where id = $1', [token]))[0];
		const old = await pathOf(stale.form.data.held[0]);
		const kept = await pathOf(fresh.form.data.held[0]);
		await rt.sql.query(`update public.pending_photos set created_at = now() - interval '25 hours' where id = $1`, [stale.form.data.held[0]]);
		expect(await sweepHeldPhotos(sqlService(rt.sql), rt.storage)).toBe(1);
		expect(await storage.read(old.path)).toBeNull();
		expect(await storage.read(old.thumb_path)).toBeNull();
		expect(await storage.read(kept.path)).not.toBeNull();
		expect(await count('public.pending_photos', 'id = $1', [fresh.form.data.held[0]])).toBe(1);
	});
});

describe('supports and merges', () => {
	const at = (id: string, action = '') => ({ url: `/estates/${JINYUAN}/issues/${id}${action}`, params: { id: JINYUAN, issueId: id } });
	const act = (id: string, as: DemoEmail, form: Record<string, string>) => request({ ...at(id, '?/transition'), method: 'POST', as, form }, issuePage.actions.transition);
	const status = async (id: string) => (await rt.sql.query<{ status: string; merged_into: string | null }>('select status, merged_into from public.issues where id = $1', [id]))[0];

	it("refuses an author's support of their own issue with a message", async () => {
		const id = await newIssue('西苑的垃圾桶满了没人倒');
		const x = await expectNoWrite(() => request({ ...at(id, '?/support'), method: 'POST', as: 'resident@demo.linyi.org', form: {} }, issuePage.actions.support));
		expect(x.outcome).toMatchObject({ kind: 'failure', status: 403, data: { message: 'errors.own_issue_support' } });
	});

	it("merges into the issue whose address is pasted, not into the address's estate", async () => {
		const target = await newIssue('北苑路灯坏了一排');
		const merged = await newIssue('北苑路灯一排都坏了', 'owner@demo.linyi.org');
		const address = `http://localhost:5173/estates/${JINYUAN}/issues/${target}?after=x#timeline`;
		expectRedirect(await act(merged, 'committee@demo.linyi.org', { action: 'merge', merge_address: address }), /#timeline$/);
		expect(await status(merged)).toEqual({ status: 'merged', merged_into: target });
	});

	it('merges into an id typed alone, and says so beside the field when the address names no open issue', async () => {
		const target = await newIssue('北苑单元门锁坏了');
		const merged = await newIssue('北苑单元门锁又坏了', 'owner@demo.linyi.org');
		expectFailure(await expectNoWrite(() => act(merged, 'committee@demo.linyi.org', { action: 'merge', merge_address: `/estates/${JINYUAN}/issues/${merged}` })), 400, { merge_address: 'errors.merge_target_invalid' });
		expectFailure(await expectNoWrite(() => act(merged, 'committee@demo.linyi.org', { action: 'merge', merge_address: '不是网址' })), 400, { merge_address: 'errors.invalid_choice' });
		expectRedirect(await act(merged, 'committee@demo.linyi.org', { action: 'merge', merge_address: ` ${target.toUpperCase()} ` }), /#timeline$/);
		expect(await status(merged)).toEqual({ status: 'merged', merged_into: target });
	});

	it("lets the committee search the estate's open issues for the target and pick one; others get no search", async () => {
		const target = await newIssue('北苑健身器材生锈了');
		const merged = await newIssue('北苑健身器材都生锈了', 'owner@demo.linyi.org');
		const search = (as: DemoEmail) => request({ ...at(merged, `?merge_q=${encodeURIComponent('健身器材')}`), as }, issuePage.load);
		const found = expectData(await search('committee@demo.linyi.org'));
		expect(found.transitionForm.data.action).toBe('merge');
		const ids = found.merge.issues.map((i: { id: string }) => i.id);
		expect(ids).toContain(target);
		expect(ids).not.toContain(merged);
		expect(found.merge.q).toBe('健身器材');
		expect(expectData(await search('resident@demo.linyi.org')).merge).toBeNull();
		expectRedirect(await act(merged, 'committee@demo.linyi.org', { action: 'merge', merge_into: target }), /#timeline$/);
		expect(await status(merged)).toEqual({ status: 'merged', merged_into: target });
	});
});
