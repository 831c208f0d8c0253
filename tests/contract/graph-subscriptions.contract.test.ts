/**
 * Change detection against a local fake Graph: the subscription manager
 * (create, renew, resubscribe, delete), the batched calendarView delta and the
 * change feed built on them. Every subscription body sent is checked against
 * the v1.0 CSDL's subscription type; other requests go through the shared
 * request contracts. The fixtures (tests/fixtures/graph/subscription-*.json)
 * follow the documented examples and name their pages in "_source".
 *
 * Pages followed (microsoft-graph-docs-contrib): api-reference/v1.0/api/
 * subscription-post-subscriptions.md, subscription-update.md, subscription-delete.md;
 * api-reference/v1.0/resources/subscription.md and
 * concepts/includes/change-notifications-subscription-lifetime.md;
 * concepts/change-notifications-delivery-webhooks.md,
 * concepts/change-notifications-lifecycle-events.md, concepts/delta-query-events.md,
 * concepts/json-batching.md.
 */
import { EmbeddedSubscriptionRegistry } from '../../src/adapters/embedded/subscriptionRegistry';
import { openDatabase } from '../../src/adapters/embedded/db';
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import type { GraphUserRef } from '../../src/adapters/graph/graphCalendar';
import { deltaMany, GraphChangeFeed } from '../../src/adapters/graph/graphChangeFeed';
import { GraphHttp } from '../../src/adapters/graph/graphHttp';
import {
  clientStateMatches,
  DEFAULT_LIFETIME_MINUTES,
  GraphSubscriptionManager,
  hashClientState,
  OUTLOOK_MAX_SUBSCRIPTION_MINUTES,
  subscriptionSchema,
} from '../../src/adapters/graph/subscriptions';
import { InMemorySubscriptionRegistry, type SubscriptionRegistry } from '../../src/ports/subscriptions';
import { changeNotificationSchema, lifecycleNotificationSchema, notificationCollectionSchema } from '../../src/adapters/graph/notificationReceiver';
import { FakeGraph, fixture, fixtureSource, type RecordedRequest } from '../support/fakeGraph';
import { checkBody, checkResponseFields, type Violation } from './graphMetadata';
import { checkRequest } from './requestContracts';
import { readFieldPaths } from './zodFields';

const RIA = { id: '11111111-1111-4111-8111-111111111111', mail: 'ria.shah@contoso.example' };
const SAM = { id: '22222222-2222-4222-8222-222222222222', mail: 'sam.okafor@contoso.example' };
const OLA = { id: '33333333-3333-4333-8333-333333333333', mail: 'ola.nowak@contoso.example' };
const people = new Map<string, GraphUserRef>([
  ['p-ria', RIA],
  ['p-sam', SAM],
  ['p-ola', OLA],
]);
for (let i = 0; i < 45; i++) people.set(`p-${i}`, { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, mail: `person${i}@contoso.example` });
const resolveUser = async (personId: string) => {
  const ref = people.get(personId);
  if (!ref) throw new Error(`unknown person ${personId}`);
  return ref;
};

const NOW = '2026-11-23T09:00:00.000Z';
const MINUTE = 60_000;
const PUBLIC_URL = 'https://pt.contoso.example/';

let fake: FakeGraph;
let http: GraphHttp;
let registry: InMemorySubscriptionRegistry;
let secrets: string[];

beforeAll(async () => {
  fake = await FakeGraph.start();
});
afterAll(() => fake.close());

beforeEach(() => {
  fake.reset();
  http = new GraphHttp({ token: staticTokenSource('t'), baseUrl: fake.baseUrl, baseDelayMs: 5, timeoutMs: 1_000 });
  registry = new InMemorySubscriptionRegistry();
  secrets = [];
});

