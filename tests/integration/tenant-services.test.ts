/**
 * Tenant mode's composition root (src/runtime/services.ts) against a fake
 * Microsoft Graph with SharePoint behind it: createServices builds the Graph
 * directory and calendar, the SharePoint store, work queue, quality store and
 * subscription registry from the environment without a single request, and
 * each port then works end to end through the fakes (every SharePoint request
 * checked against the Graph metadata and the lists' columns).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TokenSource } from '../../src/adapters/graph/graphAuth';
import { loadConfig } from '../../src/config/env';
import type { Person, Relationship } from '../../src/domain/model';
import { createLogger } from '../../src/logging';
import { systemClock } from '../../src/ports/clock';
import { DirectoryAddresses } from '../../src/adapters/graph/directoryAddresses';
import { createServices, type Services } from '../../src/runtime/services';
import { aPerson } from '../support/builders';
import { FakeGraph, fixture } from '../support/fakeGraph';
import { type FakeSharePoint, sharePointViolations } from '../support/fakeSharePoint';
import { PEOPLE_GROUP as GROUP, provisionedTenantSite, tenantEnvFor } from '../support/tenantServices';

const ROOT = path.resolve(__dirname, '..', '..');
const RIA = '11111111-1111-4111-8111-111111111111';
const SAM = '22222222-2222-4222-8222-222222222222';
const OLA = '33333333-3333-4333-8333-333333333333';
const notFound = { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: "Resource 'x' does not exist" } } };

let fake: FakeGraph;
let sp: FakeSharePoint;
let dataDir: string;

function tenantEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return tenantEnvFor({ sp, dataDir }, overrides);
}

const log = createLogger('silent');

beforeAll(async () => {
  fake = await FakeGraph.start();
});
afterAll(() => fake.close());

beforeEach(async () => {
  ({ sp, dataDir } = await provisionedTenantSite(fake, 'pt-tenant'));
});

afterEach(() => {
  // SharePoint's rules for SharePoint requests; getSchedule's body is checked in graph-calendar.contract.test.ts.
  expect(sharePointViolations(fake.requests.filter((r) => !r.path.endsWith('/calendar/getSchedule')), sp)).toEqual([]);
  expect(fake.unmatched).toEqual([]);
});

/** Tenant services over the fakes, counting tokens asked for and requests sent. */
async function tenantServices(): Promise<{ services: Services; counts: { tokens: number; fetches: number } }> {
  const counts = { tokens: 0, fetches: 0 };
  const tokenSource: TokenSource = {
    getToken: async () => {
      counts.tokens += 1;
      return 'fake-app-token';
    },
  };
  const countingFetch: typeof fetch = (input, init) => {
    counts.fetches += 1;
    return fetch(input, init);
  };
  const services = await createServices(loadConfig(tenantEnv(), ROOT), log, systemClock, { graphBaseUrl: fake.baseUrl, tokenSource, fetch: countingFetch, graphBaseDelayMs: 1 });
  return { services, counts };
}

describe('tenant mode: composition', () => {
  it('builds every port without a request or a token, and has no embedded adapters', async () => {
    const { services, counts } = await tenantServices();
    expect(counts).toEqual({ tokens: 0, fetches: 0 });
    expect(fake.httpRequests).toEqual([]);
    expect(services.config.mode).toBe('tenant');
    expect(services.embedded).toBeUndefined();
    expect(services.policies.size).toBeGreaterThan(0);
    // No local database either.
    expect(fs.existsSync(dataDir)).toBe(false);
    await services.close();
  });

  it('builds with the real token provider from the client secret, still without a request', async () => {
    const services = await createServices(loadConfig(tenantEnv(), ROOT), log, systemClock, { graphBaseUrl: fake.baseUrl });
    expect(services.embedded).toBeUndefined();
    expect(fake.httpRequests).toEqual([]);
    await services.close();
  });

  it('stops at start-up when the certificate cannot be read, naming the variable', async () => {
    const env = tenantEnv({ CLIENT_CERTIFICATE_PATH: path.join(dataDir, 'missing.pem'), CLIENT_CERTIFICATE_THUMBPRINT: 'A'.repeat(40) });
    await expect(createServices(loadConfig(env, ROOT), log, systemClock, { graphBaseUrl: fake.baseUrl })).rejects.toThrow(/CLIENT_CERTIFICATE_PATH .* cannot be read/);
  });

  it('needs PEOPLE_GROUP_ID in tenant mode', () => {
    const env = tenantEnv();
    delete env.PEOPLE_GROUP_ID;
    expect(() => loadConfig(env, ROOT)).toThrow(/PEOPLE_GROUP_ID \(not set\)/);
    expect(() => loadConfig({ ...env, PEOPLE_GROUP_ID: 'people' }, ROOT)).toThrow(/PEOPLE_GROUP_ID \("people"\): must be a GUID/);
  });
});

