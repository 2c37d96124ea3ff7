import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { addMembership, createUser, seedWorld, type Person, type World } from './fixtures';

/**
 * Micro-wishes on the claim board (20261205140100_show_wishes_on_the_claim_board.sql): open vetted
 * wishes near the caller beside the tasks, filtered by place and kind, only their published fields,
 * claimable by party members and volunteers, and the wishes the caller claimed still to fulfil.
 */

type Json = Record<string, unknown>;
interface Board {
	tasks: Json[];
	wishes: Array<Json & { id: string; near: string; may_claim: boolean }>;
	my_wishes: Array<Json & { id: string }>;
	may_claim_wishes: boolean;
}

describe.each(DATABASES)('wishes on the claim board on %s', (name) => {
	let db: TestDb;
	let w: World;
	let party: string;
	let near: string;
	let far: string;
	let anywhere: string;
	let pending: string;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		party = await createUser(db, '孙师傅');
		// The party member lives in 1栋, like the resident.
		await addMembership(db, { estateId: w.a.id, userId: party, status: 'verified', roles: ['party_member'], unitId: w.a.units['1栋/1/101'] });
		const post = async (title: string, area: string | null) => {
			const { id } = await call<{ id: string }>(
				'post_wish',
				{ p_estate_id: w.a.id, p_title: title, p_category: 'daily', p_shown_name: '某阿姨', p_area_id: area, p_for_other: true, p_resident_name: '王秀兰', p_phone: '13912345678' },
				'volunteer'
			);
			return id;
		};
		far = await post('想要一个暖水袋', w.a.buildings['2栋']);
		near = await post('想要一台收音机', w.a.buildings['1栋']);
		anywhere = await post('想要几本大字书', null);
		pending = await post('想要一副老花镜', w.a.buildings['1栋']);
		for (const id of [far, near, anywhere]) await call('vet_wish', { p_wish_id: id, p_approve: true, p_est_hours: 2 }, 'moderator');
	});
	afterAll(() => db.close());

	type Who = Person | 'party';
	const as = (p: Who): Caller => ({ kind: 'user', userId: p === 'party' ? party : w.users[p] });
	const call = <T = Json>(fn: string, args: Json, p: Who) => db.backend.call<T>(fn, args, as(p));
	const board = (p: Who, args: Json = {}) => call<Board>('claim_board', { p_estate_id: w.a.id, ...args }, p);

	it('shows the open vetted wishes, the caller’s building first, with nothing personal and no pending one', async () => {
		const b = await board('party');
		expect(b.wishes.map((x) => x.id)).toEqual([near, far, anywhere]);
		expect(b.wishes[0]).toMatchObject({ id: near, near: 'building', est_hours: 2, shown_name: '某阿姨', may_claim: true });
		expect(b.wishes.find((x) => x.id === far)).toMatchObject({ near: 'courtyard' });
		expect(b.wishes.map((x) => x.id)).not.toContain(pending);
		expect(JSON.stringify(b.wishes)).not.toMatch(/王秀兰|13912345678/);
		expect(b.may_claim_wishes).toBe(true);
	});

	it('a resident sees the wishes but may not claim them; "only what I may claim" hides them', async () => {
		const b = await board('resident');
		expect(b.wishes.length).toBeGreaterThanOrEqual(3);
		expect(b.wishes.every((x) => !x.may_claim)).toBe(true);
		expect(b.may_claim_wishes).toBe(false);
		expect((await board('resident', { p_mine: true })).wishes).toEqual([]);
	});

	it('the guardian may not claim the wishes they posted', async () => {
		const b = await board('volunteer');
		expect(b.wishes.filter((x) => [near, far, anywhere].includes(x.id)).every((x) => !x.may_claim)).toBe(true);
	});

	it('filters by place and by kind: a building, "wish" for wishes only, a kind of task for tasks only', async () => {
		const inBuilding = await board('party', { p_area_id: w.a.buildings['2栋'] });
		expect(inBuilding.wishes.map((x) => x.id)).toEqual([far]);
		const inCourtyard = await board('party', { p_area_id: w.a.courtyardId });
		expect(inCourtyard.wishes.map((x) => x.id).sort()).toEqual([far, near].sort());
		const wishesOnly = await board('party', { p_kind: 'wish' });
		expect(wishesOnly.tasks).toEqual([]);
		expect(wishesOnly.wishes.length).toBeGreaterThanOrEqual(3);
		expect((await board('party', { p_kind: 'visit' })).wishes).toEqual([]);
	});

	it('a claimed wish leaves the open list and shows under the claimer’s wishes to fulfil', async () => {
		await call('claim_wish', { p_wish_id: near }, 'party');
		const b = await board('party');
		expect(b.wishes.map((x) => x.id)).not.toContain(near);
		expect(b.my_wishes).toMatchObject([{ id: near, status: 'claimed', est_hours: 2 }]);
		expect((await board('resident')).my_wishes).toEqual([]);
		await call('fulfil_wish', { p_wish_id: near, p_hours: 1 }, 'party');
		expect((await board('party')).my_wishes).toEqual([]);
	});

	it('another estate’s member is refused the board', async () => {
		await expect(call('claim_board', { p_estate_id: w.a.id }, 'otherEstate')).rejects.toMatchObject({ code: 'P0002' });
	});
});
