/**
 * What the due engine reads and what it returns. Every obligation says who
 * owes it, by when, how late it is and who to tell, without case detail.
 */
import type { ActionItem, Agreement, Relationship, Session, SupervisionRecord } from '../model';
import type { EscalationTarget, PolicyPack } from '../policy/schema';

export const OBLIGATION_KINDS = [
  'supervision-due',
  'hard-maximum',
  'rolling-minimum',
  'per-term',
  'external-visits',
  'record-due',
  'countersign-due',
  'action-due',
  'agreement-missing',
  'agreement-review',
  'rebook-needed',
  'action-drift',
  'agreement-check',
] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

export const OBLIGATION_STATES = ['upcoming', 'due-soon', 'overdue'] as const;
export type ObligationState = (typeof OBLIGATION_STATES)[number];

/** A Trust-led external supervision visit (Lingfield), held for a relationship's school. */
export interface ExternalVisit {
  /** The relationship it was recorded against (its school's, when the policy counts per school). */
  relationshipId?: string;
  /** Or the school (Relationship.unit) it was made to. */
  unit?: string;
  /** When it took place (ISO instant). */
  at: string;
  /** Who supervised (the Trust supervisor), for the governors' report. */
  by?: string;
}

export interface DueInput {
  /** The moment to judge at (ISO instant); the engine never reads a clock. */
  now: string;
  policies: Map<string, PolicyPack> | Record<string, PolicyPack>;
  relationships: Relationship[];
  sessions: Session[];
  records: SupervisionRecord[];
  actions: ActionItem[];
  agreements: Agreement[];
  /** Only needed for policies with an external-visits requirement. */
  externalVisits?: ExternalVisit[];
  /**
   * Told about a relationship whose history could not be judged (a corrupt or
   * impossible stored item): it is skipped and the rest are judged as usual.
   */
  onSkipped?: (relationshipId: string, reason: string) => void;
}

export interface Obligation {
  /** Stable: kind + relationship + subject, so a reminder ledger can dedupe. */
  id: string;
  kind: ObligationKind;
  relationshipId: string;
  /** What the obligation is about: a session, record, action, agreement, term, or the relationship. */
  subjectId: string;
  /** People who must act. */
  owedBy: string[];
  dueAt: string;
  state: ObligationState;
  /** 0 = not escalated; otherwise 1 + the index of the last ladder step whose `after` has passed. */
  escalationStep: number;
  /** Who to tell now: the ladder step reached (or its first step when due soon); empty when upcoming. Shared and frozen: copy before changing. */
  notify: EscalationTarget[];
  /** Why, in words, with dates but no case detail. */
  explanation: string;
  policyId: string;
  /** The same facts as data, for reports and the command line (dates, counts, which rule applied); never case detail. */
  facts?: ObligationFacts;
}

export type ObligationFacts = Record<string, string | number | boolean | string[]>;
