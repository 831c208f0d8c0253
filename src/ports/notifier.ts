/** Proactive Teams messages to a person's 1:1 chat with the bot. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

export interface PostedCard {
  conversationId: string;
  activityId: string;
}

export interface NotifierPort {
  /**
   * Posts a card to the person's personal chat with the bot. Returns undefined when the
   * person has no conversation with the bot yet (they have not installed or opened it).
   * `summary` is what a notification shows: never case detail.
   */
  sendCard(aadObjectId: string, card: AdaptiveCard, summary: string): Promise<PostedCard | undefined>;
  /** Replaces a card the bot posted earlier. */
  updateCard(aadObjectId: string, posted: PostedCard, card: AdaptiveCard, summary: string): Promise<void>;
}

/** What a use case needs to tell people: the notifier and where the tab lives (for links in what it sends). */
export interface NotifyContext {
  notifier: NotifierPort;
  tabUrl: string;
}
