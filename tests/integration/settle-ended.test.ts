/**
 * A session that ends changes nothing in a calendar, so no change notification
 * announces it; between full sweeps (a tenant sweeps every
 * PT_RECONCILE_SWEEP_MINUTES, up to a day) it would stay "planned" and its
 * record form would wait. With relationship timelines the relationship wakes at
 * the session's end and asks the reconciler to settle it: held within two job
 * runs, the record form posted with it, and no sweep of everyone.
 */
import { EmbeddedLedgerPruning } from '../../src/adapters/embedded/ledgerPruning';
import { EmbeddedTimeline } from '../../src/adapters/embedded/timeline';
import { EmbeddedUnitOfWork } from '../../src/adapters/embedded/unitOfWork';
import { EmbeddedWorkQueue } from '../../src/adapters/embedded/workQueue';
import { signalChanges } from '../../src/adapters/signallingStore';
import { createJobs, SWEEP_LEASE_KEY } from '../../src/jobs';
import type { Services } from '../../src/runtime/services';
import { SETTLE_KIND } from '../../src/usecases/settleWork';
import { FakeNotifier } from '../support/fakeNotifier';
import { testServices } from '../support/services';

const START = '2026-11-23T07:00:00.000Z';
const DAY_MS = 86_400_000;
/** Longer than any tenant's (a day at most), so that no sweep falls between the start and the session's end here. */
const SWEEP_MS = 30 * DAY_MS;

async function world(withTimeline: boolean) {
  const c = await testServices({ now: START });
  let services: Services = c.services;
  if (withTimeline) {
    const timeline = new EmbeddedTimeline(c.db);
    services = { ...c.services, timeline, pruning: new EmbeddedLedgerPruning(c.db), workPruning: new EmbeddedWorkQueue(c.db), unitOfWork: new EmbeddedUnitOfWork(c.db), store: signalChanges(c.store, timeline, c.clock, c.services.log) };
  }
  const notifier = new FakeNotifier();
  // A tenant's schedule: only the first run sweeps.
  const jobs = createJobs({ ...services, schedule: { reconcileSweepMs: SWEEP_MS, directoryChangesMs: DAY_MS } }, { notifier, tabUrl: 'http://localhost:3978/tab/' }, { workerId: 'w1' });
  const run = async (iso: string) => {
    c.clock.set(iso);
    for (const job of jobs) await job.run(c.clock.now());
  };
  // The first planned session to end after the start, and who is asked to write its record.
  const next = (await c.store.listSessions({ status: ['planned'], from: START })).sort((a, b) => (a.end < b.end ? -1 : 1))[0]!;
  return { ...c, services, notifier, run, next };
}

it('with timelines, a session is held and its record form posted within two job runs of its end, without a sweep', async () => {
  const w = await world(true);
  await w.run(START); // the day's sweep, and the first wake-up cycle (everyone judged and put to sleep)
  const end = Date.parse(w.next.end);
  expect(end - Date.parse(START)).toBeLessThan(SWEEP_MS); // it ends before the next sweep is due

  const formsBefore = w.notifier.sent.length;
  await w.run(new Date(end + 60_000).toISOString()); // the relationship wakes and asks; the reconciler is earlier in the run
  await w.run(new Date(end + 120_000).toISOString()); // settled: held, its record form posted
  expect((await w.store.getSession(w.next.id))!.status).toBe('held');
  expect(await w.services.work.result(SETTLE_KIND, `${w.next.id}|${w.next.end}`)).toEqual({ status: 'held' });
  const forms = w.notifier.sent.slice(formsBefore).filter((s) => JSON.stringify(s.card).includes('record'));
  expect(forms.length).toBeGreaterThan(0);
  // No sweep ran: its lease, taken at the start for a day, is still the start's.
  expect(await w.services.work.acquireLease(SWEEP_LEASE_KEY, 'someone-else', new Date(end + 120_000).toISOString(), 1)).toBe(false);
});

it('without timelines (SharePoint-only durable work) the same session is still planned then: it waits for a full sweep', async () => {
  const w = await world(false);
  await w.run(START);
  const end = Date.parse(w.next.end);
  await w.run(new Date(end + 60_000).toISOString());
  await w.run(new Date(end + 120_000).toISOString());
  expect((await w.store.getSession(w.next.id))!.status).toBe('planned');
});
