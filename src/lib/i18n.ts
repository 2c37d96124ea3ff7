import { getContext, setContext } from 'svelte';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_COOKIE = 'linyi_locale';
export const TEXT_COOKIE = 'linyi_text';

export type Messages = Record<string, string>;
export type Params = Record<string, string | number>;
export type Translate = (key: string, params?: Params) => string;

export function isLocale(v: unknown): v is Locale {
	return LOCALES.includes(v as Locale);
}

/**
 * A message by key, with {name} placeholders filled in. An unknown key shows
 * as itself, so a missing translation is visible rather than blank.
 */
export function translator(messages: Messages): Translate {
	return (key, params) => {
		const text = messages[key] ?? key;
		return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
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
