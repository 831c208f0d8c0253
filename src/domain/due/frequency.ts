/**
 * How-often obligations: the next session by the target interval, the hard
 * maximum gap, the rolling-window minimum, the per-term minimum and the
 * separate external-visits count. Each warns before a breach: a requirement
 * that a planned session already meets stays "upcoming".
 */
import type { Requirement, StaffGroup } from '../policy/schema';
import { currentStep } from '../ramp';
import { yearContaining } from '../time/terms';
import { addDays, dateOfDayNumber, dayNumber } from '../time/workingDays';
import type { RelationshipHistory, TimedSession } from './history';
import { obligation, peopleFor, type PolicyContext } from './judge';
import type { Obligation } from './types';

const dayWords = (ctx: PolicyContext, ms: number) => ctx.calendar.dateOf(ms);

export function frequencyObligations(ctx: PolicyContext, group: StaffGroup, h: RelationshipHistory, now: number): Obligation[] {
  const rel = h.relationship;
  // Group sessions count (or not) towards members' individual relationships; a group has no cadence of its own.
  if (rel.kind === 'group') return [];
  const out: Obligation[] = [];
  const arrangers = peopleFor(rel, ctx.policy.rebooking.responsible);
  const last = h.counted[h.counted.length - 1];
  const nextPlanned = h.planned[0];
  const relStart = ctx.calendar.startOfDay(rel.startedOn);
  const intervals = group.requirements.filter((r): r is Extract<Requirement, { kind: 'interval' }> => r.kind === 'interval');

  intervals.forEach((r, i) => {
    const base = last?.start ?? relStart;
    const since = last ? `The last supervision was on ${dayWords(ctx, last.start)}` : `No supervision has been held since the arrangement started on ${rel.startedOn}`;
    const today = ctx.calendar.dateOf(now);
    // The ramp step in force today (weekly, then fortnightly, ... for new staff), else the policy's interval.
    const step = rel.override ? currentStep(rel.override, today) : undefined;
    const override = step && rel.override ? { reason: rel.override.reason, ...step } : undefined;
    const interval = override?.interval ?? r.target;
    const suffix = i ? `:${i}` : '';
    const subject = `${last?.id ?? rel.id}${suffix}`;
    const due = ctx.calendar.plus(base, interval);
    const covered = nextPlanned !== undefined && nextPlanned.start <= due;
    const plannedWords = nextPlanned ? ` The next planned session is on ${dayWords(ctx, nextPlanned.start)}.` : ' No session is planned.';
    out.push(
      obligation(ctx, rel, now, {
        kind: 'supervision-due',
        subjectId: subject,
        owedBy: arrangers,
        due,
        options: { covered },
        facts: { interval, ...(override ? { rampReason: override.reason, rampStepUntil: override.until } : {}) },
        explanation: `${since}; the ${override ? `${override.reason} override` : 'policy'} interval is ${interval}${override ? ` (until ${override.until})` : ''}, so the next is due by ${dayWords(ctx, due)}.${plannedWords}`,
      }),
    );
    // A hard maximum equal to the interval (Staffordshire's "every 16 weeks") falls due with it: one obligation, not two.
    if (r.hardMaximum && ctx.calendar.plus(base, r.hardMaximum) !== due) {
      const limit = ctx.calendar.plus(base, r.hardMaximum);
      out.push(
        obligation(ctx, rel, now, {
          kind: 'hard-maximum',
          subjectId: subject,
          owedBy: arrangers,
          due: limit,
          options: { covered: nextPlanned !== undefined && nextPlanned.start <= limit },
          explanation: `${since}; the gap must never exceed ${r.hardMaximum}, so a session must be held by ${dayWords(ctx, limit)}.${plannedWords}`,
        }),
      );
    }
  });

  for (const r of group.requirements) {
    if (r.kind === 'rolling-minimum') out.push(rollingMinimum(ctx, h, now, r, arrangers));
    else if (r.kind === 'per-term') out.push(...perTerm(ctx, perSchool(h, r), now, r, arrangers));
    else if (r.kind === 'external-visits') out.push(...externalVisits(ctx, perSchool(h, r), now, r));
  }
  return out;
}

/** What a requirement counts: the relationship's own history, or (counted per school) its school's, carried by one of its relationships. */
interface Counted {
  h: RelationshipHistory;
  held: TimedSession[];
  planned: TimedSession[];
  visits: number[];
  /** Subject id prefix and words when counted for a school. */
  school?: { name: string; supervisors: string[] };
  /** Another relationship of the school carries this obligation. */
  skip: boolean;
}

function perSchool(h: RelationshipHistory, r: { countedPer: 'relationship' | 'school' }): Counted {
  if (r.countedPer !== 'school' || !h.unit) return { h, held: h.counted, planned: h.planned, visits: h.externalVisits, skip: false };
  const u = h.unit;
  return { h, held: u.held, planned: u.planned, visits: u.externalVisits, school: { name: u.name, supervisors: [...new Set(u.relationships.map((x) => x.supervisorId))] }, skip: !u.lead };
}

