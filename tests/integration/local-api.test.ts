import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../../src/server/http';
import { testServices } from '../support/services';

let server: http.Server;
let base: string;
let ctx: Awaited<ReturnType<typeof testServices>>;

beforeAll(async () => {
  ctx = await testServices({ now: '2026-11-23T09:00:00.000Z' });
  server = http.createServer(createHttpApp(ctx.services, { startedAt: new Date() }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await ctx.services.close();
});

const get = (path: string, user?: string) => fetch(`${base}${path}`, { headers: user ? { 'x-pt-local-user': user } : {} });

describe('tab API in local mode', () => {
  it('reports health', async () => {
    const res = await get('/healthz');
    expect(await res.json()).toMatchObject({ status: 'ok', mode: 'local', policies: 5 });
  });

  it('offers the seed people for the sign-in picker', async () => {
    const body = await (await get('/api/v1/sign-in-options')).json();
    expect(body.people.map((p: { id: string }) => p.id)).toContain('priya-shah');
  });

  it('refuses anonymous and unknown callers', async () => {
    expect((await get('/api/v1/me')).status).toBe(401);
    expect((await get('/api/v1/me', 'mallory')).status).toBe(401);
  });

  it("shows a supervisee only their own upcoming supervision, and audits the read", async () => {
    const body = await (await get('/api/v1/me', 'tom-reynolds')).json();
    expect(body.person).toMatchObject({ displayName: 'Tom Reynolds', roles: ['practitioner'] });
    expect(body.upcoming.length).toBeGreaterThan(0);
    expect(body.upcoming.every((s: { with: string[] }) => s.with.join() === 'Grace Whitfield')).toBe(true);
    const audit = await ctx.store.listAudit({ actorId: 'tom-reynolds' });
    expect(audit[0]).toMatchObject({ action: 'read', subjectType: 'upcoming-sessions' });
  });

  it('shows a line manager the relationships they oversee but not as their own sessions', async () => {
    const body = await (await get('/api/v1/me', 'helen-carter')).json();
    expect(body.relationships.map((r: { viewpoint: string }) => r.viewpoint)).toEqual(['line-manager', 'line-manager', 'line-manager', 'line-manager']);
    expect(body.upcoming).toEqual([]);
  });

  it('answers unknown API paths with JSON 404', async () => {
    const res = await get('/api/v1/nope', 'sam-patel');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Not found' });
  });
});