/** Subscription bodies against the CSDL's subscription type; everything else against the shared rules. */
function violations(requests: RecordedRequest[]): Violation[] {
  return requests.flatMap((r) => {
    if (/^\/subscriptions(\/[^/]+)?$/.test(r.path)) {
      if (r.method === 'DELETE' || r.method === 'GET') return r.body === undefined ? [] : [{ path: `${r.method} ${r.path}`, message: 'a body where none belongs' }];
      if (r.body === undefined) return [{ path: `${r.method} ${r.path}`, message: 'expected a body' }];
      return checkBody('subscription', r.body).map((v) => ({ path: `${r.method} ${r.path} ${v.path}`, message: v.message }));
    }
    return checkRequest(r);
  });
}

afterEach(() => {
  expect(violations(fake.requests)).toEqual([]);
  expect(fake.unmatched).toEqual([]);
});

function manager(options: Partial<ConstructorParameters<typeof GraphSubscriptionManager>[0]> = {}) {
  let n = 0;
  return new GraphSubscriptionManager({
    http,
    registry,
    resolveUser,
    publicUrl: PUBLIC_URL,
    newClientState: () => {
      const s = `secret-${++n}-${'x'.repeat(20)}`;
      secrets.push(s);
      return s;
    },
    ...options,
  });
}

let made = 0;
/** Graph's create: 201 with the subscription, shaped like the documented response. */
function acceptCreates() {
  fake.on('POST', '/subscriptions', (req) => {
    const body = req.body as Record<string, string>;
    made += 1;
    return {
      status: 201,
      body: { ...fixture<Record<string, unknown>>('subscription-created'), id: `0000000${made % 10}-aaaa-4bbb-8ccc-${String(made).padStart(12, '0')}`, resource: body.resource, clientState: body.clientState, expirationDateTime: body.expirationDateTime },
    };
  });
}
function acceptRenewals() {
  fake.on('PATCH', /^\/subscriptions\/[^/]+$/, (req) => ({
    body: { ...fixture<Record<string, unknown>>('subscription-renewed'), id: req.path.split('/').pop(), expirationDateTime: (req.body as { expirationDateTime: string }).expirationDateTime },
  }));
}
const bodies = (method: string, match: string | RegExp) => fake.to(method, match).map((r) => r.body as Record<string, string>);
/** Forgets the requests recorded so far, keeping the scripted routes. */
const forgetRequests = () => {
  fake.requests.length = 0;
  fake.httpRequests.length = 0;
};
const minutesFrom = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / MINUTE;

describe('the fields read and the fixtures follow Graph v1.0', () => {
  it.each([
    ['subscriptionSchema', 'subscription', subscriptionSchema],
    ['changeNotificationSchema', 'changeNotification', changeNotificationSchema],
    ['lifecycleNotificationSchema', 'changeNotification', lifecycleNotificationSchema],
    ['notificationCollectionSchema', 'changeNotificationCollection', notificationCollectionSchema],
  ] as const)('%s reads only properties of %s', (_name, type, schema) => {
    const fields = readFieldPaths(schema);
    expect(fields.length).toBeGreaterThan(0);
    expect(checkResponseFields(type, fields)).toEqual([]);
  });

  // Documented, but not in the CSDL: notificationContentType on the create response;
  // resourceData is an open type there, so its id is a dynamic property the strict checker flags.
  // (The page's "#Microsoft.Graph.Event" is capitalised; the CSDL's type is microsoft.graph.event.)
  const knownDeviations: Record<string, string[]> = {
    'subscription-created': ['notificationContentType'],
    'subscription-notification': ['value[0].resourceData.@odata.type', 'value[0].resourceData.id'],
  };

  it.each([
    ['subscription-created', 'subscription'],
    ['subscription-renewed', 'subscription'],
    ['subscription-notification', 'changeNotificationCollection'],
    ['subscription-lifecycle', 'changeNotificationCollection'],
  ])('fixture %s is a valid %s and names its reference page', (name, type) => {
    expect(fixtureSource(name)).toMatch(/\.md/);
    expect(checkBody(type, fixture(name)).map((v) => v.path)).toEqual(knownDeviations[name] ?? []);
  });

  it('the webhook schema takes the documented notification and lifecycle payloads', () => {
    expect(notificationCollectionSchema.safeParse(fixture('subscription-notification')).success).toBe(true);
    expect(notificationCollectionSchema.safeParse(fixture('subscription-lifecycle')).success).toBe(true);
    expect(subscriptionSchema.safeParse(fixture('subscription-created')).success).toBe(true);
  });

  it('the error fixture is in the Graph error shape', () => {
    expect(fixtureSource('subscription-not-found')).toMatch(/errors\.md/);
    expect(fixture<{ error: { code: string } }>('subscription-not-found').error.code).toBe('ResourceNotFound');
  });
});

