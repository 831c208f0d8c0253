/** Issue #17 through the tab API: to-do, field-level reasons, Urgent once per confirmation, sessions, bot command parsing. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../../src/server/http';
import { parseCommand } from '../../src/usecases/chatCommands';
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

const call = (path: string, user: string, body?: unknown) =>
  fetch(`${base}/api/v1${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'x-pt-local-user': user, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('to-do view', () => {
  it('names the person in every item, in plain words, each with a link', async () => {
    const body = await (await call('/todo', 'daniel-okafor')).json();
    expect(body.items.length).toBeGreaterThan(0);
    for (const item of body.items) {
      expect(item.about.length).toBeGreaterThan(0);
      expect(item.about.some((n: string) => item.title.includes(n))).toBe(true);
      expect(`${item.title} ${item.detail}`).not.toMatch(/\d{4}-\d{2}-\d{2}|\bP\d+[DWMY]\b/);
      expect(item.link).toMatch(/^\//);
    }
  });
});

describe('field-level reasons', () => {
  it('a bad agreement names the field and the rule; an impossible date is refused', async () => {
    const res = await call('/relationships/rel-daniel-amira/agreement', 'daniel-okafor', { frequency: '', durationMinutes: 5, venue: 'Room 1', type: 'individual', reviewOn: '2027-02-30' });
    expect(res.status).toBe(400);
    const body = await res.json();
    const fields = Object.fromEntries(body.fields.map((f: { field: string; rule: string }) => [f.field, f.rule]));
    expect(fields).toMatchObject({ frequency: 'too_small', durationMinutes: 'too_small', reviewOn: 'custom' });
  });
});

describe('Urgent', () => {
  it('shows the slot first; one confirmation books once, however often it is sent', async () => {
    const { slot } = await (await call('/urgent/preview', 'daniel-okafor', { relationshipId: 'rel-daniel-joe' })).json();
    expect(slot.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    const confirm = { relationshipId: 'rel-daniel-joe', requestKey: 'confirm-key-1', start: slot.start };
    const [a, b] = await Promise.all([call('/urgent', 'daniel-okafor', confirm), call('/urgent', 'daniel-okafor', confirm)]);
    const ids = [(await a.json()).session.id, (await b.json()).session.id];
    expect(ids[0]).toBe(ids[1]);
    const urgent = (await ctx.services.store.listSessions({ relationshipIds: ['rel-daniel-joe'] })).filter((s) => s.kind === 'urgent');
    expect(urgent).toHaveLength(1);
    // A confirmation for a time that is no longer the first free one books nothing.
    const stale = await call('/urgent', 'daniel-okafor', { relationshipId: 'rel-daniel-joe', requestKey: 'confirm-key-2', start: '2026-11-23T06:00:00.000Z' });
    expect(stale.status).toBe(409);
  });
});

describe('sessions', () => {
  it('a supervisee may not cancel without rebooking under Westmorland; the supervisor may, with a reason', async () => {
    const [, second] = await ctx.services.store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['planned'], from: '2026-11-23T09:00:00.000Z' });
    const view = await (await call(`/sessions/${encodeURIComponent(second!.id)}`, 'sam-patel')).json();
    expect(view.session.can.cancel).toBe(false);
    expect((await call(`/sessions/${encodeURIComponent(second!.id)}/cancel`, 'sam-patel', { reason: 'busy' })).status).toBe(403);
    const noReason = await call(`/sessions/${encodeURIComponent(second!.id)}/cancel`, 'daniel-okafor', { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).details.fields[0].field).toBe('reason');
    expect((await call(`/sessions/${encodeURIComponent(second!.id)}/cancel`, 'daniel-okafor', { reason: 'Both on leave' })).status).toBe(200);
    expect((await call(`/sessions/${encodeURIComponent(second!.id)}`, 'grace-whitfield')).status).toBe(404);
  });
});

describe('a rebooked session', () => {
  it('"Keep this time" takes it off that person\'s to-do list only, once, audited; nobody else may', async () => {
    const rebooked = {
      id: 'sess-rebooked-keep', relationshipId: 'rel-daniel-sam', start: '2026-12-02T10:00:00.000Z', end: '2026-12-02T11:00:00.000Z',
      status: 'planned' as const, kind: 'rebooked' as const, replacesSessionId: 'sess-gone',
    };
    await ctx.services.store.saveSessions([rebooked]);
    const todoIds = async (user: string) => ((await (await call('/todo', user)).json()).items as { id: string }[]).map((i) => i.id);
    expect(await todoIds('sam-patel')).toContain('rebooked:sess-rebooked-keep');
    expect(await todoIds('daniel-okafor')).toContain('rebooked:sess-rebooked-keep');
    expect((await (await call('/sessions/sess-rebooked-keep', 'sam-patel')).json()).session.can.keepRebookedTime).toBe(true);

    expect((await call('/sessions/sess-rebooked-keep/keep-time', 'grace-whitfield', {})).status).toBe(404);
    const kept = await call('/sessions/sess-rebooked-keep/keep-time', 'sam-patel', {});
    expect(kept.status).toBe(200);
    expect((await kept.json()).session.can.keepRebookedTime).toBe(false);
    expect((await call('/sessions/sess-rebooked-keep/keep-time', 'sam-patel', {})).status).toBe(200);

    expect(await todoIds('sam-patel')).not.toContain('rebooked:sess-rebooked-keep');
    expect(await todoIds('daniel-okafor')).toContain('rebooked:sess-rebooked-keep');
    const audit = (await ctx.services.store.listAudit({ subjectId: 'sess-rebooked-keep' })).filter((a) => a.action === 'rebooked-time-kept');
    expect(audit.map((a) => a.actorId)).toEqual(['sam-patel']);

    const plain = (await ctx.services.store.listSessions({ relationshipIds: ['rel-daniel-sam'], status: ['planned'], from: '2026-11-23T09:00:00.000Z' })).find((x) => x.kind === 'planned');
    expect(plain?.kind).toBe('planned');
    expect((await call(`/sessions/${encodeURIComponent(plain!.id)}/keep-time`, 'sam-patel', {})).status).toBe(400);
  });
});

describe('bot commands', () => {
  it('understands what people type', () => {
    expect(parseCommand('What do I owe?')).toBe('owe');
    expect(parseCommand('my next session')).toBe('next');
    expect(parseCommand('open my record form')).toBe('record');
    expect(parseCommand('hello')).toBeUndefined();
  });
});
