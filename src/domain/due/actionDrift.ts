/**
 * Action drift: an agreed action still open after being carried forward
 * through more sessions than the pack allows (`actionDrift.afterSessions`) is
 * escalated at once to whom the pack names (the line manager by default),
 * whatever its own due date says. Published inspection findings cite actions
 * "drifting untracked"; this makes the drift someone's to resolve.
 */
import type { RelationshipHistory } from './history';
import { obligation, type PolicyContext } from './judge';
import type { Obligation } from './types';

export function actionDriftObligations(ctx: PolicyContext, h: RelationshipHistory, now: number): Obligation[] {
  const drift = ctx.policy.actionDrift;
  if (!drift) return [];
  const out: Obligation[] = [];
  for (const a of h.actions) {
    if (a.status !== 'open') continue;
    const own = h.held.find((s) => s.id === a.sessionId);
    if (!own) continue;
    const after = h.held.filter((s) => s.start > own.start && s.start <= now);
    if (after.length <= drift.afterSessions) continue;
    // It drifted at the session that carried it forward one time too many.
    const due = after[drift.afterSessions]!.start;
    const o = obligation(ctx, h.relationship, now, {
      kind: 'action-drift',
      subjectId: a.id,
      owedBy: [a.ownerId],
      due,
      explanation: `An action agreed on ${ctx.calendar.dateOf(own.start)} (due ${a.dueOn}) is still open after being carried forward through ${after.length} sessions; the policy escalates after ${drift.afterSessions}.`,
    });
    out.push({ ...o, state: 'overdue', escalationStep: Math.max(1, o.escalationStep), notify: drift.notify });
  }
  return out;
}
