/**
 * The compliance view and quality-assurance grading: who may see which
 * relationships' figures, loading their history for the pure report
 * (domain/compliance), the auditors' sample of records, and grades.
 *
 * Who sees what:
 *   - safeguarding leads and auditors: every relationship;
 *   - line managers: the relationships of people they manage, directly (a
 *     supervisee's line manager) or through the supervisor (the supervisor's
 *     line manager);
 *   - supervisors: the relationships they supervise;
 *   - anyone else (practitioners): refused.
 * Every read is audited (what was read and how many rows, never the figures or
 * any record content); refusals are audited too.
 */
import { NO_MEETING_LINK } from './meetingLinks';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { complianceReport, DEFAULT_REPORT_ZONE, QA_CATEGORIES, QA_COMMENT_MAX, teamOf, type ComplianceReport, type QaCategory, type QaGrade } from '../domain/compliance';
import type { Person, Relationship, SupervisionRecord } from '../domain/model';
import type { Clock } from '../ports/clock';
import type { DirectoryPort } from '../ports/directory';
import type { Log } from '../ports/log';
import type { Policies } from '../ports/policies';
import type { QualityStore } from '../ports/quality';
import type { RecordStore } from '../ports/store';
import { AppError, badRequest, forbidden, notFound } from './errors';
import { ids } from './ids';

/** The ports this use case reaches the world through (the composition root passes them). */
export interface ComplianceDeps {
  clock: Clock;
  log: Log;
  policies: Policies;
  store: RecordStore;
  directory: DirectoryPort;
  /** Quality-assurance grades (absent: no grades, grading refused). */
  quality?: QualityStore;
}

export type ComplianceScope = 'all' | 'managed';

/** The default period: the last three months up to today, in the report zone (a report spans packs; see DEFAULT_REPORT_ZONE). */
export function defaultPeriod(now: Date): { from: string; to: string } {
  const today = DateTime.fromJSDate(now).setZone(DEFAULT_REPORT_ZONE).startOf('day');
  return { from: today.minus({ months: 3 }).toISODate()!, to: today.toISODate()! };
}

/** Which relationships a person may see in the compliance view; undefined when they may not use it. */
export function complianceVisibility(actor: Person, relationships: Relationship[], people: Map<string, Person>): { scope: ComplianceScope; relationships: Relationship[] } | undefined {
  if (actor.roles.includes('safeguarding-lead') || actor.roles.includes('auditor')) return { scope: 'all', relationships };
  if (!actor.roles.includes('line-manager') && !actor.roles.includes('supervisor')) return undefined;
  const managed = (id: string) => people.get(id)?.lineManagerId === actor.id;
  return {
    scope: 'managed',
    relationships: relationships.filter((rel) => rel.supervisorId === actor.id || managed(rel.supervisorId) || rel.superviseeIds.some(managed)),
  };
}

async function audit(services: ComplianceDeps, actorId: string, action: string, subjectType: string, subjectId: string, detail: Record<string, string | number | boolean> = {}) {
  await services.store.appendAudit({ at: services.clock.now().toISOString(), actorId, action, subjectType, subjectId, detail });
}

export interface ComplianceQuery {
  from?: string;
  to?: string;
  team?: string;
  /** Also list the items behind each figure (the drill-down). */
  withItems?: boolean;
}

/** The claim kind under which a session's recorded attendance is kept (key: session id); it confirms the session was held. */
export const ATTENDANCE_CLAIM = 'attendance';

