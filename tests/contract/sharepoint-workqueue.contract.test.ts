/**
 * SharePointWorkQueue against the in-memory SharePoint behind the fake Graph:
 * the shared WorkQueue behaviour suite (the embedded queue passes the same one,
 * embedded-workqueue.behaviour.test.ts), then what only a remote queue has to
 * get right: one indexed filter per read, If-Match on every take and finish,
 * 412 meaning "someone else's", 409 meaning "already queued", looking before
 * re-sending a write whose answer was lost, and request counts. Every request
 * body is checked against the Graph v1.0 CSDL and the list's columns
 * (afterEach, sharePointViolations).
 *
 * Pages followed (microsoft-graph-docs-contrib, api-reference/v1.0/api/):
 * listitem-list.md ($filter on one indexed field, $expand=fields), listitem-get.md,
 * listitem-create.md, listitem-update.md (If-Match, 412); concepts/json-batching.md.
 */
import { hashKey } from '../../src/adapters/sharepoint/listItems';
import { SharePointWorkQueue } from '../../src/adapters/sharepoint/sharepointWorkQueue';
import { fixture } from '../support/fakeGraph';
import { fake, graphHttp, listId, provisionedSite, sp, takeCalls, useSharePointHarness } from '../support/sharePointHarness';
import { workQueueBehaviour } from './workQueueBehaviour';

useSharePointHarness();

async function provisioned(options: { pageSize?: number } = {}) {
  return provisionedSite((where) => ({ work: new SharePointWorkQueue({ ...where, ...options }), peer: new SharePointWorkQueue({ ...where, ...options }) }));
}

workQueueBehaviour('SharePoint lists over Graph', () => provisioned());
// The same with two items to a page: every read follows @odata.nextLink.
workQueueBehaviour('SharePoint lists over Graph, two items a page', () => provisioned({ pageSize: 2 }));

const T0 = '2026-12-01T09:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const MIN = 60_000;


