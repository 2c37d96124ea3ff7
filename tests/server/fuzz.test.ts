import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zh from '../../messages/zh-CN.json';
import en from '../../messages/en.json';
import { CATEGORIES, CHANNELS, STANCES } from '../../src/lib/domain/issue-words';
import { CONSULTATIVE_RULES, ELECTORATES, VOTE_KINDS } from '../../src/lib/domain/votes';
import { WISH_CATEGORIES } from '../../src/lib/domain/wishes';
import { JINYUAN, CAILIAN, COMMUNITY, openTestRuntime, request, type DemoEmail, type Exchange, type FormValue, type TestRuntime } from './harness';

import * as admin from '../../src/routes/admin/+page.server';
import * as adminEstate from '../../src/routes/admin/estates/[id=uuid]/+page.server';
import * as signUp from '../../src/routes/auth/sign-up/+page.server';
import * as signIn from '../../src/routes/auth/sign-in/+page.server';
import * as setup from '../../src/routes/auth/setup/+page.server';
import * as signOut from '../../src/routes/auth/sign-out/+page.server';
import * as notifications from '../../src/routes/me/notifications/+page.server';
import * as settings from '../../src/routes/settings/+page.server';
import * as moderation from '../../src/routes/estates/[id=uuid]/moderation/+page.server';
import * as propose from '../../src/routes/estates/[id=uuid]/issues/new/+page.server';
import * as issue from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/+page.server';
import * as units from '../../src/routes/estates/[id=uuid]/manage/units/+page.server';
import * as estateSettings from '../../src/routes/estates/[id=uuid]/manage/settings/+page.server';
import * as members from '../../src/routes/estates/[id=uuid]/manage/members/+page.server';
import * as areas from '../../src/routes/estates/[id=uuid]/manage/areas/+page.server';
import * as voteNew from '../../src/routes/estates/[id=uuid]/votes/new/+page.server';
import * as vote from '../../src/routes/estates/[id=uuid]/votes/[voteId=uuid]/+page.server';
import * as receipts from '../../src/routes/estates/[id=uuid]/votes/[voteId=uuid]/receipts/+page.server';
import * as join from '../../src/routes/estates/[id=uuid]/join/+page.server';
import * as publish from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/publish/+page.server';
import * as plan from '../../src/routes/estates/[id=uuid]/issues/[issueId=uuid]/plan/+page.server';
import * as publication from '../../src/routes/estates/[id=uuid]/publications/[publicationId=uuid]/+page.server';
import * as meetingRoom from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/room/+page.server';
import * as meetingList from '../../src/routes/estates/[id=uuid]/meetings/+page.server';
import * as meetingNotice from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/+page.server';
import * as meetingMinutes from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/minutes/+page.server';
import * as meetingCheckIn from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/check-in/+page.server';
import * as meetingDoor from '../../src/routes/estates/[id=uuid]/meetings/[meetingId=uuid]/attendance/+page.server';
import * as wishes from '../../src/routes/estates/[id=uuid]/wishes/+page.server';
import * as wish from '../../src/routes/estates/[id=uuid]/wishes/[wishId=uuid]/+page.server';
import * as wishVet from '../../src/routes/estates/[id=uuid]/wishes/vet/+page.server';
import * as claimBoard from '../../src/routes/estates/[id=uuid]/claim/+page.server';
import * as taskPage from '../../src/routes/estates/[id=uuid]/tasks/[taskId=uuid]/+page.server';
import * as taskNew from '../../src/routes/estates/[id=uuid]/tasks/new/+page.server';
import * as timeBank from '../../src/routes/estates/[id=uuid]/time-bank/+page.server';
import * as service from '../../src/routes/estates/[id=uuid]/service/+page.server';
import * as team from '../../src/routes/estates/[id=uuid]/teams/[teamId=uuid]/+page.server';
import * as teams from '../../src/routes/estates/[id=uuid]/teams/+page.server';
import { TASK_ELIGIBLE, TASK_KINDS } from '../../src/lib/domain/work';

/**
 * Fuzzing of every form action (BUDGETS "Solidity"). Each action gets posted
 * malformed, oversized, wrong-type and hostile values, and must answer as a
 * refusal, never a 5xx:
 *
 *   - a form whose fields the schema refuses: 400 with the message keys beside the fields
 *     (a too-long or missing value, a bad choice, a number out of range, a bad id, a wrong file);
 *   - an id the database cannot cast or find: the SQL function's refusal, 400 / 404, beside the form;
 *   - a caller who may not: 401 / 403 (or the guard's redirect to sign-in);
 *   - a one-button action with no field to refuse (support, close a vote, sign out, mark read):
 *     the caller's refusal (403), or its redirect when there was nothing to do;
 *   - a read (checking a receipt) or an import the database refused line by line: 200 with the
 *     form again and its result (`ok: false`);
 *
 * every message a known key of both message files (no raw keys, no stack trace), and the database
 * exactly as it was (row counts and a digest of every table's contents, auth's users and sessions).
 *
 * Every sample breaks at least one field of the action (so that any write would be a defect); the
 * other fields get anything: a valid value, a hostile one, nothing, the field twice, a file.
 * The list of actions is checked against src/routes/**\/+page.server.ts: a new action without a
 * spec here fails the first test.
 */

// 60 samples per action: about half a minute for all of them here; FUZZ_RUNS=1000 for a long hunt.
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

// ----------------------------------------------------------------------------
// Values
// ----------------------------------------------------------------------------

const HOSTILE = [
	'<script>alert(1)</script>',
	'<img src=x onerror=alert(1)>',
	'"><svg onload=alert(1)>',
	"' or 1=1 --",
	"'); drop table public.issues; --",
	'a\u0000b',
	'\u0000',
	'\ud800',
	'\udfff\ud800',
	'\u202eevil\u202c',
	'\u200b\u200c\u200d\ufeff',
	'e\u0301\u0301\u0301\u0301\u0301\u0301',
	'👩‍👩‍👧‍👦🏳️‍🌈',
	'１２３',
	'𠀀𪚥',
	'NaN',
	'-1',
	'-0',
	'Infinity',
	'1e309',
	'9007199254740993',
	'0x1f',
	'1.5',
	'true',
	'null',
	'undefined',
	'[]',
	'{}',
	'__proto__',
	'../../../../etc/passwd',
	'%00',
	'%s%s%s%n',
	'${7*7}{{7*7}}'
];
const BAD_UUIDS = [
	'x',
	'not-a-uuid',
	'00000000-0000-0000-0000-00000000000g',
	'5eed0000-0000-4000-8000-00000000210',
	'5eed0000_0000_4000_8000_000000002001',
	"5eed0000-0000-4000-8000-000000002001' or '1'='1",
	'{5eed0000-0000-4000-8000}',
	'-1',
	'\u0000'
];
const HUGE = ['x'.repeat(100_000), '字'.repeat(30_000), '<b>'.repeat(20_000), 'a\u0000'.repeat(10_000)];

/** A file where text is expected, or garbage where a file is. */
const someFile = fc.constantFrom(
	() => new File(['<script>alert(1)</script>'], 'evil.html', { type: 'text/html' }),
	() => new File([new Uint8Array([0, 255, 0, 255, 137, 80, 78, 71])], 'x.png', { type: 'image/png' }),
	() => new File([], 'empty.txt', { type: 'text/plain' })
).map((f) => f());

const MISSING = Symbol('missing');
type Sample = FormValue | typeof MISSING;

const hostile: fc.Arbitrary<string> = fc.oneof(
	fc.constantFrom(...HOSTILE),
	fc.string({ unit: 'binary', maxLength: 30 }),
	fc.string({ unit: 'grapheme', maxLength: 20 })
);

// ----------------------------------------------------------------------------
// Fields: what a field takes, and values it must refuse
// ----------------------------------------------------------------------------

interface Field {
	/** A value the form accepts for this field (noise uses it, so that the broken field is the only reason to refuse). */
	ok?: () => FormValue;
	/** Values this field must refuse; none for fields that take anything (checkboxes). */
	breaks: fc.Arbitrary<Sample>[];
}

const tooLong = (max: number) =>
	fc.oneof(
		fc.constantFrom(...HUGE),
		// Over the limit by at least one character (zod and PostgreSQL both count code points, not UTF-16
		// units), ending in a letter so that trimming cannot shorten it back.
		fc.tuple(fc.constantFrom(...HOSTILE, 'x', '字'), fc.integer({ min: max, max: max + 50 })).map(([s, n]) => [...s.repeat(n + 1)].slice(0, n).join('') + 'x')
	);
