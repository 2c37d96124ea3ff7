import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zh from '../../messages/zh-CN.json';
import en from '../../messages/en.json';
import { translator } from '../../src/lib/i18n';

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((f) => {
		const p = path.join(dir, f);
		return statSync(p).isDirectory() ? files(p) : [p];
	});
}

describe('message files', () => {
	it('have the same keys in Chinese and English', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
	});

	it('have the same placeholders in both languages', () => {
		const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of Object.keys(zh)) expect([key, holes((en as Record<string, string>)[key])]).toEqual([key, holes((zh as Record<string, string>)[key])]);
	});

	it('hold every key the code and the SQL functions use', () => {
		const sources = [...files('src'), ...files('supabase/migrations')].filter((f) => /\.(ts|svelte|sql)$/.test(f));
		const used = new Set<string>();
		for (const f of sources) {
			const text = readFileSync(f, 'utf8');
			for (const m of text.matchAll(/['"`]((?:errors|auth|import|nav|app|common|home|me|membership|role|settings|estate|join|manage|admin)\.[a-z0-9_.]+[a-z0-9_])['"`]/g)) used.add(m[1]);
		}
		const missing = [...used].filter((k) => !(k in zh) && !k.endsWith('.'));
		expect(missing).toEqual([]);
	});

	it('fill placeholders and show an unknown key as itself', () => {
		const t = translator({ hello: '{name}，您好' });
		expect(t('hello', { name: '王阿姨' })).toBe('王阿姨，您好');
		expect(t('nope')).toBe('nope');
	});
});
