/**
 * Retention (src/usecases/retention.ts): every kind the use cases claim or
 * enqueue has a rule; the prune removes exactly what is past its period and
 * nothing kept for good, on SQLite and on Azure Tables (Azurite); the daily
 * consistency sweep applies it and says what went; inside the retention window
 * a digest still goes once a day; and over 60 simulated days the ledger and
 * outbox stop growing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AzureDurableParts } from '../../src/adapters/azure/azureDurableStore';
import { AzureStorage } from '../../src/adapters/azure/azureStorage';
import { AzureWorkQueue } from '../../src/adapters/azure/azureWorkQueue';
import { EmbeddedLedgerPruning } from '../../src/adapters/embedded/ledgerPruning';
import { EmbeddedTimeline } from '../../src/adapters/embedded/timeline';
import { EmbeddedUnitOfWork } from '../../src/adapters/embedded/unitOfWork';
import { EmbeddedWorkQueue } from '../../src/adapters/embedded/workQueue';
import { signalChanges } from '../../src/adapters/signallingStore';
import type { LedgerPruning, WorkPruning } from '../../src/ports/ledger';
import type { ClaimLedger } from '../../src/ports/store';
import type { WorkQueue } from '../../src/ports/workQueue';
import type { Services } from '../../src/runtime/services';
import { reconcile } from '../../src/usecases/reconcile';
import { dispatchDigests, RateLimiter } from '../../src/usecases/reminders';
import { CLAIM_RETENTION, DONE_WORK_RETENTION, EXPIRED_LEASE_DAYS, pruneByRetention, type Rule } from '../../src/usecases/retention';
import { consistencySweep, TimelineDriver } from '../../src/usecases/timelines';
import { useAzurite } from '../support/azurite';
import { FakeNotifier } from '../support/fakeNotifier';
import { ROOT, testServices } from '../support/services';

const W = 'worker-test';
const DAY = 24 * 3_600_000;
const NOW = '2026-12-01T12:00:00.000Z';
const ago = (days: number) => new Date(Date.parse(NOW) - days * DAY).toISOString();
const daysOf = (rule: Rule) => (rule.keep === 'for good' ? undefined : rule.keep.days);

describe('retention: the table', () => {
  it('has a rule for every claim and outbox kind the use cases name, and none for a kind nobody uses', () => {
    const dir = path.join(ROOT, 'src', 'usecases');
    const named = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      // Kinds by constant (…_KIND, …_CLAIM, NO_MEETING_LINK, RECORD_MESSAGE_SENT), by literal, and per-subject stems.
      for (const m of text.matchAll(/const [A-Z_]*(?:KIND|CLAIM|NO_MEETING_LINK|MESSAGE_SENT) = '([a-z][a-z-]*)'/g)) named.add(m[1]!);
      for (const m of text.matchAll(/\.(?:claim|enqueue|listClaims)\(\s*'([a-z][a-z-]*)'/g)) named.add(m[1]!);
      for (const m of text.matchAll(/\bkind: '([a-z][a-z-]*)',\s*format:/g)) named.add(m[1]!);
      for (const m of text.matchAll(/=> `([a-z][a-z-]*):\$\{/g)) if (/KIND/.test(text.slice(Math.max(0, m.index! - 60), m.index!))) named.add(`${m[1]}:*`);
    }
    expect(named.size).toBeGreaterThan(20);
    const ruled = new Set([...Object.keys(CLAIM_RETENTION), ...Object.keys(DONE_WORK_RETENTION)]);
    expect([...named].sort()).toEqual([...ruled].sort());
    for (const rule of [...Object.values(CLAIM_RETENTION), ...Object.values(DONE_WORK_RETENTION)]) expect(rule.why.length).toBeGreaterThan(20);
  });
});

/** One engine's durable work: the ledger and its pruning, the outbox and leases and theirs. */
interface Engine {
  ledger: ClaimLedger;
  pruning: LedgerPruning;
  work: WorkQueue;
  workPruning: WorkPruning;
}

