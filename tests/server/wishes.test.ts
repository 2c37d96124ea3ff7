import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as listPage from '../../src/routes/estates/[id=uuid]/wishes/+page.server';
import * as wishPage from '../../src/routes/estates/[id=uuid]/wishes/[wishId=uuid]/+page.server';
import * as vetPage from '../../src/routes/estates/[id=uuid]/wishes/vet/+page.server';
import * as wallPage from '../../src/routes/estates/[id=uuid]/wishes/wall/+page.server';
import { CAILIAN, count, expectData, expectFailure, expectHttpError, expectNoWrite, expectRedirect, file, JINYUAN, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * Micro-wishes (微心愿) through the real hooks on the demo estate: volunteer@ posts for a resident without an
 * account, moderator@ vets, party@ claims and fulfils with a photo, volunteer@ confirms, the wall shows the
 * thanks; every bad input answered beside its field with a 4xx and nothing written.
 */

let rt: TestRuntime;
let jpeg: Uint8Array<ArrayBuffer>;
beforeAll(async () => {
	rt = await openTestRuntime();
	jpeg = new Uint8Array(await sharp({ create: { width: 800, height: 600, channels: 3, background: '#a37' } }).jpeg().toBuffer());
});
afterAll(() => rt.close());

const VOLUNTEER = 'volunteer@demo.linyi.org' as const;
const MODERATOR = 'moderator@demo.linyi.org' as const;
const PARTY = 'party@demo.linyi.org' as const;
const RESIDENT = 'resident@demo.linyi.org' as const;
const OWNER = 'owner@demo.linyi.org' as const;

const list = { url: `/estates/${JINYUAN}/wishes`, params: { id: JINYUAN } };
const vetAt = { url: `/estates/${JINYUAN}/wishes/vet`, params: { id: JINYUAN } };
const wishAt = (wishId: string) => ({ url: `/estates/${JINYUAN}/wishes/${wishId}`, params: { id: JINYUAN, wishId } });
const GOOD = { title: '想要一台收音机', category: 'daily', shown_name: '某阿姨', body: '老人独居，喜欢听戏。', estimated_cost: '80', for_other: 'true', resident_name: '王秀兰', unit: '3栋 2单元 301', phone: '13912345678' };

async function post(form: Record<string, string> = {}) {
	const x = await request({ ...list, method: 'POST', as: VOLUNTEER, form: { ...GOOD, ...form } }, listPage.actions.post);
	expect(x.outcome.kind, JSON.stringify(x.outcome)).toBe('redirect');
	return (x.outcome as { location: string }).location.split('/').pop()!.split('?')[0];
}
async function vet(wishId: string, decision = 'approve', note = '已上门核实') {
	return request({ ...vetAt, method: 'POST', as: MODERATOR, form: { __superform_id: 'vet', wish_id: wishId, decision, note } }, vetPage.actions.vet);
}
async function open() {
	const id = await post();
	expectRedirect(await vet(id), `/estates/${JINYUAN}/wishes/vet`);
	return id;
}
async function claimed() {
	const id = await open();
	expectRedirect(await request({ ...wishAt(id), method: 'POST', as: PARTY, form: {} }, wishPage.actions.claim), `/estates/${JINYUAN}/wishes/${id}`);
	return id;
}
const status = async (id: string) => (await rt.sql.query<{ status: string }>('select status from public.wishes where id = $1', [id]))[0].status;

describe('posting', () => {
	it('a volunteer posts for a resident: pending, and the page says it waits to be checked; the list shows it as theirs only', async () => {
		const id = await post();
		expect(await status(id)).toBe('pending');
		expect(await count('public.wish_details', `wish_id = $1 and resident_name = '王秀兰' and guardian_id is not null`, [id])).toBe(1);
		const mine = expectData(await request({ ...list, as: VOLUNTEER }, listPage.load));
		expect(mine.wishes.mine.map((w: { id: string }) => w.id)).toContain(id);
		const theirs = expectData(await request({ ...list, as: RESIDENT }, listPage.load));
		expect(theirs.wishes.mine).toEqual([]);
		expect(theirs.wishes.wishes.map((w: { id: string }) => w.id)).not.toContain(id);
	});

	it.each([
		[{ title: '' }, 'title', 'errors.required'],
		[{ title: '请打13912345678' }, 'title', 'errors.wish_contact_in_public_text'],
		[{ body: '身份证14010519400101123X' }, 'body', 'errors.wish_contact_in_public_text'],
		[{ category: 'cars' }, 'category', 'errors.invalid_choice'],
		[{ estimated_cost: '-5' }, 'estimated_cost', 'errors.wish_cost_invalid'],
		[{ estimated_cost: '一百' }, 'estimated_cost', 'errors.wish_cost_invalid'],
		[{ shown_name: '' }, 'shown_name', 'errors.required'],
		[{ shown_name: '王2' }, 'shown_name', 'errors.wish_shown_name_invalid'],
		[{ resident_name: '' }, 'resident_name', 'errors.wish_resident_name_required'],
		[{ phone: '电话' }, 'phone', 'errors.phone_invalid'],
		[{ area_id: 'not-an-id' }, 'area_id', 'errors.invalid_choice'],
		[{ area_id: '5eed0000-0000-4000-8000-00000000ffff' }, 'area_id', 'errors.area_not_found']
	])('refuses %j beside the field, writing nothing', async (over, field, key) => {
		const x = await expectNoWrite(() => request({ ...list, method: 'POST', as: VOLUNTEER, form: { ...GOOD, ...over } }, listPage.actions.post));
		expect(x.outcome.kind).toBe('failure');
		expectFailure(x, (x.outcome as { status: number }).status, { [field]: key });
		expect((x.outcome as { status: number }).status).toBeGreaterThanOrEqual(400);
		expect((x.outcome as { status: number }).status).toBeLessThan(500);
	});

	it('refuses a resident posting for someone else (403), an outsider (403) and someone signed out (sign in)', async () => {
		expectFailure(await expectNoWrite(() => request({ ...list, method: 'POST', as: RESIDENT, form: GOOD }, listPage.actions.post)), 403, { for_other: 'errors.wish_for_other_forbidden' });
		const outsider = await expectNoWrite(() => request({ url: `/estates/${CAILIAN}/wishes`, params: { id: CAILIAN }, method: 'POST', as: VOLUNTEER, form: GOOD }, listPage.actions.post));
		expectFailure(outsider, 403, { _errors: 'errors.not_member' });
		expectRedirect(await request({ ...list, method: 'POST', form: GOOD }, listPage.actions.post), /^\/auth\/sign-in\?next=/);
	});
});

describe('vetting', () => {
	it("the moderators' queue shows the private details; a resident is refused", async () => {
		const id = await post({ resident_name: '队列里的老人' });
		const q = expectData(await request({ ...vetAt, as: MODERATOR }, vetPage.load));
		expect(q.queue.find((w: { id: string }) => w.id === id)?.private.resident_name).toBe('队列里的老人');
		expectHttpError(await request({ ...vetAt, as: RESIDENT }, vetPage.load), 403);
		expectRedirect(await request({ ...vetAt }, vetPage.load), /^\/auth\/sign-in\?next=/);
	});

	it('approves (published) and declines with a reason; a decline without one is refused beside the note; a second vet is refused', async () => {
		const a = await post();
		expectRedirect(await vet(a), `/estates/${JINYUAN}/wishes/vet`);
		expect(await status(a)).toBe('open');
		const b = await post();
		expectFailure(await expectNoWrite(() => vet(b, 'decline', '')), 400, { note: 'errors.reason_required' });
		expectRedirect(await vet(b, 'decline', '家属已经买了'), `/estates/${JINYUAN}/wishes/vet`);
		expect(await status(b)).toBe('declined');
		expectFailure(await expectNoWrite(() => vet(b)), 400, { _errors: 'errors.wish_already_vetted' });
	});

	it.each([
		[{ decision: 'maybe' }, 'decision', 'errors.invalid_choice', 400],
		[{ wish_id: 'x' }, 'wish_id', 'errors.invalid_choice', 400],
		[{ wish_id: '5eed0000-0000-4000-8000-00000000ffff' }, '_errors', 'errors.wish_not_found', 404]
	])('refuses %j', async (over, field, key, code) => {
		const id = await post();
		const x = await expectNoWrite(() => request({ ...vetAt, method: 'POST', as: MODERATOR, form: { __superform_id: 'vet', wish_id: id, decision: 'approve', note: '', ...over } }, vetPage.actions.vet));
		expectFailure(x, code, { [field]: key });
	});

	it('refuses a volunteer vetting (403)', async () => {
		const id = await post();
		const x = await expectNoWrite(() => request({ ...vetAt, method: 'POST', as: VOLUNTEER, form: { __superform_id: 'vet', wish_id: id, decision: 'approve' } }, vetPage.actions.vet));
		expectFailure(x, 403, { _errors: 'errors.forbidden' });
	});
});

describe('claiming, fulfilling, confirming', () => {
	it('party@ claims (and sees the contact), fulfils with a photo, volunteer@ confirms with thanks, the wall shows it', async () => {
		const id = await claimed();
		const seen = expectData(await request({ ...wishAt(id), as: PARTY }, wishPage.load));
		expect(seen.detail.private).toMatchObject({ resident_name: '王秀兰', phone: '13912345678' });
		expect(seen.detail.can_fulfil).toBe(true);
		const public_ = expectData(await request({ ...wishAt(id), as: RESIDENT }, wishPage.load));
		expect(public_.detail.private).toBeNull();
		const photo = new File([jpeg], 'radio.jpg', { type: 'image/jpeg' });
		expectRedirect(
			await request({ ...wishAt(id), method: 'POST', as: PARTY, form: { __superform_id: 'fulfil', note: '已送到家中并调好频道', photo } }, wishPage.actions.fulfil),
			`/estates/${JINYUAN}/wishes/${id}`
		);
		expect(await status(id)).toBe('fulfilled');
		const withPhoto = expectData(await request({ ...wishAt(id), as: VOLUNTEER }, wishPage.load));
		expect(withPhoto.photo?.url).toBeTruthy();
		expect(withPhoto.detail.can_confirm).toBe(true);
		expectRedirect(
			await request({ ...wishAt(id), method: 'POST', as: VOLUNTEER, form: { __superform_id: 'confirm', thanks: '谢谢孙师傅！' } }, wishPage.actions.confirm),
			`/estates/${JINYUAN}/wishes/${id}`
		);
		const wall = expectData(await request({ url: `/estates/${JINYUAN}/wishes/wall`, params: { id: JINYUAN }, as: RESIDENT }, wallPage.load));
		const entry = wall.wall.entries.find((e: { id: string }) => e.id === id);
		expect(entry).toMatchObject({ shown_name: '某阿姨', thanks: '谢谢孙师傅！' });
		expect(entry.thumb?.url).toBeTruthy();
		expect(JSON.stringify(wall)).not.toMatch(/王秀兰|13912345678|3栋 2单元/);
	});

	it('a second claim is a message on the page (409); a resident without a role is refused (403)', async () => {
		const id = await claimed();
		const x = await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: VOLUNTEER, form: {} }, wishPage.actions.claim));
		expect(x.outcome).toMatchObject({ kind: 'failure', status: 403 });
		const other = await open();
		const y = await expectNoWrite(() => request({ ...wishAt(other), method: 'POST', as: RESIDENT, form: {} }, wishPage.actions.claim));
		expect(x.outcome.kind).toBe('failure');
		expect(y.outcome).toMatchObject({ kind: 'failure', status: 403, data: { message: 'errors.wish_claim_role' } });
		const z = await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: PARTY, form: {} }, wishPage.actions.claim));
		expect(z.outcome).toMatchObject({ kind: 'failure', status: 409, data: { message: 'errors.wish_already_claimed' } });
	});

	it('releases: the claimer may, a resident may not', async () => {
		const id = await claimed();
		const x = await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: RESIDENT, form: {} }, wishPage.actions.release));
		expect(x.outcome).toMatchObject({ kind: 'failure', status: 403 });
		expectRedirect(await request({ ...wishAt(id), method: 'POST', as: PARTY, form: {} }, wishPage.actions.release), `/estates/${JINYUAN}/wishes/${id}`);
		expect(await status(id)).toBe('open');
	});

	it('a moderator records a donor unit; a blank or phone-bearing name is refused beside the field; a party member is refused', async () => {
		const id = await open();
		expectFailure(await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: MODERATOR, form: { __superform_id: 'donor', donor_unit: '' } }, wishPage.actions.donor)), 400, { donor_unit: 'errors.required' });
		expectFailure(
			await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: MODERATOR, form: { __superform_id: 'donor', donor_unit: '供电公司 03516012345' } }, wishPage.actions.donor)),
			400,
			{ donor_unit: 'errors.wish_contact_in_public_text' }
		);
		expectFailure(await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: PARTY, form: { __superform_id: 'donor', donor_unit: '供电公司' } }, wishPage.actions.donor)), 403, { donor_unit: 'errors.forbidden' });
		expectRedirect(await request({ ...wishAt(id), method: 'POST', as: MODERATOR, form: { __superform_id: 'donor', donor_unit: '晋源区供电公司' } }, wishPage.actions.donor), `/estates/${JINYUAN}/wishes/${id}`);
		expect(await status(id)).toBe('claimed');
	});

	it('refuses fulfilling by someone else, a file that is no image, a note with a phone number; nothing written', async () => {
		const id = await claimed();
		expectFailure(await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: OWNER, form: { __superform_id: 'fulfil', note: '' } }, wishPage.actions.fulfil)), 403, { _errors: 'errors.forbidden' });
		expectFailure(
			await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: PARTY, form: { __superform_id: 'fulfil', note: '', photo: file('not an image', 'x.jpg', 'image/jpeg') } }, wishPage.actions.fulfil)),
			400,
			{ _errors: 'errors.photo_not_image' }
		);
		expectFailure(await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: PARTY, form: { __superform_id: 'fulfil', note: '有事打13912345678' } }, wishPage.actions.fulfil)), 400, { note: 'errors.wish_contact_in_public_text' });
		expect(await status(id)).toBe('claimed');
	});

	it('refuses confirming one’s own work, by another resident, before it is done, and thanks too long', async () => {
		const id = await claimed();
		expectFailure(await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: VOLUNTEER, form: { __superform_id: 'confirm', thanks: '' } }, wishPage.actions.confirm)), 400, { _errors: 'errors.wish_not_fulfilled' });
		await request({ ...wishAt(id), method: 'POST', as: PARTY, form: { __superform_id: 'fulfil', note: '' } }, wishPage.actions.fulfil);
		expectFailure(await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: PARTY, form: { __superform_id: 'confirm', thanks: '' } }, wishPage.actions.confirm)), 403, { _errors: 'errors.wish_confirm_own' });
		expectFailure(await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: RESIDENT, form: { __superform_id: 'confirm', thanks: '' } }, wishPage.actions.confirm)), 403, { _errors: 'errors.forbidden' });
		expectFailure(await expectNoWrite(() => request({ ...wishAt(id), method: 'POST', as: VOLUNTEER, form: { __superform_id: 'confirm', thanks: '谢'.repeat(201) } }, wishPage.actions.confirm)), 400, { thanks: 'errors.too_long' });
		expect(await status(id)).toBe('fulfilled');
	});

	it('an unknown wish, or a wish at another estate’s address, is not found', async () => {
		const id = await open();
		expectHttpError(await request({ ...wishAt('5eed0000-0000-4000-8000-00000000ffff'), as: RESIDENT }, wishPage.load), 404);
		expectHttpError(await request({ url: `/estates/${CAILIAN}/wishes/${id}`, params: { id: CAILIAN, wishId: id }, as: MODERATOR }, wishPage.load), 404);
	});
});

