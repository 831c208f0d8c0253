/**
 * Sessions that have ended and are still planned, as durable work for the
 * reconciler: one item per session and end time (kind SETTLE_KIND), queued by
 * the relationship timelines when a relationship wakes at a session's end, and
 * taken by reconcile.settleEndedSessions, which reads that relationship's
 * calendar and marks the session held (queueing its record form) or missed.
 * Without it a session would turn held only at the next full sweep
 * (PT_RECONCILE_SWEEP_MINUTES), and its record form would wait as long.
 *
 * Its own module (only ports), so the timelines can ask without importing the
 * reconciler, and the retention table can name the kind.
 */
import type { Session } from '../domain/model';
import type { WorkQueue } from '../ports/workQueue';

export const SETTLE_KIND = 'settle-session';

/** Asks for `session` to be settled. Keyed by its end too: a session moved by hand to a later time is asked about again when that ends. */
export async function queueSettle(work: Pick<WorkQueue, 'enqueue'>, session: Session, now: string): Promise<boolean> {
  return work.enqueue(SETTLE_KIND, `${session.id}|${session.end}`, { sessionId: session.id, relationshipId: session.relationshipId }, now);
}
