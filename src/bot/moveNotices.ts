/** Renders session notices (moves in propose mode, the pre-session card) as cards and sends them: the tellers the use cases are given. */
import type { Person } from '../domain/model';
import type { NotifierPort } from '../ports/notifier';
import type { MoveNotice, MoveTeller } from '../usecases/rebookProposal';
import { TAB_ROUTES, tabLink } from '../usecases/tabLinks';
import { moveNoticeCard, moveNoticeSummary } from './cards/moves';
import { PRE_SESSION_SUMMARY, preSessionCard } from './cards/preSession';
import type { PreSessionNotice, PreSessionTeller } from '../usecases/preSession';

export function moveTeller(ctx: { notifier: NotifierPort; tabUrl: string }): MoveTeller {
  return async (person: Person, notice: MoveNotice) => {
    const route = notice.kind === 'booked' ? TAB_ROUTES.session(notice.replacementId) : TAB_ROUTES.sessionsOf(notice.proposal.relationshipId);
    await ctx.notifier.sendCard(person.aadObjectId, moveNoticeCard(notice, tabLink(ctx.tabUrl, route)), moveNoticeSummary(notice));
  };
}

export function preSessionTeller(ctx: { notifier: NotifierPort; tabUrl: string }): PreSessionTeller {
  return async (person: Person, notice: PreSessionNotice) => {
    await ctx.notifier.sendCard(person.aadObjectId, preSessionCard(notice, tabLink(ctx.tabUrl, TAB_ROUTES.agenda(notice.sessionId))), PRE_SESSION_SUMMARY);
  };
}
