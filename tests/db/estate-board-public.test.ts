import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedWorld, type World } from './fixtures';

/** estate_board_public tells a signed-out reader "sign in to see this" from a link to nothing. */
describe.each(DATABASES)('estate_board_public on %s', (name) => {
	let db: TestDb;
	let w: World;
	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
	});
	afterAll(() => db.close());

	it('says whether the public may read the board, to anyone, and null for no estate', async () => {
		const ask = (id: string) => db.backend.call<boolean | null>('estate_board_public', { p_estate_id: id }, ANON);
		expect(await ask(w.a.id)).toBe(false);
		await db.sql.query('update public.estates set board_public = true where id = $1', [w.a.id]);
		expect(await ask(w.a.id)).toBe(true);
		expect(await db.backend.call('estate_board_public', { p_estate_id: w.b.id }, { kind: 'user', userId: w.users.resident })).toBe(false);
		expect(await ask('00000000-0000-4000-8000-00000000dead')).toBeNull();
	});
});
