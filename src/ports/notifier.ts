/** Proactive Teams messages to a person's 1:1 chat with the bot. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

export interface NotifierPort {
  /** Returns false when the person has no conversation with the bot yet. */
  sendCard(aadObjectId: string, card: AdaptiveCard, summary: string): Promise<boolean>;
}
