/**
 * Reminders and escalation. A sweep runs the pure due engine over everything,
 * works out who should hear about which obligation (the people who owe it,
 * plus whoever the policy's ladder has reached), and queues at most one digest
 * per person per day. A ledger makes each reminder go out once per step per
 * week, across restarts and instances; quiet hours and working days are kept;
 * a rate-limited dispatcher delivers the digests and never drops one.
 */
import { DateTime } from 'luxon';
import { dueObligations, type Obligation } from '../domain/due/dueEngine';
import type { Person, Relationship } from '../domain/model';
import type { EscalationTarget, PolicyPack } from '../domain/policy/schema';
import { describeObligation } from './obligationWords';
import { isWorkingDay } from '../domain/time/workingDays';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Log } from '../ports/log';
import type { Policies } from '../ports/policies';
import type { RecordStore } from '../ports/store';
import type { WorkQueue } from '../ports/workQueue';
import { badRequest, forbidden } from './errors';
import type { DigestItem } from '../ports/messages';
import { retryDelayMs } from './workRetry';
import { escalationRecipients } from './escalation';
import { ledgerKeys } from './ids';
import { FALLBACK_ZONE, localDate, zoneOf } from '../domain/time/zones';
import type { NotifyContext } from './rebooking';
import { TAB_ROUTES, tabLink } from './tabLinks';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface RemindersDeps {
  clock: Clock;
  log: Log;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
  work: WorkQueue;
}

export const DIGEST_KIND = 'digest';
export const REMINDER_KIND = 'reminder';
export const SNOOZE_KIND = 'snooze';
export const REPEAT_DAYS = 7;
const DAY_MS = 86_400_000;


/** One obligation as a line of someone's digest, with the ledger key that records it was told (the sweep and the timelines alike). */
export function digestItem(
  o: Obligation,
  role: DigestItem['role'],
  words: { title: string; about: DigestItem['about']; detail: string },
  timeZone: string,
  ledgerKey: string,
): PlannedDigest['items'][number] {
  return {
    obligationId: o.id,
    kind: o.kind,
    role,
    title: words.title,
    about: words.about,
    explanation: words.detail,
    dueAt: o.dueAt,
    state: o.state,
    actionId: o.kind === 'action-due' ? o.subjectId : undefined,
    timeZone,
    ledgerKey,
    why: role === 'owe' ? `owes it (${o.state}, step ${o.escalationStep})` : `escalation step ${o.escalationStep} of the policy's ladder (${o.notify.join(', ')})`,
  };
}

export interface PlannedDigest {
  personId: string;
  /** The zone the digest's day is counted in: that of the policy under which its first item fell due. */
  zone: string;
  aadObjectId: string;
  firstName: string;
  items: (DigestItem & { ledgerKey: string; why: string })[];
}

export interface SweepPlan {
  now: string;
  digests: PlannedDigest[];
  /** People with something to hear who are not told now, and why (quiet hours, already today...). */
  deferred: { personId: string; why: string }[];
  obligations: number;
  /** Arrangements that could not be judged (something stored for them is unreadable): reported, skipped. */
  skipped?: string[];
}

/** Is `now` a time to send in this policy: a working day, outside its quiet hours? */
export function sendingWindowOpen(policy: PolicyPack, now: DateTime): boolean {
  const local = now.setZone(policy.timeZone);
  if (!isWorkingDay(local.toISODate()!, policy)) return false;
  const hm = local.toFormat('HH:mm');
  const { start, end } = policy.reminders.quietHours;
  const quiet = start > end ? hm >= start || hm < end : hm >= start && hm < end;
  return !quiet;
}

/** Who hears about `rel` at a step of the ladder (usecases/escalation.ts; `cache` shared across the sweep). */
export function resolveTargets(services: RemindersDeps, rel: Relationship, targets: readonly EscalationTarget[], cache: Map<string, Person | undefined>): Promise<Person[]> {
  return escalationRecipients(services, rel, targets, cache);
}

