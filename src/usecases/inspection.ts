/**
 * Inspection and people's data rights: evidence packs, the organisations'
 * reports, signed-record copies, subject access, retention review, legal holds
 * and disposal. Each function decides who may do it, loads what the pure
 * builders (domain/inspection) need, audits the export or change (never its
 * content), and returns a document for the renderers (src/render).
 *
 * Who may do what:
 *   - evidence pack: whoever may see the arrangements in the compliance view
 *     (usecases/compliance), and a practitioner for their own supervision;
 *   - organisation reports: as the compliance view (scoped the same way);
 *   - signed record: the parties, their line managers, safeguarding leads, auditors;
 *   - subject access, retention review, legal holds, leavers, disposal:
 *     safeguarding leads only (and the admin command line).
 */
import { createHash } from 'node:crypto';
import { viewpointOn } from '../domain/access';
import { DEFAULT_REPORT_ZONE, teamOf, type QaGrade } from '../domain/compliance';
import { type ReportDoc } from '../domain/inspection/document';
import { evidencePack, evidencePackDoc, type EvidencePack, type PackSubject } from '../domain/inspection/evidencePack';
import { organisationReport, type ReportKind } from '../domain/inspection/orgReports';
import { holdsCovering, retentionReview, type DisposalCandidate, type LegalHold, type RetentionReview } from '../domain/inspection/retention';
import { signedRecordDoc } from '../domain/inspection/signedRecord';
import { subjectAccessDoc } from '../domain/inspection/subjectAccess';
import type { Person, Relationship, SupervisionRecord } from '../domain/model';
import { isRealDate } from '../domain/time/dates';
import { templatesFor } from '../domain/policy/validate';
import type { AgendaStore } from '../ports/agendaStore';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Policies } from '../ports/policies';
import type { QualityStore } from '../ports/quality';
import type { RecordStore } from '../ports/store';
import { ATTENDANCE_CLAIM, complianceVisibility, defaultPeriod } from './compliance';
import { AppError, badRequest, conflict, forbidden, notFound } from './errors';
import { ids } from './ids';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface InspectionDeps {
  clock: Clock;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
  /** Quality-assurance grades (absent: no grades, grading refused). */
  quality?: QualityStore;
  /** Agendas and private notes (issue 18; absent: none exported). */
  agenda?: AgendaStore;
}

export type ExportFormat = 'pdf' | 'csv' | 'json';

const HOLD_CLAIM = 'legal-hold';
const HOLD_LIFTED_CLAIM = 'legal-hold-lifted';
const LEFT_CLAIM = 'left-organisation';

async function audit(services: InspectionDeps, actorId: string, action: string, subjectType: string, subjectId: string, detail: Record<string, string | number | boolean> = {}) {
  await services.store.appendAudit({ at: services.clock.now().toISOString(), actorId, action, subjectType, subjectId, detail });
}

const isLead = (p: Person) => p.roles.includes('safeguarding-lead');

/** Everything the builders read about some relationships: sessions, every record version, agreements, actions, grades, attendance. */
async function history(services: InspectionDeps, rels: Relationship[]) {
  const { store } = services;
  const ids = rels.map((r) => r.id);
  const [attendance, sessions, current, agreements, actions, grades] = await Promise.all([
    store.listClaims(ATTENDANCE_CLAIM),
    store.listSessions({ relationshipIds: ids }),
    store.listRecords({ relationshipIds: ids }),
    store.listAgreements(ids),
    store.listActions({ relationshipIds: ids }),
    services.quality ? services.quality.listGrades({ relationshipIds: ids }) : Promise.resolve([] as QaGrade[]),
  ]);
  const records: SupervisionRecord[] = [...current];
  for (const r of current) if (r.version > 1) records.push(...(await store.listRecordVersions(r.id)).filter((v) => v.version < r.version));
  return { sessions, current, records, agreements, actions, grades, attendedSessionIds: attendance.map((c) => c.key) };
}

function period(services: InspectionDeps, q: { from?: string; to?: string }) {
  const p = { ...defaultPeriod(services.clock.now()), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) };
  if (p.from > p.to) throw badRequest('The period ends before it starts', ['to: must be on or after from']);
  return p;
}

// ---------------------------------------------------------------------------
// Evidence packs

export interface PackQuery {
  subject: PackSubject;
  from?: string;
  to?: string;
}

