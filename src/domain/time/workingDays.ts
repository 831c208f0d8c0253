/**
 * Working days: a policy's week (its working-hours days) minus public bank
 * holidays of its region. Holidays come from date-holidays (gov.uk divisions
 * mapped to GB/ENG, GB/SCT, GB/NIR), never from a hand-made table; wall-clock
 * conversions go through Luxon in the policy's time zone.
 *
 * Dates are plain calendar dates "YYYY-MM-DD" in the policy's zone; instants are
 * ISO strings (returned in UTC). Date-only stepping uses day numbers (days since
 * 1970-01-01) because a calendar date has no zone and no clock change.
 */
import Holidays from 'date-holidays';
import { DateTime, Duration, IANAZone } from 'luxon';
import type { PolicyPack, Weekday } from '../policy/schema';

export type HolidayRegion = PolicyPack['holidayRegion'];

/** The parts of a policy pack the working calendar needs. */
export type CalendarPolicy = Pick<PolicyPack, 'timeZone' | 'holidayRegion' | 'workingHours'>;

/** gov.uk bank-holiday divisions → date-holidays country/state codes. */
export const HOLIDAY_REGION_CODES: Record<HolidayRegion, { country: string; state: string }> = {
  'england-and-wales': { country: 'GB', state: 'ENG' },
  scotland: { country: 'GB', state: 'SCT' },
  'northern-ireland': { country: 'GB', state: 'NIR' },
};

const DAY_MS = 86_400_000;
/** Luxon weekday (1 = Monday … 7 = Sunday) → the policy schema's day names. */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

// ---------------------------------------------------------------------------
// Calendar dates as day numbers

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2027-03-26" → days since 1970-01-01. */
export function dayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a date YYYY-MM-DD: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/** Days since 1970-01-01 → "YYYY-MM-DD". */
export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function weekdayName(date: string): Weekday {
  return WEEKDAYS[weekdayOfDayNumber(dayNumber(date)) - 1]!;
}

export function addDays(date: string, n: number): string {
  return dateOfDayNumber(dayNumber(date) + n);
}

// ---------------------------------------------------------------------------
// Bank holidays (date-holidays, cached per region and year)

const holidayApis = new Map<HolidayRegion, Holidays>();
const holidayCache = new Map<string, ReadonlyMap<string, string>>();

/** Public bank holidays of a region in a year: date → name. Observances (Mother's Day, Easter Sunday) are not holidays. */
export function bankHolidays(region: HolidayRegion, year: number): ReadonlyMap<string, string> {
  const key = `${region}:${year}`;
  let days = holidayCache.get(key);
  if (!days) {
    let api = holidayApis.get(region);
    if (!api) {
      const codes = HOLIDAY_REGION_CODES[region];
      if (!codes) throw new Error(`unknown holiday region "${region}"`);
      api = new Holidays(codes.country, codes.state);
      holidayApis.set(region, api);
    }
    const map = new Map<string, string>();
    for (const h of api.getHolidays(year)) {
      // `date` is the local calendar date ("2027-03-26 00:00:00"); substitute days are public too.
      if (h.type === 'public') map.set(h.date.slice(0, 10), h.name);
    }
    days = map;
    holidayCache.set(key, days);
  }
  return days;
}

/** The bank holiday's name if `date` (YYYY-MM-DD) is one in `region`. */
export function bankHolidayName(date: string, region: HolidayRegion): string | undefined {
  return bankHolidays(region, Number(date.slice(0, 4))).get(date.slice(0, 10));
}

export function isBankHoliday(date: string, region: HolidayRegion): boolean {
  return bankHolidayName(date, region) !== undefined;
}

// ---------------------------------------------------------------------------
// Working days of a policy

/** The calendar date of an instant in a zone ("YYYY-MM-DD"). */
export function localDate(instant: string, timeZone: string): string {
  const dt = DateTime.fromISO(instant, { zone: timeZone });
  if (!dt.isValid) throw new Error(`not an ISO instant: ${instant}`);
  return dt.toISODate()!;
}