describe('SharePointWorkQueue: requests', () => {
  it('enqueue is one create; lease one read and one write (a $batch for several); complete one write when leased here', async () => {
    const { work, peer } = await provisioned();
    expect(await work.enqueue('rebook', 's-1', { sessionId: 's-1' }, T0)).toBe(true);
    // First use: the site by path and its lists, then the create.
    expect(takeCalls()).toEqual(['GET /sites/contoso.sharepoint.com:/sites/protected-time', 'GET /sites/{site}/lists', 'POST /sites/{site}/lists/pt-outbox/items']);
    expect(await work.enqueue('rebook', 's-1', {}, T0)).toBe(false);
    expect(takeCalls()).toEqual(['POST /sites/{site}/lists/pt-outbox/items']);

    const [item] = await work.lease('rebook', 'w1', at(1), MIN, 10);
    expect(takeCalls()).toEqual(['GET /sites/{site}/lists/pt-outbox/items', `PATCH /sites/{site}/lists/pt-outbox/items/${item!.id}/fields`]);
    await work.complete(item!.id, 'w1', { offered: true }, at(2));
    expect(takeCalls()).toEqual([`PATCH /sites/{site}/lists/pt-outbox/items/${item!.id}/fields`]);
    expect(await work.result('rebook', 's-1')).toEqual({ offered: true });
    expect(takeCalls()).toEqual(['GET /sites/{site}/lists/pt-outbox/items']);

    for (const k of ['a', 'b', 'c']) await work.enqueue('rebook', k, {}, T0);
    takeCalls();
    const three = await work.lease('rebook', 'w1', at(1), MIN, 10);
    expect(three.map((i) => i.key)).toEqual(['a', 'b', 'c']);
    expect(takeCalls()).toEqual(['GET /sites/{site}/lists/pt-outbox/items', 'POST /$batch']);
    // Nothing due: the read only.
    expect(await work.lease('rebook', 'w1', at(2), MIN, 10)).toEqual([]);
    expect(takeCalls()).toEqual(['GET /sites/{site}/lists/pt-outbox/items']);

    // Another instance finishing (or retrying) what it did not lease here reads the item first.
    const other = await peer.lease('rebook', 'w2', at(2 * MIN), MIN, 1);
    takeCalls();
    await work.retry(other[0]!.id, 'w2', 'boom', at(3 * MIN));
    expect(takeCalls()).toEqual([`GET /sites/{site}/lists/pt-outbox/items/${other[0]!.id}`, `PATCH /sites/{site}/lists/pt-outbox/items/${other[0]!.id}/fields`]);
  });

  it('reads with one indexed filter (pending items of the kind), fields expanded, and writes under If-Match', async () => {
    const { work } = await provisioned();
    await work.enqueue("it's", 'k', {}, T0);
    await work.lease("it's", 'w1', at(1), MIN, 10);
    await work.result('rebook', 'k');
    const reads = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/items'));
    expect(reads.map((r) => r.query.$filter)).toEqual(["fields/ptQueue eq 'pending:it''s'", `fields/ptKey eq '${hashKey(['rebook', 'k'])}'`]);
    expect(reads[0]!.query).toMatchObject({
      $select: 'id,eTag',
      $top: '500',
      $expand: 'fields($select=ptKey,status,dueAt,ptBody,ptWriteId,kind,workKey,ptQueue,availableAt,leaseOwner,leaseUntil,attempts,lastError,ptResult)',
    });
    expect(reads.every((r) => r.headers.prefer === undefined)).toBe(true);
    const writes = fake.requests.filter((r) => r.method === 'PATCH');
    expect(writes).toHaveLength(1);
    expect(writes[0]!.headers['if-match']).toMatch(/^".+,\d+"$/);
    expect(writes[0]!.body).toEqual({ leaseOwner: 'w1', leaseUntil: at(1 + MIN), attempts: 1 });
  });

  it('writes each work item as its state columns and an immutable JSON body, identified by the SHA-256 of kind and key', async () => {
    const { work } = await provisioned();
    await work.enqueue('rebook', 's-1', { sessionId: 's-1', why: 'declined' }, '2026-12-01T09:00:00.250Z');
    const post = fake.to('POST', /\/items$/)[0]!.body as { fields: Record<string, unknown> };
    expect(post.fields).toEqual({
      Title: 'rebook: s-1',
      ptKey: hashKey(['rebook', 's-1']),
      ptWriteId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'pending',
      ptQueue: 'pending:rebook',
      kind: 'rebook',
      workKey: 's-1',
      availableAt: '2026-12-01T09:00:00.250Z',
      dueAt: '2026-12-01T09:00:00.250Z',
      attempts: 0,
      ptBody: JSON.stringify({ kind: 'rebook', key: 's-1', payload: { sessionId: 's-1', why: 'declined' }, createdAt: '2026-12-01T09:00:00.250Z' }),
    });
    const [item] = await work.lease('rebook', 'w1', at(1000), MIN, 1);
    await work.complete(item!.id, 'w1', { alternatives: [] }, at(2000));
    const stored = sp!.items('pt-outbox')[0]!.fields;
    expect(stored).toMatchObject({ status: 'done', ptQueue: 'done:rebook', leaseOwner: '', leaseUntil: '', attempts: 1, ptResult: '{"alternatives":[]}' });
    // The body (with the payload) is written once, at enqueue.
    expect(fake.requests.filter((r) => r.method === 'PATCH').every((r) => !('ptBody' in (r.body as object)))).toBe(true);
  });

  it('keys longer than a text column are exact: the identity is the hash, the readable columns are cut', async () => {
    const { work } = await provisioned();
    const long = 'k'.repeat(300);
    expect(await work.enqueue('digest', long, { n: 1 }, T0)).toBe(true);
    expect(await work.enqueue('digest', `${long}x`, { n: 2 }, T0)).toBe(true);
    expect(await work.enqueue('digest', long, { n: 3 }, T0)).toBe(false);
    const items = await work.lease('digest', 'w1', at(1), MIN, 10);
    expect(items.map((i) => [i.key.length, i.payload])).toEqual([
      [300, { n: 1 }],
      [301, { n: 2 }],
    ]);
    await work.complete(items[1]!.id, 'w1', { ok: true }, at(2));
    expect(await work.result('digest', long)).toBeUndefined();
    expect(await work.result('digest', `${long}x`)).toEqual({ ok: true });
    expect(sp!.items('pt-outbox')[0]!.fields.workKey).toBe('k'.repeat(255));
  });
});