const blank = fc.constantFrom<Sample>(MISSING, '', '   ', '\u3000\t\n');

const f = {
	text: (max: number, ok: string, required = true): Field => ({ ok: () => ok, breaks: [tooLong(max), ...(required ? [blank] : [])] }),
	/** An id: malformed ones are refused by the schema, well-formed ids of nothing by the database. */
	uuid: (ok: () => string, required = true): Field => ({
		ok,
		breaks: [fc.constantFrom<Sample>(...BAD_UUIDS, ...HUGE.slice(0, 1)), fc.uuid({ version: 4 }), ...(required ? [blank] : [])]
	}),
	choice: (values: readonly string[], required = true): Field => ({
		ok: () => values[0],
		// Not "missing": superforms fills a missing choice with the schema's first option (or its default).
		breaks: [hostile.filter((v) => !values.includes(v) && v.trim() !== ''), fc.constantFrom(...HUGE), ...(required ? [fc.constant<Sample>('')] : [])]
	}),
	int: (min: number, max: number, required = true): Field => ({
		ok: () => String(min),
		// Not "1.5" or "1e309": superforms reads whole numbers with parseInt, as 1 (HOSTILE still sends them as noise).
		breaks: [fc.constantFrom<Sample>('NaN', 'abc', String(min - 1), String(max + 1), '-Infinity', '9'.repeat(400), '<b>1</b>'), ...(required ? [fc.constant<Sample>(MISSING)] : [])]
	}),
	number: (): Field => ({ ok: () => '10', breaks: [fc.constantFrom<Sample>('NaN', 'abc', '1e309', '-Infinity', '<b>1</b>')] }),
	bool: (): Field => ({ ok: () => 'on', breaks: [] }),
	chinaTime: (required = true): Field => ({
		ok: () => '2027-01-10T10:00',
		breaks: [fc.constantFrom<Sample>('tomorrow', '2027-01-10', '2027-13-45T99:99', '2027-02-30T10:00', '0000-00-00T00:00', '2027-01-10T24:61', '10/01/2027 10:00'), ...(required ? [blank] : [])]
	}),
	password: (): Field => ({ ok: () => 'quiet-lane-4821', breaks: [fc.constantFrom<Sample>(MISSING, '', 'short', '字'.repeat(25), 'x'.repeat(73), HUGE[0])] }),
	/** A required file upload; garbage files are refused by what reads them. */
	file: (garbage: string[]): Field => ({
		breaks: [
			fc.constantFrom<Sample>(MISSING, 'a,b,c', '<script>'),
			fc.constant(new File([], 'empty.csv', { type: 'text/csv' })),
			fc.constantFrom(...garbage).map((g) => new File([g], 'x', { type: 'application/octet-stream' }))
		]
	})
};

// ----------------------------------------------------------------------------
// The actions
// ----------------------------------------------------------------------------

type Answer = 'refusal' | 'redirect' | 'data';

interface Spec {
	/** The +page.server.ts under src/routes and the action's name in it. */
	route: string;
	action: string;
	url: () => string;
	as: 'anon' | DemoEmail;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	run: (event: any) => unknown;
	fields: Record<string, Field>;
	/** Answers besides a 4xx this action may give to a refused sample (see the header). */
	also?: Answer[];
	params?: () => Record<string, string>;
}

/** Ids of the demo, read in beforeAll. */
const ids = {
	issue: '5eed0000-0000-4000-8000-000000002001',
	openIssue: '',
	comment: '',
	vote: '5eed0000-0000-4000-8000-000000003001',
	building: '',
	membership: '',
	area: '',
	approvedIssue: '',
	/** The demo's open publication (公示) of 东苑's drying racks: four paragraphs, one objection answered. */
	publication: '5eed0000-0000-4000-8000-000000004001',
	objection: '',
	/** 采莲新村's renovation, in progress, and one of its work items (the façades). */
	renovation: '5eed0000-0000-4000-8000-000000002101',
	renovationItem: '5eed0000-0000-4000-8000-000000006101'
};
const planUrl = (action: string) => `/estates/${CAILIAN}/issues/${ids.renovation}/plan?/${action}`;
const planParams = () => ({ id: CAILIAN, issueId: ids.renovation });
/** An open milestone of 采莲新村's renovation (seed: the main road's asphalt, not yet done). */
const OPEN_MILESTONE = '5eed0000-0000-4000-8000-000000006188';
/** A calendar day (YYYY-MM-DD), or left empty. */
const day: Field = { ok: () => '', breaks: [fc.constantFrom<Sample>('tomorrow', '2027-13-45', '2027-02-30', '0000-00-00', '2027-1-5', '10/01/2027', '2027-01-10T10:00', HUGE[0])] };
/** A weight: a number from 0 to 10,000. */
const weight: Field = { ok: () => '1', breaks: [fc.constantFrom<Sample>('NaN', 'abc', '1e309', '-Infinity', '-1', '10001', '<b>1</b>')] };
const issueUrl = () => `/estates/${JINYUAN}/issues/${ids.openIssue}`;
const issueParams = () => ({ id: JINYUAN, issueId: ids.openIssue });
const voteUrl = () => `/estates/${JINYUAN}/votes/${ids.vote}`;
const voteParams = () => ({ id: JINYUAN, voteId: ids.vote });
const publicationUrl = () => `/estates/${JINYUAN}/publications/${ids.publication}`;
const publicationParams = () => ({ id: JINYUAN, publicationId: ids.publication });
/** The demo's council in session (seed "The meeting room"): 李先生's motion in debate, 张奶奶 (no account) waiting against it. */
const room = { meeting: '5eed0000-0000-4000-8000-000000005201', motion: '5eed0000-0000-4000-8000-000000005220', speech: '5eed0000-0000-4000-8000-000000005231', item: '5eed0000-0000-4000-8000-000000005203', zhang: '5eed0000-0000-4000-8000-000000005215' };
const roomUrl = (action: string) => `/estates/${JINYUAN}/meetings/${room.meeting}/room?/${action}`;
const roomParams = () => ({ id: JINYUAN, meetingId: room.meeting });
const ROOM_ROUTE = 'estates/[id=uuid]/meetings/[meetingId=uuid]/room/+page.server.ts';
/** A count the form may leave empty (closing debate without a vote). */
const optionalCount: Field = { ok: () => '', breaks: [fc.constantFrom<Sample>('abc', '-1', '1.5', '9999999', '<b>1</b>', '１２')] };
const roomSpec = (action: keyof typeof meetingRoom.actions, as: DemoEmail, fields: Record<string, Field>): Spec => ({
	route: ROOM_ROUTE, action, url: () => roomUrl(action), as, params: roomParams, run: meetingRoom.actions[action] as never, fields
});
const STANCE_VALUES = ['for', 'against', 'question', 'order'] as const;

