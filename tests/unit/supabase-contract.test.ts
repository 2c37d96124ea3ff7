import { describe, expect, it } from 'vitest';
import { SupabaseBackend } from '../../src/lib/server/backend/supabase';
import { DomainError } from '../../src/lib/server/backend/types';

const URL_ = 'https://abcdefgh.supabase.co';
const ANON = 'anon-key-'.padEnd(40, 'x');
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig';

/** A fetch double that records the request and answers as PostgREST would. */
function recorder(status: number, body: unknown) {
	const seen: { url: string; method: string; headers: Headers; body: unknown }[] = [];
	const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const req = new Request(input, init);
		seen.push({ url: req.url, method: req.method, headers: req.headers, body: await req.json() });
		return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
	}) as typeof fetch;
	return { seen, fetchImpl };
}

describe('supabase mode: the rpc request PostgREST expects', () => {
	it('POSTs the named arguments as JSON to /rest/v1/rpc/<fn> with the anon key and the user JWT', async () => {
		const { seen, fetchImpl } = recorder(200, { id: 'm1', status: 'pending' });
		const backend = new SupabaseBackend(URL_, ANON, fetchImpl);
		const args = { p_estate_id: '5eed0000-0000-4000-8000-000000000101', p_building_id: 'b', p_entrance: '', p_room: '301', p_claims_owner: false };
		const result = await backend.call('request_membership', args, { kind: 'user', userId: '123', accessToken: JWT });

		expect(result).toEqual({ id: 'm1', status: 'pending' });
		expect(seen).toHaveLength(1);
		const [req] = seen;
		expect(req.url).toBe(`${URL_}/rest/v1/rpc/request_membership`);
		expect(req.method).toBe('POST');
		expect(req.headers.get('apikey')).toBe(ANON);
		expect(req.headers.get('authorization')).toBe(`Bearer ${JWT}`);
		expect(req.headers.get('content-type')).toBe('application/json');
		expect(req.headers.get('content-profile')).toBe('public');
		expect(req.body).toEqual(args);
	});

	it('calls as anon with the anon key as the bearer', async () => {
		const { seen, fetchImpl } = recorder(200, []);
		await new SupabaseBackend(URL_, ANON, fetchImpl).call('list_estates', {}, { kind: 'anon' });
		expect(seen[0].headers.get('authorization')).toBe(`Bearer ${ANON}`);
		expect(seen[0].body).toEqual({});
	});

	it('turns a PostgREST error raised on purpose into a DomainError for the form', async () => {
		const { fetchImpl } = recorder(409, { code: '23505', message: 'errors.membership_exists', details: '', hint: null });
		const call = new SupabaseBackend(URL_, ANON, fetchImpl).call('request_membership', {}, { kind: 'user', userId: '1', accessToken: JWT });
		await expect(call).rejects.toBeInstanceOf(DomainError);
		await expect(call).rejects.toMatchObject({ code: '23505', key: 'errors.membership_exists', status: 409 });
	});

	it('refuses to call as a user without the access token', async () => {
		const { fetchImpl } = recorder(200, null);
		await expect(new SupabaseBackend(URL_, ANON, fetchImpl).call('my_context', {}, { kind: 'user', userId: '1' })).rejects.toThrow(/access token/);
	});
});
