/**
 * How often to meet, derived from a staff group's requirements. The planner
 * turns a cadence into recurrence patterns; the checks it keeps (hard maximum,
 * rolling minimum, per-term minimum) are verified on every candidate's actual
 * dates, because a derived spacing is only a first guess.
 */
import { Duration } from 'luxon';
import type { PolicyPack, StaffGroup } from '../policy/schema';
import { termsFor, type TermPeriod } from '../time/terms';
import { dayNumber } from '../time/workingDays';

export interface Cadence {
  /** Every `weeks` weeks (WEEKLY;INTERVAL=weeks). */
  weeks: number;
  /** Every `months` months on the n-th weekday (MONTHLY;BYDAY=+nXX), when the rule is in whole months. */
  months?: number;
  /** The gap the policy aims for, in days (for ranking). */
  targetDays: number;
  /** A gap longer than this is a breach (ISO duration). */
  hardMaximum?: string;
  rollingMinimum?: { count: number; window: string };
  perTerm?: { terms: TermPeriod[]; minimum: number; kind: 'term' | 'half-term' };
  /** Why this cadence, in words. */
  basis: string[];
}

/** Luxon's casual days (a month is 30 days, a year 365): a spacing never longer than the duration. */
export function casualDays(iso: string): number {
  return Duration.fromISO(iso).as('days');
}

/** Whole months when the duration is written only in years and months (P1M, P2M, P1Y). */
export function wholeMonths(iso: string): number | undefined {
  // Read the units as written: shifting would turn P16W into months and days.
  const d = Duration.fromISO(iso);
  if (d.weeks || d.days || d.hours || d.minutes || d.seconds) return undefined;
  const months = d.years * 12 + d.months;
  return months > 0 ? months : undefined;
}

/** The longest whole number of weeks that fits inside a duration (at least one). */
export function weeksWithin(iso: string): number {
  return Math.max(1, Math.floor(casualDays(iso) / 7 + 1e-9));
}

/** The cadence of an explicit interval (an override or ramp: "P2W"). */
export function intervalCadence(interval: string): Cadence {
  const months = wholeMonths(interval);
  return { weeks: weeksWithin(interval), months, targetDays: months ? months * 31 : casualDays(interval), basis: [`override interval ${interval}`] };
}

/** The cadence a staff group's requirements call for, or an error saying why none can be planned. */
export function groupCadence(policy: PolicyPack, group: StaffGroup): Cadence | { error: string } {
  let weeks = Infinity;
  let months: number | undefined;
  let monthsAllowed = true;
  let targetDays = Infinity;
  let hardMaximum: string | undefined;
  let rollingMinimum: Cadence['rollingMinimum'];
  let perTerm: Cadence['perTerm'];
  const basis: string[] = [];
  const takeMonths = (m: number | undefined) => {
    if (m === undefined) monthsAllowed = false;
    else months = months === undefined ? m : Math.min(months, m);
  };

  for (const r of group.requirements) {
    switch (r.kind) {
      case 'interval': {
        weeks = Math.min(weeks, weeksWithin(r.target));
        const m = wholeMonths(r.target);
        takeMonths(m);
        targetDays = Math.min(targetDays, m ? m * 31 : casualDays(r.target));
        if (r.hardMaximum && (!hardMaximum || casualDays(r.hardMaximum) < casualDays(hardMaximum))) hardMaximum = r.hardMaximum;
        basis.push(`interval target ${r.target}${r.hardMaximum ? `, hard maximum ${r.hardMaximum}` : ''}`);
        break;
      }
      case 'rolling-minimum': {
        // Spacing of window/count guarantees `count` sessions in any window of that length.
        const spacingDays = casualDays(r.window) / r.count;
        weeks = Math.min(weeks, Math.max(1, Math.floor(spacingDays / 7)));
        const wm = wholeMonths(r.window);
        takeMonths(wm !== undefined && wm >= r.count ? Math.floor(wm / r.count) : undefined);
        targetDays = Math.min(targetDays, spacingDays);
        rollingMinimum = { count: r.count, window: r.window };
        basis.push(`at least ${r.count} in any ${r.window}`);
        break;
      }
      case 'per-term': {
        const terms = termsFor(policy, r.term);
        if (!terms.length) return { error: `staff group "${group.id}" counts sessions per ${r.term} but the policy has no term calendar` };
        // Short terms bound the spacing: every term must contain `minimum` sessions.
        const shortest = Math.min(...terms.map((t) => dayNumber(t.end) - dayNumber(t.start) + 1));
        weeks = Math.min(weeks, Math.max(1, Math.floor(shortest / 7 / r.minimum)));
        takeMonths(1);
        targetDays = Math.min(targetDays, shortest / r.minimum);
        perTerm = { terms, minimum: r.minimum, kind: r.term };
        basis.push(`at least ${r.minimum} per ${r.term}, in term time`);
        break;
      }
      case 'external-visits':
        // Trust-led visits are arranged by the Trust, not planned here; the due engine tracks them.
        break;
    }
  }
  if (weeks === Infinity) return { error: `staff group "${group.id}" has no requirement the planner can schedule (external visits are tracked, not planned)` };
  // A monthly pattern is offered only when every requirement is written in months (or per term):
  // "every 12 weeks" has no monthly equivalent that is never sparser.
  return { weeks, months: monthsAllowed ? months : undefined, targetDays, hardMaximum, rollingMinimum, perTerm, basis };
}