describe('tenant mode: round trips through the fakes', () => {
  const rel: Relationship = { id: 'r1', kind: 'individual', supervisorId: RIA, superviseeIds: [SAM], policyId: 'p', staffGroupId: 'g', startedOn: '2026-01-01', active: true };

  it('store and work queue: SharePoint lists on the configured site', async () => {
    const { services, counts } = await tenantServices();
    await services.store.saveRelationship(rel);
    expect(await services.store.getRelationship('r1')).toEqual(rel);
    expect(sp.items('pt-relationships')).toHaveLength(1);

    const now = '2026-12-01T09:00:00.000Z';
    expect(await services.work.enqueue('rebook', 's-1', { sessionId: 's-1' }, now)).toBe(true);
    expect(await services.work.enqueue('rebook', 's-1', { sessionId: 's-1' }, now)).toBe(false);
    const [item] = await services.work.lease('rebook', 'worker-1', now, 60_000, 10);
    expect(item).toMatchObject({ kind: 'rebook', key: 's-1', payload: { sessionId: 's-1' }, attempts: 1 });
    await services.work.complete(item!.id, 'worker-1', { offered: 2 }, now);
    expect(await services.work.result('rebook', 's-1')).toEqual({ offered: 2 });
    expect(await services.work.acquireLease('reconcile:r1', 'worker-1', now, 60_000)).toBe(true);
    expect(sp.items('pt-outbox')).toHaveLength(1);
    expect(sp.items('pt-leases')).toHaveLength(1);

    // Every request carried the app token; the token source was asked each time (MSAL caches in production).
    expect(fake.httpRequests.every((r) => r.headers.authorization === 'Bearer fake-app-token')).toBe(true);
    expect(counts.fetches).toBe(fake.httpRequests.length);
    expect(counts.tokens).toBe(fake.httpRequests.length);
  });

  it('quality: QA grades in pt-qa-grades, change detection state in pt-subscriptions and pt-calendar-delta', async () => {
    const { services } = await tenantServices();
    const grade = { id: 'qa-1', recordId: 'rec-1', relationshipId: 'r1', auditorId: OLA, category: 'support' as const, comment: 'Clear plan.', at: '2026-12-01T09:00:00.000Z' };
    await services.quality!.saveGrade(grade);
    expect(await services.quality!.listGrades({ relationshipIds: ['r1'] })).toEqual([grade]);
    expect(sp.items('pt-qa-grades')).toHaveLength(1);

    const registry = services.graph!.registry;
    await registry.markNotified(SAM, '2026-12-01T09:00:00.000Z');
    expect(await registry.listDelta()).toEqual([{ personId: SAM, notifiedAt: '2026-12-01T09:00:00.000Z' }]);
    expect(sp.items('pt-calendar-delta')).toHaveLength(1);
    expect(await registry.list()).toEqual([]);
  });

  it('directory: Entra users merged with the pt-people profile the store reads', async () => {
    const { services } = await tenantServices();
    sp.list('pt-people')!.items.push({
      id: 1,
      guid: '0b5f3c1e-1111-4aaa-8bbb-000000000001',
      version: 1,
      created: '2026-11-01T00:00:00Z',
      modified: '2026-11-01T00:00:00Z',
      fields: { aadObjectId: SAM, roles: 'practitioner; supervisor', policyId: 'childrens-services', staffGroupId: 'social-workers' },
    });
    fake.on('GET', `/users/${SAM}`, { body: fixture('user') });
    fake.on('GET', `/users/${SAM}/manager`, { body: fixture('manager') });
    const person = await services.directory.getPerson(SAM);
    expect(person).toMatchObject<Partial<Person>>({
      id: SAM,
      aadObjectId: SAM,
      displayName: 'Sam Okafor',
      email: 'sam.okafor@contoso.example',
      roles: ['practitioner', 'supervisor'],
      policyId: 'childrens-services',
      staffGroupId: 'social-workers',
      lineManagerId: RIA,
    });
  });

  it('calendar: a person id is their Entra object id, event addresses map back through the people group', async () => {
    const { services } = await tenantServices();
    fake.on('GET', /^\/users\/[^/]+\/manager$/, notFound);
    fake.on('GET', `/groups/${GROUP}/transitiveMembers/microsoft.graph.user`, (req) => ({ body: fixture(req.query.$skiptoken ? 'transitiveMembers-page2' : 'transitiveMembers-page1') }));
    fake.on('GET', `/users/${RIA}/calendarView`, (req) => ({ body: fixture(req.query.$skip ? 'calendarView-page2' : 'calendarView-page1') }));
    // Before any listing, whose calendar it is comes from Entra for that one person.
    fake.on('GET', `/users/${RIA}`, { body: { ...fixture<Record<string, unknown>>('user'), id: RIA, displayName: 'Ria Shah', mail: 'ria.shah@contoso.example' } });

    const events = await services.calendar.listEvents(RIA, { start: '2026-11-23T00:00:00.000Z', end: '2026-12-07T00:00:00.000Z' });
    expect(events[0]).toMatchObject({ id: 'AAMkOcc1=', organiserId: RIA, attendees: [{ personId: SAM, response: 'accepted' }] });
    // A guest is nobody in the app: they keep their address as organiser, and are never an attendee.
    expect(events.flatMap((e) => e.attendees.map((a) => a.personId)).every((id) => [RIA, SAM, OLA].includes(id))).toBe(true);
    expect(events.find((e) => e.id === 'AAMkCancelled1=')?.organiserId).toBe('dee.morgan@contoso.example');

    // The group was listed once (both pages), and is reused for the next call, which needs no lookup of its own.
    const listings = () => fake.to('GET', `/groups/${GROUP}/transitiveMembers/microsoft.graph.user`).length;
    expect(listings()).toBe(2);
    expect(fake.to('GET', `/users/${RIA}`)).toHaveLength(1);
    await services.calendar.listEvents(RIA, { start: '2026-11-23T00:00:00.000Z', end: '2026-12-07T00:00:00.000Z' });
    expect(listings()).toBe(2);
    expect(fake.to('GET', `/users/${RIA}`)).toHaveLength(1);
    expect(fake.to('GET', `/users/${RIA}/calendarView`)).toHaveLength(4);
  });

  it('calendar: someone not yet in the listing is looked up on their own, and one without mail is refused by name', async () => {
    const { services } = await tenantServices();
    fake.on('GET', /^\/users\/[^/]+\/manager$/, notFound);
    fake.on('GET', `/users/${OLA}`, { body: { ...fixture<Record<string, unknown>>('user'), id: OLA, mail: null, userPrincipalName: null } });
    fake.on('GET', `/users/${SAM}`, { body: fixture('user') });
    fake.on('POST', `/users/${SAM}/calendar/getSchedule`, { body: { value: [{ scheduleId: 'sam.okafor@contoso.example', scheduleItems: [], workingHours: fixture('workingHours') }] } });
    expect(await services.calendar.getWorkingHours(SAM)).toMatchObject({ days: expect.any(Array), timeZone: expect.any(String) });
    await expect(services.calendar.getWorkingHours(OLA)).rejects.toThrow(`person ${OLA} has no mail address in Entra ID`);
    expect(fake.to('GET', `/users/${SAM}`)).toHaveLength(1);
  });
});