/** A date "YYYY-MM-DD" as is; an instant becomes its date in the policy's zone. */
function asPolicyDate(dateOrInstant: string, policy: CalendarPolicy): string {
  return DATE_RE.test(dateOrInstant) ? dateOrInstant : localDate(dateOrInstant, policy.timeZone);
}

/** A day of the policy's working week that is not a bank holiday in its region. */
export function isWorkingDay(dateOrInstant: string, policy: CalendarPolicy): boolean {
  const date = asPolicyDate(dateOrInstant, policy);
  const weekday = WEEKDAYS[weekdayOfDayNumber(dayNumber(date)) - 1]!;
  return policy.workingHours.days.includes(weekday) && !isBankHoliday(date, policy.holidayRegion);
}

/** Why a date is not a working day, in words (undefined when it is one). */
export function nonWorkingReason(date: string, policy: CalendarPolicy): string | undefined {
  const holiday = bankHolidayName(date, policy.holidayRegion);
  if (holiday) return `bank holiday (${holiday})`;
  const weekday = weekdayName(date);
  if (!policy.workingHours.days.includes(weekday)) return `not a working day (${weekday})`;
  return undefined;
}

/** The first working day on or after (`includeSelf`) or strictly after `date`. */
export function nextWorkingDay(date: string, policy: CalendarPolicy, includeSelf = false): string {
  let d = includeSelf ? date : addDays(date, 1);
  // A working week has at least one day, and no region has a year of holidays: this ends.
  for (let i = 0; i < 400; i++, d = addDays(d, 1)) if (isWorkingDay(d, policy)) return d;
  throw new Error(`no working day within 400 days of ${date}`);
}

/** The n-th working day after `date` (n > 0), before it (n < 0) or `date` itself (n = 0). */
export function addWorkingDaysToDate(date: string, n: number, policy: CalendarPolicy): string {
  const step = n < 0 ? -1 : 1;
  let d = date;
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, step);
    if (isWorkingDay(d, policy)) left--;
  }
  return d;
}

/**
 * `n` working days after an instant, at the same wall-clock time in the policy's
 * zone (so 10:00 stays 10:00 across a clock change). n = 0 returns the instant.
 */
export function addWorkingDays(instant: string, n: number, policy: CalendarPolicy): string {
  const local = DateTime.fromISO(instant, { zone: policy.timeZone });
  if (!local.isValid) throw new Error(`not an ISO instant: ${instant}`);
  if (n === 0) return local.toUTC().toISO()!;
  const date = addWorkingDaysToDate(local.toISODate()!, n, policy);
  const [year, month, day] = date.split('-').map(Number);
  return local.set({ year, month, day }).toUTC().toISO()!;
}

/**
 * Working days after `from`'s date up to and including `to`'s date (negative
 * when `to` is earlier): Monday → Wednesday is 2; Friday → Tuesday over a
 * bank-holiday Monday is 1.
 */
export function workingDaysBetween(from: string, to: string, policy: CalendarPolicy): number {
  const a = dayNumber(asPolicyDate(from, policy));
  const b = dayNumber(asPolicyDate(to, policy));
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let d = lo + 1; d <= hi; d++) if (isWorkingDay(dateOfDayNumber(d), policy)) count++;
  return sign * count;
}

/** The instant the working day ends (policy working-hours end) on a date, in UTC. */
export function closeOfBusiness(date: string, policy: CalendarPolicy): string {
  return wallClockInstant(date, policy.workingHours.end, policy.timeZone);
}

/** The instant of a wall-clock time on a date in a zone, in UTC ("2027-03-29", "10:00"). */
export function wallClockInstant(date: string, time: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return DateTime.fromObject({ year, month, day, hour, minute }, { zone: timeZone }).toUTC().toISO()!;
}

/**
 * A deadline of `n` working days after an instant: close of business on the
 * n-th working day after the instant's date (n = 0: close of business that day,
 * or of the next working day when the instant falls on a non-working day).
 */
export function workingDayDeadline(instant: string, n: number, policy: CalendarPolicy): string {
  const date = localDate(instant, policy.timeZone);
  const day = n === 0 ? nextWorkingDay(date, policy, true) : addWorkingDaysToDate(date, n, policy);
  return closeOfBusiness(day, policy);
}

