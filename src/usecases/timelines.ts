/**
 * Relationship timelines: reminders that cost what changed, not what exists.
 *
 * A relationship is woken by a change (a session booked, cancelled or held, a
 * record submitted or signed, an action done, an agreement signed: see
 * signalChanges) or by its own next due time. A wake-up cycle takes the due
 * wake-ups, judges only those relationships with the pure due engine, queues
 * digests through the same ledger as the sweep (one digest per person per day,
 * each item once per step per week, quiet hours and working days kept), and
 * puts each relationship back to sleep until the next time something about it
 * can change (nextChangeAt), or until the sending window opens for what it had
 * to hold back. Nothing reads the whole organisation on a timer: a daily
 * consistency sweep, under one lease across instances, only checks that every
 * active relationship has a wake-up (and fixes and reports any that do not),
 * notices a changed policy set, and prunes the ledger.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { dueObligations, type Obligation } from '../domain/due/dueEngine';
import { nextChangeAt } from '../domain/due/wakeups';
import type { Person, Relationship, Session } from '../domain/model';
import type { PolicyPack } from '../domain/policy/schema';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { RecordStore } from '../ports/store';
import type { TakenWakeup, Timeline } from '../ports/timeline';
import { eachWriteOnItsOwn, type UnitOfWork } from '../ports/unitOfWork';
import type { Log } from '../ports/log';
import type { Policies } from '../ports/policies';
import type { LedgerPruning, WorkPruning } from '../ports/ledger';
import type { WorkQueue } from '../ports/workQueue';
import { DIGEST_KIND, digestItem, digestPayload, ledgerKey, type PlannedDigest, REMINDER_KIND, REPEAT_DAYS, resolveTargets, sendingWindowOpen, SNOOZE_KIND } from './reminders';
import { describeObligation, type ObligationWords } from './obligationWords';
import { ledgerKeys } from './ids';
import { queueSettle } from './settleWork';
import { type Pruned, pruneByRetention } from './retention';
import { localDate, startOfNextLocalDay } from '../domain/time/zones';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface TimelinesDeps {
  clock: Clock;
  log: Log;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
  work: WorkQueue;
  pruning?: LedgerPruning;
  workPruning?: WorkPruning;
  unitOfWork?: UnitOfWork;
  timeline?: Timeline;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** How long one instance holds a relationship while it judges it. */
export const WAKE_LEASE_MS = 5 * MINUTE_MS;
/** The longest a relationship sleeps without being judged again (Azure Queue's longest visibility timeout). */
export const HORIZON_MS = 7 * DAY_MS;
/** After a wake-up that failed, try that relationship again this soon. */
const RETRY_MS = 15 * MINUTE_MS;
/** The lease under which one instance runs the daily consistency sweep. */
export const CONSISTENCY_LEASE_KEY = 'job:timeline-consistency';
export const CONSISTENCY_EVERY_MS = DAY_MS;
/** A wake-up this far past its time and never taken was lost (a lost or poisoned message): wake it afresh. */
const LOST_AFTER_MS = 60 * MINUTE_MS;

export interface WakeCycleOutcome {
  woken: number;
  digests: number;
  items: number;
  deferred: number;
  failed: { relationshipId: string; error: string }[];
}

/**
 * One wake-up cycle: takes up to `limit` due relationships and handles them.
 * Several instances may run it at once: each relationship is leased to one.
 */
export async function runWakeCycle(services: TimelinesDeps, timeline: Timeline, workerId: string, limit = 500): Promise<WakeCycleOutcome> {
  // All of a cycle's writes together where the engine can (SQLite: one transaction; a crash redoes the cycle).
  return (services.unitOfWork ?? eachWriteOnItsOwn).run(() => wakeCycle(services, timeline, workerId, limit));
}

