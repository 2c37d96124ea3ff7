import { describe, expect, it } from 'vitest';
import { decideSchema, estateSchema, joinSchema, signInSchema, signUpSchema, rolesSchema } from '../../src/lib/domain/schemas';
import { issueIdIn, transitionSchema } from '../../src/lib/domain/issues';

const firstError = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
	r.error ? { path: r.error.issues[0].path.join('.'), message: r.error.issues[0].message } : null;

describe('sign-up', () => {
	const good = { display_name: '王阿姨', identifier: '13912345678', password: 'garden-bench-42' };

	it('takes a mainland mobile number or an email', () => {
		expect(signUpSchema.safeParse(good).success).toBe(true);
		expect(signUpSchema.safeParse({ ...good, identifier: 'wang@example.cn' }).success).toBe(true);
	});

	it.each([
		[{ identifier: '' }, 'identifier', 'errors.required'],
		[{ identifier: '1391234567' }, 'identifier', 'errors.identifier_invalid'],
		[{ identifier: '23912345678' }, 'identifier', 'errors.identifier_invalid'],
		[{ identifier: "x'; drop table auth.users; --" }, 'identifier', 'errors.identifier_invalid'],
		[{ password: 'short' }, 'password', 'errors.password_short'],
		[{ password: '12345678' }, 'password', 'errors.password_common'],
		[{ password: 'Password' }, 'password', 'errors.password_common'],
		[{ password: 'x'.repeat(73) }, 'password', 'errors.password_long'],
		// 25 Chinese characters are 75 bytes: bcrypt would silently drop the last one.
		[{ password: '我家住在晋源水岸花苑十五栋一单元一零一室门口有棵树' }, 'password', 'errors.password_long'],
		[{ display_name: '   ' }, 'display_name', 'errors.required'],
		[{ display_name: '名'.repeat(41) }, 'display_name', 'errors.too_long'],
		[{ display_name: 42 }, 'display_name', 'errors.required']
	])('refuses %j with a message key beside the field', (change, path, message) => {
		expect(firstError(signUpSchema.safeParse({ ...good, ...change }))).toEqual({ path, message });
	});

	it('takes a Chinese passphrase up to bcrypt\'s 72 bytes (24 characters)', () => {
		expect(signUpSchema.safeParse({ ...good, password: '我家住在晋源水岸花苑十五栋一单元一零一室门口有棵' }).success).toBe(true);
	});

	it('keeps script in a name as text for the page to escape', () => {
		const r = signUpSchema.parse({ ...good, display_name: '<script>alert(1)</script>' });
		expect(r.display_name).toBe('<script>alert(1)</script>');
	});
});

describe('other forms', () => {
	it('sign-in needs both fields', () => {
		expect(firstError(signInSchema.safeParse({ identifier: 'a', password: '' }))).toEqual({ path: 'password', message: 'errors.required' });
	});

	it('join needs a building id and a room of at most 10 characters', () => {
		expect(firstError(joinSchema.safeParse({ building_id: 'nope', room: '101' }))).toEqual({ path: 'building_id', message: 'errors.invalid_choice' });
		expect(firstError(joinSchema.safeParse({ building_id: crypto.randomUUID(), room: '12345678901' }))).toEqual({ path: 'room', message: 'errors.too_long' });
		expect(joinSchema.parse({ building_id: crypto.randomUUID(), room: ' 501 ' })).toMatchObject({ room: '501', entrance: '', claims_owner: false });
	});

	it('rejecting a request needs a reason; verifying does not', () => {
		const id = crypto.randomUUID();
		expect(decideSchema.safeParse({ membership_id: id, verify: true }).success).toBe(true);
		expect(firstError(decideSchema.safeParse({ membership_id: id, verify: false, reason: ' ' }))).toEqual({ path: 'reason', message: 'errors.reason_required' });
	});

	it('roles must be known roles', () => {
		expect(firstError(rolesSchema.safeParse({ membership_id: crypto.randomUUID(), roles: ['admin'] }))).toMatchObject({ message: 'errors.role_unknown' });
	});

	it('a geographic estate needs a centre and a site plan its size', () => {
		const base = { community_id: crypto.randomUUID(), name: '新村' };
		expect(firstError(estateSchema.safeParse({ ...base, map_mode: 'geographic' }))).toEqual({ path: 'center_lat', message: 'errors.center_required' });
		expect(firstError(estateSchema.safeParse({ ...base, map_mode: 'site_plan' }))).toEqual({ path: 'plan_width', message: 'errors.plan_size_required' });
		expect(firstError(estateSchema.safeParse({ ...base, map_mode: 'geographic', center_lat: 91, center_lng: 120 }))).toEqual({ path: 'center_lat', message: 'errors.out_of_range' });
		expect(estateSchema.safeParse({ ...base, map_mode: 'site_plan', plan_width: 1200, plan_height: 800 }).success).toBe(true);
	});
});

describe('the issue to merge into', () => {
	const ESTATE = '5eed0000-0000-4000-8000-000000000101';
	const ISSUE = '0d9c1a52-7f3e-4c55-9a61-2b7e8f0c4d13';

	it.each([
		[`http://localhost:3000/estates/${ESTATE}/issues/${ISSUE}`, ISSUE],
		[`https://linyi.example.cn/estates/${ESTATE}/issues/${ISSUE}?after=2026-12-01#timeline`, ISSUE],
		[`/estates/${ESTATE}/issues/${ISSUE.toUpperCase()}`, ISSUE],
		[`  ${ISSUE}  `, ISSUE],
		[`议题 ${ESTATE} 和 ${ISSUE}`, ISSUE]
	])('takes the issue from %s, never the estate', (pasted, id) => {
		expect(issueIdIn(pasted)).toBe(id);
		expect(transitionSchema.parse({ action: 'merge', merge_address: pasted }).merge_address).toBe(id);
	});

	it('leaves anything else to be refused beside the field, and nothing as nothing', () => {
		const r = transitionSchema.safeParse({ action: 'merge', merge_address: '东门那个议题' });
		expect(r.success).toBe(false);
		expect(r.error?.issues[0]).toMatchObject({ path: ['merge_address'], message: 'errors.invalid_choice' });
		expect(transitionSchema.parse({ action: 'merge', merge_address: '  ' }).merge_address).toBeUndefined();
	});
});
