/**
 * Checks shared by the planner and rebooker. The domain is called from the
 * CLI (whose zod schemas already check shapes) and from app code, so each
 * entry point still refuses bad values itself with a message naming the field.
 */
import { DateTime, Duration } from 'luxon';
import type { PolicyPack, StaffGroup } from '../policy/schema';
import { isValidTimeZone } from '../time/zones';
import type { Participant } from './types';

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const WEEKDAYS = new Set(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export class InputProblem extends Error {}

export function isInstant(s: unknown): s is string {
  // Date.parse rolls 2027-02-30 over to 2 March; Luxon refuses an impossible date.
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) && Number.isFinite(Date.parse(s)) && DateTime.fromISO(s, { setZone: true }).isValid;
}

export function isLocalTime(s: unknown): s is string {
  return typeof s === 'string' && TIME_RE.test(s);
}

export function isLocalDate(s: unknown): s is string {
  return typeof s === 'string' && DATE_RE.test(s) && Number.isFinite(Date.parse(`${s}T00:00:00Z`));
}

export function isPositiveDuration(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const d = Duration.fromISO(s);
  return d.isValid && d.toMillis() > 0;
}

export function requireInstant(value: unknown, field: string): number {
  if (!isInstant(value)) throw new InputProblem(`${field}: must be an ISO 8601 instant such as 2026-11-03T10:00:00Z (got ${JSON.stringify(value)})`);
  return Date.parse(value);
}

export function staffGroupOf(policy: PolicyPack, staffGroupId: string): StaffGroup {
  const group = policy.staffGroups.find((g) => g.id === staffGroupId);
  if (!group) {
    throw new InputProblem(`staffGroupId: no staff group "${staffGroupId}" in policy "${policy.id}" (it has: ${policy.staffGroups.map((g) => g.id).join(', ')})`);
  }
  return group;
}

/** The duration to book: the group's default, or the requested one if inside the group's range. */
export function sessionMinutes(group: StaffGroup, requested: number | undefined): number {
  if (requested === undefined) return group.duration.defaultMinutes;
  const { minMinutes, maxMinutes } = group.duration;
  if (!Number.isInteger(requested) || requested < minMinutes || requested > maxMinutes) {
    throw new InputProblem(`durationMinutes: ${requested} minutes is outside the ${minMinutes}–${maxMinutes} minute range of staff group "${group.id}" (${group.name})`);
  }
  return requested;
}

export function checkParticipants(participants: readonly Participant[], minimum: number): void {
  if (!Array.isArray(participants) || participants.length < minimum) {
    throw new InputProblem(`participants: need at least ${minimum} people (a supervisor and a supervisee)`);
  }
  const ids = new Set<string>();
  participants.forEach((p, i) => {
    const at = `participants[${i}]`;
    if (!p || typeof p.id !== 'string' || !p.id) throw new InputProblem(`${at}.id: required`);
    if (ids.has(p.id)) throw new InputProblem(`${at}.id: "${p.id}" appears twice`);
    ids.add(p.id);
    const wh = p.workingHours;
    if (!wh) throw new InputProblem(`${at}.workingHours: required`);
    if (!Array.isArray(wh.days) || !wh.days.length || wh.days.some((d: string) => !WEEKDAYS.has(d))) {
      throw new InputProblem(`${at}.workingHours.days: list one or more of mon, tue, wed, thu, fri, sat, sun`);
    }
    if (!isLocalTime(wh.start)) throw new InputProblem(`${at}.workingHours.start: must be a 24-hour time HH:mm`);
    if (!isLocalTime(wh.end)) throw new InputProblem(`${at}.workingHours.end: must be a 24-hour time HH:mm`);
    if (wh.end <= wh.start) throw new InputProblem(`${at}.workingHours.end: must be after start (${wh.start})`);
    if (typeof wh.timeZone !== 'string' || !isValidTimeZone(wh.timeZone)) {
      throw new InputProblem(`${at}.workingHours.timeZone: must be an IANA time zone such as Europe/London (got ${JSON.stringify(wh.timeZone)})`);
    }
    if (!Array.isArray(p.busy)) throw new InputProblem(`${at}.busy: must be a list of { start, end } (may be empty)`);
    (p.busy as unknown[]).forEach((b: unknown, j: number) => {
      const item = b as { start?: unknown; end?: unknown } | null;
      requireInstant(item?.start, `${at}.busy[${j}].start`);
      requireInstant(item?.end, `${at}.busy[${j}].end`);
    });
  });
}

/** Runs `body`, turning an InputProblem into an error result. */
export function guarded<T>(body: () => T, onProblem: (message: string) => T): T {
  try {
    return body();
  } catch (err) {
    if (err instanceof InputProblem) return onProblem(err.message);
    throw err;
  }
}
