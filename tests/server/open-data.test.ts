import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import yauzl from 'yauzl';
import * as estatePage from '../../src/routes/estates/[id=uuid]/open-data/+page.server';
import * as estateZip from '../../src/routes/estates/[id=uuid]/open-data/zip/+server';
import * as communityZip from '../../src/routes/communities/[id=uuid]/open-data/zip/+server';
import { parseCsv } from '../../src/lib/domain/csv';
import { OPEN_DATA_FILES, csvField, csvText, type OpenDataFile } from '../../src/lib/domain/open-data';
import { COMMUNITY, JINYUAN, CAILIAN, expectData, expectHttpError, openTestRuntime, request, type TestRuntime } from './harness';

/**
 * The open-data download through the real hooks on the demo: a ZIP of every
 * file as CSV and JSON, the same rows in both, as the caller may read them,
 * with no personal data; and docs/open-data.md explains every column.
 */

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
});
afterAll(() => rt.close());

const RESIDENT = 'resident@demo.linyi.org' as const;

/** Every entry of a ZIP, by name, as text. */
async function unzip(bytes: Buffer): Promise<Map<string, string>> {
	const zip = await new Promise<yauzl.ZipFile>((ok, fail) => yauzl.fromBuffer(bytes, { lazyEntries: true }, (e, z) => (e ? fail(e) : ok(z!))));
	const files = new Map<string, string>();
	await new Promise<void>((ok, fail) => {
		zip.on('entry', (entry: yauzl.Entry) =>
			zip.openReadStream(entry, (e, s) => {
				if (e) return fail(e);
				const parts: Buffer[] = [];
				s!.on('data', (d: Buffer) => parts.push(d)).on('end', () => {
					files.set(entry.fileName, Buffer.concat(parts).toString('utf8'));
					zip.readEntry();
				});
			})
		);
		zip.on('end', ok).on('error', fail);
		zip.readEntry();
	});
	return files;
}

async function download(url: string, as: 'anon' | typeof RESIDENT, handler: typeof estateZip.GET | typeof communityZip.GET, params: Record<string, string>) {
	const x = await request({ url, as, params }, handler as (event: unknown) => unknown);
	expect(x.response?.status).toBe(200);
	expect(x.response?.headers.get('content-type')).toBe('application/zip');
	expect(x.response?.headers.get('content-disposition')).toMatch(/^attachment; filename="linyi-open-data-(estate|community)-\d{4}-\d\d-\d\d\.zip"/);
	return unzip(Buffer.from(await x.response!.arrayBuffer()));
}

