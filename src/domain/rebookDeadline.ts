/**
 * When the obligation to rebook a cancelled session falls due under a policy:
 * by close of business on the next working day after the cancellation where
 * the policy says "rebooked immediately" (rebooking.rebookBy), otherwise by the
 * end of the rebook window (from the original date or the cancellation, as the
 * policy anchors it). Shared by the rebooker and the due engine so both say the same.
 */
import type { PolicyPack } from './policy/schema';
import type { PolicyCalendar } from './time/workingDays';

export interface RebookDeadline {
  /** Epoch ms. */
  dueAt: number;
  deadline: 'next-working-day' | 'window';
}

export function rebookDeadline(policy: PolicyPack, calendar: PolicyCalendar, sessionStart: number, cancelledAt: number): RebookDeadline {
  const rules = policy.rebooking;
  if (rules.rebookBy?.deadline === 'next-working-day') return { dueAt: calendar.workingDayDeadline(cancelledAt, 1), deadline: 'next-working-day' };
  return { dueAt: calendar.plus(rules.anchor === 'cancellation' ? cancelledAt : sessionStart, rules.window), deadline: 'window' };
}
