/**
 * The reconciler: for one supervision relationship, compare the sessions the
 * app planned with what the organiser's calendar holds, and act on the
 * difference. Level-triggered: it never needs to know *what happened*, only
 * what *is*, so it is safe after a crash, when run twice, or on several
 * instances (a lease keeps one worker per relationship at a time).
 *
 *   occurrence gone, cancelled, or every supervisee declined  → session cancelled, rebook queued
 *   occurrence moved by hand                                  → the new time is respected
 *   occurrence ended and still there                          → session held, record form queued
 *   event found by id but without the app's tag               → tag repaired
 */
import { DateTime } from 'luxon';
import type { Relationship, Session } from '../domain/model';
import type { CalendarEvent, CalendarPort } from '../ports/calendar';
import type { Clock } from '../ports/clock';
import type { Log } from '../ports/log';
import type { RecordStore } from '../ports/store';
import type { WorkQueue } from '../ports/workQueue';
import { queueRecordForms } from './recordFormWork';
import { SETTLE_KIND } from './settleWork';
import { retryDelayMs } from './workRetry';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface ReconcileDeps {
  clock: Clock;
  log: Log;
  store: RecordStore;
  calendar: CalendarPort;
  work: WorkQueue;
}

export const REBOOK_KIND = 'rebook';
const LEASE_MS = 60_000;
/** How far back a just-ended session is still examined (held vs cancelled). */
const LOOKBACK_DAYS = 7;

export interface ReconcileOutcome {
  relationshipId: string;
  skipped?: 'leased-elsewhere';
  held: string[];
  cancelled: string[];
  moved: string[];
  repaired: string[];
  rebooksQueued: string[];
}

export function matches(session: Session, event: CalendarEvent): boolean {
  if (session.seriesId && session.occurrenceStart) {
    const sameSeries = event.appTag === session.seriesId || (session.calendarEventId !== undefined && event.seriesMasterId === session.calendarEventId);
    return sameSeries && event.originalStart === session.occurrenceStart;
  }
  return event.appTag === session.id || (session.calendarEventId !== undefined && event.id === session.calendarEventId);
}

function expectedTag(session: Session): string {
  return session.seriesId ?? session.id;
}

function everySuperviseeDeclined(rel: Relationship, event: CalendarEvent): boolean {
  return rel.superviseeIds.every((id) => event.attendees.find((a) => a.personId === id)?.response === 'declined');
}

export async function reconcileRelationship(services: ReconcileDeps, rel: Relationship, workerId: string): Promise<ReconcileOutcome> {
  const { store, calendar, clock, work, log } = services;
  const out: ReconcileOutcome = { relationshipId: rel.id, held: [], cancelled: [], moved: [], repaired: [], rebooksQueued: [] };
  const now = clock.now().toISOString();
  if (!(await work.acquireLease(`reconcile:${rel.id}`, workerId, now, LEASE_MS))) return { ...out, skipped: 'leased-elsewhere' };
  try {
    const from = DateTime.fromISO(now).minus({ days: LOOKBACK_DAYS }).toUTC().toISO()!;
    const sessions = await store.listSessions({ relationshipIds: [rel.id], from, status: ['planned'] });
    if (sessions.length === 0) return out;
    const window = {
      start: DateTime.fromISO(sessions[0]!.start).minus({ days: 1 }).toUTC().toISO()!,
      end: DateTime.fromISO(sessions[sessions.length - 1]!.end).plus({ days: 60 }).toUTC().toISO()!,
    };
    const events = await calendar.listEvents(rel.supervisorId, window);
    const changed: Session[] = [];
    const audit = (action: string, session: Session, detail: Record<string, string | number | boolean> = {}) =>
      store.appendAudit({ at: now, actorId: 'system:reconciler', action, subjectType: 'session', subjectId: session.id, detail });

    for (const session of sessions) {
      const event = events.find((e) => matches(session, e));
      const gone = !event || event.isCancelled || everySuperviseeDeclined(rel, event);
      if (gone) {
        if (session.end <= now) {
          // It vanished after it should have happened: it did not happen.
          changed.push({ ...session, status: 'missed', cancelledAt: now });
          await audit('session-missed', session);
          continue;
        }
        changed.push({ ...session, status: 'cancelled', cancelledAt: now });
        out.cancelled.push(session.id);
        const why = !event ? 'deleted' : event.isCancelled ? 'cancelled' : 'declined';
        await audit('session-cancelled', session, { why });
        if (await work.enqueue(REBOOK_KIND, session.id, { sessionId: session.id, relationshipId: rel.id, detectedAt: now, why }, now)) out.rebooksQueued.push(session.id);
        continue;
      }
      let next = session;
      if (event.start !== session.start || event.end !== session.end) {
        // Someone moved it by hand: respect their choice rather than undo it.
        next = { ...next, start: event.start, end: event.end };
        out.moved.push(session.id);
        await audit('session-moved-by-hand', session, { from: session.start, to: event.start });
      }
      if (!event.appTag) {
        await calendar.repairAppTag(rel.supervisorId, event.seriesMasterId ?? event.id, expectedTag(session));
        out.repaired.push(session.id);
        await audit('app-tag-repaired', session);
      }
      if (next.end <= now) {
        next = { ...next, status: 'held' };
        out.held.push(session.id);
      }
      if (next !== session) changed.push(next);
    }
    if (changed.length) await store.saveSessions(changed);
    // Held sessions owe their record form: queued once saved (the worker reads the stored session).
    if (out.held.length) await queueRecordForms(work, out.held, now);
    if (out.cancelled.length || out.moved.length || out.repaired.length) {
      log.info({ event: 'reconcile', relationship: rel.id, cancelled: out.cancelled.length, moved: out.moved.length, held: out.held.length, repaired: out.repaired.length }, 'relationship reconciled');
    }
    return out;
  } finally {
    await work.releaseLease(`reconcile:${rel.id}`, workerId);
  }
}

