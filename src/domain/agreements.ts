/** Where a relationship's supervision agreement stands (pure: `today` is passed in). */
import { DateTime, Duration } from 'luxon';
import type { Agreement, Relationship } from './model';
import { isRealDate } from './time/dates';


export interface ReviewDue {
  /** YYYY-MM-DD: the earlier of the agreement's own review date and the policy's review period from signing. */
  date: string;
  /** Which of the two set it ('agreement' when they fall on the same day). */
  setBy: 'agreement' | 'policy';
  /** The policy's date: the last signature (or creation) plus `reviewEvery`, in the policy's zone. */
  policyDate: string;
}

/**
 * When an agreement's review falls due. A review date entered further away
 * than the policy allows (two years under an annual review) does not extend
 * it: the earlier date wins. An agreement without a readable date takes the policy's.
 */
export function reviewDue(a: Agreement, reviewEvery: string, timeZone: string): ReviewDue {
  const signedAt = a.signatures.reduce((m, s) => Math.max(m, Date.parse(s.at) || 0), Date.parse(a.createdAt) || 0);
  const policyDate = DateTime.fromMillis(signedAt, { zone: timeZone }).plus(Duration.fromISO(reviewEvery)).toISODate()!;
  // A review date that is not a real date (stored before dates were checked) counts as absent.
  if (isRealDate(a.reviewOn) && a.reviewOn <= policyDate) return { date: a.reviewOn, setBy: 'agreement', policyDate };
  return { date: policyDate, setBy: 'policy', policyDate };
}

export type AgreementState = 'missing' | 'awaiting-signature' | 'in-date' | 'review-due' | 'overdue';

/**
 * `today` and `reviewOn` are YYYY-MM-DD; "review-due" starts `dueSoonDays` before the review date.
 * With the policy's review period, the review date is the earlier of the agreement's and the policy's (see reviewDue).
 */
export function agreementState(agreement: Agreement | undefined, today: string, dueSoonDays = 30, policy?: { reviewEvery: string; timeZone: string }): AgreementState {
  if (!agreement) return 'missing';
  if (agreement.status !== 'signed') return 'awaiting-signature';
  const reviewOn = policy ? reviewDue(agreement, policy.reviewEvery, policy.timeZone).date : agreement.reviewOn;
  if (reviewOn < today) return 'overdue';
  const soon = new Date(Date.parse(`${today}T00:00:00Z`) + dueSoonDays * 86_400_000).toISOString().slice(0, 10);
  return reviewOn <= soon ? 'review-due' : 'in-date';
}

/** Everyone in the relationship has signed. */
export function fullySigned(agreement: Agreement, rel: Relationship): boolean {
  const signed = new Set(agreement.signatures.map((s) => s.personId));
  return [rel.supervisorId, ...rel.superviseeIds].every((id) => signed.has(id));
}