async function pruneByTheTable(e: Engine): Promise<void> {
  const { ledger, work } = e;
  const claims = Object.entries(CLAIM_RETENTION).filter(([kind]) => !kind.endsWith('*'));
  for (const [kind, rule] of claims) {
    const days = daysOf(rule);
    // Kept for good: even ten years old.
    await ledger.claim(kind, 'old', ago(days === undefined ? 3650 : days + 1));
    // A rule that keeps only the key in force has no young ones: that key stays, however old.
    await ledger.claim(kind, rule.keep !== 'for good' && rule.keep.keepCurrent ? 'in-force' : 'young', days ? ago(days - 0.5) : ago(400));
  }
  for (const [kind, rule] of Object.entries(DONE_WORK_RETENTION)) {
    const days = daysOf(rule);
    for (const [key, at] of [['old', ago(days === undefined ? 3650 : days + 1)], ['young', ago(days === undefined ? 1 : days - 0.5)], ['pending', ago(3650)]] as const) {
      await work.enqueue(kind, key, {}, at);
      if (key === 'pending') continue;
      const [item] = await work.lease(kind, W, at, 60_000, 1);
      await work.complete(item!.id, W, { key }, at);
    }
  }
  await work.acquireLease('ran-out', W, ago(EXPIRED_LEASE_DAYS + 1), 60_000);
  await work.acquireLease('held', W, ago(0.5), DAY);

  const pruned = await pruneByRetention(e, new Date(NOW), { 'policy-set': 'in-force' });

  for (const [kind, rule] of claims) {
    const left = (await ledger.listClaims(kind)).map((x) => x.key).sort();
    if (kind === 'policy-set') expect(left).toEqual(['in-force']);
    else if (rule.keep === 'for good') expect([kind, left]).toEqual([kind, ['old', 'young']]);
    else expect([kind, left]).toEqual([kind, ['young']]);
    if (rule.keep !== 'for good') expect([kind, pruned[kind]]).toEqual([kind, 1]);
    else expect(pruned[kind]).toBeUndefined();
  }
  for (const [kind, rule] of Object.entries(DONE_WORK_RETENTION)) {
    expect([kind, await work.result(kind, 'old')]).toEqual([kind, rule.keep === 'for good' ? { key: 'old' } : undefined]);
    expect(await work.result(kind, 'young')).toEqual({ key: 'young' });
    expect(pruned[`outbox:${kind}`]).toBe(rule.keep === 'for good' ? undefined : 1);
  }
  // Pending items are never pruned, however old: each is still there to lease.
  for (const kind of Object.keys(DONE_WORK_RETENTION)) expect((await work.lease(kind, W, NOW, 60_000, 10)).map((i) => i.key)).toEqual(['pending']);
  expect(pruned.leases).toBe(1);
  expect(await work.acquireLease('held', 'someone-else', NOW, 60_000)).toBe(false);
}

const WHAT = 'removes claims and done items past their period, keeps young ones, the policy set in force and everything kept for good, and counts what went';

describe('retention: the prune, per engine', () => {
  const azurite = useAzurite();

  it(`SQLite ${WHAT}`, async () => {
    const c = await testServices({ now: NOW, seed: false });
    const work = new EmbeddedWorkQueue(c.db);
    await pruneByTheTable({ ledger: c.store, pruning: new EmbeddedLedgerPruning(c.db), work, workPruning: work });
  });

  it(`Azure Tables (Azurite) ${WHAT}`, async () => {
    const storage = new AzureStorage({ connectionString: azurite().connectionString, prefix: azurite().uniqueName('t') });
    const parts = new AzureDurableParts(storage);
    const work = new AzureWorkQueue(storage);
    await pruneByTheTable({ ledger: parts, pruning: parts, work, workPruning: work });
  });

  it('where the engine cannot delete (no pruning ports: SharePoint lists), nothing is removed and nothing reported', async () => {
    expect(await pruneByRetention({}, new Date(NOW))).toEqual({});
  });
});

