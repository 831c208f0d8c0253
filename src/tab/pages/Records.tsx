/** "My records": supervision records the person may see; open one to read it in full (audited). */
import {
  Badge, Button, Card, CardHeader, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2, Title3,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { formatDay } from '../format';

interface RecordRow { id: string; sessionStart: string; status: string; version: number; supervisor: string; supervisees: string[]; mine: boolean; signedBy: string[] }
interface Field { id: string; label: string; type: string }
interface RecordDetail {
  record: { id: string; status: string; version: number; values: Record<string, unknown>; signatures: { personId: string; at: string }[]; disagreement?: { text: string } };
  template: { name: string; fields: Field[] };
  actions: { id: string; text: string; dueOn: string; status: string; ownerId: string }[];
  names: Record<string, string>;
  session: { start: string };
}

const STATUS: Record<string, ['success' | 'warning' | 'danger' | 'informative', string]> = {
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

export function Records() {
  const [rows, setRows] = useState<RecordRow[]>();
  const [open, setOpen] = useState<RecordDetail>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ records: RecordRow[] }>('/records').then((r) => setRows(r.records)).catch((e: Error) => setError(e.message));
  }, []);
  if (error) return <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!rows) return <Spinner label="Loading records…" />;
  return (
    <section aria-labelledby="records-heading" style={{ display: 'grid', gap: 16 }}>
      <Title2 as="h1" id="records-heading">Records</Title2>
      {rows.length === 0 ? (
        <Text as="p">No supervision records yet. After each session the record form arrives in your Teams chat with Protected Time.</Text>
      ) : (
        <Table aria-label="Supervision records" data-testid="records">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Session</TableHeaderCell>
              <TableHeaderCell>Supervisor</TableHeaderCell>
              <TableHeaderCell>Supervisee(s)</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell><span className="visually-hidden">Open</span></TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => {
              const [color, label] = STATUS[r.status] ?? ['informative', r.status];
              return (
                <TableRow key={r.id}>
                  <TableCell>{formatDay(r.sessionStart)}</TableCell>
                  <TableCell>{r.supervisor}</TableCell>
                  <TableCell>{r.supervisees.join(', ')}</TableCell>
                  <TableCell><Badge appearance="tint" color={color}>{label}{r.version > 1 ? ` (v${r.version})` : ''}</Badge></TableCell>
                  <TableCell>
                    <Button size="small" onClick={() => api<RecordDetail>(`/records/${r.id}`).then(setOpen).catch((e: Error) => setError(e.message))}>Read</Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {open && (
        <Card data-testid="record-detail">
          <CardHeader header={<Title3 as="h2">{open.template.name}</Title3>} description={<Text>Session on {formatDay(open.session.start)} · version {open.record.version}</Text>} />
          <dl>
            {open.template.fields.filter((f) => f.type !== 'info' && f.type !== 'actions').map((f) => (
              <div key={f.id}><dt><Text weight="semibold">{f.label}</Text></dt><dd style={{ whiteSpace: 'pre-wrap', marginInlineStart: 0, marginBottom: 8 }}>{show(open.record.values[f.id])}</dd></div>
            ))}
          </dl>
          {open.actions.length > 0 && (
            <>
              <Text weight="semibold">Actions</Text>
              <ul>{open.actions.map((a) => <li key={a.id}>{a.text} ({open.names[a.ownerId] ?? 'owner'}, by {formatDay(`${a.dueOn}T12:00:00Z`)}): {a.status}</li>)}</ul>
            </>
          )}
          {open.record.disagreement && <Text>Disagreement recorded: {open.record.disagreement.text}</Text>}
          <Text size={200}>Signed by: {open.record.signatures.map((s) => `${open.names[s.personId] ?? ''} (${formatDay(s.at)})`).join(', ') || 'not yet signed'}</Text>
        </Card>
      )}
    </section>
  );
}
