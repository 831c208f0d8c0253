import { recordFormCard } from '../../src/bot/cards/record';
import { builtinTemplates } from '../../src/domain/policy/validate';
test('x', () => {
  const t = builtinTemplates.find((x) => x.id === 'lingfield-safeguarding-record')!;
  const base = { template: t, record: { id: 'rec-1', sessionId: 's', relationshipId: 'r', templateId: t.id, version: 1, status: 'draft' as const, authorId: 'a', values: {}, signatures: [], createdAt: '', updatedAt: '', etag: 'e' }, supervisorName: 'Alex Morgan', superviseeNames: ['Jordan Lee'], sessionStart: '2026-11-23T10:00:00.000Z', openActions: [], userIds: ['a'] };
  const c0 = recordFormCard({ ...base, actionRows: 0 });
  const c1 = recordFormCard({ ...base, actionRows: 1 });
  const c20 = recordFormCard({ ...base, actionRows: 20 });
  console.log(JSON.stringify(c0).length, JSON.stringify(c1).length, JSON.stringify(c20).length);
  const body = c1.body as any[];
  console.log(JSON.stringify(body[body.length - 3]));
});
