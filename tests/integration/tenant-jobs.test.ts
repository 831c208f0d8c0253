/**
 * The background jobs in tenant mode (src/jobs/index.ts) over tenant services
 * (src/runtime/services.ts) on a fake Microsoft Graph with SharePoint behind
 * it, on a clock the test moves:
 *
 * - 'graph-subscriptions' maintains the subscriptions of the supervisors and
 *   supervisees of active relationships, at most once an hour across every
 *   instance (a work-queue lease in pt-leases is the durable mark);
 * - 'reconcile' reconciles only the relationships of the people the change
 *   feed names between full sweeps, and sweeps everyone once per
 *   PT_RECONCILE_SWEEP_MINUTES, one instance per period; it lists the recent
 *   held sessions (the record forms' catch-up) once a day, one instance per day;
 * - local mode keeps sweeping on every run and has no subscription job;
 * - end to end: a change notification through the webhook marks the person
 *   in SharePoint, and the next run reconciles only their relationship;
 * - the bot's credentials: a secret as before, a certificate through the app's
 *   own MSAL client; startApp serves the webhook in tenant mode.
 *
 * Every SharePoint request is checked against the Graph metadata and the lists' columns.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { GraphChangeFeed } from '../../src/adapters/graph/graphChangeFeed';
import { loadConfig, type TenantEnv } from '../../src/config/env';
import type { Relationship } from '../../src/domain/model';
import { createJobs, RECORD_FORMS_CATCH_UP_LEASE_KEY, subscriptionScope, SUBSCRIPTIONS_LEASE_KEY, SWEEP_LEASE_KEY } from '../../src/jobs';
import type { Job } from '../../src/jobs/scheduler';
import { createLogger } from '../../src/logging';
import type { CalendarChangeFeed } from '../../src/ports/changeFeed';
import type { WorkQueue } from '../../src/ports/workQueue';
import { createServices, type Services } from '../../src/runtime/services';
import { startApp, tenantBotCredentials } from '../../src/runtime/start';
import { createHttpApp } from '../../src/server/http';
import { FakeGraph, fixture } from '../support/fakeGraph';
import { FakeNotifier } from '../support/fakeNotifier';
import { type FakeSharePoint, sharePointViolations } from '../support/fakeSharePoint';
import { freePort } from '../support/ports';
import { testServices } from '../support/services';
import { provisionedTenantSite, tenantEnvFor } from '../support/tenantServices';
import { SharePointQualityStore } from '../../src/adapters/sharepoint/sharepointQualityStore';

const ROOT = path.resolve(__dirname, '..', '..');
const SUP_A = 'a0000000-0000-4000-8000-00000000000a';
const SUP_C = 'c0000000-0000-4000-8000-00000000000c';
const PR_B = 'b0000000-0000-4000-8000-00000000000b';
const PR_D = 'd0000000-0000-4000-8000-00000000000d';
const PR_E = 'e0000000-0000-4000-8000-00000000000e';
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const MIN = 60_000;

const r1: Relationship = { id: 'r1', kind: 'individual', supervisorId: SUP_A, superviseeIds: [PR_B], policyId: 'p', staffGroupId: 'g', startedOn: '2026-01-01', active: true };
const r2: Relationship = { id: 'r2', kind: 'group', supervisorId: SUP_C, superviseeIds: [PR_D, PR_B], policyId: 'p', staffGroupId: 'g', startedOn: '2026-01-01', active: true };
const r3: Relationship = { id: 'r3', kind: 'individual', supervisorId: SUP_A, superviseeIds: [PR_E], policyId: 'p', staffGroupId: 'g', startedOn: '2025-01-01', active: false };

let fake: FakeGraph;
let sp: FakeSharePoint;
let dataDir: string;
let t: number;
const clock = { now: () => new Date(t) };
const log = createLogger('silent');

function tenantEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return tenantEnvFor({ sp, dataDir }, overrides);
}

beforeAll(async () => {
  fake = await FakeGraph.start();
});
afterAll(() => fake.close());

let made = 0;
beforeEach(async () => {
  t = T0;
  ({ sp, dataDir } = await provisionedTenantSite(fake, 'pt-tenant-jobs'));
  // No Entra routes: subscriptions and delta rounds address mailboxes by object id, with no directory lookup
  // (a lookup would be an unmatched request, which afterEach refuses).
  // Graph subscriptions: created as asked.
  fake.on('POST', '/subscriptions', (req) => {
    made += 1;
    const body = req.body as Record<string, string>;
    return {
      status: 201,
      body: { ...fixture<Record<string, unknown>>('subscription-created'), id: `5ab00000-0000-4000-8000-${String(made).padStart(12, '0')}`, resource: body.resource, clientState: body.clientState, expirationDateTime: body.expirationDateTime },
    };
  });
});

afterEach(() => {
  // The SharePoint requests (the Graph subscription calls are checked in graph-subscriptions.contract.test.ts).
  expect(sharePointViolations(fake.requests.filter((r) => r.path.startsWith('/sites/')), sp)).toEqual([]);
  expect(fake.unmatched).toEqual([]);
});

const SECRET = 'secretClientValue';

async function tenantServices(env: Record<string, string> = {}): Promise<Services> {
  return createServices(loadConfig(tenantEnv(env), ROOT), log, clock, { graphBaseUrl: fake.baseUrl, tokenSource: staticTokenSource('fake-app-token'), graphBaseDelayMs: 1, newClientState: () => SECRET });
}

/** The work queue, recording which leases were asked for (reconcile:<relationship id> is one relationship reconciled). */
function recordingLeases(work: WorkQueue): { work: WorkQueue; taken: string[] } {
  const taken: string[] = [];
  return {
    taken,
    work: {
      enqueue: (...a) => work.enqueue(...a),
      lease: (...a) => work.lease(...a),
      complete: (...a) => work.complete(...a),
      retry: (...a) => work.retry(...a),
      result: (...a) => work.result(...a),
      releaseLease: (...a) => work.releaseLease(...a),
      async acquireLease(key, owner, now, leaseMs) {
        const got = await work.acquireLease(key, owner, now, leaseMs);
        if (got) taken.push(key);
        return got;
      },
    },
  };
}

