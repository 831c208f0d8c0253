/**
 * A subject-access export for one person (pure): everything the app holds
 * about them (their details, the arrangements, sessions and every version of
 * every record where they are a party, their actions, their agreements,
 * disagreements and quality-assurance notes about their records) and the
 * audit of who read their records.
 *
 * Other people's names are marked `[REVIEW: Name]` wherever they appear,
 * including inside free text, so whoever releases it can decide on each
 * before it goes out (UK GDPR Art. 15(4): others' rights). Internal ids, which
 * embed names, are left out: items are identified by date and version.
 * Nothing from arrangements the person is not a party to is included.
 */
import { DateTime } from 'luxon';
import type { QaGrade } from '../compliance';
import { QA_CATEGORY_INFO } from '../compliance';
import type { ActionItem, Agreement, AuditEntry, Person, Relationship, Session, SupervisionRecord } from '../model';
import type { RecordTemplate } from '../policy/schema';
import { MARKING, type ReportDoc } from './document';
import { changeRequestOf } from '../records/workflow';
import type { AgendaItem, PrivateNote } from '../agenda';
import { entryText } from './signedRecord';

export interface SubjectAccessInput {
  subjectId: string;
  now: string;
  timeZone: string;
  people: Person[];
  relationships: Relationship[];
  sessions: Session[];
  /** Every version of every record (callers pass versions of the subject's records only, or more). */
  records: SupervisionRecord[];
  actions: ActionItem[];
  agreements: Agreement[];
  grades: QaGrade[];
  /** Audit entries about the subject's records (others are ignored). */
  audit: AuditEntry[];
  templates: Map<string, RecordTemplate>;
  /** The subject's own private notes (issue 18): nobody else's are ever passed. */
  privateNotes?: PrivateNote[];
  /** Agenda items the subject put on their sessions' agendas. */
  agendaItems?: AgendaItem[];
}

export const REVIEW_MARK = (name: string) => `[REVIEW: ${name}]`;

/** Marks every other person's full name, and their first name as a word, in free text. */
export function nameMarker(people: Person[], subjectId: string): (text: string) => string {
  const others = people.filter((p) => p.id !== subjectId && p.displayName.trim());
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const subjectNames = new Set(people.filter((p) => p.id === subjectId).flatMap((p) => [p.displayName, p.displayName.split(/\s+/)[0]!]));
  const full = others.map((p) => p.displayName).sort((a, b) => b.length - a.length);
  const first = [...new Set(others.map((p) => p.displayName.split(/\s+/)[0]!).filter((f) => f.length > 1 && !subjectNames.has(f)))];
  const pattern = new RegExp(`\\[REVIEW: [^\\]]*\\]|\\b(${[...full, ...first].map(escape).join('|')})\\b`, 'g');
  const fullSet = new Set(full);
  const byFirst = new Map(others.map((p) => [p.displayName.split(/\s+/)[0]!, p.displayName]));
  if (!full.length) return (t) => t;
  return (text) =>
    text.replace(pattern, (m, name: string | undefined) => {
      if (!name) return m; // already marked
      return REVIEW_MARK(fullSet.has(name) ? name : (byFirst.get(name) ?? name));
    });
}

