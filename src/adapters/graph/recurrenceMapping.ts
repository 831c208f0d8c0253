/**
 * RRULE (RFC 5545, as the app stores it) ⇄ Graph patternedRecurrence
 * (api-reference/v1.0/resources/patternedrecurrence.md, recurrencepattern.md,
 * recurrencerange.md). Pure functions.
 *
 * Only rules Graph can represent exactly are converted; anything else throws
 * rather than booking a series that differs from what the app will track.
 *
 * UNTIL is read the way src/domain/time/recurrence.ts expands rules: as
 * wall-clock time in the event's zone (rrule works in floating time there), so
 * the app and Outlook agree on the last occurrence.
 */
import { DateTime } from 'luxon';
import { toGraphZone } from './timeZones';

export type GraphDay = 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';
export type WeekIndex = 'first' | 'second' | 'third' | 'fourth' | 'last';

export interface RecurrencePattern {
  type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
  interval: number;
  daysOfWeek?: GraphDay[];
  dayOfMonth?: number;
  month?: number;
  index?: WeekIndex;
  firstDayOfWeek?: GraphDay;
}

export interface RecurrenceRange {
  type: 'endDate' | 'noEnd' | 'numbered';
  startDate: string;
  endDate?: string;
  numberOfOccurrences?: number;
  recurrenceTimeZone?: string;
}

export interface PatternedRecurrence {
  pattern: RecurrencePattern;
  range: RecurrenceRange;
}

export class UnsupportedRecurrenceError extends Error {
  override readonly name = 'UnsupportedRecurrenceError';
  constructor(rule: string, why: string) {
    super(`recurrence "${rule}" cannot be sent to Graph: ${why}`);
  }
}

const RRULE_DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
const GRAPH_DAYS: GraphDay[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const INDEX_BY_ORDINAL: Record<string, WeekIndex> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '-1': 'last' };
const ORDINAL_BY_INDEX: Record<WeekIndex, string> = { first: '+1', second: '+2', third: '+3', fourth: '+4', last: '-1' };
const SUPPORTED_KEYS = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'COUNT', 'UNTIL', 'WKST']);

function graphDay(code: string, rule: string): GraphDay {
  const i = RRULE_DAYS.indexOf(code as (typeof RRULE_DAYS)[number]);
  if (i < 0) throw new UnsupportedRecurrenceError(rule, `unknown day ${code}`);
  return GRAPH_DAYS[i]!;
}

function rruleDay(day: GraphDay): string {
  return RRULE_DAYS[GRAPH_DAYS.indexOf(day)]!;
}

function parseParts(rule: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of rule.replace(/^RRULE:/i, '').split(';').filter(Boolean)) {
    const [key, value] = part.split('=');
    if (!key || value === undefined) throw new UnsupportedRecurrenceError(rule, `cannot read "${part}"`);
    const k = key.toUpperCase();
    if (!SUPPORTED_KEYS.has(k)) throw new UnsupportedRecurrenceError(rule, `${k} has no Graph equivalent`);
    parts.set(k, value.toUpperCase());
  }
  return parts;
}

function positiveInt(value: string | undefined, rule: string, what: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new UnsupportedRecurrenceError(rule, `${what} must be a whole number from 1 to ${max}`);
  return Number(value);
}

interface ByDay {
  ordinal?: string;
  day: GraphDay;
}

function parseByDay(value: string | undefined, rule: string): ByDay[] {
  if (!value) return [];
  return value.split(',').map((entry) => {
    const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(entry);
    if (!m) throw new UnsupportedRecurrenceError(rule, `cannot read BYDAY ${entry}`);
    const ordinal = m[1] === undefined ? undefined : String(Number(m[1]));
    return { ordinal, day: graphDay(m[2]!, rule) };
  });
}

function weekIndex(ordinal: string, rule: string): WeekIndex {
  const index = INDEX_BY_ORDINAL[ordinal];
  if (!index) throw new UnsupportedRecurrenceError(rule, `Graph has first to fourth and last only, not position ${ordinal}`);
  return index;
}

/** The local end date Graph should stop on, from an RRULE UNTIL read as wall-clock time. */
function endDateFromUntil(until: string, localStart: DateTime, rule: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(until);
  if (!m) throw new UnsupportedRecurrenceError(rule, `cannot read UNTIL ${until}`);
  const wall = DateTime.fromObject(
    { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) },
    { zone: 'utc' },
  );
  const startOfDay = localStart.hour * 3600 + localStart.minute * 60 + localStart.second;
  const untilOfDay = wall.hour * 3600 + wall.minute * 60 + wall.second;
  // An occurrence on UNTIL's date only counts if it starts by UNTIL's time.
  return (untilOfDay < startOfDay ? wall.minus({ days: 1 }) : wall).toFormat('yyyy-MM-dd');
}

