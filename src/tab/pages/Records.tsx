/** Records: the list a person may see (search and filter kept in the URL); open one by its own link. */
import {
  Badge, Field, Input, Link, MessageBar, MessageBarBody, Select, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { formatDay } from '../format';
import { href, navigate } from '../route';
import { RECORD_STATUS } from './RecordView';

interface RecordRow { id: string; sessionStart: string; status: string; version: number; supervisor: string; supervisees: string[]; mine: boolean; signedBy: string[]; /** The pack's zone. */ timeZone: string }

export function Records({ query }: { query: URLSearchParams }) {
  const [rows, setRows] = useState<RecordRow[]>();
  const [error, setError] = useState<string>();
  const q = query.get('q') ?? '';
  const status = query.get('status') ?? '';
  useEffect(() => {
    api<{ records: RecordRow[] }>('/records').then((r) => setRows(r.records)).catch((e: Error) => setError(e.message));
  }, []);
  const setFilter = (next: { q?: string; status?: string }) => navigate('/records', { q: next.q ?? q, status: next.status ?? status }, true);
  if (error) return <MessageBar layout="multiline" intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!rows) return <Spinner label="Loading records…" />;
  const needle = q.trim().toLowerCase();
  const shown = rows.filter((r) => (!status || r.status === status) && (!needle || [r.supervisor, ...r.supervisees, formatDay(r.sessionStart, r.timeZone)].join(' ').toLowerCase().includes(needle)));
  return (
    <section aria-labelledby="records-heading" style={{ display: 'grid', gap: 16, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Title2 as="h1" id="records-heading">Records</Title2>
      <div role="search" style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
        <Field label="Search by name or date" style={{ minWidth: 0, flex: '1 1 200px' }}>
          <Input value={q} onChange={(_, d) => setFilter({ q: d.value })} />
        </Field>
        <Field label="Status" style={{ minWidth: 0, flex: '1 1 160px' }}>
          <Select value={status} onChange={(_, d) => setFilter({ status: d.value })}>
            <option value="">Any</option>
            {Object.entries(RECORD_STATUS).map(([k, [, label]]) => <option key={k} value={k}>{label}</option>)}
          </Select>
        </Field>
      </div>
      {rows.length === 0 ? (
        <Text as="p">No supervision records yet. After each session the record form arrives in your Teams chat with Protected Time, and in your to-do list here.</Text>
      ) : shown.length === 0 ? (
        <Text as="p">No records match.</Text>
      ) : (
        <Table aria-label="Supervision records" data-testid="records" className="pt-stack">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Session</TableHeaderCell>
              <TableHeaderCell>Supervisor</TableHeaderCell>
              <TableHeaderCell>Supervisee(s)</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((r) => {
              const [color, label] = RECORD_STATUS[r.status] ?? ['informative', r.status];
              return (
                <TableRow key={r.id}>
                  <TableCell data-label="Session"><Link href={href(`/records/${encodeURIComponent(r.id)}`)}>{formatDay(r.sessionStart, r.timeZone)}</Link></TableCell>
                  <TableCell data-label="Supervisor">{r.supervisor}</TableCell>
                  <TableCell data-label="Supervisee(s)">{r.supervisees.join(', ')}</TableCell>
                  <TableCell data-label="Status"><Badge appearance="tint" color={color}>{label}{r.version > 1 ? ` (v${r.version})` : ''}</Badge></TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
