/**
 * Every date and time a card shows, in one place. The zone is always the
 * zone of the policy pack the message concerns (the use case puts it on the
 * message), never the server's and never a default: an organisation in
 * another zone sees its own local times, and a digest mixing packs shows each
 * item in its own pack's zone.
 *
 * A string with a time and an offset ("2026-12-09T10:00:00Z") is an instant,
 * shown in `zone`; a plain date ("2026-12-09") is already a local date and is
 * shown as it is (reading it as midnight UTC would move it a day west of UTC).
 */
import { DateTime } from 'luxon';

type At = string | Date;

function zoned(at: At, zone: string): DateTime {
  if (at instanceof Date) return DateTime.fromJSDate(at, { zone }).setLocale('en-GB');
  const instant = at.includes('T') && /(Z|[+-]\d{2}:?\d{2})$/.test(at);
  const dt = instant ? DateTime.fromISO(at, { setZone: true }).setZone(zone) : DateTime.fromISO(at, { zone });
  return dt.setLocale('en-GB');
}

function shown(at: At, zone: string, format: string): string {
  const dt = zoned(at, zone);
  return dt.isValid ? dt.toFormat(format) : String(at);
}

/** "Wed 9 Dec" */
export const shortDay = (at: At, zone: string) => shown(at, zone, 'ccc d LLL');
/** "Wed 9 Dec 2026" */
export const dayWithYear = (at: At, zone: string) => shown(at, zone, 'ccc d LLL yyyy');
/** "Wednesday 9 December" */
export const longDay = (at: At, zone: string) => shown(at, zone, 'cccc d LLLL');
/** "Wed 9 Dec, 10:00" */
export const dayTime = (at: At, zone: string) => shown(at, zone, 'ccc d LLL, HH:mm');
/** "Wed 9 Dec 2026, 10:00" */
export const dayTimeWithYear = (at: At, zone: string) => shown(at, zone, 'ccc d LLL yyyy, HH:mm');
/** "10:00" */
export const timeOfDay = (at: At, zone: string) => shown(at, zone, 'HH:mm');
/** "Wed 9 Dec, 10:00–11:00"; a span over several days (a rebooking window) names both days. */
export const slotWords = (start: At, end: At, zone: string) =>
  localDay(start, zone) === localDay(end, zone) ? `${dayTime(start, zone)}–${timeOfDay(end, zone)}` : `${dayTime(start, zone)} – ${dayTime(end, zone)}`;
/** The local date (YYYY-MM-DD) an instant falls on in `zone` (a plain date is returned as it is). */
export const localDay = (at: At, zone: string) => {
  const dt = zoned(at, zone);
  return dt.isValid ? dt.toISODate()! : String(at);
};
