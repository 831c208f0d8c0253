/** Action.Execute verbs on the daily digest. */
import { z } from 'zod';
import { card, heading, openUrl, para } from '../cards/common';
import { longDay } from '../cards/dates';
import { TAB_ROUTES, tabLink } from '../../usecases/tabLinks';
import { snooze } from '../../usecases/reminders';
import type { CardActionRouter } from '../cardActions';

const Snooze = z.object({ obligationId: z.string().min(1).max(400), days: z.coerce.number().int() });

export function registerDigestActions(router: CardActionRouter): void {
  router.on('digest.snooze', async ({ services, notify, actor, data }) => {
    const { obligationId, days } = Snooze.parse(data);
    const { until, timeZone } = await snooze(services, actor, obligationId, days);
    return card(
      [heading('Snoozed'), para(`I will not remind you about that again before ${longDay(until, timeZone)}. Everything else, and this item too, stays in your to-do list.`)],
      [openUrl('Open my to-do list', tabLink(notify.tabUrl, TAB_ROUTES.todo()))],
    );
  });
}