/** The ledger key for telling `personId` about `o` now: once per step per week. */
export function ledgerKey(o: Obligation, personId: string, now: DateTime): string {
  // Whole weeks overdue, counted in elapsed time (not in the process's zone, and without a date library: this runs per item per person).
  const bucket = o.state === 'overdue' ? `w${Math.floor((now.toMillis() - Date.parse(o.dueAt)) / (REPEAT_DAYS * DAY_MS))}` : o.state;
  return ledgerKeys.reminder.format({ obligationId: o.id, step: o.escalationStep, personId, bucket });
}

/** Works out the digests a sweep would send now, without writing anything. */
export async function planDigests(services: RemindersDeps): Promise<SweepPlan> {
  const { store, policies, clock } = services;
  const now = DateTime.fromJSDate(clock.now()).toUTC();
  const relationships = await store.listRelationships({ activeOnly: true });
  const ids = relationships.map((r) => r.id);
  const [sessions, records, actions, agreements] = await Promise.all([
    store.listSessions({ relationshipIds: ids }),
    store.listRecords({ relationshipIds: ids }),
    store.listActions({ relationshipIds: ids }),
    store.listAgreements(ids),
  ]);
  const skipped: string[] = [];
  const obligations = dueObligations({
    now: now.toISO()!, policies, relationships, sessions, records, actions, agreements,
    // One unreadable arrangement is reported and skipped; everyone else is still reminded.
    onSkipped: (relationshipId, reason) => {
      skipped.push(relationshipId);
      services.log.warn({ event: 'reminders.skipped', relationshipId, reason }, 'reminder sweep skipped an unreadable arrangement');
    },
  });
  const relById = new Map(relationships.map((r) => [r.id, r]));
  // The ledger, read once per sweep (not once per obligation): what was already said, snoozed, or sent today.
  const reminded = new Set((await store.listClaims(REMINDER_KIND)).map((c) => c.key));
  const nowIso = now.toISO()!;
  const snoozedBy = (obligationId: string, personId: string) => JSON.stringify([obligationId, personId]);
  const snoozed = new Set(
    (await store.listClaims(SNOOZE_KIND))
      .filter((c) => String(c.detail?.until ?? '') > nowIso)
      .map((c) => ledgerKeys.snooze.parse(c.key))
      .filter((k) => k !== undefined)
      .map((k) => snoozedBy(k.obligationId, k.personId)),
  );
  // The digest-day claims themselves: whether a person had today's digest depends on the zone "today" is read in.
  const hadDigest = new Set((await store.listClaims('digest-day')).map((c) => c.key));
  const cache = new Map<string, Person | undefined>();
  // Names, action texts and session dates, so each item says who and what in words.
  const names = new Map((await services.directory.listPeople()).map((p) => [p.id, p.displayName]));
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const recordById = new Map(records.map((r) => [r.id, r]));
  const actionById = new Map(actions.map((a) => [a.id, a]));
  const byPerson = new Map<string, PlannedDigest>();
  const deferred: SweepPlan['deferred'] = [];

  for (const o of obligations) {
    if (o.state === 'upcoming') continue;
    const rel = relById.get(o.relationshipId);
    const policy = policies.get(o.policyId);
    if (!rel || !policy) continue;
    const owe: Person[] = [];
    for (const id of o.owedBy) {
      if (!cache.has(id)) cache.set(id, await services.directory.getPerson(id));
      const p = cache.get(id);
      if (p) owe.push(p);
    }
    const told = await resolveTargets(services, rel, o.notify, cache);
    const recipients: [Person, 'owe' | 'escalated'][] = [
      ...owe.map((p) => [p, 'owe'] as [Person, 'owe']),
      ...told.filter((p) => !owe.some((x) => x.id === p.id)).map((p) => [p, 'escalated'] as [Person, 'escalated']),
    ];
    for (const [person, role] of recipients) {
      const key = ledgerKey(o, person.id, now);
      if (reminded.has(key) || snoozed.has(snoozedBy(o.id, person.id))) continue;
      if (!sendingWindowOpen(policy, now)) {
        deferred.push({ personId: person.id, why: 'outside working hours or on a non-working day' });
        continue;
      }
      if (hadDigest.has(ledgerKeys.digestDay.format({ personId: person.id, day: localDate(now.toMillis(), policy.timeZone) }))) {
        deferred.push({ personId: person.id, why: 'already had today’s digest' });
        continue;
      }
      const d = byPerson.get(person.id) ?? { personId: person.id, zone: policy.timeZone, aadObjectId: person.aadObjectId, firstName: person.displayName.split(' ')[0]!, items: [] };
      byPerson.set(person.id, d);
      if (d.items.some((i) => i.obligationId === o.id)) continue;
      const sessionId = o.kind === 'countersign-due' ? recordById.get(o.subjectId)?.sessionId : o.subjectId;
      const words = describeObligation(o, {
        rel,
        names,
        viewerId: person.id,
        actionText: o.kind === 'action-due' ? actionById.get(o.subjectId)?.text : undefined,
        sessionStart: sessionId ? sessionById.get(sessionId)?.start : undefined,
        zone: policy.timeZone,
      });
      d.items.push(digestItem(o, role, words, policy.timeZone, key));
    }
  }
  return { now: now.toISO()!, digests: [...byPerson.values()], deferred, obligations: obligations.length, ...(skipped.length ? { skipped } : {}) };
}

