/**
 * The daily digest: one short card per person listing what they owe and what
 * has been escalated to them. Explanations come from the due engine and carry
 * dates and rules, never case detail.
 */
import type { AdaptiveCard } from '../../ports/notifier';
import { card, heading, openUrl, para } from './common';

export interface DigestItem {
  obligationId: string;
  kind: string;
  /** 'owe': the person must act; 'escalated': they are told because it slipped. */
  role: 'owe' | 'escalated';
  /** Names the person and the thing ("Write the record of your session with Sam Patel on Wed 9 Dec"). */
  title: string;
  /** Who it concerns, besides the reader (absent on digests queued before this field existed). */
  about?: string[];
  /** The rule and dates behind it, in words. */
  explanation: string;
  dueAt: string;
  state: 'upcoming' | 'due-soon' | 'overdue';
  /** For an action item, so its owner can mark it done from here. */
  actionId?: string;
}

export const DIGEST_MAX_ITEMS = 12;
const dateFmt = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'Europe/London' });

export function digestSummary(count: number): string {
  return `Protected Time: ${count} thing${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} your attention`;
}

function itemBlock(item: DigestItem): unknown {
  const badge = item.state === 'overdue' ? 'Overdue' : item.state === 'due-soon' ? 'Due soon' : 'Upcoming';
  const actions: unknown[] = [
    { type: 'Action.Execute', title: 'Snooze a week', verb: 'digest.snooze', data: { obligationId: item.obligationId, days: 7 } },
  ];
  if (item.actionId && item.role === 'owe') actions.unshift({ type: 'Action.Execute', title: 'Mark done', verb: 'action.done', data: { actionId: item.actionId } });
  return {
    type: 'Container',
    separator: true,
    items: [
      para(`**${item.title}** · ${badge} · ${dateFmt.format(new Date(item.dueAt))}`, { color: item.state === 'overdue' ? 'Attention' : 'Default' }),
      para(item.explanation, { isSubtle: true, size: 'Small', spacing: 'None' }),
      { type: 'ActionSet', actions },
    ],
  };
}

export function digestCard(o: { firstName: string; items: DigestItem[]; tabUrl: string }): AdaptiveCard {
  const owe = o.items.filter((i) => i.role === 'owe');
  const escalated = o.items.filter((i) => i.role === 'escalated');
  const shown = (list: DigestItem[], room: number) => list.slice(0, Math.max(0, room));
  const oweShown = shown(owe, DIGEST_MAX_ITEMS);
  const escShown = shown(escalated, DIGEST_MAX_ITEMS - oweShown.length);
  const hidden = o.items.length - oweShown.length - escShown.length;
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
