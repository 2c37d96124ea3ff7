import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON, type Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { addMembership, createUser, seedWorld, type Person, type World } from './fixtures';

/** moderation_queue: what waits for an estate's moderators, oldest report first, and how it empties. */

interface Item {
	id: string;
	issue_id: string;
	issue_title: string;
	stance: string;
	body: string;
	state: string;
	author: string;
	reports: Array<{ reason: string; at: string }>;
}
interface Queue {
	estate: { id: string; name: string };
	items: Item[];
}

describe.each(DATABASES)('moderation_queue on %s', (name) => {
	let db: TestDb;
	let w: World;
	let issue: string;
	let reporters: string[];
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		reporters = await Promise.all(['甲', '乙', '丙', '丁', '戊', '己'].map((n) => createUser(db, n)));
		for (const u of reporters) await addMembership(db, { estateId: w.a.id, userId: u, status: 'verified' });
		issue = (
			await db.backend.call<{ id: string }>(
				'propose_issue',
				{ p_estate_id: w.a.id, p_area_id: w.a.buildings['1栋'], p_category: 'dogs', p_title: '遛狗请拴绳', p_body: '' },
				as('resident')
			)
		).id;
	});
	afterAll(() => db.close());

	const as = (p: Person): Caller => ({ kind: 'user', userId: w.users[p] });
	const user = (id: string): Caller => ({ kind: 'user', userId: id });
	const queue = (caller: Caller = as('moderator'), estate = w.a.id) => db.backend.call<Queue>('moderation_queue', { p_estate_id: estate }, caller);
	async function comment(body: string, by: Person = 'volunteer') {
		return (await db.backend.call<{ id: string }>('comment_on_issue', { p_issue_id: issue, p_stance: 'oppose', p_body: body }, as(by))).id;
	}
	async function report(c: string, who: string, reason: string) {
		await new Promise((r) => setTimeout(r, 2));
		return db.backend.call<{ state: string }>('report_comment', { p_comment_id: c, p_reason: reason }, user(who));
	}

	it('lists reported comments, hidden or still shown, oldest report first, with the reasons and never the reporters', async () => {
		const quiet = await comment('狗狗很乖的');
		const once = await comment('养狗的都没素质');
		const thrice = await comment('加我微信买狗粮');
		await report(once, reporters[0], '地域攻击');
		for (const [i, reason] of ['广告', '广告', '垃圾信息'].entries()) await report(thrice, reporters[i + 1], reason);
		const q = await queue();
		expect(q.estate).toEqual({ id: w.a.id, name: w.a.name });
		expect(q.items.map((x) => [x.id, x.state])).toEqual([
			[once, 'visible'],
			[thrice, 'reported']
		]);
		expect(q.items.map((x) => x.id)).not.toContain(quiet);
		expect(q.items[1]).toMatchObject({ issue_id: issue, issue_title: '遛狗请拴绳', body: '加我微信买狗粮', author: 'volunteer', stance: 'oppose' });
		expect(q.items[1].reports.map((r) => r.reason)).toEqual(['广告', '广告', '垃圾信息']);
		expect(JSON.stringify(q)).not.toMatch(new RegExp(reporters.join('|')));
		// On the issue page, moderators see how many reports wait on each comment; nobody else does.
		type Page = { comments: Array<{ id: string; reports?: number }> };
		const shown = async (caller: Caller) => (await db.backend.call<Page>('issue_comments', { p_issue_id: issue }, caller)).comments;
		expect((await shown(as('moderator'))).map((c) => [c.id, c.reports])).toEqual([
			[quiet, 0],
			[once, 1],
			[thrice, 3]
		]);
		expect((await shown(as('resident'))).every((c) => !('reports' in c))).toBe(true);
		// The committee and administrators see the same queue.
		expect((await queue(as('committee'))).items).toHaveLength(2);
		expect((await queue(as('admin'))).items).toHaveLength(2);
	});

	it('empties as moderators hide or restore, and a restored comment needs three new reports to hide again', async () => {
		const before = await queue();
		const [once, thrice] = before.items.map((x) => x.id);
		await db.backend.call('moderate_comment', { p_comment_id: once, p_hide: true, p_reason: '请勿攻击他人' }, as('moderator'));
		await db.backend.call('moderate_comment', { p_comment_id: thrice, p_hide: false, p_reason: '已提醒作者' }, as('moderator'));
		expect((await queue()).items).toEqual([]);
		// One new report after the restore: back in the queue, still shown.
		expect(await report(thrice, reporters[4], '还是广告')).toEqual({ state: 'visible' });
		expect((await queue()).items.map((x) => [x.id, x.state, x.reports.map((r) => r.reason)])).toEqual([[thrice, 'visible', ['还是广告']]]);
		expect(await report(thrice, reporters[5], '广告')).toEqual({ state: 'visible' });
		expect(await report(thrice, w.users.resident, '广告')).toEqual({ state: 'reported' });
	});

	it('is for the estate’s moderators and committee only', async () => {
		for (const p of ['resident', 'volunteer', 'otherEstate', 'committeeB', 'nonmember'] as const) {
			await expect(queue(as(p)), p).rejects.toMatchObject({ code: '42501', key: 'errors.forbidden' });
		}
		await expect(queue(ANON)).rejects.toMatchObject({ code: '42501' });
		await expect(queue(as('moderator'), '00000000-0000-4000-8000-00000000dead')).rejects.toMatchObject({ code: 'P0002', key: 'errors.estate_not_found' });
		expect((await queue(as('committeeB'), w.b.id)).items).toEqual([]);
	});
});
