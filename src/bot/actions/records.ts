/** Action.Execute verbs on record cards and action cards. */
import { z } from 'zod';
import { RECORD_VERBS, actionItemCard } from '../cards/record';
import { markActionDoneFromCard } from '../../usecases/records';
import type { CardActionRouter } from '../cardActions';
import { RECORD_CARD_VERBS, recordCardAction } from '../recordCards';

const ActionDone = z.object({ actionId: z.string().min(1).max(300) });

export function registerRecordActions(router: CardActionRouter): void {
  for (const verb of RECORD_CARD_VERBS) {
    router.on(verb, ({ services, notify, actor, data }) => recordCardAction(services, notify, actor, verb, data));
  }
  router.on(RECORD_VERBS.actionDone, async ({ services, notify, actor, data }) => actionItemCard(await markActionDoneFromCard(services, notify, actor, ActionDone.parse(data).actionId)));
}
