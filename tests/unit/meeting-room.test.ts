import { describe, expect, it } from 'vitest';
import { clock, openMotion, secondsLeft } from '../../src/lib/domain/meeting-room';

/** The speech timer's arithmetic: it draws from the stored end, on the server's clock. */
describe('the speech timer', () => {
	const ends = '2026-12-04T12:02:00.000Z';
	const at = (iso: string) => Date.parse(iso);

	it('counts down to the end on the server’s clock, whatever the phone’s says', () => {
		expect(secondsLeft(ends, at('2026-12-04T12:00:00.000Z'), 0)).toBe(120);
		// The phone is 90 s slow: the server's clock is 90 s ahead of it.
		expect(secondsLeft(ends, at('2026-12-04T11:58:30.000Z'), 90_000)).toBe(120);
		// The phone is two days fast.
		expect(secondsLeft(ends, at('2026-12-06T12:01:30.000Z'), -2 * 86400_000)).toBe(30);
	});

	it('reaches zero at the end and goes below it after, rounding up the part of a second left', () => {
		expect(secondsLeft(ends, at('2026-12-04T12:01:59.200Z'), 0)).toBe(1);
		expect(secondsLeft(ends, at('2026-12-04T12:02:00.000Z'), 0)).toBe(0);
		expect(secondsLeft(ends, at('2026-12-04T12:02:10.000Z'), 0)).toBe(-10);
	});

	it('shows minutes and seconds, overtime by its size', () => {
		expect(clock(120)).toBe('2:00');
		expect(clock(65)).toBe('1:05');
		expect(clock(0)).toBe('0:00');
		expect(clock(-10)).toBe('0:10');
	});
});

describe('the open motion', () => {
	it('is the one moved, in debate or being voted on; decided and withdrawn ones are not', () => {
		const m = (id: string, status: string) => ({ id, status }) as never;
		expect(openMotion({ motions: [m('a', 'carried'), m('b', 'debating')] })?.id).toBe('b');
		expect(openMotion({ motions: [m('a', 'withdrawn'), m('b', 'failed')] })).toBeUndefined();
	});
});
