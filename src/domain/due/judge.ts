/**
 * Turns a due date into a state and an escalation step under a policy's
 * reminder rules, and builds obligations. Shared by every obligation kind so
 * "due soon", "overdue" and the ladder mean the same thing everywhere.
 */
import type { Relationship } from '../model';
import type { EscalationTarget, PolicyPack, StaffGroup } from '../policy/schema';
import { termsFor, type TermPeriod } from '../time/terms';
import { PolicyCalendar } from '../time/workingDays';
import type { Obligation, ObligationFacts, ObligationKind, ObligationState } from './types';

/** A policy prepared for the engine: its calendar (memoised Luxon) and staff groups by id. */
export class PolicyContext {
  readonly calendar: PolicyCalendar;
  readonly groups: Map<string, StaffGroup>;

  constructor(readonly policy: PolicyPack) {
    this.calendar = new PolicyCalendar(policy);
    this.groups = new Map(policy.staffGroups.map((g) => [g.id, g]));
    this.notifyLists = policy.reminders.ladder.map((s) => Object.freeze([...s.notify]) as unknown as EscalationTarget[]);
  }

  private readonly notifyLists: EscalationTarget[][];

  /** Who a ladder step notifies (a shared, frozen list). */
  notifyAt(step: number): EscalationTarget[] {
    return this.notifyLists[step]!;
  }

  private readonly isoMemo = new Map<number, string>();
  private readonly termLists = new Map<string, TermPeriod[]>();

  /** The term calendar's counting periods of a kind (see termsFor), sorted. */
  terms(kind: TermPeriod['kind']): TermPeriod[] {
    let list = this.termLists.get(kind);
    if (!list) {
      list = termsFor(this.policy, kind);
      this.termLists.set(kind, list);
    }
    return list;
  }

  /** An instant as a UTC ISO string (memoised: many obligations share a due time). */
  iso(ms: number): string {
    let s = this.isoMemo.get(ms);
    if (s === undefined) {
      s = new Date(ms).toISOString();
      if (this.isoMemo.size > 100_000) this.isoMemo.clear();
      this.isoMemo.set(ms, s);
    }
    return s;
  }

  /** dueMs minus the policy's "due soon" notice. */
  dueSoonFrom(dueMs: number): number {
    return this.calendar.plus(dueMs, this.policy.reminders.dueSoon, -1);
  }
}

export interface Judgement {
  state: ObligationState;
  escalationStep: number;
  notify: EscalationTarget[];
}

export interface JudgeOptions {
  /** Something already planned meets the obligation in time: it stays "upcoming". */
  covered?: boolean;
  /** When "due soon" starts (default: dueAt minus reminders.dueSoon). */
  soonFrom?: number;
}

/**
 * Overdue once `now` is past the due time; then each ladder step whose
 * `after` has also passed raises the escalation step. Before that, "due soon"
 * inside the notice period unless already covered, else "upcoming".
 */
export function judge(ctx: PolicyContext, now: number, due: number, options: JudgeOptions = {}): Judgement {
  const ladder = ctx.policy.reminders.ladder;
  if (now > due) {
    let step = 0;
    for (let i = 0; i < ladder.length; i++) if (now >= ctx.calendar.plus(due, ladder[i]!.after)) step = i + 1;
    return { state: 'overdue', escalationStep: step, notify: step ? ctx.notifyAt(step - 1) : NOBODY };
  }
  if (!options.covered && now >= (options.soonFrom ?? ctx.dueSoonFrom(due))) {
    return { state: 'due-soon', escalationStep: 0, notify: ctx.notifyAt(0) };
  }
  return { state: 'upcoming', escalationStep: 0, notify: NOBODY };
}

// Shared, frozen lists: hundreds of thousands of obligations need not each carry a copy.
const NOBODY: EscalationTarget[] = Object.freeze([]) as unknown as EscalationTarget[];

export interface ObligationSpec {
  kind: ObligationKind;
  subjectId: string;
  owedBy: string[];
  due: number;
  explanation: string;
  options?: JudgeOptions;
  facts?: ObligationFacts;
}

export function obligation(ctx: PolicyContext, rel: Relationship, now: number, spec: ObligationSpec): Obligation {
  const j = judge(ctx, now, spec.due, spec.options);
  return {
    id: `${spec.kind}:${rel.id}:${spec.subjectId}`,
    kind: spec.kind,
    relationshipId: rel.id,
    subjectId: spec.subjectId,
    owedBy: spec.owedBy.length > 1 ? [...new Set(spec.owedBy)] : [...spec.owedBy],
    dueAt: ctx.iso(spec.due),
    state: j.state,
    escalationStep: j.escalationStep,
    notify: j.notify,
    explanation: spec.explanation,
    policyId: ctx.policy.id,
    ...(spec.facts ? { facts: spec.facts } : {}),
  };
}

/** People behind a role in a relationship: 'either' means both sides. */
export function peopleFor(rel: Relationship, who: 'supervisor' | 'supervisee' | 'either'): string[] {
  if (who === 'supervisor') return [rel.supervisorId];
  if (who === 'supervisee') return [...rel.superviseeIds];
  return [rel.supervisorId, ...rel.superviseeIds];
}