export async function buildEvidencePack(services: InspectionDeps, actor: Person, query: PackQuery, format: ExportFormat): Promise<{ pack: EvidencePack; doc: ReportDoc }> {
  const people = await services.directory.listPeople();
  const byId = new Map(people.map((p) => [p.id, p]));
  const all = await services.store.listRelationships({});
  const subjectId = query.subject.kind === 'practitioner' ? query.subject.personId : query.subject.team;
  if (query.subject.kind === 'practitioner' && !byId.has(query.subject.personId)) throw notFound('No such person');
  const visible = complianceVisibility(actor, all, byId);
  const own = query.subject.kind === 'practitioner' && query.subject.personId === actor.id;
  const rels = own ? all.filter((r) => r.superviseeIds.includes(actor.id)) : visible?.relationships ?? [];
  const subject = query.subject;
  const inScope = rels.filter((r) => (subject.kind === 'practitioner' ? r.superviseeIds.includes(subject.personId) : teamOf(r, byId) === subject.team));
  if (!own && (!visible || !inScope.length)) {
    await audit(services, actor.id, 'evidence-pack-refused', query.subject.kind, subjectId, { format });
    throw forbidden('You can make evidence packs only for people and teams whose supervision you supervise, manage or oversee');
  }
  const p = period(services, query);
  const h = await history(services, inScope);
  // Who cancelled: the audit of each cancelled session (a person keeping it cancelled, or the calendar).
  const cancelledBy: Record<string, string> = {};
  for (const s of h.sessions.filter((x) => x.status === 'cancelled')) {
    const entries = await services.store.listAudit({ subjectId: s.id, limit: 20 });
    // A person's cancelling action (the calendar's own cancellations are audited by the system, not a person).
    const byPerson = entries.find((e) => byId.has(e.actorId) && e.action.includes('cancel') && !e.action.includes('refused'));
    if (byPerson) cancelledBy[s.id] = byPerson.actorId;
  }
  const pack = evidencePack({
    now: services.clock.now().toISOString(),
    from: p.from,
    to: p.to,
    policies: services.policies,
    people,
    relationships: inScope,
    subject: query.subject,
    cancelledBy,
    ...h,
  });
  await audit(services, actor.id, 'evidence-pack-exported', query.subject.kind, subjectId, { format, from: p.from, to: p.to, relationships: inScope.length });
  return { pack, doc: evidencePackDoc(pack) };
}

// ---------------------------------------------------------------------------
// The organisations' reports

export async function buildOrganisationReport(services: InspectionDeps, actor: Person, kind: ReportKind, query: { from?: string; to?: string; team?: string }, format: ExportFormat): Promise<ReportDoc> {
  const people = await services.directory.listPeople();
  const visible = complianceVisibility(actor, await services.store.listRelationships({}), new Map(people.map((p) => [p.id, p])));
  if (!visible) {
    await audit(services, actor.id, 'report-refused', 'report', kind, { format });
    throw forbidden('Reports are for supervisors, line managers, safeguarding leads and auditors');
  }
  const p = period(services, query);
  const h = await history(services, visible.relationships);
  const organisations = [...new Set(visible.relationships.map((r) => services.policies.get(r.policyId)?.organisation.name).filter((n): n is string => Boolean(n)))].sort();
  const doc = organisationReport({
    kind,
    organisation: organisations.join('; ') || 'Protected Time',
    now: services.clock.now().toISOString(),
    from: p.from,
    to: p.to,
    team: query.team,
    policies: services.policies,
    people,
    relationships: visible.relationships,
    sessions: h.sessions,
    records: h.records,
    agreements: h.agreements,
    actions: h.actions,
    grades: h.grades,
    attendedSessionIds: h.attendedSessionIds,
  });
  await audit(services, actor.id, 'report-exported', 'report', kind, { format, from: p.from, to: p.to, team: query.team ?? 'all', scope: visible.scope });
  return doc;
}

// ---------------------------------------------------------------------------
// A signed record as a copy

/** The fingerprint of a stored record version: sha256 of its identity, entries and signatures as canonical JSON. */
export function recordFingerprint(r: SupervisionRecord): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  const payload = { id: r.id, version: r.version, status: r.status, values: r.values, signatures: r.signatures, disagreement: r.disagreement ?? null };
  return createHash('sha256').update(JSON.stringify(canonical(payload))).digest('hex');
}

