/**
 * A safeguarding lead's data-rights tools on the compliance page: a
 * subject-access export for one person (other people's names come marked for
 * review), the records past retention listed for disposal review, legal holds
 * (placing and lifting), recording that someone left, and disposal of one
 * reviewed record, which a hold blocks. The server audits each of these.
 */
import { Button, Field, Input, MessageBar, MessageBarBody, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { downloadFile } from '../download';
import { formatDate, formatDay } from '../format';

interface PersonOption { id: string; displayName: string; team: string }
interface Candidate { recordId: string; relationshipId: string; /** The pack's zone. */ timeZone: string; sessionStart?: string; dueSince: string; heldBy: string[]; rule: { name: string; period: string } }
interface Hold { id: string; scope: { kind: string; id: string }; reason: string; placedAt: string; liftedAt?: string }
interface Review { due: Candidate[]; retained: number; holds: Hold[]; /** The report zone, for organisation-wide dates (holds). */ timeZone: string }

export function DataRights() {
  const [people, setPeople] = useState<PersonOption[]>([]);
  const [sarPerson, setSarPerson] = useState('');
  const [sarFormat, setSarFormat] = useState('pdf');
  const [review, setReview] = useState<Review>();
  const [holdKind, setHoldKind] = useState('person');
  const [holdId, setHoldId] = useState('');
  const [holdReason, setHoldReason] = useState('');
  const [leaver, setLeaver] = useState('');
  const [leftOn, setLeftOn] = useState('');
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string }>();
  const [confirming, setConfirming] = useState<string>();

  const name = (id: string) => people.find((p) => p.id === id)?.displayName ?? id;
  const loadReview = () => api<Review>('/retention').then(setReview, (e: Error) => setMessage({ intent: 'error', text: e.message }));
  useEffect(() => {
    api<{ people: PersonOption[] }>('/data-rights/people').then(
      (r) => {
        setPeople(r.people);
        setSarPerson(r.people[0]?.id ?? '');
        setHoldId(r.people[0]?.id ?? '');
        setLeaver(r.people[0]?.id ?? '');
      },
      (e: Error) => setMessage({ intent: 'error', text: e.message }),
    );
    void loadReview();
  }, []);

  async function act(fn: () => Promise<unknown>, done: string) {
    setMessage(undefined);
    try {
      await fn();
      setMessage({ intent: 'success', text: done });
      await loadReview();
    } catch (e) {
      setMessage({ intent: 'error', text: (e as Error).message });
    }
  }

  return (
    <section aria-labelledby="data-rights-heading" style={{ display: 'grid', gap: 12 }} data-testid="data-rights">
      <Title3 as="h2" id="data-rights-heading">Data rights and retention</Title3>
      {message && <MessageBar intent={message.intent} data-testid="data-rights-message"><MessageBarBody>{message.text}</MessageBarBody></MessageBar>}

      <form
        aria-label="Subject access export"
        style={{ display: 'flex', gap: 12, alignItems: 'end', flexWrap: 'wrap' }}
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => downloadFile(`/subject-access/${encodeURIComponent(sarPerson)}.${sarFormat}`, `subject-access.${sarFormat}`), 'Subject-access export downloaded. Review every marked name before release.');
        }}
      >
        <Field label="Subject access for">
          <Select id="sar-person" value={sarPerson} onChange={(_, d) => setSarPerson(d.value)}>
            {people.map((p) => <option key={p.id} value={p.id}>{p.displayName} ({p.team})</option>)}
          </Select>
        </Field>
        <Field label="Format">
          <Select id="sar-format" value={sarFormat} onChange={(_, d) => setSarFormat(d.value)}>
            <option value="pdf">PDF</option>
            <option value="csv">CSV</option>
            <option value="json">JSON</option>
          </Select>
        </Field>
        <Button type="submit" disabled={!sarPerson}>Export</Button>
      </form>

      <Text as="p" size={200}>
        Records past their retention period are listed here for review; nothing is deleted until you dispose of it, and a legal hold stops that.
      </Text>
      {review && review.due.length === 0 && <Text as="p" data-testid="retention-none">No records are past retention ({review.retained} retained).</Text>}
      {review && review.due.length > 0 && (
        <div style={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="retention-due">
            <caption style={{ textAlign: 'start', padding: '4px 0' }}>Past retention: {review.due.length} record(s)</caption>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">Session</TableHeaderCell>
                <TableHeaderCell scope="col">Rule</TableHeaderCell>
                <TableHeaderCell scope="col">Due since</TableHeaderCell>
                <TableHeaderCell scope="col">Hold</TableHeaderCell>
                <TableHeaderCell scope="col">Action</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {review.due.map((c) => (
                <TableRow key={c.recordId} data-record-id={c.recordId}>
                  <TableCell>{c.sessionStart ? formatDay(c.sessionStart, c.timeZone) : c.recordId}</TableCell>
                  <TableCell>{c.rule.name} ({c.rule.period})</TableCell>
                  <TableCell>{formatDate(c.dueSince)}</TableCell>
                  <TableCell>{c.heldBy.length ? 'On hold' : 'None'}</TableCell>
                  <TableCell>
                    {confirming === c.recordId ? (
                      // Teams clients block window.confirm: the second step is in the page.
                      <span role="group" aria-label="Confirm disposal" style={{ display: 'inline-flex', gap: 4 }}>
                        <Button size="small" appearance="primary" onClick={() => { setConfirming(undefined); void act(() => api('/retention/dispose', { method: 'POST', body: JSON.stringify({ recordId: c.recordId }) }), 'Record disposed of; every copy removed.'); }}>
                          Dispose of every copy
                        </Button>
                        <Button size="small" onClick={() => setConfirming(undefined)}>Keep</Button>
                      </span>
                    ) : (
                      <Button size="small" disabled={c.heldBy.length > 0} onClick={() => setConfirming(c.recordId)}>
                        Dispose…
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}

      <form
        aria-label="Place a legal hold"
        style={{ display: 'flex', gap: 12, alignItems: 'end', flexWrap: 'wrap' }}
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => api('/legal-holds', { method: 'POST', body: JSON.stringify({ scope: { kind: holdKind, id: holdId }, reason: holdReason }) }), 'Legal hold placed.');
        }}
      >
        <Field label="Hold covers">
          <Select id="hold-kind" value={holdKind} onChange={(_, d) => { setHoldKind(d.value); setHoldId(d.value === 'person' ? (people[0]?.id ?? '') : ''); }}>
            <option value="person">A person</option>
            <option value="relationship">An arrangement (id)</option>
            <option value="record">A record (id)</option>
          </Select>
        </Field>
        {holdKind === 'person' ? (
          <Field label="Person">
            <Select id="hold-person" value={holdId} onChange={(_, d) => setHoldId(d.value)}>
              {people.map((p) => <option key={p.id} value={p.id}>{p.displayName}</option>)}
            </Select>
          </Field>
        ) : (
          <Field label="Id">
            <Input id="hold-id" value={holdId} onChange={(_, d) => setHoldId(d.value)} required />
          </Field>
        )}
        <Field label="Reason">
          <Input id="hold-reason" value={holdReason} onChange={(_, d) => setHoldReason(d.value)} required minLength={3} />
        </Field>
        <Button type="submit">Place hold</Button>
      </form>
      {review && review.holds.filter((h) => !h.liftedAt).length > 0 && (
        <ul data-testid="holds">
          {review.holds.filter((h) => !h.liftedAt).map((h) => (
            <li key={h.id}>
              <Text>
                {h.scope.kind === 'person' ? name(h.scope.id) : `${h.scope.kind} ${h.scope.id}`}: {h.reason} (since {formatDay(h.placedAt, review.timeZone)}){' '}
              </Text>
              <Button size="small" onClick={() => void act(() => api(`/legal-holds/${encodeURIComponent(h.id)}/lift`, { method: 'POST' }), 'Legal hold lifted.')}>
                Lift
              </Button>
            </li>
          ))}
        </ul>
      )}

      <form
        aria-label="Record that someone left"
        style={{ display: 'flex', gap: 12, alignItems: 'end', flexWrap: 'wrap' }}
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => api('/leavers', { method: 'POST', body: JSON.stringify({ personId: leaver, leftOn }) }), 'Leaving date recorded.');
        }}
      >
        <Field label="Left the organisation">
          <Select id="leaver-person" value={leaver} onChange={(_, d) => setLeaver(d.value)}>
            {people.map((p) => <option key={p.id} value={p.id}>{p.displayName}</option>)}
          </Select>
        </Field>
        <Field label="On (YYYY-MM-DD)">
          <Input id="leaver-date" value={leftOn} onChange={(_, d) => setLeftOn(d.value)} required pattern="\d{4}-\d{2}-\d{2}" placeholder="2027-03-31" />
        </Field>
        <Button type="submit">Record leaver</Button>
      </form>
    </section>
  );
}
