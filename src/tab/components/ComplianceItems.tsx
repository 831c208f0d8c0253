/**
 * The drill-down of the compliance view: the named items behind one figure
 * (for the whole report, one team or one arrangement), from
 * GET /api/v1/compliance/items. Shown in place below the figures, focused when
 * it opens so keyboard and screen-reader users land on it.
 */
import { Button, Card, CardHeader, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api';

export interface DrillTarget {
  figure: string;
  /** What was clicked, in words ("Overdue obligations, Children's Social Care"). */
  title: string;
  from: string;
  to: string;
  team?: string;
  relationshipId?: string;
}

interface Item {
  figure: string;
  relationshipId: string;
  team: string;
  kind: string;
  id: string;
  at?: string;
  supervisor: string;
  supervisees: string[];
  label: string;
}

function itemsQuery(t: DrillTarget): string {
  const q = new URLSearchParams({ figure: t.figure, from: t.from, to: t.to });
  if (t.team) q.set('team', t.team);
  if (t.relationshipId) q.set('relationshipId', t.relationshipId);
  return `?${q.toString()}`;
}

export function ComplianceItems({ target, onClose }: { target: DrillTarget; onClose: () => void }) {
  const [items, setItems] = useState<Item[]>();
  const [error, setError] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    setItems(undefined);
    setError(undefined);
    api<{ items: Item[] }>(`/compliance/items${itemsQuery(target)}`).then(
      (r) => live && setItems(r.items),
      (e: Error) => live && setError(e.message),
    );
    heading.current?.focus();
    return () => {
      live = false;
    };
  }, [target]);

  return (
    <Card data-testid="drill-down" role="region" aria-labelledby="drill-heading">
      <CardHeader
        header={
          <h2 id="drill-heading" ref={heading} tabIndex={-1} style={{ margin: 0, fontSize: 16 }}>
            {target.title}
          </h2>
        }
        action={<Button onClick={onClose}>Close</Button>}
      />
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {!items && !error && <Spinner size="tiny" label="Loading the items…" />}
      {items && items.length === 0 && <Text as="p">Nothing is counted here.</Text>}
      {items && items.length > 0 && (
        <div style={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="drill-items">
            <caption style={{ textAlign: 'start', padding: '4px 0' }}>{items.length} item{items.length === 1 ? '' : 's'}</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">Supervisee(s)</TableHeaderCell>
                <TableHeaderCell scope="col">Supervisor</TableHeaderCell>
                <TableHeaderCell scope="col">Team</TableHeaderCell>
                <TableHeaderCell scope="col">What</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((i) => (
                <TableRow key={`${i.kind}:${i.id}:${i.relationshipId}`} data-item-id={i.id} data-item-kind={i.kind}>
                  <TableCell>{i.supervisees.join(', ')}</TableCell>
                  <TableCell>{i.supervisor}</TableCell>
                  <TableCell>{i.team}</TableCell>
                  <TableCell>{i.label}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </Card>
  );
}
