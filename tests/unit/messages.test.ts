import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zhJson from '../../messages/zh-CN.json';
import enJson from '../../messages/en.json';
import { placeholders, translator } from '../../src/lib/i18n';
import { CATEGORIES, CHANNELS, SORTS, STANCES, STATUS_TABS } from '../../src/lib/domain/issue-words';
import { CONSULTATIVE_RULES, ELECTORATES, MATTERS, VOTE_KINDS } from '../../src/lib/domain/votes';
import { ROLES } from '../../src/lib/domain/me';

const zh: Record<string, string> = zhJson;
const en: Record<string, string> = enJson;

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((f) => {
		const p = path.join(dir, f);
		return statSync(p).isDirectory() ? files(p) : [p];
	});
}
const code = files('src')
	.filter((f) => /\.(ts|svelte)$/.test(f))
	.map((f) => ({ f, text: readFileSync(f, 'utf8') }));
const sql = files('supabase/migrations')
	.filter((f) => f.endsWith('.sql'))
	.map((f) => ({ f, text: readFileSync(f, 'utf8') }));

const holes = placeholders;
/** Every top-level word before the first dot of a key: errors, nav, vote, … (from the files, not a list kept by hand). */
const PREFIXES = [...new Set(Object.keys(zh).map((k) => k.split('.')[0]))];
const KEY_LITERAL = new RegExp(`['"\`]((?:${PREFIXES.join('|')})\\.[a-z0-9_]+(?:\\.[a-z0-9_]+)*)['"\`]`, 'g');