/** After reconciling, a session another instance was reconciling is looked at again this soon. */
const SETTLE_AGAIN_MS = 30_000;

/**
 * Settles the ended sessions the timelines asked about (settleWork.ts): each
 * relationship named is reconciled once (a calendar read), and an item is done
 * once its session is no longer planned and ended (held, missed, or moved to
 * a later time by hand). A relationship another instance holds, or one that
 * fails, is tried again later; one never stops the others.
 */
export async function settleEndedSessions(services: ReconcileDeps, workerId: string, batch = 50): Promise<number> {
  const now = services.clock.now();
  const nowIso = now.toISOString();
  const later = (ms: number) => new Date(now.getTime() + ms).toISOString();
  // Beyond the reconciler's lookback a session is no longer looked at (a backlog after a long outage): not retried for ever.
  const reachFrom = now.getTime() - LOOKBACK_DAYS * 24 * 60 * 60_000;
  const items = await services.work.lease(SETTLE_KIND, workerId, nowIso, 5 * 60_000, batch);
  const byRel = new Map<string, typeof items>();
  for (const item of items) {
    const relId = String(item.payload.relationshipId);
    const mine = byRel.get(relId);
    if (mine) mine.push(item);
    else byRel.set(relId, [item]);
  }
  let settled = 0;
  for (const [relId, mine] of byRel) {
    try {
      const rel = await services.store.getRelationship(relId);
      const outcome = rel?.active ? await reconcileRelationship(services, rel, workerId) : undefined;
      for (const item of mine) {
        if (outcome?.skipped) {
          await services.work.retry(item.id, workerId, outcome.skipped, later(SETTLE_AGAIN_MS));
          continue;
        }
        const session = await services.store.getSession(String(item.payload.sessionId));
        const stillOpen = rel?.active && session?.status === 'planned' && session.end <= nowIso && Date.parse(session.end) > reachFrom;
        if (stillOpen) await services.work.retry(item.id, workerId, 'still planned after reconciling', later(retryDelayMs(item.attempts, 60_000)));
        else {
          await services.work.complete(item.id, workerId, { status: session?.status ?? 'gone' }, nowIso);
          settled += 1;
        }
      }
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      services.log.warn({ event: 'reconcile.settle', relationshipId: relId, error }, 'could not settle an ended session; tried again later');
      for (const item of mine) await services.work.retry(item.id, workerId, error, later(retryDelayMs(item.attempts, 60_000)));
    }
  }
  return settled;
}

/** Reconciles the relationships involving any of `personIds` (all active ones when undefined). */
export async function reconcile(services: ReconcileDeps, workerId: string, personIds?: string[]): Promise<ReconcileOutcome[]> {
  const rels = await services.store.listRelationships({ activeOnly: true });
  const wanted = personIds ? new Set(personIds) : undefined;
  const affected = wanted ? rels.filter((r) => wanted.has(r.supervisorId) || r.superviseeIds.some((id) => wanted.has(id))) : rels;
  const outcomes: ReconcileOutcome[] = [];
  for (const rel of affected) outcomes.push(await reconcileRelationship(services, rel, workerId));
  return outcomes;
}
