import type { AdaptiveCard, NotifierPort, PostedCard } from '../../src/ports/notifier';

/** Records what would have been sent to Teams. */
export class FakeNotifier implements NotifierPort {
  sent: { aadObjectId: string; card: AdaptiveCard; summary: string; posted: PostedCard }[] = [];
  updated: { aadObjectId: string; posted: PostedCard; card: AdaptiveCard }[] = [];
  unreachable = new Set<string>();
  private n = 0;

  async sendCard(aadObjectId: string, card: AdaptiveCard, summary: string) {
    if (this.unreachable.has(aadObjectId)) return undefined;
    const posted = { conversationId: `conv-${aadObjectId}`, activityId: `act-${++this.n}` };
    this.sent.push({ aadObjectId, card, summary, posted });
    return posted;
  }

  async updateCard(aadObjectId: string, posted: PostedCard, card: AdaptiveCard) {
    this.updated.push({ aadObjectId, posted, card });
  }

  to(aadObjectId: string) {
    return this.sent.filter((s) => s.aadObjectId === aadObjectId);
  }
}
