import { z } from 'zod';
import { isCommonPassword } from './common-passwords';
import { ROLES } from './me';
import { text, uuid } from './fields';
import { PHONE } from './patterns';

/** bcrypt hashes the first 72 bytes of a password and ignores the rest, silently. */
const BCRYPT_BYTES = 72;
const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

// Error messages are message keys; the UI translates them beside the field.

/** A mainland mobile number or an email address. */
export const identifier = text(100).refine((v) => PHONE.test(v) || z.email().safeParse(v).success, {
	error: 'errors.identifier_invalid'
});

export const newPassword = z
	.string({ error: 'errors.required' })
	.min(8, { error: 'errors.password_short' })
	// bcrypt reads only the first 72 bytes: a Chinese passphrase of 25 characters is already 75.
	.max(BCRYPT_BYTES, { error: 'errors.password_long' })
	.refine((p) => utf8Bytes(p) <= BCRYPT_BYTES, { error: 'errors.password_long' })
	.refine((p) => !isCommonPassword(p), { error: 'errors.password_common' });

export const displayName = text(40);

export const signUpSchema = z.object({
	display_name: displayName,
	identifier,
	password: newPassword
});

export const signInSchema = z.object({
	identifier: text(100),
	password: z
		.string({ error: 'errors.required' })
		.min(1, { error: 'errors.required' })
		.max(BCRYPT_BYTES, { error: 'errors.password_long' })
		.refine((p) => utf8Bytes(p) <= BCRYPT_BYTES, { error: 'errors.password_long' })
});

export const setupSchema = z.object({
	login_id: text(20),
	code: text(20),
	password: newPassword
});

export const joinSchema = z.object({
	building_id: uuid,
	entrance: text(10, false).default(''),
	room: text(10),
	claims_owner: z.boolean({ error: 'errors.invalid_choice' }).default(false)
});

export const decideSchema = z
	.object({
		membership_id: uuid,
		verify: z.boolean({ error: 'errors.invalid_choice' }),
		reason: text(200, false).default('')
	})
	.refine((d) => d.verify || d.reason.length > 0, { error: 'errors.reason_required', path: ['reason'] });

/** Links a member to an owner record of the register; empty unlinks. */
export const linkOwnerSchema = z.object({
	membership_id: uuid,
	owner_id: z.preprocess((v) => (v === '' ? undefined : v), uuid.optional())
});

export const rolesSchema = z.object({
	membership_id: uuid,
	roles: z.array(z.enum(ROLES, { error: 'errors.role_unknown' })).default([])
});

export const assistedSchema = z.object({
	display_name: displayName,
	building_id: uuid,
	entrance: text(10, false).default(''),
	room: text(10)
});

export const profileSchema = z.object({
	display_name: displayName,
	locale: z.enum(['zh-CN', 'en'], { error: 'errors.invalid_choice' })
});

export const communitySchema = z.object({
	name: text(60),
	district: text(60, false).default('')
});

export const estateSchema = z
	.object({
		community_id: uuid,
		name: text(60),
		address: text(200, false).default(''),
		map_mode: z.enum(['geographic', 'site_plan'], { error: 'errors.invalid_choice' }),
		center_lat: z.number({ error: 'errors.number' }).min(-90, { error: 'errors.out_of_range' }).max(90, { error: 'errors.out_of_range' }).optional(),
		center_lng: z.number({ error: 'errors.number' }).min(-180, { error: 'errors.out_of_range' }).max(180, { error: 'errors.out_of_range' }).optional(),
		zoom: z.int({ error: 'errors.number' }).min(1, { error: 'errors.out_of_range' }).max(20, { error: 'errors.out_of_range' }).default(17),
		plan_width: z.int({ error: 'errors.number' }).min(100, { error: 'errors.out_of_range' }).max(20000, { error: 'errors.out_of_range' }).optional(),
		plan_height: z.int({ error: 'errors.number' }).min(100, { error: 'errors.out_of_range' }).max(20000, { error: 'errors.out_of_range' }).optional()
	})
	.refine((e) => e.map_mode !== 'geographic' || (e.center_lat !== undefined && e.center_lng !== undefined), {
		error: 'errors.center_required',
		path: ['center_lat']
	})
	.refine((e) => e.map_mode !== 'site_plan' || (e.plan_width !== undefined && e.plan_height !== undefined), {
		error: 'errors.plan_size_required',
		path: ['plan_width']
	});

/** Upload limits, checked before a file's content is read. */
export const MAX_GEOJSON_BYTES = 5 * 1024 * 1024;
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

const upload = (maxBytes: number) =>
	z
		.instanceof(File, { error: 'errors.file_required' })
		.refine((f) => f.size > 0, { error: 'errors.file_required' })
		.refine((f) => f.size <= maxBytes, { error: 'errors.file_too_large' });

export const areaImportSchema = z.object({ file: upload(MAX_GEOJSON_BYTES) });
export const unitImportSchema = z.object({ file: upload(MAX_CSV_BYTES) });

/** One area in the area editor; geometry is GeoJSON text from the drawing map (empty keeps the shape). */
export const areaSchema = z.object({
	area_id: z.uuid({ error: 'errors.invalid_choice' }).optional(),
	kind: z.enum(['courtyard', 'building', 'space'], { error: 'errors.invalid_choice' }),
	name: text(40),
	parent_id: z.preprocess((v) => (v === '' ? undefined : v), z.uuid({ error: 'errors.invalid_choice' }).optional()),
	geometry: z.string({ error: 'errors.import.area_geometry' }).max(1_000_000, { error: 'errors.too_long' }).default('')
});

/** A contractor's progress report (CSV), for import_progress's dry run. */
export const progressImportSchema = z.object({ file: upload(MAX_CSV_BYTES) });

const progressRow = z.object({
	line: z.number().int().min(1).max(1_000_000),
	...Object.fromEntries(
		(['id', 'issue_id', 'item_id', 'item', 'title', 'planned_on', 'weight', 'done', 'done_on', 'note'] as const).map((c) => [c, z.string().max(4000).default('')])
	)
});

/**
 * Applying a report that a dry run showed: its rows come back as the JSON the
 * dry-run page carried in a hidden field, so that the form works without
 * JavaScript (a file input cannot be refilled). The database checks every row
 * again before it writes, so a changed field changes nothing it would not allow.
 */
export const progressApplySchema = z.object({
	rows: z
		.string({ error: 'errors.import.empty' })
		.min(2, { error: 'errors.import.empty' })
		.max(4 * MAX_CSV_BYTES, { error: 'errors.file_too_large' })
		.refine(
			(s) => {
				try {
					return z.array(progressRow).min(1).max(5000).safeParse(JSON.parse(s)).success;
				} catch {
					return false;
				}
			},
			{ error: 'errors.import.rows_invalid' }
		)
});

/** The rows of an apply form, once progressApplySchema has accepted them. */
export const progressRowsOf = (rows: string) => z.array(progressRow).parse(JSON.parse(rows));