export function subjectAccessDoc(input: SubjectAccessInput): ReportDoc {
  const zone = input.timeZone;
  const people = new Map(input.people.map((p) => [p.id, p]));
  const subject = people.get(input.subjectId);
  if (!subject) throw new Error(`subjectId: no such person ${input.subjectId}`);
  const mark = nameMarker(input.people, input.subjectId);
  const who = (id: string | undefined) => (id === undefined ? '' : id === subject.id ? subject.displayName : id.startsWith('system') ? 'Protected Time (automatic)' : REVIEW_MARK(people.get(id)?.displayName ?? 'someone not in the directory'));
  const when = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('ccc d LLL yyyy HH:mm');
  const day = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('d LLL yyyy');

  const rels = input.relationships.filter((r) => r.supervisorId === subject.id || r.superviseeIds.includes(subject.id));
  const relIds = new Set(rels.map((r) => r.id));
  const role = (r: Relationship) => (r.supervisorId === subject.id ? 'supervisor' : 'supervisee');
  const others = (r: Relationship) => [r.supervisorId, ...r.superviseeIds].filter((id) => id !== subject.id).map(who).join('; ');
  const sessions = input.sessions.filter((s) => relIds.has(s.relationshipId)).sort((a, b) => a.start.localeCompare(b.start));
  const sessionStart = new Map(sessions.map((s) => [s.id, s.start]));
  const records = input.records.filter((r) => relIds.has(r.relationshipId)).sort((a, b) => (sessionStart.get(a.sessionId) ?? '').localeCompare(sessionStart.get(b.sessionId) ?? '') || a.version - b.version);
  const recordLabel = new Map(records.map((r) => [r.id, `Record of the session on ${day(sessionStart.get(r.sessionId) ?? r.createdAt)}`]));
  const names = Object.fromEntries(input.people.map((p) => [p.id, p.id === subject.id ? p.displayName : REVIEW_MARK(p.displayName)]));

  const recordRows: (string | number)[][] = [];
  for (const r of records) {
    const template = input.templates.get(r.templateId);
    const label = recordLabel.get(r.id)!;
    const fields = template?.fields.filter((f) => f.type !== 'info') ?? Object.keys(r.values).map((id) => ({ id, label: id, type: 'text' as const, required: false }));
    for (const f of fields) {
      const text = template ? entryText(f, r.values[f.id], names, zone) : String(r.values[f.id] ?? '');
      if (text) recordRows.push([label, r.version, r.status, f.label, mark(text)]);
    }
    for (const s of r.signatures) recordRows.push([label, r.version, r.status, `Signed by (${s.role})`, `${who(s.personId)} on ${when(s.at)}`]);
  }

  const notes: (string | number)[][] = [];
  for (const r of records) {
    if (r.disagreement) notes.push([recordLabel.get(r.id)!, `Disagreement (version ${r.version})`, who(r.disagreement.byId), when(r.disagreement.at), mark(r.disagreement.text)]);
    const cr = changeRequestOf(r);
    if (cr) notes.push([recordLabel.get(r.id)!, `Changes asked for (version ${r.version})`, who(cr.byId), when(cr.at), mark(cr.comment)]);
  }
  for (const g of input.grades.filter((x) => relIds.has(x.relationshipId)).sort((a, b) => a.at.localeCompare(b.at))) {
    notes.push([recordLabel.get(g.recordId) ?? 'A supervision record', `Quality-assurance grade: ${QA_CATEGORY_INFO[g.category].name}`, who(g.auditorId), when(g.at), mark(g.comment)]);
  }

  const recordIds = new Set(records.map((r) => r.id));
  const reads = input.audit
    .filter((a) => a.subjectType === 'record' && recordIds.has(a.subjectId))
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((a) => [when(a.at), who(a.actorId), a.action, recordLabel.get(a.subjectId)!]);

  const actions = input.actions.filter((a) => a.ownerId === subject.id && relIds.has(a.relationshipId));
  const agreements = input.agreements.filter((a) => relIds.has(a.relationshipId));
  const manager = subject.lineManagerId ? who(subject.lineManagerId) : 'none recorded';
  return {
    kind: 'subject-access',
    title: `Subject access: ${subject.displayName}`,
    subtitle: `Everything Protected Time holds about ${subject.displayName}, as at ${when(input.now)}. Names of other people are marked [REVIEW: ...] for review before release.`,
    marking: MARKING,
    summary: [
      { label: 'Name', value: subject.displayName },
      { label: 'Email', value: subject.email },
      { label: 'Job title', value: subject.jobTitle },
      { label: 'Team', value: subject.team },
      { label: 'Roles', value: subject.roles.join(', ') },
      { label: 'Line manager', value: manager },
      { label: 'Started in post', value: subject.startedOn ?? 'not recorded' },
      { label: 'Arrangements', value: rels.length },
      { label: 'Sessions', value: sessions.length },
      { label: 'Record versions', value: records.length },
      { label: 'Actions', value: actions.length },
      { label: 'Agreements', value: agreements.length },
      { label: 'Reads of their records', value: reads.length },
    ],
    charts: [],
    tables: [
      {
        title: 'Supervision arrangements',
        columns: ['Role', 'With', 'Kind', 'Started', 'Active'],
        rows: rels.map((r) => [role(r), others(r), r.kind, r.startedOn, r.active ? 'yes' : 'no']),
        empty: 'None.',
      },
      {
        title: 'Sessions',
        columns: ['When', 'Status', 'Kind', 'With'],
        rows: sessions.map((s) => [when(s.start), s.status, s.kind, others(rels.find((r) => r.id === s.relationshipId)!)]),
        empty: 'None.',
      },
      { title: 'Records (every version)', columns: ['Record', 'Version', 'Status', 'Field', 'Entry'], rows: recordRows, empty: 'None.' },
      {
        title: 'Actions',
        columns: ['Action', 'Due', 'Status', 'Completed', 'Outcome for the child'],
        rows: actions.map((a) => [mark(a.text), a.dueOn, a.status, a.completedAt ? when(a.completedAt) : '', mark(a.outcomeForChild ?? '')]),
        empty: 'None.',
      },
      {
        title: 'Agreements',
        columns: ['With', 'Status', 'Frequency', 'Length (minutes)', 'Venue', 'Review by', 'Signed by'],
        rows: agreements.map((a) => [others(rels.find((r) => r.id === a.relationshipId)!), a.status, a.frequency, a.durationMinutes, mark(a.venue), a.reviewOn, a.signatures.map((s) => who(s.personId)).join('; ')]),
        empty: 'None.',
      },
      { title: 'Notes', columns: ['About', 'Note', 'By', 'When', 'Text'], rows: notes, empty: 'None.' },
      {
        title: 'Their private notes on sessions',
        columns: ['Session', 'Written', 'Note'],
        rows: (input.privateNotes ?? []).filter((n) => n.authorId === subject.id).map((n) => [sessionStart.has(n.sessionId) ? when(sessionStart.get(n.sessionId)!) : 'a session', when(n.updatedAt), mark(n.text)]),
        empty: 'None.',
      },
      {
        title: 'Agenda items they added',
        columns: ['Session', 'Added', 'Item', 'Discussed'],
        rows: (input.agendaItems ?? []).filter((i) => i.addedBy === subject.id && i.kind === 'added' && relIds.has(i.relationshipId)).map((i) => [sessionStart.has(i.sessionId) ? when(sessionStart.get(i.sessionId)!) : 'a session', when(i.addedAt), mark(i.text), i.discussedAt ? when(i.discussedAt) : '']),
        empty: 'None.',
      },
      { title: 'Who read their records', columns: ['When', 'Who', 'What', 'Record'], rows: reads, empty: 'No reads recorded.' },
    ],
    notes: [
      'Answer within one month of the request (UK GDPR Art. 12(3)).',
      'Before release, review every [REVIEW: ...] name: withhold or redact where disclosing it would adversely affect that person (Art. 15(4)).',
    ],
  };
}
