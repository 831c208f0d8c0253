/**
 * Proactive messages through the Teams SDK's API client, to the conversation
 * and service URL stored when the person last talked to the bot (each person's
 * Teams region, or each local Agents Playground, has its own service URL).
 */
import type { App } from '@microsoft/teams.apps';
import type { Logger } from '../../logging';
import type { AdaptiveCard, NotifierPort, PostedCard } from '../../ports/notifier';
import type { RecordStore } from '../../ports/store';
import { cardActivity } from '../../bot/cards/common';

export class TeamsNotifier implements NotifierPort {
  constructor(
    private readonly app: App,
    private readonly store: RecordStore,
    private readonly log: Logger,
  ) {}

  private async client(aadObjectId: string) {
    const ref = await this.store.getConversationRef(aadObjectId);
    if (!ref) return undefined;
    return { ref, api: this.app.api.clone({ serviceUrl: ref.serviceUrl }) };
  }

  async sendCard(aadObjectId: string, card: AdaptiveCard, summary: string): Promise<PostedCard | undefined> {
    const target = await this.client(aadObjectId);
    if (!target) {
      this.log.info({ event: 'notify.unreachable', aadObjectId }, 'no conversation with this person yet');
      return undefined;
    }
    const res = await target.api.conversations.activities(target.ref.conversationId).create(cardActivity(card, summary));
    return { conversationId: target.ref.conversationId, activityId: res.id };
  }

  async updateCard(aadObjectId: string, posted: PostedCard, card: AdaptiveCard, summary: string): Promise<void> {
    const target = await this.client(aadObjectId);
    if (!target) return;
    await target.api.conversations.activities(posted.conversationId).update(posted.activityId, cardActivity(card, summary));
  }
}