describe('the open-data download', () => {
	it('gives a member every file twice, as CSV and JSON with the same rows, matching the page counts', async () => {
		const summary = expectData(await request({ url: `/estates/${JINYUAN}/open-data`, as: RESIDENT }, estatePage.load)).summary;
		const files = await download(`/estates/${JINYUAN}/open-data/zip`, RESIDENT, estateZip.GET, { id: JINYUAN });
		expect([...files.keys()].sort()).toEqual(['README.txt', ...Object.keys(OPEN_DATA_FILES).flatMap((f) => [`${f}.csv`, `${f}.json`])].sort());
		for (const file of Object.keys(OPEN_DATA_FILES) as OpenDataFile[]) {
			const csv = files.get(`${file}.csv`)!;
			expect(csv.startsWith('\ufeff'), `${file}.csv has a byte-order mark for Excel`).toBe(true);
			const [header, ...rows] = parseCsv(csv.slice(1)).map((r) => r.fields);
			expect(header).toEqual(OPEN_DATA_FILES[file].columns);
			const json = JSON.parse(files.get(`${file}.json`)!) as Record<string, unknown>[];
			expect(rows.length, file).toBe(summary.counts[file]);
			expect(json.length, file).toBe(summary.counts[file]);
			// The same values in both forms (CSV writes null as empty).
			rows.forEach((r, i) => expect(r, `${file} row ${i}`).toEqual(OPEN_DATA_FILES[file].columns.map((c) => csvText(json[i][c]))));
		}
		const [{ n }] = await rt.sql.query<{ n: number }>('select count(*)::int as n from public.issues where estate_id = $1', [JINYUAN]);
		expect(summary.counts.issues).toBe(n);
		expect(summary.counts.votes).toBeGreaterThan(0);
		// The JSON files were spilled to disk while their CSV was written, and the spills are gone.
		expect((await readdir(tmpdir())).filter((f) => f.startsWith('linyi-open-data-'))).toEqual([]);
	});

	it('holds no person of the demo: no account id, name, or issue text', async () => {
		const files = await download(`/communities/${COMMUNITY}/open-data/zip`, RESIDENT, communityZip.GET, { id: COMMUNITY });
		const all = [...files.values()].join('\n');
		const people = await rt.sql.query<{ id: string; name: string }>(`select id::text, display_name as name from public.profiles where display_name is not null`);
		const bodies = await rt.sql.query<{ body: string }>(`select body from public.issues where char_length(body) > 10`);
		for (const p of people) {
			expect(all.includes(p.id), `the export names ${p.id}`).toBe(false);
			expect(all.includes(JSON.stringify(p.name)), `the export names ${p.name}`).toBe(false);
		}
		for (const b of bodies) expect(all.includes(b.body.slice(0, 30)), 'an issue text').toBe(false);
	});

	it('gives anyone signed out nothing of a closed board, and the issues of a public one without its votes', async () => {
		expectHttpError(await request({ url: `/estates/${JINYUAN}/open-data/zip`, params: { id: JINYUAN } }, estateZip.GET as never), 404);
		await rt.sql.query('update public.estates set board_public = true where id = $1', [CAILIAN]);
		try {
			const files = await download(`/estates/${CAILIAN}/open-data/zip`, 'anon', estateZip.GET, { id: CAILIAN });
			const issues = JSON.parse(files.get('issues.json')!) as { estate_id: string }[];
			const [{ n }] = await rt.sql.query<{ n: number }>('select count(*)::int as n from public.issues where estate_id = $1', [CAILIAN]);
			expect(issues.length).toBe(n);
			expect(JSON.parse(files.get('votes.json')!)).toEqual([]);
		} finally {
			await rt.sql.query('update public.estates set board_public = false where id = $1', [CAILIAN]);
		}
	});

	it('answers an unknown community with 404, not a broken file', async () => {
		expectHttpError(await request({ url: `/communities/5eed0000-0000-4000-8000-00000000dead/open-data/zip`, as: RESIDENT, params: { id: '5eed0000-0000-4000-8000-00000000dead' } }, communityZip.GET as never), 404);
	});
});

describe('CSV fields', () => {
	it('quote commas, quotes and line breaks, and keep a title from running as a spreadsheet formula', () => {
		expect(csvField('长椅, 东门')).toBe('"长椅, 东门"');
		expect(csvField('说"修"')).toBe('"说""修"""');
		expect(csvField('一\n二')).toBe('"一\n二"');
		expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
		expect(csvField('-1+2')).toBe("'-1+2");
		expect(csvField(-1)).toBe('-1');
		expect(csvField(null)).toBe('');
		expect(csvField(false)).toBe('false');
	});
});

describe('docs/open-data.md', () => {
	it('explains every column of every file', async () => {
		const doc = await readFile('docs/open-data.md', 'utf8');
		for (const [file, { columns }] of Object.entries(OPEN_DATA_FILES)) {
			const section = doc.split(/^## /m).find((s) => s.startsWith(`\`${file}.csv\``));
			expect(section, `a section for ${file}.csv`).toBeDefined();
			for (const c of columns) expect(section, `${file}.${c}`).toMatch(new RegExp(`^\\| \`${c}\` \\|`, 'm'));
		}
	});
});

describe('a street’s open data', () => {
	it('gives its administrator the estates of the street they may read: the public 新郭花园, not the members-only boards', async () => {
		const streetPage = await import('../../src/routes/streets/[id=uuid]/open-data/+page.server');
		const streetZip = await import('../../src/routes/streets/[id=uuid]/open-data/zip/+server');
		const TINGLIN = '5eed0000-0000-4000-8000-000000006201';
		const summary = expectData(await request({ url: `/streets/${TINGLIN}/open-data`, as: 'street@demo.linyi.org', params: { id: TINGLIN } }, streetPage.load)).summary;
		const [{ names }] = await rt.sql.query<{ names: string[] }>(
			`select array_agg(e.name order by e.name) as names from public.estates e join public.communities c on c.id = e.community_id
			 where c.street_id = $1 and e.board_public`,
			[TINGLIN]
		);
		expect(summary.estates.map((e: { name: string }) => e.name).sort()).toEqual([...names].sort());
		const x = await request({ url: `/streets/${TINGLIN}/open-data/zip`, as: 'street@demo.linyi.org', params: { id: TINGLIN } }, streetZip.GET as (e: unknown) => unknown);
		const files = await unzip(Buffer.from(await x.response!.arrayBuffer()));
		expect((JSON.parse(files.get('issues.json')!) as unknown[]).length).toBe(summary.counts.issues);
	});
});
