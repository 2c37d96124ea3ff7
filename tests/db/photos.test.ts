import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANON, type Caller } from '../../src/lib/server/backend/types';
import { DATABASES, openTestDb, type TestDb } from './harness';
import { seedIssues, seedWorld, type IssueWorld, type Person, type World } from './fixtures';

/**
 * public.can_read_photo (20261202100100_protect_issue_photos.sql) decides who
 * gets a stored photo, in the /uploads route and in the Storage bucket's
 * policy (20261202100200_create_issue_photo_bucket.sql, run here on a
 * storage schema shaped like Supabase's). In the world, both estates' boards
 * are members-only; A's bench issue and B's visit issue have a photo each.
 */
describe.each(DATABASES)('photos on %s', (name) => {
	let db: TestDb;
	let w: World;
	let issues: IssueWorld;
	const as = (p: Person | 'anon'): Caller => (p === 'anon' ? ANON : { kind: 'user', userId: w.users[p] });
	const photoOf = (issueId: string) => ({ path: `issues/${issueId}/0.jpg`, thumb: `issues/${issueId}/0-thumb.jpg` });
	const canRead = (p: Person | 'anon', path: string) => db.backend.call<boolean>('can_read_photo', { p_path: path }, as(p));

	beforeAll(async () => {
		db = await openTestDb(name);
		w = await seedWorld(db);
		issues = await seedIssues(db, w);
	});
	afterAll(() => db.close());

	it("gives a members-only board's photos to its members only", async () => {
		const a = photoOf(issues.a.bench);
		for (const path of [a.path, a.thumb]) {
			expect(await canRead('resident', path)).toBe(true);
			expect(await canRead('committee', path)).toBe(true);
			expect(await canRead('anon', path)).toBe(false);
			expect(await canRead('nonmember', path)).toBe(false);
			expect(await canRead('otherEstate', path)).toBe(false);
			expect(await canRead('pending', path)).toBe(false);
		}
		expect(await canRead('otherEstate', photoOf(issues.b.visit).path)).toBe(true);
		expect(await canRead('resident', photoOf(issues.b.visit).path)).toBe(false);
	});

	it("gives a public board's photos to everyone, and knows no other path", async () => {
		await db.sql.query('update public.estates set board_public = true where id = $1', [w.a.id]);
		try {
			expect(await canRead('anon', photoOf(issues.a.bench).thumb)).toBe(true);
			expect(await canRead('otherEstate', photoOf(issues.a.bench).path)).toBe(true);
			expect(await canRead('anon', 'issues/unknown.jpg')).toBe(false);
			expect(await canRead('anon', photoOf(issues.b.visit).path)).toBe(false);
		} finally {
			await db.sql.query('update public.estates set board_public = false where id = $1', [w.a.id]);
		}
	});

	describe('the Storage bucket, where Supabase has schema storage', () => {
		beforeAll(async () => {
			// The part of Supabase Storage's schema the migration touches.
			await db.sql.exec(`
				create schema storage;
				create table storage.buckets (id text primary key, name text not null, public boolean default false,
				  file_size_limit bigint, allowed_mime_types text[]);
				create table storage.objects (id uuid primary key default gen_random_uuid(), bucket_id text references storage.buckets (id),
				  name text, owner uuid);
				alter table storage.objects enable row level security;
				grant usage on schema storage to anon, authenticated;
				grant select on storage.objects to anon, authenticated;
				insert into storage.buckets (id, name, public) values ('issue-photos', 'issue-photos', true), ('other', 'other', false);`);
			await db.sql.exec(await readFile(new URL('../../supabase/migrations/20261202100200_create_issue_photo_bucket.sql', import.meta.url), 'utf8'));
			const a = photoOf(issues.a.bench);
			const b = photoOf(issues.b.visit);
			await db.sql.query(`insert into storage.objects (bucket_id, name) values ('issue-photos', $1), ('issue-photos', $2), ('issue-photos', $3), ('other', $1)`, [a.path, a.thumb, b.path]);
		});

		/** The objects a caller's Storage request may see: PostgREST-style role and claims, then a plain select under RLS. */
		const visible = (p: Person | 'anon') =>
			db.sql.transaction(async (tx) => {
				await tx.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
					p === 'anon' ? 'anon' : 'authenticated',
					JSON.stringify(p === 'anon' ? { role: 'anon' } : { sub: w.users[p], role: 'authenticated' })
				]);
				const rows = await tx.query<{ name: string }>(`select bucket_id || ':' || name as name from storage.objects order by 1`);
				return rows.map((r) => r.name);
			});

		it('makes the bucket private, even one created public by hand', async () => {
			expect(await db.sql.query(`select public, allowed_mime_types from storage.buckets where id = 'issue-photos'`)).toEqual([
				{ public: false, allowed_mime_types: ['image/jpeg'] }
			]);
		});

		it("lets each caller read (and so sign) only the photos of issues they may read, and nothing of other buckets", async () => {
			const a = photoOf(issues.a.bench);
			const b = photoOf(issues.b.visit);
			expect(await visible('anon')).toEqual([]);
			expect(await visible('nonmember')).toEqual([]);
			expect(await visible('resident')).toEqual([`issue-photos:${a.thumb}`, `issue-photos:${a.path}`].sort());
			expect(await visible('otherEstate')).toEqual([`issue-photos:${b.path}`]);
		});
	});
});
