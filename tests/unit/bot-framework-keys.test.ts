/**
 * The Bot Framework's keys come from its OpenID metadata, at a configurable
 * address (PT_BOT_OPENID_METADATA_URL): here a local server publishes locally
 * generated keys, with endorsements, the way login.botframework.com does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { loadConfig } from '../../src/config/env';
import { botTokenOptions } from '../../src/runtime/botAuth';
import { verifyBotFrameworkRequest } from '../../src/server/auth/botFrameworkToken';

const TENANT = '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01';
const CLIENT_ID = '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

it('fetches the keys named by the OpenID metadata, once, and checks endorsements', async () => {
  const teams = await generateKeyPair('RS256');
  const webchat = await generateKeyPair('RS256');
  const keys = [
    { ...(await exportJWK(teams.publicKey)), kid: 'k-teams', kty: 'RSA', endorsements: ['msteams', 'skype'] },
    { ...(await exportJWK(webchat.publicKey)), kid: 'k-webchat', kty: 'RSA', endorsements: ['webchat'] },
  ];
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') return void res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/.well-known/keys` }));
    if (req.url === '/v1/.well-known/keys') return void res.end(JSON.stringify({ keys }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const metadata = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
    const config = loadConfig({
      PT_MODE: 'tenant', PT_PUBLIC_URL: 'https://pt.example', TENANT_ID: TENANT, CLIENT_ID, CLIENT_SECRET: 'x', APPLICATION_ID_URI: `api://pt.example/${CLIENT_ID}`,
      SHAREPOINT_SITE_URL: 'https://x.sharepoint.com/sites/pt', PEOPLE_GROUP_ID: '77777777-7777-4777-8777-777777777777', TEAMS_APP_ID: '2b0c3a4e-9f6d-4c1e-8a7b-5d4c3b2a1f00',
      PT_BOT_OPENID_METADATA_URL: metadata,
    });
    if (config.env.PT_MODE !== 'tenant') throw new Error('unreachable');
    const opts = botTokenOptions(config.env);
    const now = Math.floor(Date.now() / 1000);
    const sign = (key: CryptoKey, kid: string) =>
      new SignJWT({ iss: 'https://api.botframework.com', aud: CLIENT_ID, serviceurl: SERVICE_URL, iat: now, exp: now + 600 }).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
    const activity = { channelId: 'msteams', serviceUrl: SERVICE_URL, conversation: { tenantId: TENANT } };
    await expect(verifyBotFrameworkRequest(`Bearer ${await sign(teams.privateKey, 'k-teams')}`, activity, opts)).resolves.toBeUndefined();
    await expect(verifyBotFrameworkRequest(`Bearer ${await sign(teams.privateKey, 'k-teams')}`, activity, opts)).resolves.toBeUndefined();
    // A key the Bot Framework endorses only for Web Chat cannot sign a Teams activity.
    await expect(verifyBotFrameworkRequest(`Bearer ${await sign(webchat.privateKey, 'k-webchat')}`, activity, opts)).rejects.toMatchObject({ status: 401 });
    expect(hits.filter((h) => h.endsWith('/keys'))).toHaveLength(1); // cached, not fetched per request
  } finally {
    await new Promise((r) => server.close(r));
  }
});
