/**
 * Tenant mode, with real token validation over locally signed keys: only Bot
 * Framework channel tokens for this bot reach the Teams SDK at /api/messages
 * (the tab's Entra token and any other Entra token get 401), an activity's
 * serviceUrl must be Teams' and its tenant ours, and sign-in follows the people
 * group (a person removed from it gets 403 and their roles are gone).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { JWTPayload } from 'jose';
import { staticTokenSource } from '../../src/adapters/graph/graphAuth';
import { GraphHttp } from '../../src/adapters/graph/graphHttp';
import { MembershipGatedDirectory, PeopleGroupMembership } from '../../src/adapters/graph/peopleGroupMembership';
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import { EmbeddedWorkQueue } from '../../src/adapters/embedded/workQueue';
import { loadConfig } from '../../src/config/env';
import type { Person } from '../../src/domain/model';
import { createLogger } from '../../src/logging';
import type { Services } from '../../src/runtime/services';
import { botTokenOptions } from '../../src/runtime/botAuth';
import { createHttpApp } from '../../src/server/http';
import { tabTokenOptions } from '../../src/server/auth/tabTokens';
import { FakeGraph } from '../support/fakeGraph';
import { localKeys, nowSeconds, type LocalKeys } from '../support/localKeys';
import { checkRequests } from '../contract/requestContracts';

const TENANT = '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01';
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT_ID = '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c';
const APP_ID_URI = `api://pt.riverside.example/${CLIENT_ID}`;
const GROUP = '77777777-7777-4777-8777-777777777777';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

const ENV = {
  PT_MODE: 'tenant',
  PT_PUBLIC_URL: 'https://pt.riverside.example',
  PT_DATA_DIR: '/nonexistent',
  TENANT_ID: TENANT,
  CLIENT_ID,
  CLIENT_SECRET: 'not-used-here',
  APPLICATION_ID_URI: APP_ID_URI,
  SHAREPOINT_SITE_URL: 'https://riverside.sharepoint.com/sites/protected-time',
  PEOPLE_GROUP_ID: GROUP,
  TEAMS_APP_ID: '2b0c3a4e-9f6d-4c1e-8a7b-5d4c3b2a1f00',
};

const PRIYA: Person = {
  id: '5a1e0c1e-0001-4a00-8000-000000000001',
  aadObjectId: '5a1e0c1e-0001-4a00-8000-000000000001',
  displayName: 'Priya Shah',
  email: 'priya.shah@riverside.example',
  jobTitle: 'Head of Safeguarding',
  team: 'Safeguarding',
  roles: ['safeguarding-lead', 'auditor'],
};
const MALLORY_OID = '5a1e0c1e-0666-4a00-8000-000000000666';

let keys: LocalKeys;
let fake: FakeGraph;
let server: http.Server;
let base: string;
let services: Services;
const members = new Set<string>([PRIYA.aadObjectId!]);
/** What reached the stand-in for the Teams SDK. */
const delivered: unknown[] = [];
let clock = 0;

beforeAll(async () => {
  keys = await localKeys();
  fake = await FakeGraph.start();
  fake.on('POST', /^\/users\/[^/]+\/checkMemberGroups$/, (req) => {
    const oid = req.path.split('/')[2]!;
    return { body: { value: members.has(oid) ? [GROUP] : [] } };
  });
  const db = openDatabase(':memory:');
  const store = new EmbeddedStore(db);
  store.upsertPerson(PRIYA);
  const config = loadConfig(ENV, process.cwd());
  if (config.env.PT_MODE !== 'tenant') throw new Error('unreachable');
  const graph = new GraphHttp({ token: staticTokenSource('t'), baseUrl: fake.baseUrl, baseDelayMs: 1 });
  services = {
    config,
    log: createLogger('silent'),
    clock: { now: () => new Date('2026-11-23T09:00:00.000Z') },
    policies: new Map(),
    store,
    directory: new MembershipGatedDirectory(store, new PeopleGroupMembership(graph, GROUP, 60_000, () => clock)),
    work: new EmbeddedWorkQueue(db),
    calendar: {} as Services['calendar'],
    async close() {
      db.close();
    },
  };
  const bot = express();
  bot.post('/api/messages', (req, res) => {
    delivered.push(req.body);
    res.status(200).json({});
  });
  const app = createHttpApp(services, {
    startedAt: new Date(),
    tokenOptions: tabTokenOptions(config.env, { keys: keys.entraJwks }),
    bot,
    botAuth: botTokenOptions(config.env, { keys: keys.botKeys }),
  });
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await services?.close();
  await fake?.close();
});

beforeEach(() => {
  delivered.length = 0;
});

function activity(overrides: Record<string, unknown> = {}) {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: 'a1',
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: '29:priya', aadObjectId: PRIYA.aadObjectId },
    recipient: { id: `28:${CLIENT_ID}` },
    conversation: { id: 'a:1', conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    value: { action: { type: 'Action.Execute', verb: 'record.refresh', data: {} } },
    ...overrides,
  };
}

const botClaims = (overrides: JWTPayload = {}): JWTPayload => ({
  iss: 'https://api.botframework.com',
  aud: CLIENT_ID,
  serviceurl: SERVICE_URL,
  iat: nowSeconds() - 10,
  nbf: nowSeconds() - 10,
  exp: nowSeconds() + 3600,
  ...overrides,
});

const tabClaims = (overrides: JWTPayload = {}): JWTPayload => ({
  iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  aud: CLIENT_ID,
  tid: TENANT,
  oid: PRIYA.aadObjectId,
  azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
  scp: 'access_as_user',
  iat: nowSeconds() - 10,
  nbf: nowSeconds() - 10,
  exp: nowSeconds() + 3600,
  ...overrides,
});