/**
 * The Graph recurrence for `rule` whose first occurrence starts at `firstStartUtc`,
 * expanded in `timeZone` (IANA).
 */
export function rruleToPatternedRecurrence(rule: string, firstStartUtc: string, timeZone: string): PatternedRecurrence {
  const parts = parseParts(rule);
  const localStart = DateTime.fromISO(firstStartUtc, { zone: 'utc' }).setZone(timeZone);
  if (!localStart.isValid) throw new UnsupportedRecurrenceError(rule, `first start ${firstStartUtc} in ${timeZone} is not a valid time`);
  const interval = positiveInt(parts.get('INTERVAL'), rule, 'INTERVAL', 99) ?? 1;
  const byDay = parseByDay(parts.get('BYDAY'), rule);
  const byMonthDay = positiveInt(parts.get('BYMONTHDAY'), rule, 'BYMONTHDAY (one day, counted from the start of the month)', 31);
  const byMonth = positiveInt(parts.get('BYMONTH'), rule, 'BYMONTH (one month)', 12);
  const setPos = parts.get('BYSETPOS');
  const startDay = GRAPH_DAYS[localStart.weekday % 7]!;
  const firstDayOfWeek = graphDay(parts.get('WKST') ?? 'MO', rule);

  const relative = (): { daysOfWeek: GraphDay[]; index: WeekIndex } => {
    const ordinals = byDay.filter((d) => d.ordinal !== undefined);
    if (ordinals.length === 1 && byDay.length === 1 && setPos === undefined) return { daysOfWeek: [byDay[0]!.day], index: weekIndex(ordinals[0]!.ordinal!, rule) };
    if (ordinals.length === 0 && setPos !== undefined && !setPos.includes(',')) return { daysOfWeek: byDay.map((d) => d.day), index: weekIndex(String(Number(setPos)), rule) };
    throw new UnsupportedRecurrenceError(rule, 'a relative rule needs one BYDAY with a position (+2WE) or plain BYDAY with one BYSETPOS');
  };
  const noOrdinals = () => {
    if (byDay.some((d) => d.ordinal !== undefined) || setPos !== undefined) throw new UnsupportedRecurrenceError(rule, 'positions only apply to monthly and yearly rules');
  };

  let pattern: RecurrencePattern;
  switch (parts.get('FREQ')) {
    case 'DAILY':
      noOrdinals();
      if (byMonthDay !== undefined || byMonth !== undefined) throw new UnsupportedRecurrenceError(rule, 'daily rules cannot filter by month or day of month');
      if (byDay.length > 0) {
        // "Every weekday" is weekly on those days in Graph; only exact for an interval of 1.
        if (interval !== 1) throw new UnsupportedRecurrenceError(rule, 'a daily rule filtered by BYDAY must have INTERVAL=1');
        pattern = { type: 'weekly', interval: 1, daysOfWeek: byDay.map((d) => d.day), firstDayOfWeek };
      } else {
        pattern = { type: 'daily', interval };
      }
      break;
    case 'WEEKLY':
      noOrdinals();
      if (byMonthDay !== undefined || byMonth !== undefined) throw new UnsupportedRecurrenceError(rule, 'weekly rules cannot filter by month or day of month');
      pattern = { type: 'weekly', interval, daysOfWeek: byDay.length > 0 ? byDay.map((d) => d.day) : [startDay], firstDayOfWeek };
      break;
    case 'MONTHLY':
      if (byMonth !== undefined) throw new UnsupportedRecurrenceError(rule, 'monthly rules cannot filter by month');
      if (byDay.length > 0) {
        if (byMonthDay !== undefined) throw new UnsupportedRecurrenceError(rule, 'BYDAY and BYMONTHDAY together have no Graph equivalent');
        pattern = { type: 'relativeMonthly', interval, ...relative() };
      } else {
        if (setPos !== undefined) throw new UnsupportedRecurrenceError(rule, 'BYSETPOS needs BYDAY');
        pattern = { type: 'absoluteMonthly', interval, dayOfMonth: byMonthDay ?? localStart.day };
      }
      break;
    case 'YEARLY': {
      const month = byMonth ?? localStart.month;
      if (byDay.length > 0) {
        if (byMonthDay !== undefined) throw new UnsupportedRecurrenceError(rule, 'BYDAY and BYMONTHDAY together have no Graph equivalent');
        pattern = { type: 'relativeYearly', interval, month, ...relative() };
      } else {
        if (setPos !== undefined) throw new UnsupportedRecurrenceError(rule, 'BYSETPOS needs BYDAY');
        pattern = { type: 'absoluteYearly', interval, month, dayOfMonth: byMonthDay ?? localStart.day };
      }
      break;
    }
    default:
      throw new UnsupportedRecurrenceError(rule, `FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY`);
  }

  const startDate = localStart.toFormat('yyyy-MM-dd');
  const recurrenceTimeZone = toGraphZone(timeZone);
  const count = positiveInt(parts.get('COUNT'), rule, 'COUNT');
  const until = parts.get('UNTIL');
  let range: RecurrenceRange;
  if (count !== undefined && until !== undefined) throw new UnsupportedRecurrenceError(rule, 'COUNT and UNTIL together are not allowed (RFC 5545)');
  if (count !== undefined) range = { type: 'numbered', startDate, numberOfOccurrences: count, recurrenceTimeZone };
  else if (until !== undefined) range = { type: 'endDate', startDate, endDate: endDateFromUntil(until, localStart, rule), recurrenceTimeZone };
  else range = { type: 'noEnd', startDate, recurrenceTimeZone };
  return { pattern, range };
}

