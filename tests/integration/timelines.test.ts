/**
 * Relationship timelines in local mode (SQLite): the reminders a wake-up
 * cycle sends are the reminders today's whole-organisation sweep sends (same
 * people, same days, same items: one digest per person per day, once per step
 * per week, quiet hours), while each cycle judges only the relationships that
 * changed or fell due; the daily consistency sweep repairs and reports.
 */
import { EmbeddedLedgerPruning } from '../../src/adapters/embedded/ledgerPruning';
import { EmbeddedTimeline } from '../../src/adapters/embedded/timeline';
import { EmbeddedUnitOfWork } from '../../src/adapters/embedded/unitOfWork';
import { EmbeddedWorkQueue } from '../../src/adapters/embedded/workQueue';
import type { Services } from '../../src/runtime/services';
import { SEED_PEOPLE } from '../../src/seed/organisation';
import { reconcile } from '../../src/usecases/reconcile';
import { dispatchDigests, RateLimiter, sweepReminders } from '../../src/usecases/reminders';
import { signalChanges } from '../../src/adapters/signallingStore';
import { consistencySweep, TimelineDriver } from '../../src/usecases/timelines';
import { FakeNotifier } from '../support/fakeNotifier';
import { testServices } from '../support/services';

const W = 'worker-test';
const START = '2026-11-23T07:00:00.000Z';
const aadToId = new Map(SEED_PEOPLE.map((p) => [p.aadObjectId, p.id]));

async function world(withTimeline: boolean) {
  const c = await testServices({ now: START });
  const notifier = new FakeNotifier();
  const notify = { notifier, tabUrl: 'http://localhost:3978/tab/' };
  let services: Services = c.services;
  let driver: TimelineDriver | undefined;
  let timeline: EmbeddedTimeline | undefined;
  if (withTimeline) {
    timeline = new EmbeddedTimeline(c.db);
    services = { ...c.services, timeline, pruning: new EmbeddedLedgerPruning(c.db), workPruning: new EmbeddedWorkQueue(c.db), unitOfWork: new EmbeddedUnitOfWork(c.db), store: signalChanges(c.store, timeline, c.clock, c.services.log) };
    driver = new TimelineDriver(services, timeline, W);
  }
  const judged: number[] = [];
  const at = async (iso: string) => {
    c.clock.set(iso);
    await reconcile(services, W);
    if (driver) judged.push((await driver.run()).cycle.woken);
    else await sweepReminders(services);
    await dispatchDigests(services, notify, W, new RateLimiter(1000));
  };
  /** What was sent: person, London day, and the obligations in it. */
  const sent = () =>
    notifier.sent
      .filter((s) => s.summary.startsWith('Protected Time:'))
      .map((s) => `${aadToId.get(s.aadObjectId)} ${s.posted.activityId.slice(0, 0)}${[...JSON.stringify(s.card).matchAll(/"(?:id|obligationId)":"([a-z-]+:rel-[^"]+)"/g)].map((m) => m[1]).sort().join(',')}`);
  return { ...c, services, notifier, at, sent, judged, timeline };
}

const HOUR = 3_600_000;

