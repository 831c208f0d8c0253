/**
 * Moving a session: how the pack says moves are made (auto or propose) and the
 * rule never to move a session that starts too soon. Pure: times are passed in.
 */
import { Duration } from 'luxon';
import type { PolicyPack } from './policy/schema';

export type MoveMode = 'auto' | 'propose';

export function moveMode(policy: PolicyPack): MoveMode {
  return policy.rebooking.moves?.mode ?? 'auto';
}

/** How long the policy keeps a session from moving before its start, in ms (0: no limit). */
export function noMoveWithinMs(policy: PolicyPack): number {
  const d = policy.rebooking.moves?.noMoveWithin;
  return d ? Duration.fromISO(d).toMillis() : 0;
}

/** The earliest a moved or replacement session may start: now, or the policy's no-move limit from now. */
export function earliestMoveStart(policy: PolicyPack, now: string): string {
  return new Date(Date.parse(now) + noMoveWithinMs(policy)).toISOString();
}

/** "24 hours", "2 days": the no-move limit in words. */
export function limitWords(policy: PolicyPack): string {
  const d = Duration.fromISO(policy.rebooking.moves?.noMoveWithin ?? 'PT0H').shiftTo('days', 'hours');
  const hours = Math.round(d.as('hours'));
  if (hours % 24 === 0 && hours >= 48) return `${hours / 24} days`;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/**
 * Why a session starting at `start` cannot be moved now, in plain words, or
 * undefined when it can. `what` names it ("this session", "that time").
 */
export function moveRefusal(policy: PolicyPack, start: string, now: string, what = 'This session'): string | undefined {
  const limit = noMoveWithinMs(policy);
  if (!limit) return undefined;
  if (Date.parse(start) - Date.parse(now) >= limit) return undefined;
  return `${what} starts in less than ${limitWords(policy)}, and ${policy.name} never moves a supervision session that close to its start, so it stays as it is.`;
}

/**
 * When a proposal must be answered by: now plus the policy's answerWithin (a
 * day when the pack is silent), but no later than the no-move limit before the
 * held time (after that it could not move anyway), and never before now.
 */
export function answerBy(policy: PolicyPack, now: string, heldStart: string): string {
  const asked = Date.parse(now) + Duration.fromISO(policy.rebooking.moves?.answerWithin ?? 'P1D').toMillis();
  const latest = Date.parse(heldStart) - noMoveWithinMs(policy);
  return new Date(Math.max(Date.parse(now), Math.min(asked, latest))).toISOString();
}
