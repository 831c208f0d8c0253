/**
 * How long durable work is kept: every claim kind, every outbox kind and the
 * leases, in one table, each with why. The daily consistency sweep applies it
 * (timelines.ts) through the pruning ports, where the engine can delete.
 *
 * A claim is the guard of something done once (a message sent, a decision
 * taken) or the record of it. It may go only once a repeat of what it guards
 * has become impossible, not merely unlikely: pruning a claim that still
 * guards a once-only effect would send something twice. So a kind is pruned
 * only where the code that claims it can no longer reach the same key after
 * the stated period (it looks only at today, this week, the last fortnight,
 * the next two weeks); everything else is kept for good, and says why. The
 * kinds kept for good grow one per thing people own and keep anyway (a
 * session, a cancellation, a handover, a directory change), never per day.
 *
 * A done work item is the "once" of its (kind, key): pruned, the same key can
 * be enqueued again and its result is gone. So the same test applies.
 */
import type { LedgerPruning, WorkPruning } from '../ports/ledger';
import { ledgerKeys } from './ids';
import { PRE_SESSION_KIND } from './preSession';
import { REBOOK_KIND } from './reconcile';
import { RECORD_FORM_KIND } from './recordFormWork';
import { PROPOSAL_TIMEOUT_KIND } from './rebookProposal';
import { CARD_LOOKBACK_DAYS, RECORD_CARD_KIND, RECORD_MESSAGE_SENT, RECORD_MESSAGES_KIND } from './records';
import { DIGEST_KIND, REMINDER_KIND, REPEAT_DAYS, SNOOZE_KIND } from './reminders';
import { MOVE_KIND } from './transfer';
import { SETTLE_KIND } from './settleWork';

const DAY_MS = 24 * 60 * 60_000;

/** Pruned once older than `days`; with `keepCurrent`, every one but the key still in force, however old. */
export type Rule = { keep: 'for good'; why: string } | { keep: { days: number; keepCurrent?: true }; why: string };

/** Claim kinds (the ledger). Kinds made per subject (`rebook-proposal:<id>`) are listed by their stem with `*`. */
export const CLAIM_RETENTION: Record<string, Rule> = {
  // ---- pruned ----
  [REMINDER_KIND]: { keep: { days: REPEAT_DAYS + 1 }, why: 'Keys carry the week ("w0", "w1"...) or state: after a repeat period the next reminder has a new key anyway.' },
  [SNOOZE_KIND]: { keep: { days: REPEAT_DAYS + 1 }, why: 'A snooze lasts at most a week (reminders.snooze refuses longer); past its `until` nothing reads it.' },
  'digest-day': { keep: { days: 2 }, why: "Keyed person|day and only today's key is ever planned: a day later it can never be asked again." },
  'policy-set': { keep: { days: 0, keepCurrent: true }, why: "Only the current set's fingerprint answers 'changed since the last sweep?'; a former one kept would hide a return to it (which must wake everyone)." },
  [PRE_SESSION_KIND]: {
    keep: { days: 60 },
    why: 'Sent for planned sessions starting within the longest lead (the schema caps it at P14D), so a claim is at most two weeks before its session starts; after 60 days its session has started unless it was moved over six weeks later after the card went, and then a card naming the new time is news, not a repeat.',
  },
  [RECORD_CARD_KIND]: {
    keep: { days: CARD_LOOKBACK_DAYS + 7 },
    why: `Posted only for held sessions that ended within the last ${CARD_LOOKBACK_DAYS} days, and claimed after the session ended (it is held once its end has passed): a week past the lookback its session is out of reach for good.`,
  },
  [RECORD_MESSAGE_SENT]: {
    keep: { days: 30 },
    why: "Read only while its record-messages item is being delivered (keys start with the item's key, record|etag, and an etag never recurs); that item retries every 15 minutes at most, so a month covers any outage short of Teams gone for a month.",
  },
  // ---- kept for good ----
  [ledgerKeys.rebookConfirmed.kind]: { keep: 'for good', why: "Read while the rebooked session is planned (to-do list, session page), and a planned session can be moved any distance: no age is safe. One per person per rebook." },
  'kept-cancelled': { keep: 'for good', why: 'Who kept a session cancelled and why: the reason lives only here (never in logs or the audit trail), and an inspector may ask.' },
  'handover-note': { keep: 'for good', why: "The handover note itself: the new supervisor's and the leads' to read; content, not a guard." },
  'move-requested': { keep: 'for good', why: 'The handover request a move reads to finish or resume; one per handover.' },
  cover: { keep: 'for good', why: 'Cover periods: read to find the active ones and shown in the people history; one per cover.' },
  'cover-step': { keep: 'for good', why: "Guards each cover step (start, end, revert) once: a pruned step would revert a cover again. One per step." },
  'arrangement-ended': { keep: 'for good', why: 'Who ended an arrangement and why: an inspector needs it.' },
  'end-told': { keep: 'for good', why: 'Once-ever notice per ended arrangement and person; the arrangement is kept, so a pruned claim could tell again.' },
  'moved-session': { keep: 'for good', why: 'Which sessions a handover moved (organiser, event): read to finish or undo the move.' },
  'move-told': { keep: 'for good', why: 'Once-ever notice per handover and person.' },
  'legal-hold': { keep: 'for good', why: 'A legal hold: inspection and disposal read it; nothing about it may lapse.' },
  'legal-hold-lifted': { keep: 'for good', why: 'When and by whom a hold was lifted: the other half of the hold record.' },
  'left-organisation': { keep: 'for good', why: 'When a person left: retention of their records runs from it.' },
  'rebook-proposal:*': { keep: 'for good', why: 'The proposal answers read, one kind per cancelled session (so not prunable by kind without a prefix scan); one per proposed rebook.' },
  'rebook-proposal-settled:*': { keep: 'for good', why: 'The once-only settlement of a proposal (accept, choose or timeout): a pruned one lets a late answer book again.' },
  'people-flag': { keep: 'for good', why: 'Directory-change flags the Changes page lists, with who was asked; a re-sent delta must not raise one again.' },
  'people-flag-told': { keep: 'for good', why: 'Once-ever notice per flag and person.' },
  'people-flag-dismissed': { keep: 'for good', why: 'Who dismissed a flag: without it the flag shows again.' },
  'no-meeting-link': { keep: 'for good', why: 'A booking without a Teams meeting: the session page and the compliance view show it for as long as the booking exists.' },
  'no-meeting-link-told': { keep: 'for good', why: 'The organiser is told once per arrangement, ever (by design): one per arrangement.' },
  attendance: { keep: 'for good', why: 'Attendance facts compliance and inspection count.' },
};