describe('creating subscriptions', () => {
  it('subscribes each person in scope to their events, in one $batch, with a secret of its own', async () => {
    acceptCreates();
    const out = await manager().maintain(['p-ria', 'p-sam', 'p-ola'], NOW);

    expect(out).toMatchObject({ created: ['p-ria', 'p-sam', 'p-ola'], renewed: [], recreated: [], deleted: [], failed: [] });
    expect(fake.httpRequests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /$batch']);
    const sent = bodies('POST', '/subscriptions');
    expect(sent[0]).toEqual({
      changeType: 'created,updated,deleted',
      notificationUrl: 'https://pt.contoso.example/api/graph/notifications',
      lifecycleNotificationUrl: 'https://pt.contoso.example/api/graph/lifecycle',
      resource: `/users/${RIA.id}/events`,
      expirationDateTime: new Date(Date.parse(NOW) + DEFAULT_LIFETIME_MINUTES * MINUTE).toISOString(),
      clientState: secrets[0],
    });
    expect(sent.map((b) => b.resource)).toEqual([RIA, SAM, OLA].map((u) => `/users/${u.id}/events`));
    // Within the documented maximum for Outlook events, with room for clock skew.
    for (const b of sent) expect(minutesFrom(NOW, b.expirationDateTime!)).toBeLessThanOrEqual(OUTLOOK_MAX_SUBSCRIPTION_MINUTES - 30);
    // A different secret each, within the documented 128 characters.
    expect(new Set(sent.map((b) => b.clientState)).size).toBe(3);
    for (const b of sent) expect(b.clientState!.length).toBeLessThanOrEqual(128);

    const held = await registry.list();
    expect(held.map((r) => [r.personId, r.resource, r.status])).toEqual([
      ['p-ola', `/users/${OLA.id}/events`, 'active'],
      ['p-ria', `/users/${RIA.id}/events`, 'active'],
      ['p-sam', `/users/${SAM.id}/events`, 'active'],
    ]);
    // Only a hash of each secret is kept, and it matches only its own secret.
    expect(JSON.stringify(held)).not.toContain('secret-');
    const ria = held.find((r) => r.personId === 'p-ria')!;
    expect(ria.clientStateHash).toBe(hashClientState(secrets[0]!));
    expect(clientStateMatches(secrets[0]!, ria.clientStateHash)).toBe(true);
    expect(clientStateMatches(secrets[1]!, ria.clientStateHash)).toBe(false);
    expect(clientStateMatches('', ria.clientStateHash)).toBe(false);
  });

  it('makes random secrets by default, and refuses a public URL Graph would not call', () => {
    const a = new GraphSubscriptionManager({ http, registry, resolveUser, publicUrl: PUBLIC_URL });
    expect(a.notificationUrl).toBe('https://pt.contoso.example/api/graph/notifications');
    expect(() => new GraphSubscriptionManager({ http, registry, resolveUser, publicUrl: 'http://pt.contoso.example' })).toThrow(/https/);
    expect(() => manager({ lifetimeMinutes: 10_081 })).toThrow(/lifetimeMinutes/);
  });

  it('does nothing when every subscription is fresh', async () => {
    acceptCreates();
    await manager().maintain(['p-ria'], NOW);
    fake.reset();
    const out = await manager().maintain(['p-ria'], new Date(Date.parse(NOW) + 60 * MINUTE).toISOString());
    expect(out).toMatchObject({ created: [], renewed: [], failed: [] });
    expect(fake.httpRequests).toEqual([]);
  });

  it('keeps the registry as it was when Graph refuses, and tries again next time', async () => {
    fake.on('POST', '/subscriptions', { status: 403, body: { error: { code: 'ExtensionError', message: 'Operation: Create; Exception: [Status Code: Forbidden]' } } });
    const out = await manager().maintain(['p-ria'], NOW);
    expect(out.failed).toEqual([{ personId: 'p-ria', action: 'create', status: 403, code: 'ExtensionError' }]);
    expect(await registry.list()).toEqual([]);
    acceptCreates();
    expect((await manager().maintain(['p-ria'], NOW)).created).toEqual(['p-ria']);
  });

  it('creates 45 subscriptions in three $batch requests of at most 20', async () => {
    acceptCreates();
    const ids = Array.from({ length: 45 }, (_, i) => `p-${i}`);
    await manager().maintain(ids, NOW);
    expect(fake.httpRequests.map((r) => r.path)).toEqual(['/$batch', '/$batch', '/$batch']);
    expect(fake.httpRequests.map((r) => (r.body as { requests: unknown[] }).requests.length)).toEqual([20, 20, 5]);
    expect((await registry.list()).length).toBe(45);
  });
});

describe('renewing before expiry', () => {
  const later = (minutes: number) => new Date(Date.parse(NOW) + minutes * MINUTE).toISOString();

  it('renews with PATCH expirationDateTime once less than a day remains, and stores what Graph answers', async () => {
    acceptCreates();
    acceptRenewals();
    const m = manager();
    await m.maintain(['p-ria', 'p-sam'], NOW);
    const [first] = await registry.list();
    fake.reset();
    acceptRenewals();

    // A day in: more than a day left, nothing to do.
    await m.maintain(['p-ria', 'p-sam'], later(24 * 60));
    expect(fake.httpRequests).toEqual([]);

    // Under a day left: renewed, both in one batch.
    const at = later(DEFAULT_LIFETIME_MINUTES - 23 * 60);
    const out = await m.maintain(['p-ria', 'p-sam'], at);
    expect(out.renewed.sort()).toEqual(['p-ria', 'p-sam']);
    expect(fake.httpRequests.map((r) => r.path)).toEqual(['/$batch']);
    const patches = fake.to('PATCH', /^\/subscriptions\//);
    expect(patches.map((r) => r.path).sort()).toEqual((await registry.list()).map((r) => `/subscriptions/${r.id}`).sort());
    expect(patches[0]!.body).toEqual({ expirationDateTime: new Date(Date.parse(at) + DEFAULT_LIFETIME_MINUTES * MINUTE).toISOString() });
    const renewed = (await registry.list()).find((r) => r.id === first!.id)!;
    expect(renewed.expiresAt).toBe(new Date(Date.parse(at) + DEFAULT_LIFETIME_MINUTES * MINUTE).toISOString());
    expect(renewed.clientStateHash).toBe(first!.clientStateHash);
    expect(minutesFrom(at, renewed.expiresAt)).toBeLessThanOrEqual(OUTLOOK_MAX_SUBSCRIPTION_MINUTES);
  });

  it('subscribes again when the renewal finds the subscription gone (404), and asks for a delta sync', async () => {
    acceptCreates();
    const m = manager();
    await m.maintain(['p-ria'], NOW);
    const [old] = await registry.list();
    fake.reset();
    acceptCreates();
    fake.on('PATCH', `/subscriptions/${old!.id}`, { status: 404, body: fixture('subscription-not-found') });

    const at = later(DEFAULT_LIFETIME_MINUTES - 60);
    const out = await m.maintain(['p-ria'], at);
    expect(out).toMatchObject({ renewed: [], recreated: ['p-ria'], failed: [] });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /subscriptions/${old!.id}`, 'POST /subscriptions']);
    const now = await registry.list();
    expect(now).toHaveLength(1);
    expect(now[0]!.id).not.toBe(old!.id);
    expect(now[0]!.clientStateHash).toBe(hashClientState(secrets[1]!));
    expect((await registry.getDelta('p-ria'))?.syncRequestedAt).toBe(at);
  });

  it('acts on lifecycle events: reauthorizationRequired renews, subscriptionRemoved subscribes again', async () => {
    acceptCreates();
    const m = manager();
    await m.maintain(['p-ria', 'p-sam'], NOW);
    const [ola, sam] = await registry.list();
    fake.reset();
    acceptCreates();
    acceptRenewals();

    await m.handleLifecycle(ola!.id, 'reauthorizationRequired', later(10));
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /subscriptions/${ola!.id}`]);

    await registry.setStatus(sam!.id, 'removed', later(20));
    const out = await m.handleLifecycle(sam!.id, 'subscriptionRemoved', later(20));
    expect(out.recreated).toEqual([sam!.personId]);
    expect((await registry.get(sam!.id))).toBeUndefined();
    expect((await registry.list()).map((r) => r.personId).sort()).toEqual(['p-ria', 'p-sam']);

    // Unknown subscriptions and missed need no Graph call.
    fake.reset();
    await m.handleLifecycle('99999999-9999-4999-8999-999999999999', 'subscriptionRemoved', later(30));
    await m.handleLifecycle(ola!.id, 'missed', later(30));
    expect(fake.requests).toEqual([]);
  });

  it('maintain() picks up marks a crash left: "renew" is renewed, "removed" recreated', async () => {
    acceptCreates();
    const m = manager();
    await m.maintain(['p-ria', 'p-sam'], NOW);
    const [ria, sam] = await registry.list();
    await registry.setStatus(ria!.id, 'renew', later(5));
    await registry.setStatus(sam!.id, 'removed', later(5));
    fake.reset();
    acceptCreates();
    acceptRenewals();
    const out = await m.maintain(['p-ria', 'p-sam'], later(6));
    expect(out.renewed).toEqual([ria!.personId]);
    expect(out.recreated).toEqual([sam!.personId]);
    expect((await registry.list()).every((r) => r.status === 'active')).toBe(true);
  });
});