export async function buildSignedRecord(services: InspectionDeps, actor: Person, recordId: string, version?: number): Promise<{ doc: ReportDoc; record: SupervisionRecord; fingerprint: string }> {
  const current = await services.store.getRecord(recordId);
  if (!current) throw notFound('No such record');
  const rel = await services.store.getRelationship(current.relationshipId);
  if (!rel) throw notFound('That supervision arrangement no longer exists');
  const people = await services.directory.listPeople();
  const byId = new Map(people.map((p) => [p.id, p]));
  const allowed = viewpointOn(actor, rel, byId) !== undefined || actor.roles.includes('auditor');
  if (!allowed) {
    await audit(services, actor.id, 'record-export-refused', 'record', recordId);
    throw forbidden('You cannot see this record');
  }
  const versions = await services.store.listRecordVersions(recordId);
  const signed = versions.filter((v) => v.status === 'signed' || v.status === 'disagreed');
  const record = version === undefined ? signed.at(-1) : versions.find((v) => v.version === version);
  if (!record) throw new AppError(409, version === undefined ? 'This record has not been signed yet' : `There is no version ${version} of this record`);
  if (record.status !== 'signed' && record.status !== 'disagreed') throw conflict(`Version ${record.version} is not signed (${record.status})`);
  const policy = services.policies.get(rel.policyId);
  const template = policy && templatesFor(policy).get(record.templateId);
  if (!policy || !template) throw notFound(`Template ${record.templateId} is not available`);
  const found = await services.store.getSession(record.sessionId);
  const session = found?.relationshipId === rel.id ? found : undefined;
  const fingerprint = recordFingerprint(record);
  const doc = signedRecordDoc({
    record,
    template,
    names: Object.fromEntries(people.map((p) => [p.id, p.displayName])),
    sessionStart: session?.start ?? record.createdAt,
    timeZone: policy.timeZone,
    fingerprint,
  });
  await audit(services, actor.id, 'record-exported', 'record', record.id, { version: record.version, format: 'pdf' });
  return { doc, record, fingerprint };
}

// ---------------------------------------------------------------------------
// Subject access

export async function buildSubjectAccess(services: InspectionDeps, actor: Person, personId: string, format: ExportFormat): Promise<ReportDoc> {
  if (!isLead(actor)) {
    await audit(services, actor.id, 'subject-access-refused', 'person', personId, { format });
    throw forbidden('Subject access exports are made by a safeguarding lead');
  }
  const people = await services.directory.listPeople();
  if (!people.some((p) => p.id === personId)) throw notFound('No such person');
  const rels = (await services.store.listRelationships({})).filter((r) => r.supervisorId === personId || r.superviseeIds.includes(personId));
  const h = await history(services, rels);
  // Every version of every record, and the audit of each record (who read it).
  const records: SupervisionRecord[] = [];
  for (const r of h.current) records.push(...(await services.store.listRecordVersions(r.id)));
  const auditEntries = (await Promise.all(h.current.map((r) => services.store.listAudit({ subjectId: r.id })))).flat();
  const doc = subjectAccessDoc({
    subjectId: personId,
    now: services.clock.now().toISOString(),
    timeZone: DEFAULT_REPORT_ZONE,
    people,
    relationships: rels,
    sessions: h.sessions,
    records,
    actions: h.actions,
    agreements: h.agreements,
    grades: h.grades,
    audit: auditEntries,
    templates: new Map([...services.policies.values()].flatMap((p) => [...templatesFor(p).entries()])),
    // Their own private notes and the agenda items they added are their data too (issue 18).
    ...(services.agenda ? { privateNotes: await services.agenda.listPrivateNotes(personId), agendaItems: (await Promise.all(rels.map((r) => services.agenda!.listAgendaItems(r.id)))).flat() } : {}),
  });
  await audit(services, actor.id, 'subject-access-exported', 'person', personId, { format, records: records.length, relationships: rels.length });
  return doc;
}

/** The people a lead can make a subject-access export for (names and teams only). Audited. */
export async function peopleForDataRights(services: InspectionDeps, actor: Person): Promise<{ id: string; displayName: string; team: string }[]> {
  if (!isLead(actor)) {
    await audit(services, actor.id, 'data-rights-refused', 'people', 'all');
    throw forbidden('Subject access and retention are for a safeguarding lead');
  }
  const people = await services.directory.listPeople();
  await audit(services, actor.id, 'read', 'people', 'all', { count: people.length });
  return people.map((p) => ({ id: p.id, displayName: p.displayName, team: p.team }));
}

// ---------------------------------------------------------------------------
// Retention, legal holds and disposal

function requireLead(services: InspectionDeps, actor: Person, action: string, subjectType: string, subjectId: string): Promise<void> {
  if (isLead(actor)) return Promise.resolve();
  return audit(services, actor.id, action, subjectType, subjectId).then(() => {
    throw forbidden('Retention, legal holds and disposal are for a safeguarding lead');
  });
}

export async function listLegalHolds(services: InspectionDeps): Promise<LegalHold[]> {
  const [placed, lifted] = await Promise.all([services.store.listClaims(HOLD_CLAIM), services.store.listClaims(HOLD_LIFTED_CLAIM)]);
  const liftedBy = new Map(lifted.map((c) => [c.key, c]));
  return placed.map((c) => {
    const d = c.detail as { scope: LegalHold['scope']; reason: string; placedBy: string };
    const l = liftedBy.get(c.key);
    return { id: c.key, scope: d.scope, reason: d.reason, placedBy: d.placedBy, placedAt: c.at, ...(l ? { liftedAt: l.at, liftedBy: String(l.detail?.by ?? '') } : {}) };
  });
}

