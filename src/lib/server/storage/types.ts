import type { Caller } from '../backend/types';

/**
 * The storage port: photos and other files. Locally under DATA_DIR/uploads,
 * served by the app's /uploads route; in a private Supabase Storage bucket in
 * supabase mode, read through signed URLs that expire. Paths are random; the
 * database stores the path, and pages ask the port for the URLs to show.
 * Either way a file is given only to someone who may read what it belongs to
 * (public.can_read_photo, run as the caller under RLS).
 */
export interface Storage {
	put(path: string, data: Buffer, contentType: string): Promise<void>;
	remove(paths: string[]): Promise<void>;
	/**
	 * Where the caller's browser loads each file from, in the order given; null
	 * for a file the caller may not read. One round trip for all of them.
	 */
	urls(paths: string[], as: Caller): Promise<(string | null)[]>;
	/** The stored file, for a route that has asked the database whether the caller may read it: null if unknown. */
	read(path: string): Promise<Buffer | null>;
}