/**
 * Plans, then claims: one digest a day per person (the 'digest-day' claim), and
 * each item once per step per week (the 'reminder' claims). Queued for the
 * dispatcher in the same pass, so a crash never loses a digest already claimed.
 */
export async function sweepReminders(services: RemindersDeps): Promise<SweepPlan> {
  const plan = await planDigests(services);
  const sent: PlannedDigest[] = [];
  for (const d of plan.digests) {
    const dayKey = ledgerKeys.digestDay.format({ personId: d.personId, day: localDate(plan.now, d.zone) });
    if (!(await services.store.claim('digest-day', dayKey, plan.now))) continue;
    await services.work.enqueue(DIGEST_KIND, dayKey, { personId: d.personId, aadObjectId: d.aadObjectId, firstName: d.firstName, items: d.items.map(({ ledgerKey: _k, why: _w, ...item }) => item) }, plan.now);
    for (const item of d.items) await services.store.claim(REMINDER_KIND, item.ledgerKey, plan.now);
    await services.store.appendAudit({ at: plan.now, actorId: 'system:reminders', action: 'digest-queued', subjectType: 'person', subjectId: d.personId, detail: { items: d.items.length } });
    sent.push(d);
  }
  return { ...plan, digests: sent };
}

/** A token bucket: at most `perSecond` sends, smoothly. */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    private readonly nowMs: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = perSecond;
    this.last = nowMs();
  }

  async take(): Promise<void> {
    for (;;) {
      const t = this.nowMs();
      this.tokens = Math.min(this.perSecond, this.tokens + ((t - this.last) / 1000) * this.perSecond);
      this.last = t;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(((1 - this.tokens) / this.perSecond) * 1000);
    }
  }
}

/** Status and Retry-After of a throttled Teams call, when the error carries them. */
function throttle(err: unknown): { retryAfterMs?: number } | undefined {
  const e = err as { status?: number; statusCode?: number; response?: { status?: number; headers?: Record<string, string> } };
  const status = e?.status ?? e?.statusCode ?? e?.response?.status;
  if (status !== 429) return undefined;
  const header = e?.response?.headers?.['retry-after'];
  const seconds = header !== undefined ? Number(header) : NaN;
  return { retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : undefined };
}

