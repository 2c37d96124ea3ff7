import type { LiveUpdate } from '$lib/domain/live';

export interface LiveHandlers<T> {
	/** The topic's payload: first as it is now, then after each change. */
	update(data: T): void;
	/** The server's clock minus this browser's, in ms: add it to Date.now() to draw timers on the server's time. */
	clock?(offset: number): void;
}

/**
 * Follows a live topic of the server (GET /live, server-sent events) in the
 * browser. EventSource reconnects by itself, sending the last event's id, so
 * a browser that missed nothing gets no snapshot again. Returns the function
 * that stops following.
 */
export function followLive<T>(topic: string, handlers: LiveHandlers<T>): () => void {
	const source = new EventSource(`/live?topic=${encodeURIComponent(topic)}`);
	source.addEventListener('update', (e) => {
		const m = JSON.parse((e as MessageEvent<string>).data) as LiveUpdate<T>;
		handlers.clock?.(m.now - Date.now());
		handlers.update(m.data);
	});
	source.addEventListener('clock', (e) => handlers.clock?.(Number((e as MessageEvent<string>).data) - Date.now()));
	return () => source.close();
}
