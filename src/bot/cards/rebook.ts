/**
 * Cards about a cancelled session: the rebooked time with alternatives (choose
 * one, or keep it cancelled with a reason), and the escalation to a line
 * manager when nothing fits. Times and names only: never case detail.
 */
import { card, facts, heading, openUrl, para } from './common';

const fmt = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
const timeFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
export const when = (start: string, end: string) => `${fmt.format(new Date(start))}–${timeFmt.format(new Date(end))}`;

export interface Slot {
  start: string;
  end: string;
}

export function rebookedCard(o: {
  sessionId: string;
  /** Lets the handler load the session directly instead of searching every arrangement. */
  relationshipId: string;
  withNames: string[];
  original: Slot;
  booked: Slot;
  alternatives: Slot[];
  why: string;
  tabUrl: string;
  notice?: string;
}) {
  return card(
    [
      heading('Supervision rebooked'),
      para(`Your supervision with ${o.withNames.join(', ')} on ${when(o.original.start, o.original.end)} was ${o.why}. It is protected time, so I have rebooked it:`),
      facts([['New time', when(o.booked.start, o.booked.end)]]),
      ...(o.notice ? [para(o.notice, { color: 'Good', weight: 'Bolder' })] : []),
      ...(o.alternatives.length ? [para('If that does not suit you both, pick another time:', { spacing: 'Medium' })] : []),
      {
        type: 'ActionSet',
        actions: o.alternatives.map((a) => ({
          type: 'Action.Execute',
          title: when(a.start, a.end),
          verb: 'rebook.choose',
          data: { sessionId: o.sessionId, relationshipId: o.relationshipId, start: a.start, end: a.end },
        })),
      },
      { type: 'Input.Text', id: 'reason', label: 'Or keep it cancelled: reason (not shared outside this app)', isMultiline: false, maxLength: 300 },
    ],
    [
      { type: 'Action.Execute', title: 'Keep it cancelled', verb: 'rebook.keep', data: { sessionId: o.sessionId, relationshipId: o.relationshipId } },
      openUrl('Open Protected Time', o.tabUrl),
    ],
  );
}

export function rebookDoneCard(o: { title: string; text: string; tabUrl: string }) {
  return card([heading(o.title), para(o.text)], [openUrl('Open Protected Time', o.tabUrl)]);
}

export function escalationCard(o: { supervisorName: string; superviseeNames: string[]; original: Slot; reason: string; window: Slot; tabUrl: string; forManager: boolean }) {
  return card(
    [
      heading(o.forManager ? 'Supervision could not be rebooked' : 'I could not find a new time'),
      para(
        o.forManager
          ? `${o.supervisorName}'s supervision with ${o.superviseeNames.join(', ')} on ${when(o.original.start, o.original.end)} was cancelled, and no time fits both calendars within the policy's rebooking window (${when(o.window.start, o.window.end)}).`
          : `The supervision on ${when(o.original.start, o.original.end)} was cancelled and no common free time fits the policy's rebooking window. I have let the line manager know.`,
      ),
      para(o.reason, { isSubtle: true }),
      ...(o.forManager ? [para('Please help them find time: the policy asks for advice from the line manager when supervision cannot happen.', { isSubtle: true })] : []),
    ],
    [openUrl('Open Protected Time', o.tabUrl)],
  );
}