/** Outbox kinds: how long a done item stays (pending ones are never pruned). */
export const DONE_WORK_RETENTION: Record<string, Rule> = {
  [DIGEST_KIND]: { keep: { days: 3 }, why: "Keyed person|day and only today's key is ever queued, also guarded by the digest-day claim (kept 2 days): a day past that, the key cannot come back." },
  [RECORD_MESSAGES_KIND]: { keep: { days: 30 }, why: 'Keyed record|etag (an etag never recurs); its result is read only just after delivery.' },
  [RECORD_FORM_KIND]: {
    keep: { days: CARD_LOOKBACK_DAYS + 7 },
    why: `Keyed by session, queued once as the session turns held (its end has passed), or by the catch-up for a held session that ended within the last ${CARD_LOOKBACK_DAYS} days with no ${RECORD_CARD_KIND} claim. A form that went is guarded by that claim too; a week past the lookback the session is beyond the catch-up, so a pruned key cannot be queued again. Nothing reads its result.`,
  },
  [PROPOSAL_TIMEOUT_KIND]: { keep: { days: 30 }, why: 'Enqueued only by the rebook of its cancelled session, which runs once (that rebook item is kept); nothing reads its result.' },
  [REBOOK_KIND]: {
    keep: { days: 400 },
    why: 'Enqueued when a planned session is found cancelled, and saved cancelled right after (the reconciler reads planned ones only; the replacement id and calendar transaction id are derived), so it cannot recur. Its result (the offered alternatives) is read by "pick another time" while the replacement is planned, within the rebook window (at most P1Y) of the original date: past that a choice is refused, never booked twice.',
  },
  [SETTLE_KIND]: {
    keep: { days: 7 },
    why: 'Keyed session|end and done only once the session is no longer planned and ended (held, missed, or moved to a new end, which is a new key): the same key comes back only if a session is moved back to the very time it had, and then settling it again is right.',
  },
  [MOVE_KIND]: { keep: 'for good', why: "A cover's end waits for its start move's result, and a cover can last any time; a pruned handover id could also run again. One per handover or cover." },
};

/** Leases that ran out this long ago go: to acquireLease an expired lease is the same as none. */
export const EXPIRED_LEASE_DAYS = 1;

/** What a prune removed, by what it is: a claim kind, `outbox:<kind>`, `leases`. */
export type Pruned = Record<string, number>;

/**
 * Applies the table: where an engine cannot delete (its pruning port absent)
 * nothing is removed. `current` names the claim still in force per kind
 * (for rules with keepCurrent); such a rule without one prunes nothing.
 */
export async function pruneByRetention(deps: { pruning?: LedgerPruning; workPruning?: WorkPruning }, now: Date, current: Record<string, string> = {}): Promise<Pruned> {
  const out: Pruned = {};
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  if (deps.pruning) {
    for (const [kind, rule] of Object.entries(CLAIM_RETENTION)) {
      if (rule.keep === 'for good') continue;
      const keepKey = current[kind];
      if (rule.keep.keepCurrent && keepKey === undefined) continue;
      out[kind] = await deps.pruning.pruneClaims(kind, before(rule.keep.days), rule.keep.keepCurrent ? keepKey : undefined);
    }
  }
  if (deps.workPruning) {
    for (const [kind, rule] of Object.entries(DONE_WORK_RETENTION)) {
      if (rule.keep !== 'for good') out[`outbox:${kind}`] = await deps.workPruning.pruneDoneWork(kind, before(rule.keep.days));
    }
    out.leases = await deps.workPruning.pruneExpiredLeases(before(EXPIRED_LEASE_DAYS));
  }
  return out;
}
