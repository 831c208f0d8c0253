/** Sends people-change outcomes (the teller the use cases are given); bot/messages.ts renders them as cards. */
import type { Person } from '../domain/model';
import type { NotifierPort } from '../ports/notifier';
import type { PeopleNotice, Teller } from '../usecases/transfer';

export function peopleTeller(ctx: { notifier: NotifierPort; tabUrl: string }): Teller {
  return async (person: Person, notice: PeopleNotice) => {
    await ctx.notifier.send(person.aadObjectId, { kind: 'people-notice', notice, tabUrl: ctx.tabUrl });
  };
}
