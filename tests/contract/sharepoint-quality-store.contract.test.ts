/**
 * SharePointQualityStore against the in-memory SharePoint behind the fake
 * Graph: the shared QualityStore behaviour suite (the embedded store passes the
 * same one, embedded-quality-store.behaviour.test.ts), then what only a remote
 * store has to get right: one indexed filter per read, $batch for several
 * relationships, the unique key deciding "saved once", looking before
 * re-sending a create whose answer was lost, and request counts. Every request
 * body is checked against the Graph v1.0 CSDL and the list's columns
 * (afterEach, sharePointViolations).
 *
 * Pages followed (microsoft-graph-docs-contrib, api-reference/v1.0/api/):
 * listitem-list.md ($filter on one indexed field, $expand=fields),
 * listitem-create.md; concepts/json-batching.md.
 */
import { hashKey } from '../../src/adapters/sharepoint/listItems';
import { SharePointQualityStore } from '../../src/adapters/sharepoint/sharepointQualityStore';
import type { QaGrade } from '../../src/domain/compliance';
import { fake, provisionedSite, sp, takeCalls, useSharePointHarness } from '../support/sharePointHarness';
import { qualityStoreBehaviour } from './qualityStoreBehaviour';

useSharePointHarness();

async function provisioned(options: { pageSize?: number; maxFilterValues?: number } = {}) {
  return provisionedSite((where) => ({ quality: new SharePointQualityStore({ ...where, ...options }), peer: new SharePointQualityStore({ ...where, ...options }) }));
}

qualityStoreBehaviour('SharePoint list over Graph', () => provisioned());
// Two items to a page: every read follows @odata.nextLink, in and out of $batch; and a low
// threshold, so "many relationships" reads the whole list.
qualityStoreBehaviour('SharePoint list over Graph, two items a page, whole-list reads', () => provisioned({ pageSize: 2, maxFilterValues: 3 }));

const T0 = '2026-12-01T09:00:00.250Z';
const grade = (id: string, overrides: Partial<QaGrade> = {}): QaGrade => ({ id, recordId: 'rec-1', relationshipId: 'r1', auditorId: 'p-aud', category: 'support', comment: 'Good reflection.', at: T0, ...overrides });


const itemReads = () => fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/items'));

describe('SharePointQualityStore: requests', () => {
  it('a grade is one create, written as filter columns and the JSON body, identified by the SHA-256 of its id', async () => {
    const { quality } = await provisioned();
    await quality.saveGrade(grade('qa-1'));
    expect(takeCalls()).toEqual(['GET /sites/contoso.sharepoint.com:/sites/protected-time', 'GET /sites/{site}/lists', 'POST /sites/{site}/lists/pt-qa-grades/items']);
    const post = fake.to('POST', /\/items$/)[0]!.body as { fields: Record<string, unknown> };
    expect(post.fields).toEqual({
      Title: 'support: rec-1',
      ptKey: hashKey(['qa-1']),
      recordId: 'rec-1',
      relationshipId: 'r1',
      auditorId: 'p-aud',
      category: 'support',
      gradedAt: T0,
      ptBody: JSON.stringify(grade('qa-1')),
      ptWriteId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // Saved again: SharePoint's unique key refuses it (409), and that is not an error.
    await quality.saveGrade({ ...grade('qa-1'), comment: 'changed' });
    expect(takeCalls()).toEqual(['POST /sites/{site}/lists/pt-qa-grades/items']);
    expect(sp!.items('pt-qa-grades')).toHaveLength(1);
    // Append-only: nothing is ever updated.
    expect(fake.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('reads with one indexed filter, the narrowest the query allows, never the non-indexed preference', async () => {
    const { quality } = await provisioned();
    await quality.saveGrade(grade('qa-1'));
    fake.requests.length = 0;
    await quality.listGrades({ recordId: "rec-'1'", auditorId: 'p-aud', relationshipIds: ['r1'] });
    await quality.listGrades({ auditorId: 'p-aud', relationshipIds: ['r1'] });
    await quality.listGrades({ relationshipIds: ['r1'], from: T0 });
    await quality.listGrades({ from: '2026-12-01T09:00:00.250Z' });
    await quality.listGrades({ to: '2026-12-01T09:00:00.250Z' });
    await quality.listGrades({ category: 'support' });
    expect(itemReads().map((r) => r.query.$filter)).toEqual([
      "fields/recordId eq 'rec-''1'''",
      "fields/auditorId eq 'p-aud'",
      "fields/relationshipId eq 'r1'",
      // dateTime columns keep whole seconds: a second wider, then exact.
      "fields/gradedAt gt '2026-12-01T08:59:59Z'",
      "fields/gradedAt lt '2026-12-01T09:00:02Z'",
      undefined,
    ]);
    expect(itemReads()[0]!.query).toMatchObject({ $select: 'id,eTag', $top: '500', $expand: 'fields($select=ptKey,recordId,relationshipId,auditorId,category,gradedAt,ptBody,ptWriteId)' });
    expect(fake.requests.every((r) => r.headers.prefer === undefined)).toBe(true);
  });

  it('several relationships are one request each in a $batch; beyond the threshold, one read of the whole list', async () => {
    const { quality } = await provisioned({ maxFilterValues: 3 });
    for (const r of ['r1', 'r2', 'r3', 'r4']) await quality.saveGrade(grade(`qa-${r}`, { relationshipId: r }));
    takeCalls();
    expect((await quality.listGrades({ relationshipIds: ['r1', 'r2', 'r3'] })).map((g) => g.id)).toEqual(['qa-r1', 'qa-r2', 'qa-r3']);
    expect(takeCalls()).toEqual(['POST /$batch']);
    fake.requests.length = 0;
    expect((await quality.listGrades({ relationshipIds: ['r1', 'r2', 'r3', 'r4'] })).map((g) => g.id)).toEqual(['qa-r1', 'qa-r2', 'qa-r3', 'qa-r4']);
    expect(takeCalls()).toEqual(['GET /sites/{site}/lists/pt-qa-grades/items']);
    expect(itemReads()[0]!.query.$filter).toBeUndefined();
  });
});

describe('SharePointQualityStore: lost answers', () => {
  it('a create whose answer was lost looks for its own write before sending again, and never saves twice', async () => {
    const { quality } = await provisioned();
    const timeout = { status: 504, body: { error: { code: 'GatewayTimeout', message: 'timed out' } } };
    sp!.inject('POST', /\/items$/, timeout, { afterApplying: true });
    await quality.saveGrade(grade('qa-1'));
    expect(sp!.items('pt-qa-grades')).toHaveLength(1);
    // Refused outright (not applied): looked for, not found, sent again.
    sp!.inject('POST', /\/items$/, timeout);
    await quality.saveGrade(grade('qa-2'));
    expect(sp!.items('pt-qa-grades').map((i) => JSON.parse(String(i.fields.ptBody)).id)).toEqual(['qa-1', 'qa-2']);
  });
});
