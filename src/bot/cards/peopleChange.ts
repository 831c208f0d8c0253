/**
 * Cards about people changing: an arrangement handed over or covered (or the
 * cover ended), a directory change that asks someone to act, an arrangement
 * ended. Names, dates and counts only: never the handover note or any case
 * detail (the note is read in the tab, by the new supervisor and leads).
 */
import type { PeopleNotice } from '../../ports/messages';
import { card, facts, heading, openUrl, para } from './common';
import { dayWithYear, slotWords } from './dates';


const TITLES = {
  handover: 'Supervision handed over',
  'cover-start': 'Supervision cover started',
  'cover-end': 'Supervision cover ended',
} as const;

export function peopleNoticeSummary(n: PeopleNotice): string {
  if (n.kind === 'moved') return TITLES[n.move];
  if (n.kind === 'ended') return 'Supervision arrangement ended';
  return 'A change in the team needs you';
}

export function peopleNoticeCard(n: PeopleNotice, tabUrl: string) {
  const open = openUrl('Open Protected Time', tabUrl);
  if (n.kind === 'moved') {
    const who = n.superviseeNames.join(', ');
    const lines: Record<typeof n.role, string> = {
      'old-supervisor':
        n.move === 'cover-end'
          ? `Your cover of ${who}'s supervision has ended; ${n.toName} supervises again. Your future sessions with them are out of your calendar.`
          : n.move === 'cover-start'
            ? `${n.toName} is covering ${who}'s supervision while you are away. Your sessions in that time are out of your calendar.`
            : `${n.byName} has handed ${who}'s supervision over to ${n.toName}. Your future sessions with them are out of your calendar.`,
      'new-supervisor':
        n.move === 'cover-end'
          ? `${who}'s supervision is back with you after ${n.fromName}'s cover.`
          : n.move === 'cover-start'
            ? `You are covering ${who}'s supervision for ${n.fromName}.`
            : `${n.byName} has handed ${who}'s supervision to you from ${n.fromName}.`,
      supervisee:
        n.move === 'cover-end'
          ? `${n.toName} is your supervisor again after ${n.fromName}'s cover.`
          : n.move === 'cover-start'
            ? `${n.toName} is covering your supervision while ${n.fromName} is away.`
            : `Your supervision has moved from ${n.fromName} to ${n.toName}.`,
    };
    const rows: [string, string][] = [];
    if (n.role !== 'old-supervisor') {
      rows.push(['Sessions booked', String(n.booked)]);
      if (n.firstSession) rows.push(['First session', slotWords(n.firstSession.start, n.firstSession.end, n.timeZone)]);
      if (n.until) rows.push(['Cover until', dayWithYear(n.until, n.timeZone)]);
    }
    return card(
      [
        heading(TITLES[n.move]),
        para(lines[n.role]),
        ...(rows.length ? [facts(rows)] : []),
        ...(n.role !== 'old-supervisor' && n.notBookedReason ? [para(`Nothing could be booked automatically (${n.notBookedReason}). Please book in the tab.`, { color: 'Attention' })] : []),
        ...(n.noteWaiting ? [para('A handover note is waiting for you in the tab (Changes).', { weight: 'Bolder' })] : []),
      ],
      [open],
    );
  }
  if (n.kind === 'ended') {
    return card(
      [
        heading('Supervision arrangement ended'),
        para(`${n.byName} ended the supervision of ${n.superviseeNames.join(', ')} by ${n.supervisorName}. Its records and history are kept; no more reminders will come for it.`),
        facts([['Future sessions cancelled', String(n.cancelled)]]),
      ],
      [open],
    );
  }
  const text: Record<string, string> = {
    'new-starter': `${n.personName} has joined. Please set up their supervision${n.agreementDueOn ? `: their supervision agreement is due by ${dayWithYear(n.agreementDueOn, n.timeZone)}` : ''}.`,
    'leaver-supervisor': `${n.personName} has left the people group and supervises ${n.arrangements} arrangement${n.arrangements === 1 ? '' : 's'}. Please hand ${n.arrangements === 1 ? 'it' : 'them'} over to another supervisor.`,
    'leaver-supervisee': `${n.personName} has left the people group. Please end their supervision arrangement${n.arrangements === 1 ? '' : 's'} (records are kept under the retention policy), or dismiss this if they are staying.`,
    'manager-changed': `${n.personName}'s line manager has changed. Please decide whether their supervision should be handed over.`,
  };
  return card([heading('A change in the team needs you'), para(text[n.flagKind] ?? `${n.personName}: a directory change needs you.`), para('Nothing changes until you choose.', { isSubtle: true })], [openUrl('Review in Protected Time', tabUrl)]);
}
