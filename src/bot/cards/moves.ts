/**
 * Cards about moves that ask first (the pack's propose mode): the held time to
 * accept or change, what the supervisor is told meanwhile, and what was booked
 * and why. Times, names and the policy's name only: never case detail.
 */
import { ActionSet } from '@microsoft/teams.cards';
import type { MoveNotice } from '../../ports/messages';
import { card, execute, facts, heading, openUrl, para } from './common';
import { dayTime, slotWords } from './dates';

const WHY: Record<string, string> = { cancelled: 'was cancelled', declined: 'was declined', deleted: 'was removed from the calendar' };

export function moveNoticeSummary(n: MoveNotice): string {
  if (n.kind === 'proposed') return n.to === 'supervisee' ? 'A new supervision time to agree' : 'Supervision time held';
  return 'Supervision rebooked';
}

export function moveNoticeCard(n: MoveNotice, tabUrl: string) {
  const when = (start: string, end: string) => slotWords(start, end, n.timeZone);
  if (n.kind === 'proposed') {
    const p = n.proposal;
    const lost = `Your supervision with ${n.withNames.join(', ')} on ${when(p.original.start, p.original.end)} ${WHY[n.why] ?? 'was cancelled'}.`;
    const deadline = dayTime(p.answerBy, n.timeZone);
    if (n.to === 'supervisor') {
      return card(
        [
          heading('Supervision time held'),
          para(`${lost} Supervision is protected time under ${n.policyName}, which asks the supervisee to agree a new time before it is booked. I am holding the time below as tentative in both calendars and have asked ${n.superviseeNames.join(', ')} to accept it or pick another by ${deadline}. If there is no answer by then, I will book the held time.`),
          facts([['Held', when(p.held.start, p.held.end)]]),
        ],
        [openUrl('Open Protected Time', tabUrl)],
      );
    }
    return card(
      [
        heading('A new supervision time to agree'),
        para(`${lost} Supervision is protected time under ${n.policyName}, so I am holding a new time for you both (tentative in both calendars). Accept it, or pick another time, by ${deadline}. If I hear nothing by then, I will book the held time.`),
        facts([['Held for you', when(p.held.start, p.held.end)]]),
        ...(p.alternatives.length
          ? [
              para('Or pick another time free for you both:', { spacing: 'Medium' }),
              new ActionSet(...p.alternatives.map((a) => execute(when(a.start, a.end), 'rebook.proposal.answer', { cancelledId: p.cancelledId, relationshipId: p.relationshipId, start: a.start, end: a.end }))),
            ]
          : []),
      ],
      [
        execute('Accept the held time', 'rebook.proposal.answer', { cancelledId: p.cancelledId, relationshipId: p.relationshipId }),
        openUrl('Open Protected Time', tabUrl),
      ],
    );
  }
  const why =
    n.how === 'accepted'
      ? `${n.byName ?? 'Your supervisee'} accepted the held time, so it is now booked in both calendars.`
      : n.how === 'chose'
        ? `${n.byName ?? 'Your supervisee'} picked this time instead of the held one, so it is now booked in both calendars and the held time is released.`
        : `Nobody answered by ${dayTime(n.answerBy, n.timeZone)}, so, as the policy says, I booked the held time in both calendars.`;
  return card([heading('Supervision rebooked'), para(why), facts([['Booked', when(n.booked.start, n.booked.end)], ['With', n.withNames.join(', ')]])], [openUrl('Open Protected Time', tabUrl)]);
}
