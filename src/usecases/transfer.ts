/**
 * Moving an arrangement to another supervisor: the engine behind a handover,
 * the start of a cover and its end. Durable and crash-safe like rebooking: a
 * move is a work item (kind 'people-move', keyed by the move id) and every step
 * is safe to repeat:
 *
 *   1. note each session that moves (ledger 'moved-session', keyed move:session,
 *      with the organiser and event, so a retry can still cancel it)
 *   2. take those sessions out of the arrangement (re-pointed to a
 *      "<rel>:moved" id with status cancelled: not the arrangement's history,
 *      not a cancellation for compliance, never rebooked)
 *   3. switch the arrangement's supervisor
 *   4. cancel the moved occurrences in the old supervisor's calendar
 *   5. plan with both people's availability and book the new series (request
 *      key derived from the move id: calendar creates are idempotent)
 *   6. move the paperwork as the pack says (peopleChanges)
 *   7. tell each person once (ledger 'move-told'), audit
 *
 * The reconciler's lease on the arrangement is held throughout, so it never
 * sees the arrangement half-moved.
 */
import { DateTime } from 'luxon';
import type { ActionItem, Agreement, Person, Relationship, Session, SupervisionRecord } from '../domain/model';
import { previousSessionStart, sessionsToMove } from '../domain/peopleChanges';
import { plan } from '../domain/planning/planner';
import type { PlanProposal } from '../domain/planning/types';
import { DEFAULT_PEOPLE_CHANGES, type PolicyPack } from '../domain/policy/schema';
import { findStaffGroup } from '../domain/policy/validate';
import type { MoveKind, PeopleNotice } from '../ports/messages';
import type { WorkItem, WorkQueue } from '../ports/workQueue';
import type { CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import type { CrashPoint } from '../ports/crashPoints';
import type { DirectoryPort } from '../ports/directory';
import type { Log } from '../ports/log';
import type { Policies } from '../ports/policies';
import type { RecordStore } from '../ports/store';
import { segmentKey, writeProposal } from './booking';
import { ids } from './ids';
import { notFound } from './errors';
import { retryDelayMs } from './workRetry';
import { gatherParticipants } from './participants';
import { matches } from './reconcile';
import { queueRecordForms } from './recordFormWork';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface TransferDeps {
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

export const MOVE_KIND = 'people-move';
const LEASE_MS = 120_000;

/** The view models live with the other messages (ports/messages); named here too for existing callers. */
export type { MoveKind, PeopleNotice };

export interface MovePayload {
  moveId: string;
  kind: MoveKind;
  relationshipId: string;
  fromId: string;
  toId: string;
  /** Sessions starting at or after this instant move. */
  effectiveFrom: string;
  /** Cover: the new supervisor's sessions stop before this instant (the first day back). */
  bookUntil?: string;
  byId: string;
  coverId?: string;
  hasNote?: boolean;
}

export type Teller = (person: Person, notice: PeopleNotice) => Promise<void>;

export interface MoveOutcome {
  outcome: 'moved' | 'nothing-to-do';
  moved: number;
  booked: number;
  firstSession?: { start: string; end: string };
  latestFirstSession?: string;
  notBookedReason?: string;
}

export function movedRelationshipId(relationshipId: string): string {
  return `${relationshipId}:moved`;
}

export async function enqueueMove(services: TransferDeps, payload: MovePayload, now: string): Promise<boolean> {
  return services.work.enqueue(MOVE_KIND, payload.moveId, { ...payload }, now);
}

/** Runs due moves (from the job, or at once after a request). */
export async function processMoves(services: TransferDeps, tell: Teller, workerId: string): Promise<number> {
  const now = services.clock.now().toISOString();
  const items = await services.work.lease(MOVE_KIND, workerId, now, LEASE_MS, 10);
  for (const item of items) {
    try {
      const result = await runMove(services, tell, workerId, item);
      if (result === 'busy') {
        await services.work.retry(item.id, workerId, 'arrangement busy', new Date(services.clock.now().getTime() + 5_000).toISOString());
        continue;
      }
      await services.work.complete(item.id, workerId, { ...result }, services.clock.now().toISOString());
    } catch (err) {
      const backoffMs = retryDelayMs(item.attempts);
      services.log.error({ event: 'move.failed', key: item.key, attempts: item.attempts, err: err instanceof Error ? err.message : String(err) }, 'move failed; will retry');
      await services.work.retry(item.id, workerId, err instanceof Error ? err.message : String(err), new Date(services.clock.now().getTime() + backoffMs).toISOString());
    }
  }
  return items.length;
}

/** Local-mode fault injection for the crash tests: die at a named point, as a kill -9 would. */
function crashPoint(services: TransferDeps, point: string): void {
  services.crashPoint?.(point);
}

async function runMove(services: TransferDeps, tell: Teller, workerId: string, item: WorkItem): Promise<MoveOutcome | 'busy'> {
  const p = item.payload as unknown as MovePayload;
  const leaseKey = `reconcile:${p.relationshipId}`;
  if (!(await services.work.acquireLease(leaseKey, workerId, services.clock.now().toISOString(), LEASE_MS))) return 'busy';
  try {
    return await moveNow(services, tell, p);
  } finally {
    await services.work.releaseLease(leaseKey, workerId);
  }
}

async function moveNow(services: TransferDeps, tell: Teller, p: MovePayload): Promise<MoveOutcome> {
  const { store, calendar, clock, directory } = services;
  const now = clock.now().toISOString();
  let rel = await store.getRelationship(p.relationshipId);
  if (!rel) throw notFound('relationship gone');
  const policy = services.policies.get(rel.policyId);
  const group = policy && findStaffGroup(policy, rel.staffGroupId);
  if (!policy || !group) throw notFound('policy gone');
  const rules = policy.peopleChanges ?? DEFAULT_PEOPLE_CHANGES;
  const all = await store.listSessions({ relationshipIds: [rel.id] });

  // 1–3: only while the arrangement is still the old supervisor's (a retry after step 3 skips them).
  if (rel.supervisorId === p.fromId && rel.active) {
    // Sessions before the move stay with the old supervisor; once the arrangement is the new one's, the
    // reconciler reads the new calendar. Settle them now from the old one: still there, it happened (or is
    // happening); gone, it did not.
    await settleStaying(services, rel, all, p, now);
    const moving = sessionsToMove(all, p.effectiveFrom);
    for (const s of moving) {
      await store.claim('moved-session', `${p.moveId}:${s.id}`, now, { organiserId: p.fromId, eventId: s.calendarEventId ?? '', occurrenceStart: s.seriesId ? (s.occurrenceStart ?? '') : '' });
    }
    crashPoint(services, 'move-after-note');
    await store.saveSessions(moving.map((s) => ({ ...s, relationshipId: movedRelationshipId(rel!.id), status: 'cancelled' as const })));
    rel = { ...rel, supervisorId: p.toId };
    await store.saveRelationship(rel);
    await store.appendAudit({ at: now, actorId: p.byId, action: `${p.kind}-supervisor-changed`, subjectType: 'relationship', subjectId: rel.id, detail: { from: p.fromId, to: p.toId, moveId: p.moveId, sessionsMoved: moving.length } });
  } else if (rel.supervisorId !== p.toId) {
    // Someone moved it elsewhere in the meantime: this move is out of date.
    await store.appendAudit({ at: now, actorId: 'system:people-changes', action: `${p.kind}-skipped`, subjectType: 'relationship', subjectId: rel.id, detail: { moveId: p.moveId, reason: 'supervisor changed meanwhile' } });
    return { outcome: 'nothing-to-do', moved: 0, booked: 0 };
  }

  // 4: the moved occurrences leave the old supervisor's calendar (repeatable).
  const moved = await store.listClaims('moved-session', `${p.moveId}:`);
  for (const m of moved) {
    const d = (m.detail ?? {}) as { organiserId?: string; eventId?: string; occurrenceStart?: string };
    if (!d.organiserId || !d.eventId) continue;
    try {
      await calendar.cancelOccurrence(d.organiserId, d.eventId, d.occurrenceStart || undefined, 'Supervision has moved to another supervisor');
    } catch (err) {
      // Already cancelled or removed by hand: the calendar holds nothing to take out.
      services.log.warn({ event: 'move.cancel-failed', moveId: p.moveId, err: err instanceof Error ? err.message : String(err) }, 'could not cancel a moved occurrence');
    }
  }
  await clearSeriesFrom(services, p.fromId, moved.map((m) => String((m.detail as { eventId?: string } | undefined)?.eventId ?? '')), p.effectiveFrom);
  crashPoint(services, 'move-after-cancel');

  // 5: the new series, keeping the cadence from the last session before the move.
  const booking = await bookContinuation(services, rel, policy, group.id, p, now);
  crashPoint(services, 'move-after-book');

  // 6: paperwork.
  await movePaperwork(services, rel, p, rules, now);

  // 7: everyone told, once each.
  const people = new Map<string, Person>();
  for (const id of [p.fromId, p.toId, ...rel.superviseeIds, p.byId]) {
    const person = await directory.getPerson(id);
    if (person) people.set(id, person);
  }
  const name = (id: string) => people.get(id)?.displayName ?? 'a colleague';
  const base = {
    kind: 'moved' as const, move: p.kind, fromName: name(p.fromId), toName: name(p.toId), superviseeNames: rel.superviseeIds.map(name), byName: name(p.byId),
    booked: booking.booked, ...(booking.firstSession ? { firstSession: booking.firstSession } : {}), ...(p.bookUntil ? { until: p.bookUntil } : {}),
    ...(booking.notBookedReason ? { notBookedReason: booking.notBookedReason } : {}),
    timeZone: policy.timeZone,
  };
  const recipients: [string, 'old-supervisor' | 'new-supervisor' | 'supervisee'][] = [[p.fromId, 'old-supervisor'], [p.toId, 'new-supervisor'], ...rel.superviseeIds.map((id) => [id, 'supervisee'] as [string, 'supervisee'])];
  for (const [id, role] of recipients) {
    const person = people.get(id);
    if (!person) continue;
    if (!(await store.claim('move-told', `${p.moveId}:${id}`, now))) continue;
    try {
      await tell(person, { ...base, role, noteWaiting: role === 'new-supervisor' && Boolean(p.hasNote) });
    } catch (err) {
      services.log.warn({ event: 'move.tell-failed', moveId: p.moveId, err: err instanceof Error ? err.message : String(err) }, 'could not tell a person about a move');
    }
  }
  await store.appendAudit({ at: now, actorId: p.byId, action: `${p.kind}-done`, subjectType: 'relationship', subjectId: rel.id, detail: { moveId: p.moveId, sessionsMoved: moved.length, booked: booking.booked } });
  services.log.info({ event: 'people.move', kind: p.kind, relationship: rel.id, moved: moved.length, booked: booking.booked }, 'arrangement moved');
  return { outcome: 'moved', moved: moved.length, ...booking };
}

async function settleStaying(services: TransferDeps, rel: Relationship, all: Session[], p: MovePayload, now: string): Promise<void> {
  const staying = all.filter((s) => s.status === 'planned' && s.start < p.effectiveFrom);
  if (!staying.length) return;
  const window = { start: DateTime.fromISO(staying[0]!.start).minus({ days: 1 }).toUTC().toISO()!, end: DateTime.fromISO(staying[staying.length - 1]!.end).plus({ days: 1 }).toUTC().toISO()! };
  const events = await services.calendar.listEvents(p.fromId, window);
  const settled = staying.map((s): Session => {
    const event = events.find((e) => matches(s, e));
    if (event && !event.isCancelled) return { ...s, start: event.start, end: event.end, status: 'held' };
    return { ...s, status: s.end <= now ? 'missed' : 'cancelled' };
  });
  await services.store.saveSessions(settled);
  // As when the reconciler finds a session held: its record form is owed (queued once saved).
  await queueRecordForms(services.work, settled.filter((s) => s.status === 'held').map((s) => s.id), now);
  await services.store.appendAudit({ at: now, actorId: 'system:people-changes', action: 'sessions-settled-before-move', subjectType: 'relationship', subjectId: rel.id, detail: { moveId: p.moveId, held: settled.filter((s) => s.status === 'held').length, notHeld: settled.filter((s) => s.status !== 'held').length } });
}

async function bookContinuation(
  services: TransferDeps,
  rel: Relationship,
  policy: PolicyPack,
  staffGroupId: string,
  p: MovePayload,
  now: string,
): Promise<{ booked: number; firstSession?: { start: string; end: string }; latestFirstSession?: string; notBookedReason?: string }> {
  const { store, calendar } = services;
  const requestKey = `move:${p.moveId}`;
  const already = await store.getSeriesByRequestKey(segmentKey(requestKey, 0));
  if (already) {
    const ids = new Set((await store.listSeries(rel.id)).filter((s) => s.requestKey.startsWith(`${requestKey}#`)).map((s) => s.id));
    const sessions = (await store.listSessions({ relationshipIds: [rel.id] })).filter((s) => s.seriesId && ids.has(s.seriesId));
    return { booked: sessions.length, ...(sessions[0] ? { firstSession: { start: sessions[0].start, end: sessions[0].end } } : {}) };
  }
  const start = p.effectiveFrom > now ? p.effectiveFrom : now;
  const sessions = await store.listSessions({ relationshipIds: [rel.id] });
  const previous = previousSessionStart(sessions, start);
  const upcoming = sessions.filter((s) => s.status === 'planned' && s.start >= start);
  if (upcoming.length) return { booked: 0, notBookedReason: 'the arrangement already has sessions booked after the move' };
  const until = p.bookUntil;
  const horizonMonths = until ? Math.min(12, Math.max(1, Math.ceil(DateTime.fromISO(until).diff(DateTime.fromISO(start), 'months').months))) : 12;
  const window = { start, end: DateTime.fromISO(start).plus({ months: horizonMonths, days: 7 }).toUTC().toISO()! };
  const ownTags = new Set([0, 1, 2, 3].map((i) => ids.series(segmentKey(requestKey, i))));
  const participants = await gatherParticipants(calendar, policy, [rel.supervisorId, ...rel.superviseeIds], window, (tag) => ownTags.has(tag));
  const override = rel.override && rel.override.until >= start.slice(0, 10) ? { interval: rel.override.interval, until: rel.override.until } : undefined;
  const result = plan({ policy, staffGroupId, participants, start, horizonMonths, override, maxProposals: 1, ...(previous ? { previousSession: previous } : {}) });
  if (!result.ok) return { booked: 0, notBookedReason: result.error };
  const best = result.proposals[0];
  if (!best) return { booked: 0, notBookedReason: 'no pattern fits both calendars within the policy; please book by hand' };
  const proposal: PlanProposal = until ? { ...best, occurrences: best.occurrences.filter((o) => o.start < until) } : best;
  if (proposal.occurrences.length === 0) return { booked: 0 };
  const written = await writeProposal(services, rel, proposal, requestKey, p.byId, now);
  await store.appendAudit({ at: now, actorId: p.byId, action: 'book-series', subjectType: 'relationship', subjectId: rel.id, detail: { sessions: written.sessions.length, moveId: p.moveId, onBehalf: p.byId !== rel.supervisorId } });
  const first = written.sessions[0];
  return { booked: written.sessions.length, ...(first ? { firstSession: { start: first.start, end: first.end } } : {}) };
}

async function movePaperwork(services: TransferDeps, rel: Relationship, p: MovePayload, rules: NonNullable<PolicyPack['peopleChanges']>, now: string): Promise<void> {
  const { store } = services;
  if (rules.openActions === 'move') {
    const actions = await store.listActions({ relationshipIds: [rel.id], ownerId: p.fromId, status: ['open'] });
    if (actions.length) {
      await store.saveActions(actions.map((a): ActionItem => ({ ...a, ownerId: p.toId })));
      await store.appendAudit({ at: now, actorId: p.byId, action: 'actions-moved', subjectType: 'relationship', subjectId: rel.id, detail: { count: actions.length, to: p.toId, moveId: p.moveId } });
    }
  }
  if (rules.outstandingRecords === 'new-supervisor') {
    const open = await store.listRecords({ relationshipIds: [rel.id], status: ['draft', 'changes-requested'] });
    for (const r of open.filter((x) => x.authorId === p.fromId)) {
      const moved: SupervisionRecord = { ...r, authorId: p.toId, updatedAt: now };
      await store.saveRecord(moved, r.etag);
      await store.appendAudit({ at: now, actorId: p.byId, action: 'record-moved', subjectType: 'record', subjectId: r.id, detail: { to: p.toId, moveId: p.moveId } });
    }
  }
  // A cover is temporary: the agreement stands. A handover is a new supervisory arrangement.
  if (p.kind === 'handover' && rules.agreement === 're-sign') {
    const [current] = await store.listAgreements([rel.id]);
    const id = ids.movedAgreement(p.moveId, rel.id);
    if (current && current.id !== id) {
      const fresh: Agreement = { ...current, id, status: 'draft', signatures: [], createdAt: now };
      await store.saveAgreement(fresh);
      await store.appendAudit({ at: now, actorId: p.byId, action: 'agreement-to-re-sign', subjectType: 'relationship', subjectId: rel.id, detail: { moveId: p.moveId } });
    }
  }
}

/** How far ahead an open-ended series (seeded, or made outside the app) is cleared occurrence by occurrence. */
const CLEAR_AHEAD_MONTHS = 24;

/**
 * The app books series with a COUNT, so the sessions it tracks are every
 * occurrence; a series without an end (seeded, or made by hand) has more
 * occurrences than sessions. Those leave the calendar too, up to two years
 * ahead (the calendar port has no "end this series"; Graph would need a PATCH
 * of the master's recurrence range).
 */
export async function clearSeriesFrom(services: TransferDeps, organiserId: string, eventIds: string[], from: string): Promise<number> {
  const masters = new Set(eventIds.filter(Boolean));
  if (!masters.size) return 0;
  const window = { start: from, end: DateTime.fromISO(from).plus({ months: CLEAR_AHEAD_MONTHS }).toUTC().toISO()! };
  const left = (await services.calendar.listEvents(organiserId, window)).filter((e) => !e.isCancelled && e.seriesMasterId && masters.has(e.seriesMasterId) && e.start >= from);
  for (const e of left) {
    try {
      await services.calendar.cancelOccurrence(organiserId, e.seriesMasterId!, e.originalStart ?? e.start, 'Supervision has moved or ended');
    } catch (err) {
      services.log.warn({ event: 'clear-series.failed', err: err instanceof Error ? err.message : String(err) }, 'could not cancel an occurrence');
    }
  }
  return left.length;
}

/** Sessions taken out of an arrangement by a move, for the history views. */
export async function movedSessions(services: TransferDeps, relationshipId: string): Promise<Session[]> {
  return services.store.listSessions({ relationshipIds: [movedRelationshipId(relationshipId)] });
}
