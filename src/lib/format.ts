/**
 * Every time, date and number shown to a person is formatted here. The database (PGlite, PostgreSQL on
 * Supabase) and the server run in UTC, while the people using Linyi live on China time: a time is
 * always shown in Asia/Shanghai, whatever the server's or the phone's zone. Pages never slice ISO
 * strings or call toLocale* themselves.
 */

export const CHINA_TIME_ZONE = 'Asia/Shanghai';
const CHINA_OFFSET_MS = 8 * 3600_000; // China has had no daylight saving time since 1991.

// Intl formatters are costly to build: one per locale and style, kept.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>(key: string, make: () => T): T {
	let f = formatters.get(key) as T | undefined;
	if (!f) {
		f = make();
		formatters.set(key, f);
	}
	return f;
}

function instant(value: string | Date): Date | null {
	const d = value instanceof Date ? value : new Date(value);
	return Number.isNaN(d.getTime()) ? null : d;
}

/** A date in China time: "2026年12月2日", "Dec 2, 2026". An unreadable value shows as an empty string. */
export function formatDate(value: string | Date, locale: string): string {
	const d = instant(value);
	if (!d) return '';
	return cached(`d|${locale}`, () => new Intl.DateTimeFormat(locale, { timeZone: CHINA_TIME_ZONE, dateStyle: 'medium' })).format(d);
}

/** A date and time in China time, to the minute: "2026年12月2日 14:12", "Dec 2, 2026, 2:12 PM". */
export function formatDateTime(value: string | Date, locale: string): string {
	const d = instant(value);
	if (!d) return '';
	return cached(
		`dt|${locale}`,
		() => new Intl.DateTimeFormat(locale, { timeZone: CHINA_TIME_ZONE, dateStyle: 'medium', timeStyle: 'short', hourCycle: locale.startsWith('zh') ? 'h23' : undefined })
	).format(d);
}

/** A datetime-local input's value (China time, "2026-12-02T14:12") as an ISO instant. */
export function fromChinaLocal(local: string): string {
	return new Date(`${local}:00+08:00`).toISOString();
}

/** An instant as a datetime-local input's value in China time. */
export function toChinaLocal(iso: string): string {
	return new Date(new Date(iso).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16);
}

/** The day of an instant in China time, as a file name or a date input takes it ("2026-12-04"). */
export function chinaDay(value: string | Date): string {
	return toChinaLocal(new Date(value).toISOString()).slice(0, 10);
}

/** A number with at most the given decimals (at least `min`), grouped as the locale groups digits. */
export function formatNumber(n: number, locale: string, maxDecimals = 2, minDecimals = 0): string {
	return cached(
		`n|${locale}|${maxDecimals}|${minDecimals}`,
		() => new Intl.NumberFormat(locale, { maximumFractionDigits: maxDecimals, minimumFractionDigits: minDecimals })
	).format(n);
}

/** A share as a percentage with one decimal: "66.7%". */
export function formatPercent(share: number, locale: string): string {
	return cached(`p|${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })).format(share);
}

/** The plural category of a count in a locale ("one", "other", …), for messages with plural forms. */
export function pluralCategory(n: number, locale: string): Intl.LDMLPluralRule {
	return cached(`pl|${locale}`, () => new Intl.PluralRules(locale)).select(n);
}
