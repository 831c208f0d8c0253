/**
 * The Graph webhook through the real HTTP app (createHttpApp), with the
 * registry in the embedded SQLite store and a fake Graph behind the
 * subscription manager: the validation handshake, valid notifications, every
 * kind of bad payload (each must change nothing), and lifecycle events.
 * "Changes nothing" is checked on the database: the subscription registry, the
 * delta/mark table, the outbox and the audit log, before and after.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { EmbeddedSubscriptionRegistry } from '../../src/adapters/embedded/subscriptionRegistry';
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import type { GraphUserRef } from '../../src/adapters/graph/graphCalendar';
import { GraphChangeFeed } from '../../src/adapters/graph/graphChangeFeed';
import { GraphHttp } from '../../src/adapters/graph/graphHttp';
import { GraphSubscriptionManager } from '../../src/adapters/graph/subscriptions';
import { createHttpApp } from '../../src/server/http';
import { GraphInbox } from '../../src/adapters/graph/graphInbox';
import { GraphNotificationReceiver, notificationCollectionSchema } from '../../src/adapters/graph/notificationReceiver';
import { FakeGraph, fixture } from '../support/fakeGraph';
import { testServices } from '../support/services';

const TENANT = '84bd8158-6d4d-4958-8b9f-9d6445542f95';
const OTHER_TENANT = '0f0f0f0f-0000-4000-8000-000000000000';
const SECRET = 'secretClientValue';
const SUB_ID = '7f105c7d-2dc5-4530-97cd-4e7ae6534c07';
const RIA: GraphUserRef = { id: '11111111-1111-4111-8111-111111111111', mail: 'ria.shah@contoso.example' };
const NOW = '2026-11-23T09:00:00.000Z';

let ctx: Awaited<ReturnType<typeof testServices>>;
let fake: FakeGraph;
let server: http.Server;
let base: string;
let registry: EmbeddedSubscriptionRegistry;
let receiver: GraphNotificationReceiver;
let manager: GraphSubscriptionManager;
let graphHttp: GraphHttp;
let madeIds: string[];

beforeAll(async () => {
  fake = await FakeGraph.start();
});
afterAll(() => fake.close());

beforeEach(async () => {
  ctx = await testServices({ now: NOW, seed: false });
  fake.reset();
  madeIds = [SUB_ID, 'aaaaaaaa-1111-4222-8333-444444444444'];
  fake.on('POST', '/subscriptions', (req) => ({
    status: 201,
    body: { ...fixture<Record<string, unknown>>('subscription-created'), id: madeIds.shift(), expirationDateTime: (req.body as { expirationDateTime: string }).expirationDateTime },
  }));
  fake.on('PATCH', /^\/subscriptions\/[^/]+$/, (req) => ({ body: { ...fixture<Record<string, unknown>>('subscription-renewed'), expirationDateTime: (req.body as { expirationDateTime: string }).expirationDateTime } }));
  graphHttp = new GraphHttp({ token: staticTokenSource('t'), baseUrl: fake.baseUrl, baseDelayMs: 5, timeoutMs: 1_000 });
  registry = new EmbeddedSubscriptionRegistry(ctx.db);
  manager = new GraphSubscriptionManager({
    http: graphHttp,
    registry,
    resolveUser: async (p) => {
      if (p !== 'p-ria') throw new Error(`unknown ${p}`);
      return RIA;
    },
    publicUrl: 'https://pt.contoso.example',
    newClientState: () => SECRET,
  });
  receiver = new GraphNotificationReceiver({
    registry,
    tenantId: TENANT,
    clock: ctx.clock,
    log: ctx.services.log,
    onLifecycle: (id, event, now) => manager.handleLifecycle(id, event, now),
  });
  // Ria's subscription exists, as Graph created it (the fixture's id and secret).
  await manager.maintain(['p-ria'], NOW);
  fake.requests.length = 0;
  server = http.createServer(createHttpApp(ctx.services, { startedAt: new Date(), graphNotifications: receiver }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await receiver.drain();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await ctx.services.close();
});

/** Everything a notification could change, as rows. */
function snapshot() {
  const all = (sql: string) => ctx.db.prepare(sql).all();
  return {
    subscriptions: all('SELECT * FROM graph_subscriptions ORDER BY id'),
    delta: all('SELECT * FROM graph_delta ORDER BY person_id'),
    outbox: all('SELECT * FROM outbox ORDER BY id'),
    audit: all('SELECT * FROM audit_log ORDER BY seq'),
  };
}

