import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber, formatPercent, fromChinaLocal, pluralCategory, toChinaLocal } from '../../src/lib/format';

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((f) => {
		const p = path.join(dir, f);
		return statSync(p).isDirectory() ? files(p) : [p];
	});
}

describe('times shown to people', () => {
	// 06:12 UTC is 14:12 in Beijing; what the database (in UTC) returns.
	const utc = '2026-12-02T06:12:00.123456+00:00';

	it('are in China time, whatever zone the server runs in', () => {
		expect(process.env.TZ ?? 'UTC').not.toBe('Asia/Shanghai');
		expect(formatDateTime(utc, 'zh-CN')).toBe('2026年12月2日 14:12');
		expect(formatDateTime(utc, 'en')).toBe('Dec 2, 2026, 2:12 PM');
		expect(formatDate(utc, 'zh-CN')).toBe('2026年12月2日');
	});

	it('move to the next day in China before they do in UTC', () => {
		expect(formatDate('2026-12-02T16:30:00Z', 'zh-CN')).toBe('2026年12月3日');
		expect(formatDateTime('2026-12-02T16:30:00Z', 'zh-CN')).toBe('2026年12月3日 00:30');
		expect(formatDate('2026-12-02T16:30:00Z', 'en')).toBe('Dec 3, 2026');
	});

	it('show nothing for an unreadable value rather than "Invalid Date"', () => {
		expect(formatDateTime('not a time', 'zh-CN')).toBe('');
		expect(formatDate('', 'en')).toBe('');
	});

	it('turn a datetime-local value in China time into an instant and back', () => {
		expect(fromChinaLocal('2026-12-02T14:12')).toBe('2026-12-02T06:12:00.000Z');
		expect(toChinaLocal('2026-12-02T06:12:00.000Z')).toBe('2026-12-02T14:12');
		expect(toChinaLocal('2026-12-02T16:30:00Z')).toBe('2026-12-03T00:30');
	});

	it('are formatted by this module only: no page slices ISO strings or calls toLocale* or Intl itself', () => {
		const offenders: string[] = [];
		for (const f of files('src').filter((f) => /\.(ts|svelte)$/.test(f) && !f.endsWith(path.join('lib', 'format.ts')))) {
			const text = readFileSync(f, 'utf8');
			if (/\.toLocale(String|DateString|TimeString)\(|new Intl\.|\.slice\(0, (10|16|19)\)\.replace\('T'|_at\.slice\(|\.at\.slice\(/.test(text)) offenders.push(f);
		}
		expect(offenders).toEqual([]);
	});
});

describe('numbers and plurals', () => {
	it('group digits and keep the decimals asked for', () => {
		expect(formatNumber(12345.678, 'zh-CN')).toBe('12,345.68');
		expect(formatNumber(89.5, 'en', 2, 2)).toBe('89.50');
		expect(formatNumber(89.5, 'en', 0)).toBe('90');
		expect(formatPercent(2 / 3, 'en')).toBe('66.7%');
	});

	it('know that English says "1 comment" and Chinese has one form', () => {
		expect(pluralCategory(1, 'en')).toBe('one');
		expect(pluralCategory(2, 'en')).toBe('other');
		expect(pluralCategory(0, 'en')).toBe('other');
		expect(pluralCategory(1, 'zh-CN')).toBe('other');
	});
});