/** The compliance report for what `actor` may see (403 for practitioners). Audited as a read. */
export async function buildComplianceReport(services: ComplianceDeps, actor: Person, query: ComplianceQuery, format: 'json' | 'csv' | 'pdf' = 'json'): Promise<ComplianceReport & { scope: ComplianceScope }> {
  const { store } = services;
  const now = services.clock.now();
  const period = { ...defaultPeriod(now), ...definedOnly({ from: query.from, to: query.to }) };
  if (period.from > period.to) throw badRequest('The period ends before it starts', ['to: must be on or after from']);
  const people = await services.directory.listPeople();
  const peopleById = new Map(people.map((p) => [p.id, p]));
  const visible = complianceVisibility(actor, await store.listRelationships({}), peopleById);
  if (!visible) {
    await audit(services, actor.id, 'compliance-access-refused', 'compliance-report', actor.id, { format });
    throw forbidden('The compliance view is for supervisors, line managers, safeguarding leads and auditors');
  }
  const ids = visible.relationships.map((r) => r.id);
  const [attendance, sessions, current, agreements, actions, grades] = await Promise.all([
    store.listClaims(ATTENDANCE_CLAIM),
    store.listSessions({ relationshipIds: ids }),
    store.listRecords({ relationshipIds: ids }),
    store.listAgreements(ids),
    store.listActions({ relationshipIds: ids }),
    services.quality ? services.quality.listGrades({ relationshipIds: ids }) : Promise.resolve([] as QaGrade[]),
  ]);
  // Amended records: earlier (signed) versions decide whether the record was on time.
  const records: SupervisionRecord[] = [...current];
  for (const r of current) if (r.version > 1) records.push(...(await store.listRecordVersions(r.id)).filter((v) => v.version < r.version));

  const report = complianceReport({
    now: now.toISOString(),
    from: period.from,
    to: period.to,
    team: query.team,
    policies: services.policies,
    people,
    relationships: visible.relationships,
    sessions,
    records,
    agreements,
    actions,
    grades,
    attendedSessionIds: attendance.map((c) => c.key),
    withItems: query.withItems,
  });
  if (report.skipped?.length) {
    // The detail goes to the log (ids only); the reader is told which arrangements are missing from the figures.
    services.log.warn({ event: 'compliance.skipped', skipped: report.skipped }, 'compliance report skipped unreadable arrangements');
    report.skipped = report.skipped.map((s) => ({ relationshipId: s.relationshipId, reason: 'something stored for this arrangement could not be read; it is left out of the figures' }));
  }
  await audit(services, actor.id, 'read', query.withItems ? 'compliance-items' : 'compliance-report', actor.id, {
    format,
    from: report.from,
    to: report.to,
    team: query.team ?? 'all',
    scope: visible.scope,
    relationships: report.relationships.length,
  });
  return { ...report, scope: visible.scope, ...(format === 'json' ? { unreachableInTeams: await unreachableInTeams(services, visible.relationships, peopleById), withoutMeetingLink: await withoutMeetingLink(services, visible.relationships) } : {}) };
}

/** Series and sessions booked without a Teams meeting link (flagged by the booking), in the visible arrangements. */
async function withoutMeetingLink(services: ComplianceDeps, relationships: Relationship[]): Promise<{ relationshipId: string; subjectId: string; since: string }[]> {
  const visible = new Set(relationships.map((r) => r.id));
  return (await services.store.listClaims(NO_MEETING_LINK))
    .map((c) => ({ relationshipId: String(c.detail?.relationshipId ?? ''), subjectId: c.key, since: c.at }))
    .filter((c) => visible.has(c.relationshipId))
    .sort((a, b) => a.relationshipId.localeCompare(b.relationshipId) || a.subjectId.localeCompare(b.subjectId));
}

/**
 * People in the visible arrangements the bot cannot reach in Teams: no chat with the bot yet (they
 * never opened it, and installing it for them failed or has not been tried). Their reminders and
 * record forms are waiting; the lead sees who, to ask Teams admins or the person. One lookup per
 * person: the view is asked for now and then, not on every job run.
 */
