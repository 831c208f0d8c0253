/**
 * Records in the tab: the same record, the same template and the same workflow
 * as the chat card, for people in Outlook and the Microsoft 365 app (no bot
 * chat there) and for answers too long for a card. Starting a record here
 * creates the very draft the chat card would (one id per session), so the
 * work continues in either place.
 */
import type { Person } from '../domain/model';
import { draftRecord, partiesOf } from '../domain/records/workflow';
import { ConcurrencyError, type RelationshipStore, type SessionStore, type SupervisionRecordStore, type AuditLog } from '../ports/store';
import type { Clock } from '../ports/clock';
import type { Policies } from '../ports/policies';
import { badRequest, forbidden, notFound } from './errors';
import { recordIdFor } from './records';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface RecordsInTabDeps {
  clock: Clock;
  policies: Policies;
  store: RelationshipStore & SessionStore & SupervisionRecordStore & AuditLog;
}

export async function startRecordInTab(services: RecordsInTabDeps, actor: Person, sessionId: string): Promise<{ id: string }> {
  const existing = await services.store.getRecordForSession(sessionId);
  const rels = await services.store.listRelationships({ personId: actor.id });
  const session = await services.store.getSession(sessionId);
  const rel = session && rels.find((r) => r.id === session.relationshipId);
  if (!session || !rel || !partiesOf(rel).includes(actor.id)) {
    if (existing) throw forbidden('Only the people in this supervision can start its record');
    throw notFound('No such session of yours');
  }
  if (existing) return { id: existing.id };
  const now = services.clock.now().toISOString();
  if (session.status === 'cancelled' || session.status === 'missed') throw badRequest(`That session was ${session.status}: there is nothing to record`);
  if (session.start > now) throw badRequest('That session has not started yet');
  const policy = services.policies.get(rel.policyId);
  if (!policy) throw notFound('Policy not loaded');
  try {
    const record = await services.store.saveRecord(draftRecord({ id: recordIdFor(session.id), sessionId: session.id, relationship: rel, policy, now }));
    await services.store.appendAudit({ at: now, actorId: actor.id, action: 'record-started', subjectType: 'record', subjectId: record.id, detail: { version: 1, via: 'tab' } });
    return { id: record.id };
  } catch (err) {
    if (err instanceof ConcurrencyError) return { id: err.current.id };
    throw err;
  }
}
