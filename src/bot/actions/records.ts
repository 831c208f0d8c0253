/** Action.Execute verbs on record cards and action cards. */
import { z } from 'zod';
import { RECORD_VERBS } from '../cards/record';
import { handleRecordAction, markActionDoneFromCard } from '../../usecases/records';
import type { CardActionRouter } from '../cardActions';

const ActionDone = z.object({ actionId: z.string().min(1).max(300) });

export function registerRecordActions(router: CardActionRouter): void {
  const recordVerbs = [
    RECORD_VERBS.save, RECORD_VERBS.submit, RECORD_VERBS.addAction, RECORD_VERBS.removeAction, RECORD_VERBS.refresh,
    RECORD_VERBS.countersign, RECORD_VERBS.requestChanges, RECORD_VERBS.disagree, RECORD_VERBS.useForm,
  ];
  for (const verb of recordVerbs) {
    router.on(verb, ({ services, notify, actor, data }) => handleRecordAction(services, notify, actor, verb, data));
  }
  router.on(RECORD_VERBS.actionDone, ({ services, notify, actor, data }) => markActionDoneFromCard(services, notify, actor, ActionDone.parse(data).actionId));
}
