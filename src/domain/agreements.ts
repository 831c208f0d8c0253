/** Where a relationship's supervision agreement stands (pure: `today` is passed in). */
import type { Agreement, Relationship } from './model';

export type AgreementState = 'missing' | 'awaiting-signature' | 'in-date' | 'review-due' | 'overdue';

/** `today` and `reviewOn` are YYYY-MM-DD; "review-due" starts `dueSoonDays` before the review date. */
export function agreementState(agreement: Agreement | undefined, today: string, dueSoonDays = 30): AgreementState {
  if (!agreement) return 'missing';
  if (agreement.status !== 'signed') return 'awaiting-signature';
  if (agreement.reviewOn < today) return 'overdue';
  const soon = new Date(Date.parse(`${today}T00:00:00Z`) + dueSoonDays * 86_400_000).toISOString().slice(0, 10);
  return agreement.reviewOn <= soon ? 'review-due' : 'in-date';
}

/** Everyone in the relationship has signed. */
export function fullySigned(agreement: Agreement, rel: Relationship): boolean {
  const signed = new Set(agreement.signatures.map((s) => s.personId));
  return [rel.supervisorId, ...rel.superviseeIds].every((id) => signed.has(id));
}
