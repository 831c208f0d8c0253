/**
 * The due engine: from the history (sessions held and cancelled, records and
 * signatures, actions, agreements) and "now", every obligation with its due
 * date, state and escalation step.
 *
 * Pure and fast: one indexing pass files everything under its relationship,
 * then each relationship is judged on its own history; calendar arithmetic is
 * Luxon, memoised per policy (see PolicyCalendar). 50,000 staff histories take
 * well under a few seconds (bench/engine.bench.ts).
 *
 * Relationships that are inactive, or whose policy or staff group is unknown,
 * are skipped (nothing can be judged against a policy the engine does not have).
 * Output: relationships in input order; each one's obligations by due date.
 */
import type { PolicyPack } from '../policy/schema';
import { actionDriftObligations } from './actionDrift';
import { frequencyObligations } from './frequency';
import { HistoryIndex } from './history';
import { PolicyContext } from './judge';
import { actionObligations, agreementCheckObligations, agreementObligations, rebookObligations, recordObligations } from './paperwork';
import type { DueInput, Obligation } from './types';

export type { DueInput, ExternalVisit, Obligation, ObligationFacts, ObligationKind, ObligationState } from './types';

// A policy's memoised calendar outlives one call: a periodic job judging with the same packs reuses it.
const contextCache = new WeakMap<PolicyPack, PolicyContext>();
function contextFor(policy: PolicyPack): PolicyContext {
  let ctx = contextCache.get(policy);
  if (!ctx) {
    ctx = new PolicyContext(policy);
    contextCache.set(policy, ctx);
  }
  return ctx;
}

export function dueObligations(input: DueInput): Obligation[] {
  const now = Date.parse(input.now);
  if (!Number.isFinite(now)) throw new Error(`now: must be an ISO 8601 instant (got ${JSON.stringify(input.now)})`);
  const contexts = new Map<string, PolicyContext>();
  const policies: Iterable<[string, PolicyPack]> = input.policies instanceof Map ? input.policies.entries() : Object.entries(input.policies);
  for (const [id, p] of policies) contexts.set(id, contextFor(p));

  const index = new HistoryIndex(input, now, contexts);
  const out: Obligation[] = [];
  for (let r = 0; r < index.size; r++) {
    const rel = input.relationships[r]!;
    if (!rel.active) continue;
    const ctx = contexts.get(rel.policyId);
    const group = ctx?.groups.get(rel.staffGroupId);
    if (!ctx || !group) continue;
    let mine: Obligation[];
    try {
      const h = index.history(r);
      mine = [
        ...frequencyObligations(ctx, group, h, now),
        ...rebookObligations(ctx, h, now),
        ...recordObligations(ctx, h, now),
        ...actionObligations(ctx, h, now),
        ...actionDriftObligations(ctx, h, now),
        ...agreementObligations(ctx, h, now),
        ...agreementCheckObligations(ctx, h, now),
      ];
    } catch (err) {
      // One bad item (an impossible date, a corrupt row) never stops the rest: it is reported and skipped.
      input.onSkipped?.(rel.id, err instanceof Error ? err.message : String(err));
      continue;
    }
    // ISO strings in UTC with milliseconds sort as time.
    mine.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : 1));
    for (const o of mine) out.push(o);
  }
  return out;
}
