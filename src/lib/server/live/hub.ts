import { LiveRefusal, type LiveSource } from './types';

export interface LiveOptions {
	/** Streams one viewer (a signed-in user, or an address) may hold open at once. */
	maxPerViewer: number;
	/** How often every stream gets the server's clock: keeps proxies from closing it, finds vanished browsers, corrects skew. */
	heartbeatMs: number;
	/** A stream ends after about this long (±20 %); the browser reconnects at once, and is let in again only if it still may. */
	lifetimeMs: number;
	/** A stream whose browser has not taken this many events is dropped: it reconnects and gets a fresh snapshot. */
	maxQueued: number;
}

export const LIVE_DEFAULTS: LiveOptions = { maxPerViewer: 8, heartbeatMs: 25_000, lifetimeMs: 10 * 60_000, maxQueued: 64 };

/** What a browser asks for: one topic, as one viewer; `authorize` runs as that viewer and returns the topic's payload. */
export interface Connect {
	topic: string;
	viewer: string;
	/** The Last-Event-ID the browser sent when it reconnected. */
	lastEventId?: string | null;
	authorize(): Promise<unknown>;
}

interface Viewer {
	key: string;
	endsAt: number;
	controller: ReadableStreamDefaultController<Uint8Array>;
}

interface Topic {
	name: string;
	viewers: Set<Viewer>;
	/** Browsers being let in (authorize running): the topic is not dropped under them. */
	joining: number;
	/** Bumped on every change: the id of the topic's latest state is `<epoch>.<version>`. */
	version: number;
	following: Promise<() => Promise<void>>;
}

const encoder = new TextEncoder();

/**
 * The live port's server side: browsers follow topics over server-sent
 * events. Each topic with viewers is followed once, through the source, and
 * each change is encoded once and written to all its viewers. One timer
 * beats for every stream; nothing polls per connection.
 *
 * A stream starts with the topic's payload as the viewer may see it (the SQL
 * function that let the viewer in returns it), unless the browser reconnects
 * with the id of the topic's latest state (Last-Event-ID): then it already
 * has it. Every event carries the server's clock (`now`, ms), and so does each
 * heartbeat (`clock` events), so that browsers draw timers on the server's time.
 */
export class LiveHub {
	private readonly topics = new Map<string, Topic>();
	/** Topics being dropped: a new viewer of one waits until its listener is gone. */
	private readonly stopping = new Map<string, Promise<void>>();
	private readonly perViewer = new Map<string, number>();
	/** Versions never repeat within a process, nor (with the epoch) across restarts. */
	private readonly epoch = Date.now().toString(36);
	private version = 0;
	private readonly beat: ReturnType<typeof setInterval>;
	private closed = false;
	private closing?: Promise<void>;
	readonly options: LiveOptions;

	constructor(
		private readonly source: LiveSource,
		options: Partial<LiveOptions> = {}
	) {
		this.options = { ...LIVE_DEFAULTS, ...options };
		this.beat = setInterval(() => this.heartbeat(), this.options.heartbeatMs);
		this.beat.unref?.();
	}

	/** How many topics are followed and how many streams are open: for tests and the benchmark. */
	stats() {
		let streams = 0;
		for (const t of this.topics.values()) streams += t.viewers.size;
		return { topics: this.topics.size, streams };
	}

	/**
	 * Lets a browser in to a topic: refuses past the viewer's limit, follows the
	 * topic (or joins its listener), asks `authorize` as the viewer, and
	 * returns the event stream. Throws what `authorize` throws (the SQL
	 * function's refusal) or a LiveRefusal.
	 */
	async connect(c: Connect): Promise<ReadableStream<Uint8Array>> {
		if (this.closed) throw new LiveRefusal(503, 'errors.live_unavailable');
		const held = this.perViewer.get(c.viewer) ?? 0;
		if (held >= this.options.maxPerViewer) throw new LiveRefusal(429, 'errors.live_too_many');
		this.perViewer.set(c.viewer, held + 1);
		let topic: Topic | undefined;
		let snapshot: unknown;
		let versionBefore: number;
		try {
			topic = await this.join(c.topic);
			versionBefore = topic.version;
			snapshot = await c.authorize();
		} catch (e) {
			this.release(c.viewer);
			if (topic) {
				topic.joining--;
				this.dropIfIdle(topic);
			}
			throw e;
		}
		const t = topic;
		let viewer: Viewer;
		return new ReadableStream<Uint8Array>({
			start: (controller) => {
				const jitter = 0.8 + 0.4 * Math.random();
				viewer = { key: c.viewer, endsAt: Date.now() + this.options.lifetimeMs * jitter, controller };
				t.viewers.add(viewer);
				t.joining--;
				controller.enqueue(encoder.encode(`retry: 3000\n\n`));
				if (c.lastEventId !== this.idOf(t)) controller.enqueue(this.event(t, snapshot));
				// A change computed while the viewer was being let in may be older or newer than the
				// snapshot: compute once more, so that every viewer ends on the latest state.
				if (t.version !== versionBefore) this.refresh(t);
			},
			cancel: () => this.leave(t, viewer)
		});
	}