const notify = () => ({ notifier: new FakeNotifier(), tabUrl: 'https://pt.contoso.example/tab/' });
const job = (jobs: Job[], name: string) => jobs.find((j) => j.name === name)!;
const reconciled = (taken: string[]) => taken.filter((k) => k.startsWith('reconcile:')).sort();

describe('tenant services for the jobs', () => {
  it('expose the Graph change feed, the subscriptions and their webhook, and SharePoint QA grades, without a request', async () => {
    const services = await tenantServices();
    expect(services.changeFeed).toBeInstanceOf(GraphChangeFeed);
    expect(services.graph?.subscriptions.notificationUrl).toBe('https://pt.contoso.example/api/graph/notifications');
    expect(services.graph?.notifications.maxBodyBytes).toBeGreaterThan(0);
    expect(services.quality).toBeInstanceOf(SharePointQualityStore);
    expect(fake.httpRequests).toEqual([]);
    // A test token source: no MSAL client of the app's own to lend the bot.
    expect(services.appToken).toBeUndefined();
    expect(createJobs(services, notify()).map((j) => j.name)).toEqual(['reconcile', 'people-changes', 'reminders', 'pre-session-cards', 'graph-subscriptions']);
    await services.close();
  });

  it('the subscription scope is the supervisors and supervisees of active relationships', async () => {
    const services = await tenantServices();
    for (const r of [r1, r2, r3]) await services.store.saveRelationship(r);
    expect(await subscriptionScope(services.store)).toEqual([SUP_A, PR_B, SUP_C, PR_D].sort());
  });
});

