/**
 * The one MSAL client (src/adapters/graph/graphAuth.ts) against the Microsoft
 * 365 simulator's Entra ID, over https with its throw-away certificate: tokens
 * come from MSAL's cache until Graph answers 401, then once past the cache, and
 * the refused request is sent again with the new token.
 */
import { z } from 'zod';
import { msalTokenSource } from '../../src/adapters/graph/graphAuth';
import { GraphHttp } from '../../src/adapters/graph/graphHttp';
import type { RecordedRequest } from '../support/fakeGraph';
import { M365Sim } from '../support/m365sim/simulator';

const TENANT = '00000000-0000-4000-8000-0000000000aa';
const CLIENT = '00000000-0000-4000-8000-0000000000bb';
const USER = '00000000-0000-4000-8000-0000000000cc';

let sim: M365Sim;
beforeAll(async () => {
  sim = await M365Sim.start({ tenantId: TENANT, clientId: CLIENT, teamsAppId: 'teams-app', roles: ['User.Read.All'] });
  sim.addUser({ id: USER, displayName: 'Sam Patel', mail: 'sam@contoso.example' });
});
afterAll(async () => {
  await sim?.close();
});

const tokenRequests = () => sim.graph.requests.filter((r) => r.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(r.path));
const userCalls = () => sim.graph.requests.filter((r) => r.method === 'GET' && r.path === `/users/${USER}`);

test('a 401 gets one token past MSAL\'s cache and one more attempt; otherwise the cached token serves', async () => {
  const tokens = msalTokenSource({ tenantId: TENANT, clientId: CLIENT, clientSecret: 'simulated-secret' }, { authorityHost: sim.loginBaseUrl });
  const http = new GraphHttp({ token: tokens, baseUrl: sim.graphBaseUrl, baseDelayMs: 5 });
  const getUser = () => http.json({ call: 'getUser', method: 'GET', path: `/users/${USER}` }, z.object({ id: z.string() }));

  await expect(getUser()).resolves.toEqual({ id: USER });
  await expect(getUser()).resolves.toEqual({ id: USER });
  expect(tokenRequests()).toHaveLength(1);

  // Graph refuses the next request once, as it does a token revoked before it expired.
  let refused = false;
  const refuseOnce = (req: RecordedRequest) => {
    if (refused || req.path !== `/users/${USER}`) return undefined;
    refused = true;
    return { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' } } };
  };
  sim.graph.interceptors.unshift(refuseOnce);
  await expect(getUser()).resolves.toEqual({ id: USER });
  expect(tokenRequests()).toHaveLength(2);
  expect(userCalls()).toHaveLength(4);
  expect(userCalls()[3]!.headers.authorization).toMatch(/^Bearer ey/);
});