export async function placeLegalHold(services: InspectionDeps, actor: Person, input: { scope: LegalHold['scope']; reason: string }): Promise<LegalHold> {
  await requireLead(services, actor, 'legal-hold-refused', input.scope.kind, input.scope.id);
  const reason = input.reason.trim();
  if (reason.length < 3) throw badRequest('Say why the hold is placed', ['reason: at least 3 characters']);
  const id = ids.random('hold');
  const at = services.clock.now().toISOString();
  await services.store.claim(HOLD_CLAIM, id, at, { scope: input.scope, reason, placedBy: actor.id });
  await audit(services, actor.id, 'legal-hold-placed', input.scope.kind, input.scope.id, { holdId: id });
  return { id, scope: input.scope, reason, placedBy: actor.id, placedAt: at };
}

export async function liftLegalHold(services: InspectionDeps, actor: Person, holdId: string): Promise<void> {
  await requireLead(services, actor, 'legal-hold-refused', 'legal-hold', holdId);
  const hold = (await listLegalHolds(services)).find((h) => h.id === holdId);
  if (!hold) throw notFound('No such legal hold');
  if (hold.liftedAt) throw conflict('That hold was already lifted');
  await services.store.claim(HOLD_LIFTED_CLAIM, holdId, services.clock.now().toISOString(), { by: actor.id });
  await audit(services, actor.id, 'legal-hold-lifted', hold.scope.kind, hold.scope.id, { holdId });
}

/** Records that a person left (the anchor of "leaving-organisation" retention). Once per person. */
export async function recordLeaver(services: InspectionDeps, actor: Person, personId: string, leftOn: string): Promise<void> {
  await requireLead(services, actor, 'leaver-refused', 'person', personId);
  if (!isRealDate(leftOn)) throw badRequest('Give the leaving date', ['leftOn: must be a real date YYYY-MM-DD']);
  if (!(await services.store.claim(LEFT_CLAIM, personId, services.clock.now().toISOString(), { leftOn }))) throw conflict('That person is already recorded as having left');
  await audit(services, actor.id, 'leaver-recorded', 'person', personId, { leftOn });
}

async function review(services: InspectionDeps): Promise<RetentionReview> {
  const rels = await services.store.listRelationships({});
  const h = await history(services, rels);
  const leftOn = Object.fromEntries((await services.store.listClaims(LEFT_CLAIM)).map((c) => [c.key, String(c.detail?.leftOn ?? '')]));
  return retentionReview({ now: services.clock.now().toISOString(), policies: services.policies, relationships: rels, sessions: h.sessions, records: h.records, holds: await listLegalHolds(services), leftOn });
}

/** Records past retention, listed for a person to review (nothing is deleted here). Audited. */
export async function retentionReviewFor(services: InspectionDeps, actor: Person): Promise<RetentionReview & { holds: LegalHold[] }> {
  await requireLead(services, actor, 'retention-review-refused', 'retention', 'all');
  const r = await review(services);
  await audit(services, actor.id, 'read', 'retention-review', 'all', { due: r.due.length, held: r.due.filter((d) => d.heldBy.length).length });
  return { ...r, holds: await listLegalHolds(services) };
}

/**
 * Disposes of one record after review: only when it is past retention and no
 * legal hold covers it. Removes every copy the app holds (record, versions,
 * actions, QA grades), then audits what went (counts, never content).
 */
export async function disposeRecord(services: InspectionDeps, actor: Person, recordId: string): Promise<{ candidate: DisposalCandidate; removed: Record<string, number> }> {
  await requireLead(services, actor, 'disposal-refused', 'record', recordId);
  const candidate = (await review(services)).due.find((d) => d.recordId === recordId);
  if (!candidate) {
    await audit(services, actor.id, 'disposal-refused', 'record', recordId, { why: 'not past retention' });
    throw conflict('That record is not past its retention period, so it cannot be disposed of');
  }
  const rel = await services.store.getRelationship(candidate.relationshipId);
  const holds = rel ? holdsCovering(recordId, rel, await listLegalHolds(services)) : [];
  if (holds.length) {
    await audit(services, actor.id, 'disposal-refused', 'record', recordId, { why: 'legal hold', holds: holds.map((h) => h.id).join(',') });
    throw new AppError(409, 'A legal hold covers this record: it cannot be disposed of until the hold is lifted', { holds: holds.map((h) => ({ id: h.id, reason: h.reason })) });
  }
  const counts = await services.store.disposeRecord(recordId);
  const grades = services.quality ? await services.quality.deleteGradesForRecord(recordId) : 0;
  const removed = { ...counts, grades };
  await audit(services, actor.id, 'record-disposed', 'record', recordId, { ...removed, rule: candidate.rule.id, dueSince: candidate.dueSince });
  return { candidate, removed };
}
