import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../supabase/', import.meta.url);
const config = parse(readFileSync(new URL('config.toml', dir), 'utf8')) as any;

/**
 * docs/deploy-supabase.md tells operators to run `supabase link`, `db push`
 * and `db reset`: all read supabase/config.toml, and the auth settings the
 * app's sign-up flow relies on come from it.
 */
describe('supabase/config.toml', () => {
	it('is a CLI project with migrations and the demo seed it can find', () => {
		expect(config.project_id).toMatch(/^[a-z0-9_-]+$/);
		expect(config.db.migrations.enabled).toBe(true);
		for (const p of config.db.seed.sql_paths as string[]) expect(existsSync(new URL(p, dir)), p).toBe(true);
		expect(Number.isInteger(config.db.major_version)).toBe(true);
	});

	it('exposes only schema public over the API, never private', () => {
		expect(config.api.schemas).toEqual(['public']);
		expect(config.api.extra_search_path).toContain('extensions');
	});

	it('confirms email addresses and sends people back to /auth/confirm on the site', () => {
		const site = new URL(config.auth.site_url);
		expect(config.auth.enable_signup).toBe(true);
		expect(config.auth.email.enable_signup).toBe(true);
		expect(config.auth.email.enable_confirmations).toBe(true);
		const redirects = (config.auth.additional_redirect_urls as string[]).map((u) => new URL(u));
		expect(redirects.map((u) => u.pathname)).toEqual(redirects.map(() => '/auth/confirm'));
		expect(redirects.map((u) => u.origin)).toContain(site.origin);
		expect(config.auth.minimum_password_length).toBe(8);
		expect(config.auth.enable_anonymous_sign_ins).toBe(false);
	});

	it("has a confirmation email whose link is the app's /auth/confirm with the token hash", () => {
		const template = config.auth.email.template.confirmation;
		const html = readFileSync(new URL(template.content_path.replace(/^\.\/supabase\//, './'), dir), 'utf8');
		expect(html).toContain('{{ .SiteURL }}/auth/confirm?token_hash={{ .TokenHash }}&type=email');
		expect(template.subject).toMatch(/邮箱/);
	});

	it('keeps issue photos in a private bucket of JPEGs', () => {
		expect(config.storage.buckets['issue-photos']).toMatchObject({ public: false, allowed_mime_types: ['image/jpeg'] });
	});
});
