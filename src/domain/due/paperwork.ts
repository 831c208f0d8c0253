/**
 * Paperwork obligations: a record for every held session (within the policy's
 * working-day deadline, bank holidays excluded), the other party's
 * countersignature, agreed actions by their date, the written agreement and
 * its annual review, and rebooking cancelled sessions.
 */
import { Duration } from 'luxon';
import { reviewDue, type ReviewDue } from '../agreements';
import type { Agreement } from '../model';
import { rebookDeadline } from '../rebookDeadline';
import type { RelationshipHistory } from './history';
import { obligation, peopleFor, type PolicyContext } from './judge';
import type { Obligation } from './types';

export function recordObligations(ctx: PolicyContext, h: RelationshipHistory, now: number): Obligation[] {
  const rel = h.relationship;
  const rules = ctx.policy.records;
  const out: Obligation[] = [];
  const deadlineWords = `${rules.deadlineWorkingDays} working day${rules.deadlineWorkingDays === 1 ? '' : 's'}`;
  for (const s of h.held) {
    const record = h.records.get(s.id);
    if (record && (record.status === 'signed' || record.status === 'disagreed')) continue;
    const held = ctx.calendar.dateOf(s.start);
    if (!record || record.status === 'draft' || record.status === 'changes-requested') {
      const due = ctx.calendar.workingDayDeadline(s.end, rules.deadlineWorkingDays);
      out.push(
        obligation(ctx, rel, now, {
          kind: 'record-due',
          subjectId: s.id,
          owedBy: record ? [record.authorId] : peopleFor(rel, rules.recorder),
          due,
          explanation: `The record of the session on ${held} is ${record ? (record.status === 'draft' ? 'still a draft' : 'back for changes') : 'not started'}; the policy gives ${deadlineWords} after the session (bank holidays excluded), so it is due by ${ctx.calendar.dateOf(due)}.`,
        }),
      );
      continue;
    }
    if (record.status !== 'submitted' || !rules.countersign) continue;
    // Submitted and awaiting signatures: everyone in the session signs; the author usually already has.
    const signed = new Set(record.signatures.map((sig) => sig.personId));
    const missing = [rel.supervisorId, ...rel.superviseeIds].filter((id) => !signed.has(id) && id !== record.authorId);
    if (!missing.length) continue;
    const submitted = Date.parse(record.submittedAt ?? record.updatedAt);
    const due = ctx.calendar.workingDayDeadline(submitted, rules.deadlineWorkingDays);
    out.push(
      obligation(ctx, rel, now, {
        kind: 'countersign-due',
        subjectId: record.id,
        owedBy: missing,
        due,
        explanation: `The record of the session on ${held} was submitted on ${ctx.calendar.dateOf(submitted)} and awaits countersignature, due within ${deadlineWords} (by ${ctx.calendar.dateOf(due)}).`,
      }),
    );
  }
  return out;
}

export function actionObligations(ctx: PolicyContext, h: RelationshipHistory, now: number): Obligation[] {
  return h.actions
    .filter((a) => a.status === 'open')
    .map((a) => {
      const due = ctx.calendar.closeOfBusiness(a.dueOn);
      return obligation(ctx, h.relationship, now, {
        kind: 'action-due',
        subjectId: a.id,
        owedBy: [a.ownerId],
        due,
        explanation: `An action agreed in supervision is due on ${a.dueOn}.`,
      });
    });
}

export function agreementObligations(ctx: PolicyContext, h: RelationshipHistory, now: number): Obligation[] {
  const rel = h.relationship;
  const rules = ctx.policy.agreements;
  const signed = h.agreements.filter((a) => a.status === 'signed');
  const both = peopleFor(rel, 'either');
  if (!signed.length) {
    if (!rules.required) return [];
    const firstSession = [...h.held, ...h.planned, ...h.cancelled.filter((s) => s.session.status === 'missed')].reduce<number | undefined>(
      (min, s) => (min === undefined || s.start < min ? s.start : min),
      undefined,
    );
    // "P0D" means before supervision starts: due at the first session (or the start date while none is booked).
    const immediate = Duration.fromISO(rules.dueWithin).toMillis() === 0;
    const due = immediate
      ? (firstSession ?? ctx.calendar.closeOfBusiness(rel.startedOn))
      : ctx.calendar.closeOfBusiness(ctx.calendar.dateOf(ctx.calendar.plus(ctx.calendar.startOfDay(rel.startedOn), rules.dueWithin)));
    return [
      obligation(ctx, rel, now, {
        kind: 'agreement-missing',
        subjectId: rel.id,
        owedBy: both,
        due,
        explanation: `No signed supervision agreement; the policy requires one ${immediate ? 'before supervision starts' : `within ${rules.dueWithin} of the arrangement starting (${rel.startedOn})`}, so it is due by ${ctx.calendar.dateOf(due)}.`,
      }),
    ];
  }
  const latest = signed.reduce((a, b) => (reviewOf(ctx, b).date > reviewOf(ctx, a).date ? b : a));
  const review = reviewOf(ctx, latest);
  const due = ctx.calendar.closeOfBusiness(review.date);
  const why =
    review.setBy === 'policy' && /^\d{4}-\d{2}-\d{2}$/.test(latest.reviewOn)
      ? `The supervision agreement names ${latest.reviewOn} for its review, but the policy requires a review every ${rules.reviewEvery}, so it is due by ${review.date}, the earlier of the two.`
      : `The supervision agreement is to be reviewed by ${review.date} (every ${rules.reviewEvery}).`;
  return [
    obligation(ctx, rel, now, {
      kind: 'agreement-review',
      subjectId: latest.id,
      owedBy: both,
      due,
      explanation: `${why}${rules.checkedEachSession ? ' It is checked at every session.' : ''}`,
      facts: { reviewOn: review.date, setBy: review.setBy, policyReviewOn: review.policyDate, ...(/^\d{4}-\d{2}-\d{2}$/.test(latest.reviewOn) ? { agreementReviewOn: latest.reviewOn } : {}), reviewEvery: rules.reviewEvery },
    }),
  ];
}

