import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as estatePage from '../../src/routes/estates/[id=uuid]/transparency/+page.server';
import { expectData, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * The signed-out transparency page is served from a cache that the database
 * invalidates (transparency_stamps): the same answer while nothing changed,
 * and after every kind of change the page shows, the new page at once.
 */

const XINGUO = '5eed0000-0000-4000-8000-000000006221';
const COMMITTEE = 'committee@demo.linyi.org' as const;

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const page = async (as?: typeof COMMITTEE) => expectData(await request({ url: `/estates/${XINGUO}/transparency`, params: { id: XINGUO }, as }, estatePage.load)).transparency;
const one = async (sql: string) => (await rt.sql.query<{ id: string }>(sql))[0]?.id;

describe('the cached public transparency page', () => {
	it('is kept while nothing changes, and never for a signed-in reader', async () => {
		const first = await page();
		expect(await page()).toBe(first);
		// A support is not on the page: it leaves the page kept.
		const issue = await one(`select id::text from public.issues where estate_id = '${XINGUO}' order by id limit 1`);
		await rt.sql.query('update public.issues set support_count = support_count + 1 where id = $1', [issue]);
		expect(await page()).toBe(first);
		const signedIn = await page(COMMITTEE);
		expect(await page(COMMITTEE)).not.toBe(signedIn);
	});

	it.each([
		['an issue’s title', `update public.issues set title = title || '（已更新）' where id = (select id from public.issues where estate_id = '${XINGUO}' order by id limit 1)`],
		['an issue’s status', `update public.issues set status = 'completed' where id = (select id from public.issues where estate_id = '${XINGUO}' and status = 'in_progress' order by id limit 1)`],
		['a timeline step', `insert into public.issue_events (issue_id, kind, action, reason) select id, 'transition', 'comment', '测试' from public.issues where estate_id = '${XINGUO}' order by id limit 1`],
		['a plan', `insert into public.work_items (issue_id, estate_id, title) select id, estate_id, '计划' from public.issues i where estate_id = '${XINGUO}' and not exists (select 1 from public.work_items w where w.issue_id = i.id) order by id limit 1`],
		['a new issue', `insert into public.issues (estate_id, area_id, author_id, title, body, category, status) select estate_id, area_id, author_id, '新议题', '说明', 'other', 'proposed' from public.issues where estate_id = '${XINGUO}' limit 1`],
		['the estate’s name', `update public.estates set name = name || '·' where id = '${XINGUO}'`],
		['its community’s name', `update public.communities set name = name || '·' where id = (select community_id from public.estates where id = '${XINGUO}')`]
	])('is read afresh after a change to %s', async (_, sql) => {
		const before = await page();
		expect(await page()).toBe(before);
		await rt.sql.query(sql);
		const after = await page();
		expect(after).not.toBe(before);
		// And is what the database answers now, not a copy of the old page.
		const fresh = await rt.backend.call('estate_transparency', { p_estate_id: XINGUO }, { kind: 'anon' });
		expect(JSON.parse(JSON.stringify(after))).toEqual(JSON.parse(JSON.stringify(fresh)));
	});
});
