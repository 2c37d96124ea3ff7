import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from './types';

const SAFE = /^[a-z0-9/_-]+\.(jpg|webp|png)$/;

/** Files in DATA_DIR/uploads, served by the /uploads route. */
export class LocalStorage implements Storage {
	constructor(private readonly root: string) {}

	private file(p: string) {
		if (!SAFE.test(p) || p.includes('..')) throw new Error(`unsafe storage path: ${p}`);
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

	url(p: string) {
		return `/uploads/${p}`;
	}

	/** For the /uploads route: the file, or null for an unknown or unsafe path. */
	async read(p: string): Promise<Buffer | null> {
		if (!SAFE.test(p) || p.includes('..')) return null;
		try {
			return await readFile(this.file(p));
		} catch {
			return null;
		}
	}
}
