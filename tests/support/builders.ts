/**
 * Test builders with object parameters: name what matters to the test, let the
 * rest default. Shared, so a test reads `aSession({ id: 'a', relationshipId: 'r',
 * start, status: 'held' })` instead of a positional helper each file redefines.
 */
import type { Person, Relationship, Session, Signature, SupervisionRecord } from '../../src/domain/model';

/** A person: a practitioner unless told otherwise; display name, mail and Entra id from the id. */
export function aPerson(p: Pick<Person, 'id'> & Partial<Person>): Person {
  return { displayName: p.id, email: `${p.id}@example.org`, aadObjectId: p.id, jobTitle: '', team: '', roles: ['practitioner'], ...p };
}

/** An active individual arrangement: `<id>-sup` supervises `<id>-see`. */
export function aRelationship(r: Pick<Relationship, 'id'> & Partial<Relationship>): Relationship {
  return { kind: 'individual', supervisorId: `${r.id}-sup`, superviseeIds: [`${r.id}-see`], policyId: 'p', staffGroupId: 'g', startedOn: '2026-01-01', active: true, ...r };
}

/**
 * A planned-kind session lasting `minutes` (default 60) unless `end` is given; `start`
 * is normalised to an ISO instant with milliseconds, as the stores keep it.
 */
export function aSession(s: Pick<Session, 'id' | 'relationshipId' | 'start'> & Partial<Session> & { minutes?: number }): Session {
  const { minutes = 60, ...rest } = s;
  const start = new Date(Date.parse(s.start)).toISOString();
  return { status: 'planned', kind: 'planned', ...rest, start, end: rest.end ?? new Date(Date.parse(start) + minutes * 60_000).toISOString() };
}

/**
 * A record of a session (id `<sessionId>-r`), version 1, signed by `signers` at
 * `submittedAt` (or 2027-01-01): a signer whose id ends in "-sup" signs as supervisor.
 */
export function aRecord(r: Pick<SupervisionRecord, 'sessionId' | 'relationshipId' | 'status' | 'authorId'> & Partial<SupervisionRecord> & { signers?: string[] }): SupervisionRecord {
  const { signers = [], ...rest } = r;
  const at = r.submittedAt ?? '2027-01-01T00:00:00Z';
  const signatures: Signature[] = signers.map((personId) => ({ personId, role: personId.endsWith('-sup') ? 'supervisor' : 'supervisee', at }));
  return { id: `${r.sessionId}-r`, templateId: 't', version: 1, values: {}, signatures, createdAt: at, updatedAt: at, etag: '1', ...rest };
}