describe('people leaving scope', () => {
  it('deletes their subscriptions (204, or 404 when already gone) and forgets their delta state', async () => {
    acceptCreates();
    const m = manager();
    await m.maintain(['p-ria', 'p-sam', 'p-ola'], NOW);
    await registry.saveDelta({ personId: 'p-sam', deltaLink: `${fake.baseUrl}/users/${SAM.id}/calendarView/delta?$deltatoken=x`, syncedAt: NOW });
    const held = await registry.list();
    const sam = held.find((r) => r.personId === 'p-sam')!;
    const ola = held.find((r) => r.personId === 'p-ola')!;
    fake.reset();
    fake.on('DELETE', `/subscriptions/${sam.id}`, { status: 204 });
    fake.on('DELETE', `/subscriptions/${ola.id}`, { status: 404, body: fixture('subscription-not-found') });

    const out = await m.maintain(['p-ria'], NOW);
    expect(out.deleted.sort()).toEqual(['p-ola', 'p-sam']);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([`DELETE /subscriptions/${ola.id}`, `DELETE /subscriptions/${sam.id}`].sort());
    expect((await registry.list()).map((r) => r.personId)).toEqual(['p-ria']);
    expect(await registry.getDelta('p-sam')).toBeUndefined();
  });

  it('keeps the record when the delete fails for another reason', async () => {
    acceptCreates();
    const m = manager();
    await m.maintain(['p-ria'], NOW);
    fake.reset();
    fake.on('DELETE', /^\/subscriptions\//, { status: 403, body: { error: { code: 'Forbidden', message: 'no' } } });
    const out = await m.maintain([], NOW);
    expect(out.failed).toMatchObject([{ personId: 'p-ria', action: 'delete', status: 403 }]);
    expect(await registry.list()).toHaveLength(1);
  });
});

describe('delta over calendarView, batched', () => {
  const window = { start: '2026-11-15T00:00:00.000Z', end: '2027-12-28T00:00:00.000Z' };
  const emptyRound = (u: GraphUserRef) => ({ body: { value: [], '@odata.deltaLink': `${fake.baseUrl}/users/${u.id}/calendarView/delta?$deltatoken=next-${u.id}` } });

  it('sends the first pages of everyone in one $batch, follows nextLinks by relative URL in the next', async () => {
    fake.on('GET', `/users/${RIA.id}/calendarView/delta`, (req) => ({ body: fixture(req.query.$skiptoken ? 'delta-page2' : 'delta-page1') }));
    fake.on('GET', `/users/${SAM.id}/calendarView/delta`, emptyRound(SAM));
    const out = await deltaMany(http, [
      { personId: 'p-ria', userId: RIA.id, window },
      { personId: 'p-sam', userId: SAM.id, window, deltaLink: `${fake.baseUrl}/users/${SAM.id}/calendarView/delta?$deltatoken=saved` },
    ]);
    expect(fake.httpRequests.map((r) => r.path)).toEqual(['/$batch', `/users/${RIA.id}/calendarView/delta`]);
    const batch = fake.httpRequests[0]!.body as { requests: { url: string; headers: Record<string, string> }[] };
    expect(batch.requests.map((r) => r.url)).toEqual([
      `/users/${RIA.id}/calendarView/delta?startDateTime=${encodeURIComponent(window.start)}&endDateTime=${encodeURIComponent(window.end)}`,
      `/users/${SAM.id}/calendarView/delta?$deltatoken=saved`,
    ]);
    // Header names are case-insensitive (RFC 9110 §5.1); BatchRequestContent sends them in lower case.
    expect(new Headers(batch.requests[0]!.headers).get('Prefer')).toBe('IdType="ImmutableId", outlook.timezone="UTC", odata.maxpagesize=100');
    expect(out.get('p-ria')).toMatchObject({ ok: true, changed: 2, removed: 1, initial: true, restarted: false, pages: 2 });
    expect(out.get('p-sam')).toMatchObject({ ok: true, changed: 0, removed: 0, initial: false, deltaLink: expect.stringContaining('next-') });
  });

  it('starts a new round for a person whose saved link Graph no longer knows (410), and reports other failures per person', async () => {
    fake.on('GET', `/users/${RIA.id}/calendarView/delta`, (req) =>
      req.query.$deltatoken === 'expired' ? { status: 410, body: { error: { code: 'SyncStateNotFound', message: 'The sync state generation is expired' } } } : emptyRound(RIA),
    );
    fake.on('GET', `/users/${SAM.id}/calendarView/delta`, { status: 404, body: { error: { code: 'ErrorItemNotFound', message: 'gone' } } });
    const out = await deltaMany(http, [
      { personId: 'p-ria', userId: RIA.id, window, deltaLink: `${fake.baseUrl}/users/${RIA.id}/calendarView/delta?$deltatoken=expired` },
      { personId: 'p-sam', userId: SAM.id, window },
    ]);
    expect(out.get('p-ria')).toMatchObject({ ok: true, restarted: true, initial: true });
    expect(out.get('p-sam')).toMatchObject({ ok: false });
  });

  it('uses 3 $batch requests for 45 people with nothing new', async () => {
    fake.on('GET', /\/calendarView\/delta$/, (req) => ({ body: { value: [], '@odata.deltaLink': `${fake.baseUrl}${req.path}?$deltatoken=t` } }));
    const reqs = Array.from({ length: 45 }, (_, i) => ({ personId: `p-${i}`, userId: people.get(`p-${i}`)!.id, window, deltaLink: `${fake.baseUrl}/users/${people.get(`p-${i}`)!.id}/calendarView/delta?$deltatoken=t` }));
    const out = await deltaMany(http, reqs);
    expect(fake.httpRequests).toHaveLength(3);
    expect([...out.values()].every((o) => o.ok && o.changed === 0)).toBe(true);
  });
});

describe('the change feed', () => {
  const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * MINUTE).toISOString();
  let changesFor: Set<string>;

  beforeEach(() => {
    changesFor = new Set();
    // Each mailbox: a first round returns one event; later rounds return one change if the person is in changesFor.
    fake.on('GET', /^\/users\/[^/]+\/calendarView\/delta$/, (req) => {
      const userId = req.path.split('/')[2]!;
      const person = [...people].find(([, u]) => u.id === userId)![0];
      const first = Boolean(req.query.startDateTime);
      const value = first || changesFor.has(person) ? [{ id: `ev-${person}`, type: 'singleInstance' }] : [];
      return { body: { value, '@odata.deltaLink': `${fake.baseUrl}/users/${userId}/calendarView/delta?$deltatoken=${person}-${Date.now()}` } };
    });
  });

  function feed(options: Partial<ConstructorParameters<typeof GraphChangeFeed>[0]> = {}) {
    return new GraphChangeFeed({ http, registry, resolveUser, scope: async () => ['p-ria', 'p-sam', 'p-ola'], sweepEveryMs: 60 * MINUTE, ...options });
  }

  it('first call: everyone in scope gets a first round and is reported; later calls only the notified and the changed', async () => {
    const f = feed();
    expect((await f.changedPeople(at(0))).sort()).toEqual(['p-ola', 'p-ria', 'p-sam']);
    expect(fake.httpRequests).toHaveLength(1);

    // Nothing notified, nobody stale: no Graph request at all.
    forgetRequests();
    expect(await f.changedPeople(at(1))).toEqual([]);
    expect(fake.httpRequests).toEqual([]);
    // The first call's cursors were saved when the second call acknowledged them.
    expect((await registry.getDelta('p-ria'))?.deltaLink).toMatch(/deltatoken=p-ria-/);

    await registry.markNotified('p-sam', at(2));
    expect(await f.changedPeople(at(2))).toEqual(['p-sam']);
    expect(f.lastRun).toMatchObject({ notified: 1, swept: 0, deltaRounds: 1 });
  });

  it('a missed-notifications request is answered only if the delta shows a change', async () => {
    const f = feed();
    await f.changedPeople(at(0));
    await registry.requestSync('p-ria', at(1));
    await registry.requestSync('p-sam', at(1));
    changesFor.add('p-sam');
    expect(await f.changedPeople(at(1))).toEqual(['p-sam']);
    await f.changedPeople(at(2));
    expect((await registry.getDelta('p-ria'))?.syncRequestedAt).toBeUndefined();
  });

  it('reports again after a crash: marks and cursors are only settled by the next call', async () => {
    await feed().changedPeople(at(0));
    const f1 = feed();
    await f1.changedPeople(at(0)); // acknowledges nothing of the other instance, but sweeps nobody new
    await registry.markNotified('p-ola', at(1));
    expect(await f1.changedPeople(at(1))).toEqual(['p-ola']);
    // The process dies here; a new one starts and is told the same again.
    const f2 = feed();
    expect(await f2.changedPeople(at(2))).toEqual(['p-ola']);
    // Answered and acknowledged: not again.
    expect(await f2.changedPeople(at(3))).toEqual([]);
  });

  it('people not dealt with (their relationship leased elsewhere) are reported again, not acknowledged', async () => {
    const f = feed();
    await f.changedPeople(at(0));
    await registry.markNotified('p-ola', at(1));
    await registry.markNotified('p-ria', at(1));
    expect((await f.changedPeople(at(1))).sort()).toEqual(['p-ola', 'p-ria']);
    f.notDone(['p-ola']);
    // p-ria was dealt with and is acknowledged; p-ola's mark stays, so this call (or another instance) reports her again.
    expect(await f.changedPeople(at(2))).toEqual(['p-ola']);
    expect(await f.changedPeople(at(3))).toEqual([]);
  });

  it('keeps a notification that arrives while a cycle runs for the next cycle', async () => {
    const f = feed();
    await f.changedPeople(at(0));
    await registry.markNotified('p-ria', at(1));
    expect(await f.changedPeople(at(1))).toEqual(['p-ria']);
    await registry.markNotified('p-ria', at(1.5)); // after the cycle started
    expect(await f.changedPeople(at(2))).toEqual(['p-ria']);
  });

  it('sweeps each person again once their last round is older than sweepEveryMs', async () => {
    const f = feed();
    await f.changedPeople(at(0));
    await f.changedPeople(at(30));
    forgetRequests();
    changesFor.add('p-ola');
    // An hour on: one $batch for all three, and only the one with a change is reported.
    expect(await f.changedPeople(at(61))).toEqual(['p-ola']);
    expect(fake.httpRequests.map((r) => r.path)).toEqual(['/$batch']);
    expect(f.lastRun).toMatchObject({ swept: 3, changed: 1 });
  });

  it('leaves a person whose delta failed for the next call, without reporting them', async () => {
    const f = feed();
    await f.changedPeople(at(0));
    await f.changedPeople(at(1));
    await registry.requestSync('p-ria', at(2));
    fake.on('GET', `/users/${RIA.id}/calendarView/delta`, { status: 403, body: { error: { code: 'ErrorAccessDenied', message: 'no' } } });
    expect(await f.changedPeople(at(2))).toEqual([]);
    expect(f.lastRun?.failed).toEqual(['p-ria']);
    await f.changedPeople(at(3));
    expect((await registry.getDelta('p-ria'))?.syncRequestedAt).toBe(at(2));
  });
});