describe('relationship timelines (local mode)', () => {
  it('send what the whole-organisation sweep sends, every two hours over four weeks, judging only what changed or fell due', async () => {
    const sweep = await world(false);
    const timelines = await world(true);
    const steps: string[] = [];
    for (let t = Date.parse(START); t < Date.parse(START) + 28 * 24 * HOUR; t += 2 * HOUR) steps.push(new Date(t).toISOString());
    for (const iso of steps) {
      await sweep.at(iso);
      await timelines.at(iso);
    }
    const a = sweep.sent();
    expect(a.length).toBeGreaterThan(5);
    // Each digest is compared with its items, not just its recipient.
    expect(a.every((d) => /^[a-z-]+ [a-z-]+:rel-/.test(d))).toBe(true);
    expect(timelines.sent()).toEqual(a);
    const relationships = (await timelines.store.listRelationships({ activeOnly: true })).length;
    // The first cycle judges everyone (no wake-ups yet); after that only what is due: most hours nothing.
    expect(timelines.judged[0]).toBe(relationships);
    const idle = timelines.judged.slice(1).filter((n) => n === 0).length;
    expect(idle / (steps.length - 1)).toBeGreaterThan(0.8);
    const judgedTotal = timelines.judged.reduce((x, y) => x + y, 0);
    expect(judgedTotal).toBeLessThan((steps.length * relationships) / 10);
  }, 120_000);

  it('a change (a cancelled session) wakes its relationship at once; the next cycle judges that one alone', async () => {
    const w = await world(true);
    await w.at('2026-11-23T09:00:00.000Z');
    const wakeups = new Map((await w.timeline!.list()).map((x) => [x.relationshipId, x]));
    expect(wakeups.size).toBe((await w.store.listRelationships({ activeOnly: true })).length);
    expect([...wakeups.values()].every((x) => x.at > '2026-11-23T09:00:00.000Z')).toBe(true);
    const [tom] = await w.store.listSessions({ relationshipIds: ['rel-grace-tom'], status: ['planned'] });
    await w.services.store.saveSessions([{ ...tom!, status: 'cancelled' }]);
    expect((await w.timeline!.list()).find((x) => x.relationshipId === 'rel-grace-tom')).toMatchObject({ at: '2026-11-23T09:00:00.000Z', reason: 'changed: saveSessions' });
    await w.at('2026-11-23T09:01:00.000Z');
    expect(w.judged.at(-1)).toBe(1);
  });

  it('the daily consistency sweep adds missing wake-ups, resends lost ones, drops ended ones, notices a policy change, prunes the ledger, and says so', async () => {
    const w = await world(true);
    const first = await consistencySweep(w.services, w.timeline!);
    expect(first).toMatchObject({ missing: 0, lost: 0, orphaned: 0, policiesChanged: true });
    const active = (await w.store.listRelationships({ activeOnly: true })).map((r) => r.id);
    expect((await w.timeline!.list()).map((x) => x.relationshipId).sort()).toEqual(active.sort());
    await w.at('2026-11-23T09:00:00.000Z');
    // Break things: one wake-up missing, one long overdue and never taken, one for a relationship that ended.
    await w.timeline!.forget(active[0]!);
    w.db.prepare('UPDATE timeline SET at = ? WHERE relationship_id = ?').run('2026-11-20T00:00:00.000Z', active[1]!);
    await w.timeline!.wake('rel-that-ended', '2026-11-23T09:00:00.000Z', 'changed', '2026-11-23T09:00:00.000Z');
    await w.store.claim('reminder', 'old|p|w0', '2026-11-01T09:00:00.000Z');
    await w.store.claim('reminder', 'recent|p|w0', '2026-11-22T09:00:00.000Z');
    const report = await consistencySweep(w.services, w.timeline!);
    expect(report).toMatchObject({ relationships: active.length, missing: 1, lost: 1, orphaned: 1, policiesChanged: false });
    expect(report.pruned.reminder).toBeGreaterThanOrEqual(1);
    // Done work and run-out leases are pruned by the same sweep (counts per kind: retention.test.ts).
    expect(report.pruned).toMatchObject({ 'outbox:digest': expect.any(Number), leases: expect.any(Number) });
    expect((await w.store.listClaims('reminder')).map((c) => c.key)).toContain('recent|p|w0');
    expect((await w.store.listClaims('reminder')).map((c) => c.key)).not.toContain('old|p|w0');
    expect((await w.store.listAudit({ actorId: 'system:timelines' }))[0]).toMatchObject({ action: 'consistency-sweep', detail: { missing: 1, lost: 1, orphaned: 1 } });
    // Fixed: a second sweep finds nothing.
    expect(await consistencySweep(w.services, w.timeline!)).toMatchObject({ missing: 0, lost: 0, orphaned: 0 });
  });
});