describe("the 'graph-subscriptions' job", () => {
  it('maintains the subscriptions at most once an hour, across instances and restarts', async () => {
    const services = await tenantServices();
    for (const r of [r1, r2, r3]) await services.store.saveRelationship(r);
    const maintain = jest.spyOn(services.graph!.subscriptions, 'maintain');
    const first = job(createJobs(services, notify(), { workerId: 'instance-1' }), 'graph-subscriptions');
    const second = job(createJobs(services, notify(), { workerId: 'instance-2' }), 'graph-subscriptions');

    await first.run(clock.now());
    expect(maintain).toHaveBeenCalledTimes(1);
    expect(maintain.mock.calls[0]).toEqual([[SUP_A, PR_B, SUP_C, PR_D].sort(), new Date(T0).toISOString()]);
    // One subscription per person in scope, on their events, pointing at the webhook.
    const creates = fake.to('POST', '/subscriptions').map((r) => r.body as Record<string, string>);
    expect(creates.map((b) => b.resource).sort()).toEqual([SUP_A, PR_B, SUP_C, PR_D].sort().map((id) => `/users/${id}/events`));
    expect(creates.every((b) => b.notificationUrl === 'https://pt.contoso.example/api/graph/notifications')).toBe(true);
    expect((await services.graph!.registry.list()).map((r) => r.personId).sort()).toEqual([SUP_A, PR_B, SUP_C, PR_D].sort());

    // Within the hour: neither this instance, nor another, nor this one restarted runs it again.
    t = T0 + 30 * MIN;
    await first.run(clock.now());
    await second.run(clock.now());
    const restarted = job(createJobs(services, notify(), { workerId: 'instance-1-restarted' }), 'graph-subscriptions');
    await restarted.run(clock.now());
    t = T0 + 59 * MIN;
    await first.run(clock.now());
    await second.run(clock.now());
    expect(maintain).toHaveBeenCalledTimes(1);

    // An hour on, once more (by one instance), and the lease is the one durable mark in pt-leases.
    t = T0 + 61 * MIN;
    await second.run(clock.now());
    await first.run(clock.now());
    await restarted.run(clock.now());
    expect(maintain).toHaveBeenCalledTimes(2);
    expect(fake.to('POST', '/subscriptions')).toHaveLength(4);
    expect(sp.items('pt-leases').map((i) => i.fields.leaseKey)).toEqual([SUBSCRIPTIONS_LEASE_KEY]);
    await services.close();
  });

  it('a run that fails is tried again within minutes, not an hour later', async () => {
    const services = await tenantServices();
    await services.store.saveRelationship(r1);
    const maintain = jest.spyOn(services.graph!.subscriptions, 'maintain').mockRejectedValueOnce(new Error('SharePoint is down'));
    const run = job(createJobs(services, notify(), { workerId: 'instance-1' }), 'graph-subscriptions');
    await expect(run.run(clock.now())).rejects.toThrow('SharePoint is down');
    t = T0 + 2 * MIN;
    await run.run(clock.now());
    expect(maintain).toHaveBeenCalledTimes(1);
    t = T0 + 6 * MIN;
    await job(createJobs(services, notify(), { workerId: 'instance-2' }), 'graph-subscriptions').run(clock.now());
    expect(maintain).toHaveBeenCalledTimes(2);
    await services.close();
  });
});