	/** Ends every stream and stops following every topic: for shutdown. */
	close(): Promise<void> {
		this.closing ??= (async () => {
			this.closed = true;
			clearInterval(this.beat);
			for (const t of [...this.topics.values()]) for (const v of [...t.viewers]) this.end(t, v);
			await Promise.all([...this.stopping.values()]);
			await this.source.close();
		})();
		return this.closing;
	}

	private idOf(t: Topic) {
		return `${this.epoch}.${t.version}`;
	}

	private event(t: Topic, payload: unknown) {
		return encoder.encode(`id: ${this.idOf(t)}\nevent: update\ndata: ${JSON.stringify({ now: Date.now(), data: payload })}\n\n`);
	}

	/** The topic, followed once for all its viewers; a new one starts its listener and waits for it. */
	private async join(name: string): Promise<Topic> {
		let t = this.topics.get(name);
		if (!t) {
			await this.stopping.get(name);
			t = this.topics.get(name);
		}
		if (!t) {
			const topic: Topic = { name, viewers: new Set(), joining: 0, version: ++this.version, following: Promise.resolve(async () => {}) };
			topic.following = this.source.follow(name, (payload) => this.changed(topic, payload));
			this.topics.set(name, topic);
			t = topic;
		}
		t.joining++;
		try {
			await t.following;
		} catch (e) {
			t.joining--;
			if (this.topics.get(name) === t) this.topics.delete(name);
			console.error(`live topic ${name}: could not follow it:`, e);
			throw new LiveRefusal(503, 'errors.live_unavailable');
		}
		return t;
	}

	/** A change: one new version, one encoded event, written to every viewer of the topic. */
	private changed(t: Topic, payload: unknown) {
		if (this.topics.get(t.name) !== t) return;
		t.version = ++this.version;
		const chunk = this.event(t, payload);
		for (const v of [...t.viewers]) this.write(t, v, chunk);
	}

	private refresh(t: Topic) {
		this.source.payload(t.name).then(
			(payload) => this.changed(t, payload),
			(e) => console.error(`live topic ${t.name}:`, e)
		);
	}

	private write(t: Topic, v: Viewer, chunk: Uint8Array) {
		// desiredSize falls by one per event the browser has not taken: a stuck one is let go.
		if ((v.controller.desiredSize ?? 0) < -this.options.maxQueued) return this.end(t, v);
		try {
			v.controller.enqueue(chunk);
		} catch {
			this.leave(t, v);
		}
	}

	private heartbeat() {
		const now = Date.now();
		const chunk = encoder.encode(`event: clock\ndata: ${now}\n\n`);
		for (const t of [...this.topics.values()]) {
			for (const v of [...t.viewers]) {
				if (now >= v.endsAt) this.end(t, v);
				else this.write(t, v, chunk);
			}
		}
	}

	/** Closes a stream from the server's side (its lifetime is up, its browser is stuck, or shutdown). */
	private end(t: Topic, v: Viewer) {
		try {
			v.controller.close();
		} catch {
			// Already closed or cancelled by the browser.
		}
		this.leave(t, v);
	}

	/** A viewer is gone, whichever side ended it: its slot is freed, and its topic dropped if it was the last. */
	private leave(t: Topic, v: Viewer) {
		if (!t.viewers.delete(v)) return;
		this.release(v.key);
		this.dropIfIdle(t);
	}

	private release(key: string) {
		const n = (this.perViewer.get(key) ?? 1) - 1;
		if (n > 0) this.perViewer.set(key, n);
		else this.perViewer.delete(key);
	}

	private dropIfIdle(t: Topic) {
		if (t.viewers.size > 0 || t.joining > 0 || this.topics.get(t.name) !== t) return;
		this.topics.delete(t.name);
		const stopped = t.following
			.then((stop) => stop())
			.catch((e) => console.error(`live topic ${t.name}: could not stop following it:`, e))
			.finally(() => {
				if (this.stopping.get(t.name) === stopped) this.stopping.delete(t.name);
			});
		this.stopping.set(t.name, stopped);
	}
}
