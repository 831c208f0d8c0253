/** Action.Execute verbs on the "supervision rebooked" card. */
import { z } from 'zod';
import { chooseAlternative, keepCancelled } from '../../usecases/rebooking';
import type { CardActionRouter } from '../cardActions';
import { RealInstant } from '../../domain/time/dates';
import { sessionNoticeCard } from '../cards/rebook';

const Choose = z.object({ sessionId: z.string().min(1).max(100), relationshipId: z.string().min(1).max(200), start: RealInstant, end: RealInstant });
const Keep = z.object({ sessionId: z.string().min(1).max(100), relationshipId: z.string().min(1).max(200), reason: z.string().max(300).default('') });

export function registerRebookActions(router: CardActionRouter): void {
  router.on('rebook.choose', async ({ services, notify, actor, data }) => sessionNoticeCard(await chooseAlternative(services, notify, actor, Choose.parse(data))));
  router.on('rebook.keep', async ({ services, notify, actor, data }) => sessionNoticeCard(await keepCancelled(services, notify, actor, Keep.parse(data))));
}
