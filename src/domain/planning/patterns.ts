/**
 * Recurrence patterns the planner tries: "every N weeks on a weekday" and
 * "every M months on the n-th weekday", optionally preceded by an override
 * cadence (new starter / ASYE) until a date. Pattern dates are produced by
 * expanding the real RRULE with rrule + Luxon (occurrencesBetween), so what
 * the planner checks is exactly what a calendar will book.
 */
import { occurrencesBetween } from '../time/recurrence';
import { addDays, dateOfDayNumber, dayNumber, weekdayOfDayNumber } from '../time/workingDays';
import { dateInZone, zonedMs } from './availability';
import type { Cadence } from './cadence';

export const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const ORDINALS = ['first', 'second', 'third', 'fourth'] as const;

export interface PatternSegment {
  /** RRULE without DTSTART or COUNT. */
  rule: string;
  /** Local dates (policy zone) of the rule's occurrences inside the plan's date range. */
  dates: string[];
  /** The gap this segment aims for, in days (for ranking). */
  targetDays: number;
  /** Words: "every 4 weeks on Tuesday". */
  words: string;
}

export interface Pattern {
  /** Stable key: kind, weekday, anchor. */
  key: string;
  kind: 'weekly' | 'monthly';
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  segments: PatternSegment[];
}

/** The plan's local date range: pattern dates lie in [first, last]. */
export interface DateRange {
  first: string;
  last: string;
}

const expansionMemo = new Map<string, string[]>();

/** Local dates of a rule's occurrences from `firstDate` to `lastDate` (inclusive), expanded in `timeZone`. */
export function expandDates(rule: string, firstDate: string, lastDate: string, timeZone: string): string[] {
  const key = `${rule}|${firstDate}|${lastDate}|${timeZone}`;
  let dates = expansionMemo.get(key);
  if (!dates) {
    // Midday exists on every date (clock changes happen at night), so the date is unambiguous.
    const first = new Date(zonedMs(firstDate, '12:00', timeZone)).toISOString();
    const end = new Date(zonedMs(addDays(lastDate, 1), '00:00', timeZone)).toISOString();
    dates = occurrencesBetween(rule, first, timeZone, first, end).map((iso) => dateInZone(Date.parse(iso), timeZone));
    if (expansionMemo.size > 20_000) expansionMemo.clear();
    expansionMemo.set(key, dates);
  }
  return dates;
}

/** The first date on or after `from` that falls on `weekday` (1..7). */
export function firstWeekdayOnOrAfter(from: string, weekday: number): string {
  const d = dayNumber(from);
  return dateOfDayNumber(d + ((weekday - weekdayOfDayNumber(d) + 7) % 7));
}

/** The n-th `weekday` of the month containing `date` (n = 1..4 always exists). */
export function nthWeekdayOfMonth(date: string, weekday: number, n: number): string {
  const firstOfMonth = `${date.slice(0, 7)}-01`;
  return addDays(firstWeekdayOnOrAfter(firstOfMonth, weekday), 7 * (n - 1));
}

/** The first n-th `weekday` of a month on or after `from`. */
export function firstNthWeekdayOnOrAfter(from: string, weekday: number, n: number): string {
  const inMonth = nthWeekdayOfMonth(from, weekday, n);
  if (inMonth >= from) return inMonth;
  const [y, m] = from.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return nthWeekdayOfMonth(next, weekday, n);
}

function weeklyRule(weeks: number, weekday: number): string {
  return `FREQ=WEEKLY;INTERVAL=${weeks};BYDAY=${BYDAY[weekday - 1]}`;
}

function monthlyRule(months: number, weekday: number, n: number): string {
  return `FREQ=MONTHLY;INTERVAL=${months};BYDAY=+${n}${BYDAY[weekday - 1]}`;
}

function weeklyWords(weeks: number, weekday: number): string {
  const day = WEEKDAY_NAMES[weekday - 1];
  return weeks === 1 ? `every week on ${day}` : `every ${weeks} weeks on ${day}`;
}

