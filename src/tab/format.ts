/**
 * Every date the tab shows, in UK style, in the zone it is given: the zone of
 * the pack the item concerns, which the API sends with it. Never the
 * browser's own zone (a practitioner abroad, or a test browser in UTC, still
 * sees the pack's local times) and never a zone of the tab's own.
 *
 * A plain date ("2026-12-09": a due date, a review date) is already a local
 * date and is shown as it is, whatever the zone.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, options: Intl.DateTimeFormatOptions, locale = 'en-GB'): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    cache.set(key, f);
  }
  return f;
}

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A plain date is formatted at its own noon in UTC, so no zone moves it. */
function instant(iso: string, zone: string): { at: Date; zone: string } {
  return PLAIN_DATE.test(iso) ? { at: new Date(`${iso}T12:00:00Z`), zone: 'UTC' } : { at: new Date(iso), zone };
}

function show(iso: string, zone: string, options: Intl.DateTimeFormatOptions, locale?: string): string {
  const i = instant(iso, zone);
  return Number.isNaN(i.at.getTime()) ? iso : formatter(i.zone, options, locale).format(i.at);
}

/** "Wed 9 Dec 2026" */
export function formatDay(iso: string, zone: string): string {
  return show(iso, zone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}

/** "Wed 9 Dec 2026" for a plain date (YYYY-MM-DD: a due date, a review date), which no zone moves. */
export function formatDate(date: string): string {
  return PLAIN_DATE.test(date) ? show(date, 'UTC', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }) : date;
}

/** "Wed 9 Dec" */
export function formatShortDay(iso: string, zone: string): string {
  return show(iso, zone, { weekday: 'short', day: 'numeric', month: 'short' });
}

/** "Wed 9" */
export function formatWeekday(iso: string, zone: string): string {
  return show(iso, zone, { weekday: 'short', day: 'numeric' });
}

/** "December 2026" */
export function formatMonth(iso: string, zone: string): string {
  return show(iso, zone, { month: 'long', year: 'numeric' });
}

/** "10:00" */
export function formatTime(iso: string, zone: string): string {
  return show(iso, zone, { hour: '2-digit', minute: '2-digit' });
}

/** "10:00–11:00" */
export function formatTimeRange(start: string, end: string, zone: string): string {
  return `${formatTime(start, zone)}–${formatTime(end, zone)}`;
}

/** The local date (YYYY-MM-DD) an instant falls on in `zone`, for grouping by day. */
export function localDayKey(iso: string, zone: string): string {
  return show(iso, zone, { year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA');
}

export const ROLE_LABELS: Record<string, string> = {
  practitioner: 'Practitioner',
  supervisor: 'Supervisor',
  'line-manager': 'Line manager',
  'safeguarding-lead': 'Safeguarding lead',
  auditor: 'Auditor',
};
