/**
 * How long an agreed action has been carried: its age and the number of
 * sessions it was carried forward through (pure). An action is carried
 * forward by every session held after the one that agreed it while it was
 * still open; done or dropped actions stop counting at their completion.
 */
import type { ActionItem, Session } from '../model';

const DAY = 86_400_000;

/** Sessions held after the action's own session and before it was completed (if it was). */
export function timesCarriedForward(action: ActionItem, sessions: readonly Session[]): number {
  const own = sessions.find((s) => s.id === action.sessionId);
  const since = own ? Date.parse(own.start) : Number.NEGATIVE_INFINITY;
  const until = action.status !== 'open' && action.completedAt ? Date.parse(action.completedAt) : Number.POSITIVE_INFINITY;
  let n = 0;
  for (const s of sessions) {
    if (s.relationshipId !== action.relationshipId || s.id === action.sessionId || s.status !== 'held') continue;
    const t = Date.parse(s.start);
    if (t > since && t < until) n += 1;
  }
  return n;
}

/** Whole days from the agreeing session (or, without one, the due date) to its completion or `now`. */
export function actionAgeDays(action: ActionItem, sessions: readonly Session[], now: number): number {
  const own = sessions.find((s) => s.id === action.sessionId);
  const from = own ? Date.parse(own.start) : Date.parse(`${action.dueOn}T00:00:00Z`);
  const to = action.status !== 'open' && action.completedAt ? Date.parse(action.completedAt) : now;
  return Math.max(0, Math.floor((to - from) / DAY));
}
