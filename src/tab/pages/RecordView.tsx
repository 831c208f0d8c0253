/** One supervision record, opened by its own URL (#/records/<id>): what a card's link opens. Every read is audited by the server. */
import { Badge, Card, CardHeader, Link, MessageBar, MessageBarBody, Spinner, Text, Title2 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { formatDate, formatDay } from '../format';
import { href } from '../route';

interface Field { id: string; label: string; type: string }
export interface RecordDetail {
  record: { id: string; status: string; version: number; values: Record<string, unknown>; signatures: { personId: string; at: string }[]; disagreement?: { text: string; byId: string } };
  versions: { version: number; status: string; updatedAt: string; comment?: string }[];
  template: { name: string; fields: Field[] };
  actions: { id: string; text: string; dueOn: string; status: string; ownerId: string }[];
  names: Record<string, string>;
  session: { start: string };
  access?: 'party' | 'auditor' | 'asked-to-resolve';
  /** Each answer as words (choices by title, dates as days), worked out by the server from the field's type. */
  answers?: { fieldId: string; text: string }[];
  /** The pack's zone: every date of the record is read in it. */
  timeZone: string;
}

export const RECORD_STATUS: Record<string, ['success' | 'warning' | 'danger' | 'informative', string]> = {
  draft: ['warning', 'Draft'],
  submitted: ['informative', 'Awaiting countersignature'],
  'changes-requested': ['warning', 'Changes asked for'],
  signed: ['success', 'Signed'],
  disagreed: ['danger', 'Signed with disagreement'],
};

function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (Array.isArray(v)) return `${v.length} item(s)`;
  return String(v);
}

export function RecordView({ recordId, children }: { recordId: string; children?: (detail: RecordDetail, reload: () => void) => React.ReactNode }) {
  const [open, setOpen] = useState<RecordDetail>();
  const [error, setError] = useState<string>();
  const load = () => api<RecordDetail>(`/records/${encodeURIComponent(recordId)}`).then(setOpen).catch((e: Error) => setError(e.message));
  useEffect(() => {
    setOpen(undefined);
    setError(undefined);
    void load();
  }, [recordId]);
  if (error) {
    return (
      <section aria-labelledby="record-heading">
        <Title2 as="h1" id="record-heading">Supervision record</Title2>
        <MessageBar layout="multiline" intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>
        <Link href={href('/records')}>All records</Link>
      </section>
    );
  }
  if (!open) return <Spinner label="Loading the record…" />;
  const [color, label] = RECORD_STATUS[open.record.status] ?? ['informative', open.record.status];
  const parties = Object.values(open.names).join(', ');
  return (
    <section aria-labelledby="record-heading" style={{ display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Link href={href('/records')}>All records</Link>
      <Title2 as="h1" id="record-heading">{open.template.name}</Title2>
      <Text>Session on {formatDay(open.session.start, open.timeZone)} · {parties}</Text>
      <div><Badge appearance="tint" color={color}>{label}{open.record.version > 1 ? ` (version ${open.record.version})` : ''}</Badge></div>
      {open.access === 'asked-to-resolve' && (
        <MessageBar layout="multiline" intent="info"><MessageBarBody>You can read this record because a disagreement was recorded and the policy asks you to help resolve it. Your reading is recorded in the audit trail.</MessageBarBody></MessageBar>
      )}
      {open.record.disagreement && (
        <Card>
          <Text weight="semibold">Disagreement recorded by {open.names[open.record.disagreement.byId] ?? 'a party'}</Text>
          <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="disagreement-text">{open.record.disagreement.text}</Text>
        </Card>
      )}
      {children ? children(open, () => void load()) : <ReadOnlyRecord detail={open} />}
    </section>
  );
}

export function ReadOnlyRecord({ detail: open }: { detail: RecordDetail }) {
  return (
    <Card data-testid="record-detail">
      <CardHeader header={<Text weight="semibold">Record</Text>} />
      <div>
        {open.template.fields.filter((f) => f.type !== 'info' && f.type !== 'actions').map((f) => (
          <div key={f.id} style={{ marginBottom: 8 }}>
            <Text as="h3" weight="semibold" size={300} style={{ display: 'block', margin: 0 }}>{f.label}</Text>
            <Text as="p" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}>{show(open.answers?.find((a) => a.fieldId === f.id)?.text ?? open.record.values[f.id])}</Text>
          </div>
        ))}
      </div>
      {open.actions.length > 0 && (
        <>
          <Text weight="semibold">Actions</Text>
          <ul>{open.actions.map((a) => <li key={a.id}>{a.text} ({open.names[a.ownerId] ?? 'owner'}, by {formatDate(a.dueOn)}): {a.status}</li>)}</ul>
        </>
      )}
      <Text size={200}>Signed by: {open.record.signatures.map((s) => `${open.names[s.personId] ?? ''} (${formatDay(s.at, open.timeZone)})`).join(', ') || 'not yet signed'}</Text>
    </Card>
  );
}