// ---------------------------------------------------------------------------
// A memoising calendar for hot loops (the due engine over tens of thousands of histories)

/**
 * A memo keyed by an instant. Instants the app handles are whole minutes, and
 * a minute count fits V8's small integers, which hash far faster than the
 * millisecond doubles; other instants use a second map. Bounded: cleared when large.
 */
class InstantMemo<T> {
  private readonly byMinute = new Map<number, T>();
  private readonly byMs = new Map<number, T>();

  get(ms: number): T | undefined {
    return ms % 60_000 === 0 ? this.byMinute.get(ms / 60_000) : this.byMs.get(ms);
  }

  set(ms: number, value: T): void {
    const map = ms % 60_000 === 0 ? this.byMinute : this.byMs;
    if (map.size > 200_000) map.clear();
    map.set(ms % 60_000 === 0 ? ms / 60_000 : ms, value);
  }
}

/**
 * The same calculations as above on epoch milliseconds, memoised per exact input.
 * Luxon conversions cost microseconds each; real histories reuse the same few
 * thousand instants (sessions start on the hour or half hour), so memoising on
 * the exact value keeps every answer Luxon's own while making repeats cheap.
 */
export class PolicyCalendar {
  private readonly zone: IANAZone;
  private readonly dates = new InstantMemo<string>();
  private readonly shifted = new Map<string, InstantMemo<number>>();
  private readonly deadlines = new Map<number, InstantMemo<number>>();
  private readonly cob = new Map<string, number>();
  private readonly dayStarts = new Map<string, number>();

  constructor(readonly policy: CalendarPolicy) {
    const zone = IANAZone.create(policy.timeZone);
    if (!zone.isValid) throw new Error(`invalid time zone "${policy.timeZone}"`);
    this.zone = zone;
  }

  /** Local date of an instant. */
  dateOf(ms: number): string {
    let d = this.dates.get(ms);
    if (d === undefined) {
      d = DateTime.fromMillis(ms, { zone: this.zone }).toISODate()!;
      this.dates.set(ms, d);
    }
    return d;
  }

  /** The instant plus (sign -1: minus) an ISO duration in the zone's calendar: P1M from 31 Jan is 28/29 Feb; P1W keeps the wall-clock time. */
  plus(ms: number, iso: string, sign: 1 | -1 = 1): number {
    const key = sign === 1 ? iso : `-${iso}`;
    let memo = this.shifted.get(key);
    if (!memo) {
      memo = new InstantMemo();
      this.shifted.set(key, memo);
    }
    let out = memo.get(ms);
    if (out === undefined) {
      const dur = Duration.fromISO(iso);
      const dt = DateTime.fromMillis(ms, { zone: this.zone });
      out = (sign === 1 ? dt.plus(dur) : dt.minus(dur)).toMillis();
      memo.set(ms, out);
    }
    return out;
  }

  /** Close of business on a date. */
  closeOfBusiness(date: string): number {
    let v = this.cob.get(date);
    if (v === undefined) {
      v = Date.parse(closeOfBusiness(date, this.policy));
      this.cob.set(date, v);
    }
    return v;
  }

  /** Midnight at the start of a date. */
  startOfDay(date: string): number {
    let v = this.dayStarts.get(date);
    if (v === undefined) {
      v = DateTime.fromISO(date, { zone: this.zone }).startOf('day').toMillis();
      this.dayStarts.set(date, v);
    }
    return v;
  }

  /** See workingDayDeadline. */
  workingDayDeadline(ms: number, n: number): number {
    let memo = this.deadlines.get(n);
    if (!memo) {
      memo = new InstantMemo();
      this.deadlines.set(n, memo);
    }
    let out = memo.get(ms);
    if (out === undefined) {
      const date = this.dateOf(ms);
      const day = n === 0 ? nextWorkingDay(date, this.policy, true) : addWorkingDaysToDate(date, n, this.policy);
      out = this.closeOfBusiness(day);
      memo.set(ms, out);
    }
    return out;
  }
}