async function wakeCycle(services: TimelinesDeps, timeline: Timeline, workerId: string, limit: number): Promise<WakeCycleOutcome> {
  const now = services.clock.now();
  const nowIso = now.toISOString();
  const out: WakeCycleOutcome = { woken: 0, digests: 0, items: 0, deferred: 0, failed: [] };
  const taken = await timeline.take(nowIso, workerId, WAKE_LEASE_MS, limit);
  if (!taken.length) return out;
  out.woken = taken.length;

  // The woken relationships and their facts: one read per kind of fact for the whole batch.
  const loaded = await Promise.all(taken.map(async (w) => ({ w, rel: await services.store.getRelationship(w.relationshipId) })));
  const live = loaded.filter((x): x is { w: TakenWakeup; rel: Relationship } => Boolean(x.rel?.active));
  for (const x of loaded) if (!x.rel?.active) await timeline.forget(x.w.relationshipId);
  const ids = live.map((x) => x.rel.id);
  const [sessions, records, actions, agreements] = ids.length
    ? await Promise.all([services.store.listSessions({ relationshipIds: ids }), services.store.listRecords({ relationshipIds: ids }), services.store.listActions({ relationshipIds: ids }), services.store.listAgreements(ids)])
    : [[], [], [], []];

  const cycleNow = new CycleNow(now);
  const view = new LedgerView(services.store, cycleNow);
  const people = new Map<string, Person | undefined>();
  const byPerson = new Map<string, PlannedDigest>();
  const plans: { w: TakenWakeup; rel: Relationship; obligations: Obligation[]; holdUntil?: number }[] = [];
  // The due engine over the batch at once (it prepares each policy's calendar once); if that throws,
  // one relationship at a time, so one bad relationship never stops the others.
  const judged = new Map<string, Obligation[]>();
  try {
    for (const o of dueObligations({ now: nowIso, policies: services.policies, relationships: live.map((x) => x.rel), sessions, records, actions, agreements })) {
      const list = judged.get(o.relationshipId);
      if (list) list.push(o);
      else judged.set(o.relationshipId, [o]);
    }
    for (const { rel } of live) if (!judged.has(rel.id)) judged.set(rel.id, []);
  } catch {
    judged.clear();
  }
  // Who is who, read once per cycle (the safeguarding leads are a directory listing).
  const cycleServices: TimelinesDeps = { ...services, directory: memoDirectory(services.directory) };
  // Each item names its person and thing in words, as the sweep's digests do (src/usecases/obligationWords.ts).
  const names = namesOf(await cycleServices.directory.listPeople());
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const recordById = new Map(records.map((r) => [r.id, r]));
  const actionById = new Map(actions.map((a) => [a.id, a]));
  const wordsFor: WordsFor = (o, rel, viewerId, zone) => {
    const sessionId = o.kind === 'countersign-due' ? recordById.get(o.subjectId)?.sessionId : o.subjectId;
    return describeObligation(o, { rel, names, viewerId, actionText: o.kind === 'action-due' ? actionById.get(o.subjectId)?.text : undefined, sessionStart: sessionId ? sessionById.get(sessionId)?.start : undefined, zone });
  };
  for (const { w, rel } of live) {
    try {
      const mine = <T extends { relationshipId: string }>(xs: T[]) => xs.filter((x) => x.relationshipId === rel.id);
      const obligations = judged.get(rel.id) ?? dueObligations({ now: nowIso, policies: services.policies, relationships: [rel], sessions: mine(sessions), records: mine(records), actions: mine(actions), agreements: mine(agreements) });
      const holdUntil = await planRelationship(cycleServices, rel, obligations, cycleNow, view, people, byPerson, wordsFor);
      plans.push({ w, rel, obligations, holdUntil });
    } catch (err) {
      out.failed.push({ relationshipId: rel.id, error: err instanceof Error ? err.message : String(err) });
      await timeline.settle(w, workerId, { at: new Date(now.getTime() + RETRY_MS).toISOString(), reason: 'retry after a failure' }, nowIso);
    }
  }

  // Claim and queue, as the sweep does: a crash after a claim never loses the digest (it is queued in the same pass).
  for (const d of byPerson.values()) {
    const dayKey = ledgerKeys.digestDay.format({ personId: d.personId, day: cycleNow.today(d.zone) });
    if (!(await services.store.claim('digest-day', dayKey, nowIso))) {
      // Another instance sent this person's digest today first: their items wait for tomorrow's window.
      out.deferred += d.items.length;
      const from = cycleNow.tomorrowStarts(d.zone);
      for (const p of plans) {
        if (!d.items.some((i) => p.obligations.some((o) => o.id === i.obligationId))) continue;
        const policy = services.policies.get(p.rel.policyId);
        const at = policy ? nextWindowOpen(policy, from) : from;
        if (p.holdUntil === undefined || at < p.holdUntil) p.holdUntil = at;
      }
      continue;
    }
    await services.work.enqueue(DIGEST_KIND, dayKey, digestPayload(d), nowIso);
    for (const item of d.items) await services.store.claim(REMINDER_KIND, item.ledgerKey, nowIso);
    await services.store.appendAudit({ at: nowIso, actorId: 'system:reminders', action: 'digest-queued', subjectType: 'person', subjectId: d.personId, detail: { items: d.items.length } });
    out.digests += 1;
    out.items += d.items.length;
  }

  // A planned session that has ended is settled (held, or missed if it vanished) by the reconciler, which reads the
  // calendar: asked for here, as a session ending changes nothing in a calendar and no notification announces it.
  const ends = sessionEnds(sessions, now.getTime());
  for (const s of ends.ended) await queueSettle(services.work, s, nowIso);

  // Back to sleep until something about the relationship can next change (a session ending included), or the window opens for what was held back.
  for (const p of plans) {
    const due = nextChangeAt(p.obligations, services.policies, now.getTime(), { repeatMs: REPEAT_DAYS * DAY_MS, horizonMs: HORIZON_MS });
    const sessionEnd = ends.next.get(p.rel.id);
    const changes = sessionEnd !== undefined && sessionEnd < due ? sessionEnd : due;
    const at = p.holdUntil !== undefined && p.holdUntil < changes ? p.holdUntil : changes;
    if (p.holdUntil !== undefined) out.deferred += 1;
    await timeline.settle(p.w, workerId, { at: new Date(at).toISOString(), reason: at === p.holdUntil ? 'sending window' : 'due' }, nowIso);
  }
  if (out.failed.length) services.log.warn({ event: 'timeline', failed: out.failed.slice(0, 20) }, 'some relationships could not be judged; they are tried again soon');
  return out;
}

