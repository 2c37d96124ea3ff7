import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as moderation from '../../src/routes/estates/[id=uuid]/moderation/+page.server';
import { JINYUAN, expectData, expectFailure, expectHttpError, expectNoWrite, expectRedirect, openTestRuntime, request, type TestRuntime } from './harness';

let rt: TestRuntime;
let comment: string;
beforeAll(async () => {
	rt = await openTestRuntime();
	// A comment on the demo's bench issue, reported twice (still shown), written directly.
	const [{ id }] = await rt.sql.query<{ id: string }>(
		`insert into public.comments (issue_id, author_id, stance, body)
		 values ('5eed0000-0000-4000-8000-000000002001', '5eed0000-0000-4000-8000-000000001003', 'oppose', '加微信买长椅，便宜') returning id::text`
	);
	comment = id;
	await rt.sql.query(
		`insert into public.comment_reports (comment_id, reporter_id, reason) values ($1, '5eed0000-0000-4000-8000-000000001001', '广告'), ($1, '5eed0000-0000-4000-8000-000000001002', '推销')`,
		[comment]
	);
});
afterAll(() => rt.close());

const PAGE = `/estates/${JINYUAN}/moderation`;
const decide = (form: Record<string, string>, as: 'moderator@demo.linyi.org' | 'resident@demo.linyi.org' = 'moderator@demo.linyi.org') =>
	request({ url: `${PAGE}?/moderate`, method: 'POST', as, form }, moderation.actions.moderate);

describe('estates/[id]/moderation', () => {
	it('shows moderators and the committee the reported comments with the reasons', async () => {
		for (const as of ['moderator@demo.linyi.org', 'committee@demo.linyi.org'] as const) {
			const data = expectData(await request({ url: PAGE, as }, moderation.load));
			const item = data.queue.items.find((x: { id: string }) => x.id === comment);
			expect(item, as).toMatchObject({ body: '加微信买长椅，便宜', state: 'visible', author: '志愿者 小陈' });
			expect(item.reports.map((r: { reason: string }) => r.reason)).toEqual(['广告', '推销']);
		}
	});

	it('is closed to residents and asks the public to sign in', async () => {
		expectHttpError(await request({ url: PAGE, as: 'resident@demo.linyi.org' }, moderation.load), 403, 'errors.forbidden');
		expectRedirect(await request({ url: PAGE, as: 'anon' }, moderation.load), /^\/auth\/sign-in\?next=/);
	});

	it('hides a comment with a reason, which then leaves the queue; a missing reason or a resident changes nothing', async () => {
		expectFailure(await expectNoWrite(() => decide({ comment_id: comment, hide: 'true', reason: ' ' })), 400, { reason: 'errors.required' });
		expectFailure(await expectNoWrite(() => decide({ comment_id: comment, hide: 'true', reason: '广告' }, 'resident@demo.linyi.org')), 404);
		expectRedirect(await decide({ comment_id: comment, hide: 'true', reason: '广告' }), `${PAGE}?done=hidden`);
		const [{ state }] = await rt.sql.query<{ state: string }>('select state from public.comments where id = $1', [comment]);
		expect(state).toBe('hidden');
		const data = expectData(await request({ url: PAGE, as: 'moderator@demo.linyi.org' }, moderation.load));
		expect(data.queue.items.map((x: { id: string }) => x.id)).not.toContain(comment);
	});
});
