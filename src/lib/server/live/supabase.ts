import type { SupabaseClient } from '@supabase/supabase-js';
import type { LiveSource } from './types';

/**
 * The live source of supabase mode: the same triggers call realtime.send()
 * with the topic's payload to a private broadcast channel of the topic's
 * name (private.live_changed); the server joins each followed topic's
 * channel once, with the service role key, and relays what it receives. When
 * a channel joins again after its socket was lost, the server fetches the
 * payload through PostgREST (public.live_payload, service role only), since
 * a broadcast may have been missed meanwhile.
 */
export class RealtimeSource implements LiveSource {
	constructor(
		private readonly client: SupabaseClient,
		/** The service role key: Realtime admits it to every private channel. */
		private readonly accessToken: string
	) {}

	async payload(topic: string): Promise<unknown> {
		const { data, error } = await this.client.rpc('live_payload', { p_topic: topic });
		if (error) throw new Error(`live_payload: ${error.code} ${error.message}`);
		return data;
	}

	async follow(topic: string, changed: (payload: unknown) => void) {
		await this.client.realtime.setAuth(this.accessToken);
		const channel = this.client.channel(topic, { config: { private: true } });
		channel.on('broadcast', { event: 'change' }, (message) => changed(message.payload));
		let joined = false;
		const subscribed = new Promise<void>((resolve, reject) => {
			channel.subscribe((status, err) => {
				if (status === 'SUBSCRIBED') {
					if (joined) this.payload(topic).then(changed, (e) => console.error(`live topic ${topic}:`, e));
					joined = true;
					resolve();
				} else if (!joined && (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT')) {
					reject(err ?? new Error(`Realtime channel ${topic}: ${status}`));
				}
			});
		});
		// A refused channel would otherwise keep trying to join.
		await subscribed.catch(async (e) => {
			await this.client.removeChannel(channel);
			throw e;
		});
		return async () => {
			await this.client.removeChannel(channel);
		};
	}

	async close() {
		await this.client.removeAllChannels();
		this.client.realtime.disconnect();
	}
}

/** Supabase mode without the service role key: no channel to follow, so the bars stay as the page drew them. */
export class NoLiveSource implements LiveSource {
	async follow(): Promise<() => Promise<void>> {
		throw new Error('live updates need SUPABASE_SERVICE_ROLE_KEY in supabase mode');
	}
	async payload() {
		return null;
	}
	async close() {}
}
