/**
 * Rebooking cancelled sessions, from the durable outbox the reconciler fills.
 * Each step is safe to repeat after a crash: the calendar create carries a
 * transaction id derived from the cancelled session, and the replacement
 * session's id is derived the same way, so a retry finds what the first try made.
 */
import { DateTime, Duration } from 'luxon';
import type { Person, Relationship, Session } from '../domain/model';
import { rebook } from '../domain/planning/rebooker';
import type { EscalationTarget } from '../domain/policy/schema';
import { findStaffGroup } from '../domain/policy/validate';
import type { Message, SessionNotice, Slot } from '../ports/messages';
import type { NotifyContext as PortNotifyContext } from '../ports/notifier';
import type { WorkItem, WorkQueue } from '../ports/workQueue';
import type { CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import type { CrashPoint } from '../ports/crashPoints';
import type { DirectoryPort } from '../ports/directory';
import type { Log } from '../ports/log';
import type { Policies } from '../ports/policies';
import type { RecordStore } from '../ports/store';
import { escalationRecipients } from './escalation';
import { ids, requestKeys } from './ids';
import { sessionEvent } from './sessionEvents';
import { forbidden, notFound, badRequest } from './errors';
import { retryDelayMs } from './workRetry';
import { gatherParticipants } from './participants';
import { flagMissingMeeting } from './meetingLinks';
import { REBOOK_KIND } from './reconcile';
import { TAB_ROUTES, tabLink } from './tabLinks';
import { earliestMoveStart, moveMode, moveRefusal } from '../domain/moves';
import { proposeRebook, type MoveTeller } from './rebookProposal';

/** The notifier port's context, plus who renders notices about moves that ask first (propose mode); absent: those moves are told to nobody. */
export interface NotifyContext extends PortNotifyContext {
  moves?: MoveTeller;
}

/** The ports this use case reaches the world through (the composition root passes them). */
export interface RebookingDeps {
  clock: Clock;
  log: Log;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
  calendar: CalendarPort;
  work: WorkQueue;
  /** Fault injection for the crash tests (absent: none). */
  crashPoint?: CrashPoint;
}

/** Short: a worker that dies mid-rebook holds it only this long before another instance (or the restarted app) takes over. */
const LEASE_MS = 20_000;

export function replacementId(sessionId: string): string {
  return ids.replacementSession(sessionId);
}

/** Local-mode fault injection for the crash test: die at a named point, as a kill -9 would. */
function crashPoint(services: RebookingDeps, point: string): void {
  services.crashPoint?.(point);
}

export async function processRebooks(services: RebookingDeps, ctx: NotifyContext, workerId: string): Promise<number> {
  const now = services.clock.now().toISOString();
  const items = await services.work.lease(REBOOK_KIND, workerId, now, LEASE_MS, 10);
  for (const item of items) {
    try {
      const result = await rebookOne(services, ctx, item);
      await services.work.complete(item.id, workerId, result, services.clock.now().toISOString());
    } catch (err) {
      const backoffMs = retryDelayMs(item.attempts);
      services.log.error({ event: 'rebook.failed', key: item.key, attempts: item.attempts, err: err instanceof Error ? err.message : String(err) }, 'rebook failed; will retry');
      await services.work.retry(item.id, workerId, err instanceof Error ? err.message : String(err), new Date(services.clock.now().getTime() + backoffMs).toISOString());
    }
  }
  return items.length;
}

async function load(services: RebookingDeps, relationshipId: string) {
  const rel = await services.store.getRelationship(relationshipId);
  if (!rel) throw notFound('relationship gone');
  const policy = services.policies.get(rel.policyId);
  const group = policy && findStaffGroup(policy, rel.staffGroupId);
  if (!policy || !group) throw notFound('policy gone');
  const people = await Promise.all([rel.supervisorId, ...rel.superviseeIds].map((id) => services.directory.getPerson(id)));
  return { rel, policy, group, people: people.filter((p): p is Person => Boolean(p)) };
}

async function findSession(services: RebookingDeps, relationshipId: string, sessionId: string): Promise<Session | undefined> {
  const session = await services.store.getSession(sessionId);
  return session?.relationshipId === relationshipId ? session : undefined;
}

async function rebookOne(services: RebookingDeps, ctx: NotifyContext, item: WorkItem): Promise<Record<string, unknown>> {
  const { store, calendar, clock } = services;
  const { sessionId, relationshipId, why } = item.payload as { sessionId: string; relationshipId: string; why: string };
  const cancelled = await findSession(services, relationshipId, sessionId);
  if (!cancelled || cancelled.status !== 'cancelled') return { outcome: 'nothing-to-do' };
  crashPoint(services, 'rebook-after-detect');
  const { rel, policy, group, people } = await load(services, relationshipId);
  const now = clock.now().toISOString();
  const id = replacementId(sessionId);
  const existing = await findSession(services, relationshipId, id);
  const windowEnd = DateTime.fromISO(cancelled.start, { zone: policy.timeZone }).plus(Duration.fromISO(policy.rebooking.window)).plus({ days: 3 });
  const horizon = { start: now, end: DateTime.max(windowEnd, DateTime.fromISO(now).plus({ days: 3 })).toUTC().toISO()! };
  const participants = await gatherParticipants(calendar, policy, [rel.supervisorId, ...rel.superviseeIds], horizon, (tag) => tag === id);
  const planned = await store.listSessions({ relationshipIds: [rel.id], from: now, status: ['planned'] });
  const result = rebook({
    policy,
    staffGroupId: group.id,
    cancelled: { start: cancelled.start, end: cancelled.end },
    cancelledAt: String(item.payload.detectedAt ?? now),
    participants,
    otherSessions: planned.filter((s) => s.id !== id).map((s) => ({ start: s.start, end: s.end })),
    // Nothing is booked sooner than the pack's no-move limit (issue 18).
    now: earliestMoveStart(policy, now),
    maxAlternatives: 3,
  });
  const names = (ids: string[]) => ids.map((pid) => people.find((p) => p.id === pid)?.displayName ?? 'your colleague');

  if (result.outcome === 'escalate') {
    const managers = await escalationRecipients(services, rel, result.escalateTo);
    const supervisorName = names([rel.supervisorId])[0]!;
    const superviseeNames = names(rel.superviseeIds);
    const escalation = (forManager: boolean): Message => ({
      kind: 'rebook-escalation',
      view: { supervisorName, superviseeNames, original: { start: cancelled.start, end: cancelled.end }, reason: result.reason, window: result.window, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.sessionsOf(rel.id)), forManager, timeZone: policy.timeZone },
    });
    for (const m of managers) await ctx.notifier.send(m.aadObjectId, escalation(true));
    for (const p of people) await ctx.notifier.send(p.aadObjectId, escalation(false));
    await store.appendAudit({ at: now, actorId: 'system:rebooker', action: 'rebook-escalated', subjectType: 'session', subjectId: sessionId, detail: { to: managers.map((m) => m.id).join(',') } });
    return { outcome: 'escalated', escalatedTo: managers.map((m) => m.id) };
  }

  const slot = existing ? { start: existing.start, end: existing.end } : result.slot;
  // The pack's propose mode: hold the slot and ask the supervisee first (rebookProposal.ts).
  if (!existing && moveMode(policy) === 'propose') return proposeRebook(services, ctx.moves ?? (async () => undefined), { rel, policy, cancelled, replacementId: id, slot, alternatives: result.alternatives, why });
  const created = await calendar.createEvent(
    sessionEvent({ relationship: rel, start: slot.start, end: slot.end, timeZone: policy.timeZone, appTag: id, transactionId: requestKeys.rebook(sessionId) }),
  );
  crashPoint(services, 'rebook-after-create');
  // Like a booking: no join link back (the organiser's calendar has no Teams meetings) flags the session and tells the organiser once.
  if (!created.joinUrl) await flagMissingMeeting(services, ctx, rel, id, now);
  const replacement: Session = {
    id, relationshipId: rel.id, start: slot.start, end: slot.end, status: 'planned', kind: 'rebooked', calendarEventId: created.id, replacesSessionId: sessionId,
  };
  if (!existing) await store.saveSessions([replacement]);
  await store.appendAudit({ at: now, actorId: 'system:rebooker', action: 'session-rebooked', subjectType: 'session', subjectId: id, detail: { replaces: sessionId } });
  const alternatives = result.alternatives.slice(0, 3);
  for (const p of people) {
    const others = names([rel.supervisorId, ...rel.superviseeIds].filter((x) => x !== p.id));
    const posted = await ctx.notifier.send(p.aadObjectId, {
      kind: 'rebooked',
      view: { sessionId: id, relationshipId: rel.id, withNames: others, original: { start: cancelled.start, end: cancelled.end }, booked: slot, alternatives, why: why === 'declined' ? 'declined' : 'cancelled', tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.session(id)), timeZone: policy.timeZone },
    });
    if (posted) await store.saveCardMessage({ key: `rebook:${id}`, aadObjectId: p.aadObjectId, ...posted, postedAt: now });
  }
  return { outcome: 'rebooked', replacementId: id, slot, alternatives };
}


