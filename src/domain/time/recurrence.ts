/**
 * Expands an RFC 5545 recurrence rule in a real time zone.
 *
 * rrule works in "floating" time, so we hand it wall-clock components dressed
 * as UTC and turn each result back into a real instant in `timeZone` with Luxon.
 * That keeps a 10:00 Europe/London meeting at 10:00 on both sides of a clock change.
 */
import { DateTime } from 'luxon';
import { RRule, rrulestr } from 'rrule';

function toFloating(instant: DateTime): Date {
  return new Date(Date.UTC(instant.year, instant.month - 1, instant.day, instant.hour, instant.minute, instant.second));
}

function fromFloating(d: Date, timeZone: string): DateTime {
  return DateTime.fromObject(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() },
    { zone: timeZone },
  );
}

export function parseRule(rule: string, firstStartUtc: string, timeZone: string): RRule {
  const local = DateTime.fromISO(firstStartUtc, { zone: 'utc' }).setZone(timeZone);
  const options = RRule.parseString(rule.replace(/^RRULE:/, ''));
  return new RRule({ ...options, dtstart: toFloating(local) });
}

/** Occurrence starts (UTC ISO) of the rule that begin inside [from, to). */
export function occurrencesBetween(rule: string, firstStartUtc: string, timeZone: string, from: string, to: string): string[] {
  const rr = parseRule(rule, firstStartUtc, timeZone);
  // Widen by a day each side: floating time is up to ±14h from the real instant.
  const fromLocal = toFloating(DateTime.fromISO(from, { zone: 'utc' }).setZone(timeZone).minus({ days: 1 }));
  const toLocal = toFloating(DateTime.fromISO(to, { zone: 'utc' }).setZone(timeZone).plus({ days: 1 }));
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  return rr
    .between(fromLocal, toLocal, true)
    .map((d) => fromFloating(d, timeZone).toUTC())
    .filter((dt) => dt.toMillis() >= fromMs && dt.toMillis() < toMs)
    .map((dt) => dt.toISO()!);
}

/** Validates an RRULE string; returns an error message or undefined. */
export function ruleProblem(rule: string): string | undefined {
  try {
    rrulestr(rule.startsWith('RRULE:') ? rule : `RRULE:${rule}`);
    return /FREQ=/.test(rule) ? undefined : 'RRULE needs FREQ';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
