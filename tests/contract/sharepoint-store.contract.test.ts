/**
 * SharePointStore against the in-memory SharePoint behind the fake Graph: the
 * shared RecordStore behaviour suite (the embedded store passes the same one,
 * embedded-store.behaviour.test.ts), then what only a remote store has to get
 * right: eTags and 412, unique keys and 409, looking before re-sending a create
 * that timed out, filtering on one indexed column, paging, request counts.
 * Every request body is checked against the Graph v1.0 CSDL and the list's
 * columns (afterEach, sharePointViolations).
 *
 * Pages followed (microsoft-graph-docs-contrib, api-reference/v1.0/api/):
 * listitem-list.md ($filter on fields, $expand=fields, one indexed field at a
 * time), listitem-get.md, listitem-create.md, listitem-update.md (If-Match, 412),
 * site-getbypath.md, list-list.md; concepts/json-batching.md, concepts/throttling.md.
 */
import { filterText, hashKey } from '../../src/adapters/sharepoint/listItems';
import { SharePointStore } from '../../src/adapters/sharepoint/sharepointStore';
import type { Relationship, SupervisionRecord } from '../../src/domain/model';
import { ConcurrencyError } from '../../src/ports/store';
import { fixture, type RecordedRequest } from '../support/fakeGraph';
import { fake, freshSharePoint, http, provisionedSite, sp, takeCalls, useSharePointHarness } from '../support/sharePointHarness';
import { recordStoreBehaviour } from './recordStoreBehaviour';
import { aSession } from '../support/builders';

useSharePointHarness();

async function provisioned(options: { pageSize?: number } = {}) {
  return provisionedSite((where) => new SharePointStore({ ...where, ...options }));
}

/** Every list item's current fields and version history, as text. */
const sharePointHolds = async (text: string) => sp.lists.some((l) => l.items.some((i) => JSON.stringify([i.fields, i.history ?? []]).includes(text)));
recordStoreBehaviour('SharePoint lists over Graph', async () => ({ store: await provisioned(), holdsText: sharePointHolds }));
// The same with two items to a page: every read follows @odata.nextLink, in and out of $batch.
recordStoreBehaviour('SharePoint lists over Graph, two items a page', async () => ({ store: await provisioned({ pageSize: 2 }) }));

const rel: Relationship = { id: 'r1', kind: 'individual', supervisorId: 'p-sup', superviseeIds: ['p-ria'], policyId: 'p', staffGroupId: 'g', startedOn: '2026-01-01', active: true };
const rel2: Relationship = { ...rel, id: 'r2', superviseeIds: ['p-sam'] };
const draft: SupervisionRecord = {
  id: 'rec-1',
  sessionId: 's-1',
  relationshipId: 'r1',
  templateId: 't',
  version: 1,
  status: 'draft',
  authorId: 'p-sup',
  values: { discussion: 'Child A' },
  signatures: [],
  createdAt: '2026-12-01T12:00:00.000Z',
  updatedAt: '2026-12-01T12:00:00.000Z',
  etag: '',
};


