/** Renders people-change outcomes as cards and sends them (the teller the use cases are given). */
import type { Person } from '../domain/model';
import type { NotifierPort } from '../ports/notifier';
import type { PeopleNotice, Teller } from '../usecases/transfer';
import { peopleNoticeCard, peopleNoticeSummary } from './cards/peopleChange';

export function peopleTeller(ctx: { notifier: NotifierPort; tabUrl: string }): Teller {
  return async (person: Person, notice: PeopleNotice) => {
    await ctx.notifier.sendCard(person.aadObjectId, peopleNoticeCard(notice, ctx.tabUrl), peopleNoticeSummary(notice));
  };
}
