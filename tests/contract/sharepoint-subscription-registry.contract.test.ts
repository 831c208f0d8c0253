/**
 * SharePointSubscriptionRegistry against the in-memory SharePoint behind the
 * fake Graph: the shared SubscriptionRegistry behaviour suite (the embedded
 * registry passes the same one, embedded-subscription-registry.behaviour.test.ts),
 * then what only a remote registry has to get right: one indexed filter per
 * read, nothing ever deleted, marks written under If-Match so a clear racing a
 * new notification keeps the new mark, looking before re-sending a create whose
 * answer was lost, and request counts. Every request body is checked against
 * the Graph v1.0 CSDL and the lists' columns (afterEach, sharePointViolations).
 *
 * Pages followed (microsoft-graph-docs-contrib, api-reference/v1.0/api/):
 * listitem-list.md ($filter on one indexed field, $expand=fields),
 * listitem-create.md, listitem-update.md (If-Match, 412).
 */
import { hashKey } from '../../src/adapters/sharepoint/listItems';
import { SharePointSubscriptionRegistry } from '../../src/adapters/sharepoint/sharepointSubscriptionRegistry';
import { fake, http, listId, provisionedSite, sp, takeCalls, useSharePointHarness } from '../support/sharePointHarness';
import { subscriptionRegistryBehaviour } from './subscriptionRegistryBehaviour';

useSharePointHarness();

async function provisioned(options: { pageSize?: number } = {}) {
  return provisionedSite((where) => ({ registry: new SharePointSubscriptionRegistry({ ...where, ...options }), peer: new SharePointSubscriptionRegistry({ ...where, ...options }) }));
}

subscriptionRegistryBehaviour('SharePoint lists over Graph', () => provisioned());
// Two items to a page: every read follows @odata.nextLink.
subscriptionRegistryBehaviour('SharePoint lists over Graph, two items a page', () => provisioned({ pageSize: 2 }));

const T0 = '2026-12-01T09:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const RIA = '11111111-1111-4111-8111-111111111111';
const SUB = '7f105c7d-2dc5-4530-97cd-4e7ae6534c07';
const record = { id: SUB, personId: RIA, resource: `/users/${RIA}/events`, clientStateHash: 'c'.repeat(64), expiresAt: '2026-12-04T07:00:00.000Z', status: 'active' as const, createdAt: T0, updatedAt: T0 };


describe('SharePointSubscriptionRegistry: requests', () => {
  it('writes a subscription as exact columns, identified by the SHA-256 of its id; reads with one indexed filter', async () => {
    const { registry } = await provisioned();
    await registry.save(record);
    expect(takeCalls()).toEqual(['GET /sites/contoso.sharepoint.com:/sites/protected-time', 'GET /sites/{site}/lists', 'GET /sites/{site}/lists/pt-subscriptions/items', 'POST /sites/{site}/lists/pt-subscriptions/items']);
    expect((fake.to('POST', /\/items$/)[0]!.body as { fields: Record<string, unknown> }).fields).toEqual({
      ptKey: hashKey([SUB]),
      ptWriteId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      Title: RIA,
      subscriptionId: SUB,
      personId: RIA,
      resource: `/users/${RIA}/events`,
      clientStateHash: 'c'.repeat(64),
      expiresAt: '2026-12-04T07:00:00.000Z',
      status: 'active',
      createdAt: T0,
      updatedAt: T0,
      ptState: 'held',
    });
    fake.requests.length = 0;
    await registry.get(SUB);
    await registry.list();
    await registry.listDelta();
    await registry.getDelta(RIA);
    const reads = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/items'));
    expect(reads.map((r) => r.query.$filter)).toEqual([`fields/ptKey eq '${hashKey([SUB])}'`, "fields/ptState eq 'held'", "fields/ptState eq 'held'", `fields/ptKey eq '${hashKey([RIA])}'`]);
    expect(reads[1]!.query).toMatchObject({ $select: 'id,eTag', $top: '500', $expand: 'fields($select=ptKey,subscriptionId,personId,resource,clientStateHash,expiresAt,status,createdAt,updatedAt,ptState,ptWriteId)' });
    expect(reads.every((r) => r.headers.prefer === undefined)).toBe(true);
  });

  it('deletes nothing: a removed subscription or person stays as an item marked deleted, blanked', async () => {
    const { registry } = await provisioned();
    await registry.save(record);
    await registry.saveDelta({ personId: RIA, deltaLink: 'https://graph.microsoft.com/v1.0/users/x/calendarView/delta?$deltatoken=1', syncedAt: T0 });
    await registry.markNotified(RIA, at(1));
    await registry.remove(SUB);
    await registry.removeDelta(RIA);
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(sp!.items('pt-subscriptions')[0]!.fields).toMatchObject({ subscriptionId: SUB, ptState: 'deleted' });
    expect(sp!.items('pt-calendar-delta')[0]!.fields).toMatchObject({ personId: RIA, ptState: 'deleted', deltaLink: '', syncedAt: '', notifiedAt: '', syncRequestedAt: '' });
    // Saved again: the same item, held again (no second item for the same id).
    await registry.save({ ...record, createdAt: at(5) });
    expect(sp!.items('pt-subscriptions')).toHaveLength(1);
    expect(await registry.get(SUB)).toEqual({ ...record, createdAt: at(5) });
  });

  it('a mark or a clear of a person this instance knows is one write, under If-Match', async () => {
    const { registry } = await provisioned();
    await registry.markNotified(RIA, at(1));
    expect(takeCalls().slice(2)).toEqual(['GET /sites/{site}/lists/pt-calendar-delta/items', 'POST /sites/{site}/lists/pt-calendar-delta/items']);
    await registry.markNotified(RIA, at(2));
    await registry.requestSync(RIA, at(2));
    await registry.clearMarks(RIA, at(2));
    const item = `PATCH /sites/{site}/lists/pt-calendar-delta/items/${sp!.items('pt-calendar-delta')[0]!.id}/fields`;
    expect(takeCalls()).toEqual([item, item, item]);
    // The change feed lists everyone, then saves cursors and clears marks: a write each, no reads.
    await registry.markNotified('p-sam', at(3));
    const peer = new SharePointSubscriptionRegistry({ http, site: { siteUrl: sp!.siteUrl } });
    await peer.listDelta();
    takeCalls();
    await peer.saveDelta({ personId: 'p-sam', syncedAt: at(4) });
    await peer.clearMarks('p-sam', at(4));
    expect(takeCalls()).toEqual([`PATCH /sites/{site}/lists/pt-calendar-delta/items/2/fields`, `PATCH /sites/{site}/lists/pt-calendar-delta/items/2/fields`]);
    const deltaWrites = fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(listId('pt-calendar-delta')));
    expect(deltaWrites.length).toBeGreaterThan(0);
    expect(deltaWrites.every((r) => r.headers['if-match'])).toBe(true);
  });

  it('refuses a person or subscription id longer than a text column, by name, rather than storing it cut short', async () => {
    const { registry } = await provisioned();
    await expect(registry.markNotified('p'.repeat(256), T0)).rejects.toThrow(/personId is 256 characters/);
    await expect(registry.save({ ...record, id: 's'.repeat(300) })).rejects.toThrow(/subscriptionId is 300 characters/);
  });
});