/**
 * Counts in a rolling window, kept as two sorted lists: when each session
 * enters the window (its start) and when it leaves (start + window, in the
 * policy's calendar). The count at t is entries ≤ t minus exits ≤ t.
 */
class RollingCount {
  readonly exits: number[];
  constructor(
    readonly entries: number[],
    exitOf: (ms: number) => number,
  ) {
    this.exits = entries.map(exitOf);
  }
  at(t: number): number {
    return upperBound(this.entries, t) - upperBound(this.exits, t);
  }
  /** The first moment ≥ from when the count is below `min` (the count only falls at exits). */
  firstBelow(from: number, min: number): number {
    if (this.at(from) < min) return from;
    for (const e of this.exits) if (e > from && this.at(e) < min) return e;
    return this.exits[this.exits.length - 1] ?? from; // unreachable for min ≥ 1: after the last exit the count is 0
  }
  /** When the current shortfall began: the latest moment ≤ now from which the count stayed below `min`. */
  shortSince(from: number, now: number, min: number): number {
    let since = from;
    const moments = [from, ...this.entries, ...this.exits].filter((t) => t >= from && t <= now).sort((a, b) => a - b);
    let short = false;
    for (const t of moments) {
      const below = this.at(t) < min;
      if (below && !short) since = t;
      short = below;
    }
    return since;
  }
}

