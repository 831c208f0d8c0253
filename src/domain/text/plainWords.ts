/**
 * Dates and periods in the words people use (en-GB): "Wed 9 Dec", "every 2 weeks".
 * Pure: no clock; callers pass the dates. ISO strings never reach a person.
 */
import { DateTime, Duration } from 'luxon';
import { FALLBACK_ZONE } from '../time/zones';

const UNITS: [keyof ReturnType<Duration['toObject']>, string][] = [
  ['years', 'year'],
  ['months', 'month'],
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
];

/** "P2W" → "2 weeks", "P1M" → "1 month", "P1Y6M" → "1 year and 6 months"; non-durations pass through. */
export function durationWords(iso: string): string {
  const d = Duration.fromISO(iso);
  if (!d.isValid) return iso;
  const o = d.toObject();
  const parts = UNITS.filter(([k]) => o[k]).map(([k, word]) => `${o[k]} ${word}${o[k] === 1 ? '' : 's'}`);
  if (!parts.length) return iso;
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** "P2W" → "every 2 weeks", "P1M" → "every month". */
export function everyWords(iso: string): string {
  const words = durationWords(iso);
  return words.startsWith('1 ') ? `every ${words.slice(2)}` : `every ${words}`;
}

/** "2026-12-09" or an instant → "Wed 9 Dec" (with the year when it is not `yearOf`'s year). */
export function dayWords(value: string | number, zone = FALLBACK_ZONE, referenceYear?: number): string {
  // Digests and to-do lists name the same few dates again and again, and formatting in a zone is costly.
  const key = `${value}|${zone}|${referenceYear ?? ''}`;
  let words = dayWordsMemo.get(key);
  if (words === undefined) {
    if (dayWordsMemo.size >= MEMO_SIZE) dayWordsMemo.clear();
    dayWordsMemo.set(key, (words = formatDay(value, zone, referenceYear)));
  }
  return words;
}

const MEMO_SIZE = 10_000;
const dayWordsMemo = new Map<string, string>();

function formatDay(value: string | number, zone: string, referenceYear: number | undefined): string {
  const dt = typeof value === 'number' ? DateTime.fromMillis(value, { zone }) : /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone }) : DateTime.fromISO(value, { zone });
  if (!dt.isValid) return String(value);
  const en = dt.setLocale('en-GB');
  return referenceYear !== undefined && en.year !== referenceYear ? en.toFormat('ccc d LLL yyyy') : en.toFormat('ccc d LLL');
}

/** "14:00" in the zone. */
export function timeWords(value: string, zone = FALLBACK_ZONE): string {
  return DateTime.fromISO(value, { zone }).setLocale('en-GB').toFormat('HH:mm');
}

/** Any ISO dates or durations left in a sentence, in words. */
export function plainSentence(text: string, zone = FALLBACK_ZONE): string {
  return text
    .replace(/\b(\d{4}-\d{2}-\d{2})(T[\d:.]+Z?)?\b/g, (_m, d: string, t?: string) => dayWords(t ? `${d}${t}` : d, zone))
    .replace(/\bP(?:\d+[YMWD])+(?:T(?:\d+[HMS])+)?\b/g, (m) => durationWords(m));
}