function monthlyWords(months: number, weekday: number, n: number): string {
  const what = `the ${ORDINALS[n - 1]} ${WEEKDAY_NAMES[weekday - 1]}`;
  return months === 1 ? `monthly on ${what}` : `every ${months} months on ${what}`;
}

/** A segment of one rule starting at `firstDate`, up to `lastDate`. */
function segment(rule: string, firstDate: string, lastDate: string, timeZone: string, targetDays: number, words: string): PatternSegment {
  return { rule, dates: firstDate <= lastDate ? expandDates(rule, firstDate, lastDate, timeZone) : [], targetDays, words };
}

export interface PatternRequest {
  cadence: Cadence;
  /** The ramp (override) steps in order: each cadence and the last date it applies. */
  ramp?: { cadence: Cadence; until: string }[];
  weekdays: number[];
  range: DateRange;
  timeZone: string;
}

/**
 * Every pattern worth trying: for each weekday, weekly patterns anchored in
 * each of the first few weeks (up to four, so the first session is soon), and
 * monthly patterns on the 1st–4th weekday when the cadence is in months.
 */
export function candidatePatterns(req: PatternRequest): Pattern[] {
  const { cadence, range, timeZone } = req;
  const steps = (req.ramp ?? []).filter((s) => s.until >= range.first);
  const patterns: Pattern[] = [];
  const seen = new Set<string>();
  const add = (p: Pattern) => {
    p.segments = p.segments.filter((s) => s.dates.length);
    // When the override covers the whole range every main pattern collapses to the same dates.
    const signature = p.segments.map((s) => `${s.rule}@${s.dates[0]}`).join('|');
    if (p.segments.length && !seen.has(signature)) {
      seen.add(signature);
      patterns.push(p);
    }
  };
  for (const weekday of req.weekdays) {
    // The ramp part (one segment per step) is the same for every main pattern on this weekday.
    let mainFrom = range.first;
    const ramp: PatternSegment[] = [];
    for (const step of steps) {
      if (step.until < mainFrom) continue;
      const o = step.cadence;
      const rule = weeklyRule(o.weeks, weekday);
      const last = step.until < range.last ? step.until : range.last;
      const seg = segment(rule, firstWeekdayOnOrAfter(mainFrom, weekday), last, timeZone, o.targetDays, weeklyWords(o.weeks, weekday));
      if (!seg.dates.length) continue;
      ramp.push(seg);
      // The next step resumes no sooner than one interval of this step after its last session.
      const after = addDays(seg.dates[seg.dates.length - 1]!, o.weeks * 7);
      const dayAfterUntil = addDays(step.until, 1);
      mainFrom = after > dayAfterUntil ? after : dayAfterUntil;
    }
    const rampKey = ramp.length ? `+ramp${ramp.map((r) => r.rule.match(/INTERVAL=(\d+)/)?.[1] ?? '1').join('-')}w` : '';
    const anchors = ramp.length ? 1 : Math.min(cadence.weeks, 4);
    for (let offset = 0; offset < anchors; offset++) {
      const first = addDays(firstWeekdayOnOrAfter(mainFrom, weekday), 7 * offset);
      const rule = weeklyRule(cadence.weeks, weekday);
      const main = segment(rule, first, range.last, timeZone, cadence.targetDays, weeklyWords(cadence.weeks, weekday));
      add({ key: `w${cadence.weeks}-${BYDAY[weekday - 1]}-${first}${rampKey}`, kind: 'weekly', weekday, segments: [...ramp, main] });
    }
    if (cadence.months) {
      for (let n = 1; n <= 4; n++) {
        const first = firstNthWeekdayOnOrAfter(mainFrom, weekday, n);
        const rule = monthlyRule(cadence.months, weekday, n);
        const main = segment(rule, first, range.last, timeZone, cadence.targetDays, monthlyWords(cadence.months, weekday, n));
        add({ key: `m${cadence.months}-${n}${BYDAY[weekday - 1]}-${first}${rampKey}`, kind: 'monthly', weekday, segments: [...ramp, main] });
      }
    }
  }
  return patterns;
}
