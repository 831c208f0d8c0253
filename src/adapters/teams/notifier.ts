/**
 * Proactive messages through the Teams SDK's API client, to the conversation
 * and service URL stored when the person last talked to the bot (each person's
 * Teams region, or each local Agents Playground, has its own service URL).
 */
import type { App } from '@microsoft/teams.apps';
import type { Logger } from '../../logging';
import type { Message } from '../../ports/messages';
import type { MessageRenderer, NotifierPort, PostedCard, RenderedMessage } from '../../ports/notifier';
import type { RecordStore } from '../../ports/store';
import type { TeamsAppInstaller } from './appInstaller';

export interface ProactiveInstall {
  installer: TeamsAppInstaller;
  /** The Bot Framework service URL for chats the app finds itself (PT_BOT_SERVICE_URL). */
  serviceUrl: string;
  tenantId: string;
  botId: string;
  now: () => Date;
}

export class TeamsNotifier implements NotifierPort {
  constructor(
    private readonly app: App,
    private readonly store: RecordStore,
    private readonly log: Logger,
    /** Turns a message into its card (bot/messages.ts, given at composition). */
    private readonly render: MessageRenderer,
    /** Tenant mode: reach people who never opened the bot by installing it for them. */
    private readonly install?: ProactiveInstall,
  ) {}

  private async client(aadObjectId: string) {
    const ref = (await this.store.getConversationRef(aadObjectId)) ?? (await this.installFor(aadObjectId));
    if (!ref) return undefined;
    return { ref, api: this.app.api.clone({ serviceUrl: ref.serviceUrl }) };
  }

  /** Installs the app for the person (Graph), takes its chat as their conversation, and remembers it. */
  private async installFor(aadObjectId: string) {
    if (!this.install) return undefined;
    const chat = await this.install.installer.personalChat(aadObjectId);
    if (!chat) {
      this.log.warn({ event: 'notify.install-refused', aadObjectId }, 'Teams would not install the app for this person');
      return undefined;
    }
    const ref = { aadObjectId, conversationId: chat.chatId, serviceUrl: this.install.serviceUrl, tenantId: this.install.tenantId, botId: this.install.botId, updatedAt: this.install.now().toISOString() };
    await this.store.saveConversationRef(ref);
    this.log.info({ event: 'notify.installed', aadObjectId }, 'installed the app for someone who had not opened it');
    return ref;
  }

  async send(aadObjectId: string, message: Message): Promise<PostedCard | undefined> {
    const target = await this.client(aadObjectId);
    if (!target) {
      this.log.info({ event: 'notify.unreachable', aadObjectId }, 'no conversation with this person yet');
      return undefined;
    }
    const res = await target.api.conversations.activities(target.ref.conversationId).create(cardActivity(this.render(message)));
    return { conversationId: target.ref.conversationId, activityId: res.id };
  }

  async update(aadObjectId: string, posted: PostedCard, message: Message): Promise<void> {
    const target = await this.client(aadObjectId);
    if (!target) return;
    await target.api.conversations.activities(posted.conversationId).update(posted.activityId, cardActivity(this.render(message)));
  }
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A message activity carrying one card (what the Teams SDK's send accepts). */
export function cardActivity({ card, summary }: RenderedMessage) {
  return {
    type: 'message' as const,
    summary,
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }],
  };
}