/** The seed organisation on SQLite with relationship timelines, run the way the jobs run it; pruning on or off. */
async function world(prune: boolean, start: string) {
  const c = await testServices({ now: start });
  const timeline = new EmbeddedTimeline(c.db);
  const services: Services = {
    ...c.services,
    timeline,
    unitOfWork: new EmbeddedUnitOfWork(c.db),
    store: signalChanges(c.store, timeline, c.clock, c.services.log),
    ...(prune ? { pruning: new EmbeddedLedgerPruning(c.db), workPruning: new EmbeddedWorkQueue(c.db) } : {}),
  };
  const notifier = new FakeNotifier();
  const notify = { notifier, tabUrl: 'http://localhost:3978/tab/' };
  const driver = new TimelineDriver(services, timeline, W);
  /** Digests sent, as "person day" (UTC day of sending: every send here is in London working hours). */
  const digests: string[] = [];
  const dispatch = async () => {
    const before = notifier.sent.length;
    await dispatchDigests(services, notify, W, new RateLimiter(1000));
    for (const s of notifier.sent.slice(before)) if (s.message.kind === 'digest') digests.push(`${s.aadObjectId} ${c.clock.now().toISOString().slice(0, 10)}`);
  };
  const at = async (iso: string) => {
    c.clock.set(iso);
    await reconcile(services, W);
    await driver.run();
    await dispatch();
  };
  const rows = (table: string) => Number((c.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
  return { ...c, services, timeline, at, dispatch, digests, rows };
}

const twice = (digests: string[]) => digests.filter((d, i) => digests.indexOf(d) !== i);

describe('retention: the daily sweep (SQLite)', () => {
  it('keeps a digest to once a day inside the retention window, and reports per kind what it pruned', async () => {
    const w = await world(true, '2026-11-23T09:00:00.000Z');
    await w.at('2026-11-23T09:00:00.000Z');
    let monday = w.digests.length;
    expect(monday).toBeGreaterThan(0);
    const rels = (await w.store.listRelationships({ activeOnly: true })).map((r) => r.id);
    // Later the same day: a sweep (which prunes), then every relationship judged afresh: nobody hears twice.
    for (const iso of ['2026-11-23T15:00:00.000Z', '2026-11-23T16:30:00.000Z']) {
      w.clock.set(iso);
      const report = await consistencySweep(w.services, w.timeline);
      expect(report.pruned).toMatchObject({ 'digest-day': 0, 'outbox:digest': 0 });
      for (const id of rels) await w.timeline.wake(id, iso, 'test: judge again', iso);
      await w.at(iso);
    }
    // Someone may hear for the first time later in the day (a sending window that opens later), never a second time.
    expect(twice(w.digests)).toEqual([]);
    monday = w.digests.length;
    expect((await w.store.listClaims('digest-day')).length).toBe(monday);
    // Three days on, Monday's day claims are gone (that day can never be planned again); its outbox items stay a day longer.
    w.clock.set('2026-11-26T09:00:00.000Z');
    const report = await consistencySweep(w.services, w.timeline);
    expect(report.pruned).toMatchObject({ 'digest-day': monday, 'outbox:digest': 0, reminder: 0 });
    const [audit] = await w.store.listAudit({ actorId: 'system:timelines' });
    expect(audit).toMatchObject({ action: 'consistency-sweep', detail: { 'pruned:digest-day': monday, 'pruned:outbox:digest': 0, 'pruned:reminder': 0 } });
    expect(audit!.detail!.pruned).toBe(Object.values(report.pruned).reduce((a, b) => a + b, 0));
    // Thursday's digests go once each.
    for (const iso of ['2026-11-26T09:00:00.000Z', '2026-11-26T11:00:00.000Z']) {
      for (const id of rels) await w.timeline.wake(id, iso, 'test: judge again', iso);
      await w.at(iso);
    }
    expect(w.digests.length).toBeGreaterThan(monday);
    expect(twice(w.digests)).toEqual([]);
    // A day later Monday's outbox items go too; Thursday's stay.
    w.clock.set('2026-11-27T10:00:00.000Z');
    expect((await consistencySweep(w.services, w.timeline)).pruned).toMatchObject({ 'digest-day': 0, 'outbox:digest': monday });
  });

  it('60 days of the seed organisation: the same digests with pruning as without, none twice a day, and the ledger and outbox stop growing', async () => {
    const start = '2026-11-23T07:00:00.000Z';
    const pruned = await world(true, start);
    const kept = await world(false, start);
    const sizes: { day: number; ledger: [number, number]; outbox: [number, number]; leases: [number, number] }[] = [];
    for (let t = Date.parse(start), step = 0; t < Date.parse(start) + 60 * DAY; t += 2 * 3_600_000, step += 1) {
      const iso = new Date(t).toISOString();
      await pruned.at(iso);
      await kept.at(iso);
      if (step % 12 === 11 && ((step + 1) / 12) % 10 === 0) {
        sizes.push({ day: (step + 1) / 12, ledger: [kept.rows('ledger'), pruned.rows('ledger')], outbox: [kept.rows('outbox'), pruned.rows('outbox')], leases: [kept.rows('leases'), pruned.rows('leases')] });
      }
    }
    expect(pruned.digests).toEqual(kept.digests);
    expect(pruned.digests.length).toBeGreaterThan(20);
    expect(twice(pruned.digests)).toEqual([]);
    process.stdout.write(`rows after N days, without pruning → with pruning (seed organisation, ${pruned.digests.length} digests sent):\n${sizes.map((s) => `  day ${s.day}: ledger ${s.ledger[0]} → ${s.ledger[1]}, outbox ${s.outbox[0]} → ${s.outbox[1]}, leases ${s.leases[0]} → ${s.leases[1]}`).join('\n')}\n`);
    const [day30, day60] = [sizes[2]!, sizes[5]!];
    // Without pruning both keep growing; with it, the last month adds (next to) nothing.
    expect(day60.ledger[0]).toBeGreaterThan(day30.ledger[0]);
    expect(day60.outbox[0]).toBeGreaterThan(day30.outbox[0]);
    expect(day60.ledger[1]).toBeLessThan(day60.ledger[0] / 2);
    expect(day60.outbox[1]).toBeLessThan(day60.outbox[0] / 4);
    expect(day60.ledger[1] - day30.ledger[1]).toBeLessThan((day60.ledger[0] - day30.ledger[0]) / 4);
  }, 180_000);
});