async function unreachableInTeams(services: ComplianceDeps, relationships: Relationship[], people: Map<string, Person>): Promise<{ personId: string; name: string }[]> {
  const ids = [...new Set(relationships.filter((r) => r.active).flatMap((r) => [r.supervisorId, ...r.superviseeIds]))];
  const out: { personId: string; name: string }[] = [];
  for (const id of ids) {
    const person = people.get(id);
    if (person && !(await services.store.getConversationRef(person.aadObjectId))) out.push({ personId: id, name: person.displayName });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------
// Quality assurance: the auditor's sample and grades

export const SAMPLE_PER_TEAM = 3;
export const SAMPLE_PER_TEAM_MAX = 20;

export interface SampleItem {
  recordId: string;
  relationshipId: string;
  team: string;
  sessionStart: string;
  status: SupervisionRecord['status'];
  version: number;
  supervisor: string;
  supervisees: string[];
}

/** Refuses (403, audited) anyone who is not an auditor. */
export async function requireAuditor(services: ComplianceDeps, actor: Person, action: string, subjectType: string, subjectId: string): Promise<void> {
  if (actor.roles.includes('auditor')) return;
  await audit(services, actor.id, action, subjectType, subjectId);
  throw forbidden('Only an auditor can grade supervision records');
}

/** An auditor's position in the sample order of a record: stable for that auditor, different between auditors. */
export function sampleOrder(auditorId: string, recordId: string): string {
  return createHash('sha256').update(`${auditorId}\u0000${recordId}`).digest('hex');
}

/**
 * Records for an auditor to grade: signed (or signed with a disagreement)
 * records they have not graded yet and are not a party to, up to `perTeam` per
 * team, chosen by a hash of auditor and record (deterministic: the same
 * auditor sees the same sample until they grade; grading one brings in the next).
 */
export async function sampleForAudit(services: ComplianceDeps, actor: Person, opts: { perTeam?: number } = {}): Promise<{ items: SampleItem[]; perTeam: number; eligible: number }> {
  await requireAuditor(services, actor, 'audit-sample-refused', 'audit-sample', actor.id);
  const perTeam = Math.min(Math.max(1, opts.perTeam ?? SAMPLE_PER_TEAM), SAMPLE_PER_TEAM_MAX);
  const { store } = services;
  const people = new Map((await services.directory.listPeople()).map((p) => [p.id, p]));
  const rels = new Map((await store.listRelationships({})).map((r) => [r.id, r]));
  const graded = new Set((services.quality ? await services.quality.listGrades({ auditorId: actor.id }) : []).map((g) => g.recordId));
  const eligible = (await store.listRecords({ status: ['signed', 'disagreed'] })).filter((r) => {
    const rel = rels.get(r.relationshipId);
    return rel && !graded.has(r.id) && rel.supervisorId !== actor.id && !rel.superviseeIds.includes(actor.id);
  });
  const byTeam = new Map<string, SupervisionRecord[]>();
  for (const r of eligible) {
    const team = teamOf(rels.get(r.relationshipId)!, people);
    byTeam.set(team, [...(byTeam.get(team) ?? []), r]);
  }
  const chosen: { record: SupervisionRecord; team: string }[] = [];
  for (const [team, list] of [...byTeam.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const ordered = list.map((record) => ({ record, key: sampleOrder(actor.id, record.id) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const { record } of ordered.slice(0, perTeam)) chosen.push({ record, team });
  }
  const sessions = new Map((await store.listSessions({ relationshipIds: [...new Set(chosen.map((c) => c.record.relationshipId))] })).map((s) => [s.id, s]));
  const name = (id: string) => people.get(id)?.displayName ?? 'Unknown';
  const items = chosen.map(({ record, team }) => {
    const rel = rels.get(record.relationshipId)!;
    return {
      recordId: record.id,
      relationshipId: rel.id,
      team,
      sessionStart: sessions.get(record.sessionId)?.start ?? record.createdAt,
      status: record.status,
      version: record.version,
      supervisor: name(rel.supervisorId),
      supervisees: rel.superviseeIds.map(name),
    };
  });
  await audit(services, actor.id, 'read', 'audit-sample', actor.id, { count: items.length, eligible: eligible.length });
  return { items, perTeam, eligible: eligible.length };
}

export interface GradeInput {
  recordId: string;
  category: QaCategory;
  comment?: string;
}

/** An auditor grades a signed record (not one of their own supervision). The comment is stored, never audited. */
export async function gradeRecord(services: ComplianceDeps, actor: Person, input: GradeInput): Promise<QaGrade> {
  await requireAuditor(services, actor, 'qa-grade-refused', 'record', input.recordId);
  if (!services.quality) throw new AppError(503, 'Quality-assurance grading is not available in this deployment yet');
  if (!(QA_CATEGORIES as readonly string[]).includes(input.category)) throw badRequest('Choose Challenge, Support, Maintain or Promote', ['category: must be one of challenge, support, maintain, promote']);
  const comment = (input.comment ?? '').trim();
  if (comment.length > QA_COMMENT_MAX) throw badRequest(`The comment is too long (at most ${QA_COMMENT_MAX} characters)`, [`comment: must be at most ${QA_COMMENT_MAX} characters`]);
  const record = await services.store.getRecord(input.recordId);
  if (!record) throw notFound('No such record');
  const rel = await services.store.getRelationship(record.relationshipId);
  if (!rel) throw notFound('That supervision arrangement no longer exists');
  if (rel.supervisorId === actor.id || rel.superviseeIds.includes(actor.id)) throw forbidden('You cannot grade a record of your own supervision');
  if (record.status !== 'signed' && record.status !== 'disagreed') {
    throw badRequest('Only signed records can be graded', [`recordId: the record is ${record.status}, not signed`]);
  }
  const grade: QaGrade = {
    id: ids.random('qa'),
    recordId: record.id,
    relationshipId: record.relationshipId,
    auditorId: actor.id,
    category: input.category,
    comment,
    at: services.clock.now().toISOString(),
  };
  await services.quality.saveGrade(grade);
  await audit(services, actor.id, 'qa-graded', 'record', record.id, { category: grade.category, version: record.version, gradeId: grade.id });
  return grade;
}
