/** A supervisor's (or manager's, or lead's) list: each arrangement with last and next session. */
import {
  Badge, Button, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { formatDay } from '../format';
import type { RelationshipRow } from '../types';

export function statusOf(row: RelationshipRow): { label: string; color: 'success' | 'warning' | 'danger' | 'informative' } {
  if (!row.nextSession) return { label: 'Nothing booked', color: 'danger' };
  return { label: `${row.plannedCount} booked`, color: 'success' };
}

export function People({ onBook }: { onBook: (relationshipId: string) => void }) {
  const [rows, setRows] = useState<RelationshipRow[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ relationships: RelationshipRow[] }>('/people').then((r) => setRows(r.relationships)).catch((e: Error) => setError(e.message));
  }, []);
  if (error) return <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!rows) return <Spinner label="Loading people…" />;
  return (
    <section aria-labelledby="people-heading">
      <Title2 as="h1" id="people-heading">People</Title2>
      {rows.length === 0 ? (
        <Text as="p">You do not supervise or oversee anyone yet.</Text>
      ) : (
        <Table aria-label="Supervision arrangements you look after" data-testid="people">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Supervisee(s)</TableHeaderCell>
              <TableHeaderCell>Supervisor</TableHeaderCell>
              <TableHeaderCell>Policy</TableHeaderCell>
              <TableHeaderCell>Last session</TableHeaderCell>
              <TableHeaderCell>Next session</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell><span className="visually-hidden">Actions</span></TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => {
              const status = statusOf(r);
              const names = r.supervisees.map((s) => s.name).join(', ');
              return (
                <TableRow key={r.id} data-relationship={r.id}>
                  <TableCell>{names}{r.kind === 'group' ? ' (group)' : ''}</TableCell>
                  <TableCell>{r.supervisor}</TableCell>
                  <TableCell>{r.policy ? `${r.policy.staffGroupName}: ${r.policy.frequency}` : ''}</TableCell>
                  <TableCell>{r.lastSession ? formatDay(r.lastSession.start) : 'None yet'}</TableCell>
                  <TableCell>{r.nextSession ? formatDay(r.nextSession.start) : 'None'}</TableCell>
                  <TableCell><Badge appearance="tint" color={status.color}>{status.label}</Badge></TableCell>
                  <TableCell>
                    {r.canBook && (
                      <Button size="small" onClick={() => onBook(r.id)} aria-label={`Book supervision for ${names}`}>
                        Book
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
