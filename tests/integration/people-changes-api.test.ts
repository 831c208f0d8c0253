/**
 * Issue #20's HTTP edges: bad input is a 400 naming the field and stores
 * nothing; the directory stand-in exists in local mode and checks its input.
 */
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

const post = (path: string, body: unknown, user?: string) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(user ? { 'x-pt-local-user': user } : {}) }, body: JSON.stringify(body) });

it('refuses bad handover and cover requests, naming the field, storing nothing', async () => {
  const cases: [string, unknown, RegExp][] = [
    ['/api/v1/handovers', { relationshipIds: [], toId: 'grace-whitfield', requestKey: 'bad-request-1' }, /relationshipIds/],
    ['/api/v1/handovers', { relationshipIds: ['rel-daniel-sam'], requestKey: 'bad-request-2' }, /toId/],
    ['/api/v1/handovers', { relationshipIds: ['rel-daniel-sam'], toId: 'grace-whitfield', requestKey: 'bad-request-3', note: 'x'.repeat(4001) }, /note/],
    ['/api/v1/covers', { relationshipIds: ['rel-daniel-sam'], coverId: 'grace-whitfield', until: '2027-02-30', requestKey: 'bad-request-4' }, /until/],
    ['/api/v1/covers', { relationshipIds: ['rel-daniel-sam'], coverId: 'grace-whitfield', until: '2026-11-01', requestKey: 'bad-request-5' }, /until/],
    // One good arrangement and one that is not: neither is changed.
    ['/api/v1/handovers', { relationshipIds: ['rel-daniel-sam', 'rel-nope'], toId: 'grace-whitfield', requestKey: 'bad-request-6' }, /rel-nope/],
  ];
  for (const [path, body, field] of cases) {
    const res = await post(path, body, 'priya-shah');
    expect([400, 404]).toContain(res.status);
    expect(JSON.stringify(await res.json())).toMatch(field);
  }
  expect(await ctx.services.store.getRelationship('rel-daniel-sam')).toMatchObject({ supervisorId: 'daniel-okafor' });
  expect(await ctx.services.store.listClaims('cover')).toEqual([]);
  expect(await ctx.services.store.listClaims('move-requested')).toEqual([]);
});

it('ending needs a reason; a supervisee cannot end their own arrangement', async () => {
  expect((await post('/api/v1/relationships/rel-daniel-sam/end', {}, 'daniel-okafor')).status).toBe(400);
  expect((await post('/api/v1/relationships/rel-daniel-sam/end', { reason: 'moving on' }, 'sam-patel')).status).toBe(403);
  expect(await ctx.services.store.getRelationship('rel-daniel-sam')).toMatchObject({ active: true });
});

it('the directory stand-in checks what it is given', async () => {
  expect((await post('/api/dev/directory/people', { id: 'Bad Id', displayName: 'x', email: 'x@x.example' })).status).toBe(400);
  expect((await post('/api/dev/directory/people', { id: 'new-one', displayName: 'x', email: 'x@x.example', startedOn: '2027-02-30' })).status).toBe(400);
  expect((await post('/api/dev/directory/people', { id: 'new-one', displayName: 'x', email: 'x@x.example', policyId: 'leicestershire-cfs', staffGroupId: 'nope' })).status).toBe(400);
  expect((await post('/api/dev/directory/people/nobody/leave', {})).status).toBe(404);
  expect((await post('/api/dev/directory/people/sam-patel/manager', { lineManagerId: 'sam-patel' })).status).toBe(400);
  const added = await post('/api/dev/directory/people', { id: 'new-one', displayName: 'New One', email: 'new.one@x.example', lineManagerId: 'helen-carter' });
  expect(added.status).toBe(201);
  expect((await ctx.services.directory.listPeople()).map((p) => p.id)).toContain('new-one');
  expect((await post('/api/dev/directory/people/new-one/leave', {})).status).toBe(200);
  expect((await ctx.services.directory.listPeople()).map((p) => p.id)).not.toContain('new-one');
  expect(await ctx.services.directory.getPerson('new-one')).toMatchObject({ displayName: 'New One' });
});
