/** Agreed actions marked done from the tab's to-do view (the owner only; audited). */
import type { ActionItem, Person } from '../domain/model';
import { markActionDone } from '../domain/records/workflow';
import type { Clock } from '../ports/clock';
import type { ActionStore, AuditLog } from '../ports/store';
import { forbidden, notFound } from './errors';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface ActionItemsDeps {
  clock: Clock;
  store: ActionStore & AuditLog;
}

export async function completeAction(services: ActionItemsDeps, actor: Person, actionId: string): Promise<ActionItem> {
  const action = (await services.store.listActions({ ownerId: actor.id })).find((a) => a.id === actionId);
  if (!action) {
    const exists = (await services.store.listActions({})).some((a) => a.id === actionId);
    throw exists ? forbidden('Only the person who owns this action can mark it done.') : notFound('That action no longer exists');
  }
  const now = services.clock.now().toISOString();
  const result = markActionDone(action, actor.id, now);
  if (!result.ok) throw forbidden(result.error);
  if (!result.unchanged) {
    await services.store.saveActions([result.action]);
    await services.store.appendAudit({ at: now, actorId: actor.id, action: 'action-done', subjectType: 'action', subjectId: action.id, detail: { via: 'tab' } });
  }
  return result.action;
}