/** The work-queue error of a digest that could not reach its person in Teams. */
export const UNREACHABLE = 'unreachable: not installed in Teams and the installation was refused';
const UNREACHABLE_RETRY_MS = 60 * 60_000;
const UNREACHABLE_GIVE_UP_MS = 24 * 60 * 60_000;

/** Sends queued digests within the Teams rate limit; throttled or failed sends are retried, never dropped. */
export async function dispatchDigests(services: RemindersDeps, ctx: NotifyContext, workerId: string, limiter: Pick<RateLimiter, 'take'>, batch = 200, concurrency = 1): Promise<{ sent: number; retried: number; unreachable: number }> {
  const now = services.clock.now();
  const items = await services.work.lease(DIGEST_KIND, workerId, now.toISOString(), 5 * 60_000, batch);
  const out = { sent: 0, retried: 0, unreachable: 0 };
  // With a remote outbox each send waits on round trips (send, complete): several in flight keep the
  // rate at the limit, which the limiter still enforces for all of them together.
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) await sendOne(items[next++]!);
  });
  await Promise.all(lanes);
  return out;

  async function sendOne(item: (typeof items)[number]): Promise<void> {
    const p = item.payload as { personId: string; aadObjectId: string; firstName: string; items: (Omit<DigestItem, 'timeZone'> & { timeZone?: string })[] };
    await limiter.take();
    try {
      // Digests queued before items carried their pack's zone are shown in the fallback zone.
      const items = p.items.map((i) => ({ ...i, timeZone: i.timeZone ?? FALLBACK_ZONE }));
      const posted = await ctx.notifier.send(p.aadObjectId, { kind: 'digest', firstName: p.firstName, items, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.todo()) });
      if (!posted) {
        out.unreachable += 1;
        // Not delivered is not done: try again later (Teams may allow the installation, or they open the bot).
        // A digest a day old is superseded by the next day's, which says the same and more.
        if (now.getTime() - Date.parse(item.createdAt) < UNREACHABLE_GIVE_UP_MS) {
          await services.work.retry(item.id, workerId, UNREACHABLE, new Date(now.getTime() + UNREACHABLE_RETRY_MS).toISOString());
        } else {
          await services.work.complete(item.id, workerId, { delivered: false, superseded: true, at: now.toISOString() }, now.toISOString());
        }
        return;
      }
      await services.work.complete(item.id, workerId, { delivered: true, at: services.clock.now().toISOString() }, services.clock.now().toISOString());
      out.sent += 1;
    } catch (err) {
      const t = throttle(err);
      const delay = t?.retryAfterMs ?? retryDelayMs(item.attempts, 2_000);
      await services.work.retry(item.id, workerId, err instanceof Error ? err.message : String(err), new Date(services.clock.now().getTime() + delay).toISOString());
      out.retried += 1;
    }
  }
}

/** "Snooze a week" on a digest item: only for someone the item concerns. Returns until when, and the zone of the item's pack to show it in. */
export async function snooze(services: RemindersDeps, actor: Person, obligationId: string, days: number): Promise<{ until: string; timeZone: string }> {
  if (![1, 7].includes(days)) throw badRequest('Snooze for a day or a week');
  const claims = await services.store.listClaims(REMINDER_KIND, ledgerKeys.reminder.prefixOf(obligationId));
  if (!claims.some((c) => ledgerKeys.reminder.parse(c.key)?.personId === actor.id)) throw forbidden('That reminder was not sent to you');
  const until = DateTime.fromJSDate(services.clock.now()).plus({ days }).toUTC().toISO()!;
  await services.store.claim(SNOOZE_KIND, ledgerKeys.snooze.format({ obligationId, personId: actor.id, until }), services.clock.now().toISOString(), { until });
  // Obligation ids are "kind:relationship:subject" (domain/due/judge.ts).
  const rel = await services.store.getRelationship(obligationId.split(':')[1] ?? '');
  return { until, timeZone: zoneOf(rel ? services.policies.get(rel.policyId) : undefined) };
}
