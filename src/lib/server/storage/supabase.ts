import { serverClient } from '../supabase-client';
import type { Storage } from './types';

export const PHOTO_BUCKET = 'issue-photos';

/** A public Supabase Storage bucket; the server writes with the service key (docs/deploy-supabase.md). */
export class SupabaseStorage implements Storage {
	constructor(
		private readonly url_: string,
		private readonly serviceKey: string | undefined
	) {}

	private bucket() {
		if (!this.serviceKey) throw new Error('photo uploads in supabase mode need SUPABASE_SERVICE_ROLE_KEY');
		return serverClient(this.url_, this.serviceKey).storage.from(PHOTO_BUCKET);
	}

	async put(path: string, data: Buffer, contentType: string) {
		const { error } = await this.bucket().upload(path, data, { contentType, upsert: false });
		if (error) throw new Error(`storage upload failed: ${error.message}`);
	}

	async remove(paths: string[]) {
		if (paths.length) await this.bucket().remove(paths);
	}

	url(path: string) {
		return `${this.url_}/storage/v1/object/public/${PHOTO_BUCKET}/${path}`;
	}
}
