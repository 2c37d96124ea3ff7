/**
 * The storage port: photos and other files. Locally under DATA_DIR/uploads,
 * in a Supabase Storage bucket in supabase mode. Paths are random and
 * unguessable; the database stores the path, pages ask for its URL.
 */
export interface Storage {
	put(path: string, data: Buffer, contentType: string): Promise<void>;
	remove(paths: string[]): Promise<void>;
	url(path: string): string;
}
