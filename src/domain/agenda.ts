/**
 * The shared agenda of a supervision session, and each person's private notes.
 * Pure: what a session's agenda is, given what is stored. Agenda text is case
 * detail (people write about children and families), so it is held like a
 * record: read only by the two parties, never in calendars, notification text,
 * card previews or logs.
 *
 * What a session's agenda holds, in order:
 * - the policy's standing items (wellbeing, caseload, the agreement check...),
 *   each ticked per session;
 * - topics carried forward: items added to an earlier session that were not
 *   reached (still not discussed once that session was over or cancelled);
 * - the arrangement's open actions agreed at earlier sessions;
 * - items either person added to this session.
 * Carrying forward is level-triggered: an item stays on every later agenda
 * until it is marked discussed, and then shows (ticked) only on the agenda
 * where it was discussed. Nothing is copied, so nothing can be carried twice.
 */
import { reviewDue } from './agreements';
import type { ActionItem, Agreement, Session } from './model';
import type { AgendaSettings } from './policy/schema';

export interface AgendaItem {
  id: string;
  relationshipId: string;
  /** The session it was added to (for a standing item's tick: the session ticked). */
  sessionId: string;
  kind: 'standing' | 'added';
  /** For a standing item: the pack's item id. */
  standingId?: string;
  /** What to discuss (case detail; empty for a standing item's tick). Never changes once written. */
  text: string;
  addedBy: string;
  addedAt: string;
  /** Marked discussed: at which session, when, by whom. */
  discussedInSessionId?: string;
  discussedAt?: string;
  discussedBy?: string;
}

/** One person's own note on a session: only its author ever reads it. */
export interface PrivateNote {
  sessionId: string;
  relationshipId: string;
  authorId: string;
  text: string;
  updatedAt: string;
}

export type AgendaLineKind = 'standing' | 'carried-topic' | 'open-action' | 'added';

export interface AgendaLine {
  /** The agenda item id; for a standing item its pack id prefixed "standing:"; for an action "action:<id>". */
  id: string;
  kind: AgendaLineKind;
  text: string;
  addedBy?: string;
  discussed: boolean;
  /** carried-topic: the start of the session it was first put on. */
  fromSessionStart?: string;
  /** open-action: owner and due date. */
  ownerId?: string;
  dueOn?: string;
}

export const MAX_AGENDA_TEXT = 1000;
export const MAX_NOTE_TEXT = 20_000;
export const MAX_ITEMS_PER_SESSION = 50;

/** The id of a standing item's tick in a session (one per session and item: saving it twice is one tick). */
export const standingTickId = (sessionId: string, standingId: string) => `std:${sessionId}:${standingId}`;

/** A session is over for carrying forward once it ended, or it will not happen. */
function over(s: Session, now: string): boolean {
  return s.status !== 'planned' || s.end <= now;
}

export function buildAgenda(input: {
  session: Session;
  /** All sessions of the arrangement. */
  sessions: Session[];
  /** All agenda items of the arrangement. */
  items: AgendaItem[];
  /** The arrangement's actions. */
  actions: ActionItem[];
  settings: AgendaSettings | undefined;
  now: string;
}): AgendaLine[] {
  const { session, sessions, items, actions, now } = input;
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const startOf = (id: string | undefined) => (id ? byId.get(id)?.start : undefined);
  const lines: AgendaLine[] = [];

  for (const std of input.settings?.standingItems ?? []) {
    const tick = items.find((i) => i.id === standingTickId(session.id, std.id));
    lines.push({ id: `standing:${std.id}`, kind: 'standing', text: std.title, discussed: Boolean(tick?.discussedInSessionId === session.id) });
  }

  const added = items.filter((i) => i.kind === 'added');
  const carried = added
    .filter((i) => {
      const origin = byId.get(i.sessionId);
      if (!origin || origin.id === session.id || origin.start >= session.start || !over(origin, now)) return false;
      // Not reached by then: still open, or discussed here or in a later session.
      const discussedAt = startOf(i.discussedInSessionId);
      return !i.discussedInSessionId || i.discussedInSessionId === session.id || (discussedAt !== undefined && discussedAt > session.start);
    })
    .sort((a, b) => (startOf(a.sessionId) ?? '').localeCompare(startOf(b.sessionId) ?? '') || a.addedAt.localeCompare(b.addedAt));
  for (const i of carried) {
    lines.push({ id: i.id, kind: 'carried-topic', text: i.text, addedBy: i.addedBy, discussed: i.discussedInSessionId === session.id, fromSessionStart: startOf(i.sessionId) });
  }

  const open = actions
    .filter((a) => a.status === 'open' && a.sessionId !== session.id && (startOf(a.sessionId) ?? '') < session.start)
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id));
  for (const a of open) lines.push({ id: `action:${a.id}`, kind: 'open-action', text: a.text, ownerId: a.ownerId, dueOn: a.dueOn, discussed: false });

  for (const i of added.filter((x) => x.sessionId === session.id).sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.id.localeCompare(b.id))) {
    lines.push({ id: i.id, kind: 'added', text: i.text, addedBy: i.addedBy, discussed: i.discussedInSessionId === session.id });
  }
  return lines;
}

export type AgreementFinding = 'missing' | 'awaiting-signature' | 'review-overdue' | 'in-date';

/**
 * Whether the arrangement's agreement is in date on a session's day (YYYY-MM-DD):
 * the latest signed agreement's review date (the earlier of its own and the
 * policy's period from signing) on or after the day.
 */
export function agreementOnDay(agreements: Agreement[], day: string, rules: { reviewEvery: string; timeZone: string }, asAt?: string): { finding: AgreementFinding; reviewOn?: string } {
  // With asAt (a past session's start): only agreements whose last signature came before it were in place.
  const signedBy = (a: Agreement) => a.signatures.reduce((m, s) => (s.at > m ? s.at : m), '');
  const signed = agreements.filter((a) => a.status === 'signed' && (!asAt || signedBy(a) <= asAt));
  if (!signed.length) return { finding: agreements.length ? 'awaiting-signature' : 'missing' };
  const reviews = signed.map((a) => reviewDue(a, rules.reviewEvery, rules.timeZone).date).sort();
  const reviewOn = reviews[reviews.length - 1]!;
  return { finding: reviewOn < day ? 'review-overdue' : 'in-date', reviewOn };
}

/** Plain words for the agenda and the record form. */
export function agreementWords(f: { finding: AgreementFinding; reviewOn?: string }): string {
  switch (f.finding) {
    case 'missing':
      return 'There is no signed supervision agreement: agree one at this session.';
    case 'awaiting-signature':
      return 'The supervision agreement is not yet signed by everyone.';
    case 'review-overdue':
      return `The supervision agreement is out of date: its review was due on ${f.reviewOn}.`;
    case 'in-date':
      return `The supervision agreement is in date (review by ${f.reviewOn}).`;
  }
}