/**
 * The cycle's planned sessions that have ended (to be settled), and per
 * relationship the next end still to come (epoch ms), when it should wake.
 */
function sessionEnds(sessions: readonly Session[], nowMs: number): { ended: Session[]; next: Map<string, number> } {
  const ended: Session[] = [];
  const next = new Map<string, number>();
  for (const s of sessions) {
    if (s.status !== 'planned') continue;
    const end = Date.parse(s.end);
    if (end <= nowMs) ended.push(s);
    else if (end < (next.get(s.relationshipId) ?? Infinity)) next.set(s.relationshipId, end);
  }
  return { ended, next };
}

/** How long a listing of everyone (read for the safeguarding leads an escalation names) is reused across cycles. */
const LISTING_TTL_MS = 10 * MINUTE_MS;
const listings = new WeakMap<DirectoryPort, { at: number; people: Promise<Person[]> }>();

/**
 * The directory with the listing of everyone reused for LISTING_TTL_MS (real
 * time: it is a cache, not a rule): a cycle of a few relationships must not
 * read the whole organisation to find the safeguarding leads.
 */
function memoDirectory(directory: DirectoryPort): DirectoryPort {
  const everyone = () => {
    let hit = listings.get(directory);
    if (!hit || Date.now() - hit.at > LISTING_TTL_MS) {
      const entry = { at: Date.now(), people: directory.listPeople() };
      entry.people.catch(() => listings.delete(directory));
      listings.set(directory, (hit = entry));
    }
    return hit.people;
  };
  return new Proxy(directory, {
    get(target, prop, receiver) {
      if (prop === 'listPeople') return everyone;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const namesByListing = new WeakMap<Person[], Map<string, string>>();

/** Display names by id for a listing, built once per listing (the listing is reused across cycles; 50,000 names took ~20 ms a cycle). */
function namesOf(people: Person[]): Map<string, string> {
  let names = namesByListing.get(people);
  if (!names) namesByListing.set(people, (names = new Map(people.map((p) => [p.id, p.displayName]))));
  return names;
}

/** What the ledger says for the people and obligations of this cycle, read per prefix (never the whole ledger). */
class LedgerView {
  private readonly reminded = new Map<string, Promise<Set<string>>>();
  private readonly snoozed = new Map<string, Promise<Set<string>>>();
  private readonly hadDigest = new Map<string, Promise<boolean>>();

  constructor(
    private readonly store: RecordStore,
    private readonly now: CycleNow,
  ) {}

  remindedKeys(obligationId: string): Promise<Set<string>> {
    return memo(this.reminded, obligationId, async () => new Set((await this.store.listClaims(REMINDER_KIND, ledgerKeys.reminder.prefixOf(obligationId))).map((c) => c.key)));
  }

  /** People who snoozed this obligation, still snoozed now. */
  snoozedPeople(obligationId: string): Promise<Set<string>> {
    const nowIso = this.now.iso;
    return memo(this.snoozed, obligationId, async () => new Set((await this.store.listClaims(SNOOZE_KIND, ledgerKeys.snooze.prefixOf(obligationId))).filter((c) => String(c.detail?.until ?? '') > nowIso).map((c) => ledgerKeys.snooze.parse(c.key)?.personId).filter((id) => id !== undefined)));
  }

  /** Whether the person had their digest on today's date in `zone`. */
  hadDigestToday(personId: string, zone: string): Promise<boolean> {
    const key = ledgerKeys.digestDay.format({ personId, day: this.now.today(zone) });
    return memo(this.hadDigest, key, async () => (await this.store.listClaims('digest-day', key)).some((c) => c.key === key));
  }
}

function memo<K, T>(cache: Map<K, T>, key: K, make: () => T): T {
  let hit = cache.get(key);
  if (hit === undefined) cache.set(key, (hit = make()));
  return hit;
}

/**
 * "Now" as a cycle asks about it: the local date, the next local day and
 * whether the sending window is open depend only on the zone or the policy,
 * and a cycle's relationships share a few packs, so each is worked out once
 * (date arithmetic in a zone was the largest cost of a cycle, profiled).
 */
class CycleNow {
  readonly iso: string;
  readonly dt: DateTime;
  private readonly dates = new Map<string, string>();
  private readonly nextDays = new Map<string, number>();
  private readonly windows = new Map<PolicyPack, boolean>();

  constructor(readonly at: Date) {
    this.iso = at.toISOString();
    this.dt = DateTime.fromJSDate(at).toUTC();
  }

  /** Today's date in `zone`. */
  today(zone: string): string {
    return memo(this.dates, zone, () => localDate(this.at, zone));
  }

  /** When tomorrow starts in `zone` (epoch ms). */
  tomorrowStarts(zone: string): number {
    return memo(this.nextDays, zone, () => startOfNextLocalDay(this.at, zone));
  }

  /** Whether the policy's sending window is open now. */
  windowOpen(policy: PolicyPack): boolean {
    return memo(this.windows, policy, () => sendingWindowOpen(policy, this.dt));
  }
}

/**
 * Adds this relationship's items to the people's digests (the same rules as
 * planDigests). Returns when to look again for items held back (quiet hours, a
 * non-working day, or the person's digest already sent today), if any were.
 */
type WordsFor = (o: Obligation, rel: Relationship, viewerId: string, zone: string) => ObligationWords;

async function planRelationship(services: TimelinesDeps, rel: Relationship, obligations: Obligation[], now: CycleNow, view: LedgerView, cache: Map<string, Person | undefined>, byPerson: Map<string, PlannedDigest>, wordsFor: WordsFor): Promise<number | undefined> {
  let holdUntil: number | undefined;
  const hold = (t: number) => {
    if (holdUntil === undefined || t < holdUntil) holdUntil = t;
  };
  for (const o of obligations) {
    if (o.state === 'upcoming') continue;
    const policy = services.policies.get(o.policyId);
    if (!policy) continue;
    const owe: Person[] = [];
    for (const id of o.owedBy) {
      if (!cache.has(id)) cache.set(id, await services.directory.getPerson(id));
      const p = cache.get(id);
      if (p) owe.push(p);
    }
    const told = await resolveTargets(services, rel, o.notify, cache);
    const recipients: [Person, 'owe' | 'escalated'][] = [...owe.map((p) => [p, 'owe'] as [Person, 'owe']), ...told.filter((p) => !owe.some((x) => x.id === p.id)).map((p) => [p, 'escalated'] as [Person, 'escalated'])];
    const [reminded, snoozed] = await Promise.all([view.remindedKeys(o.id), view.snoozedPeople(o.id)]);
    for (const [person, role] of recipients) {
      const key = ledgerKey(o, person.id, now.dt);
      if (reminded.has(key) || snoozed.has(person.id)) continue;
      if (!now.windowOpen(policy)) {
        hold(nextWindowOpen(policy, now.at.getTime()));
        continue;
      }
      const planned = byPerson.get(person.id);
      if (!planned && (await view.hadDigestToday(person.id, policy.timeZone))) {
        hold(nextWindowOpen(policy, now.tomorrowStarts(policy.timeZone)));
        continue;
      }
      const d = planned ?? { personId: person.id, zone: policy.timeZone, aadObjectId: person.aadObjectId, firstName: person.displayName.split(' ')[0]!, items: [] };
      byPerson.set(person.id, d);
      if (d.items.some((i) => i.obligationId === o.id)) continue;
      const words = wordsFor(o, rel, person.id, policy.timeZone);
      d.items.push(digestItem(o, role, words, policy.timeZone, key));
    }
  }
  return holdUntil;
}

const windowMemo = new WeakMap<PolicyPack, Map<number, number>>();

/** The first instant at or after `fromMs` when the policy's sending window is open (15-minute steps; at most 8 days on). */
export function nextWindowOpen(policy: PolicyPack, fromMs: number): number {
  // Many people in a cycle wait for the same opening: remembered per policy and starting instant.
  let memo = windowMemo.get(policy);
  if (!memo) windowMemo.set(policy, (memo = new Map()));
  const hit = memo.get(fromMs);
  if (hit !== undefined) return hit;
  if (memo.size > 10_000) memo.clear();
  const at = findWindowOpen(policy, fromMs);
  memo.set(fromMs, at);
  return at;
}

function findWindowOpen(policy: PolicyPack, fromMs: number): number {
  const step = 15 * MINUTE_MS;
  let t = Math.ceil(fromMs / step) * step;
  for (let i = 0; i < (8 * DAY_MS) / step; i += 1, t += step) if (sendingWindowOpen(policy, DateTime.fromMillis(t))) return t;
  return fromMs + DAY_MS;
}

export interface ConsistencyReport {
  at: string;
  relationships: number;
  /** Active relationships that had no wake-up (woken now). */
  missing: number;
  /** Wake-ups long past their time and never taken (a lost or poisoned message): woken afresh. */
  lost: number;
  /** Wake-ups of relationships that ended or no longer exist: removed. */
  orphaned: number;
  /** True when the policy set changed since the last sweep (every relationship woken). */
  policiesChanged: boolean;
  /** What the prune removed, by claim kind, `outbox:<kind>` and `leases` (retention.ts). */
  pruned: Pruned;
}

/**
 * The daily consistency sweep: two listings (relationships, wake-ups), a fix
 * for whatever does not match, a ledger prune, and a report of what it fixed.
 */
export async function consistencySweep(services: TimelinesDeps, timeline: Timeline): Promise<ConsistencyReport> {
  return (services.unitOfWork ?? eachWriteOnItsOwn).run(() => sweepTimelines(services, timeline));
}

async function sweepTimelines(services: TimelinesDeps, timeline: Timeline): Promise<ConsistencyReport> {
  const now = services.clock.now();
  const nowIso = now.toISOString();
  const [relationships, wakeups] = await Promise.all([services.store.listRelationships({ activeOnly: true }), timeline.list()]);
  const active = new Set(relationships.map((r) => r.id));
  const scheduled = new Map(wakeups.map((w) => [w.relationshipId, w]));
  const report: ConsistencyReport = { at: nowIso, relationships: relationships.length, missing: 0, lost: 0, orphaned: 0, policiesChanged: false, pruned: {} };

  // A changed policy set (a pack added, removed or edited) can change every relationship's obligations.
  const fingerprint = policyFingerprint(services.policies);
  report.policiesChanged = await services.store.claim('policy-set', fingerprint, nowIso);
  for (const id of active) {
    const w = scheduled.get(id);
    if (report.policiesChanged) await timeline.wake(id, nowIso, 'policy changed', nowIso);
    else if (!w) {
      report.missing += 1;
      await timeline.wake(id, nowIso, 'consistency sweep: no wake-up', nowIso);
    } else if (Date.parse(w.at) < now.getTime() - LOST_AFTER_MS) {
      report.lost += 1;
      await timeline.wake(id, nowIso, 'consistency sweep: wake-up lost', nowIso, { resend: true });
    }
  }
  for (const w of wakeups) {
    if (active.has(w.relationshipId)) continue;
    report.orphaned += 1;
    await timeline.forget(w.relationshipId);
  }
  // What is kept how long, and why: usecases/retention.ts. The policy set in force stays however old.
  report.pruned = await pruneByRetention(services, now, { 'policy-set': fingerprint });
  const fixed = report.missing + report.lost + report.orphaned;
  services.log[fixed ? 'warn' : 'info']({ event: 'timeline-consistency', ...report }, fixed ? `consistency sweep fixed ${fixed} relationship timeline(s)` : 'consistency sweep: every relationship has its wake-up');
  await services.store.appendAudit({ at: nowIso, actorId: 'system:timelines', action: 'consistency-sweep', subjectType: 'organisation', subjectId: 'timelines', detail: { relationships: report.relationships, missing: report.missing, lost: report.lost, orphaned: report.orphaned, policiesChanged: report.policiesChanged, pruned: Object.values(report.pruned).reduce((a, b) => a + b, 0), ...Object.fromEntries(Object.entries(report.pruned).map(([what, n]) => [`pruned:${what}`, n])) } });
  return report;
}

function policyFingerprint(policies: ReadonlyMap<string, PolicyPack>): string {
  const h = createHash('sha256');
  for (const id of [...policies.keys()].sort()) h.update(JSON.stringify(policies.get(id)));
  return h.digest('hex');
}

/**
 * What the reminders job runs when the app has a timeline: the consistency
 * sweep when due (once a day across instances, under a lease), then a wake-up
 * cycle. Asks for the lease at most every few minutes.
 */
export class TimelineDriver {
  private nextAskAt = 0;

  constructor(
    private readonly services: TimelinesDeps,
    private readonly timeline: Timeline,
    private readonly workerId: string,
  ) {}

  async run(): Promise<{ sweep?: ConsistencyReport; cycle: WakeCycleOutcome }> {
    const now = this.services.clock.now();
    let sweep: ConsistencyReport | undefined;
    if (now.getTime() >= this.nextAskAt) {
      // Held for a day and never released: its expiry is the durable "next sweep" mark, across restarts too.
      if (await this.services.work.acquireLease(CONSISTENCY_LEASE_KEY, this.workerId, now.toISOString(), CONSISTENCY_EVERY_MS)) {
        this.nextAskAt = now.getTime() + CONSISTENCY_EVERY_MS;
        sweep = await consistencySweep(this.services, this.timeline);
      } else this.nextAskAt = now.getTime() + 5 * MINUTE_MS;
    }
    // Everything due, in batches (a cold start or a policy change wakes everyone).
    const cycle: WakeCycleOutcome = { woken: 0, digests: 0, items: 0, deferred: 0, failed: [] };
    for (let i = 0; i < 100; i += 1) {
      const one = await runWakeCycle(this.services, this.timeline, this.workerId);
      cycle.woken += one.woken;
      cycle.digests += one.digests;
      cycle.items += one.items;
      cycle.deferred += one.deferred;
      cycle.failed.push(...one.failed);
      if (!one.woken) break;
    }
    return { ...(sweep ? { sweep } : {}), cycle };
  }
}
