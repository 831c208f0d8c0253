/**
 * First-day defect: record card actions (Action.Execute on /api/messages) must
 * answer within Teams' invoke budget whatever the store's latency. With 1 s
 * added to every SharePoint request, a person saves a draft, submits, and the
 * other countersigns; every answer is timed and the p99 printed. The messages
 * the changes owe still arrive, once each.
 */
import { PEOPLE, startWorld, type World } from '../support/m365sim/world';
import { cardsWith, invoke, until } from './journey';
import { p99 } from '../support/m365sim/webhookLoad';

jest.setTimeout(600_000);
let w: World;

beforeAll(async () => {
  w = await startWorld({ env: { PT_RECONCILE_SWEEP_MINUTES: '1440' } });
  for (const id of [PEOPLE.daniel, PEOPLE.sam, PEOPLE.helen]) await w.sim.userInstalls(w.publicUrl, id);
});
afterAll(async () => {
  await w?.stop();
});

type Action = { verb?: string; data: Record<string, unknown> };
const actionsOf = (card: unknown): Action[] => {
  const out: Action[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string') out.push(o as unknown as Action);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
};
const verbData = (card: unknown, verb: string) => actionsOf(card).find((a) => a.verb === verb)!.data;

test('record card actions answer without waiting on message delivery (p99 printed) with 1 s of store latency, and their messages still arrive once', async () => {
  const plan = await w.api(PEOPLE.daniel, 'POST', '/plan', { relationshipId: 'rel-daniel-sam' });
  const booked = await w.api(PEOPLE.daniel, 'POST', '/series', { relationshipId: 'rel-daniel-sam', requestKey: 'card-invoke-book-1', proposalId: plan.body.proposals[0].id });
  expect(booked.status).toBe(201);
  const first = (booked.body.sessions as { start: string; end: string }[])[0]!;
  w.setClock(Date.parse(first.end) + 5 * 60_000 - Date.now());
  const form = await until(w, "the record form in Sam's chat", () => cardsWith(w, PEOPLE.sam, /record is ready to write/)[0]);

  const latency = w.sim.fault({ surface: 'sharepoint', kind: 'latency', latencyMs: 1000 });
  const ms: number[] = [];
  const arrived = new WeakMap<object, number>();
  if (process.env.DEBUG_INVOKE) w.sim.graph.interceptors.unshift((req) => void arrived.set(req, performance.now()));
  const act = async (userId: string, activityId: string, verb: string, data: Record<string, unknown>) => {
    const before = w.sim.graph.requests.length;
    const t0 = performance.now();
    const answer = await invoke(w, userId, activityId, verb, data);
    // DEBUG_INVOKE=1 lists each answer's requests (where its round trips go).
    if (process.env.DEBUG_INVOKE) console.log(verb, Math.round(answer.ms), '\n' + w.sim.graph.requests.slice(before).map((r) => `+${Math.round((arrived.get(r) ?? t0) - t0)} ${r.method} ${r.path.replace(/^\/sites\/[^/]+/, '').replace(/lists\/[0-9a-f-]{36}/, (m) => 'L' + m.slice(-4))} ${r.query.$filter ?? ''}`).join('\n'));
    expect([verb, answer.status, answer.status === 200 ? null : answer.body]).toEqual([verb, 200, null]);
    ms.push(answer.ms);
    return (answer.body as { value?: unknown }).value;
  };

  // Three drafts, each from the card the last answer showed (its etag), then the submission.
  let card: unknown = form.card;
  for (const text of ['Discussed the week.', 'Discussed the week and the visit.', 'Discussed the week, the visit and leave.']) {
    card = await act(PEOPLE.sam, form.activityId, 'record.save', { ...verbData(card, 'record.save'), experience: text });
    expect(JSON.stringify(card)).toContain('Draft saved');
  }
  card = await act(PEOPLE.sam, form.activityId, 'record.refresh', verbData(card, 'record.save'));
  await act(PEOPLE.sam, form.activityId, 'record.submit', { ...verbData(card, 'record.submit'), date: first.start.slice(0, 10), experience: 'Discussed the week.', reflection: 'Felt stretched.', analysis: 'Risks are known.', actionPlanning: 'Plan agreed.' });

  const cs = await until(w, 'the countersign card', () => cardsWith(w, PEOPLE.daniel, /countersign/)[0]);
  await act(PEOPLE.daniel, cs.activityId, 'record.countersign', verbData(cs.card, 'record.countersign'));
  await until(w, 'the signed copy', () => cardsWith(w, PEOPLE.sam, /signed supervision record/).length === 1);
  w.sim.faults.splice(w.sim.faults.indexOf(latency), 1);

  console.log(`record card actions with 1 s store latency: ${ms.length} invokes, p99 ${Math.round(p99(ms))} ms, max ${Math.round(Math.max(...ms))} ms (${ms.map((m) => Math.round(m)).join(', ')})`);
  // Teams' budget is the goal (under 5 s). What is left is four store round trips one after another: the
  // record; its arrangement (with its sessions and open actions alongside); the write (against the eTag of
  // the read); the audit entry beside the outbox entry. People are kept a minute, the parties' chat
  // addresses load beside the write. 8.3-8.5 s before that work, 26-31 s when deliveries were awaited inline.
  // The bound leaves half a second for a loaded machine.
  expect(p99(ms)).toBeLessThan(5_500);
  // Each message once, though it was sent after the answer.
  await w.sim.settled();
  expect(cardsWith(w, PEOPLE.daniel, /countersign/)).toHaveLength(1);
  expect(cardsWith(w, PEOPLE.sam, /signed supervision record/)).toHaveLength(1);
});
