/**
 * Cards about a cancelled session: the rebooked time with alternatives (choose
 * one, or keep it cancelled with a reason), the escalation to a line manager
 * when nothing fits, and what happened to a session afterwards. Times and
 * names only: never case detail.
 */
import { ActionSet, TextInput } from '@microsoft/teams.cards';
import type { RebookEscalation, RebookedMessage, SessionNotice } from '../../ports/messages';
import { card, execute, facts, heading, openUrl, para } from './common';
import { dayTime, slotWords } from './dates';


export function rebookedCard(o: RebookedMessage) {
  return card(
    [
      heading('Supervision rebooked'),
      para(`Your supervision with ${o.withNames.join(', ')} on ${slotWords(o.original.start, o.original.end, o.timeZone)} was ${o.why}. It is protected time, so I have rebooked it:`),
      facts([['New time', slotWords(o.booked.start, o.booked.end, o.timeZone)]]),
      ...(o.notice ? [para(o.notice, { color: 'Good', weight: 'Bolder' })] : []),
      ...(o.alternatives.length ? [para('If that does not suit you both, pick another time:', { spacing: 'Medium' })] : []),
      new ActionSet(
        ...o.alternatives.map((a) => execute(slotWords(a.start, a.end, o.timeZone), 'rebook.choose', { sessionId: o.sessionId, relationshipId: o.relationshipId, start: a.start, end: a.end })),
      ),
      new TextInput({ id: 'reason', label: 'Or keep it cancelled: reason (not shared outside this app)', isMultiline: false, maxLength: 300 }),
    ],
    [execute('Keep it cancelled', 'rebook.keep', { sessionId: o.sessionId, relationshipId: o.relationshipId }), openUrl('Open Protected Time', o.tabUrl)],
  );
}

/** A title and a sentence, with the way into the tab. */
export function noticeCard(o: { title: string; text: string; tabUrl: string }) {
  return card([heading(o.title), para(o.text)], [openUrl('Open Protected Time', o.tabUrl)]);
}

/** The title (also the notification summary) and words of what happened to a session. */
export function sessionNoticeWords(n: SessionNotice): { title: string; text: string } {
  switch (n.kind) {
    case 'rebook-chosen':
      return { title: 'Supervision moved', text: `${n.byName} chose ${slotWords(n.slot.start, n.slot.end, n.timeZone)}. Both calendars are updated.` };
    case 'rebook-kept-cancelled':
      return { title: 'Supervision cancelled', text: `${n.byName} kept this supervision cancelled. It still counts towards how often supervision is due.` };
    case 'kept-cancelled-told':
      return {
        title: 'Supervision kept cancelled',
        text: `${n.byName} kept ${n.supervisorName}'s supervision with ${n.superviseeNames.join(', ')} on ${slotWords(n.original.start, n.original.end, n.timeZone)} cancelled instead of accepting the rebooked time.`,
      };
    case 'session-cancelled':
      return {
        title: 'Supervision cancelled',
        text: `${n.byName} cancelled the supervision of ${n.names.join(' and ')} on ${dayTime(n.start, n.timeZone)}.`,
      };
    case 'no-meeting-link':
      return {
        title: 'No Teams meeting link',
        text: `Your supervision series with ${n.withNames.join(', ')} has no Teams meeting link: your calendar does not allow Teams meetings; add a location or a link.`,
      };
  }
}

export function sessionNoticeCard(n: SessionNotice) {
  return noticeCard({ ...sessionNoticeWords(n), tabUrl: n.tabUrl });
}

export function escalationCard(o: RebookEscalation) {
  return card(
    [
      heading(o.forManager ? 'Supervision could not be rebooked' : 'I could not find a new time'),
      para(
        o.forManager
          ? `${o.supervisorName}'s supervision with ${o.superviseeNames.join(', ')} on ${slotWords(o.original.start, o.original.end, o.timeZone)} was cancelled, and no time fits both calendars within the policy's rebooking window (${slotWords(o.window.start, o.window.end, o.timeZone)}).`
          : `The supervision on ${slotWords(o.original.start, o.original.end, o.timeZone)} was cancelled and no common free time fits the policy's rebooking window. I have let the line manager know.`,
      ),
      para(o.reason, { isSubtle: true }),
      ...(o.forManager ? [para('Please help them find time: the policy asks for advice from the line manager when supervision cannot happen.', { isSubtle: true })] : []),
    ],
    [openUrl('Open Protected Time', o.tabUrl)],
  );
}