const post = (path: string, body: string | undefined, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  fetch(`${base}${path}`, { method: 'POST', headers, ...(body !== undefined ? { body } : {}) });
const notify = (payload: unknown, path = '/api/graph/notifications') => post(path, JSON.stringify(payload));

function change(overrides: Record<string, unknown> = {}) {
  const [n] = fixture<{ value: Record<string, unknown>[] }>('subscription-notification').value;
  return { ...n, ...overrides };
}
function lifecycle(lifecycleEvent: string, overrides: Record<string, unknown> = {}) {
  const [n] = fixture<{ value: Record<string, unknown>[] }>('subscription-lifecycle').value;
  return { ...n, lifecycleEvent, ...overrides };
}

describe('the validation handshake', () => {
  it.each(['/api/graph/notifications', '/api/graph/lifecycle'])('%s echoes the decoded token as text/plain 200 and changes nothing', async (path) => {
    const before = snapshot();
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 9b2c1a7e <b>&amp;';
    const res = await post(`${path}?validationToken=${encodeURIComponent(token)}`, undefined, { 'Content-Type': 'text/plain; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(token);
    expect(snapshot()).toEqual(before);
    expect(receiver.stats).toMatchObject({ validations: 1, batches: 0, accepted: 0 });
  });

  it('only echoes, even when a valid notification rides along in the body', async () => {
    const before = snapshot();
    const res = await post('/api/graph/notifications?validationToken=abc', JSON.stringify({ value: [change()] }));
    expect(await res.text()).toBe('abc');
    expect(snapshot()).toEqual(before);
  });

  it('refuses an empty or repeated token', async () => {
    expect((await post('/api/graph/notifications?validationToken=', undefined)).status).toBe(400);
    expect((await post('/api/graph/notifications?validationToken=a&validationToken=b', undefined)).status).toBe(400);
  });
});

describe('a valid change notification', () => {
  it('is answered 202 and marks its person changed, once however often it comes', async () => {
    const res = await notify(fixture('subscription-notification'));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    expect(await registry.getDelta('p-ria')).toEqual({ personId: 'p-ria', notifiedAt: NOW });

    // The same again, and two in one batch: still one mark for one person.
    expect((await notify({ value: [change(), change({ changeType: 'deleted' })] })).status).toBe(202);
    expect(snapshot().delta).toHaveLength(1);
    expect(receiver.stats).toMatchObject({ accepted: 3, refused: { unknownSubscription: 0, wrongTenant: 0, wrongClientState: 0 } });
    // Nothing goes to the outbox or to Graph: the mark is the queue.
    expect(snapshot().outbox).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('reaches the reconciler through the change feed, once', async () => {
    fake.on('GET', `/users/${RIA.id}/calendarView/delta`, (req) => ({ body: { value: [], '@odata.deltaLink': `${fake.baseUrl}${req.path}?$deltatoken=t` } }));
    const feed = new GraphChangeFeed({ http: graphHttp, registry, resolveUser: async () => RIA, scope: async () => [] });
    await notify(fixture('subscription-notification'));
    await notify(fixture('subscription-notification'));
    expect(await feed.changedPeople(NOW)).toEqual(['p-ria']);
    expect(await feed.changedPeople(new Date(Date.parse(NOW) + 60_000).toISOString())).toEqual([]);
  });
});

describe('bad payloads change nothing', () => {
  it.each([
    ['an unknown subscription', { value: [change({ subscriptionId: '00000000-0000-4000-8000-000000000999' })] }, 'unknownSubscription'],
    ['a wrong clientState', { value: [change({ clientState: 'guess' })] }, 'wrongClientState'],
    ['a clientState differing in case', { value: [change({ clientState: SECRET.toUpperCase() })] }, 'wrongClientState'],
    ['another tenant', { value: [change({ tenantId: OTHER_TENANT })] }, 'wrongTenant'],
    ['a lifecycle event with a wrong clientState', { value: [lifecycle('subscriptionRemoved', { clientState: 'guess' })] }, 'wrongClientState'],
    ['a lifecycle event from another tenant', { value: [lifecycle('missed', { tenantId: OTHER_TENANT })] }, 'wrongTenant'],
  ])('%s: accepted (202) but ignored, and counted as refused', async (_name, payload, reason) => {
    const before = snapshot();
    const res = await notify(payload, (payload.value[0] as { lifecycleEvent?: string }).lifecycleEvent ? '/api/graph/lifecycle' : '/api/graph/notifications');
    expect(res.status).toBe(202);
    await receiver.drain();
    expect(snapshot()).toEqual(before);
    expect(fake.requests).toEqual([]);
    expect(receiver.stats.refused[reason as 'wrongTenant']).toBe(1);
    expect(receiver.stats.accepted).toBe(0);
  });

  const missing = (field: string) => {
    const n: Record<string, unknown> = change();
    delete n[field];
    return JSON.stringify({ value: [n] });
  };

  it.each([
    ['malformed JSON', '{"value": [ {"subscriptionId": '],
    ['JSON that is not a collection', '[]'],
    ['an empty collection', '{"value": []}'],
    ['value not an array', '{"value": {}}'],
    ['no subscriptionId', missing('subscriptionId')],
    ['no clientState', missing('clientState')],
    ['no tenantId', missing('tenantId')],
    ['no changeType', missing('changeType')],
    ['no resource', missing('resource')],
    ['no subscriptionExpirationDateTime', missing('subscriptionExpirationDateTime')],
    ['a subscriptionId that is not a GUID', JSON.stringify({ value: [change({ subscriptionId: "1' OR '1'='1" })] })],
    ['an unknown changeType', JSON.stringify({ value: [change({ changeType: 'exploded' })] })],
    ['a clientState longer than Graph allows', JSON.stringify({ value: [change({ clientState: 'x'.repeat(129) })] })],
    ['one bad notification among good ones', JSON.stringify({ value: [change(), { ...change(), tenantId: 42 }] })],
  ])('%s → 400', async (_name, body) => {
    const before = snapshot();
    const res = await post('/api/graph/notifications', body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.any(String) });
    expect(snapshot()).toEqual(before);
    expect(receiver.stats.accepted).toBe(0);
  });

  it('a body that is not JSON → 400', async () => {
    const before = snapshot();
    expect((await post('/api/graph/notifications', JSON.stringify(fixture('subscription-notification')), { 'Content-Type': 'text/plain' })).status).toBe(400);
    expect((await post('/api/graph/notifications', undefined, {})).status).toBe(400);
    expect(snapshot()).toEqual(before);
  });

  it('an oversized body → 413, unread', async () => {
    const before = snapshot();
    const huge = JSON.stringify({ value: Array.from({ length: 3000 }, () => change()) });
    expect(huge.length).toBeGreaterThan(receiver.maxBodyBytes);
    const res = await post('/api/graph/notifications', huge);
    expect(res.status).toBe(413);
    expect(snapshot()).toEqual(before);
    expect(receiver.stats.accepted).toBe(0);
  });

  it('a mixed batch: the valid notification is taken, the forged ones change nothing', async () => {
    const res = await notify({ value: [change({ clientState: 'guess' }), change(), change({ subscriptionId: '00000000-0000-4000-8000-000000000999' })] });
    expect(res.status).toBe(202);
    expect(snapshot().delta).toEqual([expect.objectContaining({ person_id: 'p-ria', notified_at: NOW })]);
    expect(receiver.stats).toMatchObject({ accepted: 1, refused: { unknownSubscription: 1, wrongClientState: 1, wrongTenant: 0 } });
  });

  it('other methods and paths under /api/graph are not found', async () => {
    expect((await fetch(`${base}/api/graph/notifications`)).status).toBe(404);
    expect((await post('/api/graph/other', '{}')).status).toBe(404);
  });

  it('without a receiver (local mode) nothing is mounted at /api/graph', async () => {
    const bare = http.createServer(createHttpApp(ctx.services, { startedAt: new Date() }));
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    const res = await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/graph/notifications?validationToken=x`, { method: 'POST' });
    expect(res.status).toBe(404);
    bare.closeAllConnections();
    await new Promise((r) => bare.close(r));
  });
});

describe('lifecycle notifications', () => {
  it('reauthorizationRequired: 202, then the subscription is renewed through Graph', async () => {
    const before = (await registry.get(SUB_ID))!;
    ctx.clock.advance(3_600_000);
    const res = await notify(fixture('subscription-lifecycle'), '/api/graph/lifecycle');
    expect(res.status).toBe(202);
    await receiver.drain();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /subscriptions/${SUB_ID}`]);
    const after = (await registry.get(SUB_ID))!;
    expect(after.status).toBe('active');
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));
  });

  it('subscriptionRemoved: 202, a new subscription replaces it, and a delta sync is asked for', async () => {
    const res = await notify({ value: [lifecycle('subscriptionRemoved')] }, '/api/graph/lifecycle');
    expect(res.status).toBe(202);
    // Marked before the answer, so a crash here still leaves maintain() something to act on.
    expect((await registry.getDelta('p-ria'))?.syncRequestedAt).toBe(NOW);
    await receiver.drain();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /subscriptions']);
    const held = await registry.list();
    expect(held.map((r) => [r.id, r.personId, r.status])).toEqual([['aaaaaaaa-1111-4222-8333-444444444444', 'p-ria', 'active']]);
    // Notifications for the old subscription are now refused.
    await notify(fixture('subscription-notification'));
    expect(receiver.stats.refused.unknownSubscription).toBe(1);
  });

  it('subscriptionRemoved when Graph refuses the new subscription: the old one stays marked removed for maintain()', async () => {
    fake.on('POST', '/subscriptions', { status: 403, body: { error: { code: 'ExtensionError', message: 'Forbidden' } } });
    await notify({ value: [lifecycle('subscriptionRemoved')] }, '/api/graph/lifecycle');
    await receiver.drain();
    expect((await registry.get(SUB_ID))?.status).toBe('removed');
  });

  it('missed: 202, a delta sync is asked for, and Graph is not called', async () => {
    const res = await notify({ value: [lifecycle('missed')] }, '/api/graph/lifecycle');
    expect(res.status).toBe(202);
    await receiver.drain();
    expect(await registry.getDelta('p-ria')).toEqual({ personId: 'p-ria', syncRequestedAt: NOW });
    expect(fake.requests).toEqual([]);
  });

  it('an unknown lifecycleEvent is authenticated, then ignored', async () => {
    const before = snapshot();
    expect((await notify({ value: [lifecycle('somethingNew')] }, '/api/graph/lifecycle')).status).toBe(202);
    await receiver.drain();
    expect(snapshot()).toEqual(before);
    expect(fake.requests).toEqual([]);
  });

  it('lifecycle events delivered to the notification URL are handled the same', async () => {
    expect((await notify({ value: [lifecycle('missed')] })).status).toBe(202);
    expect((await registry.getDelta('p-ria'))?.syncRequestedAt).toBe(NOW);
  });
});

