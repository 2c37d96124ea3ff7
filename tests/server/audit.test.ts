import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as audit from '../../src/routes/estates/[id=uuid]/manage/audit/+page.server';
import * as units from '../../src/routes/estates/[id=uuid]/manage/units/+page.server';
import { DEMO, JINYUAN, expectData, expectFailure, expectHttpError, expectNoWrite, file, openTestRuntime, request, type TestRuntime } from './harness';

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const PAGE = `/estates/${JINYUAN}/manage/audit`;

describe('estates/[id]/manage/audit (load)', () => {
	it('shows the committee the estate’s audit log a page at a time, newest first', async () => {
		const data = expectData(await request({ url: PAGE, as: 'committee@demo.linyi.org' }, audit.load));
		expect(data.before).toBeNull();
		// The demo seed's own register alone is more than a page.
		expect(data.log.entries).toHaveLength(50);
		const ids = data.log.entries.map((e: { id: number }) => e.id);
		expect([...ids].sort((a, b) => b - a)).toEqual(ids);
		expect(data.log.next_before).toBe(ids[49]);
		const older = expectData(await request({ url: `${PAGE}?before=${data.log.next_before}`, as: 'committee@demo.linyi.org' }, audit.load));
		expect(older.log.entries.every((e: { id: number }) => e.id < data.log.next_before)).toBe(true);
	});

	it('reads a nonsense cursor as the newest page', async () => {
		for (const before of ['abc', '-1', '0', '1e9', '99999999999999999999']) {
			const data = expectData(await request({ url: `${PAGE}?before=${before}`, as: 'committee@demo.linyi.org' }, audit.load));
			expect([before, data.before]).toEqual([before, null]);
		}
	});

	it('is the committee’s and the administrators’ only', async () => {
		expectData(await request({ url: PAGE, as: 'admin@demo.linyi.org' }, audit.load));
		for (const as of ['resident@demo.linyi.org', 'moderator@demo.linyi.org', 'owner@demo.linyi.org'] as const) {
			expectHttpError(await request({ url: PAGE, as }, audit.load), 403, 'errors.forbidden');
		}
	});

	it('records a committee member’s change with their name, before and after', async () => {
		const csv = file('楼栋,单元,房号,建筑面积,业主,开发商持有\n15栋,,201,99.99,钱八,否\n', 'units.csv', 'text/csv');
		const before = await rt.sql.query<{ owners: string }>(
			`select string_agg(o.name, ';' order by o.name) as owners from public.unit_owners uo join public.owners o on o.id = uo.owner_id
			 join public.units u on u.id = uo.unit_id join public.areas a on a.id = u.building_id where a.name = '15栋' and u.room = '201' and u.estate_id = $1`,
			[JINYUAN]
		);
		expectData(await request({ url: `/estates/${JINYUAN}/manage/units?/import`, as: 'committee@demo.linyi.org', form: { file: csv } }, units.actions.import));
		const data = expectData(await request({ url: PAGE, as: 'committee@demo.linyi.org' }, audit.load));
		const changed = data.log.entries.find((e: { action: string; label: string }) => e.action === 'unit.changed' && e.label === '15栋 201');
		expect(changed).toMatchObject({ actor: '居委会 周主任', after: { floor_area: 99.99 }, during_vote: false });
		expect(before[0].owners).not.toBe('钱八');
		const owners = data.log.entries.filter((e: { action: string; label: string }) => e.action.startsWith('unit_owner.') && e.label === '15栋 201');
		expect(owners.some((e: { after: { owner?: string } | null }) => e.after?.owner === '钱八')).toBe(true);
	});
});

describe('the unit register while an owners’ vote is open', () => {
	it('answers an import that would change a home in the vote with a 400 and its reason, and writes nothing', async () => {
		const [{ id: building }] = await rt.sql.query<{ id: string }>(`select id::text from public.areas where estate_id = $1 and name = '15栋'`, [JINYUAN]);
		const [{ id: issue }] = await rt.sql.query<{ id: string }>(
			`insert into public.issues (estate_id, area_id, author_id, title, category, status) values ($1, $2, $3, '15栋外墙翻新', 'facilities', 'accepted') returning id::text`,
			[JINYUAN, building, DEMO['owner@demo.linyi.org'].id]
		);
		await rt.backend.call(
			'open_vote',
			{ p_issue_id: issue, p_question: '是否同意翻新外墙？', p_kind: 'owners', p_matter: 4, p_scope_area_id: building, p_closes_at: new Date(Date.now() + 7 * 86400_000).toISOString() },
			{ kind: 'user', userId: DEMO['committee@demo.linyi.org'].id }
		);
		const csv = file('楼栋,单元,房号,建筑面积,业主,开发商持有\n15栋,,202,150,钱八,否\n', 'units.csv', 'text/csv');
		const x = await expectNoWrite(() =>
			request({ url: `/estates/${JINYUAN}/manage/units?/import`, as: 'committee@demo.linyi.org', form: { file: csv } }, units.actions.import)
		);
		expectFailure(x, 400, { file: 'errors.register_in_open_vote' });
	});
});
