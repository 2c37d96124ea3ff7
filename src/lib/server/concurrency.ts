/**
 * Runs at most `limit` tasks at once; the others wait their turn, first come
 * first served. For work that holds a lot of memory or CPU while it runs
 * (decoding a photo): past a couple at once, more only makes each slower and
 * the process bigger.
 */
export class ConcurrencyLimit {
	private active = 0;
	private readonly queue: Array<() => void> = [];
	/** The most tasks that ever ran at once: for monitoring, and for the tests that check the limit. */
	peak = 0;

	constructor(readonly limit: number) {
		if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
	}

	get running() {
		return this.active;
	}

	get waiting() {
		return this.queue.length;
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active < this.limit) this.active++;
		// A finished task hands its slot straight to the next in line, so that no newcomer slips in between.
		else await new Promise<void>((resolve) => this.queue.push(resolve));
		this.peak = Math.max(this.peak, this.active);
		try {
			return await task();
		} finally {
			const next = this.queue.shift();
			if (next) next();
			else this.active--;
		}
	}
}