describe('through the inbox', () => {
  it('a delivery processed twice (taken again after an instance died before marking it done) does no harm', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-inbox-'));
    // Holds of 0 ms: every take gets the entry again, as another instance would once a dead one's hold ran out.
    const inbox = new GraphInbox(dir, { holdMs: 0 });
    const queued = new GraphNotificationReceiver({ registry, tenantId: TENANT, clock: ctx.clock, log: ctx.services.log, onLifecycle: (id, event, now) => manager.handleLifecycle(id, event, now), inbox });
    const body = { value: [change(), lifecycle('subscriptionRemoved')] };
    const [stored] = (await inbox.put('notifications', notificationCollectionSchema.parse(body)))!;
    // The first processing, whose "done" is lost with its instance: the file stays.
    const replay = (await inbox.take(10)).entries;
    expect(replay.map((e) => e.id)).toEqual([stored!.id]);
    expect(await queued.pump()).toBe(1);
    await queued.drain();
    const once = snapshot();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /subscriptions']);
    expect(once.delta).toHaveLength(1);
    // Processed again: the old subscription is gone, so both notifications are refused and nothing changes.
    expect(await queued.receive(replay[0]!.body, 'notifications')).toMatchObject({ status: 202, accepted: 0, refused: { unknownSubscription: 2 } });
    await queued.drain();
    expect(snapshot()).toEqual(once);
    expect(fake.requests).toHaveLength(1);
    expect((await inbox.take(10)).entries).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a change notification processed twice leaves one mark', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-inbox-'));
    const queued = new GraphNotificationReceiver({ registry, tenantId: TENANT, clock: ctx.clock, log: ctx.services.log, inbox: new GraphInbox(dir) });
    expect(await queued.enqueue({ value: [change()] }, 'notifications')).toBe(202);
    await queued.drain();
    const once = snapshot();
    expect(await queued.enqueue({ value: [change()] }, 'notifications')).toBe(202);
    await queued.drain();
    expect(snapshot()).toEqual(once);
    expect(once.delta).toHaveLength(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
