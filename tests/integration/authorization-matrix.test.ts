/**
 * The authorisation matrix: every tab API route and every card verb, called as
 * each kind of person about Sam Patel's supervision with Daniel Okafor:
 * the supervisee, the supervisor, a line manager (Helen, Daniel's manager), a
 * safeguarding lead, an auditor (each holding only that role), an unrelated
 * person (Grace, who supervises someone else), an unknown id and no identity.
 * Each cell is the status (or card answer) that person must get; a refused call
 * must leave everything stored as it was. Runs the whole app in this process
 * (local mode: identity from the picker header, the bot unauthenticated as in
 * the Playground).
 */
import type { ActionItem, Person } from '../../src/domain/model';
import { startInProcess, storedState, type InProcessApp } from '../support/inProcessApp';

jest.setTimeout(120_000);

type Who = 'supervisee' | 'supervisor' | 'lineManager' | 'safeguardingLead' | 'auditor' | 'unrelated' | 'unknown' | 'none';
const WHO: Who[] = ['supervisee', 'supervisor', 'lineManager', 'safeguardingLead', 'auditor', 'unrelated', 'unknown', 'none'];
const ID: Record<Who, string | undefined> = {
  supervisee: 'sam-patel',
  supervisor: 'daniel-okafor',
  lineManager: 'helen-carter',
  safeguardingLead: 'sol-lead',
  auditor: 'ola-auditor',
  unrelated: 'grace-whitfield',
  unknown: 'mallory',
  none: undefined,
};
const REL = 'rel-daniel-sam';

let t: InProcessApp;
let recordId: string;
let agreementId: string;
let actionId: string;
const aad: Record<string, string> = {};

beforeAll(async () => {
  t = await startInProcess();
  const store = t.app.services.embedded!.store;
  const extra = (id: string, name: string, roles: Person['roles'], n: number): Person => ({
    id, displayName: name, email: `${id}@riverside.example`, aadObjectId: `5a1e0c1e-09${n}0-4a00-8000-0000000009${n}0`, jobTitle: name, team: 'Riverside MASH', roles,
  });
  store.upsertPerson(extra('sol-lead', 'Sol Lead', ['safeguarding-lead'], 1));
  store.upsertPerson(extra('ola-auditor', 'Ola Auditor', ['auditor'], 2));
  for (const p of await t.app.services.directory.listPeople()) aad[p.id] = p.aadObjectId;
  recordId = (t.db.prepare("SELECT id FROM records WHERE relationship_id = ? ORDER BY id LIMIT 1").get(REL) as { id: string }).id;
  agreementId = (t.db.prepare('SELECT id FROM agreements WHERE relationship_id = ?').get(REL) as { id: string }).id;
  // An action Sam owns, and a rebooked session and a reminder Sam was sent, for the card verbs.
  const action = { id: 'act-matrix', relationshipId: REL, recordId, text: 'Call the school', ownerId: 'sam-patel', dueOn: '2027-01-15', status: 'open', createdAt: '2026-11-01T09:00:00.000Z' } as unknown as ActionItem;
  await store.saveActions([action]);
  actionId = action.id;
  const start = new Date(Date.now() + 3 * 86_400_000);
  await store.saveSessions([{ id: 'ses-matrix-rebooked', relationshipId: REL, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), status: 'planned', kind: 'rebooked', replacesSessionId: 'ses-matrix-cancelled' }]);
  await store.claim('reminder', 'obl-matrix|s0|sam-patel|b0', new Date().toISOString());
});

afterAll(async () => {
  await t?.stop();
});

