/**
 * `npm run test:tenant`: the compiled app in tenant mode against the simulated
 * Microsoft 365 (tests/support/m365sim), the whole journey: pt provision,
 * pt doctor, booking a 12-month series for a pair, a cancellation made in
 * Outlook detected through the webhook and rebooked, the record form after the
 * session completed and countersigned, a reminder and an escalation, and the
 * compliance view. Requests per step are printed (and kept in bounds).
 */
import { startWorld, type World } from '../support/m365sim/world';
import { assertNoDuplicates, runJourney } from './journey';

jest.setTimeout(300_000);
let w: World;

beforeAll(async () => {
  w = await startWorld({ log: process.env.SIM_LOG ?? 'info', env: { PT_RECONCILE_SWEEP_MINUTES: '1440' } });
});
afterAll(async () => {
  await w?.stop();
});

test('the journey, whole, in tenant mode', async () => {
  const result = await runJourney(w, { expect });
  assertNoDuplicates(w, expect, result.digests);
  console.log(`requests per step (pt provision: ${JSON.stringify(w.provisionCounts)})\n${Object.entries(result.counts).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n')}`);
});