/** A micro-wish's hours: optional, above 0, in tenths, at most 8. */
const wishHoursField: Field = { ok: () => '1', breaks: [fc.constantFrom<Sample>('NaN', 'abc', '0', '-1', '8.5', '1.25', '1e309', '<b>1</b>')] };
/** The demo's open micro-wish (a pair of reading glasses, waiting for a claimer). */
const OPEN_WISH = '5eed0000-0000-4000-8000-000000007201';
const wishUrl = () => `/estates/${JINYUAN}/wishes/${OPEN_WISH}`;
const wishParams = () => ({ id: JINYUAN, wishId: OPEN_WISH });
/** A publication's text: paragraphs split at blank lines, at most 50 of at most 2,000 characters. */
/** The demo's council next week (seed: 5eed…5101), its first agenda item, a registered resident and 李先生's proxy. */
const MEETING = '5eed0000-0000-4000-8000-000000005101';
const meetingUrl = () => `/estates/${JINYUAN}/meetings/${MEETING}`;
const meetingParams = () => ({ id: JINYUAN, meetingId: MEETING });
/** The demo's finished council on the charging shed, its minutes final (seed: 5eed…5302). */
const MINUTES_MEETING = '5eed0000-0000-4000-8000-000000005302';
const MINUTES_ROUTE = 'estates/[id=uuid]/meetings/[meetingId=uuid]/minutes/+page.server.ts';
const minutesUrl = (action: string) => `/estates/${JINYUAN}/meetings/${MINUTES_MEETING}/minutes?/${action}`;
const minutesParams = () => ({ id: JINYUAN, meetingId: MINUTES_MEETING });
/** The fields of scheduling and changing a meeting. */
const meetingFields: Record<string, Field> = {
	kind: f.choice(['council', 'residents', 'hearing', 'owners']),
	title: f.text(120, '东苑座椅议事会'),
	description: f.text(2000, '', false),
	starts_at: f.chinaTime(),
	ends_at: { ok: () => '2027-01-10T12:00', breaks: f.chinaTime().breaks },
	place: f.text(120, '社区活动室'),
	online_url: { ok: () => '', breaks: [tooLong(300), fc.constantFrom<Sample>('http://x.example', 'javascript:alert(1)', 'https://', 'ftp://a.b')] },
	chair_id: f.uuid(() => '5eed0000-0000-4000-8000-000000001004', false),
	recorder_id: f.uuid(() => '5eed0000-0000-4000-8000-000000001003', false),
	admission: f.choice(['open', 'invited', 'representatives']),
	invitee_ids: f.uuid(() => '5eed0000-0000-4000-8000-000000001001', false),
	max_proxies: f.int(0, 10, false),
	seconds_needed: f.int(0, 10, false),
	speech_seconds: f.int(30, 1800, false),
	speeches_per_motion: f.int(1, 10, false)
};
/** The demo's open bench task, party@'s confirmed claim and the 晋邻 team (seed.sql, tasks and the time bank). */
const WORK = {
	task: '5eed0000-0000-4000-8000-000000007111',
	claim: '5eed0000-0000-4000-8000-000000007121',
	team: '5eed0000-0000-4000-8000-000000007101'
};
const taskParams = () => ({ id: JINYUAN, taskId: WORK.task });
const taskUrl = () => `/estates/${JINYUAN}/tasks/${WORK.task}`;
/** Hours: above 0, at most 24, in tenths. */
const hoursField: Field = { ok: () => '2', breaks: [fc.constantFrom<Sample>('NaN', 'abc', '0', '-1', '25', '1.25', '1e309', '-Infinity', '<b>1</b>', MISSING)] };
/**
 * The actions on a task's claims, on the claim board and on the task page. The id named is party@'s
 * confirmed claim: whatever else a sample breaks, nothing is left to release, start, report or confirm.
 */
const claimSpecs = (route: string, url: () => string, run: Record<string, unknown>, params?: () => Record<string, string>): Spec[] => [
	{ route, action: 'claim', url: () => `${url()}?/claim`, as: 'resident@demo.linyi.org', params, run: run.claim as never, fields: { task_id: f.uuid(() => WORK.task) } },
	...(['release', 'start'] as const).map(
		(action): Spec => ({
			route, action, url: () => `${url()}?/${action}`, as: 'resident@demo.linyi.org', params, run: run[action] as never,
			fields: { claim_id: f.uuid(() => WORK.claim), code: f.text(40, '', false) }
		})
	),
	{
		route, action: 'report', url: () => `${url()}?/report`, as: 'party@demo.linyi.org', params, run: run.report as never,
		fields: { claim_id: f.uuid(() => WORK.claim), hours: hoursField, report: f.text(500, '', false) }
	},
	{
		route, action: 'confirm', url: () => `${url()}?/confirm`, as: 'committee@demo.linyi.org', params, run: run.confirm as never,
		fields: { claim_id: f.uuid(() => WORK.claim), decision: f.choice(['confirm', 'dispute']), reason: f.text(300, '', false) }
	}
];
const paragraphs: Field = { ok: () => '第一段。\n\n第二段。', breaks: [tooLong(60_000), blank, fc.constant<Sample>('字'.repeat(2001))] };

const GARBAGE_CSV = ['building,room\n1,2', 'х'.repeat(50), '\u0000\u0001\u0002', 'building,entrance,room,floor_area,owners,developer_held\n<script>,,1,abc,x,maybe'];
const GARBAGE_JSON = ['{', '[]', 'null', '"x"', '{"type":"FeatureCollection","features":[{"type":"Feature"}]}', '{"type":"FeatureCollection","features":"x"}', '\u0000'];

