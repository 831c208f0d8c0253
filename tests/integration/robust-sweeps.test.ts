/**
 * One bad item never stops a sweep or a report. An agreement stored (before
 * dates were checked) with the review date 2027-02-30, and another arrangement
 * whose stored agreement is corrupt: compliance (JSON and CSV) still answers
 * with everyone else's figures and names what it left out, and the reminder
 * sweep still plans everyone else's reminders. The API refuses the date now.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agreement } from '../../src/domain/model';
import { createHttpApp } from '../../src/server/http';
import { planDigests } from '../../src/usecases/reminders';
import { testServices } from '../support/services';

let ctx: Awaited<ReturnType<typeof testServices>>;
let server: http.Server;
let base: string;

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

const get = (path: string, user: string) => fetch(`${base}${path}`, { headers: { 'x-pt-local-user': user } });

function agreement(relationshipId: string, over: Partial<Agreement>): Agreement {
  return {
    id: `agr-bad-${relationshipId}`, relationshipId, templateId: 'default', values: {}, frequency: 'Monthly', durationMinutes: 90, venue: 'Room', type: 'individual',
    reviewOn: '2027-03-01', status: 'signed', signatures: [], createdAt: '2026-11-01T09:00:00.000Z', ...over,
  } as Agreement;
}

describe('one bad item', () => {
  it('is refused at the API', async () => {
    const res = await fetch(`${base}/api/v1/relationships/rel-daniel-sam/agreement`, {
      method: 'POST',
      headers: { 'x-pt-local-user': 'daniel-okafor', 'content-type': 'application/json' },
      body: JSON.stringify({ frequency: 'Monthly', durationMinutes: 90, venue: 'Room', type: 'individual', reviewOn: '2027-02-30' }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('reviewOn');
  });

  it('already stored, never takes down compliance or reminders', async () => {
    const before = await (await get('/api/v1/compliance', 'priya-shah')).json();
    // An impossible review date (stored before dates were checked) and a corrupt row.
    await ctx.store.saveAgreement(agreement('rel-daniel-sam', { reviewOn: '2027-02-30', createdAt: '2026-11-02T09:00:00.000Z' }));
    await ctx.store.saveAgreement(agreement('rel-grace-tom', { reviewOn: 'never', signatures: null as unknown as Agreement['signatures'], createdAt: '2026-11-02T09:00:00.000Z' }));

    const res = await get('/api/v1/compliance', 'priya-shah');
    expect(res.status).toBe(200);
    const report = await res.json();
    // The impossible date counts as "no review date set" (the policy's period applies): Sam's figures are still there.
    expect(report.relationships.map((r: { relationshipId: string }) => r.relationshipId)).toContain('rel-daniel-sam');
    // The corrupt one is named as left out; everyone else is counted as before.
    expect(report.skipped).toEqual([{ relationshipId: 'rel-grace-tom', reason: expect.stringContaining('could not be read') }]);
    expect(report.relationships.length).toBe(before.relationships.length - 1);
    const csv = await get('/api/v1/compliance.csv', 'priya-shah');
    expect(csv.status).toBe(200);

    const plan = await planDigests(ctx.services);
    expect(plan.skipped).toEqual(['rel-grace-tom']);
    expect(plan.obligations).toBeGreaterThan(0);
  });
});
