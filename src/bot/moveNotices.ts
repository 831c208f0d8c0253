/** Sends session notices (moves in propose mode, the pre-session card): the tellers the use cases are given; bot/messages.ts renders them as cards. */
import type { Person } from '../domain/model';
import type { NotifierPort } from '../ports/notifier';
import type { MoveNotice, MoveTeller } from '../usecases/rebookProposal';
import { TAB_ROUTES, tabLink } from '../usecases/tabLinks';
import type { PreSessionNotice, PreSessionTeller } from '../usecases/preSession';

export function moveTeller(ctx: { notifier: NotifierPort; tabUrl: string }): MoveTeller {
  return async (person: Person, notice: MoveNotice) => {
    const route = notice.kind === 'booked' ? TAB_ROUTES.session(notice.replacementId) : TAB_ROUTES.sessionsOf(notice.proposal.relationshipId);
    await ctx.notifier.send(person.aadObjectId, { kind: 'move-notice', notice, tabUrl: tabLink(ctx.tabUrl, route) });
  };
}

export function preSessionTeller(ctx: { notifier: NotifierPort; tabUrl: string }): PreSessionTeller {
  return async (person: Person, notice: PreSessionNotice) => {
    await ctx.notifier.send(person.aadObjectId, { kind: 'pre-session', notice, agendaUrl: tabLink(ctx.tabUrl, TAB_ROUTES.agenda(notice.sessionId)) });
  };
}