const SPECS: Spec[] = [
	{
		route: 'admin/+page.server.ts', action: 'community', url: () => '/admin?/community', as: 'admin@demo.linyi.org', run: admin.actions.community as never,
		fields: { name: f.text(60, '新社区'), district: f.text(60, '', false) }
	},
	{
		route: 'admin/+page.server.ts', action: 'estate', url: () => '/admin?/estate', as: 'admin@demo.linyi.org', run: admin.actions.estate as never,
		fields: {
			community_id: f.uuid(() => COMMUNITY), name: f.text(60, '新小区'), address: f.text(200, '', false), map_mode: f.choice(['geographic', 'site_plan']),
			center_lat: f.number(), center_lng: f.number(), zoom: f.int(1, 20, false), plan_width: f.int(100, 20000, false), plan_height: f.int(100, 20000, false)
		}
	},
	{
		route: 'admin/estates/[id=uuid]/+page.server.ts', action: 'default', url: () => `/admin/estates/${JINYUAN}`, as: 'admin@demo.linyi.org', run: adminEstate.actions.default as never,
		fields: {
			community_id: f.uuid(() => COMMUNITY), name: f.text(60, '晋源'), address: f.text(200, '', false), map_mode: f.choice(['geographic', 'site_plan']),
			center_lat: f.number(), center_lng: f.number(), zoom: f.int(1, 20, false), plan_width: f.int(100, 20000, false), plan_height: f.int(100, 20000, false)
		}
	},
	{
		route: 'auth/sign-up/+page.server.ts', action: 'default', url: () => '/auth/sign-up', as: 'anon', run: signUp.actions.default as never,
		fields: { display_name: f.text(40, '新邻居'), identifier: { ok: () => 'fuzz@example.org', breaks: [tooLong(100), blank, hostile.filter((v) => !v.includes('@'))] }, password: f.password() }
	},
	{
		route: 'auth/sign-in/+page.server.ts', action: 'default', url: () => '/auth/sign-in', as: 'anon', run: signIn.actions.default as never,
		fields: { identifier: f.text(100, 'resident@demo.linyi.org'), password: { ok: () => 'wrong-password', breaks: [fc.constantFrom<Sample>(MISSING, '', '字'.repeat(25), HUGE[0])] } }
	},
	{
		route: 'auth/setup/+page.server.ts', action: 'default', url: () => '/auth/setup', as: 'anon', run: setup.actions.default as never,
		fields: { login_id: f.text(20, 'LY-NOONE'), code: f.text(20, 'AAAA-BBBB'), password: f.password() }
	},
	{
		route: 'auth/sign-out/+page.server.ts', action: 'default', url: () => '/auth/sign-out', as: 'anon', run: signOut.actions.default as never,
		fields: { everywhere: f.bool() }, also: ['redirect']
	},
	{
		route: 'me/notifications/+page.server.ts', action: 'read', url: () => '/me/notifications?/read', as: 'anon', run: notifications.actions.read as never,
		fields: {}, also: ['redirect']
	},
	{
		route: 'settings/+page.server.ts', action: 'language', url: () => '/settings?/language', as: 'resident@demo.linyi.org', run: settings.actions.language as never,
		fields: { locale: f.choice(['zh-CN', 'en']), redirectTo: { ok: () => '/', breaks: [] } }
	},
	{
		route: 'settings/+page.server.ts', action: 'text', url: () => '/settings?/text', as: 'anon', run: settings.actions.text as never,
		fields: { size: f.choice(['large', 'normal']), redirectTo: { ok: () => '/', breaks: [] } }
	},
	{
		route: 'settings/+page.server.ts', action: 'profile', url: () => '/settings?/profile', as: 'resident@demo.linyi.org', run: settings.actions.profile as never,
		fields: { display_name: f.text(40, '王阿姨'), locale: f.choice(['zh-CN', 'en']) }
	},
	{
		route: 'estates/[id=uuid]/moderation/+page.server.ts', action: 'moderate', url: () => `/estates/${JINYUAN}/moderation?/moderate`, as: 'moderator@demo.linyi.org',
		run: moderation.actions.moderate as never, fields: { comment_id: f.uuid(() => ids.comment), hide: f.bool(), reason: f.text(300, '广告') }
	},
	{
		route: 'estates/[id=uuid]/issues/new/+page.server.ts', action: 'default', url: () => `/estates/${JINYUAN}/issues/new`, as: 'resident@demo.linyi.org',
		run: propose.actions.default as never, also: ['data'],
		fields: {
			area_id: f.uuid(() => ids.area), category: f.choice(CATEGORIES), title: f.text(60, '楼道灯坏了很久'), body: f.text(5000, '', false),
			point_x: f.number(), point_y: f.number(), channel: f.choice(CHANNELS, false), resident_name: f.text(40, '', false), resident_contact: f.text(60, '', false),
			photos: { breaks: [] }, confirm_new: f.bool(),
			// Tokens of held photos: an unknown well-formed one is dropped, so only malformed ones must be refused.
			held: { breaks: [fc.constantFrom<Sample>(...BAD_UUIDS)] }
		}
	},
	...(['support', 'withdraw_support'] as const).map(
		(action): Spec => ({
			route: 'estates/[id=uuid]/issues/[issueId=uuid]/+page.server.ts', action, url: () => `${issueUrl()}?/${action}`, as: 'applicant1@demo.linyi.org',
			params: issueParams, run: issue.actions[action] as never, fields: {}, also: ['redirect']
		})
	),
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/+page.server.ts', action: 'comment', url: () => `${issueUrl()}?/comment`, as: 'resident@demo.linyi.org', params: issueParams,
		run: issue.actions.comment as never, fields: { stance: f.choice(STANCES), body: f.text(2000, '同意'), parent_id: f.uuid(() => ids.comment, false) }
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/+page.server.ts', action: 'edit_comment', url: () => `${issueUrl()}?/edit_comment`, as: 'resident@demo.linyi.org', params: issueParams,
		run: issue.actions.edit_comment as never, fields: { comment_id: f.uuid(() => ids.comment), body: f.text(2000, '改过') }
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/+page.server.ts', action: 'delete_comment', url: () => `${issueUrl()}?/delete_comment`, as: 'resident@demo.linyi.org', params: issueParams,
		run: issue.actions.delete_comment as never, fields: { comment_id: f.uuid(() => ids.comment) }
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/+page.server.ts', action: 'report', url: () => `${issueUrl()}?/report`, as: 'resident@demo.linyi.org', params: issueParams,
		run: issue.actions.report as never, fields: { comment_id: f.uuid(() => ids.comment), reason: f.text(300, '广告') }
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/+page.server.ts', action: 'moderate', url: () => `${issueUrl()}?/moderate`, as: 'moderator@demo.linyi.org', params: issueParams,
		run: issue.actions.moderate as never, fields: { comment_id: f.uuid(() => ids.comment), hide: f.bool(), reason: f.text(300, '广告') }
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/+page.server.ts', action: 'transition', url: () => `${issueUrl()}?/transition`, as: 'committee@demo.linyi.org', params: issueParams,
		run: issue.actions.transition as never,
		fields: {
			action: { ok: () => 'accept', breaks: [fc.constantFrom<Sample>(MISSING, '', 'Accept', 'accept;drop', '<b>', 'x'.repeat(31), ...HUGE.slice(0, 1))] },
			reason: f.text(500, '', false),
			merge_into: { ok: () => ids.issue, breaks: [fc.constantFrom<Sample>('x', 'not-a-uuid', '00000000-0000-0000-0000-00000000000g', '<script>', ...HUGE.slice(0, 1))] },
			merge_address: { ok: () => '', breaks: [fc.constantFrom<Sample>('x', 'not-a-uuid', `/estates/${JINYUAN}/issues/x`, '<script>', ...HUGE.slice(0, 1))] }
		}
	},
	{
		route: 'estates/[id=uuid]/manage/units/+page.server.ts', action: 'import', url: () => `/estates/${JINYUAN}/manage/units?/import`, as: 'committee@demo.linyi.org',
		run: units.actions.import as never, fields: { file: f.file(GARBAGE_CSV) }
	},
	{
		route: 'estates/[id=uuid]/manage/settings/+page.server.ts', action: 'default', url: () => `/estates/${JINYUAN}/manage/settings`, as: 'committee@demo.linyi.org',
		run: estateSettings.actions.default as never, fields: { board_public: f.bool(), support_threshold: f.int(1, 10000) }
	},
	{
		route: 'estates/[id=uuid]/manage/members/+page.server.ts', action: 'decide', url: () => `/estates/${JINYUAN}/manage/members?/decide`, as: 'committee@demo.linyi.org',
		run: members.actions.decide as never, fields: { membership_id: f.uuid(() => ids.membership), verify: f.bool(), reason: f.text(200, '资料不全', false) }
	},
	{
		route: 'estates/[id=uuid]/manage/members/+page.server.ts', action: 'roles', url: () => `/estates/${JINYUAN}/manage/members?/roles`, as: 'committee@demo.linyi.org',
		run: members.actions.roles as never,
		fields: {
			membership_id: f.uuid(() => ids.membership),
			roles: { ok: () => ['volunteer'], breaks: [fc.constantFrom<Sample>('admin', 'superuser', ['volunteer', 'god'], '<b>', ...HUGE.slice(0, 1))] }
		}
	},
	{
		route: 'estates/[id=uuid]/manage/members/+page.server.ts', action: 'owner', url: () => `/estates/${JINYUAN}/manage/members?/owner`, as: 'committee@demo.linyi.org',
		run: members.actions.owner as never, fields: { membership_id: f.uuid(() => ids.membership), owner_id: f.uuid(() => ids.membership, false) }
	},
	{
		route: 'estates/[id=uuid]/manage/members/+page.server.ts', action: 'assisted', url: () => `/estates/${JINYUAN}/manage/members?/assisted`, as: 'committee@demo.linyi.org',
		run: members.actions.assisted as never,
		fields: { display_name: f.text(40, '张奶奶'), building_id: f.uuid(() => ids.building), entrance: f.text(10, '', false), room: f.text(10, '101') }
	},
	{
		route: 'estates/[id=uuid]/manage/areas/+page.server.ts', action: 'import', url: () => `/estates/${JINYUAN}/manage/areas?/import`, as: 'committee@demo.linyi.org',
		run: areas.actions.import as never, fields: { file: f.file(GARBAGE_JSON) }
	},
	{
		route: 'estates/[id=uuid]/manage/areas/+page.server.ts', action: 'save', url: () => `/estates/${JINYUAN}/manage/areas?/save`, as: 'committee@demo.linyi.org',
		run: areas.actions.save as never,
		fields: {
			area_id: f.uuid(() => ids.area, false), kind: f.choice(['courtyard', 'building', 'space']), name: f.text(40, '新楼'), parent_id: f.uuid(() => ids.area, false),
			geometry: { ok: () => '', breaks: [fc.constantFrom<Sample>('{', '<script>', '{"type":"Polygon","coordinates":"x"}', '{"type":"Point","coordinates":[1e309,0]}', 'x'.repeat(1_000_001))] }
		}
	},
	{
		route: 'estates/[id=uuid]/manage/areas/+page.server.ts', action: 'delete', url: () => `/estates/${JINYUAN}/manage/areas?/delete`, as: 'committee@demo.linyi.org',
		run: areas.actions.delete as never, fields: { area_id: f.uuid(() => ids.area) }
	},
	{
		route: 'estates/[id=uuid]/votes/new/+page.server.ts', action: 'default', url: () => `/estates/${JINYUAN}/votes/new`, as: 'committee@demo.linyi.org',
		run: voteNew.actions.default as never,
		fields: {
			issue_id: f.uuid(() => ids.openIssue), question: f.text(200, '同意吗？'), description: f.text(2000, '', false), kind: f.choice(VOTE_KINDS),
			matter: f.int(1, 9, false), rule: f.choice(CONSULTATIVE_RULES, false), electorate_kind: f.choice(ELECTORATES, false), scope_area_id: f.uuid(() => ids.area, false),
			options: f.text(2100, '', false), max_choices: f.int(1, 10, false), quorum_percent: f.int(1, 100, false), opens_at: f.chinaTime(false), closes_at: f.chinaTime(),
			secret: f.bool(), live_results: f.bool()
		}
	},
	{
		route: 'estates/[id=uuid]/votes/[voteId=uuid]/+page.server.ts', action: 'cast', url: () => `${voteUrl()}?/cast`, as: 'owner@demo.linyi.org', params: voteParams,
		run: vote.actions.cast as never,
		fields: {
			choice: { ok: () => '1', breaks: [fc.constantFrom<Sample>(MISSING, '', '0', '-1', '100', 'yes', '1.0', '<b>', Array.from({ length: 11 }, (_, i) => String(i + 1)), HUGE[0])] },
			unit_id: f.uuid(() => ids.building, false)
		}
	},
	{
		route: 'estates/[id=uuid]/votes/[voteId=uuid]/+page.server.ts', action: 'paper', url: () => `${voteUrl()}?/paper`, as: 'committee@demo.linyi.org', params: voteParams,
		run: vote.actions.paper as never,
		fields: {
			choice: { ok: () => '1', breaks: [fc.constantFrom<Sample>(MISSING, '', '0', 'yes', '<b>', HUGE[0])] },
			paper_ref: f.text(40, 'P-001'), proxy_name: f.text(40, '', false), building_id: f.uuid(() => ids.building, false), entrance: f.text(10, '', false),
			room: f.text(10, '101', false), user_id: f.uuid(() => ids.membership, false)
		}
	},
	{
		// Without confirm=yes the action only sends the caller to the page's confirmation step.
		route: 'estates/[id=uuid]/votes/[voteId=uuid]/+page.server.ts', action: 'close', url: () => `${voteUrl()}?/close`, as: 'resident@demo.linyi.org', params: voteParams,
		run: vote.actions.close as never, fields: { confirm: { ok: () => 'yes', breaks: [] } }, also: ['redirect']
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/publish/+page.server.ts', action: 'default', url: () => `/estates/${JINYUAN}/issues/${ids.approvedIssue}/publish`,
		as: 'committee@demo.linyi.org', params: () => ({ id: JINYUAN, issueId: ids.approvedIssue }), run: publish.actions.default as never,
		fields: { title: f.text(120, '关于增设长椅的决定公示'), paragraphs, window_days: f.int(1, 30, false) }
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/plan/+page.server.ts', action: 'item', url: () => planUrl('item'), as: 'committee@demo.linyi.org',
		params: planParams, run: plan.actions.item as never,
		fields: {
			item_id: f.uuid(() => '', false), parent_id: f.uuid(() => '', false), title: f.text(120, '楼道照明'),
			responsible_kind: f.choice(['contractor', 'committee_member', 'team'], false), responsible: f.text(120, '', false),
			planned_start: day, planned_end: day,
			budget: { ok: () => '', breaks: [fc.constantFrom<Sample>('-1', 'abc', '1e20', '1.234', '１００', HUGE[0])] },
			weight, excluded: f.bool(), exclusion_reason: f.text(300, '', false)
		}
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/plan/+page.server.ts', action: 'milestone', url: () => planUrl('milestone'), as: 'committee@demo.linyi.org',
		params: planParams, run: plan.actions.milestone as never,
		fields: { item_id: f.uuid(() => ids.renovationItem), title: f.text(120, '验收'), planned_on: day, weight }
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/plan/+page.server.ts', action: 'editMilestone', url: () => planUrl('editMilestone'), as: 'committee@demo.linyi.org',
		params: planParams, run: plan.actions.editMilestone as never,
		fields: { milestone_id: f.uuid(() => OPEN_MILESTONE), title: f.text(120, '主路沥青'), planned_on: day, weight }
	},
	...(['removeMilestone', 'moveMilestone'] as const).map(
		(action): Spec => ({
			route: 'estates/[id=uuid]/issues/[issueId=uuid]/plan/+page.server.ts', action, url: () => planUrl(action), as: 'committee@demo.linyi.org',
			params: planParams, run: plan.actions[action] as never,
			fields: action === 'moveMilestone' ? { milestone_id: f.uuid(() => OPEN_MILESTONE), direction: f.choice(['up', 'down']) } : { milestone_id: f.uuid(() => OPEN_MILESTONE) }
		})
	),
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/plan/+page.server.ts', action: 'importCheck', url: () => planUrl('importCheck'), as: 'committee@demo.linyi.org',
		params: planParams, run: plan.actions.importCheck as never,
		fields: { file: f.file([...GARBAGE_CSV, 'id,done\nnot-an-id,maybe', `id,done,done_on\n${OPEN_MILESTONE},是,2026-02-30`, 'id,id\n1,2']) }
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/plan/+page.server.ts', action: 'importApply', url: () => planUrl('importApply'), as: 'committee@demo.linyi.org',
		params: planParams, run: plan.actions.importApply as never,
		fields: {
			rows: {
				ok: () => JSON.stringify([{ line: 2, id: OPEN_MILESTONE, done: '' }]),
				breaks: [
					tooLong(100_000),
					fc.constantFrom<Sample>('[', '[]', 'null', '{"line":2}', '[{"line":"x"}]', `[{"line":2,"id":"${OPEN_MILESTONE}","done":"maybe"}]`,
						`[{"line":2,"id":"5eed0000-0000-4000-8000-000000006101","done":"true"}]`, `[{"line":2,"id":"${OPEN_MILESTONE}","done_on":"2999-01-01","done":"true"}]`, MISSING)
				]
			}
		}
	},
	{
		route: 'estates/[id=uuid]/issues/[issueId=uuid]/plan/+page.server.ts', action: 'update', url: () => planUrl('update'), as: 'committee@demo.linyi.org',
		params: planParams, run: plan.actions.update as never,
		fields: {
			note: f.text(2000, '外墙涂料完成'), milestone_id: f.uuid(() => '', false),
			photos: {
				breaks: [
					fc.constantFrom(
						() => new File(['<script>alert(1)</script>'], 'evil.html', { type: 'text/html' }),
						() => new File([new Uint8Array([0, 255, 0, 255, 137, 80, 78, 71])], 'x.png', { type: 'image/png' })
					).map((g) => g())
				]
			}
		}
	},
	{
		route: 'estates/[id=uuid]/publications/[publicationId=uuid]/+page.server.ts', action: 'object', url: () => `${publicationUrl()}?/object`, as: 'resident@demo.linyi.org',
		params: publicationParams, run: publication.actions.object as never, fields: { paragraph: f.int(1, 4), reason: f.text(500, '位置不合适') }
	},
	{
		route: 'estates/[id=uuid]/publications/[publicationId=uuid]/+page.server.ts', action: 'answer', url: () => `${publicationUrl()}?/answer`, as: 'committee@demo.linyi.org',
		params: publicationParams, run: publication.actions.answer as never,
		fields: { objection_id: f.uuid(() => ids.objection), answer: f.choice(['upheld', 'rejected']), reason: f.text(500, '', false) }
	},
	{
		route: 'estates/[id=uuid]/publications/[publicationId=uuid]/+page.server.ts', action: 'amend', url: () => `${publicationUrl()}?/amend`, as: 'committee@demo.linyi.org',
		params: publicationParams, run: publication.actions.amend as never, fields: { paragraphs, note: f.text(500, '', false) }
	},
	// The meeting room: one-button steps by someone they refuse (or at a time they refuse), forms with a field broken.
	roomSpec('open', 'moderator@demo.linyi.org', {}),
	roomSpec('close', 'resident@demo.linyi.org', {}),
	roomSpec('floor', 'resident@demo.linyi.org', {}),
	roomSpec('endSpeech', 'resident@demo.linyi.org', {}),
	roomSpec('extend', 'moderator@demo.linyi.org', { seconds: f.int(10, 1800) }),
	roomSpec('item', 'moderator@demo.linyi.org', { item_id: f.uuid(() => room.item) }),
	roomSpec('chair', 'moderator@demo.linyi.org', { user_id: f.uuid(() => '5eed0000-0000-4000-8000-000000001005') }),
	roomSpec('move', 'resident@demo.linyi.org', { body: f.text(1000, '东苑停车位重新划线'), attendance_id: f.uuid(() => '', false) }),
	roomSpec('second', 'resident@demo.linyi.org', { motion_id: f.uuid(() => room.motion), attendance_id: f.uuid(() => '', false) }),
	roomSpec('withdraw', 'owner@demo.linyi.org', { motion_id: f.uuid(() => room.motion) }),
	roomSpec('hand', 'resident@demo.linyi.org', { motion_id: f.uuid(() => room.motion), stance: f.choice(STANCE_VALUES) }),
	roomSpec('addSpeaker', 'moderator@demo.linyi.org', { motion_id: f.uuid(() => room.motion), attendance_id: f.uuid(() => room.zhang), stance: f.choice(STANCE_VALUES) }),
	roomSpec('lower', 'resident@demo.linyi.org', { speech_id: f.uuid(() => room.speech) }),
	roomSpec('closeDebate', 'moderator@demo.linyi.org', { motion_id: f.uuid(() => room.motion), yes: optionalCount, no: optionalCount }),
	roomSpec('hands', 'moderator@demo.linyi.org', {
		motion_id: f.uuid(() => room.motion), yes: f.int(0, 100_000), no: f.int(0, 100_000), abstain: f.int(0, 100_000), chair_vote: f.choice(['yes', 'no', 'abstain'], false)
	}),
	// The motion is still in debate, the council is no owners' meeting, and a resident does not run the meeting: each refused.
	roomSpec('resolution', 'moderator@demo.linyi.org', { motion_id: f.uuid(() => room.motion), text: f.text(500, '同意在东苑重新划线') }),
	roomSpec('ballot', 'moderator@demo.linyi.org', { motion_id: f.uuid(() => room.motion), matter: f.int(1, 9), closes_at: f.chinaTime() }),
	roomSpec('rules', 'resident@demo.linyi.org', {
		speech_seconds: f.int(30, 1800), speeches_per_motion: f.int(1, 10), seconds_needed: f.int(0, 10), alternate_stances: f.bool(), first_speakers_first: f.bool()
	}),
	{
		route: 'estates/[id=uuid]/meetings/+page.server.ts', action: 'schedule', url: () => `/estates/${JINYUAN}/meetings?/schedule`, as: 'moderator@demo.linyi.org',
		params: () => ({ id: JINYUAN }), run: meetingList.actions.schedule as never, fields: meetingFields
	},
	// Minutes of the demo's finished council on the charging shed (published and final: nothing is left to change).
	{
		route: MINUTES_ROUTE, action: 'draft', url: () => minutesUrl('draft'), as: 'resident@demo.linyi.org',
		params: minutesParams, run: meetingMinutes.actions.draft as never, fields: {}
	},
	{
		route: MINUTES_ROUTE, action: 'edit', url: () => minutesUrl('edit'), as: 'volunteer@demo.linyi.org',
		params: minutesParams, run: meetingMinutes.actions.edit as never, fields: { paragraphs: { ok: () => '会议名称：议事会。', breaks: [tooLong(2000), blank] } }
	},
	{
		route: MINUTES_ROUTE, action: 'publish', url: () => minutesUrl('publish'), as: 'moderator@demo.linyi.org',
		params: minutesParams, run: meetingMinutes.actions.publish as never, fields: { window_days: f.int(1, 30) }
	},
	...(['register', 'unregister'] as const).map(
		(action): Spec => ({
			route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/+page.server.ts', action, url: () => `${meetingUrl()}?/${action}`, as: 'applicant1@demo.linyi.org',
			params: meetingParams, run: meetingNotice.actions[action] as never, fields: {}
		})
	),
	{
		route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/+page.server.ts', action: 'add_item', url: () => `${meetingUrl()}?/add_item`, as: 'moderator@demo.linyi.org',
		params: meetingParams, run: meetingNotice.actions.add_item as never,
		fields: { issue_id: f.uuid(() => '5eed0000-0000-4000-8000-000000005150', false), title: f.text(120, '其他', false), planned_minutes: f.int(1, 240, false) }
	},
	{
		route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/+page.server.ts', action: 'move_item', url: () => `${meetingUrl()}?/move_item`, as: 'moderator@demo.linyi.org',
		params: meetingParams, run: meetingNotice.actions.move_item as never,
		fields: { item_id: f.uuid(() => '5eed0000-0000-4000-8000-000000005111'), direction: f.choice(['up', 'down']) }
	},
	{
		route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/+page.server.ts', action: 'remove_item', url: () => `${meetingUrl()}?/remove_item`, as: 'resident@demo.linyi.org',
		params: meetingParams, run: meetingNotice.actions.remove_item as never, fields: { item_id: f.uuid(() => '5eed0000-0000-4000-8000-000000005112') }
	},
	{
		route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/+page.server.ts', action: 'update', url: () => `${meetingUrl()}?/update`, as: 'moderator@demo.linyi.org',
		params: meetingParams, run: meetingNotice.actions.update as never, fields: meetingFields
	},
	{
		route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/+page.server.ts', action: 'cancel', url: () => `${meetingUrl()}?/cancel`, as: 'moderator@demo.linyi.org',
		params: meetingParams, run: meetingNotice.actions.cancel as never, fields: { reason: f.text(500, '台风') }
	},
	{
		// The council is next week: a well-formed code is refused as out of its window (and every try counts against the limit).
		route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/check-in/+page.server.ts', action: 'default', url: () => `${meetingUrl()}/check-in`, as: 'resident@demo.linyi.org',
		params: meetingParams, run: meetingCheckIn.actions.default as never,
		fields: { code: { ok: () => '246810', breaks: [blank, tooLong(6), fc.constantFrom<Sample>('12345', '1234567', 'abcdef', '１２３４５６', '246810'), fc.stringMatching(/^[0-9]{6}$/)] } }
	},
	{
		route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/attendance/+page.server.ts', action: 'check_in', url: () => `${meetingUrl()}/attendance?/check_in`, as: 'moderator@demo.linyi.org',
		params: meetingParams, run: meetingDoor.actions.check_in as never,
		fields: {
			attendance_id: f.uuid(() => '5eed0000-0000-4000-8000-000000005121', false),
			user_id: f.uuid(() => '5eed0000-0000-4000-8000-000000001001', false),
			name: f.text(40, '张奶奶', false),
			unit_id: { ok: () => '', breaks: [fc.constantFrom<Sample>(...BAD_UUIDS), fc.uuid({ version: 4 })] }
		}
	},
	{
		route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/attendance/+page.server.ts', action: 'check_out', url: () => `${meetingUrl()}/attendance?/check_out`, as: 'moderator@demo.linyi.org',
		params: meetingParams, run: meetingDoor.actions.check_out as never, fields: { attendance_id: f.uuid(() => '5eed0000-0000-4000-8000-000000005121') }
	},
	{
		route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/attendance/+page.server.ts', action: 'record_proxy', url: () => `${meetingUrl()}/attendance?/record_proxy`, as: 'moderator@demo.linyi.org',
		params: meetingParams, run: meetingDoor.actions.record_proxy as never,
		fields: {
			holder_id: f.uuid(() => '5eed0000-0000-4000-8000-000000005123'),
			absent_name: f.text(40, '周阿姨'),
			absent_unit_id: f.uuid(() => '', false),
			letter: f.file(['not a photo', '<svg onload=alert(1)>', '\u0000\u0001'])
		}
	},
	{
		route: 'estates/[id=uuid]/meetings/[meetingId=uuid]/attendance/+page.server.ts', action: 'revoke_proxy', url: () => `${meetingUrl()}/attendance?/revoke_proxy`, as: 'resident@demo.linyi.org',
		params: meetingParams, run: meetingDoor.actions.revoke_proxy as never, fields: { proxy_id: f.uuid(() => '5eed0000-0000-4000-8000-000000005131') }
	},
	{
		route: 'estates/[id=uuid]/wishes/+page.server.ts', action: 'post', url: () => `/estates/${JINYUAN}/wishes?/post`, as: 'volunteer@demo.linyi.org',
		run: wishes.actions.post as never,
		fields: {
			title: f.text(60, '想要一台收音机'), body: f.text(500, '', false), category: f.choice(WISH_CATEGORIES), estimated_cost: f.number(),
			area_id: { ok: () => ids.area, breaks: [fc.constantFrom<Sample>(...BAD_UUIDS.filter((u) => u.trim() !== '')), fc.uuid({ version: 4 })] },
			shown_name: f.text(8, '某阿姨'), for_other: f.bool(), resident_name: f.text(40, '王秀兰', false), unit: f.text(60, '', false), phone: f.text(20, '', false)
		}
	},
	{
		route: 'estates/[id=uuid]/wishes/vet/+page.server.ts', action: 'vet', url: () => `/estates/${JINYUAN}/wishes/vet?/vet`, as: 'moderator@demo.linyi.org',
		run: wishVet.actions.vet as never,
		// The demo's open wish is vetted already: a well-formed sample is refused too.
		fields: { wish_id: f.uuid(() => OPEN_WISH), decision: f.choice(['approve', 'decline']), note: f.text(300, '', false), est_hours: wishHoursField }
	},
	...(['claim', 'release'] as const).map(
		(action): Spec => ({
			// resident@ holds no role that claims, and claimed nothing to release.
			route: 'estates/[id=uuid]/wishes/[wishId=uuid]/+page.server.ts', action, url: () => `${wishUrl()}?/${action}`, as: 'resident@demo.linyi.org',
			params: wishParams, run: wish.actions[action] as never, fields: {}
		})
	),
	{
		route: 'estates/[id=uuid]/wishes/[wishId=uuid]/+page.server.ts', action: 'donor', url: () => `${wishUrl()}?/donor`, as: 'moderator@demo.linyi.org',
		params: wishParams, run: wish.actions.donor as never, fields: { donor_unit: f.text(60, '晋源区供电公司') }
	},
	{
		// The open wish is claimed by nobody: party@ may not report it done, whatever the note or photo.
		route: 'estates/[id=uuid]/wishes/[wishId=uuid]/+page.server.ts', action: 'fulfil', url: () => `${wishUrl()}?/fulfil`, as: 'party@demo.linyi.org',
		params: wishParams, run: wish.actions.fulfil as never, fields: { note: f.text(300, '', false), photo: { breaks: [] }, hours: wishHoursField }
	},
	{
		route: 'estates/[id=uuid]/wishes/[wishId=uuid]/+page.server.ts', action: 'confirm', url: () => `${wishUrl()}?/confirm`, as: 'volunteer@demo.linyi.org',
		params: wishParams, run: wish.actions.confirm as never, fields: { thanks: f.text(200, '', false) }
	},
	{
		route: 'estates/[id=uuid]/votes/[voteId=uuid]/receipts/+page.server.ts', action: 'default', url: () => `${voteUrl()}/receipts`, as: 'resident@demo.linyi.org', params: voteParams,
		run: receipts.actions.default as never, fields: { code: f.text(40, 'ABCD-EFGH') }, also: ['data']
	},
	{
		route: 'estates/[id=uuid]/join/+page.server.ts', action: 'default', url: () => `/estates/${JINYUAN}/join`, as: 'admin@demo.linyi.org',
		run: join.actions.default as never,
		fields: { building_id: f.uuid(() => ids.building), entrance: f.text(10, '', false), room: f.text(10, '101'), claims_owner: f.bool() }
	},
	...claimSpecs('estates/[id=uuid]/claim/+page.server.ts', () => `/estates/${JINYUAN}/claim`, claimBoard.actions),
	...claimSpecs('estates/[id=uuid]/tasks/[taskId=uuid]/+page.server.ts', taskUrl, taskPage.actions, taskParams),
	{
		route: 'estates/[id=uuid]/tasks/[taskId=uuid]/+page.server.ts', action: 'assign', url: () => `${taskUrl()}?/assign`, as: 'moderator@demo.linyi.org',
		params: taskParams, run: taskPage.actions.assign as never, fields: { user_id: f.uuid(() => '5eed0000-0000-4000-8000-000000001001') }
	},
	{
		// A resident may not close a task: the refusal is the one-button form's message.
		route: 'estates/[id=uuid]/tasks/[taskId=uuid]/+page.server.ts', action: 'close', url: () => `${taskUrl()}?/close`, as: 'resident@demo.linyi.org',
		params: taskParams, run: taskPage.actions.close as never, fields: { cancel: f.bool() }
	},
	{
		// The ok times are the same minute: a sample the schema let through would still be refused for its window.
		route: 'estates/[id=uuid]/tasks/new/+page.server.ts', action: 'default', url: () => `/estates/${JINYUAN}/tasks/new`, as: 'moderator@demo.linyi.org',
		run: taskNew.actions.default as never,
		fields: {
			title: f.text(80, '搬运座椅'), needed: f.text(1000, '需要两人'), kind: f.choice(TASK_KINDS), eligible: f.choice(TASK_ELIGIBLE),
			team_id: f.uuid(() => '', false), issue_id: f.uuid(() => '', false), area_id: f.uuid(() => '', false),
			starts_at: f.chinaTime(), ends_at: f.chinaTime(), slots: f.int(1, 200, false), est_hours: hoursField, checkin: f.bool()
		}
	},
	{
		// resident@ has nothing on the time bank: a transfer the schema let through is refused for the balance.
		route: 'estates/[id=uuid]/time-bank/+page.server.ts', action: 'transfer', url: () => `/estates/${JINYUAN}/time-bank?/transfer`, as: 'resident@demo.linyi.org',
		run: timeBank.actions.transfer as never,
		fields: {
			purpose: f.choice(['donated', 'transferred', 'spent']), unit: f.choice(['coin', 'hour'], false), to: f.uuid(() => '', false),
			amount: { ok: () => '1', breaks: [fc.constantFrom<Sample>('NaN', 'abc', '0', '-1', '0.001', '1e309', '10001', MISSING)] }, note: f.text(200, '', false)
		}
	},
	{
		// A pending applicant may not register, whatever the branch.
		route: 'estates/[id=uuid]/service/+page.server.ts', action: 'register', url: () => `/estates/${JINYUAN}/service?/register`, as: 'applicant1@demo.linyi.org',
		run: service.actions.register as never, fields: { branch: f.text(60, '晋源区税务局党支部') }
	},
	{
		// resident@ is not registered with the community: there is no card to issue.
		route: 'estates/[id=uuid]/service/+page.server.ts', action: 'card', url: () => `/estates/${JINYUAN}/service?/card`, as: 'resident@demo.linyi.org',
		run: service.actions.card as never, fields: {}
	},
	{
		// Every field of joining is optional: the caller is one who may not join (a pending applicant), so that no sample can.
		route: 'estates/[id=uuid]/teams/[teamId=uuid]/+page.server.ts', action: 'join', url: () => `/estates/${JINYUAN}/teams/${WORK.team}?/join`, as: 'applicant1@demo.linyi.org',
		params: () => ({ id: JINYUAN, teamId: WORK.team }), run: team.actions.join as never,
		fields: { shown_name: f.text(20, '', false), skills: f.text(250, '', false), availability: f.text(100, '', false) }
	},
	{
		// resident@ manages no estate: no sample may start a team.
		route: 'estates/[id=uuid]/teams/+page.server.ts', action: 'create', url: () => `/estates/${JINYUAN}/teams?/create`, as: 'resident@demo.linyi.org',
		run: teams.actions.create as never, fields: { name: f.text(40, '新分队'), about: f.text(500, '', false) }
	},
	{
		// resident@ leads no team: no sample may answer a request to join.
		route: 'estates/[id=uuid]/teams/[teamId=uuid]/+page.server.ts', action: 'decide', url: () => `/estates/${JINYUAN}/teams/${WORK.team}?/decide`, as: 'resident@demo.linyi.org',
		params: () => ({ id: JINYUAN, teamId: WORK.team }), run: team.actions.decide as never,
		fields: { user_id: f.uuid(() => '5eed0000-0000-4000-8000-000000001001'), decision: f.choice(['approve', 'decline']) }
	},
	{
		// resident@ manages no estate: no sample may name a leader.
		route: 'estates/[id=uuid]/teams/[teamId=uuid]/+page.server.ts', action: 'leader', url: () => `/estates/${JINYUAN}/teams/${WORK.team}?/leader`, as: 'resident@demo.linyi.org',
		params: () => ({ id: JINYUAN, teamId: WORK.team }), run: team.actions.leader as never,
		fields: { user_id: f.uuid(() => '5eed0000-0000-4000-8000-000000001001'), leader: f.choice(['yes', 'no']) }
	},
	{
		// A pending applicant is in no team: nothing to leave.
		route: 'estates/[id=uuid]/teams/[teamId=uuid]/+page.server.ts', action: 'leave', url: () => `/estates/${JINYUAN}/teams/${WORK.team}?/leave`, as: 'applicant1@demo.linyi.org',
		params: () => ({ id: JINYUAN, teamId: WORK.team }), run: team.actions.leave as never, fields: {}
	}
];

