import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RPC } from '../../src/lib/server/rpc';
import { DATABASES, openTestDb, type TestDb } from './harness';

/** Public functions the API exposes that the app itself never calls: helpers other functions call as their reader. */
const NOT_CALLED_BY_THE_APP = ['character_pairs', 'close_due_votes', 'open_data_estates', 'open_data_time', 'open_issue_statuses', 'take_stale_photos', 'wish_json'];

interface Proc {
	name: string;
	args: string[];
	types: string[];
	defaults: number;
}

describe.each(DATABASES)('the RPC map (src/lib/server/rpc.ts) on %s', (name) => {
	let db: TestDb;
	let procs: Map<string, Proc[]>;
	beforeAll(async () => {
		db = await openTestDb(name);
		const rows = await db.sql.query<Proc>(`
			select p.proname as name,
			  coalesce(p.proargnames[1:p.pronargs], '{}') as args,
			  array(select format_type(t, null) from unnest(p.proargtypes) t) as types,
			  p.pronargdefaults as defaults
			from pg_proc p where p.pronamespace = 'public'::regnamespace
			  and (has_function_privilege('authenticated', p.oid, 'execute') or has_function_privilege('anon', p.oid, 'execute'))`);
		procs = new Map();
		for (const r of rows) procs.set(r.name, [...(procs.get(r.name) ?? []), r]);
	});
	afterAll(() => db.close());

	it.each(Object.keys(RPC))('%s names the arguments of the function, in order, with their types and defaults', (fn) => {
		const spec = RPC[fn as keyof typeof RPC].args as Record<string, { sql: string; optional: boolean }>;
		const found = procs.get(fn);
		expect(found, `public.${fn} executable by anon or authenticated`).toHaveLength(1);
		const [proc] = found!;
		expect(Object.keys(spec)).toEqual(proc.args);
		expect(Object.values(spec).map((a) => a.sql)).toEqual(proc.types);
		const optional = Object.values(spec).map((a) => a.optional);
		expect(optional).toEqual(proc.args.map((_, i) => i >= proc.args.length - proc.defaults));
	});

	it('has every function of the API that signed-in people or the public may call', () => {
		const missing = [...procs.keys()].filter((f) => !(f in RPC) && !NOT_CALLED_BY_THE_APP.includes(f)).sort();
		expect(missing).toEqual([]);
	});
});