describe('the public', () => {
	it('on a members-only board sees no wish and an empty wall; on a public board the published wishes and the wall, never a pending one or a detail', async () => {
		const pending = await post();
		const wall = { url: `/estates/${JINYUAN}/wishes/wall`, params: { id: JINYUAN } };
		const closed = expectData(await request({ ...list }, listPage.load));
		expect(closed.wishes).toMatchObject({ wishes: [], mine: [], can_post: false });
		expect(expectData(await request(wall, wallPage.load)).wall).toEqual({ count: 0, entries: [] });
		expectHttpError(await request({ ...wishAt('5eed0000-0000-4000-8000-000000007201') }, wishPage.load), 404);
		await rt.sql.query('update public.estates set board_public = true where id = $1', [JINYUAN]);
		try {
			const open = expectData(await request({ ...list }, listPage.load));
			expect(open.wishes.wishes.map((w: { id: string }) => w.id)).toContain('5eed0000-0000-4000-8000-000000007201');
			expect(open.wishes.wishes.map((w: { id: string }) => w.id)).not.toContain(pending);
			expect(open.wishes.can_post).toBe(false);
			const seen = expectData(await request({ ...wishAt('5eed0000-0000-4000-8000-000000007201') }, wishPage.load));
			expect(seen.detail.private).toBeNull();
			expect(JSON.stringify(seen)).not.toMatch(/刘德顺|13800000000|6栋 302/);
			const shown = expectData(await request(wall, wallPage.load));
			expect(shown.wall.entries.map((e: { id: string }) => e.id)).toContain('5eed0000-0000-4000-8000-000000007202');
			expect(JSON.stringify(shown)).not.toMatch(/张桂芳|13800000001|3栋 501/);
			expectHttpError(await request({ ...wishAt(pending) }, wishPage.load), 404);
		} finally {
			await rt.sql.query('update public.estates set board_public = false where id = $1', [JINYUAN]);
		}
	});
});
