/**
 * Supervision agreements: the supervisor (or a safeguarding lead) records the
 * terms, every party signs, and the review date is tracked.
 */
import { DateTime, Duration } from 'luxon';
import { mayBookFor, viewpointOn } from '../domain/access';
import { agreementState, fullySigned } from '../domain/agreements';
import type { Agreement, Person } from '../domain/model';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Policies } from '../ports/policies';
import type { RelationshipStore, AgreementStore, AuditLog } from '../ports/store';
import { badRequest, conflict, forbidden, notFound } from './errors';
import { ids } from './ids';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface AgreementsDeps {
  clock: Clock;
  policies: Policies;
  store: RelationshipStore & AgreementStore & AuditLog;
  directory: DirectoryPort;
}

export interface AgreementInput {
  frequency: string;
  durationMinutes: number;
  venue: string;
  type: 'individual' | 'group';
  reviewOn?: string;
  values?: Record<string, string>;
}

async function relationshipFor(services: AgreementsDeps, relationshipId: string) {
  const rel = await services.store.getRelationship(relationshipId);
  if (!rel) throw notFound('No such supervision arrangement');
  const policy = services.policies.get(rel.policyId);
  if (!policy) throw notFound('Policy not loaded');
  return { rel, policy };
}

export async function getAgreement(services: AgreementsDeps, actor: Person, relationshipId: string) {
  const { rel, policy } = await relationshipFor(services, relationshipId);
  const people = new Map((await services.directory.listPeople()).map((p) => [p.id, p]));
  // An arrangement the caller may not see answers as a missing one.
  if (!viewpointOn(actor, rel, people)) throw notFound('No such supervision arrangement');
  const [agreement] = await services.store.listAgreements([rel.id]);
  const today = DateTime.fromJSDate(services.clock.now()).setZone(policy.timeZone).toISODate()!;
  await services.store.appendAudit({ at: services.clock.now().toISOString(), actorId: actor.id, action: 'read', subjectType: 'agreement', subjectId: agreement?.id ?? rel.id });
  return { agreement, state: agreementState(agreement, today, 30, { reviewEvery: policy.agreements.reviewEvery, timeZone: policy.timeZone }), templateId: policy.agreements.template, reviewEvery: policy.agreements.reviewEvery };
}

/** An arrangement the caller has no view of answers as a missing one. */
async function visibleTo(services: AgreementsDeps, actor: Person, rel: { supervisorId: string; superviseeIds: string[] } & Parameters<typeof viewpointOn>[1]): Promise<void> {
  const people = new Map((await services.directory.listPeople()).map((p) => [p.id, p]));
  if (!viewpointOn(actor, rel, people)) throw notFound('No such supervision arrangement');
}

export async function recordAgreement(services: AgreementsDeps, actor: Person, relationshipId: string, input: AgreementInput): Promise<Agreement> {
  const { rel, policy } = await relationshipFor(services, relationshipId);
  if (!mayBookFor(actor, rel)) await visibleTo(services, actor, rel);
  if (!mayBookFor(actor, rel)) throw forbidden('Only the supervisor, or a safeguarding lead, can record the agreement');
  const now = DateTime.fromJSDate(services.clock.now());
  const today = now.setZone(policy.timeZone).toISODate()!;
  const reviewOn = input.reviewOn ?? now.setZone(policy.timeZone).plus(Duration.fromISO(policy.agreements.reviewEvery)).toISODate()!;
  if (reviewOn <= today) throw badRequest('The review date must be in the future', { fields: [{ field: 'reviewOn', rule: 'after-today', message: 'must be after today' }] });
  const agreement: Agreement = {
    id: ids.agreement(rel.id, now.toISO()!),
    relationshipId: rel.id,
    templateId: policy.agreements.template,
    values: input.values ?? {},
    frequency: input.frequency,
    durationMinutes: input.durationMinutes,
    venue: input.venue,
    type: input.type,
    reviewOn,
    status: 'draft',
    signatures: [{ personId: actor.id, role: 'supervisor', at: now.toUTC().toISO()! }],
    createdAt: now.toUTC().toISO()!,
  };
  await services.store.saveAgreement(agreement);
  await services.store.appendAudit({ at: agreement.createdAt, actorId: actor.id, action: 'record-agreement', subjectType: 'agreement', subjectId: agreement.id });
  return agreement;
}

/**
 * Signs the agreement the signer was shown (`agreementId`: an agreement's id
 * names its terms, which never change; new terms are a new agreement). If a
 * newer one was recorded since, nothing is signed and the signer is told.
 */
export async function signAgreement(services: AgreementsDeps, actor: Person, relationshipId: string, agreementId: string): Promise<Agreement> {
  const { rel } = await relationshipFor(services, relationshipId);
  const role = rel.supervisorId === actor.id ? 'supervisor' : rel.superviseeIds.includes(actor.id) ? 'supervisee' : undefined;
  if (!role) await visibleTo(services, actor, rel);
  if (!role) throw forbidden('Only the people in this arrangement can sign its agreement');
  const [agreement] = await services.store.listAgreements([rel.id]);
  if (!agreement) throw notFound('There is no agreement to sign yet');
  if (agreement.id !== agreementId) throw conflict('A newer agreement was recorded after you opened this one. Nothing was signed: read the new one, then sign it.', { current: agreement.id });
  if (agreement.signatures.some((s) => s.personId === actor.id)) return agreement; // a repeated click changes nothing
  const at = services.clock.now().toISOString();
  const signed: Agreement = { ...agreement, signatures: [...agreement.signatures, { personId: actor.id, role, at }] };
  if (fullySigned(signed, rel)) signed.status = 'signed';
  await services.store.saveAgreement(signed);
  await services.store.appendAudit({ at, actorId: actor.id, action: 'sign-agreement', subjectType: 'agreement', subjectId: agreement.id });
  return signed;
}