/**
 * The RRULE for a Graph recurrence, in the app's canonical spelling. UNTIL is
 * the last moment of the end date, as wall-clock time (see the header).
 */
export function patternedRecurrenceToRrule(recurrence: PatternedRecurrence): string {
  const { pattern, range } = recurrence;
  const parts: string[] = [];
  const interval = pattern.interval || 1;
  const days = (pattern.daysOfWeek ?? []).map((d) => rruleDay(d));
  const relative = (): string[] => {
    const index = pattern.index ?? 'first';
    if (days.length === 1) return [`BYDAY=${ORDINAL_BY_INDEX[index]}${days[0]}`];
    return [`BYDAY=${days.join(',')}`, `BYSETPOS=${Number(ORDINAL_BY_INDEX[index])}`];
  };
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined || value === null) throw new Error(`Graph ${pattern.type} recurrence without ${what}`);
    return value;
  };
  switch (pattern.type) {
    case 'daily':
      parts.push('FREQ=DAILY', `INTERVAL=${interval}`);
      break;
    case 'weekly':
      if (days.length === 0) throw new Error('Graph weekly recurrence without daysOfWeek');
      parts.push('FREQ=WEEKLY', `INTERVAL=${interval}`, `BYDAY=${days.join(',')}`);
      break;
    case 'absoluteMonthly':
      parts.push('FREQ=MONTHLY', `INTERVAL=${interval}`, `BYMONTHDAY=${need(pattern.dayOfMonth, 'dayOfMonth')}`);
      break;
    case 'relativeMonthly':
      if (days.length === 0) throw new Error('Graph relativeMonthly recurrence without daysOfWeek');
      parts.push('FREQ=MONTHLY', `INTERVAL=${interval}`, ...relative());
      break;
    case 'absoluteYearly':
      parts.push('FREQ=YEARLY', `INTERVAL=${interval}`, `BYMONTH=${need(pattern.month, 'month')}`, `BYMONTHDAY=${need(pattern.dayOfMonth, 'dayOfMonth')}`);
      break;
    case 'relativeYearly':
      if (days.length === 0) throw new Error('Graph relativeYearly recurrence without daysOfWeek');
      parts.push('FREQ=YEARLY', `INTERVAL=${interval}`, `BYMONTH=${need(pattern.month, 'month')}`, ...relative());
      break;
  }
  if (range.type === 'numbered') parts.push(`COUNT=${need(range.numberOfOccurrences, 'numberOfOccurrences')}`);
  if (range.type === 'endDate') parts.push(`UNTIL=${need(range.endDate, 'endDate').replace(/-/g, '')}T235959Z`);
  // WKST only matters when weeks are skipped; Graph's default is Sunday, RFC 5545's Monday.
  if (pattern.type === 'weekly' && interval > 1) parts.push(`WKST=${rruleDay(pattern.firstDayOfWeek ?? 'sunday')}`);
  return parts.join(';');
}