describe('SharePointWorkQueue: races and lost answers', () => {
  it('a take that loses the race (412) skips that item and takes the next one, up to the limit', async () => {
    const { work } = await provisioned();
    for (const k of ['a', 'b', 'c']) await work.enqueue('rebook', k, {}, T0);
    const first = sp!.items('pt-outbox')[0]!;
    // Another worker takes item a between our read and our write.
    sp!.beforeNext('PATCH', new RegExp(`/lists/${listId('pt-outbox')}/items/${first.id}/fields$`), () => sp!.touch('pt-outbox', first.id, { leaseOwner: 'w2', leaseUntil: at(10 * MIN), attempts: 1 }));
    const items = await work.lease('rebook', 'w1', at(1), MIN, 2);
    expect(items.map((i) => i.key)).toEqual(['b', 'c']);
    expect(fake.requests.filter((r) => r.method === 'PATCH').map((r) => r.path.split('/').at(-2))).toEqual(['1', '2', '3']);
    expect(sp!.items('pt-outbox').map((i) => i.fields.leaseOwner)).toEqual(['w2', 'w1', 'w1']);
  });

  it('a finish that meets a changed item (412) reads it again: still ours, it is written; taken over, it is left alone', async () => {
    const { work } = await provisioned();
    await work.enqueue('rebook', 'a', {}, T0);
    await work.enqueue('rebook', 'b', {}, T0);
    const [a, b] = await work.lease('rebook', 'w1', at(1), MIN, 2);
    // An admin edits a's title: the eTag moves on, the lease is still w1's.
    sp!.touch('pt-outbox', Number(a!.id), { Title: 'looked at' });
    fake.httpRequests.length = 0;
    await work.complete(a!.id, 'w1', { done: 'a' }, at(2));
    expect(takeCalls()).toEqual([`PATCH /sites/{site}/lists/pt-outbox/items/${a!.id}/fields`, `GET /sites/{site}/lists/pt-outbox/items/${a!.id}`, `PATCH /sites/{site}/lists/pt-outbox/items/${a!.id}/fields`]);
    expect(await work.result('rebook', 'a')).toEqual({ done: 'a' });
    // b's lease ran out and w2 took it: w1's late retry changes nothing.
    sp!.touch('pt-outbox', Number(b!.id), { leaseOwner: 'w2', leaseUntil: at(10 * MIN), attempts: 2 });
    await work.retry(b!.id, 'w1', 'late', at(3));
    expect(sp!.items('pt-outbox')[1]!.fields).toMatchObject({ leaseOwner: 'w2', leaseUntil: at(10 * MIN), availableAt: T0 });
  });

  it('an enqueue whose answer was lost looks for its own write before sending again', async () => {
    const { work } = await provisioned();
    sp!.inject('POST', /\/items$/, { status: 504, body: { error: { code: 'GatewayTimeout', message: 'timed out' } } }, { afterApplying: true });
    expect(await work.enqueue('rebook', 's-1', {}, T0)).toBe(true);
    expect(sp!.items('pt-outbox')).toHaveLength(1);
    expect(await work.enqueue('rebook', 's-1', {}, T0)).toBe(false);
    // Lost after someone else's create: not ours.
    sp!.inject('POST', /\/items$/, { status: 504, body: { error: { code: 'GatewayTimeout', message: 'timed out' } } });
    expect(await work.enqueue('rebook', 's-1', {}, T0)).toBe(false);
    expect(sp!.items('pt-outbox')).toHaveLength(1);
  });

  it('a take whose answer was lost is looked up: ours if the item says so', async () => {
    const { work, peer } = await provisioned();
    await work.enqueue('rebook', 'a', {}, T0);
    sp!.inject('PATCH', /\/fields$/, { status: 504, body: { error: { code: 'GatewayTimeout', message: 'timed out' } } }, { afterApplying: true });
    const [a] = await work.lease('rebook', 'w1', at(1), MIN, 10);
    expect(a).toMatchObject({ key: 'a', attempts: 1 });
    expect(await peer.lease('rebook', 'w2', at(2), MIN, 10)).toEqual([]);
    // Refused outright (not applied): not ours, and still there for the next round.
    await work.enqueue('rebook', 'b', {}, T0);
    sp!.inject('PATCH', /\/fields$/, { status: 504, body: { error: { code: 'GatewayTimeout', message: 'timed out' } } });
    expect(await work.lease('rebook', 'w1', at(3), MIN, 10)).toEqual([]);
    expect((await peer.lease('rebook', 'w2', at(4), MIN, 10)).map((i) => i.key)).toEqual(['b']);
  });

  it('leases per key: a create race is decided by the unique key; renewing and releasing here are one write each', async () => {
    const { work, peer } = await provisioned();
    expect(await work.acquireLease('reconcile:r1', 'A', T0, MIN)).toBe(true);
    expect(takeCalls()).toEqual(['GET /sites/contoso.sharepoint.com:/sites/protected-time', 'GET /sites/{site}/lists', 'GET /sites/{site}/lists/pt-leases/items', 'POST /sites/{site}/lists/pt-leases/items']);
    expect(await work.acquireLease('reconcile:r1', 'A', at(1000), MIN)).toBe(true);
    expect(takeCalls()).toEqual(['PATCH /sites/{site}/lists/pt-leases/items/1/fields']);
    await work.releaseLease('reconcile:r1', 'A');
    expect(takeCalls()).toEqual(['PATCH /sites/{site}/lists/pt-leases/items/1/fields']);
    expect(sp!.items('pt-leases')[0]!.fields).toMatchObject({ ptKey: hashKey(['reconcile:r1']), leaseKey: 'reconcile:r1', leaseOwner: 'A', leaseUntil: '' });
    expect(await peer.acquireLease('reconcile:r1', 'B', at(2000), MIN)).toBe(true);
    // The peer had not seen the site yet; then it reads the lease and takes it.
    expect(takeCalls().slice(2)).toEqual(['GET /sites/{site}/lists/pt-leases/items', 'PATCH /sites/{site}/lists/pt-leases/items/1/fields']);
    // A's memory of the item is stale: its If-Match fails, it reads B's lease, and does not get it.
    expect(await work.acquireLease('reconcile:r1', 'A', at(3000), MIN)).toBe(false);
    expect(fake.requests.filter((r) => r.method === 'PATCH').every((r) => r.headers['if-match'])).toBe(true);

    // Both create at once: SharePoint's unique ptKey lets one in (the other gets 409, reads, and loses).
    const results = await Promise.all([work.acquireLease('record-card:s1', 'A', T0, MIN), peer.acquireLease('record-card:s1', 'B', T0, MIN)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(sp!.items('pt-leases')).toHaveLength(2);
  });

  it('a throttled take is given up for this round, not treated as taken', async () => {
    const { work } = await provisioned();
    await work.enqueue('rebook', 'a', {}, T0);
    const impatient = new SharePointWorkQueue({ http: graphHttp({ maxRetries: 0 }), site: { siteUrl: sp!.siteUrl } });
    sp!.inject('PATCH', /\/fields$/, { status: 429, headers: { 'Retry-After': '0' }, body: fixture('error-throttled') });
    expect(await impatient.lease('rebook', 'w1', at(1), MIN, 10)).toEqual([]);
    expect((await work.lease('rebook', 'w1', at(2), MIN, 10)).map((i) => i.key)).toEqual(['a']);
  });
});
