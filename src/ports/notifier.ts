/**
 * Proactive Teams messages to a person's 1:1 chat with the bot. Use cases hand
 * over a message (a view model, ports/messages); how it looks (an Adaptive
 * Card and its notification summary) is decided by a renderer the composition
 * root gives the adapter (bot/messages.ts), so no use case builds a card.
 */
import type { Message } from './messages';

export interface PostedCard {
  conversationId: string;
  activityId: string;
}

/** A message as Teams shows it: the card, and the notification text (never case detail). */
export interface RenderedMessage {
  card: object;
  summary: string;
}

export type MessageRenderer = (message: Message) => RenderedMessage;

export interface NotifierPort {
  /**
   * Posts the message to the person's personal chat with the bot. Returns undefined when the
   * person has no conversation with the bot yet (they have not installed or opened it).
   */
  send(aadObjectId: string, message: Message): Promise<PostedCard | undefined>;
  /** Replaces a message the bot posted earlier. */
  update(aadObjectId: string, posted: PostedCard, message: Message): Promise<void>;
}

/** What a use case needs to tell people: the notifier and where the tab lives (for links in what it sends). */
export interface NotifyContext {
  notifier: NotifierPort;
  tabUrl: string;
}