describe('DirectoryAddresses', () => {
  it('reuses one listing until it is stale, and does not keep a failed one', async () => {
    let t = 0;
    let listings = 0;
    let fail = true;
    const directory = {
      listPeople: async () => {
        listings += 1;
        if (fail) throw new Error('Graph is down');
        return [aPerson({ id: RIA, email: 'Ria.Shah@contoso.example' })];
      },
      getPerson: async () => undefined,
      findByAadObjectId: async () => undefined,
      getLineManager: async () => undefined,
    };
    const addresses = new DirectoryAddresses(directory, 1000, () => t);
    await expect(addresses.personId({ email: 'ria.shah@contoso.example' })).rejects.toThrow('Graph is down');
    fail = false;
    expect(await Promise.all([addresses.personId({ email: 'ria.shah@contoso.example' }), addresses.personId({ aadObjectId: RIA })])).toEqual([RIA, RIA]);
    expect(await addresses.personId({ email: 'guest@fabrikam.example' })).toBeUndefined();
    expect(await addresses.personId({ aadObjectId: SAM })).toBeUndefined();
    expect(await addresses.user(RIA)).toEqual({ id: RIA, mail: 'Ria.Shah@contoso.example' });
    expect(listings).toBe(2);
    t = 1000;
    await addresses.personId({ email: 'ria.shah@contoso.example' });
    expect(listings).toBe(3);
    await expect(addresses.user(SAM)).rejects.toThrow(`person ${SAM} is not in the directory`);
  });
});
