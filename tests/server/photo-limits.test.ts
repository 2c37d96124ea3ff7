import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32, deflateSync } from 'node:zlib';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import * as propose from '../../src/routes/estates/[id=uuid]/issues/new/+page.server';
import { MAX_PHOTO_PIXELS, photoDecodes } from '../../src/lib/server/photos';
import { JINYUAN, count, expectFailure, expectNoWrite, expectRedirect, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * Photos cost memory by their pixels, not their bytes: a file of a few KB can
 * claim eight thousand pixels square. Such a photo is refused from its
 * header, and real ones are decoded at most two at a time per process.
 */
let rt: TestRuntime;
let xiyuan: string;
beforeAll(async () => {
	rt = await openTestRuntime();
	[{ id: xiyuan }] = await rt.sql.query<{ id: string }>(`select id from public.areas where estate_id = $1 and name = '西苑'`, [JINYUAN]);
});
afterAll(() => rt.close());

/** A valid PNG of width × height one-bit pixels, all black: deflate makes its 8 MB of rows a few KB. */
function pngBomb(width: number, height: number): File {
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const out = Buffer.alloc(body.length + 8);
		out.writeUInt32BE(data.length, 0);
		body.copy(out, 4);
		out.writeUInt32BE(crc32(body), body.length + 4);
		return out;
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 1; // bit depth
	header[9] = 0; // greyscale
	const rows = Buffer.alloc((Math.ceil(width / 8) + 1) * height);
	const png = Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(rows, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
	return new File([new Uint8Array(png)], 'bomb.png', { type: 'image/png' });
}

async function photo(side: number): Promise<File> {
	const data = await sharp({ create: { width: side, height: side, channels: 3, background: '#a73' } }).jpeg().toBuffer();
	return new File([new Uint8Array(data)], 'photo.jpg', { type: 'image/jpeg' });
}

const propose_ = (title: string, photos: File[]) =>
	request(
		{
			url: `/estates/${JINYUAN}/issues/new`,
			as: 'resident@demo.linyi.org',
			form: { title, category: 'facilities', area_id: xiyuan, body: '', confirm_new: 'true', photos: photos as never }
		},
		propose.actions.default
	);

const storedFiles = async () => (await readdir(path.join(rt.config.DATA_DIR, 'uploads', 'issues')).catch(() => [])).length;

describe('photo limits', () => {
	it('refuses an image bomb under the byte limit from its header, beside the photo field, writing nothing', async () => {
		const bomb = pngBomb(8000, 8000);
		expect(bomb.size).toBeLessThan(100_000);
		expect(8000 * 8000).toBeGreaterThan(MAX_PHOTO_PIXELS);
		const files = await storedFiles();
		photoDecodes.peak = 0;
		const x = await expectNoWrite(() => propose_('八千像素的照片', [bomb]));
		expectFailure(x, 400, { photos: 'errors.photo_too_many_pixels' });
		// Refused from the header alone: not one decode of its 64 million pixels was started.
		expect(photoDecodes.peak).toBe(0);
		expect(await storedFiles()).toBe(files);
	});

	it('refuses the bomb after a good photo of the same issue, and removes the good one it had stored', async () => {
		const files = await storedFiles();
		const x = await expectNoWrite(async () => propose_('一张好一张坏', [await photo(800), pngBomb(7100, 7100)]));
		expectFailure(x, 400, { photos: 'errors.photo_too_many_pixels' });
		expect(await storedFiles()).toBe(files);
	});

	it('decodes at most two photos at once however many arrive together, and stores every one', async () => {
		const before = await count('public.issue_photos');
		const photos = await Promise.all(Array.from({ length: 8 }, () => photo(2000)));
		photoDecodes.peak = 0;
		const results = await Promise.all(Array.from({ length: 4 }, (_, i) => propose_(`同时上传的照片 ${i + 1}`, photos.slice(i * 2, i * 2 + 2))));
		for (const x of results) expectRedirect(x, new RegExp(`^/estates/${JINYUAN}/issues/[0-9a-f-]{36}$`));
		expect(photoDecodes.peak).toBe(2);
		expect([photoDecodes.running, photoDecodes.waiting]).toEqual([0, 0]);
		expect(await count('public.issue_photos')).toBe(before + 8);
	});
});
