/**
 * Who is free when, as sorted millisecond intervals, so the planner and
 * rebooker can test thousands of slots with binary searches instead of
 * re-deriving wall-clock times for every check.
 *
 * Every wall-clock time is turned into an instant by Luxon in the right zone
 * (each participant's working hours in their own zone; bank holidays and term
 * dates in the policy's zone), so clock changes are handled where they happen.
 */
import { DateTime } from 'luxon';
import type { PolicyPack } from '../policy/schema';
import { addDays, bankHolidayName, dateOfDayNumber, dayNumber, WEEKDAYS, weekdayOfDayNumber } from '../time/workingDays';
import type { Participant } from './types';

const DAY_MS = 86_400_000;

// Wall-clock → instant conversions repeat across plans (same hours, same dates): memoise Luxon's answers.
const instantMemo = new Map<string, number>();

/** Epoch ms of a wall-clock time ('HH:mm') on a date in a zone. */
export function zonedMs(date: string, time: string, timeZone: string): number {
  const key = `${timeZone}|${date}|${time}`;
  let ms = instantMemo.get(key);
  if (ms === undefined) {
    const [year, month, day] = date.split('-').map(Number);
    const [hour, minute] = time.split(':').map(Number);
    ms = DateTime.fromObject({ year, month, day, hour, minute }, { zone: timeZone }).toMillis();
    if (instantMemo.size > 500_000) instantMemo.clear();
    instantMemo.set(key, ms);
  }
  return ms;
}

/** Local calendar date of an instant in a zone. */
export function dateInZone(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toISODate()!;
}

/** Sorted, non-overlapping intervals with a parallel label. */
class IntervalSet {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly labels: string[] = [];

  /** Builds from possibly unsorted, overlapping intervals (overlaps merge, the first label wins; touching ones keep their own labels). */
  static from(items: { start: number; end: number; label?: string }[]): IntervalSet {
    const set = new IntervalSet();
    const sorted = items.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
    for (const i of sorted) {
      const last = set.ends.length - 1;
      if (last >= 0 && i.start < set.ends[last]!) set.ends[last] = Math.max(set.ends[last]!, i.end);
      else {
        set.starts.push(i.start);
        set.ends.push(i.end);
        set.labels.push(i.label ?? '');
      }
    }
    return set;
  }

  /** Index of the first interval ending after `t`. */
  private firstEndingAfter(t: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The label of an interval overlapping [s, e), or undefined. */
  overlapping(s: number, e: number): string | undefined {
    const i = this.firstEndingAfter(s);
    return i < this.starts.length && this.starts[i]! < e ? this.labels[i]! : undefined;
  }

  /** True when one interval covers all of [s, e). */
  contains(s: number, e: number): boolean {
    const i = this.firstEndingAfter(s);
    return i < this.starts.length && this.starts[i]! <= s && this.ends[i]! >= e;
  }
}

export interface AvailabilityOptions {
  /** Only inside the policy's term calendar (a per-term requirement). */
  termTimeOnly?: boolean;
  /** Default true; urgent booking may relax it when the policy says so. */
  respectWorkingHours?: boolean;
}

interface PersonModel {
  id: string;
  working: IntervalSet;
  busy: IntervalSet;
}

/**
 * Free/busy of a group of participants between two instants, plus the
 * policy's bank holidays and (optionally) term time.
 */
export class Availability {
  private readonly people: PersonModel[];
  private readonly holidays: IntervalSet;
  private readonly terms?: IntervalSet;
  private readonly respectWorkingHours: boolean;

  constructor(
    readonly policy: PolicyPack,
    participants: readonly Participant[],
    readonly fromMs: number,
    readonly toMs: number,
    options: AvailabilityOptions = {},
  ) {
    this.respectWorkingHours = options.respectWorkingHours ?? true;
    this.people = participants.map((p) => ({
      id: p.id,
      working: workingWindows(p, fromMs, toMs),
      busy: IntervalSet.from(p.busy.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) }))),
    }));
    const zone = policy.timeZone;
    const firstDay = dayNumber(dateInZone(fromMs, zone)) - 1;
    const lastDay = dayNumber(dateInZone(toMs, zone)) + 1;
    const holidays: { start: number; end: number; label: string }[] = [];
    for (let d = firstDay; d <= lastDay; d++) {
      const date = dateOfDayNumber(d);
      const name = bankHolidayName(date, policy.holidayRegion);
      if (name) holidays.push({ start: zonedMs(date, '00:00', zone), end: zonedMs(addDays(date, 1), '00:00', zone), label: `bank holiday (${name})` });
    }
    this.holidays = IntervalSet.from(holidays);
    if (options.termTimeOnly && policy.termCalendar) {
      this.terms = IntervalSet.from(
        policy.termCalendar.terms.map((t) => ({ start: zonedMs(t.start, '00:00', zone), end: zonedMs(addDays(t.end, 1), '00:00', zone), label: t.name })),
      );
    }
  }

  /** Why [s, e) cannot be booked for everyone, or undefined when it can. */
  whyNotFree(s: number, e: number): string | undefined {
    if (this.respectWorkingHours) {
      const holiday = this.holidays.overlapping(s, e);
      if (holiday) return holiday;
    }
    if (this.terms && !this.terms.contains(s, e)) return 'school holiday (outside term time)';
    if (this.respectWorkingHours) {
      for (const p of this.people) if (!p.working.contains(s, e)) return `outside ${p.id}'s working hours`;
    }
    for (const p of this.people) if (p.busy.overlapping(s, e) !== undefined) return `${p.id} is busy`;
    return undefined;
  }

  isFree(s: number, e: number): boolean {
    return this.whyNotFree(s, e) === undefined;
  }

  /** Inside everyone's working hours (ignoring busy blocks and holidays). */
  withinEveryonesHours(s: number, e: number): boolean {
    return this.people.every((p) => p.working.contains(s, e));
  }

  /** In term time (always true without a term restriction). */
  inTerm(s: number, e: number): boolean {
    return !this.terms || this.terms.contains(s, e);
  }
}

/** A participant's working windows as instants, day by day in their own zone. */
function workingWindows(p: Participant, fromMs: number, toMs: number): IntervalSet {
  const { days, start, end, timeZone } = p.workingHours;
  const first = dayNumber(dateInZone(fromMs - DAY_MS, timeZone));
  const last = dayNumber(dateInZone(toMs + DAY_MS, timeZone));
  const windows: { start: number; end: number }[] = [];
  for (let d = first; d <= last; d++) {
    if (!days.includes(WEEKDAYS[weekdayOfDayNumber(d) - 1]!)) continue;
    const date = dateOfDayNumber(d);
    windows.push({ start: zonedMs(date, start, timeZone), end: zonedMs(date, end, timeZone) });
  }
  return IntervalSet.from(windows);
}
