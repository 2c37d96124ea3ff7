import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from './types';

/** The paths photos.ts writes: nothing else is ever read from or written to disk. */
export const STORED_PATH = /^[a-z0-9/_-]+\.(jpg|webp|png)$/;

/** Files in DATA_DIR/uploads, served by the /uploads route after it checks who asks. */
export class LocalStorage implements Storage {
	constructor(private readonly root: string) {}

	private file(p: string) {
		if (!STORED_PATH.test(p) || p.includes('..')) throw new Error(`unsafe storage path: ${p}`);
		return path.join(this.root, p);
	}

	async put(p: string, data: Buffer) {
		const f = this.file(p);
		await mkdir(path.dirname(f), { recursive: true });
		await writeFile(f, data);
	}

	async remove(paths: string[]) {
		await Promise.all(paths.map((p) => rm(this.file(p), { force: true })));
	}

	/** The /uploads route checks each request itself, so the URL needs no signature. */
	async urls(paths: string[]) {
		return paths.map((p) => `/uploads/${p}`);
	}

	async read(p: string): Promise<Buffer | null> {
		if (!STORED_PATH.test(p) || p.includes('..')) return null;
		try {
			return await readFile(this.file(p));
		} catch {
			return null;
		}
	}
}
