import { z } from 'zod';

/** A rate limit as `requests/seconds`, e.g. `30/900`: at most 30 requests in each 15-minute window. */
const rateLimit = (fallback: string) =>
	z
		.string()
		.regex(/^[1-9][0-9]{0,8}\/[1-9][0-9]{0,7}$/, { error: 'must be requests/seconds, e.g. 30/900 (both whole numbers from 1)' })
		.default(fallback)
		.transform((v) => {
			const [limit, seconds] = v.split('/').map(Number);
			return { limit, seconds };
		});

/**
 * The whole runtime configuration, read from the environment in one place.
 * The mode is derived, never set: Supabase keys → supabase, DATABASE_URL →
 * postgres, neither → the embedded PGlite database in DATA_DIR.
 */
const EnvSchema = z
	.object({
		PUBLIC_SUPABASE_URL: z.url({ error: 'must be the https URL of your Supabase project' }).optional(),
		PUBLIC_SUPABASE_ANON_KEY: z.string().min(20, { error: 'must be the anon (publishable) key of your Supabase project' }).optional(),
		SUPABASE_SERVICE_ROLE_KEY: z.string().min(20, { error: 'must be the service_role key (needed for assisted accounts, photos and live updates)' }).optional(),
		DATABASE_URL: z
			.string()
			.regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// connection string' })
			.optional(),
		DATA_DIR: z.string().min(1, { error: 'must be a directory path' }).default('./data'),
		PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1, { error: 'must be a port number from 1 to 65535' }).max(65535, { error: 'must be a port number from 1 to 65535' }).default(3000),
		MAP_TILE_URL: z
			.string()
			.regex(/^https:\/\/.+\{z\}.+\{x\}.+\{y\}/, { error: 'must be an https tile URL template containing {z}, {x} and {y}' })
			.optional(),
		MAP_TILE_CRS: z.enum(['wgs84', 'gcj02'], { error: 'must be wgs84 or gcj02' }).default('wgs84'),
		MAP_TILE_ATTRIBUTION: z.string().max(200).optional(),
		DEMO: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
		// Per client address (one per network behind NAT: an estate's shared Wi-Fi counts once), and for
		// sign-in also per account. docs/configuration.md says why these numbers.
		RATE_LIMIT_SIGN_IN_IP: rateLimit('30/900'),
		RATE_LIMIT_SIGN_IN_ACCOUNT: rateLimit('10/900'),
		RATE_LIMIT_SIGN_UP_IP: rateLimit('20/3600'),
		RATE_LIMIT_SIMILAR_IP: rateLimit('120/60'),
		RATE_LIMIT_MEETING_CODE: rateLimit('10/600')
	})
	.superRefine((env, ctx) => {
		const hasUrl = env.PUBLIC_SUPABASE_URL !== undefined;
		const hasKey = env.PUBLIC_SUPABASE_ANON_KEY !== undefined;
		if (hasUrl && !hasKey) {
			ctx.addIssue({ code: 'custom', path: ['PUBLIC_SUPABASE_ANON_KEY'], message: 'is required when PUBLIC_SUPABASE_URL is set' });
		}
		if (hasKey && !hasUrl) {
			ctx.addIssue({ code: 'custom', path: ['PUBLIC_SUPABASE_URL'], message: 'is required when PUBLIC_SUPABASE_ANON_KEY is set' });
		}
		if (hasUrl && hasKey && env.DATABASE_URL) {
			ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'must not be set together with the Supabase keys: choose one mode' });
		}
	});

export type Mode = 'embedded' | 'postgres' | 'supabase';

export type Config = z.output<typeof EnvSchema> & { mode: Mode };

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Empty variables count as unset, the way shells and .env files are usually read. */
function withoutEmpty(env: Record<string, string | undefined>) {
	return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
}

export function parseConfig(env: Record<string, string | undefined>): Config {
	const parsed = EnvSchema.safeParse(withoutEmpty(env));
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new ConfigError(`Configuration error: ${issue.path.join('.')} ${issue.message}`);
	}
	const c = parsed.data;
	const mode: Mode = c.PUBLIC_SUPABASE_URL ? 'supabase' : c.DATABASE_URL ? 'postgres' : 'embedded';
	return { ...c, mode };
}

let cached: Config | undefined;

export function config(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}
