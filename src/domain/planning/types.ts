/**
 * Inputs and results of the planner and rebooker. Instants are ISO 8601
 * strings; results always give them in UTC ("2027-03-30T09:00:00.000Z").
 */
import type { Interval } from '../model';
import type { EscalationTarget, PolicyPack, Weekday } from '../policy/schema';

export type { Interval, Weekday };

/** A person's working week, read in their own time zone. */
export interface WorkingHoursSpec {
  days: Weekday[];
  /** 'HH:mm' */
  start: string;
  /** 'HH:mm' */
  end: string;
  timeZone: string;
}

export interface Participant {
  id: string;
  workingHours: WorkingHoursSpec;
  /** Busy blocks from free/busy: never booked over. */
  busy: Interval[];
}

export interface PlanInput {
  policy: PolicyPack;
  staffGroupId: string;
  /** Two or more people (a supervisor and one or more supervisees). */
  participants: Participant[];
  /** Plan from this instant. */
  start: string;
  /** 1..12, default 12. */
  horizonMonths?: number;
  /** Within the staff group's range; default the group's default. */
  durationMinutes?: number;
  /** A per-person higher frequency (new starter / ASYE) until a date, then any further steps, then the group's cadence. */
  override?: { interval: string; until: string; then?: { interval: string; until: string }[] };
  /** Start in post of a new member of staff: the staff group's ramp applies from it (ignored when `override` is given). */
  rampFrom?: string;
  /** Ranked higher, not required. */
  preferences?: { weekdays?: Weekday[]; times?: string[] };
  /** Default 5. */
  maxProposals?: number;
  /**
   * The start of the last session before this plan (held, or still to come
   * with the previous supervisor): the first planned session must fall within
   * the hard maximum of it, so a handover or cover never opens a longer gap.
   */
  previousSession?: string;
}

export interface PlannedOccurrence {
  start: string;
  end: string;
  /** Where the pattern put it; differs from start when moved. */
  patternStart: string;
  /** Present when the occurrence is an exception moved off its pattern date. */
  moved?: { reason: string };
}

/** One recurrence rule of a proposal (a ramp has two: the override cadence, then the group's). */
export interface PlanSegment {
  /** RFC 5545 RRULE without DTSTART, expanded in the proposal's time zone. */
  rrule: string;
  firstStart: string;
}

export interface PlanProposal {
  /** Stable for the same pattern, time, duration and first date. */
  id: string;
  /** The first segment's rule (the only one unless an override applies). */
  rrule: string;
  firstStart: string;
  timeZone: string;
  durationMinutes: number;
  description: string;
  occurrences: PlannedOccurrence[];
  movedCount: number;
  /** Higher is better; proposals are sorted by it. */
  score: number;
  /** Longest gap between consecutive sessions, in calendar days. */
  maxGapDays: number;
  /** Calendar days from the plan's start date to the first session (the first gap the hard maximum counts). */
  gapFromStartDays: number;
  /** The hard maximum every gap (the first from the start date) was kept within, counted in local calendar days. */
  hardMaximum?: { duration: string; longestAllowedGapDays: number };
  /** Every rule of the plan, in order (one, or two with an override). */
  segments: PlanSegment[];
  /** Pattern dates deliberately not booked (school holidays for a per-term requirement). */
  skipped: { patternStart: string; reason: string }[];
}

export interface PlanRejection {
  candidate: string;
  reason: string;
}

export type PlanResult =
  | { ok: true; proposals: PlanProposal[]; rejected: PlanRejection[]; rejectedTotal: number; notes: string[] }
  | { ok: false; error: string };

export interface RebookInput {
  policy: PolicyPack;
  staffGroupId: string;
  cancelled: Interval;
  cancelledAt: string;
  participants: Participant[];
  /** The relationship's other planned sessions: a rebook never lands on the same day as one. */
  otherSessions?: Interval[];
  now: string;
  /** Default 3. */
  maxAlternatives?: number;
}

export interface UrgentInput {
  policy: PolicyPack;
  staffGroupId: string;
  participants: Participant[];
  now: string;
  /** Default the staff group's default duration. */
  durationMinutes?: number;
  maxAlternatives?: number;
}

/** By when the rebooking is owed (the due engine's rebook-needed obligation, the same rule). */
export interface RebookBy {
  dueAt: string;
  /** 'next-working-day': the policy says "rebooked immediately"; 'window': by the end of the rebook window. */
  deadline: 'next-working-day' | 'window';
}

export type RebookResult =
  | { outcome: 'rebook'; slot: Interval; alternatives: Interval[]; window: Interval; reason: string; rebookBy?: RebookBy }
  | { outcome: 'escalate'; reason: string; window: Interval; escalateTo: EscalationTarget[]; rebookBy?: RebookBy };