describe('message files', () => {
	it('have the same keys in Chinese and English', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
	});

	it('have the same placeholders in both languages', () => {
		for (const key of Object.keys(zh)) expect([key, holes(en[key] ?? '')]).toEqual([key, holes(zh[key])]);
	});

	it('hold every key the code uses as a whole string', () => {
		const missing: string[] = [];
		for (const { f, text } of code) {
			for (const m of text.matchAll(KEY_LITERAL)) if (!(m[1] in zh)) missing.push(`${f}: ${m[1]}`);
		}
		expect(missing).toEqual([]);
	});

	it('hold every key the code builds from a word list', () => {
		const built: Array<[string, readonly (string | number)[]]> = [
			['status', [...STATUS_TABS.filter((s) => s !== 'open'), 'rejected', 'publicized', 'evaluated']],
			['category', CATEGORIES],
			['stance', STANCES],
			['channel', CHANNELS],
			['board.sort', SORTS],
			['role', ROLES],
			['membership.status', ['pending', 'verified', 'rejected']],
			['vote.kind', VOTE_KINDS],
			['vote.rule', CONSULTATIVE_RULES],
			['vote.electorate', ELECTORATES],
			['vote.matter', MATTERS],
			['vote.option', ['yes', 'no', 'abstain']],
			['vote.outcome', ['passed', 'failed', 'winner', 'tie', 'invalid']],
			['vote.status', ['scheduled', 'open', 'closed']]
		];
		const missing = built.flatMap(([prefix, words]) => words.map((w) => `${prefix}.${w}`)).filter((k) => !(k in zh));
		expect(missing).toEqual([]);
		// Every action of the lifecycle table, as the issue page names them.
		const actions = [...sql.map((s) => s.text).join('\n').matchAll(/\('([a-z_]+)', '[a-z_]+', '[a-z_]+', '(?:committee|author|moderator)'/g)].map((m) => m[1]);
		expect(actions.length).toBeGreaterThan(5);
		expect([...new Set(actions)].filter((a) => !(`action.${a}` in zh))).toEqual([]);
		// And every prefix the code builds keys on has keys.
		const prefixes = new Set(code.flatMap(({ text }) => [...text.matchAll(/\bt\((?:messageKey\()?`([a-z_.]+?)\.?\$\{/g)].map((m) => m[1])));
		expect([...prefixes].filter((p) => !Object.keys(zh).some((k) => k.startsWith(p)))).toEqual([]);
	});

	it('hold every message key a SQL function refuses with', () => {
		const keys = new Set<string>();
		for (const { text } of sql) {
			for (const m of text.matchAll(/message\s*=\s*'([a-z_]+(?:\.[a-z0-9_]+)+)'/g)) keys.add(m[1]);
			for (const m of text.matchAll(/private\.fail\('[0-9A-Z]{5}',\s*'([a-z_]+(?:\.[a-z0-9_]+)+)'/g)) keys.add(m[1]);
			for (const m of text.matchAll(/'key',\s*'([a-z_]+(?:\.[a-z0-9_]+)+)'/g)) keys.add(m[1]);
			for (const m of text.matchAll(/then '(errors\.[a-z0-9_.]+)'/g)) keys.add(m[1]);
		}
		expect(keys.size).toBeGreaterThan(50);
		expect([...keys].filter((k) => !(k in zh))).toEqual([]);
	});

	it('are always given the parameters their placeholders name', () => {
		const unfilled: string[] = [];
		for (const { f, text } of code) {
			// t('key') with no parameters: the message must have no placeholder.
			for (const m of text.matchAll(/\bt\('([a-z0-9_.]+)'\)/g)) {
				if (m[1] in zh && holes(zh[m[1]]).length > 0) unfilled.push(`${f}: t('${m[1]}') leaves ${holes(zh[m[1]]).join(', ')} empty`);
			}
			// t('key', { a: …, b }) with the parameters written out: each placeholder is among them.
			for (const m of text.matchAll(/\bt\('([a-z0-9_.]+)',\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*\)/g)) {
				if (!(m[1] in zh)) continue;
				const given = new Set([...m[2].matchAll(/(?:^|,)\s*(\w+)\s*(?=[:,]|$)/g)].map((g) => g[1]));
				const absent = holes(zh[m[1]]).filter((h) => !given.has(h));
				if (absent.length > 0) unfilled.push(`${f}: t('${m[1]}', …) leaves ${absent.join(', ')} empty`);
			}
		}
		expect(unfilled).toEqual([]);
	});
});

describe('translator', () => {
	it('knows a message’s placeholders, plural ones and those inside plural forms, but not the forms’ words', () => {
		expect(placeholders('{a} and {n, plural, one {# {b} item} other {# items, {c}}} or {it}')).toEqual(['a', 'b', 'c', 'it', 'n']);
		expect(placeholders('{count, plural, one {it} other {them}}')).toEqual(['count']);
	});

	it('fills placeholders and shows an unknown key as itself', () => {
		const t = translator({ hello: '{name}，您好' });
		expect(t('hello' as never, { name: '王阿姨' })).toBe('王阿姨，您好');
		expect(t('nope' as never)).toBe('nope');
	});

	it('chooses the plural form the locale’s rules ask for', () => {
		const messages = { n: '{count, plural, =0 {no comments} one {# comment} other {# comments}} on {title}' };
		const t = translator(messages, 'en');
		expect(t('n' as never, { count: 1, title: 'A' })).toBe('1 comment on A');
		expect(t('n' as never, { count: 3, title: 'A' })).toBe('3 comments on A');
		expect(t('n' as never, { count: 0, title: 'A' })).toBe('no comments on A');
		expect(translator({ n: '{count, plural, other {# 条评论}}' }, 'zh-CN')('n' as never, { count: 1 })).toBe('1 条评论');
	});

	it('says "1 comment" in English and keeps one form in Chinese, for every count message', () => {
		const tEn = translator(en, 'en');
		const tZh = translator(zh, 'zh-CN');
		expect([1, 2].map((count) => tEn('issue.comments', { count }))).toEqual(['1 comment', '2 comments']);
		expect([1, 2].map((count) => tEn('issue.supports', { count }))).toEqual(['1 support', '2 supports']);
		expect([1, 2].map((count) => tEn('map.open_count', { count }))).toEqual(['1 open issue', '2 open issues']);
		expect(tEn('import.failed', { count: 1 })).toBe('1 problem: nothing was imported. Please fix it and upload again.');
		expect(tEn('notify.threshold_reached', { title: '长椅', supports: 10 })).toBe('“长椅” has 10 supports and awaits the committee\'s review.');
		expect([1, 2].map((count) => tZh('issue.comments', { count }))).toEqual([`1${zh['issue.comments'].slice('{count}'.length)}`, `2${zh['issue.comments'].slice('{count}'.length)}`]);
	});
});
