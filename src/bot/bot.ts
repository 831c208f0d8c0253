/**
 * The Teams bot: welcome on install (or first message), help, and storing the
 * conversation reference every time a person writes, so the app can reach them
 * proactively later. Handlers log ids only: never message text.
 */
import type { App } from '@microsoft/teams.apps';
import { stripMentionsText, type Activity } from '@microsoft/teams.api';
import type { CommandDeps } from './commands';
import type { CardActionDeps } from './cardActions';
import type { NotifyContext } from '../usecases/rebooking';
import type { AdaptiveCardActionCardResponse } from '@microsoft/teams.api';
import { ADAPTIVE_CARD_RESPONSE, errorCard, type CardActionRouter } from './cardActions';
import { cardActivity, type Card } from './cards/common';
import { helpCard, notUnderstoodCard, welcomeCard } from './cards/welcome';
import { replyToCommand } from './commands';

/** What the bot reaches: the ports of the commands and card actions it runs. */
export type BotServices = CommandDeps & CardActionDeps;

export interface BotDeps {
  services: BotServices;
  /** Handlers for Action.Execute verbs. */
  actions: CardActionRouter;
  notify: NotifyContext;
  /** Where "Open Protected Time" points: the Teams deep link in a tenant, the local tab otherwise. */
  tabUrl: string;
}

function senderAad(activity: Activity): string | undefined {
  return activity.from?.aadObjectId ?? undefined;
}

export function registerBot(app: App, { services, tabUrl, actions, notify }: BotDeps): void {
  const { store, directory, log, clock } = services;

  /** Saves the reference; returns true when this person had none (first contact). */
  async function remember(activity: Activity): Promise<boolean> {
    const aad = senderAad(activity);
    if (!aad || activity.conversation?.conversationType !== 'personal') return false;
    const before = await store.getConversationRef(aad);
    // Unchanged (every click after the first): no write, so no round trip and no new list item version.
    if (before && before.conversationId === activity.conversation.id && before.serviceUrl === (activity.serviceUrl ?? '') && before.teamsUserId === activity.from?.id && before.botId === activity.recipient?.id) return false;
    await store.saveConversationRef({
      aadObjectId: aad,
      conversationId: activity.conversation.id,
      serviceUrl: activity.serviceUrl ?? '',
      tenantId: activity.conversation.tenantId ?? undefined,
      botId: activity.recipient?.id,
      // Card refresh.userIds are Teams user ids (29:…): this is where the app learns them.
      teamsUserId: activity.from?.id,
      updatedAt: clock.now().toISOString(),
    });
    return !before || before.conversationId !== activity.conversation.id;
  }

  async function personFor(activity: Activity) {
    const aad = senderAad(activity);
    return aad ? directory.findByAadObjectId(aad) : undefined;
  }

  app.on('install.add', async ({ activity, send }) => {
    await remember(activity);
    const person = await personFor(activity);
    log.info({ event: 'bot.install', known: Boolean(person), conversation: activity.conversation.id }, 'bot installed');
    await send(cardActivity(welcomeCard(person, tabUrl), 'Welcome to Protected Time'));
  });

  app.on('message', async ({ activity, send }) => {
    const firstContact = await remember(activity);
    // In a group chat or channel Teams puts "<at>Protected Time</at>" in front: strip the bot's own mention.
    const command = (stripMentionsText(activity, { accountId: activity.recipient?.id }) ?? '').trim().toLowerCase();
    log.info({ event: 'bot.message', command: command === 'help' ? 'help' : 'other', firstContact }, 'message received');
    const person = command === 'help' ? undefined : await personFor(activity);
    const reply = person ? await replyToCommand(services, notify, person, command) : undefined;
    if (command === 'help') {
      await send(cardActivity(helpCard(tabUrl), 'What Protected Time can do'));
    } else if (reply) {
      await send(cardActivity(reply.card, reply.summary));
    } else if (firstContact) {
      await send(cardActivity(welcomeCard(await personFor(activity), tabUrl), 'Welcome to Protected Time'));
    } else {
      await send(cardActivity(notUnderstoodCard(tabUrl), 'Type help'));
    }
  });

  // No meetingEnd handler: nothing puts the app into a session's meeting chat (that needs
  // TeamsAppInstallation.ReadWriteSelfForChat.All, tenant-wide), so it would never fire. The record
  // form is started by the reconcile job within a minute of the session's end (docs/tenant-setup.md).

  app.on('card.action', async ({ activity }) => {
    // Kept while the action is handled, not before it: a card action answers within Teams' invoke budget.
    const remembered = remember(activity).then(
      () => undefined,
      (err: unknown) => log.warn({ event: 'bot.remember-failed', err: err instanceof Error ? err.message : String(err) }, 'could not save the conversation reference'),
    );
    const verb = activity.value?.action?.verb ?? '';
    const actor = await personFor(activity);
    if (!actor) {
      log.warn({ event: 'card-action.unknown-person', verb }, 'card action from someone not in the directory');
      return cardResponse(errorCard('I could not match your account to a person in your organisation.'));
    }
    const { card, ok, keepCard } = await actions.dispatch(verb, { services, notify, actor }, activity.value?.action?.data);
    await remembered;
    log.info({ event: 'card-action', verb, ok }, 'card action handled');
    return keepCard ? keepCardResponse(keepCard) : cardResponse(card);
  });
}

/**
 * The invoke answer that keeps the clicked card (with what was typed) and shows
 * the error beneath it: Universal Actions' error response.
 */
function keepCardResponse(e: { status: number; message: string }): AdaptiveCardActionCardResponse {
  const code = e.status >= 500 ? 'InternalError' : e.status === 403 ? 'Forbidden' : e.status === 404 ? 'NotFound' : 'BadRequest';
  return { statusCode: e.status >= 500 ? 500 : 400, type: 'application/vnd.microsoft.error', value: { code, message: e.message } } as unknown as AdaptiveCardActionCardResponse;
}

/** The invoke answer that replaces the clicked card. */
function cardResponse(card: Card): AdaptiveCardActionCardResponse {
  return { statusCode: 200, type: ADAPTIVE_CARD_RESPONSE, value: card };
}
