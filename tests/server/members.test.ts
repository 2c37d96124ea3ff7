import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as members from '../../src/routes/estates/[id=uuid]/manage/members/+page.server';
import {
	CAILIAN,
	DEMO,
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
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const PAGE = `/estates/${JINYUAN}/manage/members`;

async function membershipOf(email: DemoEmail, estateId = JINYUAN) {
	const rows = await rt.sql.query<{ id: string; status: string; roles: string[]; reason: string | null; decided_by: string | null }>(
		`select id, status, roles, reason, decided_by from public.memberships where estate_id = $1 and user_id = $2`,
		[estateId, DEMO[email].id]
	);
	return rows[0];
}

async function buildingId(name: string, estateId = JINYUAN) {
	return (await rt.sql.query<{ id: string }>(`select id from public.areas where estate_id = $1 and kind = 'building' and name = $2`, [estateId, name]))[0].id;
}

describe('estates/[id]/manage/members: who may see it', () => {
	it('sends the public to sign in', async () => {
		expectRedirect(await request({ url: PAGE }, members.load), `/auth/sign-in?next=${encodeURIComponent(PAGE)}`);
	});

	it.each(['resident@demo.linyi.org', 'moderator@demo.linyi.org', 'applicant1@demo.linyi.org'] as const)('refuses %s with 403 in the guard', async (as) => {
		const x = await request({ url: PAGE, as }, () => {
			throw new Error('the load must not run');
		});
		expectHttpError(x, 403, 'errors.forbidden');
	});

	it('refuses the committee of another estate', async () => {
		// The committee member of both demo estates is not one of the new estate's; an admin-made estate has no committee.
		const [{ id }] = await rt.sql.query<{ id: string }>(
			`insert into public.estates (community_id, name, map_mode, plan_width, plan_height) values ($1, '测试小区', 'site_plan', 500, 500) returning id`,
			['5eed0000-0000-4000-8000-000000000001']
		);
		expectHttpError(await request({ url: `/estates/${id}/manage/members`, as: 'committee@demo.linyi.org' }, members.load), 403, 'errors.forbidden');
	});

	it('shows the committee the queue, the members and what it may grant', async () => {
		const data = expectData(await request({ url: PAGE, as: 'committee@demo.linyi.org' }, members.load));
		expect(data.members.pending.map((p: { name: string }) => p.name)).toEqual(['陈奶奶', '吴女士', '黄先生']);
		expect(data.members.pending[2]).toMatchObject({ unit: null, unit_note: '3栋 1单元 701' });
		// The seven demo accounts and the 22 neighbours of the 晋邻 volunteer team.
		expect(data.members.members).toHaveLength(29);
		expect(data.members.units).toBe(296);
		expect(data.members.can_grant).toEqual(['owner', 'volunteer', 'moderator']);
		expect(data.buildings).toHaveLength(12);
	});

	it('lets the committee in when the estate id in the address is in capitals', async () => {
		expectData(await request({ url: `/estates/${JINYUAN.toUpperCase()}/manage/members`, as: 'committee@demo.linyi.org' }, members.load));
	});

	it('lets the administrator grant every role', async () => {
		const data = expectData(await request({ url: PAGE, as: 'admin@demo.linyi.org' }, members.load));
		expect(data.members.can_grant).toEqual(['owner', 'volunteer', 'moderator', 'committee', 'party_member']);
	});

	it('checks again in the action, not only in the guard', async () => {
		// Reached through a path the guard does not cover, the action still refuses a resident.
		const m = await membershipOf('applicant1@demo.linyi.org');
		const x = await expectNoWrite(() =>
			request(
				{ url: '/elsewhere', params: { id: JINYUAN }, as: 'resident@demo.linyi.org', form: { membership_id: m.id, verify: 'true' } },
				members.actions.decide
			)
		);
		expectHttpError(x, 403, 'errors.forbidden');
		expect((await membershipOf('applicant1@demo.linyi.org')).status).toBe('pending');
	});
});

describe('estates/[id]/manage/members?/decide', () => {
	const decide = (form: Record<string, string>, as: DemoEmail = 'committee@demo.linyi.org') =>
		request({ url: `${PAGE}?/decide`, as, form }, members.actions.decide);

	it('verifies a pending request', async () => {
		const m = await membershipOf('applicant1@demo.linyi.org');
		expectData(await decide({ membership_id: m.id, verify: 'true' }));
		expect(await membershipOf('applicant1@demo.linyi.org')).toMatchObject({ status: 'verified', roles: [], decided_by: DEMO['committee@demo.linyi.org'].id });
	});

	it('refuses a rejection without a reason, beside the reason', async () => {
		const m = await membershipOf('applicant2@demo.linyi.org');
		const x = await expectNoWrite(() => decide({ membership_id: m.id, verify: 'false', reason: '  ' }));
		expectFailure(x, 400, { reason: 'errors.reason_required' });
	});

	it('rejects with a reason', async () => {
		const m = await membershipOf('applicant2@demo.linyi.org');
		expectData(await decide({ membership_id: m.id, verify: 'false', reason: '房号与登记不符，请到居委会核对' }));
		expect(await membershipOf('applicant2@demo.linyi.org')).toMatchObject({ status: 'rejected', reason: '房号与登记不符，请到居委会核对' });
	});

	it('refuses to decide a request twice', async () => {
		const m = await membershipOf('applicant1@demo.linyi.org');
		const x = await expectNoWrite(() => decide({ membership_id: m.id, verify: 'false', reason: '改主意' }));
		expectFailure(x, 400, { _errors: 'errors.membership_not_pending' });
	});

	it('refuses an unknown membership and a non-uuid', async () => {
		expectFailure(await expectNoWrite(() => decide({ membership_id: '5eed0000-0000-4000-8000-00000000dead', verify: 'true' })), 404, {
			_errors: 'errors.membership_not_found'
		});
		expectFailure(await expectNoWrite(() => decide({ membership_id: 'x', verify: 'true' })), 400, { membership_id: 'errors.invalid_choice' });
	});
});

describe('estates/[id]/manage/members?/roles', () => {
	const roles = (form: Record<string, string | string[]>, as: DemoEmail = 'committee@demo.linyi.org') =>
		request({ url: `${PAGE}?/roles`, as, form }, members.actions.roles);

	it('lets the committee grant moderator and volunteer', async () => {
		const m = await membershipOf('resident@demo.linyi.org');
		expectData(await roles({ membership_id: m.id, roles: ['volunteer', 'moderator'] }));
		expect((await membershipOf('resident@demo.linyi.org')).roles).toEqual(['moderator', 'volunteer']);
	});

	it('refuses the committee granting committee with 403 beside the roles', async () => {
		const m = await membershipOf('resident@demo.linyi.org');
		const x = await expectNoWrite(() => roles({ membership_id: m.id, roles: ['committee'] }));
		expectFailure(x, 403, { roles: 'errors.role_not_grantable' });
	});

	it('refuses the committee taking the party member role away', async () => {
		const m = await membershipOf('party@demo.linyi.org');
		expectFailure(await expectNoWrite(() => roles({ membership_id: m.id, roles: [] })), 403, { roles: 'errors.role_not_grantable' });
	});

	it('refuses the committee changing its own roles', async () => {
		const m = await membershipOf('committee@demo.linyi.org');
		expectFailure(await expectNoWrite(() => roles({ membership_id: m.id, roles: ['committee', 'volunteer'] })), 403, { roles: 'errors.role_not_grantable' });
	});

	it('refuses an unknown role', async () => {
		const m = await membershipOf('resident@demo.linyi.org');
		const x = await expectNoWrite(() => roles({ membership_id: m.id, roles: ['mayor'] }));
		const data = expectFailure(x, 400);
		expect(JSON.stringify(data.form.errors.roles)).toContain('errors.role_unknown');
	});

	it('lets the administrator grant committee', async () => {
		const m = await membershipOf('owner@demo.linyi.org');
		expectData(await roles({ membership_id: m.id, roles: ['owner', 'committee'] }, 'admin@demo.linyi.org'));
		expect((await membershipOf('owner@demo.linyi.org')).roles).toEqual(['committee', 'owner']);
	});
});

describe('estates/[id]/manage/members?/assisted', () => {
	const assisted = (form: Record<string, string>, as: DemoEmail = 'committee@demo.linyi.org', estateId = JINYUAN) =>
		request({ url: `/estates/${estateId}/manage/members?/assisted`, as, form }, members.actions.assisted);

	it('creates an account and enrols it in the unit, showing the setup code once', async () => {
		const users = await count('auth.users');
		const x = await assisted({ display_name: '沈阿婆', building_id: await buildingId('5栋'), entrance: '', room: '1101' });
		const data = expectData(x);
		expect(data.assisted).toEqual({ name: '沈阿婆', loginId: expect.stringMatching(/^L/), setupCode: expect.stringMatching(/^\w{4}-\w{4}-\w{4}$/) });
		expect(await count('auth.users')).toBe(users + 1);
		const [m] = await rt.sql.query<{ status: string; unit: string; display_name: string }>(
			`select m.status, private.unit_label(m.unit_id) as unit, p.display_name from public.memberships m
			 join public.profiles p on p.id = m.user_id join auth.users u on u.id = m.user_id
			 where u.raw_app_meta_data ->> 'login_id' = $1`,
			[data.assisted.loginId]
		);
		expect(m).toEqual({ status: 'verified', unit: '5栋 1101', display_name: '沈阿婆' });
	});

	it('refuses a room missing from the register beside the room, creating no account', async () => {
		const x = await expectNoWrite(async () => assisted({ display_name: '沈阿婆', building_id: await buildingId('5栋'), entrance: '', room: '1201A' }));
		expectFailure(x, 400, { room: 'errors.unit_not_found' });
	});

	it('refuses a building of another estate beside the room, creating no account', async () => {
		const x = await expectNoWrite(async () => assisted({ display_name: '沈阿婆', building_id: await buildingId('1幢', CAILIAN), entrance: '1', room: '101' }));
		expectFailure(x, 400, { room: 'errors.unit_not_found' });
	});

	it('refuses an empty name and a missing room beside the fields', async () => {
		const x = await expectNoWrite(async () => assisted({ display_name: '', building_id: await buildingId('5栋'), room: '' }));
		expectFailure(x, 400, { display_name: 'errors.required', room: 'errors.required' });
	});

	it('refuses a resident, creating no account', async () => {
		const x = await expectNoWrite(async () => assisted({ display_name: '冒名', building_id: await buildingId('5栋'), room: '101' }, 'resident@demo.linyi.org'));
		expectHttpError(x, 403, 'errors.forbidden');
	});
});

describe('estates/[id]/manage/members?/owner', () => {
	const link = (form: Record<string, string>, as: DemoEmail = 'committee@demo.linyi.org') =>
		request({ url: `${PAGE}?/owner`, as, form }, members.actions.owner);
	const ownersOf = async (room: string, building: string) =>
		rt.sql.query<{ id: string; name: string; user_id: string | null }>(
			`select o.id, o.name, o.user_id from public.owners o join public.unit_owners uo on uo.owner_id = o.id
			 join public.units u on u.id = uo.unit_id join public.areas a on a.id = u.building_id
			 where a.estate_id = $1 and a.name = $2 and u.room = $3`,
			[JINYUAN, building, room]
		);

	it('shows each member the owners the register names for their flat, and links one after the papers are checked', async () => {
		const m = await membershipOf('resident@demo.linyi.org');
		const [owner] = await ownersOf('602', '5栋');
		const page = expectData(await request({ url: PAGE, as: 'committee@demo.linyi.org' }, members.load));
		const row = page.members.members.find((x: { id: string }) => x.id === m.id);
		expect(row).toMatchObject({ owner: null, unit_owners: [{ id: owner.id, name: owner.name, taken: false }] });
		expect(expectData(await link({ membership_id: m.id, owner_id: owner.id })).linked).toBe(m.id);
		expect((await ownersOf('602', '5栋'))[0].user_id).toBe(DEMO['resident@demo.linyi.org'].id);
		expect((await membershipOf('resident@demo.linyi.org')).roles).toContain('owner');
		// Unlinking (the empty choice) takes it back.
		expectData(await link({ membership_id: m.id, owner_id: '' }));
		expect((await ownersOf('602', '5栋'))[0].user_id).toBeNull();
	});

	it('refuses a made-up owner, an owner linked to someone else and a non-committee caller, writing nothing', async () => {
		const m = await membershipOf('resident@demo.linyi.org');
		expectFailure(await expectNoWrite(() => link({ membership_id: m.id, owner_id: 'nope' })), 400, { owner_id: 'errors.invalid_choice' });
		expectFailure(await expectNoWrite(() => link({ membership_id: m.id, owner_id: '00000000-0000-4000-8000-00000000dead' })), 400, {
			owner_id: 'errors.owner_not_found'
		});
		const [taken] = await ownersOf('301', '1栋');
		expectFailure(await expectNoWrite(() => link({ membership_id: m.id, owner_id: taken.id })), 400, { owner_id: 'errors.owner_already_linked' });
		expectHttpError(await expectNoWrite(() => link({ membership_id: m.id, owner_id: taken.id }, 'resident@demo.linyi.org')), 403);
	});
});
