/**
 * Time zones: every date a person sees or a rule counts ("today", "the next
 * working day", a digest's day) is read in the zone of the policy pack the
 * relationship is under. This module is where instants become local dates and
 * local dates become instants, so no caller parses a date without a zone.
 */
import { DateTime, IANAZone } from 'luxon';

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * The zone used where no pack is at hand (a relationship whose pack is not loaded,
 * a report asked for without one). Every pack names its own zone; all five shipped
 * packs are English organisations.
 */
export const FALLBACK_ZONE = 'Europe/London';

/** The zone of a policy pack, or the fallback when the pack is missing. */
export function zoneOf(policy: { timeZone: string } | undefined): string {
  return policy?.timeZone ?? FALLBACK_ZONE;
}

type Instant = Date | string | number;

function toDateTime(at: Instant, zone: string): DateTime {
  if (at instanceof Date) return DateTime.fromJSDate(at, { zone });
  if (typeof at === 'number') return DateTime.fromMillis(at, { zone });
  return DateTime.fromISO(at, { zone });
}

/** The local date (YYYY-MM-DD) of an instant in `zone`. */
export function localDate(at: Instant, zone: string): string {
  return toDateTime(at, zone).toISODate()!;
}

/** The instant (UTC ISO) a local date starts in `zone`. */
export function startOfLocalDate(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).startOf('day').toUTC().toISO()!;
}

/** When the local day after the one holding `at` starts in `zone` (epoch ms). */
export function startOfNextLocalDay(at: Instant, zone: string): number {
  return toDateTime(at, zone).plus({ days: 1 }).startOf('day').toMillis();
}
