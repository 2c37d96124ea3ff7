import type { Config } from './config';

/**
 * Where images may come from beyond the app itself (svelte.config.js allows
 * 'self' and data: only): the configured map tile server, and in supabase
 * mode the project, whose Storage serves photos through signed URLs. Both are
 * known only when the server starts, so the hook adds them to the policy.
 */
export function imageSources(cfg: Pick<Config, 'MAP_TILE_URL' | 'PUBLIC_SUPABASE_URL' | 'mode'>): string[] {
	const sources: string[] = [];
	if (cfg.MAP_TILE_URL) {
		const host = /^https:\/\/([^/]+)/.exec(cfg.MAP_TILE_URL)?.[1];
		// A subdomain placeholder ({s}, {a-c}) in the first label stands for any one label there.
		if (host) sources.push('https://' + host.replace(/^[^.]*\{[^}]*\}[^.]*\./, '*.'));
	}
	if (cfg.mode === 'supabase' && cfg.PUBLIC_SUPABASE_URL) sources.push(new URL(cfg.PUBLIC_SUPABASE_URL).origin);
	return sources;
}

/** The policy SvelteKit made, with the extra image sources added to img-src. */
export function withImageSources(policy: string, sources: string[]): string {
	if (!sources.length) return policy;
	return policy.replace(/(^|;\s*)img-src ([^;]*)/, (_, start: string, list: string) => `${start}img-src ${list} ${sources.join(' ')}`);
}