async function call(who: Who, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const id = ID[who];
  const res = await fetch(`${t.base}/api/v1${path}`, {
    method,
    headers: { ...(id ? { 'x-pt-local-user': id } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.headers.get('content-type') ?? '').toMatch(/application\/json|text\/csv/);
  return { status: res.status, json: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
}

type Expect = Partial<Record<Who, number | number[]>>;
/** Everyone without an identity the app knows is refused the same way. */
const anon: Expect = { unknown: 401, none: 401 };

interface Route {
  name: string;
  method: string;
  path: () => string;
  body?: () => unknown;
  expect: Expect;
}

const ROUTES: Route[] = [
  { name: 'GET /me', method: 'GET', path: () => '/me', expect: { supervisee: 200, supervisor: 200, lineManager: 200, safeguardingLead: 200, auditor: 200, unrelated: 200 } },
  { name: 'GET /people', method: 'GET', path: () => '/people', expect: { supervisee: 200, supervisor: 200, lineManager: 200, safeguardingLead: 200, auditor: 200, unrelated: 200 } },
  { name: 'GET /records', method: 'GET', path: () => '/records', expect: { supervisee: 200, supervisor: 200, lineManager: 200, safeguardingLead: 200, auditor: 200, unrelated: 200 } },
  { name: 'GET /records/:id', method: 'GET', path: () => `/records/${recordId}`, expect: { supervisee: 200, supervisor: 200, lineManager: 404, safeguardingLead: 404, auditor: 200, unrelated: 404 } },
  { name: 'GET /relationships/:id/agreement', method: 'GET', path: () => `/relationships/${REL}/agreement`, expect: { supervisee: 200, supervisor: 200, lineManager: 200, safeguardingLead: 200, auditor: 404, unrelated: 404 } },
  { name: 'GET /relationships/:id/policy', method: 'GET', path: () => `/relationships/${REL}/policy`, expect: { supervisee: 403, supervisor: 200, lineManager: 403, safeguardingLead: 200, auditor: 404, unrelated: 404 } },
  { name: 'GET /compliance', method: 'GET', path: () => '/compliance', expect: { supervisee: 403, supervisor: 200, lineManager: 200, safeguardingLead: 200, auditor: 200, unrelated: 200 } },
  { name: 'GET /compliance.csv', method: 'GET', path: () => '/compliance.csv', expect: { supervisee: 403, supervisor: 200, lineManager: 200, safeguardingLead: 200, auditor: 200, unrelated: 200 } },
  { name: 'GET /audit/sample', method: 'GET', path: () => '/audit/sample', expect: { supervisee: 403, supervisor: 403, lineManager: 403, safeguardingLead: 403, auditor: 200, unrelated: 403 } },
  { name: 'POST /plan', method: 'POST', path: () => '/plan', body: () => ({ relationshipId: REL }), expect: { supervisee: 403, supervisor: 200, lineManager: 403, safeguardingLead: 200, auditor: 404, unrelated: 404 } },
  // Sam's series is already booked: those allowed to book are told so (409); nobody else gets that far.
  { name: 'POST /series', method: 'POST', path: () => '/series', body: () => ({ relationshipId: REL, requestKey: 'matrix-series-0001' }), expect: { supervisee: 403, supervisor: 409, lineManager: 403, safeguardingLead: 409, auditor: 404, unrelated: 404 } },
  { name: 'POST /relationships/:id/agreement/sign', method: 'POST', path: () => `/relationships/${REL}/agreement/sign`, body: () => ({ agreementId }), expect: { supervisee: 200, supervisor: 200, lineManager: 403, safeguardingLead: 403, auditor: 404, unrelated: 404 } },
  // The shared agenda and private notes (issue 18): the two parties only; anyone else is told the session does not exist.
  { name: 'GET /sessions/:id/agenda', method: 'GET', path: () => '/sessions/ses-matrix-rebooked/agenda', expect: { supervisee: 200, supervisor: 200, lineManager: 404, safeguardingLead: 404, auditor: 404, unrelated: 404 } },
  { name: 'GET /sessions/:id/note', method: 'GET', path: () => '/sessions/ses-matrix-rebooked/note', expect: { supervisee: 200, supervisor: 200, lineManager: 404, safeguardingLead: 404, auditor: 404, unrelated: 404 } },
  { name: 'POST /sessions/:id/agenda/items', method: 'POST', path: () => '/sessions/ses-matrix-rebooked/agenda/items', body: () => ({ text: 'Matrix item' }), expect: { supervisee: 201, supervisor: 201, lineManager: 404, safeguardingLead: 404, auditor: 404, unrelated: 404 } },
  { name: 'POST /audit/grades', method: 'POST', path: () => '/audit/grades', body: () => ({ recordId, category: 'support' }), expect: { supervisee: 403, supervisor: 403, lineManager: 403, safeguardingLead: 403, auditor: 201, unrelated: 403 } },
  // Changes state when allowed: run last among the routes.
  { name: 'POST /relationships/:id/agreement', method: 'POST', path: () => `/relationships/${REL}/agreement`, body: () => ({ frequency: 'Monthly', durationMinutes: 90, venue: 'Room 2', type: 'individual' }), expect: { supervisee: 403, supervisor: 201, lineManager: 403, safeguardingLead: 201, auditor: 404, unrelated: 404 } },
  { name: 'POST /urgent', method: 'POST', path: () => '/urgent', body: () => ({ relationshipId: REL, requestKey: 'matrix-urgent-0001' }), expect: { supervisee: 403, supervisor: [201, 409], lineManager: 403, safeguardingLead: [201, 409], auditor: 404, unrelated: 404 } },
];

const counted = { cells: 0, refusals: 0 };

describe('tab API: every route × every kind of person', () => {
  for (const route of ROUTES) {
    it(route.name, async () => {
      for (const who of WHO) {
        const want = { ...anon, ...route.expect }[who]!;
        const before = storedState(t.db);
        const { status, json } = await call(who, route.method, route.path(), route.body?.());
        const allowed = Array.isArray(want) ? want : [want];
        expect({ who, status }).toEqual({ who, status: allowed.includes(status) ? status : allowed[0] });
        counted.cells += 1;
        if (status >= 400) {
          counted.refusals += 1;
          expect(json).toEqual(expect.objectContaining({ error: expect.any(String) }));
          expect({ who, unchanged: storedState(t.db) === before }).toEqual({ who, unchanged: true });
        }
      }
    });
  }

  it('lists show each person only what is theirs to see', async () => {
    const visible = async (who: Who) => ((await call(who, 'GET', '/records')).json as { records: { id: string }[] }).records.map((r) => r.id);
    expect(await visible('supervisee')).toContain(recordId);
    expect(await visible('supervisor')).toContain(recordId);
    expect(await visible('auditor')).toContain(recordId);
    for (const who of ['lineManager', 'safeguardingLead', 'unrelated'] as Who[]) expect({ who, sees: (await visible(who)).includes(recordId) }).toEqual({ who, sees: false });
    const people = async (who: Who) => ((await call(who, 'GET', '/people')).json as { relationships: { id: string }[] }).relationships.map((r) => r.id);
    expect(await people('supervisor')).toContain(REL);
    expect(await people('lineManager')).toContain(REL);
    expect(await people('unrelated')).not.toContain(REL);
    expect(await people('supervisee')).not.toContain(REL); // a supervisee's own arrangement is under /me, not /people
  });
});

async function invoke(who: Who, verb: string, data: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const id = ID[who];
  const from = who === 'none' ? { id: 'anonymous' } : { id: `29:${id}`, aadObjectId: id && aad[id] ? aad[id] : '5a1e0c1e-0666-4a00-8000-000000000666' };
  const res = await fetch(`${t.base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'invoke', name: 'adaptiveCard/action', id: `inv-${verb}-${who}`, channelId: 'msteams', serviceUrl: 'http://localhost:1/_connector',
      from, recipient: { id: '00000000-0000-0000-0000-00000000b07a' },
      conversation: { id: `conv-${who}`, conversationType: 'personal', tenantId: '7d2c1a52-4c1b-4f38-9a34-5e0c6b0f1a01' },
      value: { action: { type: 'Action.Execute', verb, data } },
    }),
  });
  expect(res.headers.get('content-type') ?? '').toMatch(/application\/json/);
  return { status: res.status, text: JSON.stringify(await res.json()) };
}

const NOT_MATCHED = 'I could not match your account';
const RECORD_REFUSAL = 'Only the people in this supervision can see or change its record';
const SESSION_REFUSAL = 'That session is not one you can change, or it no longer exists';

interface Verb {
  verb: string;
  data: () => Record<string, unknown>;
  /** Who gets past the identity check; everyone else gets `refusal`. */
  parties: Who[];
  refusal: string;
}

const VERBS: Verb[] = [
  ...['record.refresh', 'record.save', 'record.submit', 'record.addAction', 'record.removeAction', 'record.countersign', 'record.requestChanges', 'record.disagree'].map((verb) => ({
    verb,
    data: () => ({ recordId }),
    parties: ['supervisee', 'supervisor'] as Who[],
    refusal: RECORD_REFUSAL,
  })),
  { verb: 'action.done', data: () => ({ actionId: 'act-matrix-missing-probe' }), parties: [], refusal: 'That action is not yours, or no longer exists' },
  { verb: 'rebook.keep', data: () => ({ sessionId: 'ses-matrix-rebooked', relationshipId: REL, reason: '' }), parties: ['supervisee', 'supervisor'], refusal: SESSION_REFUSAL },
  { verb: 'rebook.choose', data: () => ({ sessionId: 'ses-matrix-rebooked', relationshipId: REL, start: '2026-01-05T10:00:00Z', end: '2026-01-05T11:00:00Z' }), parties: ['supervisee', 'supervisor'], refusal: SESSION_REFUSAL },
  { verb: 'digest.snooze', data: () => ({ obligationId: 'obl-matrix', days: 3 }), parties: [], refusal: 'Snooze for a day or a week' },
];

describe('bot: every card verb × every kind of person', () => {
  for (const v of VERBS) {
    it(v.verb, async () => {
      for (const who of WHO) {
        const before = storedState(t.db);
        const { status, text } = await invoke(who, v.verb, v.data());
        expect(status).toBe(200); // Universal Actions answer with the card that replaces the clicked one
        counted.cells += 1;
        if (who === 'unknown' || who === 'none') {
          expect({ who, text }).toEqual({ who, text: expect.stringContaining(NOT_MATCHED) });
        } else if (!v.parties.includes(who)) {
          expect({ who, text }).toEqual({ who, text: expect.stringContaining(v.refusal) });
        } else {
          expect({ who, refused: text.includes(v.refusal) || text.includes(NOT_MATCHED) }).toEqual({ who, refused: false });
        }
        const refused = who === 'unknown' || who === 'none' || !v.parties.includes(who);
        if (refused) {
          counted.refusals += 1;
          expect({ who, unchanged: storedState(t.db) === before }).toEqual({ who, unchanged: true });
        }
      }
    });
  }

  it("marks an action done only for its owner, and snoozes only a reminder sent to that person", async () => {
    for (const who of WHO.filter((w) => w !== 'supervisee')) {
      const { text } = await invoke(who, 'action.done', { actionId });
      expect({ who, refused: text.includes('That action is not yours') || text.includes(NOT_MATCHED) }).toEqual({ who, refused: true });
      const snoozed = await invoke(who, 'digest.snooze', { obligationId: 'obl-matrix', days: 1 });
      expect({ who, refused: snoozed.text.includes('That reminder was not sent to you') || snoozed.text.includes(NOT_MATCHED) }).toEqual({ who, refused: true });
    }
    expect((await invoke('supervisee', 'action.done', { actionId })).text).not.toContain('not yours');
    expect((await invoke('supervisee', 'digest.snooze', { obligationId: 'obl-matrix', days: 1 })).text).toContain('Snoozed');
  });

  afterAll(() => {
    process.stdout.write(`authorisation matrix: ${counted.cells} cells (${ROUTES.length} routes + ${VERBS.length} card verbs × ${WHO.length} identities), ${counted.refusals} refusals, each leaving the store unchanged\n`);
  });
});
