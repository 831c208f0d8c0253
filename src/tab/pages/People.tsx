/** A supervisor's (or manager's, or lead's) list: each arrangement with last and next session. */
import {
  Badge, Button, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { formatDay } from '../format';
import type { RelationshipRow } from '../types';

export interface Standing { state: 'on-track' | 'due-soon' | 'overdue'; reasons: string[] }

/** Where the person stands (from the due engine), with how many sessions are booked as a detail. */
export function statusOf(row: RelationshipRow, standing?: Standing): { label: string; color: 'success' | 'warning' | 'danger' | 'informative' } {
  const booked = row.nextSession ? `${row.plannedCount} booked` : 'nothing booked';
  if (!standing) return { label: booked, color: 'informative' };
  if (standing.state === 'overdue') return { label: `Overdue · ${booked}`, color: 'danger' };
  if (standing.state === 'due-soon') return { label: `Due soon · ${booked}`, color: 'warning' };
  return { label: `On track · ${booked}`, color: 'success' };
}

export function People({ onBook }: { onBook: (relationshipId: string) => void }) {
  const [rows, setRows] = useState<RelationshipRow[]>();
  const [error, setError] = useState<string>();
  const [standing, setStanding] = useState<Record<string, Standing>>({});
  useEffect(() => {
    api<{ relationships: RelationshipRow[] }>('/people').then((r) => setRows(r.relationships)).catch((e: Error) => setError(e.message));
    api<{ standing: Record<string, Standing> }>('/people/standing').then((r) => setStanding(r.standing)).catch(() => undefined);
  }, []);
  if (error) return <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!rows) return <Spinner label="Loading people…" />;
  return (
    <section aria-labelledby="people-heading">
      <Title2 as="h1" id="people-heading">People</Title2>
      {rows.length === 0 ? (
        <Text as="p">You do not supervise or oversee anyone yet.</Text>
      ) : (
        <Table aria-label="Supervision arrangements you look after" data-testid="people" className="pt-stack">
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
              const status = statusOf(r, standing[r.id]);
              const why = standing[r.id]?.reasons ?? [];
              const names = r.supervisees.map((s) => s.name).join(', ');
              return (
                <TableRow key={r.id} data-relationship={r.id}>
                  <TableCell data-label="Supervisee(s)">{names}{r.kind === 'group' ? ' (group)' : ''}</TableCell>
                  <TableCell data-label="Supervisor">{r.supervisor}</TableCell>
                  <TableCell data-label="Policy">{r.policy ? `${r.policy.staffGroupName}: ${r.policy.frequency}` : ''}</TableCell>
                  <TableCell data-label="Last session">{r.lastSession ? formatDay(r.lastSession.start, r.timeZone) : 'None yet'}</TableCell>
                  <TableCell data-label="Next session">{r.nextSession ? formatDay(r.nextSession.start, r.timeZone) : 'None'}</TableCell>
                  <TableCell data-label="Status">
                    <div style={{ display: 'grid', gap: 4, padding: '4px 0' }}>
                      <Badge appearance="tint" color={status.color} data-testid="standing">{status.label}</Badge>
                      {why.slice(0, 2).map((w) => <Text key={w} size={200} style={{ overflowWrap: 'anywhere' }}>{w}</Text>)}
                    </div>
                  </TableCell>
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
