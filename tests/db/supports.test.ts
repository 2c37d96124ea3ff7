import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from '../../src/lib/domain/issue-words';
import { DATABASES, openTestDb, type TestDb } from './harness';

/**
 * The issue page offers a support (附议) only while one can be given: an
 * open issue. It reads the open statuses from OPEN_STATUSES rather than
 * asking the database on every view; this keeps the two the same.
 */
describe.each(DATABASES)('open statuses on %s', (name) => {
	let db: TestDb;
	beforeAll(async () => {
		db = await openTestDb(name);
	});
	afterAll(() => db.close());

	it('are the same in the page as in SQL', async () => {
		const [{ s }] = await db.sql.query<{ s: string[] }>('select private.open_statuses() as s');
		expect([...OPEN_STATUSES]).toEqual(s);
		const [{ p }] = await db.sql.query<{ p: string[] }>('select public.open_issue_statuses() as p');
		expect([...OPEN_STATUSES]).toEqual(p);
	});
});
