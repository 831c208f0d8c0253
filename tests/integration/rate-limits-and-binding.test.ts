/**
 * One person looping a request slows only themselves (429 with Retry-After,
 * per person, as JSON); local mode listens on loopback unless told otherwise;
 * a tenant's Content-Security-Policy lets no localhost frame the tab.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopback, loadConfig } from '../../src/config/env';
import { createHttpApp } from '../../src/server/http';
import { TokenBuckets } from '../../src/server/rateLimit';
import { testServices } from '../support/services';

describe('per-person rate limits', () => {
  let ctx: Awaited<ReturnType<typeof testServices>>;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    ctx = await testServices({ now: '2026-11-23T09:00:00.000Z' });
    server = http.createServer(createHttpApp(ctx.services, { startedAt: new Date(), rateLimits: { api: { burst: 5, perSecond: 0.01 }, planning: { burst: 1, perSecond: 0.01 } } }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await ctx.services.close();
  });
  const me = (user: string) => fetch(`${base}/api/v1/me`, { headers: { 'x-pt-local-user': user } });

  it('refuses one person past their burst, with Retry-After, and leaves everyone else alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await me('sam-patel')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await me('sam-patel');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ error: expect.stringContaining('Too many requests') });
    expect((await me('daniel-okafor')).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('limits planning more tightly than the rest of the API', async () => {
    const plan = () => fetch(`${base}/api/v1/plan`, { method: 'POST', headers: { 'x-pt-local-user': 'grace-whitfield', 'content-type': 'application/json' }, body: JSON.stringify({ relationshipId: 'rel-grace-tom' }) });
    expect((await plan()).status).toBe(200);
    expect((await plan()).status).toBe(429);
    expect((await me('grace-whitfield')).status).toBe(200);
  });

  it('refills over time', () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 2, perSecond: 1 }, () => now);
    expect([b.take('k'), b.take('k'), b.take('k')]).toEqual([0, 0, 1]);
    now += 1000;
    expect(b.take('k')).toBe(0);
  });
});

describe('where the app listens', () => {
  it('local mode: loopback by default; another address needs PT_LOCAL_ALLOW_NETWORK', () => {
    expect(loadConfig({ PT_MODE: 'local' }).host).toBe('127.0.0.1');
    expect(() => loadConfig({ PT_MODE: 'local', PT_HOST: '0.0.0.0' })).toThrow(/PT_HOST.*loopback only.*PT_LOCAL_ALLOW_NETWORK/s);
    expect(loadConfig({ PT_MODE: 'local', PT_HOST: '0.0.0.0', PT_LOCAL_ALLOW_NETWORK: 'true' }).host).toBe('0.0.0.0');
    expect(loadConfig({ PT_MODE: 'local', PT_HOST: '::1' }).host).toBe('::1');
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3']) expect({ h, loop: isLoopback(h) }).toEqual({ h, loop: true });
    for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.org']) expect({ h, loop: isLoopback(h) }).toEqual({ h, loop: false });
  });
});

describe('who may frame the tab', () => {
  it('a tenant allows no localhost; local mode allows it for the Playground', async () => {
    const tenant = loadConfig({
      PT_MODE: 'tenant', PT_PUBLIC_URL: 'https://pt.example', PT_DATA_DIR: '/nonexistent', TENANT_ID: '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01', CLIENT_ID: '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c',
      CLIENT_SECRET: 'x', APPLICATION_ID_URI: 'api://pt.example/6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c', SHAREPOINT_SITE_URL: 'https://x.sharepoint.com/sites/pt',
      PEOPLE_GROUP_ID: '77777777-7777-4777-8777-777777777777', TEAMS_APP_ID: '2b0c3a4e-9f6d-4c1e-8a7b-5d4c3b2a1f00',
    });
    const ctx = await testServices();
    for (const [config, expectLocalhost] of [[tenant, false], [ctx.services.config, true]] as const) {
      const server = http.createServer(createHttpApp({ ...ctx.services, config }, { startedAt: new Date() }));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      expect(res.headers.get('content-security-policy')?.includes('localhost')).toBe(expectLocalhost);
      await new Promise((r) => server.close(r));
    }
    await ctx.services.close();
  });
});