describe("the 'reconcile' job in tenant mode", () => {
  it('reconciles only the relationships of changed people between sweeps, and sweeps everyone once per period across instances', async () => {
    const services = await tenantServices({ PT_RECONCILE_SWEEP_MINUTES: '60' });
    for (const r of [r1, r2, r3]) await services.store.saveRelationship(r);
    const { work, taken } = recordingLeases(services.work);
    const changes: string[][] = [];
    const feed: CalendarChangeFeed = { changedPeople: jest.fn(async () => changes.shift() ?? []) };
    const instance = { ...services, work, changeFeed: feed };
    const first = job(createJobs(instance, notify(), { workerId: 'instance-1' }), 'reconcile');
    const second = job(createJobs(instance, notify(), { workerId: 'instance-2' }), 'reconcile');

    // The first run sweeps (no sweep yet): every active relationship.
    await first.run(clock.now());
    expect(reconciled(taken)).toEqual(['reconcile:r1', 'reconcile:r2']);
    expect(taken).toContain(SWEEP_LEASE_KEY);
    expect(feed.changedPeople).toHaveBeenCalledWith(new Date(T0).toISOString());

    // A minute on, D's calendar changed: only D's relationship.
    taken.length = 0;
    changes.push([PR_D]);
    t = T0 + MIN;
    await first.run(clock.now());
    expect(reconciled(taken)).toEqual(['reconcile:r2']);

    // Nothing changed: nothing reconciled, on either instance (the other sees the sweep is not due).
    taken.length = 0;
    t = T0 + 2 * MIN;
    await first.run(clock.now());
    await second.run(clock.now());
    expect(reconciled(taken)).toEqual([]);

    // A supervisee of two relationships changed, and someone in no active relationship: both of B's, nothing for E.
    changes.push([PR_B, PR_E]);
    t = T0 + 30 * MIN;
    await second.run(clock.now());
    expect(reconciled(taken)).toEqual(['reconcile:r1', 'reconcile:r2']);

    // An hour after the first sweep: one instance sweeps again, the other does not.
    taken.length = 0;
    t = T0 + 61 * MIN;
    await second.run(clock.now());
    await first.run(clock.now());
    expect(reconciled(taken)).toEqual(['reconcile:r1', 'reconcile:r2']);
    expect(feed.changedPeople).toHaveBeenCalledTimes(7);
    await services.close();
  });

  it('lists recently held sessions (the record forms\' catch-up) once a day across instances and once as an instance starts, not on the runs between', async () => {
    const services = await tenantServices({ PT_RECONCILE_SWEEP_MINUTES: '60' });
    await services.store.saveRelationship(r1);
    // Held yesterday, stored held directly (as an import would): only the catch-up can find it.
    await services.store.saveSessions([{ id: 's-held', relationshipId: 'r1', start: new Date(T0 - 86_400_000).toISOString(), end: new Date(T0 - 86_400_000 + 3_600_000).toISOString(), status: 'held', kind: 'planned' }]);
    const { work, taken } = recordingLeases(services.work);
    const feed: CalendarChangeFeed = { changedPeople: async () => [] };
    const instance = { ...services, work, changeFeed: feed };
    const first = job(createJobs(instance, notify(), { workerId: 'instance-1' }), 'reconcile');
    const second = job(createJobs(instance, notify(), { workerId: 'instance-2' }), 'reconcile');
    const sessionsList = sp.list('pt-sessions')!.id;
    // The catch-up's read: sessions by end time, across every arrangement (the reconciler reads by arrangement).
    const heldListings = () => fake.requests.filter((r) => r.method === 'GET' && r.path.includes(`/lists/${sessionsList}/items`) && (r.query.$filter ?? '').includes('endsAt')).length;

    await first.run(clock.now());
    expect(heldListings()).toBe(1);
    expect(taken.filter((k) => k === RECORD_FORMS_CATCH_UP_LEASE_KEY)).toHaveLength(1);
    // It queued the session's form; the worker found nothing owed (the arrangement's pack is not loaded) and finished it.
    expect(await services.work.result('record-form', 's-held')).toEqual({ outcome: 'not-owed' });
    // The other instance's first run: the day's catch-up is taken, but a starting instance looks once (it may be
    // one started again after dying between saving a session held and queueing its form).
    await second.run(clock.now());
    expect(heldListings()).toBe(2);

    // Idle runs on both instances for most of a day (the reconcile sweep comes round hourly): no listing.
    for (const at of [1, 2, 61, 600, 24 * 60 - 1]) {
      t = T0 + at * MIN;
      await first.run(clock.now());
      await second.run(clock.now());
    }
    expect(heldListings()).toBe(2);

    // A day on: one instance lists again, the other does not.
    t = T0 + 24 * 60 * MIN + MIN;
    await second.run(clock.now());
    await first.run(clock.now());
    expect(heldListings()).toBe(3);
    expect(taken.filter((k) => k === RECORD_FORMS_CATCH_UP_LEASE_KEY)).toHaveLength(2);
    await services.close();
  });

  it('a change feed that fails does not stop the sweep, rebooks or records', async () => {
    const services = await tenantServices();
    await services.store.saveRelationship(r1);
    const { work, taken } = recordingLeases(services.work);
    const feed: CalendarChangeFeed = { changedPeople: async () => Promise.reject(new Error('Graph is down')) };
    await job(createJobs({ ...services, work, changeFeed: feed }, notify(), { workerId: 'instance-1' }), 'reconcile').run(clock.now());
    expect(reconciled(taken)).toEqual(['reconcile:r1']);
    await services.close();
  });
});

