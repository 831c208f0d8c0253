/**
 * Dates and times in words for descriptions and reasons. Always formatted in
 * an explicit zone and the en-GB locale, so output never depends on the
 * machine running it.
 */
import { DateTime } from 'luxon';

/** "Fri 26 Mar 2027" */
export function dayWords(date: string): string {
  return DateTime.fromISO(date, { zone: 'utc', locale: 'en-GB' }).toFormat('ccc d LLL yyyy');
}

/** "Fri 26 Mar 2027 10:00" in a zone. */
export function instantWords(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone, locale: 'en-GB' }).toFormat('ccc d LLL yyyy HH:mm');
}

/** 'HH:mm' plus minutes, on the wall clock ("10:00" + 90 → "11:30"). */
export function addMinutesToTime(time: string, minutes: number): string {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const total = h * 60 + m + minutes;
  return `${String(Math.floor(total / 60) % 24).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

export function minutesOfTime(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export function timeOfMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A short stable hash (FNV-1a, two seeds) for ids derived from content. */
export function stableHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0').slice(0, 4);
}
