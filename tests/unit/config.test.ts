import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/lib/server/config';

describe('configuration', () => {
	it('runs embedded in ./data on port 3000 with nothing set', () => {
		const c = parseConfig({});
		expect(c.mode).toBe('embedded');
		expect(c.DATA_DIR).toBe('./data');
		expect(c.PORT).toBe(3000);
		expect(c.DEMO).toBe('on');
		expect(c.RATE_LIMIT_SIGN_IN_IP).toEqual({ limit: 30, seconds: 900 });
		expect(c.RATE_LIMIT_SIGN_IN_ACCOUNT).toEqual({ limit: 10, seconds: 900 });
		expect(c.RATE_LIMIT_SIGN_UP_IP).toEqual({ limit: 20, seconds: 3600 });
		expect(c.RATE_LIMIT_SIMILAR_IP).toEqual({ limit: 120, seconds: 60 });
		expect(parseConfig({ RATE_LIMIT_SIGN_UP_IP: '5/60' }).RATE_LIMIT_SIGN_UP_IP).toEqual({ limit: 5, seconds: 60 });
	});

	it('chooses postgres mode for DATABASE_URL and supabase mode for the Supabase keys', () => {
		expect(parseConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).mode).toBe('postgres');
		expect(parseConfig({ PUBLIC_SUPABASE_URL: 'https://abc.supabase.co', PUBLIC_SUPABASE_ANON_KEY: 'x'.repeat(40) }).mode).toBe('supabase');
	});

	it('treats empty variables as unset', () => {
		expect(parseConfig({ DATABASE_URL: '', PUBLIC_SUPABASE_URL: '  ' }).mode).toBe('embedded');
	});

	it.each([
		[{ PUBLIC_SUPABASE_URL: 'https://abc.supabase.co' }, 'PUBLIC_SUPABASE_ANON_KEY is required when PUBLIC_SUPABASE_URL is set'],
		[{ PUBLIC_SUPABASE_ANON_KEY: 'x'.repeat(40) }, 'PUBLIC_SUPABASE_URL is required'],
		[{ PUBLIC_SUPABASE_URL: 'not a url', PUBLIC_SUPABASE_ANON_KEY: 'x'.repeat(40) }, 'PUBLIC_SUPABASE_URL must be the https URL'],
		[{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres://'],
		[{ DATABASE_URL: 'postgres://x', PUBLIC_SUPABASE_URL: 'https://a.supabase.co', PUBLIC_SUPABASE_ANON_KEY: 'x'.repeat(40) }, 'DATABASE_URL must not be set together'],
		[{ PORT: 'eighty' }, 'PORT must be a port number'],
		[{ PORT: '70000' }, 'PORT must be a port number from 1 to 65535'],
		[{ MAP_TILE_URL: 'http://tiles/{z}/{x}/{y}.png' }, 'MAP_TILE_URL must be an https tile URL'],
		[{ MAP_TILE_CRS: 'bd09' }, 'MAP_TILE_CRS must be wgs84 or gcj02'],
		[{ DEMO: 'yes' }, 'DEMO must be on or off'],
		[{ RATE_LIMIT_SIGN_IN_IP: '30' }, 'RATE_LIMIT_SIGN_IN_IP must be requests/seconds'],
		[{ RATE_LIMIT_SIMILAR_IP: '0/60' }, 'RATE_LIMIT_SIMILAR_IP must be requests/seconds']
	])('stops a wrong configuration %j with one line naming the variable', (env, message) => {
		expect(() => parseConfig(env)).toThrow(ConfigError);
		try {
			parseConfig(env);
		} catch (e) {
			expect((e as Error).message).toContain(message);
			expect((e as Error).message.split('\n')).toHaveLength(1);
		}
	});
});
