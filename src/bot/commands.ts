/** Typed commands beyond help: what I owe, my next session, open my record form. Renders the use cases' view models. */
import type { Person } from '../domain/model';
import { Container, OpenUrlAction } from '@microsoft/teams.cards';
import type { ChatCommandsDeps } from '../usecases/chatCommands';
import type { RecordsDeps } from '../usecases/records';
import { myNextSession, myRecordForm, parseCommand, whatIOwe } from '../usecases/chatCommands';
import type { NotifyContext } from '../usecases/rebooking';
import { tabLink } from '../usecases/tabLinks';
import { card, facts, heading, openUrl, para, type Card } from './cards/common';
import { RECORD_VERBS } from './cards/record';
import { recordCardAction } from './recordCards';

/** The ports of the use cases chat commands call. */
export type CommandDeps = ChatCommandsDeps & RecordsDeps;


const STATE_WORDS = { overdue: 'Overdue', 'due-soon': 'Due soon', upcoming: 'Coming up' } as const;

export async function replyToCommand(services: CommandDeps, notify: NotifyContext, person: Person, text: string): Promise<{ card: Card; summary: string } | undefined> {
  const command = parseCommand(text);
  if (!command) return undefined;
  if (command === 'owe') {
    const v = await whatIOwe(services, person);
    if (!v.items.length) return { card: card([heading('Nothing waiting for you'), para('Every record, action and agreement is up to date.')], [openUrl('Open my to-do list', tabLink(notify.tabUrl, v.todoRoute))]), summary: 'Nothing waiting for you' };
    return {
      card: card(
        [
          heading('What you owe'),
          ...v.items.map((i) =>
            new Container(
              para(`**${i.title}**`, { color: i.state === 'overdue' ? 'Attention' : 'Default' }),
              para(`${STATE_WORDS[i.state]} · by ${i.dueWords}${i.role === 'escalated' ? ' · escalated to you' : ''}`, { isSubtle: true, size: 'Small', spacing: 'None' }),
            )
              .withSeparator(true)
              .withSelectAction(new OpenUrlAction(tabLink(notify.tabUrl, i.link), { title: 'Open' })),
          ),
          ...(v.more > 0 ? [para(`…and ${v.more} more in your to-do list.`, { isSubtle: true })] : []),
        ],
        [openUrl('Open my to-do list', tabLink(notify.tabUrl, v.todoRoute))],
      ),
      summary: `${v.items.length + v.more} thing${v.items.length + v.more === 1 ? '' : 's'} waiting for you`,
    };
  }
  if (command === 'next') {
    const v = await myNextSession(services, person);
    if (!v.session) return { card: card([heading('No session booked'), para('You have no supervision booked. Your supervisor can book it from Protected Time.')], [openUrl('Open Protected Time', tabLink(notify.tabUrl, '/sessions'))]), summary: 'No session booked' };
    return {
      card: card([heading('Your next supervision'), facts([['When', `${v.session.dayWords}, ${v.session.timeWords}`], ['With', v.session.with.join(', ')]])], [openUrl('Open the session', tabLink(notify.tabUrl, v.session.route))]),
      summary: 'Your next supervision',
    };
  }
  const v = await myRecordForm(services, person);
  if (!v.recordId) return { card: card([heading('No record to write'), para(v.message)], [openUrl('Open my records', tabLink(notify.tabUrl, v.route))]), summary: 'No record to write' };
  return { card: await recordCardAction(services, notify, person, RECORD_VERBS.refresh, { recordId: v.recordId }), summary: v.message };
}
