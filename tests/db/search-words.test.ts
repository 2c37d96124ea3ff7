import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON, type Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedWorld, type World } from './fixtures';

/** The board finds an issue by the everyday words people use for the same thing (search_synonyms). */
describe.each(DATABASES)('search by everyday words on %s', (name) => {
	let db: TestDb;
	let w: World;
	const ids: Record<string, string> = {};
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		const resident: Caller = { kind: 'user', userId: w.users.resident };
		for (const [title, body] of [
			['南苑中心花园增设休息座椅', '老人散步走累了没地方坐。'],
			['3栋旁的充电车棚顶棚漏雨', '下雨天电瓶车都淋湿了。'],
			['东门路灯不亮', ''],
			['小区里遛狗不拴绳', '']
		]) {
			ids[title] = (
				await db.backend.call<{ id: string }>(
					'propose_issue',
					{ p_estate_id: w.a.id, p_area_id: w.a.buildings['1栋'], p_category: 'facilities', p_title: title, p_body: body },
					resident
				)
			).id;
		}
	});
	afterAll(() => db.close());

	const search = async (q: string, caller: Caller = { kind: 'user', userId: w.users.resident }, status: string | null = null) =>
		(await db.backend.call<{ issues: Array<{ title: string }> }>('issue_board', { p_estate_id: w.a.id, p_q: q, p_status: status }, caller)).issues.map((i) => i.title);

	it('finds 座椅 for 长椅 and 椅子, 充电车棚 for 充电桩, and the words inside a longer search', async () => {
		expect(await search('长椅')).toEqual(['南苑中心花园增设休息座椅']);
		expect(await search('椅子')).toEqual(['南苑中心花园增设休息座椅']);
		expect(await search('充电桩')).toEqual(['3栋旁的充电车棚顶棚漏雨']);
		expect(await search('充电棚')).toEqual(['3栋旁的充电车棚顶棚漏雨']);
		expect(await search('休息长椅')).toEqual(['南苑中心花园增设休息座椅']);
		expect(await search('宠物')).toEqual(['小区里遛狗不拴绳']);
		expect(await search('照明')).toEqual(['东门路灯不亮']);
	});

	it('still matches literally: the words as typed, and nothing for words no issue holds', async () => {
		expect(await search('座椅')).toEqual(['南苑中心花园增设休息座椅']);
		expect(await search('漏雨')).toEqual(['3栋旁的充电车棚顶棚漏雨']);
		expect(await search('电梯')).toEqual([]);
		expect(await search('长椅', undefined, 'proposed')).toEqual(['南苑中心花园增设休息座椅']);
		expect(await search('长椅', undefined, 'completed')).toEqual([]);
	});

	it('works for anon on a public board', async () => {
		await db.sql.query('update public.estates set board_public = true where id = $1', [w.a.id]);
		try {
			expect(await search('长椅', ANON)).toEqual(['南苑中心花园增设休息座椅']);
		} finally {
			await db.sql.query('update public.estates set board_public = false where id = $1', [w.a.id]);
		}
	});

	it('says a search in every way the vocabulary knows, the words as typed first', async () => {
		const words = await db.backend.call<string[]>('search_words', { p_q: ' 东门长椅 ' }, ANON);
		expect(words[0]).toBe('东门长椅');
		expect(words).toEqual(expect.arrayContaining(['东门座椅', '东门椅子', '东门凳子']));
		const leak = await db.backend.call<string[]>('search_words', { p_q: '漏水了' }, ANON);
		expect(leak[0]).toBe('漏水了');
		expect([...leak].sort()).toEqual(['漏水了', '渗水了', '漏雨了', '积水了'].sort());
		expect(await db.backend.call('search_words', { p_q: '南门雨棚' }, ANON)).toEqual(['南门雨棚']);
	});
});
