/** Sessions: a month of booked supervision; one session by its URL (#/sessions/<id>). */
import { Link, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, type Me } from '../api';
import { formatDay, formatTimeRange } from '../format';
import { href } from '../route';

export function Sessions({ sessionId, relationshipId }: { sessionId?: string; relationshipId?: string; month?: string }) {
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();
  useEffect(() => void api<Me>('/me').then(setMe).catch((e: Error) => setError(e.message)), []);
  if (error) return <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!me) return <Spinner label="Loading sessions…" />;
  const rows = me.upcoming.filter((s) => (!relationshipId || s.relationshipId === relationshipId) && (!sessionId || s.id === sessionId));
  return (
    <section aria-labelledby="sessions-heading" style={{ display: 'grid', gap: 12 }}>
      <Title2 as="h1" id="sessions-heading">{sessionId ? 'Supervision session' : 'Sessions'}</Title2>
      {sessionId && <Link href={href('/sessions')}>All sessions</Link>}
      {rows.length === 0 ? (
        <Text as="p">{sessionId ? 'That session is not planned any more.' : 'No supervision booked in the next 90 days.'}</Text>
      ) : (
        <Table aria-label="Booked sessions" data-testid="sessions" className="pt-stack">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Date</TableHeaderCell>
              <TableHeaderCell>Time</TableHeaderCell>
              <TableHeaderCell>With</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((s) => (
              <TableRow key={s.id} data-session={s.id}>
                <TableCell data-label="Date"><Link href={href(`/sessions/${encodeURIComponent(s.id)}`)}>{formatDay(s.start)}</Link></TableCell>
                <TableCell data-label="Time">{formatTimeRange(s.start, s.end)}</TableCell>
                <TableCell data-label="With">{s.with.join(', ')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