async function post(body: unknown, token?: string, contentType = 'application/json') {
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, body: await res.json() };
}

describe('/api/messages in tenant mode', () => {
  it('lets a Bot Framework channel token for this bot through to the Teams SDK', async () => {
    const res = await post(activity(), await keys.botFramework(botClaims()));
    expect(res.status).toBe(200);
    expect(delivered).toHaveLength(1);
  });

  it("refuses the tab's own sign-in token, and any other Entra token, with 401", async () => {
    const tokens = [
      await keys.entra(tabClaims()),
      await keys.entra(tabClaims({ iss: `https://sts.windows.net/${TENANT}/`, aud: APP_ID_URI })),
      // An app-only Entra token for the bot's app id (what the SDK accepts for agentic identities).
      await keys.entra({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: CLIENT_ID, tid: TENANT, azp: CLIENT_ID, roles: ['x'], iat: nowSeconds(), exp: nowSeconds() + 600 }),
      // An Entra-signed token dressed up with the Bot Framework's issuer.
      await keys.entra(botClaims()),
    ];
    for (const token of tokens) {
      const res = await post(activity(), token);
      expect(res).toEqual({ status: 401, body: { error: 'Bot Framework authentication required' } });
    }
    expect(delivered).toEqual([]);
  });

  it('refuses Bot Framework tokens that are not for this activity, this bot or this time', async () => {
    const cases: Array<[string, string]> = [
      ['wrong audience', await keys.botFramework(botClaims({ aud: '00000000-0000-0000-0000-000000000001' }))],
      ['wrong issuer', await keys.botFramework(botClaims({ iss: 'https://login.botframework.com' }))],
      ['expired', await keys.botFramework(botClaims({ exp: nowSeconds() - 900, iat: nowSeconds() - 4000, nbf: nowSeconds() - 4000 }))],
      ['serviceurl claim for another URL', await keys.botFramework(botClaims({ serviceurl: 'https://smba.trafficmanager.net/amer/' }))],
      ['no serviceurl claim', await keys.botFramework(botClaims({ serviceurl: undefined }))],
      ['unpublished key', await keys.stranger(botClaims(), 'botframework')],
      ['unknown kid', await keys.stranger(botClaims(), 'nobody')],
    ];
    for (const [why, token] of cases) {
      const res = await post(activity(), token);
      expect({ why, status: res.status }).toEqual({ why, status: 401 });
    }
    expect((await post(activity())).status).toBe(401);
    expect((await post(activity(), 'not-a-jwt')).status).toBe(401);
    expect(delivered).toEqual([]);
  });

  it('refuses a serviceUrl that is not Teams, even when the token signs it', async () => {
    for (const url of ['https://attacker.example/', 'http://smba.trafficmanager.net/emea/', 'https://smba.trafficmanager.net.attacker.example/', 'https://user:pw@smba.trafficmanager.net/emea/']) {
      const res = await post(activity({ serviceUrl: url }), await keys.botFramework(botClaims({ serviceurl: url })));
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
    }
    expect(delivered).toEqual([]);
  });

  it("refuses an activity from another organisation's tenant, or from another channel", async () => {
    const token = await keys.botFramework(botClaims());
    const other = await post(activity({ conversation: { id: 'a:1', conversationType: 'personal', tenantId: OTHER_TENANT }, channelData: { tenant: { id: OTHER_TENANT } } }), token);
    expect(other).toEqual({ status: 403, body: { error: 'Refused' } });
    expect((await post(activity({ conversation: { id: 'a:1' }, channelData: {} }), token)).status).toBe(403);
    expect((await post(activity({ channelId: 'webchat' }), token)).status).toBe(403);
    expect(delivered).toEqual([]);
  });

  it('answers malformed requests with JSON errors, never the SDK or an HTML page', async () => {
    const token = await keys.botFramework(botClaims());
    expect((await post('hello', token, 'text/plain')).status).toBe(415);
    expect((await post('{"type":', token)).status).toBe(400);
    expect((await post('[]', token)).status).toBe(400);
    expect((await post({ ...activity(), text: 'x'.repeat(300_000) }, token)).status).toBe(413);
    expect((await post('{"type":"message","__proto__":{"admin":true}}', token)).status).toBe(400);
    expect(delivered).toEqual([]);
  });
});

describe('sign-in follows the people group', () => {
  it('a person removed from the group gets 403, and their roles are gone', async () => {
    const token = await keys.entra(tabClaims());
    const before = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(before.status).toBe(200);
    expect((await before.json()).person.roles).toEqual(['safeguarding-lead', 'auditor']);

    members.delete(PRIYA.aadObjectId!);
    clock += 60_001; // the membership answer is remembered for a minute here (five in the app)
    const after = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(403);
    expect(await after.json()).toEqual({ error: 'Your account is not set up in Protected Time' });
    expect((await fetch(`${base}/api/v1/compliance`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    expect((await services.directory.getPerson(PRIYA.id))?.roles).toEqual([]);
    expect(await services.directory.findByAadObjectId(PRIYA.aadObjectId!)).toBeUndefined();
  });

  it('someone in the tenant but never in the group gets 403', async () => {
    const res = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${await keys.entra(tabClaims({ oid: MALLORY_OID }))}` } });
    expect(res.status).toBe(403);
  });

  it('checks membership with requests that match Graph v1.0', () => {
    expect(fake.to('POST', /checkMemberGroups$/).length).toBeGreaterThan(0);
    const { violations, bodiesChecked } = checkRequests(fake.requests);
    expect(violations).toEqual([]);
    expect(bodiesChecked).toBeGreaterThan(0);
  });
});
