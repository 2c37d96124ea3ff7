import { describe, expect, it } from 'vitest';
import { freshPglite } from './harness';
import { describeSchema } from './structure';

describe('supabase/structure.sql', () => {
	it('is the schema the migrations build (run `npm run structure` after adding one)', async () => {
		const db = await freshPglite();
		try {
			await expect(await describeSchema(db.sql)).toMatchFileSnapshot('../../supabase/structure.sql');
		} finally {
			await db.close();
		}
	});
});
