/** "My supervision": who I am here, my relationships, and what is coming up. */
import {
  Badge, Card, CardHeader, Link, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader,
  TableHeaderCell, TableRow, Text, Title2, Title3,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, type Me } from '../api';
import { AgreementPanel } from '../components/AgreementPanel';
import { formatDay, formatTimeRange, ROLE_LABELS } from '../format';
import { href } from '../route';

export function Home({ personId }: { personId: string }) {
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    setMe(undefined);
    api<Me>('/me').then(setMe).catch((e: Error) => setError(e.message));
  }, [personId]);

  if (error) return <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>;
  if (!me) return <Spinner label="Loading your supervision…" />;

  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <Card>
        <CardHeader
          header={<Title2 as="h1">{me.person.displayName}</Title2>}
          description={<Text>{me.person.jobTitle} · {me.person.team}</Text>}
        />
        <div aria-label="Your roles" style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          {me.person.roles.map((r) => (
            <Badge key={r} appearance="tint" data-testid="role">{ROLE_LABELS[r] ?? r}</Badge>
          ))}
        </div>
        {me.lineManager && <Text size={200}>Line manager: {me.lineManager}</Text>}
      </Card>

      <section aria-labelledby="upcoming-heading">
        <Title3 as="h2" id="upcoming-heading">Upcoming supervision</Title3>
        {me.upcoming.length === 0 ? (
          <Text as="p" data-testid="no-upcoming">No supervision booked in the next 90 days.</Text>
        ) : (
          <Table aria-label="Upcoming supervision" data-testid="upcoming" className="pt-stack">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Date</TableHeaderCell>
                <TableHeaderCell>Time</TableHeaderCell>
                <TableHeaderCell>With</TableHeaderCell>
                <TableHeaderCell>You are</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {me.upcoming.map((s) => (
                <TableRow key={s.id}>
                  <TableCell data-label="Date">{formatDay(s.start, s.timeZone)}</TableCell>
                  {/* The time opens the session's shared agenda. */}
                  <TableCell data-label="Time"><Link href={href(`/agenda/${encodeURIComponent(s.id)}`)}>{formatTimeRange(s.start, s.end, s.timeZone)}</Link></TableCell>
                  <TableCell data-label="With">{s.with.join(', ')}</TableCell>
                  <TableCell data-label="You are">{s.viewpoint === 'supervisor' ? 'Supervisor' : 'Supervisee'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>

      {me.relationships.length > 0 && (
        <section aria-labelledby="relationships-heading">
          <Title3 as="h2" id="relationships-heading">Supervision arrangements</Title3>
          <Table aria-label="Supervision arrangements" className="pt-stack">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Supervisor</TableHeaderCell>
                <TableHeaderCell>Supervisee(s)</TableHeaderCell>
                <TableHeaderCell>Policy</TableHeaderCell>
                <TableHeaderCell>Staff group</TableHeaderCell>
                <TableHeaderCell>Agreement</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {me.relationships.map((r) => (
                <TableRow key={r.id}>
                  <TableCell data-label="Supervisor">{r.supervisor}</TableCell>
                  <TableCell data-label="Supervisee(s)">{r.supervisees.join(', ')}</TableCell>
                  <TableCell data-label="Policy">{r.policy}</TableCell>
                  <TableCell data-label="Staff group">{r.staffGroup}</TableCell>
                  <TableCell data-label="Agreement">
                    {r.viewpoint === 'supervisor' || r.viewpoint === 'supervisee' ? (
                      <AgreementPanel relationshipId={r.id} personId={me.person.id} viewpoint={r.viewpoint} kind={r.kind} />
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>
      )}
    </div>
  );
}
