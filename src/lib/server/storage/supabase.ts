import type { Caller } from '../backend/types';
import type { SupabaseClients } from '../supabase-client';
import { STORED_PATH } from './local';
import type { Storage } from './types';

export const PHOTO_BUCKET = 'issue-photos';
/** How long a signed photo URL works: long enough for a page left open, short enough that a copied link dies. */
export const SIGNED_URL_SECONDS = 3600;

/**
 * A private Supabase Storage bucket (docs/deploy-supabase.md). The server
 * writes with the service key, after photos.ts has checked and re-encoded
 * each photo; reads are signed URLs, asked for with the caller's own client,
 * so Storage signs only what the bucket's select policy (public.can_read_photo,
 * the RLS) lets that caller read.
 */
export class SupabaseStorage implements Storage {
	constructor(private readonly clients: SupabaseClients) {}

	private writer() {
		const admin = this.clients.admin();
		if (!admin) throw new Error('photo uploads in supabase mode need SUPABASE_SERVICE_ROLE_KEY');
		return admin.storage.from(PHOTO_BUCKET);
	}

	async put(path: string, data: Buffer, contentType: string) {
		// Seconds a browser keeps it; each signed URL carries its own token, so a copy is only ever the holder's.
		const { error } = await this.writer().upload(path, data, { contentType, upsert: false, cacheControl: String(SIGNED_URL_SECONDS) });
		if (error) throw new Error(`storage upload failed: ${error.message}`);
	}

	async remove(paths: string[]) {
		if (paths.length) await this.writer().remove(paths);
	}

	async urls(paths: string[], as: Caller) {
		if (!paths.length) return [];
		const client = (as.kind === 'user' && as.client) || this.clients.anon;
		const { data, error } = await client.storage.from(PHOTO_BUCKET).createSignedUrls(paths, SIGNED_URL_SECONDS);
		if (error) throw new Error(`signing photo URLs failed: ${error.message}`);
		const signed = new Map(data.filter((d) => !d.error && d.signedUrl).map((d) => [d.path, d.signedUrl]));
		return paths.map((p) => signed.get(p) ?? null);
	}

	/**
	 * The stored file, read with the service key: for the routes that asked the database first
	 * whether the caller may have it (/uploads: can_read_photo; a proxy letter: proxy_letter_path,
	 * the meeting's moderators only). Pages show photos through signed URLs; a proxy letter has no
	 * photo kind of its own in the bucket's read policy, so its route serves it itself, as locally.
	 */
	async read(path: string) {
		if (!STORED_PATH.test(path) || path.includes('..')) return null;
		const admin = this.clients.admin();
		if (!admin) return null;
		const { data, error } = await admin.storage.from(PHOTO_BUCKET).download(path);
		if (error || !data) return null;
		return Buffer.from(await data.arrayBuffer());
	}
}
