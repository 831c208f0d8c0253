/**
 * The tab API in tenant mode, over HTTP: callers are identified only by an
 * Entra access token (signed here with a local key, served from a local
 * JWKS), mapped to a person by object id. The directory and store are the
 * embedded adapters over an in-memory database; the calendar is a stub.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { openDatabase } from '../../src/adapters/embedded/db';
import { EmbeddedWorkQueue } from '../../src/adapters/embedded/workQueue';
import { EmbeddedStore } from '../../src/adapters/embedded/store';
import { loadConfig } from '../../src/config/env';
import type { Person } from '../../src/domain/model';
import { createLogger } from '../../src/logging';
import type { CalendarPort } from '../../src/ports/calendar';
import type { Services } from '../../src/runtime/services';
import { createHttpApp } from '../../src/server/http';
import { tabTokenOptions } from '../../src/server/auth/tabTokens';

const TENANT = '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01';
const CLIENT_ID = '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c';
const APP_ID_URI = `api://pt.riverside.example/${CLIENT_ID}`;
const KID = 'tenant-auth-test';

const TENANT_ENV = {
  PT_MODE: 'tenant',
  PT_PUBLIC_URL: 'https://pt.riverside.example',
  PT_DATA_DIR: '/nonexistent',
  TENANT_ID: TENANT,
  CLIENT_ID,
  CLIENT_SECRET: 'not-used-here',
  APPLICATION_ID_URI: APP_ID_URI,
  SHAREPOINT_SITE_URL: 'https://riverside.sharepoint.com/sites/protected-time',
  PEOPLE_GROUP_ID: '77777777-7777-4777-8777-777777777777',
  TEAMS_APP_ID: '2b0c3a4e-9f6d-4c1e-8a7b-5d4c3b2a1f00',
};

const DANIEL: Person = {
  id: 'daniel-okafor',
  displayName: 'Daniel Okafor',
  email: 'daniel.okafor@riverside.example',
  aadObjectId: '5a1e0c1e-0002-4a00-8000-000000000002',
  jobTitle: 'Team Manager',
  team: 'Children and Families',
  roles: ['supervisor'],
};

const stubCalendar: CalendarPort = {
  getSchedule: async () => new Map(),
  getWorkingHours: async () => undefined,
  listEvents: async () => [],
  repairAppTag: async () => undefined,
  createEvent: async () => {
    throw new Error('not in this test');
  },
  moveOccurrence: async () => undefined,
  cancelOccurrence: async () => undefined,
};

let server: http.Server;
let base: string;
let services: Services;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256' };

  const db = openDatabase(':memory:');
  const store = new EmbeddedStore(db);
  store.upsertPerson(DANIEL);
  const config = loadConfig(TENANT_ENV, process.cwd());
  expect(config.mode).toBe('tenant');
  services = {
    config,
    log: createLogger('silent'),
    clock: { now: () => new Date('2026-11-23T09:00:00.000Z') },
    policies: new Map(),
    store,
    directory: store,
    work: new EmbeddedWorkQueue(db),
    calendar: stubCalendar,
    async close() {
      db.close();
    },
  };
  if (config.env.PT_MODE !== 'tenant') throw new Error('unreachable');
  const tokenOptions = tabTokenOptions(config.env, { keys: createLocalJWKSet({ keys: [jwk] }) });
  server = http.createServer(createHttpApp(services, { startedAt: new Date(), tokenOptions }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await services?.close();
});

const now = () => Math.floor(Date.now() / 1000);

function token(overrides: JWTPayload = {}): Promise<string> {
  return new SignJWT({
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    aud: CLIENT_ID,
    tid: TENANT,
    oid: DANIEL.aadObjectId,
    scp: 'access_as_user',
    azp: CLIENT_ID, // nested app auth: the app asks as itself
    preferred_username: DANIEL.email,
    iat: now() - 10,
    nbf: now() - 10,
    exp: now() + 3600,
    ...overrides,
  })
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
    .sign(privateKey);
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
const bearer = async (overrides?: JWTPayload) => ({ authorization: `Bearer ${await token(overrides)}` });

describe('tab API in tenant mode', () => {
  it('tells the tab which app to sign in to', async () => {
    const res = await get('/api/v1/config');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ mode: 'tenant', tenantId: TENANT, clientId: CLIENT_ID, applicationIdUri: APP_ID_URI });
  });

  it('answers /me for a known person with a valid token', async () => {
    const res = await get('/api/v1/me', await bearer());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.person).toMatchObject({ id: 'daniel-okafor', displayName: 'Daniel Okafor' });
  });

  it('accepts a v1.0 token from Teams SSO (Application ID URI audience)', async () => {
    const res = await get('/api/v1/me', await bearer({ iss: `https://sts.windows.net/${TENANT}/`, aud: APP_ID_URI, azp: undefined, appid: '1fec8e78-bce4-4aaf-ab1b-5451cc387264' }));
    expect(res.status).toBe(200);
  });

  it('refuses a request with no token, and never trusts the local picker header', async () => {
    const none = await get('/api/v1/me');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'Sign-in required' });
    expect((await get('/api/v1/me', { 'x-pt-local-user': 'daniel-okafor' })).status).toBe(401);
    expect((await get('/api/v1/me', { authorization: 'Basic ZGFuaWVsOnB3' })).status).toBe(401);
  });

  it('refuses invalid tokens with 401', async () => {
    for (const bad of [
      { aud: '00000003-0000-0000-c000-000000000000' },
      { iss: 'https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555/v2.0' },
      { tid: '11111111-2222-4333-8444-555555555555' },
      { exp: now() - 600, iat: now() - 4000, nbf: now() - 4000 },
      { scp: 'User.Read' },
      // Another app in the tenant that obtained a token for our scope (v2.0 azp, v1.0 appid).
      { azp: '00000000-1111-4222-8333-444444444444' },
      { azp: undefined, appid: '00000000-1111-4222-8333-444444444444' },
      { azp: undefined },
    ]) {
      const res = await get('/api/v1/me', await bearer(bad));
      expect({ bad, status: res.status }).toEqual({ bad, status: 401 });
      expect(await res.json()).toEqual({ error: 'Sign-in expired or invalid' });
    }
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: CLIENT_ID, tid: TENANT, oid: DANIEL.aadObjectId, scp: 'access_as_user', iat: now(), exp: now() + 600 })
      .setProtectedHeader({ alg: 'RS256', kid: KID })
      .sign(other.privateKey);
    expect((await get('/api/v1/me', { authorization: `Bearer ${forged}` })).status).toBe(401);
  });

  it('answers 403 for a valid token whose person is not set up in Protected Time', async () => {
    const res = await get('/api/v1/me', await bearer({ oid: '5a1e0c1e-9999-4a00-8000-000000000999' }));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'Your account is not set up in Protected Time' });
  });

  it('offers no "sign in as" picker in a tenant', async () => {
    expect((await get('/api/v1/sign-in-options')).status).toBe(404);
  });
});