/**
 * "Checked at the beginning of every session" (Staffordshire §8.1): for the
 * next planned session, the supervisor checks the agreement. It is met in
 * advance (upcoming) when a signed agreement will still be in date on the
 * session's day; otherwise it is due soon and, once the session has started
 * without one, overdue. The facts say what the check will find.
 */
export function agreementCheckObligations(ctx: PolicyContext, h: RelationshipHistory, now: number): Obligation[] {
  const rules = ctx.policy.agreements;
  const next = h.planned[0];
  if (!rules.checkedEachSession || !next) return [];
  const rel = h.relationship;
  const day = ctx.calendar.dateOf(next.start);
  const signed = h.agreements.filter((a) => a.status === 'signed');
  const drafts = h.agreements.some((a) => a.status !== 'signed');
  const latest = signed.length ? signed.reduce((a, b) => (reviewOf(ctx, b).date > reviewOf(ctx, a).date ? b : a)) : undefined;
  const reviewOn = latest ? reviewOf(ctx, latest).date : undefined;
  const finding = !latest ? (drafts ? 'awaiting-signature' : 'missing') : reviewOn! < day ? 'review-overdue' : 'in-date';
  const words = {
    missing: 'there is no signed agreement',
    'awaiting-signature': 'the agreement is not yet signed by everyone',
    'review-overdue': `the agreement's review was due on ${reviewOn}`,
    'in-date': `the agreement is signed and in date (review by ${reviewOn})`,
  }[finding];
  return [
    obligation(ctx, rel, now, {
      kind: 'agreement-check',
      subjectId: next.id,
      owedBy: [rel.supervisorId],
      due: next.start,
      options: { covered: finding === 'in-date' },
      explanation: `The policy asks for the supervision agreement to be checked at the beginning of every session; at the next session on ${day}, ${words}.`,
      facts: { sessionId: next.id, sessionStart: ctx.iso(next.start), finding, ...(reviewOn ? { reviewOn } : {}), ...(latest ? { agreementId: latest.id } : {}) },
    }),
  ];
}

/** The review date: the earlier of the agreement's own and the policy's period from signing. */
function reviewOf(ctx: PolicyContext, a: Agreement): ReviewDue {
  return reviewDue(a, ctx.policy.agreements.reviewEvery, ctx.policy.timeZone);
}

/**
 * A cancelled or missed session needs a replacement, unless one replaces it or
 * supervision has since been held. Due by the end of the rebook window
 * (measured from the original date, or from the cancellation when the policy
 * anchors it there), or, where the policy asks for it to be "rebooked
 * immediately", by close of business on the next working day after the
 * cancellation. When the history does not say when it was cancelled, the
 * session's own start stands in (a cancellation comes before the session).
 */
export function rebookObligations(ctx: PolicyContext, h: RelationshipHistory, now: number): Obligation[] {
  const rel = h.relationship;
  const rules = ctx.policy.rebooking;
  const lastHeld = h.held[h.held.length - 1];
  const out: Obligation[] = [];
  for (const s of h.cancelled) {
    if (h.replaced.has(s.id)) continue;
    if (lastHeld && lastHeld.start > s.start) continue;
    const known = s.session.cancelledAt ? Date.parse(s.session.cancelledAt) : NaN;
    const cancelledAt = Number.isFinite(known) ? known : s.start;
    const when = Number.isFinite(known) ? ` on ${ctx.calendar.dateOf(cancelledAt)}` : '';
    const what = `The session on ${ctx.calendar.dateOf(s.start)} was ${s.session.status}${when}`;
    const { dueAt: due, deadline } = rebookDeadline(ctx.policy, ctx.calendar, s.start, cancelledAt);
    let explanation: string;
    if (deadline === 'next-working-day') {
      explanation = `${what}; the policy says it must be rebooked immediately, so a new date is owed by close of business on the next working day (${ctx.calendar.dateOf(due)}), within ${rules.window} of the ${rules.anchor === 'cancellation' ? 'cancellation' : 'original date'}.`;
    } else {
      explanation = `${what}; the policy asks for a new date within ${rules.window} of the ${rules.anchor === 'cancellation' ? 'cancellation' : 'original date'} (by ${ctx.calendar.dateOf(due)}).`;
    }
    out.push(
      obligation(ctx, rel, now, {
        kind: 'rebook-needed',
        subjectId: s.id,
        owedBy: peopleFor(rel, rules.responsible),
        due,
        // Owed at once: there is no "due soon" before an obligation that falls due the next working day.
        options: deadline === 'next-working-day' ? { soonFrom: cancelledAt } : undefined,
        explanation,
        facts: { sessionStart: ctx.iso(s.start), deadline, window: rules.window, anchor: rules.anchor, ...(Number.isFinite(known) ? { cancelledAt: ctx.iso(known) } : {}) },
      }),
    );
  }
  return out;
}
