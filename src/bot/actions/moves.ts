/** Action.Execute verbs on the "new supervision time to agree" card (propose mode). */
import { z } from 'zod';
import { RealInstant } from '../../domain/time/dates';
import { answerProposal } from '../../usecases/rebookProposal';
import type { CardActionRouter } from '../cardActions';
import { moveNoticeCard } from '../cards/moves';
import { moveTeller } from '../moveNotices';
import { TAB_ROUTES, tabLink } from '../../usecases/tabLinks';

const Answer = z
  .object({ cancelledId: z.string().min(1).max(100), relationshipId: z.string().min(1).max(200), start: RealInstant.optional(), end: RealInstant.optional() })
  .refine((a) => (a.start === undefined) === (a.end === undefined), { message: 'start and end go together', path: ['end'] });

export function registerMoveActions(router: CardActionRouter): void {
  router.on('rebook.proposal.answer', async ({ services, notify, actor, data }) => {
    const answer = Answer.parse(data);
    const outcome = await answerProposal(services, notify.moves ?? moveTeller(notify), actor, answer);
    return moveNoticeCard(outcome, tabLink(notify.tabUrl, outcome.kind === 'booked' ? TAB_ROUTES.session(outcome.replacementId) : TAB_ROUTES.todo()));
  });
}