describe('SharePointStore: requests', () => {
  it('looks the site and its lists up once, then each typical operation is one or two requests', async () => {
    const store = await provisioned();
    await store.saveRelationship(rel);
    // First use: the site by path and its lists, then a lookup and the create.
    expect(takeCalls()).toEqual(['GET /sites/contoso.sharepoint.com:/sites/protected-time', 'GET /sites/{site}/lists', 'GET /sites/{site}/lists/pt-relationships/items', 'POST /sites/{site}/lists/pt-relationships/items']);
    await store.saveRelationship(rel2);
    expect(takeCalls()).toEqual(['GET /sites/{site}/lists/pt-relationships/items', 'POST /sites/{site}/lists/pt-relationships/items']);

    const v1 = await store.saveRecord(draft);
    expect(takeCalls()).toEqual(['POST /sites/{site}/lists/pt-records/items']);
    expect(await store.getRecord('rec-1')).toEqual(v1);
    expect(takeCalls()).toEqual(['GET /sites/{site}/lists/pt-records/items']);
    // A change to the record just read writes against the eTag of that read: no second read (#21).
    const v1b = await store.saveRecord({ ...v1, status: 'submitted' }, v1.etag);
    expect(takeCalls()).toEqual(['PATCH /sites/{site}/lists/pt-records/items/1/fields']);
    await store.saveRecord({ ...v1b, version: 2, status: 'draft' }, v1b.etag);
    expect(takeCalls()).toEqual(['GET /sites/{site}/lists/pt-records/items', 'PATCH /sites/{site}/lists/pt-records/items/1/fields', 'POST /sites/{site}/lists/pt-record-versions/items']);
    await store.listRecordVersions('rec-1');
    expect(takeCalls()).toEqual(['POST /$batch']);

    expect(await store.claim('record-card', 'rec-1:p-ria', '2026-12-01T12:00:00.000Z')).toBe(true);
    expect(takeCalls()).toEqual(['POST /sites/{site}/lists/pt-ledger/items']);
    await store.appendAudit({ at: '2026-12-01T12:00:00.000Z', actorId: 'p-sup', action: 'read', subjectType: 'record', subjectId: 'rec-1' });
    expect(takeCalls()).toEqual(['POST /sites/{site}/lists/pt-audit/items']);

    // Several sessions: one $batch of lookups, one of creates.
    await store.saveSessions([aSession({ id: 's-1', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z' }), aSession({ id: 's-2', relationshipId: 'r1', start: '2026-12-08T10:00:00.000Z' }), aSession({ id: 's-3', relationshipId: 'r2', start: '2026-12-03T10:00:00.000Z' })]);
    expect(takeCalls()).toEqual(['POST /$batch', 'POST /$batch']);
    await store.saveSessions([{ ...aSession({ id: 's-1', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z' }), status: 'held' }]);
    expect(takeCalls()).toEqual(['GET /sites/{site}/lists/pt-sessions/items', 'PATCH /sites/{site}/lists/pt-sessions/items/1/fields']);
    // Two relationships: one filtered request each, in one $batch.
    expect(await store.listSessions({ relationshipIds: ['r1', 'r2'] })).toHaveLength(3);
    expect(takeCalls()).toEqual(['POST /$batch']);
    expect(await store.listRelationships({ personId: 'p-ria' })).toHaveLength(1);
    expect(takeCalls()).toEqual(['GET /sites/{site}/lists/pt-relationships/items']);
  });

  it('filters on one indexed column, exactly, with fields expanded and paged', async () => {
    const store = await provisioned();
    await store.listSessions({ relationshipIds: ['r1'], from: '2026-12-01T10:00:00.500Z', status: ['planned'] });
    await store.listSessions({ from: '2026-12-01T10:00:00.500Z' });
    await store.listCardMessages("record:o'brien:");
    await store.listClaims('record-card', 'rec-1');
    const reads = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/items'));
    expect(reads.map((r) => r.query.$filter)).toEqual([
      "fields/relationshipId eq 'r1'",
      // dateTime columns keep whole seconds: a second wider, narrowed exactly by the store.
      "fields/endsAt gt '2026-12-01T09:59:59Z'",
      "startswith(fields/cardKey,'record:o''brien:')",
      "fields/claimKind eq 'record-card'",
    ]);
    expect(reads[0]!.query).toMatchObject({ $select: 'id,eTag', $top: '500', $expand: 'fields($select=ptKey,relationshipId,seriesId,startsAt,endsAt,status,kind,ptBody,ptWriteId)' });
    expect(reads.every((r) => r.headers.prefer === undefined)).toBe(true);
    expect(filterText({ column: 'active', op: 'eq', value: true })).toBe('fields/active eq true');
  });

  it('writes each entity as its columns and a JSON body, identified by the SHA-256 of its key', async () => {
    const store = await provisioned();
    await store.saveRelationship(rel);
    const v1 = await store.saveRecord(draft);
    const [, post] = fake.to('POST', /\/items$/).map((r) => r.body as { fields: Record<string, unknown> });
    expect(post!.fields).toEqual({
      Title: 'rec-1',
      ptKey: hashKey(['rec-1']),
      ptWriteId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sessionId: 's-1',
      relationshipId: 'r1',
      status: 'draft',
      version: 1,
      updatedAt: '2026-12-01T12:00:00.000Z',
      ptBody: JSON.stringify(v1),
    });
    expect(hashKey(['rec-1'])).toMatch(/^[0-9a-f]{64}$/);
    // An update writes only what may change, with the item's eTag in If-Match.
    const item = sp.items('pt-records')[0]!;
    const etagBefore = `"${item.guid},${item.version}"`;
    await store.saveRecord({ ...v1, status: 'submitted' }, v1.etag);
    const patch = fake.to('PATCH', /\/fields$/)[0]!;
    expect(patch.headers['if-match']).toBe(etagBefore);
    expect(Object.keys(patch.body as object).sort()).toEqual(['ptBody', 'status', 'updatedAt', 'version']);
  });
});

describe('SharePointStore: concurrency', () => {
  it('412 from an interleaved writer: refused with the current record, never overwritten', async () => {
    const store = await provisioned();
    const v1 = await store.saveRecord(draft);
    const theirs = { ...v1, values: { discussion: 'theirs' }, etag: 'their-etag' };
    sp.beforeNext('PATCH', /\/fields$/, () => sp.touch('pt-records', 1, { ptBody: JSON.stringify(theirs) }));
    const err = await store.saveRecord({ ...v1, values: { discussion: 'ours' } }, v1.etag).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrencyError);
    expect((err as ConcurrencyError).current).toEqual(theirs);
    expect(await store.getRecord('rec-1')).toEqual(theirs);
    expect(fake.to('PATCH', /\/fields$/)).toHaveLength(1);
  });

  it('a change against the eTag of an earlier read that another instance has since moved on: 412, refused with the current record', async () => {
    const ours = await provisioned();
    const theirs = new SharePointStore({ http, site: { siteUrl: sp.siteUrl } });
    const v1 = await ours.saveRecord(draft);
    expect(await ours.getRecord('rec-1')).toEqual(v1);
    // Another instance (its own store) changes the record after our read.
    const changed = await theirs.saveRecord({ ...v1, values: { discussion: 'theirs' } }, v1.etag);
    fake.requests.length = 0;
    const err = await ours.saveRecord({ ...v1, values: { discussion: 'ours' } }, v1.etag).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrencyError);
    expect((err as ConcurrencyError).current).toEqual(changed);
    expect(await ours.getRecord('rec-1')).toEqual(changed);
    // Sent once against the remembered eTag (412), then the item read afresh: never overwritten.
    expect(fake.to('PATCH', /\/fields$/)).toHaveLength(1);
  });

  it('412 because only the item changed (an admin edited its title): sent again against the new eTag', async () => {
    const store = await provisioned();
    const v1 = await store.saveRecord(draft);
    sp.beforeNext('PATCH', /\/fields$/, () => sp.touch('pt-records', 1, { Title: 'renamed by an admin' }));
    const v2 = await store.saveRecord({ ...v1, status: 'submitted' }, v1.etag);
    expect(await store.getRecord('rec-1')).toEqual(v2);
    const patches = fake.to('PATCH', /\/fields$/);
    expect(patches).toHaveLength(2);
    expect(patches[0]!.headers['if-match']).not.toBe(patches[1]!.headers['if-match']);
  });

  it('a record update whose answer was lost is looked for, not sent blindly again', async () => {
    const store = await provisioned();
    const v1 = await store.saveRecord(draft);
    sp.inject('PATCH', /\/fields$/, { status: 504, body: { error: { code: 'gatewayTimeout', message: 'timed out' } } }, { afterApplying: true });
    const v2 = await store.saveRecord({ ...v1, status: 'submitted' }, v1.etag);
    expect(await store.getRecord('rec-1')).toEqual(v2);
    expect(fake.to('PATCH', /\/fields$/)).toHaveLength(1);
  });

  it('claim: a create whose answer was lost counts as ours if it landed, and is sent again if it did not', async () => {
    const store = await provisioned();
    sp.inject('POST', /\/items$/, { status: 503, body: { error: { code: 'serviceNotAvailable', message: 'try later' } } }, { afterApplying: true });
    expect(await store.claim('record-card', 'rec-1:p-ria', '2026-12-01T12:00:00.000Z')).toBe(true);
    expect(sp.items('pt-ledger')).toHaveLength(1);
    expect(await store.claim('record-card', 'rec-1:p-ria', '2026-12-01T12:00:00.000Z')).toBe(false);

    sp.inject('POST', /\/items$/, { status: 503, body: { error: { code: 'serviceNotAvailable', message: 'try later' } } });
    expect(await store.claim('record-card', 'rec-2:p-ria', '2026-12-01T12:00:00.000Z')).toBe(true);
    expect(sp.items('pt-ledger')).toHaveLength(2);

    // Someone else's claim that landed while our answer was lost is theirs.
    sp.beforeNext('POST', /\/items$/, () =>
      sp.list('pt-ledger')!.items.push({
        id: 99,
        guid: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        version: 1,
        created: '2026-12-01T12:00:00Z',
        modified: '2026-12-01T12:00:00Z',
        fields: { ptKey: hashKey(['record-card', 'rec-3:p-ria']), ptWriteId: 'someone-else', claimKind: 'record-card', ptBody: JSON.stringify({ kind: 'record-card', key: 'rec-3:p-ria', at: '2026-12-01T12:00:00.000Z' }) },
      }),
    );
    sp.inject('POST', /\/items$/, { status: 504, body: { error: { code: 'gatewayTimeout', message: 'timed out' } } });
    expect(await store.claim('record-card', 'rec-3:p-ria', '2026-12-01T12:00:01.000Z')).toBe(false);
    expect(sp.items('pt-ledger')).toHaveLength(3);
  });

  it('an upsert whose answer was lost is redone by looking first: one item, the latest values', async () => {
    const store = await provisioned();
    await store.saveRelationship(rel);
    sp.inject('POST', /\/items$/, { status: 503, body: { error: { code: 'serviceNotAvailable', message: 'try later' } } }, { afterApplying: true });
    await store.saveSessions([aSession({ id: 's-1', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z' })]);
    expect(sp.items('pt-sessions')).toHaveLength(1);
    expect((await store.listSessions({ relationshipIds: ['r1'] })).map((s) => s.id)).toEqual(['s-1']);
    // In a $batch: the failed create inside it is redone on its own.
    sp.inject('POST', /\/items$/, { status: 504, body: { error: { code: 'gatewayTimeout', message: 'timed out' } } }, { afterApplying: true });
    await store.saveSessions([aSession({ id: 's-2', relationshipId: 'r1', start: '2026-12-08T10:00:00.000Z' }), aSession({ id: 's-3', relationshipId: 'r1', start: '2026-12-15T10:00:00.000Z' })]);
    expect(sp.items('pt-sessions')).toHaveLength(3);
    expect((await store.listSessions({ relationshipIds: ['r1'] })).map((s) => s.id)).toEqual(['s-1', 's-2', 's-3']);
  });

  it('audit entries are appended once even when an answer is lost', async () => {
    const store = await provisioned();
    sp.inject('POST', /\/items$/, { status: 503, body: { error: { code: 'serviceNotAvailable', message: 'try later' } } }, { afterApplying: true });
    await store.appendAudit({ at: '2026-12-01T12:00:00.000Z', actorId: 'p-sup', action: 'read', subjectType: 'record', subjectId: 'rec-1' });
    expect(sp.items('pt-audit')).toHaveLength(1);
    expect(await store.listAudit({ subjectId: 'rec-1' })).toHaveLength(1);
  });

  it('retries throttled reads and batched writes', async () => {
    const store = await provisioned();
    await store.saveRelationship(rel);
    sp.inject('GET', /\/items$/, { status: 429, headers: { 'Retry-After': '0' }, body: fixture('error-throttled') });
    expect(await store.listRelationships()).toHaveLength(1);
    sp.inject('POST', /\/items$/, { status: 429, headers: { 'Retry-After': '0' }, body: fixture('error-throttled') });
    await store.saveSessions([aSession({ id: 's-1', relationshipId: 'r1', start: '2026-12-01T10:00:00.000Z' }), aSession({ id: 's-2', relationshipId: 'r1', start: '2026-12-08T10:00:00.000Z' })]);
    expect(sp.items('pt-sessions')).toHaveLength(2);
  });
});

describe('SharePointStore: limits and set-up', () => {
  it('refuses values SharePoint would refuse, naming the column', async () => {
    const store = await provisioned({ pageSize: 500 });
    await expect(store.saveRelationship({ ...rel, supervisorId: 'x'.repeat(256) })).rejects.toThrow(/pt-relationships: supervisorId is 256 characters; SharePoint text columns hold 255/);
    const big = new SharePointStore({ http, site: { siteId: sp.siteId }, maxBodyChars: 1_000 });
    await expect(big.saveRecord({ ...draft, values: { discussion: 'x'.repeat(2_000) } })).rejects.toThrow(/pt-records: the item is \d+ characters of JSON; the store writes at most 1000/);
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('says to run pt provision when a list is missing', async () => {
    freshSharePoint();
    const store = new SharePointStore({ http, site: { siteUrl: sp.siteUrl } });
    await expect(store.getRecord('rec-1')).rejects.toThrow(/the SharePoint site has no list pt-records: run `pt provision --site <site-url>`/);
  });

  it('reads what only the app knows about a person from pt-people, as admins keep it', async () => {
    const store = await provisioned();
    const people = sp.list('pt-people')!;
    people.items.push({
      id: 1,
      guid: '5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      version: 1,
      created: '2026-11-01T09:00:00Z',
      modified: '2026-11-01T09:00:00Z',
      fields: { Title: 'Ria Shah', aadObjectId: '11111111-1111-4111-8111-111111111111', roles: 'Practitioner; supervisor;  nonsense', policyId: 'leicestershire-cfs', staffGroupId: 'social-workers', startedOn: '2026-01-05', lineManagerId: '' },
    });
    expect(await store.profileFor('11111111-1111-4111-8111-111111111111'.toUpperCase())).toEqual({ roles: ['practitioner', 'supervisor'], policyId: 'leicestershire-cfs', staffGroupId: 'social-workers', startedOn: '2026-01-05' });
    expect(await store.profileFor('22222222-2222-4222-8222-222222222222')).toBeUndefined();
    const read = fake.requests.at(-1) as RecordedRequest;
    expect(read.query.$filter).toBe("fields/aadObjectId eq '22222222-2222-4222-8222-222222222222'");
  });
});
