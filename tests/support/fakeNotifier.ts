import { renderMessage } from '../../src/bot/messages';
import type { Card } from '../../src/bot/cards/common';
import type { Message } from '../../src/ports/messages';
import type { NotifierPort, PostedCard } from '../../src/ports/notifier';

/** A card as the tests read it: plain JSON. */
export type AdaptiveCard = Card;

/** Records what would have been sent to Teams: the message, and the card and summary the bot renders it as. */
export class FakeNotifier implements NotifierPort {
  sent: { aadObjectId: string; message: Message; card: AdaptiveCard; summary: string; posted: PostedCard }[] = [];
  updated: { aadObjectId: string; posted: PostedCard; message: Message; card: AdaptiveCard }[] = [];
  unreachable = new Set<string>();
  private n = 0;

  async send(aadObjectId: string, message: Message) {
    if (this.unreachable.has(aadObjectId)) return undefined;
    const { card, summary } = renderMessage(message);
    const posted = { conversationId: `conv-${aadObjectId}`, activityId: `act-${++this.n}` };
    this.sent.push({ aadObjectId, message, card, summary, posted });
    return posted;
  }

  async update(aadObjectId: string, posted: PostedCard, message: Message) {
    this.updated.push({ aadObjectId, posted, message, card: renderMessage(message).card });
  }

  to(aadObjectId: string) {
    return this.sent.filter((s) => s.aadObjectId === aadObjectId);
  }
}
