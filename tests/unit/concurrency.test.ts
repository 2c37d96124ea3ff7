import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../src/lib/server/concurrency';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('ConcurrencyLimit', () => {
	it('runs at most its limit at once, every task in its turn, first come first served', async () => {
		const limit = new ConcurrencyLimit(2);
		let now = 0;
		let most = 0;
		const started: number[] = [];
		const results = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				limit.run(async () => {
					started.push(i);
					most = Math.max(most, ++now);
					await tick();
					now--;
					return i * i;
				})
			)
		);
		expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i * i));
		expect(most).toBe(2);
		expect(limit.peak).toBe(2);
		expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect([limit.running, limit.waiting]).toEqual([0, 0]);
	});

	it('gives the slot back when a task fails, and never lets a newcomer in beside the one handed it', async () => {
		const limit = new ConcurrencyLimit(1);
		let now = 0;
		const work = (fail: boolean) =>
			limit.run(async () => {
				expect(++now).toBe(1);
				await tick();
				now--;
				if (fail) throw new Error('bad photo');
				return 'ok';
			});
		const first = work(true);
		const second = work(false);
		await expect(first).rejects.toThrow('bad photo');
		// The first has finished and handed over its slot: a newcomer now still waits for the second.
		const third = work(false);
		expect(await Promise.all([second, third])).toEqual(['ok', 'ok']);
		expect(limit.peak).toBe(1);
	});
});