const NOT_YOURS = 'That session is not one you can change, or it no longer exists';

/** "Pick another time" from the rebooked card: only the offered alternatives, only by a party. Returns what the people in it are told. */
export async function chooseAlternative(services: RebookingDeps, ctx: NotifyContext, actor: Person, input: { sessionId: string; relationshipId: string; start: string; end: string }): Promise<SessionNotice> {
  const session = await findSession(services, input.relationshipId, input.sessionId);
  if (!session || session.kind !== 'rebooked' || !session.replacesSessionId) throw notFound(NOT_YOURS);
  const { rel, people, policy } = await load(services, session.relationshipId);
  // Someone else's session answers as a missing one.
  if (![rel.supervisorId, ...rel.superviseeIds].includes(actor.id)) throw notFound(NOT_YOURS);
  if (session.status !== 'planned') throw badRequest('That session is no longer planned');
  const refusal = moveRefusal(policy, session.start, services.clock.now().toISOString());
  if (refusal && session.start !== input.start) throw badRequest(refusal);
  const offered = (await services.work.result(REBOOK_KIND, session.replacesSessionId)) as { alternatives?: Slot[] } | undefined;
  const ok = offered?.alternatives?.some((a) => a.start === input.start && a.end === input.end);
  if (!ok && !(session.start === input.start && session.end === input.end)) throw badRequest('That time was not one of the offered times');
  const now = services.clock.now().toISOString();
  if (session.start !== input.start) {
    await services.calendar.moveOccurrence(rel.supervisorId, session.calendarEventId!, undefined, input.start, input.end);
    await services.store.saveSessions([{ ...session, start: input.start, end: input.end }]);
    await services.store.appendAudit({ at: now, actorId: actor.id, action: 'rebook-alternative-chosen', subjectType: 'session', subjectId: session.id });
  }
  const notice: SessionNotice = { kind: 'rebook-chosen', byName: actor.displayName, slot: { start: input.start, end: input.end }, timeZone: policy.timeZone, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.session(session.id)) };
  await updatePostedCards(services, ctx, `rebook:${session.id}`, notice, people);
  return notice;
}

