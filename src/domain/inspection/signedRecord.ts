/**
 * A signed supervision record as a document (pure): the supervisee's signed
 * copy the policies promise, and what an inspector is shown. Built from one
 * stored version only, so the copy is exactly what was signed: every field of
 * the template with that version's entry, the signatures with their times, and
 * a fingerprint of the version (computed by the caller over the stored
 * version) so anyone can check a copy against the store.
 */
import { DateTime } from 'luxon';
import type { SupervisionRecord } from '../model';
import type { RecordTemplate, TemplateField } from '../policy/schema';
import { displayAnswer } from '../records/fieldTypes';
import { MARKING, type ReportDoc } from './document';

export interface SignedRecordInput {
  record: SupervisionRecord;
  template: RecordTemplate;
  names: Record<string, string>;
  sessionStart: string;
  timeZone: string;
  /** sha256 of the stored version's canonical JSON (see usecases/inspection). */
  fingerprint: string;
}

/**
 * A field's entry as words, through its type's handler (records/fieldTypes): choices by
 * their title, yes/no, dates as days, action rows one per line with owner and due date.
 */
export function entryText(field: TemplateField, value: unknown, names: Record<string, string>, zone: string): string {
  if (value === undefined || value === null || value === '') return '';
  return displayAnswer(field, value, { zone, names });
}

export function signedRecordDoc(input: SignedRecordInput): ReportDoc {
  const { record, template, names, timeZone } = input;
  const when = (iso: string) => DateTime.fromISO(iso, { zone: timeZone }).toFormat('ccc d LLL yyyy HH:mm');
  const name = (id: string) => names[id] ?? 'Unknown';
  const status = record.status === 'signed' ? 'Signed' : record.status === 'disagreed' ? 'Signed with a recorded disagreement' : `Not signed (${record.status})`;
  return {
    kind: 'signed-record',
    title: `${template.name}: supervision on ${DateTime.fromISO(input.sessionStart, { zone: timeZone }).toFormat('d LLL yyyy')}`,
    subtitle: `Record ${record.id}, version ${record.version}. ${status}.`,
    marking: MARKING,
    summary: [
      { label: 'Record', value: record.id },
      { label: 'Version', value: record.version },
      { label: 'Status', value: status },
      { label: 'Session', value: when(input.sessionStart) },
      { label: 'Written by', value: name(record.authorId) },
      { label: 'Fingerprint (SHA-256)', value: input.fingerprint },
    ],
    charts: [],
    tables: [
      {
        title: 'Record',
        columns: ['Field', 'Entry'],
        rows: template.fields.filter((f) => f.type !== 'info').map((f) => [f.label, entryText(f, record.values[f.id], names, timeZone)]),
      },
      {
        title: 'Signatures',
        columns: ['Name', 'Role', 'Signed'],
        rows: record.signatures.map((s) => [name(s.personId), s.role, when(s.at)]),
        empty: 'Not signed.',
      },
      ...(record.disagreement
        ? [{ title: 'Disagreement', columns: ['Recorded by', 'When', 'Disagreement'], rows: [[name(record.disagreement.byId), when(record.disagreement.at), record.disagreement.text]] }]
        : []),
    ],
    notes: [
      'This copy is made from the stored signed version; the fingerprint is of that version (its id, version, entries and signatures), so a copy can be checked against the record.',
      'Amendments after signing are new versions; this version never changes.',
    ],
  };
}
