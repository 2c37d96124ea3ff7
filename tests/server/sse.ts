/** One server-sent event as a browser's EventSource would see it. */
export interface SseEvent {
	id?: string;
	event: string;
	data: string;
}

/** Parses a server-sent event stream's text into its events (comments and `retry:` lines skipped). */
export function parseSse(text: string): SseEvent[] {
	const events: SseEvent[] = [];
	for (const block of text.split('\n\n')) {
		const e: Partial<SseEvent> & { lines: string[] } = { lines: [] };
		for (const line of block.split('\n')) {
			const at = line.indexOf(':');
			if (at <= 0) continue;
			const [field, value] = [line.slice(0, at), line.slice(at + 1).replace(/^ /, '')];
			if (field === 'id') e.id = value;
			else if (field === 'event') e.event = value;
			else if (field === 'data') e.lines.push(value);
		}
		if (e.lines.length) events.push({ id: e.id, event: e.event ?? 'message', data: e.lines.join('\n') });
	}
	return events;
}

/** Reads a live stream as it arrives, the way a browser would, with a deadline for each expectation. */
export class SseReader {
	text = '';
	done = false;
	private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
	private readonly decoder = new TextDecoder();
	private pending: Promise<void> | null = null;

	constructor(response: Response) {
		this.reader = response.body!.getReader();
	}

	get events() {
		return parseSse(this.text);
	}

	/** The payloads of the `update` events so far. */
	updates<T = Record<string, unknown>>(): T[] {
		return this.events.filter((e) => e.event === 'update').map((e) => (JSON.parse(e.data) as { data: T }).data);
	}

	private readMore() {
		this.pending ??= this.reader.read().then(({ value, done }) => {
			this.pending = null;
			if (done) this.done = true;
			else this.text += this.decoder.decode(value, { stream: true });
		});
		return this.pending;
	}

	/** Waits until `ok` holds for what arrived (or the stream ends, which is then checked too). */
	async until(ok: (r: SseReader) => boolean, ms = 10_000): Promise<void> {
		const deadline = Date.now() + ms;
		while (!ok(this)) {
			if (this.done) throw new Error(`the stream ended before the expectation held; it carried:\n${this.text}`);
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`no matching event within ${ms} ms; the stream carried:\n${this.text}`);
			await Promise.race([this.readMore(), new Promise((r) => setTimeout(r, left))]);
		}
	}

	/** What arrives within `ms` (for checking that nothing does). */
	async settle(ms: number) {
		const deadline = Date.now() + ms;
		while (!this.done && Date.now() < deadline) await Promise.race([this.readMore(), new Promise((r) => setTimeout(r, deadline - Date.now()))]);
	}

	/** The browser goes away. */
	async cancel() {
		await this.reader.cancel();
	}
}
