/**
 * Hostile input, everywhere it can arrive: every HTTP route of the tab API and
 * the local stand-ins, the bot endpoint (protocol and every card verb) and the
 * Graph webhook. The corpus: oversized bodies, broken JSON and encodings, wrong
 * content types, wrong types, prototype keys (__proto__, constructor), control
 * characters, script and Markdown, CSV formulas, impossible and extreme dates,
 * forged ids, and the wrong person. Each must get a 4xx JSON error (a card
 * action answers with an error card, as Universal Actions do), store nothing,
 * and leave the process answering. The counts are printed at the end.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { EmbeddedSubscriptionRegistry } from '../../src/adapters/embedded/subscriptionRegistry';
import { createHttpApp } from '../../src/server/http';
import { GraphNotificationReceiver } from '../../src/adapters/graph/notificationReceiver';
import { plainText } from '../../src/bot/cards/common';
import { testServices } from '../support/services';
import { startInProcess, storedState, type InProcessApp } from '../support/inProcessApp';

jest.setTimeout(180_000);

let t: InProcessApp;
let recordId: string;
let agreementId: string;
const tally = { http: 0, bot: 0, graph: 0 };

beforeAll(async () => {
  t = await startInProcess();
  recordId = (t.db.prepare("SELECT id FROM records WHERE relationship_id = 'rel-daniel-sam' ORDER BY id LIMIT 1").get() as { id: string }).id;
  agreementId = (t.db.prepare("SELECT id FROM agreements WHERE relationship_id = 'rel-daniel-sam'").get() as { id: string }).id;
});

afterAll(async () => {
  await t?.stop();
  process.stdout.write(`hostile input: ${tally.http} HTTP requests to the tab API and stand-ins, ${tally.bot} to the bot endpoint, ${tally.graph} to the Graph webhook; every one refused with a 4xx JSON error (or an error card) and nothing stored\n`);
});

// ---------- the corpus ----------

const LONG = 'x'.repeat(100_000);
const CONTROL = 'a\u0000b\u0007c\u001b[31md\u202Ee\r\nf';
const SCRIPT = '<script>alert(document.cookie)</script>';
const MARKDOWN = '[click](https://attacker.example/steal) **urgent**';
const FORMULAS = ['=HYPERLINK("https://attacker.example","x")', '+cmd|" /C calc"!A0', '@SUM(1+1)', '-2+3'];
const BAD_DATES = ['2027-02-30', '2026-13-01', '9999-12-31', '+275760-09-13', '0000-00-00', '1970-01-01', '2026-02-29', '2026-1-1', 'tomorrow'];
const BAD_INSTANTS = ['2027-02-30T10:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', '2026-11-23T25:00:00Z', '2026-11-23T10:00:00', 'now'];
const FORGED_IDS = ['rel-does-not-exist', '../../etc/passwd', 'rel-daniel-sam\u0000', "' OR 1=1 --", SCRIPT, MARKDOWN, ...FORMULAS, LONG, 'rel-grace-tom'];
const WRONG_TYPES: unknown[] = [123, -1, 1e308, true, null, [], {}, ['rel-daniel-sam'], { $ne: null }];
/** Hostile values for a string field that must name something real (an id, a date, an enum). */
const HOSTILE_STRINGS: unknown[] = [...WRONG_TYPES, '', CONTROL, SCRIPT, MARKDOWN, ...FORMULAS, LONG];

