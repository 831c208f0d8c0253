/** Renders move outcomes (propose mode) as cards and sends them: the teller the use cases are given. */
import type { Person } from '../domain/model';
import type { NotifierPort } from '../ports/notifier';
import type { MoveNotice, MoveTeller } from '../usecases/rebookProposal';
import { TAB_ROUTES, tabLink } from '../usecases/tabLinks';
import { moveNoticeCard, moveNoticeSummary } from './cards/moves';

export function moveTeller(ctx: { notifier: NotifierPort; tabUrl: string }): MoveTeller {
  return async (person: Person, notice: MoveNotice) => {
    const route = notice.kind === 'booked' ? TAB_ROUTES.session(notice.replacementId) : TAB_ROUTES.sessionsOf(notice.proposal.relationshipId);
    await ctx.notifier.sendCard(person.aadObjectId, moveNoticeCard(notice, tabLink(ctx.tabUrl, route)), moveNoticeSummary(notice));
  };
}
