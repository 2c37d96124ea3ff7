import { getContext, setContext } from 'svelte';
import type zh from '../../messages/zh-CN.json';
import { pluralCategory } from './format';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_COOKIE = 'linyi_locale';
export const TEXT_COOKIE = 'linyi_text';

/**
 * Every message key, from the Chinese file (the one every other locale follows): t() takes only these,
 * so svelte-check catches a mistyped key. Keys that arrive at run time (a SQL function's refusal, a
 * form error) are checked with messageKey().
 */
export type MessageKey = keyof typeof zh;
export type Messages = Record<MessageKey, string>;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isLocale(v: unknown): v is Locale {
	return LOCALES.includes(v as Locale);
}

/**
 * A key that arrived at run time (from the database, a form's errors, a payload), for t(). It is not
 * checked here: t() shows an unknown key as itself, so a missing translation is visible rather than blank.
 */
export function messageKey(key: string): MessageKey {
	return key as MessageKey;
}

/** The end of the {…} group that opens at `start`, counting nested groups; -1 when it never closes. */
function closing(text: string, start: number): number {
	let depth = 0;
	for (let i = start; i < text.length; i++) {
		if (text[i] === '{') depth++;
		else if (text[i] === '}' && --depth === 0) return i;
	}
	return -1;
}

/**
 * Fills a message: {name} takes a parameter, and {count, plural, one {# comment} other {# comments}}
 * picks the form the locale's plural rules (Intl.PluralRules) choose for the number, =0 style exact
 * matches first, with # standing for the number. A placeholder without a parameter stays as it is.
 */
function fill(text: string, params: Params, locale: string): string {
	let out = '';
	let i = 0;
	while (i < text.length) {
		const open = text.indexOf('{', i);
		if (open < 0) break;
		const end = closing(text, open);
		if (end < 0) break;
		out += text.slice(i, open);
		const inner = text.slice(open + 1, end);
		const plural = /^(\w+)\s*,\s*plural\s*,(.*)$/s.exec(inner);
		const name = plural ? plural[1] : inner;
		if (!(name in params)) {
			out += text.slice(open, end + 1);
		} else if (plural) {
			const n = Number(params[name]);
			const forms = new Map<string, string>();
			const spec = plural[2];
			let j = 0;
			while (j < spec.length) {
				const m = /^\s*(=?\w+)\s*\{/.exec(spec.slice(j));
				if (!m) break;
				const body = j + m[0].length - 1;
				const stop = closing(spec, body);
				if (stop < 0) break;
				forms.set(m[1], spec.slice(body + 1, stop));
				j = stop + 1;
			}
			const chosen = forms.get(`=${n}`) ?? forms.get(pluralCategory(n, locale)) ?? forms.get('other') ?? '';
			out += fill(chosen.replaceAll('#', String(params[name])), params, locale);
		} else {
			out += String(params[name]);
		}
		i = end + 1;
	}
	return out + text.slice(i);
}

/** The parameters a message names ({name}, and {name, plural, …} with those inside its forms), sorted, once each. */
export function placeholders(text: string): string[] {
	const names = new Set<string>();
	const walk = (t: string) => {
		let i = 0;
		for (let open = t.indexOf('{', i); open >= 0; open = t.indexOf('{', i)) {
			const end = closing(t, open);
			if (end < 0) return;
			const inner = t.slice(open + 1, end);
			const plural = /^(\w+)\s*,\s*plural\s*,(.*)$/s.exec(inner);
			if (plural) {
				names.add(plural[1]);
				const spec = plural[2];
				for (let j = spec.indexOf('{'); j >= 0; ) {
					const stop = closing(spec, j);
					if (stop < 0) break;
					walk(spec.slice(j + 1, stop));
					j = spec.indexOf('{', stop + 1);
				}
			} else if (/^\w+$/.test(inner)) names.add(inner);
			i = end + 1;
		}
	};
	walk(text);
	return [...names].sort();
}

/**
 * A message by key, with its placeholders filled in (see fill). An unknown key shows as itself, so a
 * missing translation is visible rather than blank.
 */
export function translator(messages: Partial<Record<string, string>>, locale: string = DEFAULT_LOCALE): Translate {
	return (key, params) => {
		const text = messages[key] ?? key;
		return params || text.includes('{') ? fill(text, params ?? {}, locale) : text;
	};
}

// Each locale is its own chunk: the browser loads one, once, and caches it.
const loaders = import.meta.glob<Messages>('/messages/*.json', { import: 'default' });

export async function loadMessages(locale: Locale): Promise<Messages> {
	return loaders[`/messages/${locale}.json`]();
}

const KEY = Symbol('i18n');

export function setTranslate(t: Translate) {
	setContext(KEY, t);
}

/** The current page's translate function, for any component below the root layout. */
export function useT(): Translate {
	return getContext<Translate>(KEY);
}