function req(path: string, init: { method?: string; user?: string; body?: string | Buffer; headers?: Record<string, string> } = {}) {
  return fetch(`${t.base}${path}`, {
    method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
    headers: { ...(init.user ? { 'x-pt-local-user': init.user } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body as BodyInit | undefined,
  });
}

/** Sends one hostile request and checks the three promises: 4xx JSON, nothing stored, still answering. */
async function refused(label: string, send: () => Promise<Response>, counter: keyof typeof tally = 'http', statuses?: number[]): Promise<number> {
  const before = storedState(t.db);
  const res = await send();
  const type = res.headers.get('content-type') ?? '';
  const body = await res.text();
  tally[counter] += 1;
  expect({ label, status: res.status >= 400 && res.status < 500 ? '4xx' : res.status }).toEqual({ label, status: '4xx' });
  if (statuses) expectStatusIn(label, res.status, statuses);
  expect({ label, json: type.startsWith('application/json') }).toEqual({ label, json: true });
  const parsed = JSON.parse(body) as { error?: unknown };
  expect({ label, hasError: typeof parsed.error === 'string' }).toEqual({ label, hasError: true });
  // No stack traces or paths, whatever went wrong.
  expect({ label, leaks: /at \w+ \(|node_modules|\/src\//.test(body) }).toEqual({ label, leaks: false });
  expect({ label, unchanged: storedState(t.db) === before }).toEqual({ label, unchanged: true });
  return res.status;
}

/** Passes when `status` is one of `allowed`; the failure names the label and what came instead. */
function expectStatusIn(label: string, status: number, allowed: number[]): void {
  expect({ label, status: allowed.includes(status) ? `one of ${allowed.join('/')}` : status }).toEqual({ label, status: `one of ${allowed.join('/')}` });
}

// ---------- every POST route: the protocol corpus ----------

interface PostRoute {
  path: string;
  user?: string;
  /** A body that would be accepted (the field corpus replaces one field at a time). */
  valid: () => Record<string, unknown>;
  /** Fields and the hostile values each must refuse. */
  fields: Record<string, unknown[]>;
  /** Body limit of the route, for the oversized case. */
  limit: number;
}

const ID_FIELD = [...HOSTILE_STRINGS, ...FORGED_IDS];
const POSTS: PostRoute[] = [
  {
    path: '/api/v1/plan', user: 'daniel-okafor', limit: 256 * 1024,
    valid: () => ({ relationshipId: 'rel-daniel-joe' }),
    fields: { relationshipId: ID_FIELD, startDate: [...WRONG_TYPES.filter((v) => v !== null), ...BAD_DATES, ...BAD_INSTANTS, SCRIPT, ...FORMULAS], durationMinutes: ['60', 0, 14, 481, 1.5, -60, 1e9, null], weekdays: ['MO', ['XX'], [1], Array(8).fill('MO')], times: ['09:00', ['25:00'], ['9am'], [SCRIPT]], superviseeIds: [[], [LONG], ['nobody-here', 'joe-bennett']], extra: ['not allowed'] },
  },
  {
    path: '/api/v1/series', user: 'daniel-okafor', limit: 256 * 1024,
    valid: () => ({ relationshipId: 'rel-daniel-joe', requestKey: 'hostile-series-0001' }),
    fields: { relationshipId: ID_FIELD, requestKey: [...WRONG_TYPES, 'short', LONG], startDate: [...BAD_DATES, ...BAD_INSTANTS], durationMinutes: [0, 481, '90'], proposalId: [123, LONG] },
  },
  {
    path: '/api/v1/urgent', user: 'daniel-okafor', limit: 256 * 1024,
    valid: () => ({ relationshipId: 'rel-daniel-joe', requestKey: 'hostile-urgent-0001' }),
    fields: { relationshipId: ID_FIELD, requestKey: [...WRONG_TYPES, 'short', LONG], durationMinutes: [0, 10_000, '30', null], extra: [1] },
  },
  {
    path: '/api/v1/relationships/rel-daniel-joe/agreement', user: 'daniel-okafor', limit: 256 * 1024,
    valid: () => ({ frequency: 'Monthly', durationMinutes: 90, venue: 'Room 2', type: 'individual' }),
    fields: { frequency: [...WRONG_TYPES, '', LONG], durationMinutes: [0, 1e9, '90', null], venue: [...WRONG_TYPES, '   ', LONG], type: ['both', SCRIPT, 1], reviewOn: [...WRONG_TYPES, ...BAD_DATES, ...FORMULAS, '2020-01-01'], values: [[], 'x', { [LONG.slice(0, 100)]: 'v' }, { k: LONG }] },
  },
  {
    path: '/api/v1/relationships/rel-daniel-sam/agreement/sign', user: 'sam-patel', limit: 256 * 1024,
    valid: () => ({ agreementId }),
    fields: { agreementId: [...WRONG_TYPES, '', 'agr-older-or-forged', SCRIPT, LONG], extra: ['x'] },
  },
  {
    path: '/api/v1/audit/grades', user: 'priya-shah', limit: 256 * 1024,
    valid: () => ({ recordId, category: 'support' }),
    fields: { recordId: [...WRONG_TYPES, '', 'rec-forged', SCRIPT, ...FORMULAS, LONG], category: ['excellent', SCRIPT, 1, null], comment: [123, LONG], extra: ['x'] },
  },
  {
    path: '/api/dev/clock', limit: 16 * 1024,
    valid: () => ({ advance: 'P1D' }),
    fields: { advance: ['P1000000Y', 'P99999999Y', '-P1D', 'PT-5M', 'P1D; DROP', 'forever', 1, null, LONG.slice(0, 10_000)] },
  },
  {
    path: '/api/dev/calendar/cancel', limit: 16 * 1024,
    valid: () => ({ sessionId: 'ses-forged' }),
    fields: { sessionId: [...WRONG_TYPES, '', 'ses-forged', SCRIPT, LONG.slice(0, 10_000)], personId: [1, ''] },
  },
  {
    path: '/api/dev/calendar/decline', limit: 16 * 1024,
    valid: () => ({ sessionId: 'ses-forged' }),
    fields: { sessionId: [...WRONG_TYPES, '', 'ses-forged', SCRIPT] },
  },
];

describe('every POST route refuses the protocol corpus', () => {
  for (const r of POSTS) {
    it(r.path, async () => {
      const valid = JSON.stringify(r.valid());
      const send = (body: string | Buffer, headers: Record<string, string> = {}) => () => req(r.path, { user: r.user, body, headers });
      await refused(`${r.path} oversized`, send(JSON.stringify({ ...r.valid(), pad: 'x'.repeat(r.limit + 1024) })), 'http', [413]);
      await refused(`${r.path} broken JSON`, send('{"relationshipId": '), 'http', [400]);
      for (const top of ['null', '[]', '123', '"text"', 'true']) await refused(`${r.path} top-level ${top}`, send(top));
      await refused(`${r.path} __proto__`, send(valid.replace(/^\{/, '{"__proto__":{"isAdmin":true},')), 'http', [400]);
      await refused(`${r.path} constructor.prototype`, send(valid.replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},')), 'http', [400]);
      await refused(`${r.path} nested __proto__`, send(valid.replace(/^\{/, '{"values":{"__proto__":{"x":1}},')), 'http', [400]);
      await refused(`${r.path} text/plain`, send(valid, { 'content-type': 'text/plain' }));
      await refused(`${r.path} form-encoded`, send('relationshipId=rel-daniel-joe', { 'content-type': 'application/x-www-form-urlencoded' }));
      await refused(`${r.path} unknown Content-Encoding`, send(valid, { 'content-encoding': 'br2' }), 'http', [415]);
      await refused(`${r.path} corrupt gzip`, send(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }), 'http', [400]);
      await refused(`${r.path} gzip bomb over the limit`, send(zlib.gzipSync(JSON.stringify({ ...r.valid(), pad: '0'.repeat(r.limit * 4) })), { 'content-encoding': 'gzip' }), 'http', [413]);
      await refused(`${r.path} unsupported charset`, send(valid, { 'content-type': 'application/json; charset=ebcdic' }), 'http', [415]);
    });
  }
});

describe('every POST route refuses each hostile field value', () => {
  for (const r of POSTS) {
    it(r.path, async () => {
      for (const [field, values] of Object.entries(r.fields)) {
        for (const value of values) {
          const body = { ...r.valid(), [field]: value };
          await refused(`${r.path} ${field}=${JSON.stringify(value)?.slice(0, 40)}`, () => req(r.path, { user: r.user, body: JSON.stringify(body) }));
        }
      }
    });
  }
});

describe('every GET route refuses hostile ids, queries and paths', () => {
  it('ids in paths: forged, encoded, traversal, oversized', async () => {
    const ids = ['rec-forged', '..%2F..%2Fetc%2Fpasswd', '%00', encodeURIComponent(SCRIPT), encodeURIComponent(MARKDOWN), encodeURIComponent(FORMULAS[0]!), 'x'.repeat(5000)];
    for (const id of ids) {
      await refused(`GET /records/${id.slice(0, 30)}`, () => req(`/api/v1/records/${id}`, { user: 'sam-patel' }), 'http', [404]);
      await refused(`GET /relationships/${id.slice(0, 30)}/agreement`, () => req(`/api/v1/relationships/${id}/agreement`, { user: 'sam-patel' }), 'http', [404]);
      await refused(`GET /relationships/${id.slice(0, 30)}/policy`, () => req(`/api/v1/relationships/${id}/policy`, { user: 'daniel-okafor' }), 'http', [404]);
    }
  });

  it('bad percent-encoding in a path', async () => {
    for (const p of ['/api/v1/records/%ZZ', '/api/v1/relationships/%E0%A4%A/agreement', '/api/v1/records/%', '/tab/%ZZ', '/%ZZ']) {
      await refused(`GET ${p}`, () => req(p, { user: 'sam-patel' }), 'http', [400, 404]);
    }
  });

  it('compliance queries: impossible and extreme dates, arrays, formulas, control characters', async () => {
    const queries = [
      ...BAD_DATES.map((d) => `from=${encodeURIComponent(d)}`),
      ...BAD_DATES.map((d) => `to=${encodeURIComponent(d)}`),
      'from=2026-10-10&to=2026-10-01',
      'from=2000-01-01&to=2100-12-31',
      'from[]=2026-01-01&from[]=2026-02-01',
      'from[$gt]=2026-01-01',
      `team=${encodeURIComponent(LONG.slice(0, 1000))}`,
    ];
    for (const q of queries) {
      await refused(`GET /compliance?${q.slice(0, 40)}`, () => req(`/api/v1/compliance?${q}`, { user: 'priya-shah' }), 'http', [400]);
      await refused(`GET /compliance.csv?${q.slice(0, 40)}`, () => req(`/api/v1/compliance.csv?${q}`, { user: 'priya-shah' }), 'http', [400]);
    }
    for (const q of ['perTeam=0', 'perTeam=1e9', 'perTeam=abc', 'perTeam[]=1', 'perTeam=-3']) {
      await refused(`GET /audit/sample?${q}`, () => req(`/api/v1/audit/sample?${q}`, { user: 'priya-shah' }), 'http', [400]);
    }
  });

  it('identities: unknown, hostile, missing', async () => {
    for (const user of ['mallory', SCRIPT, 'SAM-PATEL', '../priya-shah', FORMULAS[0]!, 'x'.repeat(5000)]) {
      for (const p of ['/api/v1/me', '/api/v1/records', '/api/v1/compliance']) await refused(`GET ${p} as ${user.slice(0, 20)}`, () => req(p, { user }), 'http', [400, 401]);
    }
    await refused('GET /api/v1/me with no identity', () => req('/api/v1/me'), 'http', [401]);
    await refused('GET unknown API path', () => req('/api/v1/nope', { user: 'sam-patel' }), 'http', [404]);
    await refused('GET unknown path outside the API', () => req('/nope/at/all'), 'http', [404]);
  });
});

describe('the wrong person, with otherwise valid requests', () => {
  it('is refused everywhere, and nothing is stored', async () => {
    const cases: Array<[string, string, string, unknown]> = [
      ['grace-whitfield', '/api/v1/plan', 'POST', { relationshipId: 'rel-daniel-joe' }],
      ['sam-patel', '/api/v1/series', 'POST', { relationshipId: 'rel-daniel-joe', requestKey: 'wrong-person-0001' }],
      ['helen-carter', '/api/v1/urgent', 'POST', { relationshipId: 'rel-daniel-joe', requestKey: 'wrong-person-0002' }],
      ['joe-bennett', '/api/v1/relationships/rel-daniel-joe/agreement', 'POST', { frequency: 'Monthly', durationMinutes: 90, venue: SCRIPT, type: 'individual' }],
      ['grace-whitfield', '/api/v1/relationships/rel-daniel-sam/agreement/sign', 'POST', { agreementId }],
      ['daniel-okafor', '/api/v1/audit/grades', 'POST', { recordId, category: 'support', comment: MARKDOWN }],
      ['tom-reynolds', `/api/v1/records/${recordId}`, 'GET', undefined],
      ['sam-patel', '/api/v1/audit/sample', 'GET', undefined],
      ['sam-patel', '/api/v1/compliance.csv', 'GET', undefined],
    ];
    for (const [user, path, method, body] of cases) {
      await refused(`${method} ${path} as ${user}`, () => req(path, { user, method, body: body === undefined ? undefined : JSON.stringify(body) }), 'http', [403, 404]);
    }
  });
});

// ---------- the bot endpoint ----------

const activity = (over: Record<string, unknown> = {}) => ({
  type: 'invoke', name: 'adaptiveCard/action', id: 'hostile', channelId: 'msteams', serviceUrl: 'http://localhost:1/_connector',
  from: { id: '29:sam', aadObjectId: '5a1e0c1e-0001-4a00-8000-000000000001' }, recipient: { id: '00000000-0000-0000-0000-00000000b07a' },
  conversation: { id: 'conv-hostile', conversationType: 'personal', tenantId: '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01' },
  ...over,
});
const postBot = (body: string | Buffer, headers: Record<string, string> = {}) => () => req('/api/messages', { body, headers });

describe('the bot endpoint refuses malformed requests with JSON, before the Teams SDK', () => {
  it('protocol corpus', async () => {
    const valid = JSON.stringify(activity({ type: 'message', text: 'help' }));
    await refused('bot text/plain', postBot('help', { 'content-type': 'text/plain' }), 'bot', [415]);
    await refused('bot no content type', postBot(valid, { 'content-type': '' }), 'bot', [415]);
    await refused('bot oversized', postBot(JSON.stringify(activity({ type: 'message', text: 'x'.repeat(300_000) }))), 'bot', [413]);
    await refused('bot broken JSON', postBot('{"type":"message",'), 'bot', [400]);
    for (const top of ['null', '[]', '42', '"activity"']) await refused(`bot top-level ${top}`, postBot(top), 'bot', [400]);
    await refused('bot no type', postBot(JSON.stringify({ text: 'hi' })), 'bot', [400]);
    await refused('bot wrong types', postBot(JSON.stringify(activity({ type: 42 }))), 'bot', [400]);
    await refused('bot __proto__', postBot(valid.replace(/^\{/, '{"__proto__":{"polluted":true},')), 'bot', [400]);
    await refused('bot constructor', postBot(JSON.stringify(activity({ value: { action: { verb: 'record.refresh', data: { constructor: { prototype: { x: 1 } } } } } }))), 'bot', [400]);
    await refused('bot unknown encoding', postBot(valid, { 'content-encoding': 'snappy' }), 'bot', [415]);
    await refused('bot corrupt gzip', postBot(Buffer.from('garbage'), { 'content-encoding': 'gzip' }), 'bot', [400]);
    for (const serviceUrl of ['https://attacker.example/', 'http://10.0.0.5/', 'file:///etc/passwd', SCRIPT, 42]) {
      await refused(`bot serviceUrl ${String(serviceUrl).slice(0, 30)}`, postBot(JSON.stringify(activity({ type: 'message', text: 'help', serviceUrl }))), 'bot', [400, 403]);
    }
    await refused('bot GET', () => req('/api/messages'), 'bot', [404, 405]);
    expect(JSON.stringify(Object.prototype)).toBe('{}');
  });
});

const VERBS: Record<string, Record<string, unknown>> = {
  'record.refresh': { recordId: 'REC' },
  'record.save': { recordId: 'REC' },
  'record.submit': { recordId: 'REC' },
  'record.addAction': { recordId: 'REC' },
  'record.removeAction': { recordId: 'REC' },
  'record.countersign': { recordId: 'REC' },
  'record.requestChanges': { recordId: 'REC' },
  'record.disagree': { recordId: 'REC' },
  'action.done': { actionId: 'ACT' },
  'rebook.choose': { sessionId: 'SES', relationshipId: 'rel-daniel-sam', start: '2026-12-01T10:00:00Z', end: '2026-12-01T11:00:00Z' },
  'rebook.keep': { sessionId: 'SES', relationshipId: 'rel-daniel-sam', reason: 'r' },
  'digest.snooze': { obligationId: 'OBL', days: 1 },
};

describe('every card verb refuses hostile data with an error card, storing nothing', () => {
  for (const [verb, template] of Object.entries(VERBS)) {
    it(verb, async () => {
      const hostile: Record<string, unknown>[] = [];
      for (const key of Object.keys(template)) {
        for (const value of [...HOSTILE_STRINGS, ...FORGED_IDS, ...(key === 'start' || key === 'end' ? BAD_INSTANTS : [])]) hostile.push({ ...template, [key]: value });
      }
      hostile.push('not an object' as unknown as Record<string, unknown>, [] as unknown as Record<string, unknown>);
      for (const data of hostile) {
        const d = typeof data === 'object' && data && !Array.isArray(data) ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v === 'REC' || v === 'ACT' || v === 'SES' || v === 'OBL' ? `forged-${v}` : v])) : data;
        const before = storedState(t.db);
        const res = await req('/api/messages', { body: JSON.stringify(activity({ value: { action: { type: 'Action.Execute', verb, data: d } } })) });
        tally.bot += 1;
        expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/);
        const text = await res.text();
        // A refusal, never a success or a stack trace: either an error card (Attention) replacing the clicked one, or
        // Universal Actions' error response, which keeps the clicked card and its inputs and shows the message beneath.
        const refused = /"color":"Attention"/.test(text) || /"type":"application\/vnd\.microsoft\.error"/.test(text);
        expect({ verb, data: JSON.stringify(d).slice(0, 60), error: refused }).toEqual({ verb, data: JSON.stringify(d).slice(0, 60), error: true });
        expect(text).not.toMatch(/node_modules|at \w+ \(/);
        expect({ verb, unchanged: storedState(t.db) === before }).toEqual({ verb, unchanged: true });
      }
    });
  }

  it('a signed record with Markdown in it shows the characters, not a link, on the cards', async () => {
    expect(plainText(MARKDOWN)).not.toMatch(/\[click\]\(https:\/\//);
    expect(plainText(MARKDOWN)).toContain('\\[click\\]\\(https:');
  });
});

// ---------- the Graph webhook ----------

describe('the Graph webhook refuses malformed notifications', () => {
  it('protocol and field corpus', async () => {
    const ctx = await testServices({ now: '2026-11-23T09:00:00.000Z', seed: false });
    const registry = new EmbeddedSubscriptionRegistry(ctx.db);
    const receiver = new GraphNotificationReceiver({ registry, tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95', clock: ctx.clock, log: ctx.services.log, onLifecycle: async () => undefined });
    const server = http.createServer(createHttpApp(ctx.services, { startedAt: new Date(), graphNotifications: receiver }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const valid = {
        subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07', clientState: 'secret', changeType: 'updated', resource: 'Users/x/Events/y',
        subscriptionExpirationDateTime: '2026-11-25T09:00:00Z', tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
      };
      const send = (body: string | Buffer, headers: Record<string, string> = {}, path = '/api/graph/notifications') => () =>
        fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body as BodyInit });
      const check = async (label: string, s: () => Promise<Response>, statuses?: number[]) => {
        const before = storedState(ctx.db);
        const res = await s();
        tally.graph += 1;
        expect({ label, status: res.status >= 400 && res.status < 500 }).toEqual({ label, status: true });
        if (statuses) expectStatusIn(label, res.status, statuses);
        expect({ label, json: (res.headers.get('content-type') ?? '').startsWith('application/json') }).toEqual({ label, json: true });
        expect({ label, unchanged: storedState(ctx.db) === before }).toEqual({ label, unchanged: true });
      };
      for (const path of ['/api/graph/notifications', '/api/graph/lifecycle']) {
        await check(`${path} oversized`, send(JSON.stringify({ value: [valid], pad: 'x'.repeat(1024 * 1024 + 10) }), {}, path), [413]);
        await check(`${path} broken JSON`, send('{"value":[', {}, path), [400]);
        await check(`${path} __proto__`, send(`{"__proto__":{"x":1},"value":[${JSON.stringify(valid)}]}`, {}, path), [400]);
        for (const top of ['null', '[]', '{}', '{"value":[]}', '{"value":"x"}']) await check(`${path} ${top}`, send(top, {}, path), [400]);
        for (const [field, values] of Object.entries({ subscriptionId: [...WRONG_TYPES, SCRIPT, 'not-a-guid'], tenantId: [...WRONG_TYPES, FORMULAS[0]!], changeType: ['exploded', 1], subscriptionExpirationDateTime: [...BAD_INSTANTS.filter((d) => !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(d) || d.startsWith('+')), 1], clientState: [LONG, 1] })) {
          for (const v of values) await check(`${path} ${field}=${JSON.stringify(v)?.slice(0, 30)}`, send(JSON.stringify({ value: [{ ...valid, [field]: v }] }), {}, path), [400]);
        }
      }
      await check('validation token too long', () => fetch(`${base}/api/graph/notifications?validationToken=${'x'.repeat(5000)}`, { method: 'POST' }), [400]);
      await check('GET', () => fetch(`${base}/api/graph/notifications`), [404, 405]);
      // A well-formed notification for a subscription nobody made is taken and ignored (202, by design: see
      // graphNotifications.ts), and changes nothing.
      const before = storedState(ctx.db);
      const forged = await send(JSON.stringify({ value: [valid] }))();
      expect(forged.status).toBe(202);
      expect(storedState(ctx.db)).toBe(before);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
      await ctx.services.close();
    }
  });
});

describe('the process is still up', () => {
  it('answers /healthz and a normal request after everything above', async () => {
    const health = await req('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await req('/api/v1/me', { user: 'sam-patel' })).status).toBe(200);
  });
});
