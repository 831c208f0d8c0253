/** The card before a session: when, with whom, and a link to the shared agenda. No agenda text, ever. */
import type { PreSessionNotice } from '../../ports/messages';
import { card, facts, heading, openUrl, para } from './common';
import { slotWords } from './dates';

export const PRE_SESSION_SUMMARY = 'Supervision coming up';

export function preSessionCard(n: PreSessionNotice, agendaUrl: string) {
  return card(
    [
      heading('Supervision coming up'),
      facts([['When', slotWords(n.start, n.end, n.timeZone)], ['With', n.withNames.join(', ')]]),
      para('Add what you want to talk about to the shared agenda beforehand: you will both see it, and the record form starts from it.'),
    ],
    [openUrl('Open the agenda', agendaUrl)],
  );
}
