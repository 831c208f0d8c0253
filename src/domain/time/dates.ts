/**
 * Real calendar dates and instants, within the years this app can mean. A
 * regex lets 2027-02-30 through (and Date.parse rolls it to 2 March); years
 * like 9999 or +275760 are valid ISO but overflow every calendar computation
 * downstream. Every boundary (HTTP bodies and queries, card data, the CLI,
 * the test clock) checks dates with these.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';

export const EARLIEST_YEAR = 2000;
export const LATEST_YEAR = 2100;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function inRange(dt: DateTime): boolean {
  return dt.isValid && dt.year >= EARLIEST_YEAR && dt.year <= LATEST_YEAR;
}

/** A real date (YYYY-MM-DD) between EARLIEST_YEAR and LATEST_YEAR. */
export function isRealDate(s: unknown): s is string {
  return typeof s === 'string' && DATE_RE.test(s) && inRange(DateTime.fromISO(s, { zone: 'utc' }));
}

/** A real instant with a zone or offset (2026-11-23T09:00:00Z) between EARLIEST_YEAR and LATEST_YEAR. */
export function isRealInstant(s: unknown): s is string {
  return typeof s === 'string' && INSTANT_RE.test(s) && inRange(DateTime.fromISO(s, { setZone: true }));
}

export const REAL_DATE_MESSAGE = `must be a real date YYYY-MM-DD between ${EARLIEST_YEAR} and ${LATEST_YEAR}`;
export const REAL_INSTANT_MESSAGE = `must be a real date and time with a zone (e.g. 2026-11-23T09:00:00Z) between ${EARLIEST_YEAR} and ${LATEST_YEAR}`;

export const RealDate = z.string().max(10, REAL_DATE_MESSAGE).refine(isRealDate, REAL_DATE_MESSAGE);
export const RealInstant = z.string().max(40, REAL_INSTANT_MESSAGE).refine(isRealInstant, REAL_INSTANT_MESSAGE);