describe('SharePointSubscriptionRegistry: races and lost answers', () => {
  it('a clear that meets a newer mark (412) reads again and keeps the newer mark', async () => {
    const { registry, peer } = await provisioned();
    await registry.markNotified(RIA, at(1));
    const item = sp!.items('pt-calendar-delta')[0]!;
    // The webhook on another instance marks Ria again between the change feed's read and its write.
    sp!.beforeNext('PATCH', new RegExp(`/lists/${listId('pt-calendar-delta')}/items/${item.id}/fields$`), () => sp!.touch('pt-calendar-delta', item.id, { notifiedAt: at(5) }));
    await registry.clearMarks(RIA, at(2));
    expect(await peer.getDelta(RIA)).toEqual({ personId: RIA, notifiedAt: at(5) });
    // One write, refused (412); read again, nothing of ours left to clear.
    const patches = fake.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]!.headers['if-match']).toMatch(/^".+,\d+"$/);
  });

  it('a mark that meets a changed item (412) reads again and writes the later instant only', async () => {
    const { registry, peer } = await provisioned();
    await registry.markNotified(RIA, at(1));
    const item = sp!.items('pt-calendar-delta')[0]!;
    sp!.beforeNext('PATCH', new RegExp(`/items/${item.id}/fields$`), () => sp!.touch('pt-calendar-delta', item.id, { notifiedAt: at(9) }));
    await registry.markNotified(RIA, at(3));
    expect((await peer.getDelta(RIA))?.notifiedAt).toBe(at(9));
    // Lost to a removal elsewhere: the mark brings the person back with the mark alone.
    sp!.beforeNext('PATCH', new RegExp(`/items/${item.id}/fields$`), () =>
      sp!.touch('pt-calendar-delta', item.id, { ptState: 'deleted', notifiedAt: '', syncRequestedAt: '', deltaLink: '', windowStart: '', windowEnd: '', syncedAt: '' }),
    );
    await registry.requestSync(RIA, at(10));
    expect(await peer.getDelta(RIA)).toEqual({ personId: RIA, syncRequestedAt: at(10) });
  });

  it('a first mark whose create answer was lost looks for its own write; one made by another instance is marked, not duplicated', async () => {
    const { registry, peer } = await provisioned();
    const timeout = { status: 504, body: { error: { code: 'GatewayTimeout', message: 'timed out' } } };
    sp!.inject('POST', /\/items$/, timeout, { afterApplying: true });
    await registry.markNotified(RIA, at(1));
    expect(sp!.items('pt-calendar-delta')).toHaveLength(1);
    // Another instance creates Sam's item between our read and our create: ours is refused (409), we read and mark theirs.
    sp!.beforeNext('POST', /\/items$/, () => {
      const list = sp!.list('pt-calendar-delta')!;
      list.items.push({ id: list.nextItemId++, guid: '0b5f3c1e-1111-4aaa-8bbb-000000000009', version: 1, created: T0, modified: T0, fields: { ptKey: hashKey(['p-sam']), personId: 'p-sam', ptState: 'held', syncRequestedAt: at(7) } });
    });
    await registry.markNotified('p-sam', at(2));
    expect(sp!.items('pt-calendar-delta')).toHaveLength(2);
    expect(await peer.getDelta('p-sam')).toEqual({ personId: 'p-sam', notifiedAt: at(2), syncRequestedAt: at(7) });
  });
});