/** "Keep it cancelled" from the rebooked card, with a reason kept in the app. Returns what the people in it are told. */
export async function keepCancelled(services: RebookingDeps, ctx: NotifyContext, actor: Person, input: { sessionId: string; relationshipId: string; reason: string }): Promise<SessionNotice> {
  const session = await findSession(services, input.relationshipId, input.sessionId);
  if (!session || session.kind !== 'rebooked') throw notFound(NOT_YOURS);
  const { rel, people, policy } = await load(services, session.relationshipId);
  if (![rel.supervisorId, ...rel.superviseeIds].includes(actor.id)) throw notFound(NOT_YOURS);
  // Who may keep it cancelled, and who is told, follow the pack (default: whoever is responsible for rebooking).
  const rule = policy.rebooking.keepCancelled ?? { allowedBy: policy.rebooking.responsible, notify: ['supervisor', 'supervisee', 'supervisor-line-manager'] as const };
  const allowed = rule.allowedBy === 'either' || (rule.allowedBy === 'supervisor' ? rel.supervisorId === actor.id : rel.superviseeIds.includes(actor.id));
  if (!allowed) throw forbidden(`Only the ${rule.allowedBy} can keep a supervision session cancelled under ${policy.name}; you can choose another time instead.`);
  const reason = input.reason.trim();
  if (!reason) throw badRequest('Please give a reason for keeping it cancelled');
  const now = services.clock.now().toISOString();
  if (session.status === 'planned') {
    // Mark it first, so the reconciler never mistakes our own cancellation for one to rebook.
    await services.store.saveSessions([{ ...session, status: 'cancelled', cancelledAt: now }]);
    await services.calendar.cancelOccurrence(rel.supervisorId, session.calendarEventId!, undefined, 'Supervision cancelled');
    // The reason stays in the app's own store (never in logs or the audit trail).
    await services.store.claim('kept-cancelled', session.id, now, { reason, by: actor.id });
    await services.store.appendAudit({ at: now, actorId: actor.id, action: 'rebook-kept-cancelled', subjectType: 'session', subjectId: session.id });
  }
  const notice: SessionNotice = { kind: 'rebook-kept-cancelled', byName: actor.displayName, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.session(session.id)) };
  await updatePostedCards(services, ctx, `rebook:${session.id}`, notice, people);
  if (session.status === 'planned') {
    // Tell whoever the pack names and did not already see the card change (a line manager, a lead).
    const told = await escalationRecipients(services, rel, [...rule.notify]);
    const parties = new Set([rel.supervisorId, ...rel.superviseeIds]);
    const superviseeNames = people.filter((p) => rel.superviseeIds.includes(p.id)).map((p) => p.displayName);
    const supervisorName = people.find((p) => p.id === rel.supervisorId)?.displayName ?? 'the supervisor';
    for (const m of told) {
      if (parties.has(m.id)) continue;
      await ctx.notifier.send(m.aadObjectId, {
        kind: 'session-notice',
        notice: { kind: 'kept-cancelled-told', byName: actor.displayName, supervisorName, superviseeNames, original: { start: session.start, end: session.end }, timeZone: policy.timeZone, tabUrl: tabLink(ctx.tabUrl, TAB_ROUTES.todo()) },
      });
      await services.store.appendAudit({ at: now, actorId: actor.id, action: 'kept-cancelled-told', subjectType: 'session', subjectId: session.id, detail: { to: m.id } });
    }
  }
  return notice;
}

async function updatePostedCards(services: RebookingDeps, ctx: NotifyContext, key: string, notice: SessionNotice, people: Person[]) {
  for (const m of await services.store.listCardMessages(key)) {
    if (!people.some((p) => p.aadObjectId === m.aadObjectId)) continue;
    try {
      await ctx.notifier.update(m.aadObjectId, m, { kind: 'session-notice', notice });
    } catch (err) {
      services.log.warn({ event: 'card.update-failed', key, err: err instanceof Error ? err.message : String(err) }, 'could not update a posted card');
    }
  }
}
