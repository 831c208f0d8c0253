/** Welcome and help cards: what the bot does, and a way into the tab. No case detail. */
import type { Person } from '../../domain/model';
import { card, facts, heading, openUrl, para } from './common';

export function welcomeCard(person: Person | undefined, tabUrl: string) {
  const greeting = person ? `Hello ${person.displayName.split(' ')[0]}, I'm Protected Time.` : "Hello, I'm Protected Time.";
  return card(
    [
      heading(greeting),
      para('I look after your safeguarding supervision so it actually happens:'),
      facts([
        ['Book', 'recurring protected sessions that fit your policy and both calendars'],
        ['Protect', 'cancelled sessions are rebooked as close to the original date as your policy allows'],
        ['Record', 'after each session I bring the record form here; both of you sign it'],
        ['Remind', 'one short digest when something is due: never a flood'],
      ]),
      ...(person ? [] : [para('I could not match your Teams account to a person in your organisation. Ask your Protected Time administrator to add you.', { isSubtle: true })]),
      para('Type **help** at any time.', { isSubtle: true }),
    ],
    [openUrl('Open Protected Time', tabUrl)],
  );
}

export function helpCard(tabUrl: string) {
  return card(
    [
      heading('What I can do'),
      facts([
        ['help', 'show this message'],
        ['what I owe', 'everything waiting for you, each with a link'],
        ['my next session', 'when and with whom'],
        ['open my record form', 'the record you are writing or countersigning'],
        ['Tab', 'book supervision, see your sessions and records'],
        ['Cards', 'record forms and reminders arrive here in our chat'],
      ]),
      para('Nothing about the children or families you discuss is ever put in calendar entries or notifications.', { isSubtle: true }),
    ],
    [openUrl('Open Protected Time', tabUrl)],
  );
}

export function notUnderstoodCard(tabUrl: string) {
  return card([para("Sorry, I didn't understand that. Type **help** to see what I can do.")], [openUrl('Open Protected Time', tabUrl)]);
}