function upperBound(sorted: number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rollingMinimum(ctx: PolicyContext, h: RelationshipHistory, now: number, r: Extract<Requirement, { kind: 'rolling-minimum' }>, owedBy: string[]): Obligation {
  const rel = h.relationship;
  const exitOf = (ms: number) => ctx.calendar.plus(ms, r.window);
  // No window can be short before the arrangement has run for a whole window.
  const earliest = exitOf(ctx.calendar.startOfDay(rel.startedOn));
  const held = new RollingCount(h.counted.map((s) => s.start), exitOf);
  const words = `at least ${r.count} sessions in any ${r.window}`;
  const countNow = held.at(now);
  if (now >= earliest && countNow < r.count) {
    const since = held.shortSince(earliest, now, r.count);
    return obligation(ctx, rel, now, {
      kind: 'rolling-minimum',
      subjectId: `${rel.id}@${ctx.calendar.dateOf(since)}`,
      owedBy,
      due: since,
      explanation: `The policy requires ${words}; only ${countNow} were held in the ${r.window} to ${dayWords(ctx, now)} (short since ${dayWords(ctx, since)}).`,
    });
  }
  const from = Math.max(now, earliest);
  const breach = held.firstBelow(from, r.count);
  const withPlanned = new RollingCount(mergeSorted(h.counted, h.planned), exitOf).firstBelow(from, r.count);
  const covered = withPlanned > breach;
  const leaving = h.counted.find((s) => exitOf(s.start) === breach);
  return obligation(ctx, rel, now, {
    kind: 'rolling-minimum',
    subjectId: leaving?.id ?? `${rel.id}@${ctx.calendar.dateOf(breach)}`,
    owedBy,
    due: breach,
    options: { covered },
    explanation: `The policy requires ${words}; ${countNow} in the window now. Without another session the count falls below ${r.count} on ${dayWords(ctx, breach)}.${covered ? ' A planned session keeps it up.' : ' No planned session prevents that.'}`,
  });
}

function mergeSorted(a: TimedSession[], b: TimedSession[]): number[] {
  return [...a, ...b].map((s) => s.start).sort((x, y) => x - y);
}

function perTerm(ctx: PolicyContext, c: Counted, now: number, r: Extract<Requirement, { kind: 'per-term' }>, arrangers: string[]): Obligation[] {
  if (c.skip) return [];
  const rel = c.h.relationship;
  const owedBy = c.school ? c.school.supervisors : arrangers;
  const at = c.school ? `${c.school.name}: ` : '';
  const terms = ctx.terms(r.term);
  const today = ctx.calendar.dateOf(now);
  const heldDates = c.held.map((s) => ctx.calendar.dateOf(s.start));
  const plannedDates = c.planned.map((s) => ctx.calendar.dateOf(s.start));
  const inTerm = (dates: string[], t: { start: string; end: string }) => dates.filter((d) => d >= t.start && d <= t.end).length;
  const out: Obligation[] = [];
  const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

  // The most recent finished term that fell short (within the last year, and after the arrangement began).
  const yearAgo = dateOfDayNumber(dayNumber(today) - 365);
  const finished = terms.filter((t) => t.end < today && t.end >= yearAgo && t.start >= rel.startedOn);
  const lastFinished = finished[finished.length - 1];
  if (lastFinished) {
    const n = inTerm(heldDates, lastFinished);
    if (n < r.minimum) {
      out.push(
        obligation(ctx, rel, now, {
          kind: 'per-term',
          subjectId: `${c.school ? `${slug(c.school.name)}:` : ''}${slug(lastFinished.name)}`,
          owedBy,
          due: ctx.calendar.closeOfBusiness(lastFinished.end),
          facts: { term: lastFinished.name, held: n, required: r.minimum, countedPer: r.countedPer, ...(c.school ? { school: c.school.name } : {}) },
          explanation: `${at}${lastFinished.name} (${lastFinished.start} – ${lastFinished.end}) ended with ${n} of the required ${r.minimum} session${r.minimum === 1 ? '' : 's'} per ${r.term}${c.school ? ', counted for the school' : ''}.`,
        }),
      );
    }
  }
  // The current (or next) term still needing sessions.
  for (const t of terms.filter((x) => x.end >= today && x.end >= rel.startedOn).slice(0, 3)) {
    const held = inTerm(heldDates, t);
    if (held >= r.minimum) continue;
    const planned = inTerm(plannedDates, t);
    out.push(
      obligation(ctx, rel, now, {
        kind: 'per-term',
        subjectId: `${c.school ? `${slug(c.school.name)}:` : ''}${slug(t.name)}`,
        owedBy,
        due: ctx.calendar.closeOfBusiness(t.end),
        options: { covered: held + planned >= r.minimum },
        facts: { term: t.name, held, planned, required: r.minimum, countedPer: r.countedPer, ...(c.school ? { school: c.school.name } : {}) },
        explanation: `${at}${t.name} (${t.start} – ${t.end}) needs ${r.minimum} session${r.minimum === 1 ? '' : 's'}${c.school ? ' at the school' : ''}; ${held} held and ${planned} planned so far.`,
      }),
    );
    break;
  }
  return out;
}

/**
 * Trust-led external visits per year. Due by the year's end; "due soon" once
 * behind an even spread (with two a year, the first by mid-year), so the
 * warning comes while there is still time to arrange a visit.
 */
function externalVisits(ctx: PolicyContext, c: Counted, now: number, r: Extract<Requirement, { kind: 'external-visits' }>): Obligation[] {
  if (c.skip) return [];
  const rel = c.h.relationship;
  const owedBy = c.school ? c.school.supervisors : [rel.supervisorId];
  const subject = (label: string) => (c.school ? `${c.school.name}:${label}` : label);
  const at = c.school ? `${c.school.name}: ` : '';
  const today = ctx.calendar.dateOf(now);
  const out: Obligation[] = [];
  const visitDates = c.visits.map((ms) => ctx.calendar.dateOf(ms));
  const count = (y: { start: string; end: string }) => visitDates.filter((d) => d >= y.start && d <= y.end).length;
  const year = yearContaining(today, r.yearBasis);
  const previous = yearContaining(addDays(year.start, -1), r.yearBasis);
  if (previous.start >= rel.startedOn && count(previous) < r.minimumPerYear) {
    out.push(
      obligation(ctx, rel, now, {
        kind: 'external-visits',
        subjectId: subject(previous.label),
        owedBy,
        due: ctx.calendar.closeOfBusiness(previous.end),
        facts: { year: previous.label, yearBasis: r.yearBasis, held: count(previous), required: r.minimumPerYear, visitDates: visitDates.filter((d) => d >= previous.start && d <= previous.end), countedPer: r.countedPer, ...(c.school ? { school: c.school.name } : {}) },
        explanation: `${at}${r.yearBasis === 'academic' ? 'Academic' : 'Calendar'} year ${previous.label} ended with ${count(previous)} of the required ${r.minimumPerYear} external visits.`,
      }),
    );
  }
  const held = count(year);
  if (held < r.minimumPerYear) {
    const first = dayNumber(year.start);
    const length = dayNumber(year.end) - first + 1;
    const checkpoint = dateOfDayNumber(first + Math.floor(((held + 1) * length) / r.minimumPerYear) - 1);
    const due = ctx.calendar.closeOfBusiness(year.end);
    out.push(
      obligation(ctx, rel, now, {
        kind: 'external-visits',
        subjectId: subject(year.label),
        owedBy,
        due,
        options: { soonFrom: Math.min(ctx.dueSoonFrom(due), ctx.dueSoonFrom(ctx.calendar.closeOfBusiness(checkpoint))) },
        facts: { year: year.label, yearBasis: r.yearBasis, held, required: r.minimumPerYear, expectedBy: checkpoint, visitDates: visitDates.filter((d) => d >= year.start && d <= year.end), countedPer: r.countedPer, ...(c.school ? { school: c.school.name } : {}) },
        explanation: `${at}${held} of ${r.minimumPerYear} external visits held in ${r.yearBasis} year ${year.label}; visit ${held + 1} is expected by ${checkpoint} to stay on track.`,
      }),
    );
  }
  return out;
}
