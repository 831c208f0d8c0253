/** Action.Execute verbs on the daily digest. */
import { z } from 'zod';
import { card, heading, para } from '../cards/common';
import { snooze } from '../../usecases/reminders';
import type { CardActionRouter } from '../cardActions';

const Snooze = z.object({ obligationId: z.string().min(1).max(400), days: z.coerce.number().int() });
const untilFmt = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Europe/London' });

export function registerDigestActions(router: CardActionRouter): void {
  router.on('digest.snooze', async ({ services, actor, data }) => {
    const { obligationId, days } = Snooze.parse(data);
    const until = await snooze(services, actor, obligationId, days);
    return card([heading('Snoozed'), para(`I will not remind you about that again before ${untilFmt.format(new Date(until))}. The rest of your digest is in Protected Time.`)]);
  });
}