describe.each([
  ['in memory', () => new InMemorySubscriptionRegistry()],
  ['in SQLite', () => new EmbeddedSubscriptionRegistry(openDatabase(':memory:'))],
])('the subscription registry %s', (_name, make: () => SubscriptionRegistry) => {
  const rec = { id: 'sub-1', personId: 'p-ria', resource: `/users/${RIA.id}/events`, clientStateHash: hashClientState('s'), expiresAt: '2026-11-26T00:00:00.000Z', status: 'active' as const, createdAt: NOW, updatedAt: NOW };

  it('saves, reads, marks and removes subscriptions', async () => {
    const r = make();
    await r.save(rec);
    expect(await r.get('sub-1')).toEqual(rec);
    expect(await r.setStatus('sub-1', 'removed', '2026-11-24T00:00:00.000Z')).toBe(true);
    expect(await r.setStatus('nope', 'removed', NOW)).toBe(false);
    expect(await r.list()).toEqual([{ ...rec, status: 'removed', updatedAt: '2026-11-24T00:00:00.000Z' }]);
    await r.remove('sub-1');
    expect(await r.list()).toEqual([]);
  });

  it('keeps the latest mark, clears only marks made up to a time, and leaves marks alone when saving a cursor', async () => {
    const r = make();
    await r.markNotified('p-ria', '2026-11-23T09:05:00.000Z');
    await r.markNotified('p-ria', '2026-11-23T09:01:00.000Z');
    await r.requestSync('p-ria', '2026-11-23T09:02:00.000Z');
    await r.saveDelta({ personId: 'p-ria', deltaLink: 'link', windowStart: 'a', windowEnd: 'b', syncedAt: NOW });
    expect(await r.getDelta('p-ria')).toEqual({ personId: 'p-ria', deltaLink: 'link', windowStart: 'a', windowEnd: 'b', syncedAt: NOW, notifiedAt: '2026-11-23T09:05:00.000Z', syncRequestedAt: '2026-11-23T09:02:00.000Z' });
    await r.clearMarks('p-ria', '2026-11-23T09:03:00.000Z');
    expect(await r.getDelta('p-ria')).toEqual({ personId: 'p-ria', deltaLink: 'link', windowStart: 'a', windowEnd: 'b', syncedAt: NOW, notifiedAt: '2026-11-23T09:05:00.000Z' });
    await r.clearMarks('p-ria', '2026-11-23T09:05:00.000Z');
    expect(await r.listDelta()).toEqual([{ personId: 'p-ria', deltaLink: 'link', windowStart: 'a', windowEnd: 'b', syncedAt: NOW }]);
    await r.removeDelta('p-ria');
    expect(await r.listDelta()).toEqual([]);
  });
});
