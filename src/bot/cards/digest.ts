/**
 * The daily digest: one short card per person listing what they owe and what
 * has been escalated to them. Explanations come from the due engine and carry
 * dates and rules, never case detail.
 */
import { ActionSet, Container } from '@microsoft/teams.cards';
import { DIGEST_MAX_ITEMS, type DigestItem } from '../../ports/messages';
import { card, execute, heading, openUrl, para, type Card, type CardAction } from './common';
import { shortDay } from './dates';

export type { DigestItem };
export { DIGEST_MAX_ITEMS };

export function digestSummary(count: number): string {
  return `Protected Time: ${count} thing${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} your attention`;
}

function itemBlock(item: DigestItem) {
  const badge = item.state === 'overdue' ? 'Overdue' : item.state === 'due-soon' ? 'Due soon' : 'Upcoming';
  const actions: CardAction[] = [execute('Snooze a week', 'digest.snooze', { obligationId: item.obligationId, days: 7 })];
  if (item.actionId && item.role === 'owe') actions.unshift(execute('Mark done', 'action.done', { actionId: item.actionId }));
  return new Container(
    para(`**${item.title}** · ${badge} · ${shortDay(item.dueAt, item.timeZone)}`, { color: item.state === 'overdue' ? 'Attention' : 'Default' }),
    para(item.explanation, { isSubtle: true, size: 'Small', spacing: 'None' }),
    new ActionSet(...actions),
  ).withSeparator(true);
}

export function digestCard(o: { firstName: string; items: DigestItem[]; more?: number; tabUrl: string }): Card {
  const owe = o.items.filter((i) => i.role === 'owe');
  const escalated = o.items.filter((i) => i.role === 'escalated');
  const shown = (list: DigestItem[], room: number) => list.slice(0, Math.max(0, room));
  const oweShown = shown(owe, DIGEST_MAX_ITEMS);
  const escShown = shown(escalated, DIGEST_MAX_ITEMS - oweShown.length);
  const hidden = o.items.length - oweShown.length - escShown.length + (o.more ?? 0);
  return card(
    [
      heading(`Good morning ${o.firstName}: your supervision digest`),
      ...(oweShown.length ? [para('For you to do', { weight: 'Bolder', spacing: 'Medium' }), ...oweShown.map(itemBlock)] : []),
      ...(escShown.length ? [para('Escalated to you', { weight: 'Bolder', spacing: 'Medium' }), ...escShown.map(itemBlock)] : []),
      ...(hidden > 0 ? [para(`…and ${hidden} more in Protected Time.`, { isSubtle: true })] : []),
      para('At most one digest a day. Snoozed items come back after a week if still open.', { isSubtle: true, size: 'Small' }),
    ],
    [openUrl('Open Protected Time', o.tabUrl)],
  );
}
