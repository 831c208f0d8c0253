/**
 * The tenant journey again, with Microsoft 365 misbehaving the whole way:
 * Graph answering 429 (Retry-After) and 503, creates whose answer is lost
 * after the event was made, SharePoint (the app's store) taking 1 s over every
 * request and throttling some, and the Bot Framework connector throttling.
 * It must still converge: every step's state is reached, with no duplicate
 * event, card or digest. Webhook acknowledge times and card-action answer
 * times under that store latency are measured and printed.
 */
import { startWorld, type World } from '../support/m365sim/world';
import { assertNoDuplicates, runJourney } from './journey';

jest.setTimeout(900_000);
let w: World;

beforeAll(async () => {
  w = await startWorld({ log: process.env.SIM_LOG ?? 'info', env: { PT_RECONCILE_SWEEP_MINUTES: '1440' } });
  const { sim } = w;
  sim.fault({ surface: 'graph', kind: '429', every: 5, retryAfterSeconds: 1 });
  sim.fault({ surface: 'graph', kind: '503', method: 'GET', every: 7 });
  // The first event create (the booking) and one later are made, and their answers lost.
  sim.fault({ surface: 'graph', kind: 'drop', method: 'POST', match: /\/events$/, afterApplying: true, every: 2, times: 2 });
  sim.fault({ surface: 'sharepoint', kind: 'latency', latencyMs: 1000 });
  sim.fault({ surface: 'sharepoint', kind: '429', every: 17, retryAfterSeconds: 1 });
  sim.fault({ surface: 'sharepoint', kind: '503', method: 'GET', every: 13 });
  sim.fault({ surface: 'teams', kind: '429', every: 3, retryAfterSeconds: 1 });
});
afterAll(async () => {
  await w?.stop();
});

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.99) - 1)] ?? NaN;

test('the journey converges with faults everywhere and 1 s of store latency', async () => {
  const result = await runJourney(w, { expect });
  assertNoDuplicates(w, expect, result.digests);
  const acks = w.sim.ackTimes();
  console.log(
    [
      `faults hit: ${JSON.stringify(w.sim.faultHits)}`,
      `webhook acknowledgements: ${acks.length}, p99 ${Math.round(p99(acks))} ms, max ${Math.round(Math.max(...acks))} ms; delayed ${w.sim.delayed}, dropped ${w.sim.dropped}`,
      `card actions: ${result.invokeMs.length}, p99 ${Math.round(p99(result.invokeMs))} ms`,
      `requests per step:\n${Object.entries(result.counts).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n')}`,
    ].join('\n'),
  );
});