// ----------------------------------------------------------------------------
// Discovery: every action of every +page.server.ts
// ----------------------------------------------------------------------------

const ROUTES = path.resolve(__dirname, '../../src/routes');

function pageServers(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = path.join(dir, name);
		if (statSync(p).isDirectory()) return pageServers(p);
		return name === '+page.server.ts' ? [p] : [];
	});
}

/** The names of the `actions` object's properties, read from the source as TypeScript parses it. */
function actionsOf(file: string): string[] {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
	const names: string[] = [];
	const visit = (node: ts.Node) => {
		if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'actions' && node.initializer) {
			let init: ts.Expression = node.initializer;
			while (ts.isSatisfiesExpression(init) || ts.isAsExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
			if (!ts.isObjectLiteralExpression(init)) throw new Error(`${file}: actions is not an object literal; list its actions here by hand`);
			for (const p of init.properties) {
				if (ts.isSpreadAssignment(p) || !p.name) throw new Error(`${file}: a spread in actions; list its actions here by hand`);
				names.push(p.name.getText(source).replace(/^['"]|['"]$/g, ''));
			}
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return names;
}

// ----------------------------------------------------------------------------
// Checks
// ----------------------------------------------------------------------------

const KNOWN = new Set(Object.keys(zh).filter((k) => k in en));

/** Every message key an answer carries: errors beside fields and on the form, one-button messages, import problems, error pages. */
function messageKeys(x: Exchange): string[] {
	const out: string[] = [];
	const walkErrors = (v: unknown) => {
		if (typeof v === 'string') out.push(v);
		else if (Array.isArray(v)) v.forEach(walkErrors);
		else if (v && typeof v === 'object') Object.values(v).forEach(walkErrors);
	};
	const o = x.outcome;
	if (o.kind === 'error') out.push(o.body.message);
	if (o.kind === 'failure' || o.kind === 'data') {
		const d = o.data ?? {};
		walkErrors(d.form?.errors);
		if (typeof d.message === 'string') out.push(d.message);
		for (const e of d.result?.errors ?? []) out.push(e.key);
	}
	return out;
}

const TABLES = `select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname = 'public' order by 1`;
let digestQuery = '';

/** Row counts and a digest of every table of schema public and of auth's users and sessions, in one statement. */
async function digest(rt: TestRuntime): Promise<Record<string, string>> {
	const rows = await rt.sql.query<{ t: string; d: string }>(digestQuery);
	return Object.fromEntries(rows.map((r) => [r.t, r.d]));
}

function toForm(values: Record<string, Sample>, extra: [string, FormValue][]): Record<string, FormValue> {
	const form: Record<string, FormValue> = {};
	for (const [k, v] of Object.entries(values)) if (v !== MISSING) form[k] = v;
	for (const [k, v] of extra) form[k] = v;
	return form;
}

/** Fields a browser never sends, or superforms reads itself: garbage in them must be refused too. */
const extraFields = fc.array(
	fc.tuple(
		fc.constantFrom('__superform_id', '__superform_json', '__proto__', 'constructor', 'x'.repeat(300), '\u0000', '<script>'),
		fc.oneof(hostile, fc.constantFrom('[', '[{}]', '[{"a":1},"x"]', '["x"]', '[{"title":1},"\u0000"]'))
	),
	{ maxLength: 2 }
);

/** A sample for a spec: at least one field broken (if any can be), the others anything. */
function sampleOf(spec: Spec): fc.Arbitrary<{ values: Record<string, Sample>; broken: string[]; extra: [string, FormValue][] }> {
	const names = Object.keys(spec.fields);
	const breakable = names.filter((n) => spec.fields[n].breaks.length > 0);
	const noise = (field: Field): fc.Arbitrary<Sample> =>
		fc.oneof(
			{ arbitrary: fc.constant(0).map(() => field.ok?.() ?? MISSING), weight: 4 },
			{ arbitrary: hostile, weight: 2 },
			{ arbitrary: fc.constant<Sample>(MISSING), weight: 1 },
			{ arbitrary: fc.tuple(hostile, hostile).map((p) => [...p]), weight: 1 },
			{ arbitrary: someFile, weight: 1 }
		);
	const broken = breakable.length ? fc.subarray(breakable, { minLength: 1, maxLength: Math.min(2, breakable.length) }) : fc.constant([] as string[]);
	return broken.chain((b) =>
		fc.record({
			values: fc.record(Object.fromEntries(names.map((n) => [n, b.includes(n) ? fc.oneof(...spec.fields[n].breaks) : noise(spec.fields[n])]))) as fc.Arbitrary<Record<string, Sample>>,
			broken: fc.constant(b),
			extra: extraFields as fc.Arbitrary<[string, FormValue][]>
		})
	);
}

const show = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'string' && x.length > 80 ? `${x.slice(0, 40)}…(${x.length})` : x instanceof File ? `File(${x.name}, ${x.size})` : x === MISSING ? '<missing>' : x));

// ----------------------------------------------------------------------------
// The test
// ----------------------------------------------------------------------------

let rt: TestRuntime;
beforeAll(async () => {
	rt = await openTestRuntime();
	const tables = (await rt.sql.query<{ t: string }>(TABLES)).map((r) => r.t);
	digestQuery = ['auth.users', 'auth.local_sessions', ...tables]
		.map((t) => `select '${t}' as t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as d from ${t} x`)
		.join('\nunion all\n');
	const one = async (sql: string) => (await rt.sql.query<{ id: string }>(sql))[0].id;
	ids.openIssue = await one(`select id from public.issues where estate_id = '${JINYUAN}' and status in ('open', 'submitted', 'accepted', 'deliberating') order by created_at limit 1`);
	ids.comment = await one(`select id from public.comments where issue_id = '${ids.openIssue}' order by created_at limit 1`).catch(() => one('select id from public.comments limit 1'));
	ids.building = await one(`select id from public.areas where estate_id = '${JINYUAN}' and kind = 'building' order by name limit 1`);
	ids.area = await one(`select id from public.areas where estate_id = '${JINYUAN}' and kind = 'courtyard' order by name limit 1`);
	ids.approvedIssue = await one(`select id from public.issues where estate_id = '${JINYUAN}' and status = 'approved' order by created_at limit 1`);
	ids.objection = await one(`select id from public.objections where publication_id = '${ids.publication}' order by created_at limit 1`);
	ids.membership = await one(`select id from public.memberships where estate_id = '${JINYUAN}' and status = 'pending' limit 1`);
}, 120_000);
afterAll(() => rt.close());

describe('fuzzing every form action', () => {
	it('has a spec for every action in src/routes, and none for an action that is gone', () => {
		const found = pageServers(ROUTES)
			.flatMap((file) => actionsOf(file).map((a) => `${path.relative(ROUTES, file)} ${a}`))
			.sort();
		const specified = [...new Set(SPECS.map((s) => `${s.route} ${s.action}`))].sort();
		expect(specified).toEqual(found);
	});

	it.each(SPECS.map((s) => [`${s.route} ?/${s.action} as ${s.as}`, s] as const))('%s: refuses hostile input with a 4xx, known message keys, and no write', async (_, spec) => {
		const before = await digest(rt);
		const allowed = new Set<Answer>(['refusal', ...(spec.also ?? [])]);
		await fc.assert(
			fc.asyncProperty(sampleOf(spec), fc.constantFrom<'zh-CN' | 'en'>('zh-CN', 'en'), async (sample, locale) => {
				const x = await request(
					{ url: spec.url(), form: toForm(sample.values, sample.extra), as: spec.as, params: spec.params?.(), cookies: { linyi_locale: locale } },
					spec.run
				);
				const o = x.outcome;
				const answer: Answer =
					(o.kind === 'failure' || o.kind === 'error') && o.status >= 400 && o.status < 500
						? 'refusal'
						: o.kind === 'redirect'
							? o.location.startsWith('/auth/sign-in')
								? 'refusal'
								: 'redirect'
							: o.kind === 'data'
								? 'data'
								: 'refusal';
				if ((o.kind === 'failure' || o.kind === 'error') && o.status >= 500) throw new Error(`answered ${o.status}: ${show(o)}`);
				expect(allowed.has(answer), `answered ${show(o)} to ${show(sample)}`).toBe(true);
				if (o.kind === 'data' && spec.also?.includes('data')) {
					// A 200 re-render is a refusal only with what it refuses: field errors, an import's problems, similar issues, a receipt not found.
					const d = o.data;
					const refused = d?.form?.valid === false || d?.result?.ok === false || Array.isArray(d?.similar) || d?.checked !== undefined;
					expect(refused, `a 200 that refuses nothing: ${show(o)}`).toBe(true);
				}
				for (const key of messageKeys(x)) {
					expect(KNOWN.has(key), `"${show(key)}" is not a message key of both languages (answer ${show(o)}, sample ${show(sample)})`).toBe(true);
				}
			}),
			{ numRuns: RUNS, endOnFailure: true }
		);
		expect(await digest(rt), 'the database changed').toEqual(before);
	}, 300_000);
});
