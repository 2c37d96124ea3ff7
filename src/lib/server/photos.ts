import { randomUUID } from 'node:crypto';
import sharp, { type OutputInfo } from 'sharp';
import { DomainError } from './backend/types';
import { ConcurrencyLimit } from './concurrency';
import type { Storage } from './storage/types';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTOS = 6;
/**
 * A phone's largest photo mode is about 50 megapixels; a file under 10 MB can
 * claim far more (an image bomb), and decoding it costs memory by its pixels.
 */
export const MAX_PHOTO_PIXELS = 50_000_000;
/**
 * Photos decoded at once in this process; the others wait. Each decode holds
 * up to a few hundred MB and keeps a core busy: 72 eight-thousand-pixel
 * images at once took 30 s and 834 MB.
 */
export const photoDecodes = new ConcurrencyLimit(2);
const MAX_SIDE = 1600;
const THUMB_SIDE = 400;

/** The image type by its first bytes, never by its name: JPEG, PNG or WebP, or null. */
export function sniffImage(b: Uint8Array): 'jpeg' | 'png' | 'webp' | null {
	if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
	if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return 'png';
	if (b.length >= 12 && String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP') return 'webp';
	return null;
}

export interface StoredPhoto {
	path: string;
	thumb_path: string;
	width: number;
	height: number;
}

/**
 * Checks, resizes and stores photos: at most 1600 px on the long side plus a
 * 400 px thumbnail, both JPEG, turned upright and with all metadata — EXIF
 * GPS included — dropped (sharp writes none unless asked). Refusals are
 * DomainErrors on the field "photos". `folder` names what they belong to:
 * issues, or proxies (the signed letters of meeting proxies).
 */
export async function storePhotos(storage: Storage, files: File[], folder: 'issues' | 'proxies' = 'issues'): Promise<StoredPhoto[]> {
	const real = files.filter((f) => f.size > 0);
	if (real.length > MAX_PHOTOS) throw new DomainError('22023', 'errors.photos_too_many', 'photos');
	const stored: StoredPhoto[] = [];
	try {
		for (const file of real) {
			if (file.size > MAX_PHOTO_BYTES) throw new DomainError('22023', 'errors.photo_too_large', 'photos');
			const input = Buffer.from(await file.arrayBuffer());
			if (!sniffImage(input)) throw new DomainError('22023', 'errors.photo_not_image', 'photos');
			// The size from the header alone, before anything is decoded or queued.
			const { width, height } = await sharp(input).metadata().catch(() => ({ width: 0, height: 0 }));
			if (!width || !height) throw new DomainError('22023', 'errors.photo_not_image', 'photos');
			if (width * height > MAX_PHOTO_PIXELS) throw new DomainError('22023', 'errors.photo_too_many_pixels', 'photos');
			let full: { data: Buffer; info: OutputInfo };
			let thumb: Buffer;
			try {
				[full, thumb] = await photoDecodes.run(async () => {
					const upright = sharp(input, { limitInputPixels: MAX_PHOTO_PIXELS }).rotate();
					// One after the other: each pipeline decodes the input anew.
					const large = await upright.clone().resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82, mozjpeg: true }).toBuffer({ resolveWithObject: true });
					const small = await upright.clone().resize(THUMB_SIDE, THUMB_SIDE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
					return [large, small] as const;
				});
			} catch {
				throw new DomainError('22023', 'errors.photo_not_image', 'photos');
			}
			const id = randomUUID();
			const photo = { path: `${folder}/${id}.jpg`, thumb_path: `${folder}/${id}_thumb.jpg`, width: full.info.width, height: full.info.height };
			await storage.put(photo.path, full.data, 'image/jpeg');
			await storage.put(photo.thumb_path, thumb, 'image/jpeg');
			stored.push(photo);
		}
	} catch (e) {
		await removePhotos(storage, stored);
		throw e;
	}
	return stored;
}

export async function removePhotos(storage: Storage, photos: StoredPhoto[]) {
	await storage.remove(photos.flatMap((p) => [p.path, p.thumb_path]));
}