describe('tenant change detection end to end', () => {
  it('a change notification reaches the webhook, marks the person in SharePoint, and the next run reconciles only their relationship', async () => {
    const services = await tenantServices();
    for (const r of [r1, r2, r3]) await services.store.saveRelationship(r);
    // calendarView delta: nothing in anyone's window, a new deltaLink each round.
    let round = 0;
    fake.on('GET', /^\/users\/[^/]+\/calendarView\/delta$/, (req) => ({ body: { value: [], '@odata.deltaLink': `${fake.baseUrl}${req.path}?$deltatoken=${++round}` } }));
    const server = http.createServer(createHttpApp(services, { startedAt: new Date(), graphNotifications: services.graph!.notifications }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { work, taken } = recordingLeases(services.work);
      const jobs = createJobs({ ...services, work }, notify(), { workerId: 'instance-1' });
      await job(jobs, 'graph-subscriptions').run(clock.now());
      // First run: everyone subscribed gets a first delta round (reported as changed), and the sweep.
      await job(jobs, 'reconcile').run(clock.now());
      expect([...new Set(reconciled(taken))]).toEqual(['reconcile:r1', 'reconcile:r2']);

      const subscription = (await services.graph!.registry.list()).find((r) => r.personId === PR_D)!;
      const [n] = fixture<{ value: Record<string, unknown>[] }>('subscription-notification').value;
      t = T0 + 30_000;
      const res = await fetch(`${base}/api/graph/notifications`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ value: [{ ...n, subscriptionId: subscription.id, clientState: SECRET, tenantId: tenantEnv().TENANT_ID, resource: `Users/${PR_D}/Events/AAMk1=` }] }),
      });
      expect(res.status).toBe(202);
      // Answered first, processed after (the webhook's inbox): wait for the processing.
      await services.graph!.notifications.drain();
      expect(await services.graph!.registry.getDelta(PR_D)).toMatchObject({ notifiedAt: new Date(T0 + 30_000).toISOString() });
      expect(sp.items('pt-calendar-delta').find((i) => i.fields.personId === PR_D)?.fields.notifiedAt).toBe(new Date(T0 + 30_000).toISOString());

      taken.length = 0;
      t = T0 + MIN;
      await job(jobs, 'reconcile').run(clock.now());
      expect(reconciled(taken)).toEqual(['reconcile:r2']);
      // Taken: the next run acknowledges it, and nothing is reconciled again.
      taken.length = 0;
      t = T0 + 2 * MIN;
      await job(jobs, 'reconcile').run(clock.now());
      expect(reconciled(taken)).toEqual([]);
      expect((await services.graph!.registry.getDelta(PR_D))?.notifiedAt).toBeUndefined();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await services.close();
    }
  });

  it('startApp in tenant mode serves the Graph webhook (the validation handshake), with a certificate-only bot', async () => {
    fs.mkdirSync(dataDir, { recursive: true });
    const keyFile = path.join(dataDir, 'pt-key.pem');
    fs.writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const raw = tenantEnv({ PT_PORT: String(await freePort()), PT_HOST: '127.0.0.1', PT_JOB_INTERVAL_SECONDS: '3600', CLIENT_CERTIFICATE_PATH: keyFile, CLIENT_CERTIFICATE_THUMBPRINT: 'AB'.repeat(20) });
    delete raw.CLIENT_SECRET;
    // Nothing reaches Graph or Entra: no job runs within the hour, and the handshake touches nothing.
    const app = await startApp(loadConfig(raw, ROOT), { log });
    try {
      expect(app.services.graph?.subscriptions.notificationUrl).toBe('https://pt.contoso.example/api/graph/notifications');
      const res = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/graph/notifications?validationToken=${encodeURIComponent('Validation: ok')}`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('Validation: ok');
    } finally {
      await app.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('local mode is unchanged', () => {
  it('sweeps every relationship on every run and has no subscription job', async () => {
    const ctx = await testServices({ now: new Date(T0).toISOString() });
    const { work, taken } = recordingLeases(ctx.services.work);
    const jobs = createJobs({ ...ctx.services, work }, notify());
    expect(jobs.map((j) => j.name)).toEqual(['reconcile', 'people-changes', 'reminders', 'pre-session-cards']);
    const active = (await ctx.services.store.listRelationships({ activeOnly: true })).map((r) => `reconcile:${r.id}`).sort();
    expect(active.length).toBeGreaterThan(0);
    // The first run also takes the seed's calendar changes (the fast path), then sweeps everyone.
    await job(jobs, 'reconcile').run(ctx.clock.now());
    expect([...new Set(reconciled(taken))]).toEqual(active);
    taken.length = 0;
    await job(jobs, 'reconcile').run(ctx.clock.now());
    expect(reconciled(taken)).toEqual(active);
    expect(taken).not.toContain(SWEEP_LEASE_KEY);
    // The record forms' catch-up too runs on every local run, under no period.
    expect(taken).not.toContain(RECORD_FORMS_CATCH_UP_LEASE_KEY);
    await ctx.services.close();
  });
});

describe("the bot's credentials in a tenant", () => {
  const env = (overrides: Partial<TenantEnv>) => ({ CLIENT_ID: '66666666-7777-4888-9999-000000000000', TENANT_ID: '11111111-2222-4333-8444-555555555555', ...overrides });

  it('with a client secret too, the bot takes its tokens from the one MSAL client Graph uses, never holding the secret', async () => {
    const getToken = jest.fn(async (scope?: string) => `token-for-${scope}`);
    for (const e of [env({ CLIENT_SECRET: 's3cret' }), env({ CLIENT_SECRET: 's3cret', CLIENT_CERTIFICATE_PATH: '/keys/pt.pem' })]) {
      const credentials = tenantBotCredentials(e, { appToken: { getToken } });
      // Never the secret itself (an empty one stops the SDK falling back to process.env.CLIENT_SECRET).
      expect(credentials.clientSecret ?? '').toBe('');
      expect(await credentials.token!('https://api.botframework.com/.default')).toBe('token-for-https://api.botframework.com/.default');
    }
    // Without a provider (a test injecting its own token source), the secret goes to the SDK.
    expect(tenantBotCredentials(env({ CLIENT_SECRET: 's3cret' }), {})).toEqual({ clientId: env({}).CLIENT_ID, clientSecret: 's3cret', tenantId: env({}).TENANT_ID });
  });

  it('with a certificate only, the SDK asks the app token provider for whatever scope it needs', async () => {
    const getToken = jest.fn(async (scope?: string) => `token-for-${scope}`);
    const credentials = tenantBotCredentials(env({ CLIENT_CERTIFICATE_PATH: '/keys/pt.pem' }), { appToken: { getToken } });
    expect(credentials).not.toHaveProperty('clientSecret');
    expect(await credentials.token!('https://api.botframework.com/.default', 'tenant')).toBe('token-for-https://api.botframework.com/.default');
    expect(await credentials.token!(['https://api.botframework.com/.default'])).toBe('token-for-https://api.botframework.com/.default');
    expect(() => tenantBotCredentials(env({ CLIENT_CERTIFICATE_PATH: '/keys/pt.pem' }), {})).toThrow(/no app token provider/);
  });

  it('certificate-only tenant services lend their MSAL client, still without a request', async () => {
    fs.mkdirSync(dataDir, { recursive: true });
    const keyFile = path.join(dataDir, 'pt-key.pem');
    fs.writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const raw = tenantEnv({ CLIENT_CERTIFICATE_PATH: keyFile, CLIENT_CERTIFICATE_THUMBPRINT: 'AB'.repeat(20) });
    delete raw.CLIENT_SECRET;
    const config = loadConfig(raw, ROOT);
    const services = await createServices(config, log, clock, { graphBaseUrl: fake.baseUrl });
    expect(typeof services.appToken?.getToken).toBe('function');
    expect(typeof tenantBotCredentials(config.env as TenantEnv, services).token).toBe('function');
    expect(fake.httpRequests).toEqual([]);
    await services.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
