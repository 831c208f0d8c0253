/**
 * When can a relationship's obligations next change state on their own (no
 * new fact arriving)? A relationship's timeline sleeps until then: due soon
 * begins, a due time passes, a ladder step is reached, a reminder's repeat
 * period turns over. Waking a little early is harmless (it judges again and
 * sleeps again); waking late would delay a reminder, so every instant here is
 * computed with the same calendar the judge uses.
 *
 * Pure: no clock, no I/O.
 */
import type { PolicyPack } from '../policy/schema';
import { PolicyContext } from './judge';
import type { Obligation } from './types';

export interface NextChangeOptions {
  /** A reminder is repeated at most once per this period (the ledger's bucket), in ms. */
  repeatMs: number;
  /** Sleep no longer than this, in ms (a safety net; the consistency sweep is the other). */
  horizonMs: number;
}

const contexts = new WeakMap<PolicyPack, PolicyContext>();
function contextFor(policy: PolicyPack): PolicyContext {
  let ctx = contexts.get(policy);
  if (!ctx) contexts.set(policy, (ctx = new PolicyContext(policy)));
  return ctx;
}

/** The earliest instant after `now` at which any of the obligations changes state, capped by the horizon. */
export function nextChangeAt(obligations: readonly Obligation[], policies: ReadonlyMap<string, PolicyPack>, now: number, options: NextChangeOptions): number {
  let next = now + options.horizonMs;
  const consider = (t: number) => {
    if (t > now && t < next) next = t;
  };
  for (const o of obligations) {
    const policy = policies.get(o.policyId);
    if (!policy) continue;
    const ctx = contextFor(policy);
    const due = Date.parse(o.dueAt);
    if (!Number.isFinite(due)) continue;
    if (now <= due) {
      consider(ctx.dueSoonFrom(due));
      consider(due + 1); // overdue once now > due
      continue;
    }
    for (const step of policy.reminders.ladder) consider(ctx.calendar.plus(due, step.after));
    const periods = Math.floor((now - due) / options.repeatMs);
    consider(due + (periods + 1) * options.repeatMs);
  }
  return next;
}
