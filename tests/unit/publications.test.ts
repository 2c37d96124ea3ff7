import { describe, expect, it } from 'vitest';
import { fromParagraphs, toParagraphs } from '../../src/lib/domain/publications';
import { answerSchema, objectionSchema, publishDecisionSchema } from '../../src/lib/domain/publication-schemas';

describe('paragraphs of a publication', () => {
	it('are split at blank lines (Windows line ends and full-width spaces too), trimmed, empty ones dropped', () => {
		expect(toParagraphs('第一段\n\n第二段')).toEqual(['第一段', '第二段']);
		expect(toParagraphs(' 第一段\r\n\r\n第二段\n第二段续\n \u3000\n\n\n第三段 ')).toEqual(['第一段', '第二段\n第二段续', '第三段']);
		expect(toParagraphs('  \n\n ')).toEqual([]);
		expect(toParagraphs(fromParagraphs(['甲', '乙\n丙']))).toEqual(['甲', '乙\n丙']);
	});

	it('are checked at the edge as in SQL: 1 to 50, each at most 2000 characters; a window of 1 to 30 days', () => {
		const ok = (o: object) => publishDecisionSchema.safeParse({ title: '公示', paragraphs: '一\n\n二', window_days: 7, ...o });
		expect(ok({}).success).toBe(true);
		const issue = (o: object) => ok(o).error?.issues.map((i) => [i.path.join('.'), i.message]);
		expect(issue({ paragraphs: ' \n\n ' })).toEqual([['paragraphs', 'errors.paragraphs_invalid']]);
		expect(issue({ paragraphs: '长'.repeat(2001) })).toEqual([['paragraphs', 'errors.paragraphs_invalid']]);
		expect(issue({ paragraphs: Array.from({ length: 51 }, (_, i) => `${i}`).join('\n\n') })).toEqual([['paragraphs', 'errors.paragraphs_invalid']]);
		expect(issue({ window_days: 0 })).toEqual([['window_days', 'errors.window_days_invalid']]);
		expect(issue({ window_days: '31' })).toEqual([['window_days', 'errors.window_days_invalid']]);
		expect(issue({ window_days: 'x' })).toEqual([['window_days', 'errors.window_days_invalid']]);
	});

	it('an objection names a paragraph from 1 and a reason; a rejection needs its reason, an upheld answer does not', () => {
		expect(objectionSchema.safeParse({ paragraph: '2', reason: '太少' }).success).toBe(true);
		expect(objectionSchema.safeParse({ paragraph: '0', reason: '太少' }).error?.issues[0].message).toBe('errors.paragraph_not_found');
		const id = '5eed0000-0000-4000-8000-000000004001';
		expect(answerSchema.safeParse({ objection_id: id, answer: 'upheld', reason: '' }).success).toBe(true);
		expect(answerSchema.safeParse({ objection_id: id, answer: 'rejected', reason: ' ' }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
			['reason', 'errors.reason_required']
		]);
	});
});
